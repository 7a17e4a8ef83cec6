"""Who needs the specialist first: each reason with data that raises it and data that does not (the clock is
passed in), and the family list sorted by need with a "needs attention" filter."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from server import db, triage
from tests.server.conftest import auth_headers, entry_op

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.timezone.utc)  # a Monday morning
MEMBER = "11111111-1111-4111-8111-111111111111"


def day(n: int) -> str:
    """n days before NOW, as stored."""
    return db.iso(NOW - dt.timedelta(days=n))


def rec(entity: str, data: dict, seq: int, updated: int = 0, entity_id: str | None = None) -> dict:
    return {"entity": entity, "entity_id": entity_id or str(uuid.uuid4()), "seq": seq, "data": data,
            "updated_at": day(updated), "member_id": MEMBER}


def who5(*scores: int) -> list[dict]:
    return [rec("wellbeing", {"score": s, "created_at": day(len(scores) - i)}, i + 1) for i, s in enumerate(scores)]


def checkins(*moods: int) -> list[dict]:
    return [rec("checkin", {"mood": m, "stress": 5, "created_at": day(len(moods) - i)}, i + 1)
            for i, m in enumerate(moods)]


def down(entity: str, seq: int, member_id: str | None = MEMBER, **data) -> dict:
    return {"entity": entity, "seq": seq, "member_id": member_id, "data": data}


def codes(records=(), devices=(), sent=(), now=NOW) -> list[str]:
    return [r.code for r in triage.member_reasons("Ana", list(records), list(devices), list(sent), MEMBER, now)]


@pytest.mark.parametrize("scores, raised", [((28,), True), ((12,), True), ((29,), False), ((80, 20, 40), False)])
def test_a_who5_of_28_or_lower_is_a_reason(scores, raised):
    assert ("who5_low" in codes(who5(*scores))) is raised


@pytest.mark.parametrize("scores, raised", [((60, 50), True), ((72, 40), True), ((60, 51), False), ((50, 60), False),
                                            ((60,), False)])
def test_a_drop_of_10_points_or_more_is_a_reason(scores, raised):
    assert ("who5_drop" in codes(who5(*scores))) is raised


@pytest.mark.parametrize("moods, raised", [
    ((1, 1, 1), True),
    ((3, 1, 4, 1, 5, 1, 3), True),
    ((1, 1, 3, 3, 3, 3, 3, 3, 1), False),  # only one "Very low" among the last 7
    ((1, 1, 2, 2, 2), False),
    ((), False),
])
def test_very_low_mood_on_3_of_the_last_7_check_ins_is_a_reason(moods, raised):
    assert ("mood_very_low" in codes(checkins(*moods))) is raised


def test_a_message_from_the_family_waits_until_the_specialist_writes_to_them_or_to_the_family():
    message = rec("message", {"body": "Can we talk?", "created_at": day(1)}, seq=5)
    assert "message_waiting" in codes([message])
    assert "message_waiting" in codes([message], sent=[down("message", 3)])  # sent before it
    assert "message_waiting" in codes([message], sent=[down("message", 6, member_id=str(uuid.uuid4()))])  # to another
    assert "message_waiting" not in codes([message], sent=[down("message", 6)])
    assert "message_waiting" not in codes([message], sent=[down("message", 7, member_id=None)])  # to the family
    assert "message_waiting" not in codes([])


def test_a_plan_waits_for_feedback_on_its_latest_version():
    plan = rec("worksheet", {"kind": "reapproach_plan", "fields": {}}, seq=8)
    assert "plan_waiting" in codes([plan])
    assert "plan_waiting" in codes([plan], sent=[down("feedback", 4, worksheet_id=plan["entity_id"])])  # older
    assert "plan_waiting" not in codes([plan], sent=[down("feedback", 9, worksheet_id=plan["entity_id"])])
    rewards = rec("worksheet", {"kind": "rewards", "fields": {}}, seq=8)
    assert "plan_waiting" not in codes([rewards])  # not a plan


def test_no_sync_for_14_days_after_regular_use_is_a_reason():
    used = [rec("checkin", {"mood": 3, "stress": 1, "created_at": day(d)}, seq=i, updated=d)
            for i, d in enumerate((30, 25, 20), 1)]
    phone = {"last_seen_at": day(14), "unpaired_at": None}
    assert "quiet" in codes(used, [phone])
    assert "quiet" not in codes(used, [{**phone, "last_seen_at": day(13)}])
    assert "quiet" not in codes(used[:2], [phone])  # two days of use is not regular
    assert "quiet" not in codes(used, [{**phone, "unpaired_at": day(14)}])  # unpaired on purpose
    assert "quiet" not in codes(used, [phone], now=NOW - dt.timedelta(days=2))  # the same data, two days earlier


def test_reasons_are_written_in_plain_words():
    words = [r.words for r in triage.member_reasons("Ana", who5(60, 20) + checkins(1, 1, 1), [], [], MEMBER, NOW)]
    assert words == ["Ana's wellbeing score (WHO-5) is 20, at 28 or lower",
                     "Ana's wellbeing score dropped 40 points, from 60 to 20",
                     'Ana felt "Very low" in 3 of their last 3 check-ins']


# --- the family list ---------------------------------------------------------------------------

def checkin_op(mood: int, when: str) -> dict:
    return {**entry_op(), "entity": "checkin", "data": {
        "mood": mood, "feelings": [], "stress": 5, "sleep": 3, "note": None, "loved_one_day": None,
        "my_response": [], "created_at": when, "tz": "UTC"}}


def test_the_family_that_needs_attention_is_first_with_its_reason_and_the_filter_keeps_only_it(world):
    world.specialist("s@practice.test", "Sam")
    calm = world.family("s@practice.test", "Aardvarks")  # first by name
    worried = world.family("s@practice.test", "Zellers")
    for family, mood in ((calm, 4), (worried, 1)):
        member = world.pair(family, "Ana" if family == calm else "Zoe")
        ops = [checkin_op(mood, f"2026-11-2{i}T10:00:00Z") for i in range(3)]
        r = world.client.post("/api/v1/sync/push", headers=auth_headers(member["token"]), json={"ops": ops})
        assert {x["status"] for x in r.json()["results"]} == {"applied"}
    c = world.login("s@practice.test")
    page = c.get("/").text
    assert page.index("Zellers") < page.index("Aardvarks")
    assert 'Zoe felt &#34;Very low&#34; in 3 of their last 3 check-ins' in page
    assert "Needs attention (1)" in page and "All families (2)" in page
    only = c.get("/?show=attention").text
    assert "Zellers" in only and "Aardvarks" not in only


def test_a_quiet_family_is_flagged_only_once_14_days_have_passed(world, monkeypatch):
    world.specialist("s@practice.test", "Sam")
    family = world.family("s@practice.test", "The Quiets")
    member = world.pair(family, "Ana")
    start = db.utcnow()
    for d in range(3):  # three days of regular use
        monkeypatch.setattr(db, "utcnow", lambda d=d: start + dt.timedelta(days=d))
        world.client.post("/api/v1/sync/push", headers=auth_headers(member["token"]),
                          json={"ops": [checkin_op(4, db.iso(start + dt.timedelta(days=d)))]})
    monkeypatch.setattr(db, "utcnow", lambda: start + dt.timedelta(days=15))  # 13 days after the last sync
    page = world.login("s@practice.test").get("/").text
    assert "has not synced" not in page and "Needs attention (0)" in page
    monkeypatch.setattr(db, "utcnow", lambda: start + dt.timedelta(days=16, hours=1))
    c = world.login("s@practice.test")
    assert "Ana has not synced for 14 days, after using the app regularly" in c.get("/").text


def test_the_list_reads_the_newest_check_ins_and_counts_every_day_of_use(world, monkeypatch):
    """The list decodes only the newest check-ins (the last 7 by date are among them) but counts the days of
    use from every record: 30 older calm check-ins do not hide 3 "Very low" ones, and 20 check-ins on one day
    after two earlier days are still regular use."""
    world.specialist("s@practice.test", "Sam")
    family = world.family("s@practice.test", "The Manys")
    member = world.pair(family, "Ana")
    start = db.utcnow()
    for d, ops in enumerate(([checkin_op(4, db.iso(start))], [checkin_op(4, db.iso(start + dt.timedelta(days=1)))],
                             [checkin_op(4, db.iso(start + dt.timedelta(days=2, minutes=n))) for n in range(27)] +
                             [checkin_op(1, db.iso(start + dt.timedelta(days=2, hours=1, minutes=n))) for n in range(3)])):
        monkeypatch.setattr(db, "utcnow", lambda d=d: start + dt.timedelta(days=d))
        r = world.client.post("/api/v1/sync/push", headers=auth_headers(member["token"]), json={"ops": ops})
        assert {x["status"] for x in r.json()["results"]} == {"applied"}
    monkeypatch.setattr(db, "utcnow", lambda: start + dt.timedelta(days=17))
    page = world.login("s@practice.test").get("/").text
    assert 'Ana felt &#34;Very low&#34; in 3 of their last 7 check-ins' in page
    assert "Ana has not synced for 15 days, after using the app regularly" in page

"""The dashboard reads like a letter: no ISO time or id in any page's text, times in the practice's time zone,
worksheets with their labels, names in the audit log; recommendations by choosing; erasing asks first."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html.parser import HTMLParser

import pytest

from server import db, humane
from server.settings import Settings
from tests.server.conftest import auth_headers, entry_op, make_world
from tests.server.test_dashboard import csrf_of

ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader sees (text nodes; the SVG's title is its accessible name, so it counts too)."""
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def shared(tmp_path):
    return build_shared(Settings(data_dir=tmp_path / "server", secret_key="test-secret", timezone="America/New_York"))


def build_shared(settings: Settings) -> dict:
    world = make_world(settings)
    world.specialist("s@practice.test", "Sam Rivera")
    family = world.family("s@practice.test", "The Byrnes")
    ana = world.pair(family, "Ana")
    plan_id = str(uuid.uuid4())
    ops = [
        entry_op(body="We had a calm dinner."),
        {**entry_op(), "entity": "worksheet", "entity_id": plan_id, "data": {
            "journey_id": "reapproach", "step_id": "reapproach.plan", "kind": "reapproach_plan",
            "fields": {"who": ["me", "dad"], "format": "one_to_one", "when_where": "Saturday, on a walk"},
            "updated_at": "2026-11-26T10:00:00Z"}},
        *[{**entry_op(), "entity": "checkin", "data": {
            "mood": m, "feelings": [], "stress": 4, "sleep": 3, "note": None, "loved_one_day": None,
            "my_response": [], "created_at": f"2026-11-2{i}T03:30:00Z", "tz": "UTC"}} for i, m in enumerate([2, 3, 4])],
        {**entry_op(), "entity": "wellbeing", "data": {"items": [3, 3, 3, 3, 3], "score": 60,
                                                       "created_at": "2026-11-25T10:00:00Z", "tz": "UTC"}},
        {**entry_op(), "entity": "message", "data": {"body": "Can we talk this week?", "in_reply_to": None,
                                                     "created_at": "2026-11-26T10:00:00Z"}},
    ]
    r = world.client.post("/api/v1/sync/push", headers=auth_headers(ana["token"]), json={"ops": ops})
    assert {x["status"] for x in r.json()["results"]} == {"applied"}
    return {"world": world, "family": family, "ana": ana, "plan_id": plan_id}


def test_no_page_shows_an_iso_time_or_an_id(shared):
    pages_read_like_a_letter(shared)


def test_the_pages_read_the_same_on_postgresql(pg_url, tmp_path):
    shared = build_shared(Settings(data_dir=tmp_path / "srv", secret_key="k", database_url=pg_url,
                                   timezone="Europe/Dublin"))
    try:
        pages_read_like_a_letter(shared)
        assert "Ana sent a message not answered yet" not in shared["world"].login("s@practice.test").get("/").text
    finally:
        shared["world"].engine.dispose()


def pages_read_like_a_letter(shared: dict) -> None:
    world, family = shared["world"], shared["family"]
    c = world.login("s@practice.test")
    c.get(f"/families/{family}")
    c.post(f"/families/{family}/message", data={"body": "Yes, Tuesday?", "member_id": shared["ana"]["member_id"],
                                               "csrf": csrf_of(c.get(f"/families/{family}").text)})
    urls = ["/", f"/families/{family}", f"/families/{family}/audit", "/account",
            f"/families/{family}/members/{shared['ana']['member_id']}/journal",
            f"/families/{family}/members/{shared['ana']['member_id']}/erase", f"/families/{family}/erase",
            f"/families/{family}/devices/{shared['ana']['device_id']}/unpair"]
    for url in urls:
        r = c.get(url)
        assert r.status_code == 200, url
        text = visible_text(r.text)
        assert not ISO.search(text), (url, ISO.search(text).group())
        assert not UUID.search(text), (url, UUID.search(text).group())


def test_times_are_in_the_practice_time_zone_with_the_exact_time_on_hover(shared):
    now = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)
    assert humane.exact("2026-11-26T10:00:00Z", "America/New_York") == "Thursday 26 November 2026 at 05:00"
    assert humane.relative("2026-11-26T10:00:00Z", now, "UTC") == "2 hours ago"
    assert humane.relative("2026-11-01T10:00:00Z", now, "Europe/Dublin") == "Sun 1 Nov 2026, 10:00"
    world = shared["world"]
    page = world.login("s@practice.test").get(f"/families/{shared['family']}").text
    assert 'datetime="2026-11-26T10:00:00.000Z" title="Thursday 26 November 2026 at 05:00"' in page
    assert "Thu 19 Nov 2026" in visible_text(page)  # the check-in of 2026-11-20T03:30Z is on the 19th in New York


def test_a_worksheet_shows_its_labels_its_choices_in_words_and_lists_as_lists(shared):
    page = shared["world"].login("s@practice.test").get(f"/families/{shared['family']}").text
    assert "Who will take part, and why them?" in page and "<li>me</li><li>dad</li>" in page
    assert "A quiet one-to-one conversation" in page and "one_to_one" not in visible_text(page)
    assert "['me', 'dad']" not in page and "Your re-approach plan" in page


def test_messages_are_a_thread_per_member_with_a_reply_box_and_a_waiting_count(shared):
    world, family = shared["world"], shared["family"]
    c = world.login("s@practice.test")
    page = c.get(f"/families/{family}").text
    assert "1 unread message" in page and "Waiting for your reply" in page and "Reply to Ana" in page
    assert "not watched around the clock" in page
    r = c.post(f"/families/{family}/message", data={"body": "Yes, Tuesday?", "member_id": shared["ana"]["member_id"],
                                                   "csrf": csrf_of(page)})
    assert "Your message was sent" in r.text and "waiting for your reply" not in r.text
    thread = r.text[r.text.index("Messages with Ana"):]
    assert thread.index("Can we talk this week?") < thread.index("Yes, Tuesday?")


def test_a_message_that_cannot_be_sent_keeps_what_was_typed_and_says_why(shared):
    world, family = shared["world"], shared["family"]
    c = world.login("s@practice.test")
    r = c.post(f"/families/{family}/message", data={"body": "x" * 100_001, "member_id": "",
                                                   "csrf": csrf_of(c.get(f"/families/{family}").text)})
    assert r.status_code == 400 and 'role="alert"' in r.text and "x" * 100_001 in r.text


@pytest.mark.parametrize("raw", ["hello%00", "hello%ED%B3%BF", "hello%FF"])
def test_odd_text_sent_back_to_the_form_never_breaks_the_page(shared, raw):
    world, family = shared["world"], shared["family"]
    c = world.login("s@practice.test")
    csrf = csrf_of(c.get(f"/families/{family}").text)
    for url, body in ((f"/families/{family}/message", f"body={raw}&member_id="),
                      (f"/families/{family}/recommend", f"step_id=made.up&note={raw}&member_id="),
                      (f"/families/{family}/erase", f"confirm={raw}"), ("/families/new", f"name={raw}")):
        r = c.post(url, content=f"{body}&csrf={csrf}", headers={"Content-Type": "application/x-www-form-urlencoded"},
                   follow_redirects=False)
        assert r.status_code in (303, 400), (url, raw, r.status_code)


def test_a_recommendation_is_made_by_choosing_a_step_from_the_content(shared):
    world, family = shared["world"], shared["family"]
    c = world.login("s@practice.test")
    page = c.get(f"/families/{family}").text
    assert '<optgroup label="Preparing a re-approach">' in page and '<option value="reapproach.plan">' in page
    assert "Build your plan one part at a time." not in page  # no preview before a step is chosen
    r = c.post(f"/families/{family}/recommend", data={"step_id": "reapproach.plan", "note": "When you are ready",
                                                     "member_id": "", "csrf": csrf_of(page)})
    assert "Your recommendation was sent" in r.text and "Recommended: <strong>Your re-approach plan</strong>" in r.text
    pulled = world.client.get("/api/v1/sync/pull", headers=auth_headers(shared["ana"]["token"])).json()["changes"]
    rec = [ch for ch in pulled if ch["entity"] == "recommendation"][0]["data"]
    assert (rec["journey_id"], rec["step_id"], rec["note"]) == ("reapproach", "reapproach.plan", "When you are ready")
    bad = c.post(f"/families/{family}/recommend", data={"step_id": "made.up", "note": "keep me", "member_id": "",
                                                       "csrf": csrf_of(page)})
    assert bad.status_code == 400 and "Choose a journey step from the list." in bad.text and "keep me" in bad.text


def test_erasing_what_a_member_shared_asks_first_then_says_what_was_done(shared):
    world, family, ana = shared["world"], shared["family"], shared["ana"]
    c = world.login("s@practice.test")
    page = c.get(f"/families/{family}").text
    assert f'href="/families/{family}/members/{ana["member_id"]}/erase"' in page  # a link to a page, not a button
    ask = c.get(f"/families/{family}/members/{ana['member_id']}/erase").text
    assert "Erase what Ana shared?" in ask and "cannot be undone" in ask and "Cancel, keep everything" in ask
    assert "We had a calm dinner." in c.get(f"/families/{family}").text  # asking erased nothing
    done = c.post(f"/families/{family}/members/{ana['member_id']}/erase", data={"csrf": csrf_of(ask)})
    assert "Everything Ana shared was erased from this server (7 records)" in done.text
    assert "We had a calm dinner." not in done.text


def test_erasing_a_family_asks_for_its_name_and_a_wrong_name_says_so(shared):
    world, family = shared["world"], shared["family"]
    c = world.login("s@practice.test")
    ask = c.get(f"/families/{family}/erase").text
    assert "1 member (Ana)" in ask and "1 paired phone stops syncing" in ask
    wrong = c.post(f"/families/{family}/erase", data={"confirm": "The Burns", "csrf": csrf_of(ask)})
    assert wrong.status_code == 400 and "That is not the family&#39;s name, so nothing was erased." in wrong.text
    assert 'value="The Burns"' in wrong.text and c.get(f"/families/{family}").status_code == 200
    done = c.post(f"/families/{family}/erase", data={"confirm": "The Byrnes", "csrf": csrf_of(ask)})
    assert done.url.path == "/" and "The family was erased" in done.text
    assert c.get(f"/families/{family}").status_code == 404


def test_unpairing_asks_first_and_the_audit_log_names_people_and_phones(shared):
    world, family, ana = shared["world"], shared["family"], shared["ana"]
    c = world.login("s@practice.test")
    ask = c.get(f"/families/{family}/devices/{ana['device_id']}/unpair").text
    assert "Unpair Ana?" in ask and "stops syncing at once" in ask
    done = c.post(f"/families/{family}/devices/{ana['device_id']}/unpair", data={"csrf": csrf_of(ask)})
    assert "Ana&#39;s phone \u201cAna\u201d is unpaired: it can no longer sync" in done.text
    audit = visible_text(c.get(f"/families/{family}/audit").text)
    assert "unpaired a phone" in audit and "paired a phone" in audit
    assert audit.count("Ana's phone \u201cAna\u201d") == 2  # who paired, and what was unpaired


def test_audit_rows_of_an_erased_family_say_a_removed_member(shared):
    world, family = shared["world"], shared["family"]
    world.specialist("boss@practice.test", "Bo")
    from sqlalchemy import update
    with world.engine.begin() as conn:
        conn.execute(update(db.specialists).where(db.specialists.c.email == "boss@practice.test").values(is_admin=True))
    c = world.login("s@practice.test")
    c.post(f"/families/{family}/erase", data={"confirm": "The Byrnes", "csrf": csrf_of(c.get("/").text)})
    text = visible_text(world.login("boss@practice.test").get("/admin/audit").text)
    assert "a removed member" in text and "a removed device" in text and "a removed family" in text
    assert not UUID.search(text) and not ISO.search(text)


def test_a_session_summary_is_a_pdf_of_what_was_shared_in_the_dates_and_is_audited(shared):
    import pypdfium2
    world, family, ana = shared["world"], shared["family"], shared["ana"]
    c = world.login("s@practice.test")
    form = c.get(f"/families/{family}/members/{ana['member_id']}/summary")
    assert form.status_code == 200 and 'type="date"' in form.text
    r = c.get(f"/families/{family}/members/{ana['member_id']}/summary.pdf",
              params={"since": "2026-11-01", "until": "2026-11-30"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    doc = pypdfium2.PdfDocument(r.content)
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Ana (The Byrnes)" in text and "Who will take part, and why them?: me; dad" in text
    assert "Can we talk this week?" in text and "mood Low" in text and "60 of 100" in text
    empty = c.get(f"/families/{family}/members/{ana['member_id']}/summary.pdf",
                  params={"since": "2026-10-01", "until": "2026-10-31"})
    doc = pypdfium2.PdfDocument(empty.content)
    assert "Can we talk this week?" not in " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    bad = c.get(f"/families/{family}/members/{ana['member_id']}/summary.pdf", params={"since": "2026-12-01",
                                                                                     "until": "2026-11-01"})
    assert bad.status_code == 400 and "The first day comes after the last one." in bad.text
    assert "a session summary (PDF)" in visible_text(c.get(f"/families/{family}/audit").text)

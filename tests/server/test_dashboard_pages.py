"""The dashboard's longer records on pages of their own (check-ins, the practice's audit log), the chosen step's
preview, a feedback form that keeps what was typed, and unread messages kept apart from "waiting for your reply"."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid

import pytest
from sqlalchemy import insert

from server import admin, db, humane, pages
from server.settings import Settings
from tests.server.conftest import auth_headers, entry_op, make_world
from tests.server.test_dashboard import csrf_of
from tests.server.test_dashboard_readable import visible_text

DAY0 = dt.datetime(2026, 1, 1, 9, tzinfo=dt.timezone.utc)


@pytest.fixture
def family(tmp_path):
    world = make_world(Settings(data_dir=tmp_path / "server", secret_key="test-secret"))
    world.specialist("s@practice.test", "Sam Rivera")
    family_id = world.family("s@practice.test", "The Byrnes")
    ana = world.pair(family_id, "Ana")
    return {"world": world, "id": family_id, "ana": ana}


def push(world, device: dict, ops: list[dict]) -> None:
    for i in range(0, len(ops), 100):
        r = world.client.post("/api/v1/sync/push", headers=auth_headers(device["token"]), json={"ops": ops[i:i + 100]})
        assert {x["status"] for x in r.json()["results"]} == {"applied"}, r.text


def checkin(n: int) -> dict:
    """The check-in of day n of 2026, its stress and note naming the day so a page can be read back."""
    return {**entry_op(), "entity": "checkin", "data": {
        "mood": 1 + n % 5, "feelings": [], "stress": n % 11, "sleep": 3, "note": f"day {n}", "loved_one_day": None,
        "my_response": [], "created_at": db.iso(DAY0 + dt.timedelta(days=n)), "tz": "UTC"}}


def message(body: str) -> dict:
    return {**entry_op(), "entity": "message", "data": {"body": body, "in_reply_to": None,
                                                       "created_at": db.iso(db.utcnow())}}


def notes(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<pre>day (\d+)</pre>", html)]


# --- check-ins on pages ----------------------------------------------------------------------------------

def test_check_ins_have_pages_of_their_own_newest_first_and_every_one_is_reachable(family):
    world, ana = family["world"], family["ana"]
    push(world, ana, [checkin(n) for n in range(65)])
    c = world.login("s@practice.test")
    page = c.get(f"/families/{family['id']}").text
    checkins_url = f"/families/{family['id']}/members/{ana['member_id']}/checkins"
    assert f'href="{checkins_url}"' in page and "All 65 check-ins from Ana, 30 a page" in page
    assert notes(page) == list(range(64, 64 - pages.CHECKINS_ON_FAMILY_PAGE, -1))  # the family page stays small
    seen, url = [], checkins_url
    for number in (1, 2, 3):
        r = c.get(url)
        assert r.status_code == 200 and f"Page {number} of 3" in r.text
        on_page = notes(r.text)
        assert on_page == sorted(on_page, reverse=True) and len(on_page) == (30 if number < 3 else 5)
        seen += on_page
        older = re.search(r'<a class="button secondary" href="([^"]+)" rel="next">Older</a>', r.text)
        newer = re.search(r'<a class="button secondary" href="([^"]+)" rel="prev">Newer</a>', r.text)
        assert (newer.group(1) if newer else None) == (f"?page={number - 1}" if number > 1 else None)
        if number < 3:
            url = checkins_url + older.group(1)
        else:
            assert older is None
    assert seen == list(range(64, -1, -1))  # all 65, each once, newest first
    assert "Thu 1 Jan 2026" in visible_text(r.text) and "Very low" in r.text  # day 0: mood 1, in words
    assert humane.name_ids("member_checkins", {}) == "a member's check-ins"  # how the audit log names the page
    past = c.get(checkins_url + "?page=99")  # past the end: the last page, not an error or an empty page
    assert past.status_code == 200 and notes(past.text) == list(range(4, -1, -1)) and "Page 3 of 3" in past.text


def test_the_check_in_pages_follow_the_day_written_not_the_order_shared(family):
    world, ana = family["world"], family["ana"]
    order = [n for k in range(5) for n in range(k, 40, 5)]  # 0, 5, 10 ... then 1, 6, 11 ...: a phone back-filling
    push(world, ana, [checkin(n) for n in order])
    c = world.login("s@practice.test")
    url = f"/families/{family['id']}/members/{ana['member_id']}/checkins"
    assert notes(c.get(url).text) == list(range(39, 9, -1)) and notes(c.get(url + "?page=2").text) == list(range(9, -1, -1))


def test_a_member_without_many_check_ins_gets_no_link_to_pages(family):
    world, ana = family["world"], family["ana"]
    push(world, ana, [checkin(n) for n in range(3)])
    page = world.login("s@practice.test").get(f"/families/{family['id']}").text
    assert notes(page) == [2, 1, 0] and "/checkins" not in page


# --- the practice's audit log on pages ----------------------------------------------------------------

def test_the_practice_audit_log_has_pages_that_keep_the_filter_and_the_csv_exports_everything(family):
    world = family["world"]
    admin.create_specialist(world.engine, "boss@practice.test", "Bo Admin", "correct horse battery staple",
                            is_admin=True)
    other = world.family("s@practice.test", "The Others")
    rows = 2 * pages.AUDIT_PAGE + 7
    with world.engine.begin() as conn:  # many entries for the Byrnes, interleaved with the other family's
        for n in range(rows):
            at = db.iso(DAY0 + dt.timedelta(minutes=n))
            conn.execute(insert(db.audit_log).values(at=at, actor="s@practice.test", action="viewed",
                                                     family_id=family["id"], detail=f"check {n}"))
            conn.execute(insert(db.audit_log).values(at=at, actor="s@practice.test", action="viewed",
                                                     family_id=other, detail=f"other {n}"))
    c = world.login("boss@practice.test")
    seen, url = [], f"/admin/audit?family={family['id']}"
    for number in range(1, 10):
        r = c.get(url)
        assert r.status_code == 200
        seen += [int(n) for n in re.findall(r'data-label="Detail">check (\d+)<', r.text)]
        assert "other " not in r.text  # the filter holds on every page
        assert f'href="/admin/audit.csv?family={family["id"]}"' in r.text  # the export is never of one page only
        older = re.search(r'href="([^"]+)" rel="next">Older</a>', r.text)
        if not older:
            break
        assert older.group(1) == f"?family={family['id']}&amp;page={number + 1}"
        url = "/admin/audit" + older.group(1).replace("&amp;", "&")
    assert number == 3 and seen == list(range(rows - 1, -1, -1))
    assert 'rel="prev">Newer</a>' in r.text
    exported = list(csv.reader(io.StringIO(c.get(f"/admin/audit.csv?family={family['id']}").text)))[1:]
    assert sorted(int(r[4].split()[1]) for r in exported if r[4].startswith("check ")) == list(range(rows))
    assert not any(r[4].startswith("other ") for r in exported)
    everything = list(csv.reader(io.StringIO(c.get("/admin/audit.csv").text)))[1:]
    assert len(everything) > 2 * rows > 1000 // 10  # every family, every entry: no cap at one page


def test_the_practice_audit_log_past_its_last_page_says_so(family):
    world = family["world"]
    admin.create_specialist(world.engine, "boss@practice.test", "Bo Admin", "correct horse battery staple",
                            is_admin=True)
    r = world.login("boss@practice.test").get("/admin/audit?page=40")
    assert r.status_code == 200 and "No entries on this page match." in r.text and 'rel="prev"' in r.text


# --- recommending: a preview of the chosen step ---------------------------------------------------------

def test_preview_shows_the_chosen_step_and_keeps_the_form_as_it_was(family):
    world, ana = family["world"], family["ana"]
    c = world.login("s@practice.test")
    page = c.get(f"/families/{family['id']}").text
    assert 'action="/families/' + family["id"] + '/recommend#recommend"' in page
    assert 'name="action" value="preview"' in page
    r = c.post(f"/families/{family['id']}/recommend", data={
        "step_id": "reapproach.look-back", "note": "When you are <ready>", "member_id": ana["member_id"],
        "action": "preview", "csrf": csrf_of(page)})
    assert r.status_code == 200
    box = r.text[r.text.index('id="rec-preview"'):]
    box = box[:box.index("</div>")]
    assert "Looking back to plan ahead" in box and "A lesson to read" in box and "Preparing a re-approach" in box
    assert "Learning, not blaming" in box and "it helps to look calmly at what happened last time" in box
    assert "about 5 minutes" in box and "**" not in box
    assert "Build your plan one part at a time." not in r.text  # only the chosen step, not all of them
    assert '<option value="reapproach.look-back" selected>' in r.text
    assert f'<option value="{ana["member_id"]}" selected>Ana</option>' in r.text
    assert "When you are &lt;ready&gt;</textarea>" in r.text  # kept, escaped
    assert 'aria-describedby="rec-preview"' in r.text
    pulled = world.client.get("/api/v1/sync/pull", headers=auth_headers(ana["token"])).json()["changes"]
    assert not [ch for ch in pulled if ch["entity"] == "recommendation"]  # a preview sends nothing
    nothing = c.post(f"/families/{family['id']}/recommend", data={"step_id": "", "note": "keep", "member_id": "",
                                                                "action": "preview", "csrf": csrf_of(page)})
    assert nothing.status_code == 400 and "Choose a journey step to preview." in nothing.text
    assert "keep</textarea>" in nothing.text


# --- feedback on a plan: an error stays on the page ---------------------------------------------------

@pytest.mark.parametrize("typed, says", [("   ", "The feedback is required."),
                                         ("<b>so much</b> " * 8000, "The feedback")])
def test_feedback_that_cannot_be_sent_keeps_what_was_typed_and_says_why_beside_it(family, typed, says):
    world, ana = family["world"], family["ana"]
    plan_id = str(uuid.uuid4())
    push(world, ana, [{**entry_op(), "entity": "worksheet", "entity_id": plan_id, "data": {
        "journey_id": "reapproach", "step_id": "reapproach.plan", "kind": "reapproach_plan",
        "fields": {"who": "Me"}, "updated_at": "2026-11-26T10:00:00Z"}}])
    c = world.login("s@practice.test")
    page = c.get(f"/families/{family['id']}").text
    assert f'action="/families/{family["id"]}/worksheets/{plan_id}/feedback#ws-{plan_id}"' in page
    r = c.post(f"/families/{family['id']}/worksheets/{plan_id}/feedback", data={"body": typed, "csrf": csrf_of(page)})
    assert r.status_code == 400 and "Your re-approach plan" in r.text  # the family page, not the error page
    error = re.search(rf'<p class="warn" id="fb-{plan_id}-error" role="alert">([^<]+)</p>', r.text)
    assert error and error.group(1).startswith(says)
    field = re.search(rf'<textarea id="fb-{plan_id}"[^>]*>', r.text).group(0)
    assert f'aria-describedby="fb-{plan_id}-error"' in field and 'aria-invalid="true"' in field
    assert r.text.index(f'id="fb-{plan_id}-error"') < r.text.index(f'<textarea id="fb-{plan_id}"')  # beside it
    if typed.strip():
        assert "&lt;b&gt;so much&lt;/b&gt;" in r.text and "<b>so much</b>" not in r.text  # kept, escaped
    pulled = world.client.get("/api/v1/sync/pull", headers=auth_headers(ana["token"])).json()["changes"]
    assert not [ch for ch in pulled if ch["entity"] == "feedback"]
    other = str(uuid.uuid4())
    assert c.post(f"/families/{family['id']}/worksheets/{other}/feedback",
                  data={"body": "", "csrf": csrf_of(page)}).status_code == 404  # not this family's: 404 as before


# --- unread is not "waiting for your reply" -------------------------------------------------------------

def member_line(html: str) -> str:
    """The line under the member's name: where the unread count and "waiting" are said."""
    return visible_text(re.search(r'<p class="muted">Joined .*?</p>', html, re.S).group(0))


def test_unread_counts_messages_not_yet_opened_and_waiting_means_the_last_message_is_theirs(family):
    world, ana, fid = family["world"], family["ana"], family["id"]
    c = world.login("s@practice.test")
    c.get(f"/families/{fid}")  # opened once, before anything was sent
    push(world, ana, [message("Are you there?"), message("Can we talk this week?")])

    listed = visible_text(c.get("/").text)
    assert "2 unread messages" in listed and "Ana sent 2 messages not answered yet" in listed
    opened = c.get(f"/families/{fid}").text
    line = member_line(opened)
    assert "2 unread messages" in line and "Waiting for your reply" in line
    assert opened.count('<span class="flag">Unread</span>') == 2

    # opened: no longer unread, still waiting for a reply
    listed = visible_text(c.get("/").text)
    assert "unread message" not in listed and "Ana sent 2 messages not answered yet" in listed
    again = c.get(f"/families/{fid}").text
    assert "unread" not in member_line(again).lower() and "Waiting for your reply" in member_line(again)
    assert '<span class="flag">Unread</span>' not in again

    # answered: nothing unread, nothing waiting
    c.post(f"/families/{fid}/message", data={"body": "Yes, Tuesday?", "member_id": ana["member_id"],
                                             "csrf": csrf_of(again)})
    answered = c.get(f"/families/{fid}").text
    assert "waiting for your reply" not in answered.lower() and "unread" not in member_line(answered).lower()

    # a new message after the reply: unread again (1), and waiting again
    push(world, ana, [message("Thank you")])
    assert "1 unread message" in visible_text(c.get("/").text)
    latest = c.get(f"/families/{fid}").text
    assert "1 unread message" in member_line(latest) and "Waiting for your reply" in member_line(latest)


def test_a_message_to_the_whole_family_answers_but_another_specialists_visit_does_not_mark_as_read(family):
    world, ana, fid = family["world"], family["ana"], family["id"]
    world.specialist("t@practice.test", "Tess")
    with world.engine.begin() as conn:
        from sqlalchemy import select
        tess = conn.execute(select(db.specialists.c.id).where(db.specialists.c.email == "t@practice.test")).scalar()
        conn.execute(insert(db.family_specialists).values(family_id=fid, specialist_id=tess))
    sam, tess_browser = world.login("s@practice.test"), world.login("t@practice.test")
    push(world, ana, [message("Hello?")])
    tess_browser.get(f"/families/{fid}")  # Tess opened it; for Sam it is still unread
    assert "1 unread message" in visible_text(sam.get("/").text)
    page = sam.get(f"/families/{fid}").text
    sam.post(f"/families/{fid}/message", data={"body": "To all of you", "member_id": "", "csrf": csrf_of(page)})
    assert "Waiting for your reply" not in sam.get(f"/families/{fid}").text


# --- scale: the family page's queries do not grow with what was shared ------------------------------------

def statements_for_family_page(world, family_id: str, c) -> int:
    from sqlalchemy import event
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(world.engine, "before_cursor_execute", count)
    try:
        assert c.get(f"/families/{family_id}").status_code == 200
    finally:
        event.remove(world.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_family_page_reads_with_a_few_queries_per_member_whatever_they_shared(family):
    """No query per journal entry shown (for its revisions) or per member (for their phones): more members add
    at most the two 'newest' reads each (check-ins, journal entries)."""
    world, fid = family["world"], family["id"]
    c = world.login("s@practice.test")

    def share(device: dict, entries: int) -> None:
        push(world, device, [entry_op(body=f"entry {n}") for n in range(entries)] + [checkin(n) for n in range(20)])
    share(family["ana"], 3)
    one = statements_for_family_page(world, fid, c)
    for n in range(4):
        share(world.pair(fid, f"Member {n}"), 3 + n)
    world.pair(fid, "Ana", member_id=family["ana"]["member_id"])  # a second phone
    five = statements_for_family_page(world, fid, c)
    assert five - one <= 2 * 4, (one, five)

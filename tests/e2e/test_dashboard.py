"""The specialist's dashboard in Chromium: sign in, add a family, pair a phone, see what it shares,
answer it; and an axe check of every page (no serious or critical violation)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from tests.e2e.harness import ROOT, SCREENSHOTS, free_port

PASSWORD = "a long dashboard password"


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv"), "REGROUP_SERVER_PORT": str(port),
           "REGROUP_SECRET_KEY": "e2e-secret"}
    env.pop("REGROUP_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "server", "create-specialist", "--email", "sam@practice.test",
                    "--name", "Sam Rivera"], cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=out)
    base, up = f"http://127.0.0.1:{port}", False
    for _ in range(150):
        try:
            up = httpx.get(base + "/api/v1/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            pass
        if up or proc.poll() is not None:
            break
        time.sleep(0.1)
    if not up:  # the server never came up: fail here, not in the browser later
        proc.kill()
        proc.wait(timeout=10)
        pytest.fail(f"the server did not start: {log.read_text(errors='replace')[-2000:]}", pytrace=False)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}.png"), full_page=True)


def op(entity, data, entity_id=None):
    return {"op_id": str(uuid.uuid4()), "entity": entity, "entity_id": entity_id or str(uuid.uuid4()),
            "kind": "upsert", "base_version": 0, "hlc": "2026-11-26T12:00:00.000Z-0001-e2e", "data": data}


def test_specialist_pairs_a_family_member_and_answers_what_they_share(browser, server):
    ctx = browser.new_context(viewport={"width": 412, "height": 915})
    page = ctx.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    violations = {}

    page.goto(server + "/login")
    violations["login"] = axe_serious(page)
    shot(page, "01-login")
    page.get_by_label("Email").fill("sam@practice.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My families").wait_for()
    violations["families-empty"] = axe_serious(page)

    page.get_by_role("link", name="Add a family").click()
    violations["new-family"] = axe_serious(page)
    page.get_by_label("Family name").fill("The O'Briens")
    page.get_by_role("button", name="Add family").click()
    page.get_by_role("heading", name="The O'Briens").wait_for()
    family_url = page.url

    page.get_by_role("button", name="Create pairing code").click()
    code = page.get_by_label("Pairing code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    violations["pairing"] = axe_serious(page)
    shot(page, "02-pairing-code")

    paired = httpx.post(server + "/api/v1/pair", json={"code": code, "device_name": "Siobhan"}).json()
    headers = {"Authorization": f"Bearer {paired['token']}", "Regroup-Protocol": "1"}
    plan_id = str(uuid.uuid4())
    ops = [
        op("journal_entry", {"body": "We had a calm dinner tonight.", "title": "Dinner", "tags": ["hope"],
                             "step_id": None, "created_at": "2026-11-26T19:00:00Z",
                             "updated_at": "2026-11-26T19:00:00Z", "tz": "Europe/Dublin"}),
        op("worksheet", {"journey_id": "reapproach", "step_id": "reapproach.plan", "kind": "reapproach_plan",
                         "fields": {"who": "Me and his sister", "when_where": "Saturday, on a walk",
                                    "format": "one_to_one"}, "updated_at": "2026-11-26T19:05:00Z"}, plan_id),
        *[op("checkin", {"mood": m, "feelings": [], "stress": s, "sleep": 3, "note": None, "loved_one_day": None,
                         "my_response": [], "created_at": f"2026-11-2{i}T20:00:00Z", "tz": "Europe/Dublin"})
          for i, (m, s) in enumerate([(2, 8), (3, 6), (4, 4)])],
    ]
    results = httpx.post(server + "/api/v1/sync/push", json={"ops": ops}, headers=headers).json()["results"]
    assert {r["status"] for r in results} == {"applied"}

    page.goto(family_url)
    page.get_by_text("We had a calm dinner tonight.").wait_for()
    page.get_by_text("Me and his sister").wait_for()
    violations["family"] = axe_serious(page)
    shot(page, "03-family")

    page.get_by_label("Feedback on this worksheet").fill("A walk is a good setting. Who will you call after?")
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_role("textbox", name="Message", exact=True).fill("Thinking of you this week.")
    page.get_by_role("button", name="Send message").click()
    page.get_by_text("Thinking of you this week.").first.wait_for()

    pulled = httpx.get(server + "/api/v1/sync/pull", headers=headers).json()
    assert [(c["entity"], c["data"].get("body")) for c in pulled["changes"]] == [
        ("feedback", "A walk is a good setting. Who will you call after?"), ("message", "Thinking of you this week.")]
    assert pulled["changes"][0]["data"]["worksheet_id"] == plan_id

    page.goto(server + "/")
    page.get_by_text("Siobhan").wait_for()
    violations["families"] = axe_serious(page)
    shot(page, "04-families")
    page.goto(family_url + "/audit")
    violations["audit"] = axe_serious(page)
    shot(page, "05-audit")
    ctx.close()
    assert {k: v for k, v in violations.items() if v} == {}
    assert outside == []


ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def sign_in(page, server):
    page.goto(server + "/login")
    page.get_by_label("Email").fill("sam@practice.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My families").wait_for()


def add_family(page, server, name) -> tuple[str, dict]:
    page.goto(server + "/families/new")
    page.get_by_label("Family name").fill(name)
    page.get_by_role("button", name="Add family").click()
    page.get_by_role("heading", name=name).wait_for()
    url = page.url
    page.get_by_role("button", name="Create pairing code").click()
    code = page.get_by_label("Pairing code").inner_text().strip()
    return url, httpx.post(server + "/api/v1/pair", json={"code": code, "device_name": name.split()[-1]}).json()


def readable(page, what, width):
    """No ISO time or id in what a reader sees, nothing wider than the screen, no serious axe violation."""
    text = page.evaluate("document.body.innerText")
    assert not ISO.search(text) and not UUID.search(text), (what, ISO.search(text) or UUID.search(text))
    assert page.evaluate("document.documentElement.scrollWidth") <= width, what
    assert axe_serious(page) == [], what
    shot(page, f"{width}-{what}")


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_the_family_that_needs_a_call_is_first_and_every_action_asks_first(browser, server, width, height):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    sign_in(page, server)
    calm_url, _ = add_family(page, server, "The Abbotts")
    worried_url, zoe = add_family(page, server, "The Zellers Zoe")
    headers = {"Authorization": f"Bearer {zoe['token']}", "Regroup-Protocol": "1"}
    ops = [op("checkin", {"mood": 1, "feelings": [], "stress": 9, "sleep": 2, "note": None, "loved_one_day": None,
                          "my_response": [], "created_at": f"2026-11-2{i}T20:00:00Z", "tz": "Europe/Dublin"})
           for i in range(3)]
    ops.append(op("worksheet", {"journey_id": "reapproach", "step_id": "reapproach.plan", "kind": "reapproach_plan",
                                "fields": {"who": "Me and his sister", "format": "one_to_one"},
                                "updated_at": "2026-11-26T19:05:00Z"}))
    assert {r["status"] for r in httpx.post(server + "/api/v1/sync/push", json={"ops": ops},
                                            headers=headers).json()["results"]} == {"applied"}

    page.goto(server + "/")
    cards = page.locator("section.card h2").all_inner_texts()
    assert cards[0].startswith("The Zellers Zoe") and cards[1].startswith("The Abbotts")
    page.get_by_text('Zoe felt "Very low" in 3 of their last 3 check-ins').wait_for()
    readable(page, "families", width)
    if width < 600:  # a table is a card of labelled values on a phone
        label = page.evaluate("getComputedStyle(document.querySelector('table.cards td'), '::before').content")
        assert label == '"Member: "'

    page.goto(worried_url)
    page.get_by_text("Who will take part, and why them?").wait_for()
    page.get_by_text("A quiet one-to-one conversation").wait_for()
    readable(page, "family", width)
    page.get_by_label("Journey step").select_option(label="Your re-approach plan")
    page.get_by_label("Note (optional)").fill("When you feel ready.")
    page.get_by_role("button", name="Preview the chosen step").click()  # the same form again, with the step
    page.get_by_text("A worksheet to fill in").wait_for()
    assert page.get_by_label("Note (optional)").input_value() == "When you feel ready."
    readable(page, "recommend-preview", width)
    page.get_by_role("button", name="Send recommendation").click()
    page.get_by_text("Your recommendation was sent").wait_for()
    pulled = httpx.get(server + "/api/v1/sync/pull", headers=headers).json()["changes"]
    assert [(c["data"]["journey_id"], c["data"]["step_id"]) for c in pulled if c["entity"] == "recommendation"] == [
        ("reapproach", "reapproach.plan")]

    page.get_by_role("link", name="Session summary (PDF)").click()
    page.get_by_role("heading", name="Session summary for Zoe").wait_for()
    readable(page, "summary", width)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.go_back()

    page.get_by_role("link", name="Erase what Zoe shared").click()
    page.get_by_role("heading", name="Erase what Zoe shared?").wait_for()
    readable(page, "erase-member", width)
    page.get_by_role("button", name="Erase what Zoe shared").click()
    page.get_by_text("Everything Zoe shared was erased from this server (4 records)").wait_for()

    page.goto(worried_url + "/audit")
    readable(page, "audit", width)

    page.goto(calm_url + "/erase")
    page.get_by_label("Type the family's name, The Abbotts, to confirm").fill("The Abbots")
    page.get_by_role("button", name="Erase family").click()
    page.get_by_text("That is not the family's name, so nothing was erased.").wait_for()
    readable(page, "erase-family", width)
    page.get_by_label("Type the family's name, The Abbotts, to confirm").fill("The Abbotts")
    page.get_by_role("button", name="Erase family").click()
    page.get_by_text("The family was erased").wait_for()
    ctx.close()

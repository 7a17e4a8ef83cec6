"""The dashboard: sign-in, sessions, CSRF, isolation between specialists, and what a family page shows."""

from __future__ import annotations

import html
import json
import re
import uuid

import pytest
from fastapi.testclient import TestClient

from server import admin, queries
from server.settings import Settings
from tests.server.conftest import auth_headers, entry_op, make_world


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture
def two(world):
    """Specialist A with family A (one paired member who shared things), specialist B with family B."""
    world.specialist("a@practice.test", "Dr A")
    world.specialist("b@practice.test", "Dr B")
    fam_a, fam_b = world.family("a@practice.test", "Family A"), world.family("b@practice.test", "Family B")
    member = world.pair(fam_a, "Ana")
    plan = {**entry_op(), "entity": "worksheet", "data": {
        "journey_id": "reapproach", "step_id": "reapproach.plan", "kind": "reapproach_plan",
        "fields": {"who": "Me and his sister"}, "updated_at": "2026-11-26T10:00:00Z"}}
    checkins = [{**entry_op(), "entity": "checkin", "data": {
        "mood": m, "feelings": [], "stress": 5, "sleep": 3, "note": None, "loved_one_day": None, "my_response": [],
        "created_at": f"2026-11-2{i}T10:00:00Z", "tz": "UTC"}} for i, m in enumerate([2, 3, 4])]
    who5 = [{**entry_op(), "entity": "wellbeing", "data": {"items": items, "score": sum(items) * 4,
                                                           "created_at": f"2026-11-2{i}T10:00:00Z", "tz": "UTC"}}
            for i, items in enumerate([[3, 3, 3, 3, 3], [1, 1, 1, 2, 1]])]
    r = world.client.post("/api/v1/sync/push", headers=auth_headers(member["token"]),
                          json={"ops": [entry_op(body="A private entry"), plan, *checkins, *who5]})
    assert all(x["status"] == "applied" for x in r.json()["results"])
    other = world.pair(fam_b, "Bo")
    world.client.post("/api/v1/sync/push", headers=auth_headers(other["token"]), json={"ops": [entry_op()]})
    return {"a": fam_a, "b": fam_b, "member": member, "plan_id": plan["entity_id"], "other": other}


def test_sign_in_sets_a_safe_cookie_and_wrong_password_is_refused(world, two):
    c = TestClient(world.app)
    page = c.get("/login").text
    stamp = re.search(r'name="stamp" value="(\d+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    bad = c.post("/login", data={"email": "a@practice.test", "password": "wrong", "stamp": stamp, "token": token})
    assert bad.status_code == 400 and "do not match" in bad.text
    c = world.login("a@practice.test")
    assert "My families" in c.get("/").text  # signed in
    r = TestClient(world.app).get("/", follow_redirects=False)  # no session: sent to sign in
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_session_cookie_flags(world, two):
    c = TestClient(world.app)
    page = c.get("/login").text
    stamp = re.search(r'name="stamp" value="(\d+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    r = c.post("/login", data={"email": "a@practice.test", "password": "correct horse battery staple",
                               "stamp": stamp, "token": token}, follow_redirects=False)
    header = r.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "secure" in header  # testserver is not loopback
    local = TestClient(world.app, base_url="http://127.0.0.1")
    page = local.get("/login").text
    stamp = re.search(r'name="stamp" value="(\d+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    r = local.post("/login", data={"email": "a@practice.test", "password": "correct horse battery staple",
                                   "stamp": stamp, "token": token}, follow_redirects=False)
    assert "secure" not in r.headers["set-cookie"].lower()


def test_family_list_shows_mood_who5_flag_and_new_items(world, two):
    c = world.login("a@practice.test")
    page = c.get("/").text
    assert "Family A" in page and "Family B" not in page
    assert "WHO-5 at 28 or lower" in page and "24 (down)" in page and "New since you last looked: 7" in page
    c.get(f"/families/{two['a']}")
    assert "New since you last looked: 0" in c.get("/").text


def test_family_page_shows_what_was_shared_plan_first_and_takes_feedback(world, two):
    c = world.login("a@practice.test")
    page = c.get(f"/families/{two['a']}").text
    assert "A private entry" in page and "Your re-approach plan" in page and "Me and his sister" in page
    assert "<svg" in page and 'role="img"' in page
    r = c.post(f"/families/{two['a']}/worksheets/{two['plan_id']}/feedback",
               data={"body": "Good plan. Add a time.", "csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303
    c.post(f"/families/{two['a']}/message", data={"body": "Thinking of you", "member_id": "", "csrf": csrf_of(page)})
    changes = world.client.get("/api/v1/sync/pull", headers=auth_headers(two["member"]["token"])).json()["changes"]
    assert [(ch["entity"], ch["data"].get("body")) for ch in changes] == [
        ("feedback", "Good plan. Add a time."), ("message", "Thinking of you")]
    assert changes[0]["data"]["worksheet_id"] == two["plan_id"] and changes[1]["data"]["sender"] == "Dr A"


def test_forms_without_the_csrf_token_are_refused(world, two):
    c = world.login("a@practice.test")
    r = c.post(f"/families/{two['a']}/message", data={"body": "x", "member_id": "", "csrf": "forged"})
    assert r.status_code == 404
    assert world.client.get("/api/v1/sync/pull", headers=auth_headers(two["member"]["token"])).json()["changes"] == []


def test_pairing_code_page_shows_text_and_qr(world, two):
    c = world.login("a@practice.test")
    csrf = csrf_of(c.get(f"/families/{two['a']}").text)
    page = c.post(f"/families/{two['a']}/pairing-code", data={"member_id": "", "csrf": csrf}).text
    code = re.search(r'class="code"[^>]*>([A-Z0-9-]{14})<', page).group(1)
    assert "<svg" in page and "regroup://pair?server=" in page and f"code={code}" in page
    assert world.client.post("/api/v1/pair", json={"code": code, "device_name": "Cara"}).status_code == 201
    assert "/app/pair?" not in page  # the web app is not served here


def test_a_server_hosting_the_web_app_gives_its_pairing_address_too(tmp_path):
    world = make_world(Settings(data_dir=tmp_path / "server", secret_key="test-secret", serve_app=True,
                                public_url="https://regroup.practice.example"))
    world.specialist("a@practice.test")
    family = admin.add_family(world.engine, "The Byrnes", "a@practice.test")
    c = world.login("a@practice.test")
    csrf = csrf_of(c.get(f"/families/{family}").text)
    page = c.post(f"/families/{family}/pairing-code", data={"member_id": "", "csrf": csrf}).text
    code = re.search(r'class="code"[^>]*>([A-Z0-9-]{14})<', page).group(1)
    assert ('href="https://regroup.practice.example/app/pair?server=https%3A%2F%2Fregroup.practice.example&amp;'
            f'code={code}"') in page


def test_export_and_audit_log_hold_no_surprises(world, two):
    c = world.login("a@practice.test")
    data = c.get(f"/families/{two['a']}/export").json()
    assert {m["name"] for m in data["members"]} == {"Ana"}
    assert {r["entity"] for r in data["records"]} == {"journal_entry", "worksheet", "checkin", "wellbeing"}
    c.get(f"/families/{two['a']}")
    audit = c.get(f"/families/{two['a']}/audit").text
    assert "exported" in audit and "viewed" in audit and "paired" in audit
    rows = [(e["actor"], e["action"], e["detail"]) for e in queries.read(world.engine, queries.audit_entries, two["a"])]
    # a page other than the family's own is named; the family page is the plain "viewed"
    assert {r for r in rows if r[1] in ("viewed", "exported")} == {
        ("a@practice.test", "exported", "export"), ("a@practice.test", "viewed", None),
        ("a@practice.test", "viewed", "audit_log")}
    assert "A private entry" not in audit and "Me and his sister" not in audit


def test_erasing_a_member_sends_notices_and_erasing_the_family_ends_its_devices(world, two):
    c = world.login("a@practice.test")
    page = c.get(f"/families/{two['a']}").text
    c.post(f"/families/{two['a']}/members/{two['member']['member_id']}/erase", data={"csrf": csrf_of(page)})
    changes = world.client.get("/api/v1/sync/pull", headers=auth_headers(two["member"]["token"])).json()["changes"]
    assert len([ch for ch in changes if ch["entity"] == "notice"]) == 7  # one per shared record
    audit = [(e["actor"], e["action"], e["detail"]) for e in queries.read(world.engine, queries.audit_entries, two["a"])]
    assert ("a@practice.test", "erased", f"member {two['member']['member_id']}: 7 records") in audit
    with pytest.raises(admin.NotFound, match="^no member given$"):  # "the whole family" is not a member to erase
        admin.erase_member(world.engine, two["a"], "", "a@practice.test")
    assert "A private entry" not in c.get(f"/families/{two['a']}").text
    wrong = c.post(f"/families/{two['a']}/erase", data={"confirm": "Wrong name", "csrf": csrf_of(page)})
    assert wrong.status_code == 400 and "Wrong name" in wrong.text  # what was typed stays, with the reason
    assert ("That is not the family's name, so nothing was erased. Type it exactly as it is shown above."
            in html.unescape(wrong.text))
    assert c.get(f"/families/{two['a']}").status_code == 200
    c.post(f"/families/{two['a']}/erase", data={"confirm": "Family A", "csrf": csrf_of(page)})
    assert c.get(f"/families/{two['a']}").status_code == 404
    assert world.client.get("/api/v1/sync/pull", headers=auth_headers(two["member"]["token"])).status_code == 401


# --- isolation: walk every route --------------------------------------------------------------

def all_routes(app):
    for route in app.routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            yield from original.routes
        else:
            yield route


def test_every_route_is_known_to_the_isolation_walk(world):
    """A new route must be added to the walk below (or to PUBLIC) so its family check is tested."""
    seen = {(r.path, m) for r in all_routes(world.app) for m in getattr(r, "methods", set()) - {"HEAD"}}
    assert seen == set(WALK) | PUBLIC | set(ADMIN)


PUBLIC = {("/openapi.json", "GET"), ("/api/v1/health", "GET"), ("/api/v1/pair", "POST"), ("/login", "GET"),
          ("/login", "POST"), ("/logout", "POST"), ("/", "GET"), ("/families/new", "GET"), ("/families/new", "POST"),
          ("/api/v1/sync/push", "POST"), ("/api/v1/sync/pull", "GET"), ("/api/v1/device", "DELETE"),
          ("/account", "GET"), ("/account/sessions/end-others", "POST"), ("/static/dashboard.css", "GET"),
          ("/account/password", "POST"), ("/account/2fa/start", "POST"), ("/account/2fa/enable", "POST"),
          ("/account/2fa/disable", "POST")}
ADMIN = {
    ("/admin", "GET"): None, ("/admin/audit", "GET"): None, ("/admin/audit.csv", "GET"): None,
    ("/admin/specialists", "POST"): {"email": "new@practice.test", "name": "New", "password": "a long password"},
    ("/admin/specialists/{specialist_id}/active", "POST"): {"active": "0"},
    ("/admin/specialists/{specialist_id}/active", "GET"): None,
    ("/admin/families/{family_id}/move", "POST"): {"specialist_id": ""},
}


@pytest.mark.parametrize("path, method", sorted(ADMIN))
def test_a_specialist_who_is_not_an_admin_gets_404_for_every_admin_route(world, two, path, method):
    c = world.login("a@practice.test")
    csrf = csrf_of(c.get(f"/families/{two['a']}").text)
    from server import queries
    b = queries.read(world.engine, queries.specialist_by_email, "b@practice.test")
    url = path.format(specialist_id=b.id, family_id=two["b"])
    form = ADMIN[(path, method)]
    r = c.request(method, url, data={**form, "csrf": csrf} if form is not None else None, follow_redirects=False)
    assert r.status_code == 404 and "Dr B" not in r.text and "Family B" not in r.text
    assert world.login("b@practice.test").get(f"/families/{two['b']}").status_code == 200  # still B's
WALK = {
    ("/families/{family_id}", "GET"): {},
    ("/families/{family_id}/audit", "GET"): {},
    ("/families/{family_id}/export", "GET"): {},
    ("/families/{family_id}/pairing-code", "POST"): {"member_id": ""},
    ("/families/{family_id}/devices/{device_id}/unpair", "POST"): {},
    ("/families/{family_id}/message", "POST"): {"body": "x", "member_id": ""},
    ("/families/{family_id}/recommend", "POST"): {"journey_id": "after", "member_id": ""},
    ("/families/{family_id}/worksheets/{entity_id}/feedback", "POST"): {"body": "x"},
    ("/families/{family_id}/members/{member_id}/erase", "POST"): {},
    ("/families/{family_id}/erase", "POST"): {"confirm": "Family B"},
    ("/families/{family_id}/erase", "GET"): {},
    ("/families/{family_id}/members/{member_id}/erase", "GET"): {},
    ("/families/{family_id}/members/{member_id}/journal", "GET"): {},
    ("/families/{family_id}/members/{member_id}/checkins", "GET"): {},
    ("/families/{family_id}/devices/{device_id}/unpair", "GET"): {},
    ("/families/{family_id}/members/{member_id}/summary", "GET"): {},
    ("/families/{family_id}/members/{member_id}/summary.pdf", "GET"): {},
}


@pytest.mark.parametrize("path, method", sorted(WALK))
def test_specialist_a_gets_404_for_every_object_of_family_b(world, two, path, method):
    c = world.login("a@practice.test")
    csrf = csrf_of(c.get(f"/families/{two['a']}").text)
    url = path.format(family_id=two["b"], device_id=two["other"]["device_id"], entity_id=str(uuid.uuid4()),
                      member_id=two["other"]["member_id"])
    r = c.request(method, url, data={**WALK[(path, method)], "csrf": csrf} if method == "POST" else None,
                  follow_redirects=False)
    assert r.status_code == 404, (url, r.status_code)
    assert "Family B" not in r.text and "Bo" not in r.text
    # and family B is untouched
    cb = world.login("b@practice.test")
    assert cb.get(f"/families/{two['b']}").status_code == 200


SECOND_OBJECT = sorted(k for k in WALK if any(p in k[0] for p in ("{device_id}", "{entity_id}", "{member_id}")))


@pytest.mark.parametrize("path, method", SECOND_OBJECT)
def test_family_a_objects_under_family_b_urls_also_get_404(world, two, path, method):
    c = world.login("b@practice.test")
    csrf = csrf_of(c.get(f"/families/{two['b']}").text)
    url = path.format(family_id=two["b"], device_id=two["member"]["device_id"], entity_id=two["plan_id"],
                      member_id=two["member"]["member_id"])
    r = c.request(method, url, data={**WALK[(path, method)], "csrf": csrf} if method == "POST" else None,
                  follow_redirects=False)
    assert r.status_code == 404, (url, r.status_code)


def test_api_with_family_a_token_never_sees_family_b(world, two):
    """Ids of another family's records answer not_owner, never their content (SYNC.md, Errors)."""
    b_entity = json.loads(json.dumps(entry_op()))
    world.client.post("/api/v1/sync/push", headers=auth_headers(two["other"]["token"]), json={"ops": [b_entity]})
    r = world.client.post("/api/v1/sync/push", headers=auth_headers(two["member"]["token"]),
                          json={"ops": [{**entry_op(b_entity["entity_id"]), "base_version": 1}]})
    assert r.json()["results"][0]["status"] == "applied"  # a separate record: ids are scoped by family
    pulled = world.client.get("/api/v1/sync/pull", headers=auth_headers(two["member"]["token"])).json()
    assert pulled["changes"] == []

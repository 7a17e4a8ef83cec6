"""Input made to break the server answers with a code, never a 500 (issue 9, faults 1 to 3), on SQLite
and on PostgreSQL: JSON nested deeper than the parser can recurse, lone surrogates and NUL characters
in keys that are echoed back, and NUL or surrogates in anything the dashboard and the CLI store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server import api
from server.settings import Settings
from tests.server.conftest import PASSWORD, auth_headers, entry_op, make_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def any_world(request, tmp_path_factory):
    """One server per module and database; each test uses its own specialist and family."""
    url = request.getfixturevalue("module_pg_url") if request.param == "postgresql" else None
    w = make_world(Settings(data_dir=tmp_path_factory.mktemp("srv"), secret_key="k", database_url=url))
    w.client = TestClient(w.app, raise_server_exceptions=False)  # a 500 is an answer to check, not a crash
    yield w
    w.engine.dispose()


@pytest.fixture
def email(any_world):
    address = f"sam-{uuid.uuid4().hex[:8]}@practice.test"
    any_world.specialist(address)
    return address


@pytest.fixture
def paired(any_world, email):
    family = any_world.family(email)
    return family, any_world.pair(family)


def nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


def push_raw(world, token, raw: str):
    return world.client.post("/api/v1/sync/push", headers=auth_headers(token), content=raw.encode("utf-8"))


def op_with(entity_id=None, **extra) -> str:
    """An op as JSON text, with raw JSON text spliced in for each extra key."""
    text = json.dumps(entry_op(entity_id))[:-1]
    return text + "".join(f", {json.dumps(k)}: {v}" for k, v in extra.items()) + "}"


# --- fault 1: deep nesting ------------------------------------------------------------------

DEEP = 990  # json.loads raised RecursionError here: a 500


def test_deep_nesting_on_the_unauthenticated_pairing_route_is_malformed_json(any_world):
    r = any_world.client.post("/api/v1/pair", content=nested(DEEP))
    assert r.status_code == 400 and r.json() == {"error": "malformed_json",
                                                 "detail": f"the body nests deeper than {api.MAX_DEPTH} levels"}


@pytest.mark.parametrize("where", ["envelope", "unknown_field", "worksheet_value"])
def test_deep_nesting_in_a_push_is_malformed_json(any_world, paired, where):
    _, device = paired
    raw = {
        "envelope": '{"ops": ' + nested(DEEP, "{}") + "}",
        "unknown_field": '{"ops": [' + op_with(surprise=nested(DEEP)) + "]}",
        "worksheet_value": '{"ops": [' + json.dumps({**entry_op(), "entity": "worksheet", "data": {
            "journey_id": "j", "step_id": "j.s", "kind": "k", "fields": {"who": "REPLACE"},
            "updated_at": "2026-11-26T10:00:00Z"}}).replace('"REPLACE"', nested(DEEP)) + "]}",
    }[where]
    r = push_raw(any_world, device["token"], raw)
    assert r.status_code == 400 and r.json()["error"] == "malformed_json"


def test_the_depth_cap_is_explicit_and_nesting_inside_one_op_is_rejected_alone(any_world, paired):
    _, device = paired
    worksheet = {**entry_op(), "entity": "worksheet", "data": {
        "journey_id": "j", "step_id": "j.s", "kind": "k", "fields": {"who": "REPLACE"},
        "updated_at": "2026-11-26T10:00:00Z"}}
    # body, ops list, op, data, fields: the value can nest 59 more levels before the body passes 64
    at_cap = '{"ops": [' + json.dumps(worksheet).replace('"REPLACE"', nested(api.MAX_DEPTH - 5)) + ", " \
        + json.dumps(entry_op()) + "]}"
    results = push_raw(any_world, device["token"], at_cap).json()["results"]
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["error"]["code"] == "invalid_value" and results[0]["error"]["field"] == "data"
    over = '{"ops": [' + json.dumps(worksheet).replace('"REPLACE"', nested(api.MAX_DEPTH - 4)) + "]}"
    assert push_raw(any_world, device["token"], over).status_code == 400


def test_a_worksheet_list_is_as_deep_as_an_op_may_go(any_world, paired):
    _, device = paired
    op = {**entry_op(), "entity": "worksheet", "data": {"journey_id": "j", "step_id": "j.s", "kind": "k",
                                                       "fields": {"who": ["a", "b"]},
                                                       "updated_at": "2026-11-26T10:00:00Z"}}
    assert push_raw(any_world, device["token"], json.dumps({"ops": [op]})).json()["results"][0]["status"] == "applied"


# --- fault 2: lone surrogates (and NUL) in keys that are echoed ------------------------------------

@pytest.mark.parametrize("key, field", [
    ("k\udc00", "k\\udc00"), ("\ud800", "\\ud800"), ("nul\x00", "nul\\x00"),
])
@pytest.mark.parametrize("place", ["op", "data"])
def test_a_bad_key_is_rejected_once_echoed_escaped_and_replays_answer_the_same(any_world, paired, key, field, place):
    _, device = paired
    op = entry_op()
    (op if place == "op" else op["data"])[key] = 1
    raw = json.dumps({"ops": [op, entry_op()]})  # ensure_ascii: the escapes carry the surrogate and the NUL
    expected_field = field if place == "op" else f"data.{field}"
    for attempt in range(2):
        r = push_raw(any_world, device["token"], raw)
        assert r.status_code == 200, (attempt, r.text)
        first, second = r.json()["results"]
        assert first["status"] == "rejected" and first["error"]["code"] == "unknown_field"
        assert first["error"]["field"] == expected_field
        assert second["status"] == ("applied" if attempt == 0 else "duplicate")


def test_a_rejection_stored_before_escaping_is_escaped_when_replayed(any_world, paired):
    from sqlalchemy import insert
    from server import db
    family, device = paired
    op_id = str(uuid.uuid4())
    with any_world.engine.begin() as conn:  # as 90a2040 stored it: json.dumps escapes, so the row is ASCII
        conn.execute(insert(db.ops).values(family_id=family, op_id=op_id, member_id=device["member_id"],
                                           status="rejected", error=json.dumps(
                                               {"code": "unknown_field", "field": "k\udc00", "detail": "x"})))
    r = push_raw(any_world, device["token"], json.dumps({"ops": [entry_op(op_id=op_id)]}))
    assert r.status_code == 200 and r.json()["results"][0]["error"]["field"] == "k\\udc00"


# --- fault 3: NUL and surrogates in what the dashboard and the CLI store ----------------------------------

def form_csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_sign_in_with_a_nul_in_the_email_is_refused_not_a_500(any_world, email):
    c = TestClient(any_world.app, base_url="http://127.0.0.1", raise_server_exceptions=False,
                   client=(f"198.51.100.{uuid.uuid4().int % 250}", 4000))  # its failures slow no one else
    page = c.get("/login").text
    stamp = re.search(r'name="stamp" value="(\d+)"', page).group(1)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    for email in ("sam%00%40practice.test", "sam%ED%B3%BF%40practice.test", "sam%FF%40practice.test"):
        body = f"email={email}&password={PASSWORD.replace(' ', '+')}&stamp={stamp}&token={token}"
        r = c.post("/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 400 and "do not match" in r.text


@pytest.mark.parametrize("route, form", [
    ("/families/new", {"name": "The\x00Smiths"}),
    ("{family}/message", {"body": "hello\x00", "member_id": ""}),
    ("{family}/message", {"body": "hello", "member_id": "\x00"}),
    ("{family}/recommend", {"journey_id": "after\x00", "member_id": ""}),
    ("{family}/recommend", {"journey_id": "after", "note": "n\x00", "member_id": ""}),
    ("{family}/pairing-code", {"member_id": "x\x00"}),
    ("{family}/erase", {"confirm": "\x00"}),
    ("{family}/worksheets/%00/feedback", {"body": "x"}),
    ("{family}/devices/%00/unpair", {}),
    ("{family}/members/%00/erase", {}),
])
def test_dashboard_forms_with_nul_answer_400_or_404_never_500(any_world, paired, email, route, form):
    family, _ = paired
    c = any_world.login(email, TestClient(any_world.app, base_url="http://127.0.0.1",
                                                        raise_server_exceptions=False))
    csrf = form_csrf(c.get(f"/families/{family}").text)
    r = c.post(route.format(family=f"/families/{family}"), data={**form, "csrf": csrf}, follow_redirects=False)
    assert r.status_code in (303, 400, 404), r.status_code
    assert c.get(f"/families/{family}").status_code == 200  # and the family is still there to see


def test_a_family_path_with_nul_is_404(any_world, email):
    c = any_world.login(email, TestClient(any_world.app, base_url="http://127.0.0.1",
                                                        raise_server_exceptions=False))
    assert c.get("/families/%00").status_code == 404


def test_the_cli_refuses_bad_text_with_a_clear_line(tmp_path):
    env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv")}
    env.pop("REGROUP_DATABASE_URL", None)

    def run(args, stdin=b"a good long password\n"):
        return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=env, input=stdin,
                              capture_output=True)
    bad_name = run([b"create-specialist", b"--email", b"a@x.test", b"--name", b"\xff"])  # a surrogate in argv
    assert bad_name.returncode == 1 and b"The name cannot be used" in bad_name.stderr
    nul_password = run(["create-specialist", "--email", "a@x.test", "--name", "A"], stdin=b"a long pass\x00word\n")
    assert nul_password.returncode == 1 and b"password" in nul_password.stderr
    assert run(["create-specialist", "--email", "a@x.test", "--name", "A"]).returncode == 0
    family = run([b"add-family", b"--name", b"F\xff", b"--specialist", b"a@x.test"])
    assert family.returncode == 1 and b"cannot be used" in family.stderr

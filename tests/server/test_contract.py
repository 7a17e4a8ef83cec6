"""SYNC.md, endpoint by endpoint and error row by error row."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from server import admin, db
from server.settings import Settings
from tests.helpers import DELETE, with_path
from tests.server.conftest import auth_headers, entry_op, make_world, stamp


@pytest.fixture
def fam(world):
    world.specialist("sam@practice.test")
    return world.family("sam@practice.test")


def push(world, token, *ops, raw=None, headers=None):
    return world.client.post("/api/v1/sync/push", headers=headers or auth_headers(token),
                             content=raw if raw is not None else json.dumps({"ops": list(ops)}))


def pull(world, token, since=0, limit=100):
    return world.client.get(f"/api/v1/sync/pull?since={since}&limit={limit}", headers=auth_headers(token))


# --- health and protocol -------------------------------------------------------------

def test_health(world):
    r = world.client.get("/api/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["protocol"] == 1
    assert set(r.json()) == {"status", "version", "protocol", "min_client_version"}


def test_unsupported_protocol_is_checked_first(world):
    r = world.client.post("/api/v1/sync/push", headers={"Regroup-Protocol": "2"}, content="not json")
    assert r.status_code == 400 and r.json()["error"] == "unsupported_protocol"


# --- pairing --------------------------------------------------------------------------------

def test_pairing_with_a_good_code(world, fam):
    code = world.code(fam)
    assert len(code) == 14 and code[4] == code[9] == "-" and not set(code.replace("-", "")) & set("01IO")
    r = world.client.post("/api/v1/pair", json={"code": code.lower().replace("-", " "), "device_name": "Ana"})
    assert r.status_code == 201
    body = r.json()
    assert body["family_id"] == fam and len(body["token"]) >= 40 and set(body) == {
        "device_id", "member_id", "family_id", "token", "server_time"}
    again = world.client.post("/api/v1/pair", json={"code": code, "device_name": "Ana"})
    assert (again.status_code, again.json()) == (400, {"error": "used_code", "detail": "this code was already used"})


@pytest.mark.parametrize("code, error", [("ABCD-EFGH-JKLM", "invalid_code"), ("", "invalid_code")])
def test_wrong_code(world, fam, code, error):
    r = world.client.post("/api/v1/pair", json={"code": code, "device_name": "Ana"})
    assert r.status_code == 400 and r.json() == {"error": error, "detail": "this code is not known"}


def test_expired_code(world, fam):
    code = world.code(fam)
    with world.engine.begin() as conn:
        conn.execute(update(db.pairing_codes).values(expires_at=(dt.datetime.now(dt.timezone.utc) -
                                                                 dt.timedelta(seconds=1)).isoformat()))
    r = world.client.post("/api/v1/pair", json={"code": code, "device_name": "Ana"})
    assert r.status_code == 400 and r.json() == {"error": "expired_code",
                                                 "detail": "this code has expired; ask for a new one"}


def test_a_members_new_phone_keeps_ownership(world, fam):
    first = world.pair(fam, "Ana")
    entity = str(uuid.uuid4())
    assert push(world, first["token"], entry_op(entity)).json()["results"][0]["status"] == "applied"
    second = world.pair(fam, "Ana's new phone", member_id=first["member_id"])
    assert second["member_id"] == first["member_id"] and second["device_id"] != first["device_id"]
    r = push(world, second["token"], entry_op(entity, base_version=1, body="edited on the new phone"))
    assert r.json()["results"][0]["status"] == "applied"


SHAPE = {"error": "invalid_request", "detail": "expected {code, device_name}"}
NAME = {"error": "invalid_request", "detail": "device_name is 1 to 80 characters", "field": "device_name"}
UNKNOWN = {"error": "invalid_code", "detail": "this code is not known"}
LONG_CODE = {"error": "invalid_request", "detail": "the code is at most 100 characters", "field": "code"}


@pytest.mark.parametrize("raw, answer", [
    ({"code": "X"}, SHAPE), ({"device_name": "A"}, SHAPE), ([], SHAPE), ({"code": 1, "device_name": "A"}, SHAPE),
    ({"code": "X", "device_name": None}, SHAPE), ({"code": "X", "device_name": "A", "member": "m"}, SHAPE),
    ({"code": "X", "device_name": ""}, NAME), ({"code": "X", "device_name": "   "}, NAME),
    ({"code": "X", "device_name": "x" * 81}, NAME), ({"code": "X", "device_name": "x" * 80}, UNKNOWN),
    ({"code": "X", "device_name": " " + "x" * 80 + " "}, UNKNOWN),  # the name is read without its outer spaces
    ({"code": "X", "device_name": "A\u0000"}, NAME), ({"code": "X", "device_name": "A\ud800"}, NAME),
    ({"code": "X" * 101, "device_name": "A"}, LONG_CODE), ({"code": "X" * 100, "device_name": "A"}, UNKNOWN),
])
def test_pair_envelope(tmp_path, raw, answer):
    """Each refusal read whole (a fresh server each: five unknown codes from one address would be a 429)."""
    world = make_world(Settings(data_dir=tmp_path / "s", secret_key="k"))
    text = json.dumps(raw)  # ASCII: the NUL and the lone surrogate go as JSON escapes
    r = world.client.post("/api/v1/pair", content=text.encode("ascii"), headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (400 if answer is UNKNOWN else 422, answer)


def test_an_address_that_keeps_failing_gets_429_with_retry_after(world, fam):
    for _ in range(5):
        assert world.client.post("/api/v1/pair", json={"code": "WRONG", "device_name": "x"}).status_code == 400
    good = world.code(fam)
    r = world.client.post("/api/v1/pair", json={"code": good, "device_name": "x"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert r.json() == {"error": "rate_limited", "detail": "too many failed pairings; try again later"}


def test_trusted_proxy_is_honoured_and_untrusted_forwarded_for_ignored(tmp_path):
    world = make_world(Settings(data_dir=tmp_path / "s", secret_key="k",
                                trusted_proxies=(ipaddress.ip_network("127.0.0.0/8"),)))
    world.client = TestClient(world.app, client=("127.0.0.1", 5000))
    world.specialist("a@x.test")
    fam = world.family("a@x.test")
    for _ in range(5):  # five failures from 203.0.113.9 behind the trusted proxy
        world.client.post("/api/v1/pair", json={"code": "NOPE", "device_name": "x"},
                          headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    blocked = world.client.post("/api/v1/pair", json={"code": world.code(fam), "device_name": "x"},
                                headers={"X-Forwarded-For": "203.0.113.9"})
    assert blocked.status_code == 429
    other = world.client.post("/api/v1/pair", json={"code": world.code(fam), "device_name": "x"},
                              headers={"X-Forwarded-For": "203.0.113.10"})
    assert other.status_code == 201
    # Not behind a trusted proxy: the header is whatever the client wrote, and is ignored.
    world.client = TestClient(world.app, client=("192.0.2.50", 5000))
    for _ in range(5):
        world.client.post("/api/v1/pair", json={"code": "NOPE", "device_name": "x"},
                          headers={"X-Forwarded-For": f"10.0.0.{_}"})
    assert world.client.post("/api/v1/pair", json={"code": world.code(fam), "device_name": "x"},
                             headers={"X-Forwarded-For": "10.9.9.9"}).status_code == 429


# --- push ----------------------------------------------------------------------------------

def test_push_applies_and_replay_is_a_duplicate_with_the_first_result(world, fam):
    token = world.pair(fam)["token"]
    op = entry_op()
    first = push(world, token, op).json()["results"][0]
    assert first["status"] == "applied" and first["version"] == 1 and first["seq"] >= 1 and first["error"] is None
    again = push(world, token, op).json()["results"][0]
    assert again == {**first, "status": "duplicate"}


def test_conflict_between_two_phones_of_one_member_keeps_both_texts(world, fam):
    a = world.pair(fam, "Ana")
    b = world.pair(fam, "Ana tablet", member_id=a["member_id"])
    entity = str(uuid.uuid4())
    push(world, a["token"], entry_op(entity, body="v1"))
    r1 = push(world, a["token"], entry_op(entity, base_version=1, body="phone edit", counter=2, device="A"))
    assert r1.json()["results"][0]["version"] == 2
    r2 = push(world, b["token"], entry_op(entity, base_version=1, body="tablet edit",
                                          hlc_time=stamp(5), device="B")).json()["results"][0]
    assert r2["status"] == "conflict" and r2["version"] == 3  # the later hlc is current
    from server import queries
    with world.engine.begin() as conn:
        rec = queries.records_of(conn, fam, "journal_entry")[0]
        revs = queries.revisions_of(conn, fam, entity)
    assert rec["data"]["body"] == "tablet edit" and [r["data"]["body"] for r in revs] == ["phone edit"]
    # An older write arriving late loses, but is kept as a revision too.
    r3 = push(world, a["token"], entry_op(entity, base_version=2, body="late old edit",
                                          hlc_time=stamp(-60))).json()["results"][0]
    assert r3["status"] == "conflict" and r3["version"] == 3
    with world.engine.begin() as conn:
        assert len(queries.revisions_of(conn, fam, entity)) == 2


def test_rejected_ops_do_not_stop_the_batch(world, fam):
    token = world.pair(fam)["token"]
    good, bad = entry_op(), entry_op()
    bad["data"]["mood"] = 3
    results = push(world, token, bad, good).json()["results"]
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["error"]["code"] == "unknown_field" and results[0]["error"]["field"] == "data.mood"


def _mutate(path, value):
    return lambda op: with_path(op, path, DELETE if value is KeyError else value)


@pytest.mark.parametrize("mutate, code, field", [
    (_mutate(("entity",), "diary"), "unknown_entity", "entity"),
    (_mutate(("entity",), "feedback"), "unknown_entity", "entity"),
    (_mutate(("data", "colour"), "red"), "unknown_field", "data.colour"),
    (_mutate(("data", "body"), KeyError), "missing_field", "data.body"),
    (_mutate(("data", "body"), 5), "wrong_type", "data.body"),
    (_mutate(("data", "tags"), "x"), "wrong_type", "data.tags"),
    (_mutate(("data", "title"), "t" * 201), "too_long", "data.title"),
    (_mutate(("data", "body"), "x" * 100_001), "too_long", "data.body"),
    (_mutate(("data", "tags"), ["t"] * 21), "too_long", "data.tags"),
    (_mutate(("data", "body"), "a\x00b"), "invalid_text", "data.body"),
    (_mutate(("data", "body"), "lone \ud800"), "invalid_text", "data.body"),
    (_mutate(("data", "created_at"), "yesterday"), "invalid_value", "data.created_at"),
    (_mutate(("entity_id",), "not-a-uuid"), "invalid_value", "entity_id"),
    (_mutate(("kind",), "merge"), "invalid_value", "kind"),
    (_mutate(("base_version",), "1"), "wrong_type", "base_version"),
    (_mutate(("hlc",), "yesterday"), "invalid_value", "hlc"),
    (_mutate(("surprise",), 1), "unknown_field", "surprise"),
    (_mutate(("data", "body"), "x" * 99_000) , None, None),
])
def test_each_fault_is_rejected_with_its_code_and_field(world, fam, mutate, code, field):
    token = world.pair(fam)["token"]
    op = mutate(entry_op())
    r = push(world, token, op, raw=json.dumps({"ops": [op]}))  # escapes carry NUL and lone surrogates
    assert r.status_code == 200
    result = r.json()["results"][0]
    if code is None:
        assert result["status"] == "applied"
    else:
        assert result["status"] == "rejected" and result["error"]["code"] == code and result["error"]["field"] == field


@pytest.mark.parametrize("entity, data, ok", [
    ("checkin", {"mood": 3, "feelings": ["hope"], "stress": 4, "sleep": None, "note": None, "loved_one_day": "use",
                 "my_response": [], "created_at": "2026-11-26T10:00:00Z", "tz": "UTC"}, True),
    ("checkin", {"mood": 6, "feelings": [], "stress": None, "sleep": None, "note": None, "loved_one_day": None,
                 "my_response": [], "created_at": "2026-11-26T10:00:00Z", "tz": "UTC"}, False),
    ("wellbeing", {"items": [1, 2, 3, 4, 5], "score": 60, "created_at": "2026-11-26T10:00:00Z", "tz": "UTC"}, True),
    ("wellbeing", {"items": [1, 2, 3, 4, 5], "score": 61, "created_at": "2026-11-26T10:00:00Z", "tz": "UTC"}, False),
    ("worksheet", {"journey_id": "reapproach", "step_id": "reapproach.plan", "kind": "reapproach_plan",
                   "fields": {"who": "me", "n": 3, "l": ["a"], "x": None}, "updated_at": "2026-11-26T10:00:00Z"}, True),
    ("worksheet", {"journey_id": "r", "step_id": "r.p", "kind": "k", "fields": {"who": {"nested": 1}},
                   "updated_at": "2026-11-26T10:00:00Z"}, False),
    ("journey_progress", {"journey_id": "after", "step_id": "after.debrief", "status": "completed",
                          "completed_count": 1, "updated_at": "2026-11-26T10:00:00Z"}, True),
    ("message", {"body": "Thank you", "in_reply_to": None, "created_at": "2026-11-26T10:00:00Z"}, True),
])
def test_every_entity_of_the_contract(world, fam, entity, data, ok):
    token = world.pair(fam)["token"]
    op = {**entry_op(), "entity": entity, "data": data}
    assert (push(world, token, op).json()["results"][0]["status"] == "applied") is ok


def test_another_members_record_is_not_owner(world, fam):
    a, b = world.pair(fam, "Ana"), world.pair(fam, "Ben")
    entity = str(uuid.uuid4())
    push(world, a["token"], entry_op(entity))
    r = push(world, b["token"], entry_op(entity, base_version=1)).json()["results"][0]
    assert r["status"] == "rejected" and r["error"]["code"] == "not_owner"


def test_an_op_id_used_by_another_member_is_taken(world, fam):
    a, b = world.pair(fam, "Ana"), world.pair(fam, "Ben")
    op = entry_op()
    push(world, a["token"], op)
    r = push(world, b["token"], {**op, "entity_id": str(uuid.uuid4())}).json()["results"][0]
    assert r == {"op_id": op["op_id"], "status": "rejected", "version": None, "seq": None, "error": {
        "code": "op_id_taken", "field": "op_id", "detail": "this op_id was used by another member"}}
    # Nothing of Ben's was written under it, and Ana's answer for it is still her own.
    again = push(world, a["token"], op).json()["results"][0]
    assert again["status"] == "duplicate" and again["version"] == 1


def test_upsert_after_delete_is_rejected_and_delete_erases_content(world, fam):
    token = world.pair(fam)["token"]
    entity = str(uuid.uuid4())
    push(world, token, entry_op(entity, body="secret"))
    d = push(world, token, {**entry_op(entity), "kind": "delete", "data": None, "base_version": 1}).json()["results"][0]
    assert d["status"] == "applied" and d["version"] == 2
    r = push(world, token, entry_op(entity, base_version=2)).json()["results"][0]
    assert r["error"]["code"] == "deleted"
    assert "secret" not in json.dumps(admin.export_family(world.engine, fam, "test"))


def test_revoke_then_share_again_only_from_a_phone_that_knows(world, fam):
    a = world.pair(fam, "Ana")
    b = world.pair(fam, "Ana 2", member_id=a["member_id"])
    entity = str(uuid.uuid4())
    push(world, a["token"], entry_op(entity))
    rv = push(world, a["token"], {**entry_op(entity), "kind": "revoke", "data": None}).json()["results"][0]
    stale = push(world, b["token"], entry_op(entity, base_version=1, body="old phone")).json()["results"][0]
    assert stale["error"]["code"] == "revoked"
    again = push(world, a["token"], entry_op(entity, base_version=rv["version"])).json()["results"][0]
    assert again["status"] == "applied"


# --- pull -------------------------------------------------------------------------------------

def test_pull_gives_only_what_this_device_may_receive(world, fam):
    a, b = world.pair(fam, "Ana"), world.pair(fam, "Ben")
    push(world, a["token"], entry_op())  # never comes back to anyone
    admin.send_message(world.engine, fam, None, "to all", "Sam", "t")
    admin.send_message(world.engine, fam, b["member_id"], "to Ben", "Sam", "t")
    late = world.pair(fam, "Cara")  # joined after the family message
    bodies = {n: [c["data"]["body"] for c in pull(world, t["token"]).json()["changes"]]
              for n, t in (("a", a), ("b", b), ("late", late))}
    assert bodies == {"a": ["to all"], "b": ["to all", "to Ben"], "late": []}


def test_paging_has_more_and_a_quiet_cursor_moves_on(world, fam):
    a = world.pair(fam)
    for i in range(5):
        admin.recommend(world.engine, fam, None, "after", None, str(i), "t")
    page = pull(world, a["token"], limit=2).json()
    assert len(page["changes"]) == 2 and page["has_more"] and page["next_cursor"] == page["changes"][-1]["seq"]
    rest = pull(world, a["token"], since=page["next_cursor"], limit=10).json()
    assert [c["data"]["note"] for c in rest["changes"]] == ["2", "3", "4"] and not rest["has_more"]
    push(world, a["token"], entry_op(), entry_op())  # the family moves on with nothing for this device
    quiet = pull(world, a["token"], since=rest["next_cursor"]).json()
    assert quiet["changes"] == [] and quiet["next_cursor"] > rest["next_cursor"]


def test_old_or_future_cursor_is_410_and_zero_is_always_allowed(world, fam):
    a = world.pair(fam)
    push(world, a["token"], entry_op())
    assert pull(world, a["token"], since=99).status_code == 410
    assert pull(world, a["token"], since=99).json() == {"error": "resync_required", "detail": "pull again from 0"}
    with world.engine.begin() as conn:
        conn.execute(update(db.families).values(purged_seq=1, latest_seq=5))
    assert pull(world, a["token"], since=0).status_code == 200


@pytest.mark.parametrize("query, detail", [("since=-1", "since is not negative; limit is from 1 to 500"),
                                           ("limit=0", "since is not negative; limit is from 1 to 500"),
                                           ("limit=501", "since is not negative; limit is from 1 to 500"),
                                           ("since=abc", "since and limit are whole numbers"),
                                           ("since=0&cursor=9", "pull takes since and limit only")])
def test_pull_envelope(world, fam, query, detail):
    token = world.pair(fam)["token"]
    r = world.client.get(f"/api/v1/sync/pull?{query}", headers=auth_headers(token))
    assert r.status_code == 422 and r.json() == {"error": "invalid_request", "detail": detail}


# --- unpair and erase ---------------------------------------------------------------------------

def test_unpair_stops_the_token_at_once_and_is_audited(world, fam):
    a = world.pair(fam)
    assert world.client.delete("/api/v1/device", headers=auth_headers(a["token"])).status_code == 204
    assert pull(world, a["token"]).status_code == 401
    b = world.pair(fam, "Ben")
    push(world, b["token"], entry_op())
    assert world.client.delete("/api/v1/device?erase=true", headers=auth_headers(b["token"])).status_code == 204
    from server import queries
    entries = [(e["actor"], e["action"], e["detail"]) for e in queries.read(world.engine, queries.audit_entries, fam)]
    assert (f"device {a['device_id']}", "unpaired", f"member {a['member_id']}") in entries
    assert (f"device {b['device_id']}", "erased", f"member {b['member_id']}: 1 records") in entries
    assert (f"device {b['device_id']}", "unpaired", f"member {b['member_id']}") in entries


@pytest.mark.parametrize("query, erased", [("", False), ("?erase=false", False), ("?erase=0", False),
                                           ("?erase=true", True), ("?erase=1", True), ("?erase=TRUE", True)])
def test_unpairing_erases_what_was_shared_only_when_asked(world, fam, query, erased):
    a = world.pair(fam)
    push(world, a["token"], entry_op(body="words shared before unpairing"))
    assert world.client.delete(f"/api/v1/device{query}", headers=auth_headers(a["token"])).status_code == 204
    assert pull(world, a["token"]).status_code == 401
    kept = "words shared before unpairing" in json.dumps(admin.export_family(world.engine, fam, "test"))
    assert kept is not erased


@pytest.mark.parametrize("query", ["?erase=yes", "?erase=", "?erase=2", "?wipe=true", "?erase=true&also=1"])
def test_an_unpairing_with_a_query_it_does_not_know_changes_nothing(world, fam, query):
    a = world.pair(fam)
    push(world, a["token"], entry_op(body="words shared"))
    r = world.client.delete(f"/api/v1/device{query}", headers=auth_headers(a["token"]))
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    assert r.json()["detail"] in ("unpairing takes erase only", "erase is true or false")
    assert pull(world, a["token"]).status_code == 200  # still paired
    assert "words shared" in json.dumps(admin.export_family(world.engine, fam, "test"))


def test_unpair_with_erase_tombstones_and_tells_the_other_phone(world, fam):
    a = world.pair(fam, "Ana")
    b = world.pair(fam, "Ana 2", member_id=a["member_id"])
    entity = str(uuid.uuid4())
    push(world, a["token"], entry_op(entity, body="private words"))
    assert world.client.delete("/api/v1/device?erase=true", headers=auth_headers(a["token"])).status_code == 204
    notices = [c for c in pull(world, b["token"]).json()["changes"] if c["entity"] == "notice"]
    assert [n["data"] for n in notices] == [{"kind": "erased", "entity": "journal_entry", "entity_id": entity}]
    r = push(world, b["token"], entry_op(entity, base_version=2)).json()["results"][0]
    assert r["error"]["code"] == "erased"
    assert "private words" not in json.dumps(admin.export_family(world.engine, fam, "test"))


def test_specialist_erasing_the_family_gives_its_devices_401(world, fam):
    a = world.pair(fam)
    push(world, a["token"], entry_op(body="words"))
    admin.erase_family(world.engine, fam, "sam")
    assert pull(world, a["token"]).status_code == 401
    assert push(world, a["token"], entry_op()).status_code == 401


# --- input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, status, code", [
    ("{not json", 400, "malformed_json"), (b"\xff\xfe", 400, "malformed_json"),
    ("{}", 422, "invalid_request"), ('{"ops": []}', 422, "invalid_request"),
    (json.dumps({"ops": [{"entity": "x"}]}), 422, "invalid_request"), ('{"ops": "x"}', 422, "invalid_request"),
    (json.dumps({"ops": [{"op_id": str(i)} for i in range(101)]}), 422, "invalid_request"),
    ("[1, 2]", 422, "invalid_request"),
])
def test_malformed_input_never_500(world, fam, raw, status, code):
    token = world.pair(fam)["token"]
    r = push(world, token, raw=raw)
    assert r.status_code == status and r.json()["error"] == code


@pytest.mark.parametrize("op_id, ok", [("", False), ("a", True), ("x" * 100, True), ("x" * 101, False),
                                        ("\x00abc", False), ("ab\x00", False), ("\ud800", False), (7, False)])
def test_an_op_id_is_text_of_1_to_100_characters_without_nul_or_a_lone_surrogate(world, fam, op_id, ok):
    token = world.pair(fam)["token"]
    r = push(world, token, {**entry_op(), "op_id": op_id})
    if ok:
        assert r.status_code == 200 and r.json()["results"][0]["op_id"] == op_id
    else:
        assert r.status_code == 422 and r.json() == {
            "error": "invalid_request", "detail": "every op needs an op_id (text, 1 to 100 characters)",
            "field": "ops[0].op_id"}


def test_a_push_that_is_not_a_list_of_ops_says_what_is_expected(world, fam):
    token = world.pair(fam)["token"]
    for raw in ('{"ops": []}', '{"ops": {}}', json.dumps({"ops": [entry_op()], "more": 1})):
        r = push(world, token, raw=raw)
        assert r.status_code == 422 and r.json() == {"error": "invalid_request", "detail": "expected {ops: [1 to 100 ops]}"}


def test_body_over_1_mib_is_413_and_auth_comes_first(world, fam):
    token = world.pair(fam)["token"]
    big = json.dumps({"ops": [entry_op(body="x" * 1_100_000)]})
    assert push(world, token, raw=big).status_code == 413
    assert push(world, "bad-token", raw=big).status_code == 401


def test_one_op_over_512_kib_is_rejected_alone(world, fam):
    token = world.pair(fam)["token"]
    huge = entry_op()
    huge["data"]["body"] = "x" * 600_000  # too long as text as well; the size is checked first
    results = push(world, token, huge, entry_op(), raw=json.dumps({"ops": [huge, entry_op()]})).json()
    assert results["results"][0]["error"]["code"] == "too_large" and results["results"][1]["status"] == "applied"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_no_token_or_unknown_token_is_401(world, headers):
    r = world.client.get("/api/v1/sync/pull", headers=headers)
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"


def test_a_real_token_counts_only_as_a_bearer_token(world, fam):
    token = world.pair(fam)["token"]
    for header in (f"Basic {token}", token, f"Token {token}", f"Bearer{token}", f"{token} Bearer", "Bearer ", "Bearer"):
        r = world.client.get("/api/v1/sync/pull", headers={"Authorization": header})
        assert r.status_code == 401 and r.json() == {"error": "unauthorized", "detail": "no valid device token; pair again"}
    for header in (f"Bearer {token}", f"bearer {token}", f"BEARER  {token} "):  # the scheme in any case, spaces around
        assert world.client.get("/api/v1/sync/pull", headers={"Authorization": header}).status_code == 200


def test_a_device_making_120_requests_a_minute_is_always_served(world, fam):
    token = world.pair(fam)["token"]
    statuses = {pull(world, token).status_code for _ in range(120)}
    assert statuses == {200}


def test_unknown_api_path_is_json_404(world):
    r = world.client.get("/api/v1/nothing")
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_expired_notices_are_purged_and_an_older_cursor_must_resync(world, fam):
    a = world.pair(fam, "Ana")
    b = world.pair(fam, "Ana 2", member_id=a["member_id"])
    push(world, a["token"], entry_op())
    world.client.delete("/api/v1/device?erase=true", headers=auth_headers(a["token"]))
    with world.engine.begin() as conn:
        conn.execute(update(db.changes).where(db.changes.c.direction == "notice")
                     .values(created_at="2020-01-01T00:00:00.000Z"))
    assert admin.purge_notices(world.engine, 180) == 1
    assert pull(world, b["token"], since=1).status_code == 410
    fresh = pull(world, b["token"], since=0).json()
    assert fresh["changes"] == [] and fresh["next_cursor"] >= 3

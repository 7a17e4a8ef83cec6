"""Lines that lose data or let someone in, each held by a test that fails when the line breaks (issue 17):
limits at their edges, rate limits through the real routes, replays, pairing codes and the clock,
hybrid clocks from the future, and erasure checked in the database itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import String, Text, select

from server import admin, db
from server.settings import Settings
from tests.server.conftest import auth_headers, entry_op, make_world, stamp
from tests.server.test_limits import REDIS, an_address, redis_or_skip


@pytest.fixture
def device(world):
    world.specialist("sam@practice.test")
    family = world.family("sam@practice.test")
    return {**world.pair(family), "family": family}


def push(world, token, *ops, raw=None):
    return world.client.post("/api/v1/sync/push", headers=auth_headers(token),
                             content=raw if raw is not None else json.dumps({"ops": list(ops)}))


def status_of(world, token, op) -> str:
    return push(world, token, op).json()["results"][0]["status"]


def checkin(mood=3, stress=None) -> dict:
    return {**entry_op(), "entity": "checkin", "data": {
        "mood": mood, "feelings": [], "stress": stress, "sleep": None, "note": None, "loved_one_day": None,
        "my_response": [], "created_at": "2026-01-01T10:00:00Z", "tz": "UTC"}}


def wellbeing(items) -> dict:
    return {**entry_op(), "entity": "wellbeing", "data": {"items": items, "score": sum(items) * 4,
                                                          "created_at": "2026-01-01T10:00:00Z", "tz": "UTC"}}


# --- limits at their edges ---------------------------------------------------------------------

@pytest.mark.parametrize("mood, ok", [(0, False), (1, True), (5, True), (6, False)])
def test_mood_edges(world, device, mood, ok):
    assert (status_of(world, device["token"], checkin(mood)) == "applied") is ok


@pytest.mark.parametrize("stress, ok", [(-1, False), (0, True), (10, True), (11, False)])
def test_stress_edges(world, device, stress, ok):
    assert (status_of(world, device["token"], checkin(stress=stress)) == "applied") is ok


@pytest.mark.parametrize("items, ok", [([0] * 5, True), ([5] * 5, True), ([5, 5, 5, 5, 6], False),
                                       ([0, 0, 0, 0, -1], False)])
def test_wellbeing_score_edges_0_and_100(world, device, items, ok):
    assert (status_of(world, device["token"], wellbeing(items)) == "applied") is ok


@pytest.mark.parametrize("length, code", [(100_000, None), (100_001, "too_long")])
def test_text_of_exactly_100000_characters_is_accepted_and_one_more_refused(world, device, length, code):
    result = push(world, device["token"], entry_op(body="é" * length)).json()["results"][0]
    assert (result["error"] or {}).get("code") == code


@pytest.mark.parametrize("count, status", [(100, 200), (101, 422)])
def test_100_ops_are_accepted_and_101_refused(world, device, count, status):
    r = push(world, device["token"], *[entry_op() for _ in range(count)])
    assert r.status_code == status
    if status == 200:
        assert {x["status"] for x in r.json()["results"]} == {"applied"} and len(r.json()["results"]) == 100


@pytest.mark.parametrize("limit, status", [(1, 200), (500, 200), (501, 422), (0, 422)])
def test_pull_limit_edges(world, device, limit, status):
    r = world.client.get(f"/api/v1/sync/pull?limit={limit}", headers=auth_headers(device["token"]))
    assert r.status_code == status


@pytest.mark.parametrize("size, status", [(1024 * 1024, 400), (1024 * 1024 + 1, 413)])
def test_a_chunked_body_just_over_1_mib_is_refused(world, device, size, status):
    def chunks():  # no Content-Length: the server must count what arrives
        sent = 0
        while sent < size:
            piece = b" " * min(64 * 1024, size - sent)
            sent += len(piece)
            yield piece
    r = world.client.post("/api/v1/sync/push", headers=auth_headers(device["token"]), content=chunks())
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == status  # 1 MiB of spaces is not JSON (400); one byte more is too large (413)
    assert r.json() == ({"error": "too_large", "detail": "the body is over 1 MiB"} if status == 413 else
                        {"error": "malformed_json", "detail": "the body is not valid JSON"})


# --- rate limits through the real routes -----------------------------------------------------

@pytest.mark.parametrize("declared, status, read", [(1024 * 1024, 422, True), (1024 * 1024 + 1, 413, False)])
def test_a_body_declared_over_1_mib_is_refused_before_any_of_it_is_read(world, declared, status, read):
    """A Content-Length over the limit is answered at once: the server does not take in a megabyte to refuse
    it (straight through ASGI, to see whether the body was asked for)."""
    asked, sent = [], []

    async def receive():
        asked.append(True)
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        sent.append(message)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/v1/pair", "raw_path": b"/api/v1/pair", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                         (b"content-length", str(declared).encode()), (b"regroup-protocol", b"1")],
             "client": ("192.0.2.7", 5000), "server": ("testserver", 80)}
    asyncio.run(world.app(scope, receive, send))
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == status
    assert bool(asked) is read
    assert json.loads(sent[1]["body"]) == ({"error": "too_large", "detail": "the body is over 1 MiB"} if not read else
                                           {"error": "invalid_request", "detail": "expected {code, device_name}"})


@pytest.fixture(params=["memory", "database", "redis"])
def limited(request, tmp_path):
    """A server whose devices may make 5 requests a minute, with each kind of limit store."""
    url = request.getfixturevalue("pg_url") if request.param == "database" else None
    if request.param == "redis":
        redis_or_skip()
    w = make_world(Settings(data_dir=tmp_path / "s", secret_key="k", device_limit="5/minute", database_url=url,
                            redis_url=REDIS if request.param == "redis" else None))
    # Redis's pairing window (15 minutes) outlives a test: pair from an address no other test or run has used
    w.client = TestClient(w.app, client=(an_address(), 5000))
    w.specialist("sam@practice.test")
    yield w, w.pair(w.family("sam@practice.test"))
    w.engine.dispose()


def test_a_device_past_its_limit_gets_429_with_retry_after_from_the_routes(limited):
    world, device = limited
    answers = [push(world, device["token"], entry_op()) if i % 2 else
               world.client.get("/api/v1/sync/pull", headers=auth_headers(device["token"])) for i in range(6)]
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    # the window is a minute and every hit is seconds old: the wait is most of a minute, never 0
    assert answers[-1].json() == {"error": "rate_limited", "detail": "too many requests from this device"}
    assert 50 <= int(answers[-1].headers["Retry-After"]) <= 61
    other = world.pair(world.family("sam@practice.test", "Others"))
    assert world.client.get("/api/v1/sync/pull", headers=auth_headers(other["token"])).status_code == 200


# --- replays ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["unknown_field", "too_long", "not_owner", "deleted"])
def test_a_rejected_op_replayed_is_rejected_again_with_the_same_code(world, device, fault):
    op = entry_op()
    if fault == "unknown_field":
        op["data"]["colour"] = "red"
    elif fault == "too_long":
        op["data"]["title"] = "t" * 201
    elif fault == "deleted":  # a rejection without a field
        push(world, device["token"], {**entry_op(op["entity_id"]), "kind": "delete", "data": None})
    else:
        other = world.pair(device["family"], "Ben")
        push(world, other["token"], {**entry_op(op["entity_id"])})
    first = push(world, device["token"], op).json()["results"][0]
    again = push(world, device["token"], op).json()["results"][0]
    assert first["status"] == again["status"] == "rejected" and again == first
    assert first["error"]["code"] == fault


# --- pairing codes and the clock ------------------------------------------------------------------

@pytest.mark.parametrize("minutes_later, answer", [(14.9, 201), (15.1, 400)])
def test_a_code_is_refused_after_15_minutes(world, device, monkeypatch, minutes_later, answer):
    code = world.code(device["family"])
    later = db.utcnow() + dt.timedelta(minutes=minutes_later)
    monkeypatch.setattr(db, "utcnow", lambda: later)
    r = world.client.post("/api/v1/pair", json={"code": code, "device_name": "Late"})
    assert r.status_code == answer and (answer == 201 or r.json()["error"] == "expired_code")


@pytest.mark.parametrize("after, answer", [(dt.timedelta(minutes=15), 201),
                                           (dt.timedelta(minutes=15, microseconds=1), 400)])
def test_a_code_pairs_up_to_its_15th_minute_exactly(world, device, monkeypatch, after, answer):
    made = db.utcnow()
    monkeypatch.setattr(db, "utcnow", lambda: made)
    code = world.code(device["family"])
    monkeypatch.setattr(db, "utcnow", lambda: made + after)
    r = world.client.post("/api/v1/pair", json={"code": code, "device_name": "On time"})
    assert r.status_code == answer and (answer == 201 or r.json()["error"] == "expired_code")


def test_a_code_for_a_member_of_another_family_cannot_pair_into_this_one(world, device):
    other_family = world.family("sam@practice.test", "Other")
    with pytest.raises(admin.NotFound):
        admin.create_pairing_code(world.engine, other_family, device["member_id"], "test")
    c = world.login("sam@practice.test")
    page = c.get(f"/families/{other_family}").text
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    r = c.post(f"/families/{other_family}/pairing-code", data={"member_id": device["member_id"], "csrf": csrf})
    assert r.status_code == 404
    # and a code row that names such a member (made before this check, or by hand) does not pair
    from sqlalchemy import insert
    from server.sync import sha256
    with world.engine.begin() as conn:
        conn.execute(insert(db.pairing_codes).values(
            code_hash=sha256("ABCDEFGHJKLM"), family_id=other_family, member_id=device["member_id"],
            created_at=db.now(), expires_at=(db.utcnow() + dt.timedelta(minutes=5)).isoformat()))
    r = world.client.post("/api/v1/pair", json={"code": "ABCD-EFGH-JKLM", "device_name": "Intruder"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_code"


def test_making_a_pairing_code_is_audited_against_its_family_and_member(world, device):
    """Who made a code, for which family and whether for a new member or a phone of a named one: the audit
    log is how a practice finds a code it did not expect."""
    world.code(device["family"])
    admin.create_pairing_code(world.engine, device["family"], device["member_id"], "sam@practice.test")
    with world.engine.begin() as conn:
        rows = conn.execute(select(db.audit_log.c.family_id, db.audit_log.c.actor, db.audit_log.c.detail)
                            .where(db.audit_log.c.action == "pairing_code").order_by(db.audit_log.c.id)).all()
    assert [tuple(r) for r in rows][-2:] == [
        (device["family"], "test", "for a new member"),
        (device["family"], "sam@practice.test", f"for member {device['member_id']}")]


def test_pairing_gives_a_256_bit_token_and_is_audited_as_the_device(world, device):
    family = world.family("sam@practice.test", "Audited")
    paired = world.pair(family, "Ana phone")
    assert len(paired["token"]) == 43 and re.fullmatch(r"[A-Za-z0-9_-]+", paired["token"])  # 32 bytes, base64url
    with world.engine.begin() as conn:
        rows = conn.execute(select(db.audit_log.c.actor, db.audit_log.c.action, db.audit_log.c.detail)
                            .where(db.audit_log.c.family_id == family).order_by(db.audit_log.c.id)).all()
    assert (f"device {paired['device_id']}", "paired", f"member {paired['member_id']}") in [tuple(r) for r in rows]


# --- hybrid clocks --------------------------------------------------------------------------------

def test_an_hlc_more_than_5_minutes_ahead_counts_as_the_servers_time(world, device, monkeypatch):
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(db, "utcnow", lambda: now)
    tablet = world.pair(device["family"], "Tablet", member_id=device["member_id"])
    entity = str(uuid.uuid4())
    ahead = db.iso(now + dt.timedelta(minutes=10))  # a phone whose clock runs 10 minutes fast
    assert status_of(world, device["token"], entry_op(entity, body="fast clock", hlc_time=ahead, device="A")) \
        == "applied"
    near = db.iso(now + dt.timedelta(minutes=1))  # within 5 minutes: taken as it is, so it is the later write
    result = push(world, tablet["token"], entry_op(entity, body="honest clock", hlc_time=near, device="B")
                  ).json()["results"][0]
    assert result["status"] == "conflict" and result["version"] == 2  # the honest write won
    with world.engine.begin() as conn:
        current = conn.execute(select(db.records.c.data).where(db.records.c.entity_id == entity)).scalar()
    assert json.loads(current)["body"] == "honest clock"


@pytest.mark.parametrize("ahead, clamped", [(dt.timedelta(minutes=5), False),
                                            (dt.timedelta(minutes=5, seconds=1), True),
                                            (dt.timedelta(minutes=5, seconds=50), True)])
def test_the_5_minute_edge_of_the_hlc_rule(world, device, monkeypatch, ahead, clamped):
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(db, "utcnow", lambda: now)
    tablet = world.pair(device["family"], "Tablet", member_id=device["member_id"])
    entity = str(uuid.uuid4())
    push(world, device["token"], entry_op(entity, body="ahead", hlc_time=db.iso(now + ahead), device="A"))
    result = push(world, tablet["token"], entry_op(entity, body="4:59 ahead", device="B", hlc_time=db.iso(
        now + dt.timedelta(minutes=4, seconds=59)))).json()["results"][0]
    assert result["version"] == (2 if clamped else 1)  # clamped to now, the first write loses to 4:59


def test_an_hlc_within_5_minutes_ahead_is_taken_as_it_is(world, device, monkeypatch):
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(db, "utcnow", lambda: now)
    tablet = world.pair(device["family"], "Tablet", member_id=device["member_id"])
    entity = str(uuid.uuid4())
    push(world, device["token"], entry_op(entity, body="4 minutes ahead",
                                          hlc_time=db.iso(now + dt.timedelta(minutes=4)), device="A"))
    result = push(world, tablet["token"], entry_op(entity, body="1 minute ahead",
                                                   hlc_time=db.iso(now + dt.timedelta(minutes=1)), device="B")
                  ).json()["results"][0]
    assert result["status"] == "conflict" and result["version"] == 1  # the later stamp stays current


@pytest.mark.parametrize("kind", ["delete", "revoke"])
def test_the_change_log_names_each_version_and_which_is_a_tombstone(world, device, kind):
    """The up log says which record moved to which version and seq, never what it held: the tombstone's
    entry says deleted, the writes before it do not."""
    entity = str(uuid.uuid4())
    push(world, device["token"], entry_op(entity, body="first"))
    push(world, device["token"], entry_op(entity, body="second", base_version=1, counter=2))
    push(world, device["token"], {**entry_op(entity, base_version=2, counter=3), "kind": kind, "data": None})
    c = db.changes.c
    with world.engine.begin() as conn:
        log = conn.execute(select(c.direction, c.version, c.deleted, c.data, c.member_id).where(
            c.entity_id == entity).order_by(c.seq)).all()
    assert [tuple(r) for r in log] == [("up", 1, False, None, device["member_id"]),
                                       ("up", 2, False, None, device["member_id"]),
                                       ("up", 3, True, None, device["member_id"])]


def test_a_tombstone_holds_who_made_it_and_when_and_answers_again_with_itself(world, device):
    """Deleting a record this server never saw leaves version 1 (nothing to erase, and the phone's later
    upsert of it is refused as deleted); the row names the op's hlc and the device. Deleting it again, or
    revoking it after, answers with the tombstone's own version and seq, under the new op's id."""
    entity = str(uuid.uuid4())
    first = {**entry_op(entity, counter=7, device="A"), "kind": "delete", "data": None}
    done = push(world, device["token"], first).json()["results"][0]
    assert done == {"op_id": first["op_id"], "status": "applied", "version": 1, "seq": done["seq"], "error": None}
    with world.engine.begin() as conn:
        row = conn.execute(select(db.records.c.version, db.records.c.deleted, db.records.c.tomb_kind,
                                  db.records.c.data, db.records.c.hlc, db.records.c.device_id,
                                  db.records.c.seq).where(db.records.c.entity_id == entity)).one()
    assert tuple(row) == (1, True, "delete", None, first["hlc"], device["device_id"], done["seq"])
    for kind in ("delete", "revoke"):
        again = {**entry_op(entity, base_version=1, counter=8), "kind": kind, "data": None}
        assert push(world, device["token"], again).json()["results"][0] == {
            "op_id": again["op_id"], "status": "applied", "version": 1, "seq": done["seq"], "error": None}


def test_each_write_leaves_the_record_and_its_revisions_exact(world, device, monkeypatch):
    """The stored row after each kind of write (its version, seq, hlc, device and tombstone kind) and the
    revisions kept, read from the tables: a later conflict is decided against the row's hlc, so an edit that
    left the old one would hand the win to an older write."""
    tablet = world.pair(device["family"], "Tablet", member_id=device["member_id"])
    entity, r, v = str(uuid.uuid4()), db.records.c, db.revisions.c

    def row():
        with world.engine.begin() as conn:
            return tuple(conn.execute(select(r.version, r.seq, r.hlc, r.device_id, r.deleted, r.tomb_kind, r.data)
                                      .where(r.entity_id == entity)).one())

    def revisions():
        with world.engine.begin() as conn:
            return [(n, json.loads(d)["body"], h) for n, d, h in conn.execute(
                select(v.version, v.data, v.hlc).where(v.entity_id == entity).order_by(v.id))]

    def write(token, op):
        return push(world, token, op).json()["results"][0]

    first = entry_op(entity, body="first", hlc_time=stamp(0), device="A")
    one = write(device["token"], first)
    edit = entry_op(entity, body="edited", base_version=1, hlc_time=stamp(2), device="A")
    two = write(device["token"], edit)
    assert two == {"op_id": edit["op_id"], "status": "applied", "version": 2, "seq": one["seq"] + 1, "error": None}
    assert row()[:6] == (2, two["seq"], edit["hlc"], device["device_id"], False, None)
    # The tablet wrote from version 1 at stamp 1: older than the edit (stamp 2), so it loses and is kept.
    older = entry_op(entity, body="tablet, older", base_version=1, hlc_time=stamp(1), device="B")
    assert write(tablet["token"], older) == {"op_id": older["op_id"], "status": "conflict", "version": 2,
                                              "seq": two["seq"], "error": None}
    assert row()[:3] == (2, two["seq"], edit["hlc"]) and revisions() == [(2, "tablet, older", older["hlc"])]
    # The phone itself, from version 1 again but later (a lost answer): it wins, and its own version 2 is kept.
    again = entry_op(entity, body="phone, later", base_version=1, hlc_time=stamp(3), device="A")
    three = write(device["token"], again)
    assert (three["status"], three["version"], three["op_id"]) == ("conflict", 3, again["op_id"])
    assert row()[:6] == (3, three["seq"], again["hlc"], device["device_id"], False, None)
    assert revisions()[-1] == (2, "edited", edit["hlc"])
    # The tablet, from the current version an hour on: its write, its device, its time; the phone's kept.
    later = db.utcnow() + dt.timedelta(hours=1)
    monkeypatch.setattr(db, "utcnow", lambda: later)
    tablet_edit = entry_op(entity, body="tablet, current", base_version=3, hlc_time=stamp(3.5), device="B")
    four = write(tablet["token"], tablet_edit)
    assert (four["status"], four["version"]) == ("applied", 4)
    assert row()[:6] == (4, four["seq"], tablet_edit["hlc"], tablet["device_id"], False, None)
    with world.engine.begin() as conn:
        assert conn.execute(select(r.updated_at).where(r.entity_id == entity)).scalar() == db.iso(later)
    assert revisions()[-1] == (3, "phone, later", again["hlc"])
    # Stopped sharing, then shared again: the row is whole again, no tombstone kind left on it.
    write(device["token"], {**entry_op(entity, base_version=4, hlc_time=stamp(4), device="A"), "kind": "revoke",
                            "data": None})
    shared = entry_op(entity, body="shared again", base_version=5, hlc_time=stamp(5), device="A")
    six = write(device["token"], shared)
    assert six["version"] == 6 and row() == (6, six["seq"], shared["hlc"], device["device_id"], False, None,
                                             json.dumps(shared["data"], ensure_ascii=False))


def test_each_refusal_of_a_stored_record_is_read_whole(world, device):
    """What a phone is told when the record it writes is not its own, is of another kind, was deleted, was
    erased, or stopped being shared: code, field and words, as SYNC.md gives them."""
    ben = world.pair(device["family"], "Ben")  # another member of the family
    second = world.pair(device["family"], "Ana's tablet", member_id=device["member_id"])

    def refusal(token, op):
        result = push(world, token, op).json()["results"][0]
        assert result["status"] == "rejected" and result["version"] is None and result["seq"] is None
        return result["error"]

    mine, deleted, revoked, erased = (str(uuid.uuid4()) for _ in range(4))
    for entity in (mine, deleted, revoked, erased):
        push(world, device["token"], entry_op(entity))
    assert refusal(ben["token"], entry_op(mine, base_version=1)) == {
        "code": "not_owner", "field": "entity_id", "detail": "this record belongs to another member"}
    checkin = {"mood": 3, "feelings": [], "stress": None, "sleep": None, "note": None, "loved_one_day": None,
               "my_response": [], "created_at": stamp(0), "tz": "UTC"}
    assert refusal(device["token"], {**entry_op(mine, base_version=1), "entity": "checkin", "data": checkin}) == {
        "code": "invalid_value", "field": "entity", "detail": "differs from the stored record's entity"}
    push(world, device["token"], {**entry_op(deleted, base_version=1), "kind": "delete", "data": None})
    assert refusal(device["token"], entry_op(deleted, base_version=2)) == {
        "code": "deleted", "field": None, "detail": "this record was deleted"}
    push(world, device["token"], {**entry_op(revoked, base_version=1), "kind": "revoke", "data": None})
    assert refusal(device["token"], entry_op(revoked, base_version=1)) == {
        "code": "revoked", "field": "base_version", "detail": "sharing was stopped; share it again from this device"}
    assert world.client.delete("/api/v1/device?erase=true", headers=auth_headers(device["token"])).status_code == 204
    assert refusal(second["token"], entry_op(erased, base_version=2)) == {
        "code": "erased", "field": None, "detail": "this record was erased from the server"}


# --- erasure, read from every table ------------------------------------------------------------------

def rows_holding(world, marker: str) -> list[str]:
    """Every row of every table with a text column that holds the marker."""
    found = []
    with world.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            texts = [c for c in table.columns if isinstance(c.type, (String, Text))]
            for row in conn.execute(select(*texts)) if texts else []:
                if any(isinstance(v, str) and marker in v for v in row):
                    found.append(table.name)
    return found


@pytest.mark.parametrize("how", ["delete", "revoke", "member_erase", "member_unpair_erase", "family_erase"])
def test_after_erasure_no_table_holds_the_content(world, device, how):
    marker = f"secret-{uuid.uuid4().hex}"
    tablet = world.pair(device["family"], "Tablet", member_id=device["member_id"])
    entity = str(uuid.uuid4())
    push(world, device["token"], entry_op(entity, body=f"{marker} v1", device="A"))
    push(world, tablet["token"], entry_op(entity, body=f"{marker} from the tablet", device="B"))  # a revision
    push(world, device["token"], {**entry_op(), "entity": "message", "data": {
        "body": f"{marker} message", "in_reply_to": None, "created_at": "2026-01-01T10:00:00Z"}})
    assert "records" in rows_holding(world, marker) and "revisions" in rows_holding(world, marker)
    if how in ("delete", "revoke"):
        push(world, device["token"], {**entry_op(entity), "kind": how, "data": None})
        left = set(rows_holding(world, marker))
        assert left == {"records"}  # the message only: the record and its revision are gone
        with world.engine.begin() as conn:
            assert conn.execute(select(db.records.c.data).where(db.records.c.entity_id == entity)).scalar() is None
        return
    if how == "member_erase":
        admin.erase_member(world.engine, device["family"], device["member_id"], "test")
    elif how == "member_unpair_erase":
        TestClient(world.app).delete("/api/v1/device?erase=true", headers=auth_headers(device["token"]))
    else:
        admin.erase_family(world.engine, device["family"], "test")
    assert rows_holding(world, marker) == []


def test_erasing_a_member_tombstones_only_their_records_and_revisions(world, device):
    """Erase Ana: her record and its revision go, and the tombstone is written in full. Ben's record in the
    same family, and a record of another family that carries the very same id (ids are the phones' choice),
    keep their content and their revisions."""
    family = device["family"]
    tablet = world.pair(family, "Tablet", member_id=device["member_id"])
    ben = world.pair(family, "Ben")
    ben_tablet = world.pair(family, "Ben's tablet", member_id=ben["member_id"])
    other_family = world.family("sam@practice.test", "The Joneses")
    theirs = world.pair(other_family, "Cy")
    their_tablet = world.pair(other_family, "Cy's tablet", member_id=theirs["member_id"])
    same_id, bens = str(uuid.uuid4()), str(uuid.uuid4())
    for phone, second, entity, who in ((device, tablet, same_id, "ana"), (ben, ben_tablet, bens, "ben"),
                                       (theirs, their_tablet, same_id, "cy")):
        push(world, phone["token"], entry_op(entity, body=f"{who} v1", device="A"))
        push(world, second["token"], entry_op(entity, body=f"{who} from the tablet", device="B"))  # a revision

    def rows():
        with world.engine.begin() as conn:
            recs = {(r.family_id, r.entity_id): r for r in conn.execute(select(db.records)).all()}
            revs = sorted((r.family_id, r.entity_id) for r in conn.execute(select(db.revisions)).all())
        return recs, revs
    before, revisions_before = rows()
    assert revisions_before == sorted([(family, same_id), (family, bens), (other_family, same_id)])
    with world.engine.begin() as conn:  # so that the tombstone's own time can be seen
        conn.execute(db.records.update().values(updated_at="2026-01-01T00:00:00.000Z"))

    assert admin.erase_member(world.engine, family, device["member_id"], "sam@practice.test") == 1

    after, revisions_after = rows()
    assert revisions_after == sorted([(family, bens), (other_family, same_id)])
    gone, was = after[(family, same_id)], before[(family, same_id)]
    assert (gone.data, gone.deleted, gone.tomb_kind, gone.device_id) == (None, True, "erased", None)
    assert gone.version == was.version + 1 and gone.seq > max(r.seq for r in before.values() if r.family_id == family)
    assert gone.updated_at > "2026-01-01T00:00:00.000Z"
    for key in ((family, bens), (other_family, same_id)):  # untouched
        assert (after[key].data, after[key].version, after[key].seq, after[key].deleted) == \
               (before[key].data, before[key].version, before[key].seq, False)
    assert "cy from the tablet" in after[(other_family, same_id)].data
    # the notice Ana's tablet gets is a change of its own: version 1, not deleted, naming the erased record
    notices = [c for c in world.client.get("/api/v1/sync/pull", headers=auth_headers(tablet["token"])).json()["changes"]
               if c["entity"] == "notice"]
    assert [(n["version"], n["deleted"], n["data"]) for n in notices] == [
        (1, False, {"kind": "erased", "entity": "journal_entry", "entity_id": same_id})]

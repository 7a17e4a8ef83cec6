"""No write is lost and none comes back: every interleaving of conflicting edits from two phones, and
every order of upsert, revoke, delete, member erasure and family erasure (issue 9, faults 5 and 6)."""

from __future__ import annotations

import itertools
import json
import uuid

import pytest
from sqlalchemy import func, select

from server import admin, db, queries
from tests.server.conftest import auth_headers, entry_op, stamp


@pytest.fixture
def member(world):
    """One member with two phones, A and B, in a fresh family."""
    world.specialist("sam@practice.test")

    def make():
        family = world.family("sam@practice.test")
        a = world.pair(family, "Ana")
        b = world.pair(family, "Ana's tablet", member_id=a["member_id"])
        return family, a, b
    return make


def push_one(world, phone, op) -> dict | int:
    r = world.client.post("/api/v1/sync/push", headers=auth_headers(phone["token"]), json={"ops": [op]})
    return r.json()["results"][0] if r.status_code == 200 else r.status_code


def texts_kept(world, family, entity_id) -> set[str]:
    with world.engine.begin() as conn:
        current = [r["data"]["body"] for r in queries.records_of(conn, family) if r["entity_id"] == entity_id]
        revisions = [r["data"]["body"] for r in queries.revisions_of(conn, family, entity_id)]
    return set(current + revisions)


# --- fault 5: a conflict's winning write never vanishes ---------------------------------------------

HLC = {"early": stamp(-60), "mid": stamp(0), "late": stamp(60)}
ORDERS = [("a1", "b1", "b2"), ("b1", "a1", "b2"), ("b1", "b2", "a1")]  # b2 follows b1: it uses b1's answer


@pytest.mark.parametrize("order", ORDERS, ids="-".join)
@pytest.mark.parametrize("a_time, b_time", [("mid", "early"), ("mid", "late"), ("early", "late"), ("late", "early")])
def test_no_text_is_lost_in_any_interleaving_of_two_phones(world, member, order, a_time, b_time):
    """Each phone's last text survives, and so does every text that a write from the other phone
    replaced or beat (a phone's own next edit may replace its own text: that is editing)."""
    family, a, b = member()
    entity = str(uuid.uuid4())
    assert push_one(world, a, entry_op(entity, body="first words", device="A"))["version"] == 1
    current, must_keep, known = ("first words", "A", 1), {"A's edit", "B's next edit"}, {"B": 1}
    ops = {
        "a1": ("A", a, lambda: entry_op(entity, body="A's edit", base_version=1, hlc_time=HLC[a_time], device="A")),
        "b1": ("B", b, lambda: entry_op(entity, body="B's edit from an old base", base_version=1,
                                        hlc_time=HLC[b_time], device="B")),
        "b2": ("B", b, lambda: entry_op(entity, body="B's next edit", base_version=known["B"],
                                        hlc_time=HLC["late"], counter=9, device="B")),
    }
    for name in order:
        phone, device, make = ops[name]
        op = make()
        result = push_one(world, device, op)
        assert result["status"] in ("applied", "conflict"), result
        if result["version"] == current[2]:  # lost a conflict: its text must be kept beside the winner
            must_keep.add(op["data"]["body"])
        else:
            if current[1] != phone:
                must_keep.add(current[0])
            current = (op["data"]["body"], phone, result["version"])
        if name == "b1":
            known["B"] = result["version"]  # the phone learns the current version, as SYNC.md says
    kept = texts_kept(world, family, entity)
    assert must_keep <= kept, (must_keep, kept)
    assert current[0] in kept


def test_an_edit_from_the_phone_that_wrote_it_makes_no_revision(world, member):
    family, a, _ = member()
    entity = str(uuid.uuid4())
    push_one(world, a, entry_op(entity, body="one"))
    push_one(world, a, entry_op(entity, body="two", base_version=1))
    with world.engine.begin() as conn:
        assert queries.revisions_of(conn, family, entity) == []


# --- fault 6: tombstones of delete and erasure are final -----------------------------------------------

EVENTS = ("upsert", "revoke", "delete", "erase_member", "erase_family")


class Model:
    """What SYNC.md (and docs/sync-protocol.md where it is silent) says the server answers."""

    def __init__(self):
        self.kind, self.version, self.gone = "live", 1, False  # the scenario starts with one shared record

    def upsert(self, base):
        if self.gone:
            return 401
        if self.kind in ("delete", "erased"):
            return ("rejected", self.kind if self.kind == "erased" else "deleted")
        if self.kind == "revoke":
            if base != self.version:
                return ("rejected", "revoked")
            self.kind, self.version = "live", self.version + 1
            return ("applied", self.version)
        status = "applied" if base == self.version else "conflict"  # each op has a later hlc: it wins
        self.version += 1
        return (status, self.version)

    def tombstone(self, kind):
        if self.gone:
            return 401
        if self.kind in ("delete", "erased") or self.kind == kind:
            return ("applied", self.version)  # final, or already revoked: nothing changes
        self.kind, self.version = kind, self.version + 1
        return ("applied", self.version)

    def erase_member(self):
        if not self.gone and self.kind in ("live", "revoke"):
            self.kind, self.version = "erased", self.version + 1

    def erase_family(self):
        self.gone = True


def content_rows(world, family, entity_id) -> list:
    """Every place the record's words could still sit, read from the database itself."""
    with world.engine.begin() as conn:
        rec = conn.execute(select(db.records.c.data).where(db.records.c.entity_id == entity_id)).scalars().all()
        revs = conn.execute(select(db.revisions.c.data).where(db.revisions.c.entity_id == entity_id)).scalars().all()
        logged = conn.execute(select(db.changes.c.data).where(db.changes.c.entity_id == entity_id)).scalars().all()
    return [x for x in rec + revs + logged if x and "words" in x]


def family_rows(world, family) -> int:
    with world.engine.begin() as conn:
        return sum(conn.execute(select(func.count()).select_from(t).where(t.c.family_id == family)).scalar()
                   for t in admin.FAMILY_TABLES) + conn.execute(
            select(func.count()).select_from(db.families).where(db.families.c.id == family)).scalar()


def run_scenario(world, member, order, first_phone):
    family, a, b = member()
    phones = {"A": a, "B": b}
    entity = str(uuid.uuid4())
    known = {"A": 1, "B": 1}
    push_one(world, a, entry_op(entity, body="words v1", device="A"))
    model, turn, step = Model(), itertools.cycle([first_phone, "B" if first_phone == "A" else "A"]), 0
    for event in order:
        step += 1
        hlc = stamp(step)
        if event in ("erase_member", "erase_family"):
            model.erase_member() if event == "erase_member" else model.erase_family()
            try:
                if event == "erase_member":
                    admin.erase_member(world.engine, family, a["member_id"], "test")
                else:
                    admin.erase_family(world.engine, family, "test")
            except admin.NotFound:
                assert model.gone  # the member went with the family
            continue
        name = next(turn)
        if event == "upsert":
            op, expected = entry_op(entity, body=f"words v{step}", base_version=known[name], hlc_time=hlc,
                                    device=name), model.upsert(known[name])
        else:
            op = {**entry_op(entity, hlc_time=hlc, device=name), "kind": event, "data": None}
            expected = model.tombstone(event)
        result = push_one(world, phones[name], op)
        context = (order, first_phone, event, name)
        if expected == 401:
            assert result == 401, context
            continue
        if expected[0] == "rejected":
            assert (result["status"], result["error"]["code"]) == expected, (context, result)
        else:
            assert (result["status"], result["version"]) == expected, (context, result)
            known[name] = result["version"]
        if model.kind != "live" or model.gone:
            assert content_rows(world, family, entity) == [], context  # no words left anywhere
    if model.gone:
        assert family_rows(world, family) == 0


@pytest.mark.parametrize("first_phone", ["A", "B"])
def test_every_order_of_upsert_revoke_delete_and_erasures_from_two_phones(world, member, first_phone):
    for order in itertools.permutations(EVENTS):
        run_scenario(world, member, order, first_phone)


def test_revoke_after_member_erasure_does_not_bring_the_record_back(world, member):
    """The reproduced fault: erase, revoke (was applied as v3), upsert with base 3 (was applied)."""
    family, a, _ = member()
    entity = str(uuid.uuid4())
    push_one(world, a, entry_op(entity, body="private words"))
    admin.erase_member(world.engine, family, a["member_id"], "test")
    revoke = push_one(world, a, {**entry_op(entity), "kind": "revoke", "data": None})
    assert (revoke["status"], revoke["version"]) == ("applied", 2)  # the erasure's tombstone, unchanged
    again = push_one(world, a, entry_op(entity, base_version=revoke["version"], body="private words again"))
    assert again["status"] == "rejected" and again["error"]["code"] == "erased"
    assert content_rows(world, family, entity) == []


def test_a_second_revoke_does_not_block_sharing_again(world, member):
    family, a, b = member()
    entity = str(uuid.uuid4())
    push_one(world, a, entry_op(entity, body="words"))
    first = push_one(world, a, {**entry_op(entity), "kind": "revoke", "data": None})
    second = push_one(world, b, {**entry_op(entity), "kind": "revoke", "data": None})
    assert first["version"] == second["version"] == 2
    shared = push_one(world, a, entry_op(entity, base_version=2, body="words, shared again"))
    assert shared["status"] == "applied" and shared["version"] == 3
    assert json.loads(json.dumps(texts_kept(world, family, entity), default=list)) == ["words, shared again"]

"""A push batch is one transaction whose ops are decided in order (issue 16): a later op of the batch sees
what an earlier one did, a repeated op_id answers the first's result, and a replay answers what was stored."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from server import db

from server.settings import Settings
from tests.server.conftest import auth_headers, entry_op, make_world


@pytest.fixture(params=["sqlite", "postgresql"])
def device(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    world = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k", database_url=url))
    world.specialist("b@x.test")
    paired = world.pair(world.family("b@x.test"))
    yield world, paired["token"]
    world.engine.dispose()


def push(world, token, ops):
    r = world.client.post("/api/v1/sync/push", headers=auth_headers(token), json={"ops": ops})
    assert r.status_code == 200, r.text
    return [(x["status"], x["version"], x["seq"], (x["error"] or {}).get("code")) for x in r.json()["results"]]


def test_one_batch_creates_edits_deletes_and_repeats_exactly_as_one_op_at_a_time(device):
    world, token = device
    record, again = str(uuid.uuid4()), str(uuid.uuid4())
    create = entry_op(record, body="first")
    ops = [create, entry_op(record, body="second", base_version=1, counter=2),
           {**entry_op(record, counter=3), "kind": "delete", "data": None},
           entry_op(record, body="after delete", base_version=3, counter=4),
           {**create},  # the same op_id again, inside the batch
           entry_op(again, body="x" * 100_001),  # too long: rejected alone
           entry_op(again, body="fits")]
    first = push(world, token, ops)
    assert first == [("applied", 1, 1, None), ("applied", 2, 2, None), ("applied", 3, 3, None),
                     ("rejected", None, None, "deleted"), ("duplicate", 1, 1, None),
                     ("rejected", None, None, "too_long"), ("applied", 1, 4, None)]
    replay = push(world, token, ops)
    assert [r[0] for r in replay] == ["duplicate", "duplicate", "duplicate", "rejected", "duplicate", "rejected",
                                      "duplicate"]
    assert [r[1:] for r in replay] == [r[1:] for r in first]
    with world.engine.connect() as conn:  # the log holds exactly the applied ops' seqs, and the counter agrees
        assert sorted(conn.execute(select(db.changes.c.seq)).scalars()) == [1, 2, 3, 4]
        assert conn.execute(select(db.families.c.latest_seq)).scalar_one() == 4

"""A family erased while its phones sync (issue 9, fault 4): every request of its devices answers 401,
whatever moment the erase commits, never a 500; another family's phones carry on."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from fastapi.testclient import TestClient

from server import admin, db, sync
from server.settings import Settings
from tests.server.conftest import auth_headers, entry_op, make_world


@pytest.fixture(params=["sqlite", "postgresql"])
def any_world(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    w = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k", database_url=url,
                            device_limit="100000/minute"))
    w.client = TestClient(w.app, raise_server_exceptions=False)
    w.specialist("sam@practice.test")
    yield w
    w.engine.dispose()


REQUESTS = {
    "push": lambda c, t: c.post("/api/v1/sync/push", headers=auth_headers(t), json={"ops": [entry_op(), entry_op()]}),
    "pull": lambda c, t: c.get("/api/v1/sync/pull", headers=auth_headers(t)),
    "unpair": lambda c, t: c.delete("/api/v1/device?erase=true", headers=auth_headers(t)),
}


@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_erased_between_authentication_and_the_work_is_401(any_world, monkeypatch, kind):
    family = any_world.family("sam@practice.test")
    device = any_world.pair(family)
    real = sync.device_for_token

    def then_erase(engine, token):
        found = real(engine, token)
        admin.erase_family(engine, family, "test")  # commits after the device was found
        return found
    monkeypatch.setattr(sync, "device_for_token", then_erase)
    r = REQUESTS[kind](any_world.client, device["token"])
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"


@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_unpaired_between_authentication_and_the_work_is_401_and_nothing_is_written(any_world, monkeypatch, kind):
    """The dashboard unpairs a phone just after its request was authenticated: the request's own transaction
    sees it (another phone of the family staying paired changes nothing)."""
    family = any_world.family("sam@practice.test")
    device, other = any_world.pair(family), any_world.pair(family, "Ben")
    real = sync.device_for_token

    def then_unpair(engine, token):
        found = real(engine, token)
        admin.unpair_device(engine, family, device["device_id"], "test")
        return found
    monkeypatch.setattr(sync, "device_for_token", then_unpair)
    r = REQUESTS[kind](any_world.client, device["token"])
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    with any_world.engine.begin() as conn:
        assert conn.execute(db.records.select()).all() == []
    monkeypatch.setattr(sync, "device_for_token", real)
    assert REQUESTS["pull"](any_world.client, other["token"]).status_code == 200


def test_a_batch_is_one_transaction_so_an_erase_lands_before_or_after_all_of_it(any_world, monkeypatch):
    """A push applies its batch in one transaction (issue 16): there is no moment between two of its ops.
    An erase that commits before it is a 401 (above); one that commits after it leaves the answer whole."""
    family = any_world.family("sam@practice.test")
    device = any_world.pair(family)
    real, calls = db.retrying, []

    def then_erase(engine, work, *args):
        result = real(engine, work, *args)
        if not calls:  # the whole batch has committed; the erase commits before the answer is sent
            calls.append(1)
            admin.erase_family(engine, family, "test")
        return result
    monkeypatch.setattr(db, "retrying", then_erase)
    r = REQUESTS["push"](any_world.client, device["token"])
    assert r.status_code == 200 and calls == [1]
    assert [(x["status"], x["seq"]) for x in r.json()["results"]] == [("applied", 1), ("applied", 2)]
    assert REQUESTS["push"](any_world.client, device["token"]).status_code == 401


def test_phones_syncing_while_their_family_is_erased_get_200_or_401_only(any_world):
    doomed, kept = any_world.family("sam@practice.test", "Doomed"), any_world.family("sam@practice.test", "Kept")
    phones = [(doomed, any_world.pair(doomed, f"D{i}")["token"]) for i in range(3)] + \
             [(kept, any_world.pair(kept, "K")["token"])]
    statuses, erased_at, stop = [], [], threading.Event()

    def sync_loop(family, token):
        client = TestClient(any_world.app, raise_server_exceptions=False)
        while not stop.is_set():
            for kind in ("push", "pull"):
                started = time.monotonic()
                r = REQUESTS[kind](client, token)
                statuses.append((family, started, r.status_code))
    threads = [threading.Thread(target=sync_loop, args=phone) for phone in phones]
    for t in threads:
        t.start()
    time.sleep(0.6)
    admin.erase_family(any_world.engine, doomed, "test")
    erased_at.append(time.monotonic())
    time.sleep(0.6)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert {s for _, _, s in statuses} <= {200, 401}, sorted({s for _, _, s in statuses})
    assert {s for f, _, s in statuses if f == kept} == {200}
    after = {s for f, started, s in statuses if f == doomed and started > erased_at[0]}
    assert after == {401}
    assert any(s == 200 for f, _, s in statuses if f == doomed)  # they were syncing before


def test_an_erased_familys_token_stays_401_for_ever(any_world):
    family = any_world.family("sam@practice.test")
    device = any_world.pair(family)
    admin.erase_family(any_world.engine, family, "test")
    for kind in sorted(REQUESTS):
        assert REQUESTS[kind](any_world.client, device["token"]).status_code == 401
    assert any_world.client.post("/api/v1/pair", json={"code": str(uuid.uuid4())[:14], "device_name": "x"}
                                 ).status_code == 400

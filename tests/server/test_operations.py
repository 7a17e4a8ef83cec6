"""Running the server (issue 9): health answers 503 with SYNC.md's fields when the database or Redis is
down, and every request leaves one JSON log line without content or tokens."""

from __future__ import annotations

import json
import logging

from server import db
from server.settings import Settings
from tests.server.conftest import auth_headers, entry_op, make_world

FIELDS = {"status", "version", "protocol", "min_client_version"}


def test_health_is_200_when_everything_answers(world):
    r = world.client.get("/api/v1/health")
    assert r.status_code == 200 and set(r.json()) == FIELDS and r.json()["status"] == "ok"


def test_health_is_503_with_the_same_fields_when_the_database_is_down(world):
    world.app.state.engine = db.make_engine("postgresql+psycopg://root@127.0.0.1:1/nothing")
    r = world.client.get("/api/v1/health")
    assert r.status_code == 503 and set(r.json()) == FIELDS and r.json()["status"] == "unavailable"
    assert r.json()["protocol"] == 1


def test_health_is_503_when_redis_is_configured_and_down(tmp_path):
    w = make_world(Settings(data_dir=tmp_path / "s", secret_key="k"))
    w.app.state.settings = Settings(data_dir=tmp_path / "s", secret_key="k", redis_url="redis://127.0.0.1:1/0")
    r = w.client.get("/api/v1/health")
    assert r.status_code == 503 and set(r.json()) == FIELDS


def test_one_json_line_per_request_without_content_or_tokens(world, caplog):
    world.specialist("sam@practice.test")
    family = world.family("sam@practice.test")
    device = world.pair(family)
    secret_words = "my very private journal words"
    with caplog.at_level(logging.INFO, logger="regroup.access"):
        world.client.post("/api/v1/sync/push", headers=auth_headers(device["token"]),
                          json={"ops": [entry_op(body=secret_words)]})
        world.client.get("/api/v1/sync/pull?since=0", headers=auth_headers(device["token"]))
        world.client.get(f"/families/{family}", follow_redirects=False)
    lines = [r.getMessage() for r in caplog.records if r.name == "regroup.access"]
    assert len(lines) == 3
    entries = [json.loads(line) for line in lines]
    assert [(e["method"], e["route"], e["status"]) for e in entries] == [
        ("POST", "/api/v1/sync/push", 200), ("GET", "/api/v1/sync/pull", 200), ("GET", "/families/{family_id}", 303)]
    assert all(isinstance(e["ms"], float) and e["at"] for e in entries)
    text = "\n".join(lines)
    assert secret_words not in text and device["token"] not in text and family not in text

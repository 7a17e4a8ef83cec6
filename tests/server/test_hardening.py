"""What the server does for a practice's security without being asked (issue 9, attacks): headers on
every answer, a dashboard with no inline script or style, owner-only files from the first start, and
no plain HTTP on the network unless a lab says so."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.settings import Settings
from tests.server.conftest import make_world

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "server" / "dashboard"


@pytest.fixture
def signed_in(world):
    world.specialist("sam@practice.test")
    family = world.family("sam@practice.test")
    return world.login("sam@practice.test"), family


def pages(family):
    return ["/login", "/", "/account", f"/families/{family}", f"/families/{family}/audit",
            f"/families/{family}/export", "/families/new", "/static/dashboard.css", "/no-such-page"]


def test_every_dashboard_answer_is_not_cached_not_framed_and_has_a_strict_policy(signed_in):
    c, family = signed_in
    for path in pages(family):
        r = c.get(path)
        h = r.headers
        assert h["Cache-Control"] == "no-store", path
        assert h["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in h["Content-Security-Policy"], path
        assert h["Referrer-Policy"] == "no-referrer" and h["X-Content-Type-Options"] == "nosniff", path
        policy = h["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "script-src" not in policy
        assert "Strict-Transport-Security" not in h  # plain HTTP on loopback: no HSTS


def test_api_answers_carry_the_headers_too(world):
    r = world.client.get("/api/v1/health")
    assert r.headers["Cache-Control"] == "no-store" and r.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_when_serving_https(world):
    c = TestClient(world.app, base_url="https://regroup.example")
    assert c.get("/login").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_behind_a_tls_proxy_with_an_https_public_url(tmp_path):
    w = make_world(Settings(data_dir=tmp_path / "s", secret_key="k", public_url="https://regroup.example"))
    assert "Strict-Transport-Security" in w.client.get("/login").headers


def test_templates_hold_no_script_and_no_inline_style():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=|javascript:", text, re.I), template.name


def test_the_page_uses_only_the_served_style_sheet(signed_in):
    c, family = signed_in
    page = c.get(f"/families/{family}").text
    assert '<link rel="stylesheet" href="/static/dashboard.css">' in page
    css = c.get("/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and ".card" in css.text


def test_the_data_folder_and_database_files_are_owner_only_from_the_first_start(tmp_path):
    os.umask(0o022)
    folder = tmp_path / "fresh" / "srv"
    w = make_world(Settings(data_dir=folder, secret_key="k"))
    w.specialist("sam@practice.test")  # a write: the WAL and shared-memory files exist now
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {"server.db", "server.db-wal", "server.db-shm"} <= set(modes)
    assert all(mode == 0o600 for mode in modes.values()), modes


@pytest.mark.parametrize("settings, refused", [
    (dict(host="0.0.0.0"), True),
    (dict(host="192.0.2.7", public_url="http://192.0.2.7:8700"), True),
    (dict(host="0.0.0.0", allow_insecure=True), False),
    (dict(host="0.0.0.0", tls_cert="c.pem", tls_key="k.pem"), False),
    (dict(host="0.0.0.0", trusted_proxies=("10.0.0.1/32",)), False),
    (dict(host="0.0.0.0", public_url="https://regroup.example"), False),
    (dict(host="127.0.0.1"), False), (dict(host="::1"), False), (dict(host="localhost"), False),
])
def test_plain_http_off_loopback_is_refused_unless_something_makes_it_safe(settings, refused):
    assert (Settings(**settings).insecure_reason() is not None) is refused


def test_serve_refuses_with_a_message_that_says_how_to_fix_it(tmp_path):
    env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv"), "REGROUP_SERVER_HOST": "0.0.0.0"}
    for key in ("REGROUP_ALLOW_INSECURE", "REGROUP_TLS_CERT", "REGROUP_TRUSTED_PROXIES", "REGROUP_PUBLIC_URL",
                "REGROUP_DATABASE_URL"):
        env.pop(key, None)
    result = subprocess.run([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    for hint in ("REGROUP_TLS_CERT", "REGROUP_TRUSTED_PROXIES", "REGROUP_PUBLIC_URL", "REGROUP_ALLOW_INSECURE=1"):
        assert hint in result.stderr

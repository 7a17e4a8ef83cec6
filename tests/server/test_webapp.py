"""The family's web app at /app/ (REGROUP_SERVE_APP=1): static files, routes answered by index.html rebased
to /app/, the app's own security policy, nothing outside the built folder, and nothing when not asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from server.webapp import rebase_index

INDEX = ('<html><head><base href="/"><script>\nflet.pyodideUrl="./pyodide/pyodide.mjs";\n'
         'flet.canvasKitBaseUrl="/canvaskit/";\nflet.entrypointBaseUrl="/";\nflet.assetBase="/";\n</script>'
         '</head><body></body></html>')


@pytest.fixture
def built(tmp_path) -> Path:
    dist = tmp_path / "dist"
    (dist / "pyodide").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "sw.js").write_text("// sw")
    (dist / "pyodide" / "pyodide.mjs").write_text("export const x = 1;")
    (dist / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm")
    (tmp_path / "secret.txt").write_text("not the app's")
    return dist


def client(tmp_path, dist, serve=True) -> TestClient:
    settings = Settings(data_dir=tmp_path / "server", secret_key="test", serve_app=serve, app_dir=dist)
    return TestClient(create_app(settings))


def test_the_index_is_rebased_to_app():
    html = rebase_index(INDEX)
    assert '<base href="/app/">' in html and 'flet.canvasKitBaseUrl="/app/canvaskit/"' in html
    assert 'flet.entrypointBaseUrl="/app/"' in html and 'flet.assetBase="/app/"' in html
    assert 'flet.pyodideUrl="./pyodide/pyodide.mjs"' in html  # relative: follows the base


def test_the_app_and_its_routes_are_served_under_app(tmp_path, built):
    c = client(tmp_path, built)
    assert c.get("/app", follow_redirects=False).headers["location"] == "/app/"
    for route in ("/app/", "/app/journal", "/app/journey/after"):
        r = c.get(route)
        assert r.status_code == 200 and '<base href="/app/">' in r.text, route
    js = c.get("/app/pyodide/pyodide.mjs")
    assert js.headers["content-type"].startswith("text/javascript")
    assert c.get("/app/pyodide/pyodide.asm.wasm").headers["content-type"] == "application/wasm"
    policy = js.headers["content-security-policy"]
    assert "'wasm-unsafe-eval'" in policy and "connect-src 'self'" in policy and js.headers["cache-control"] == "no-cache"


def test_nothing_outside_the_built_folder_or_missing_is_served(tmp_path, built):
    c = client(tmp_path, built)
    assert c.get("/app/../secret.txt").status_code == 404
    assert c.get("/app/%2e%2e/secret.txt").status_code == 404
    assert c.get("/app/missing.js").status_code == 404


def test_without_serve_app_there_is_no_app(tmp_path, built):
    assert client(tmp_path, built, serve=False).get("/app/").status_code == 404


def test_the_dashboards_policy_is_unchanged(tmp_path, built):
    r = client(tmp_path, built).get("/login")
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_settings_read_the_environment(tmp_path):
    s = Settings.from_env({"REGROUP_SERVE_APP": "1", "REGROUP_APP_DIR": str(tmp_path)})
    assert s.serve_app and s.app_dir == tmp_path
    assert not Settings.from_env({}).serve_app

"""web/build.py's fixes of flet publish's output, on samples (fast: no publish, no browser), the content's
JSON twins checked by the app's own loaders, and the web build's inline store."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path

import pytest

from app.content import dump_json, load_json, load_library, load_prompts
from app.crisis import load_directory
from app.errors import ContentError
from app.paths import CONTENT_DIR

ROOT = Path(__file__).resolve().parents[1]
from app.worker import InlineStore
from web import build

FLET_INDEX = '<script>\nflet.pyodide = true;\nflet.pyodideUrl="pyodide/pyodide.mjs";\n</script>\n' \
             '  <script src="python.js"></script>\n</head>'
FLET_BOOTSTRAP = '''_flutter.loader.load({
    config: flutterConfig,
    serviceWorkerSettings: {
        serviceWorkerVersion: "1804020039" /* Flutter's service worker is deprecated */,
    },
    onEntrypointLoaded: async function (engineInitializer) {}
});'''


def test_the_bare_pyodide_specifier_becomes_relative():
    fixed = build.fix_pyodide_url(FLET_INDEX)
    assert 'flet.pyodideUrl="./pyodide/pyodide.mjs"' in fixed and '"pyodide/pyodide.mjs"' not in fixed
    assert build.fix_pyodide_url(fixed) == fixed  # a second run changes nothing


def test_an_index_without_the_specifier_stops_the_build():
    with pytest.raises(SystemExit):
        build.fix_pyodide_url("<html></html>")


def test_flutters_service_worker_is_no_longer_loaded():
    fixed = build.drop_flutter_service_worker(FLET_BOOTSTRAP)
    assert "serviceWorker" not in fixed and "onEntrypointLoaded" in fixed and "config: flutterConfig," in fixed


def test_our_service_worker_is_registered_after_python_js_once():
    once = build.add_sw_registration(FLET_INDEX)
    assert once.index('src="python.js"') < once.index('register("sw.js")')
    assert build.add_sw_registration(once) == once


def test_the_precache_lists_everything_but_itself_and_the_renderer_the_page_picks():
    files = ["index.html", "sw.js", "canvaskit/canvaskit.wasm", "canvaskit/chromium/canvaskit.wasm",
             "pyodide/pyodide.asm.wasm", "app.tar.gz"]
    assert build.precache_list(files) == ["app.tar.gz", "index.html", "pyodide/pyodide.asm.wasm"]
    sw = build.service_worker('const VERSION = "__VERSION__";\nconst CORE = __CORE__;', ["a", "b"], "v1")
    assert 'VERSION = "v1"' in sw and json.loads(sw.split("CORE = ")[1].rstrip(";")) == ["a", "b"]


def test_the_manifest_installs_standalone_with_our_icons():
    manifest = build.web_manifest({"name": "Flet", "orientation": "natural", "icons": []})
    assert manifest["display"] == "standalone" and manifest["name"] == "Regroup"
    assert manifest["theme_color"] == build.THEME_COLOR and manifest["orientation"] == "natural"
    assert {i["purpose"] for i in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        assert (build.ROOT / "assets" / icon["src"]).is_file()


def test_discreet_modes_manifest_is_a_notes_app_with_the_same_id():
    flets = {"name": "Flet", "orientation": "natural", "icons": []}
    notes, ours = build.notes_manifest(flets), build.web_manifest(flets)
    assert notes["name"] == notes["short_name"] == notes["description"] == "Notes"
    words = json.dumps(notes).lower()
    assert not [w for w in ("regroup", "intervention", "famil", "addict", "specialist", "icon-") if w in words]
    assert (notes["id"], notes["scope"], notes["start_url"]) == (ours["id"], ours["scope"], ours["start_url"])
    assert [i["sizes"] for i in notes["icons"]] == [i["sizes"] for i in ours["icons"]]
    for icon in notes["icons"]:
        assert (build.ROOT / "assets" / icon["src"]).is_file()


def test_the_look_script_comes_right_after_the_manifest_link_once():
    index = (build.ROOT / "assets" / "index.html").read_text(encoding="utf-8")
    once = build.add_discreet_script(index)
    assert once.index('rel="manifest"') < once.index(build.DISCREET_TAG) < once.index("flutter_bootstrap.js")
    assert build.add_discreet_script(once) == once
    script = (build.ROOT / "web" / "discreet.js").read_text(encoding="utf-8")
    for path in ("manifest-notes.json", "icons/notes-favicon.png", "icons/notes-apple-touch-icon-192.png"):
        assert path in script and (path.startswith("manifest") or (build.ROOT / "assets" / path).is_file())


def _wheel(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in files.items():
            z.writestr(name, body)
    return buf.getvalue()


def test_babel_keeps_only_the_languages_we_speak():
    data = _wheel({"babel/__init__.py": b"", "babel/locale-data/root.dat": b"r", "babel/locale-data/en.dat": b"e",
                   "babel/locale-data/en_GB.dat": b"g", "babel/locale-data/es_419.dat": b"s",
                   "babel/locale-data/fr.dat": b"f", "babel/locale-data/de_CH.dat": b"d",
                   "babel/global.dat": b"x", "babel-2.19.0.dist-info/RECORD": b""})
    z = zipfile.ZipFile(io.BytesIO(build.trim_babel_wheel(data)))
    names = set(z.namelist())
    assert {"babel/locale-data/root.dat", "babel/locale-data/en.dat", "babel/locale-data/en_GB.dat",
            "babel/locale-data/es_419.dat", "babel/global.dat"} <= names
    assert not {"babel/locale-data/fr.dat", "babel/locale-data/de_CH.dat"} & names
    record = z.read("babel-2.19.0.dist-info/RECORD").decode()
    assert "babel/locale-data/en.dat,sha256=" in record and "fr.dat" not in record


def test_the_closure_reads_markers_as_pyodide_does():
    requires = {"flet": ['oauthlib>=3.2.2; platform_system != "Emscripten"', "repath>=0.9.0", "msgpack>=1.1.0",
                         'typing-extensions; python_version < "3.11"'],
                "repath": ["six"], "msgpack": [], "six": [],
                "sqlite-utils": ["click>=8", "pip", 'pytest; extra == "test"'], "click": []}
    graph = build.requirement_closure(["flet", "sqlite-utils"], requires.get)
    assert graph == {"flet": ["repath", "msgpack"], "repath": ["six"], "msgpack": [], "six": [],
                     "sqlite-utils": ["click"], "click": []}


def test_our_wheels_replace_pyodides_lock_entries_and_name_their_modules():
    lock = {"info": {"python": "3.14.2"}, "packages": {"httpx": {"name": "httpx", "file_name": "cdn-only.whl"},
                                                       "numpy": {"name": "numpy"}}}
    data = _wheel({"httpx/__init__.py": b"", "httpx-0.28.1.dist-info/METADATA": b""})
    entry = build.lock_entry("httpx", "0.28.1", "httpx-0.28.1-py3-none-any.whl", data, ["idna", "anyio"])
    new = build.add_to_lock(lock, [entry])
    assert new["packages"]["httpx"]["file_name"] == "httpx-0.28.1-py3-none-any.whl"
    assert new["packages"]["httpx"]["imports"] == ["httpx"] and new["packages"]["httpx"]["depends"] == ["anyio", "idna"]
    assert new["packages"]["numpy"] == {"name": "numpy"} and lock["packages"]["httpx"]["file_name"] == "cdn-only.whl"


def test_the_python_build_manifest_names_the_bundled_pyodide():
    manifest = build.python_build_manifest("314.0.7", "3.14.2")
    assert manifest["pythons"][build.PYTHON_SHORT]["pyodide_version"] == "314.0.7"


def _npm_tarball(files: dict[str, str]) -> bytes:
    import tarfile
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo("package/" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_the_browser_scrypt_ships_with_the_modules_it_imports_and_its_licence(tmp_path):
    tarball = _npm_tarball({
        "scrypt.js": 'import { pbkdf2 } from "./pbkdf2.js";\nimport { sha256 } from "./sha2.js";\n'
                     "// import { x } from '@noble/hashes/other.js';\nexport function scrypt() {}\n",
        "pbkdf2.js": "import { hmac } from './hmac.js';\nexport const pbkdf2 = 1;\n",
        "sha2.js": "export * from './utils.js';\n", "hmac.js": "export const hmac = 1;\n",
        "utils.js": "export const u = 1;\n", "argon2.js": "export const unused = 1;\n", "LICENSE": "MIT",
        "src/scrypt.ts": "typescript source, not shipped"})
    assert build.vendor_kdf(tmp_path, tarball) == ["hmac.js", "pbkdf2.js", "scrypt.js", "sha2.js", "utils.js"]
    shipped = sorted(p.name for p in (tmp_path / build.KDF_DIR).iterdir())
    assert shipped == ["LICENSE", "hmac.js", "pbkdf2.js", "scrypt.js", "sha2.js", "utils.js"]
    from app import webkdf
    assert webkdf.MODULE == f"{build.KDF_DIR}/{build.KDF_ENTRY}"  # where the app imports it from
    broken = _npm_tarball({"scrypt.js": "import './gone.js';\n", "LICENSE": "MIT"})
    with pytest.raises(SystemExit, match="gone.js"):
        build.vendor_kdf(tmp_path / "b", broken)


def test_only_the_pinned_tarball_is_used(tmp_path):
    import base64
    import hashlib
    data = b"a tarball"
    pinned = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert build.integrity_ok(data, pinned)
    assert not build.integrity_ok(data + b"!", pinned)
    assert not build.integrity_ok(data, "md5-" + base64.b64encode(hashlib.md5(data).digest()).decode())
    (tmp_path / build.NOBLE["file"]).write_bytes(data)  # a cached file that is not the pinned one
    with pytest.raises(SystemExit, match="not the pinned one"):
        build.fetch_noble(tmp_path)
    assert not (tmp_path / build.NOBLE["file"]).exists()  # dropped, fetched again next time


# --- content as JSON ------------------------------------------------------------------------------------

def test_compiled_content_loads_equal_to_the_yaml_without_pyyaml(tmp_path):
    written = build.compile_content(CONTENT_DIR, tmp_path)  # also checks every file with the app's loaders
    assert written and all(p.suffix == ".json" for p in written)
    with build.without_yaml():
        from_json = (load_library("es", tmp_path), load_prompts("es", tmp_path),
                     load_directory(tmp_path / "crisis_lines.yaml"))
    assert from_json == (load_library("es"), load_prompts("es"), load_directory())


def test_a_broken_compiled_file_is_a_content_error_naming_it(tmp_path):
    build.compile_content(CONTENT_DIR, tmp_path)
    (tmp_path / "en" / "topics.json").write_text("{not json", encoding="utf-8")
    with build.without_yaml(), pytest.raises(ContentError) as err:
        load_library("en", tmp_path)
    assert "topics.json" in str(err.value.detail) or "topics.json" in str(err.value)


def test_a_compiled_file_that_breaks_a_rule_stops_the_build(tmp_path):
    build.compile_content(CONTENT_DIR, tmp_path)
    crisis = tmp_path / "crisis_lines.json"
    data = load_json(crisis.read_text(encoding="utf-8"))
    data["format"] = 99
    crisis.write_text(dump_json(data), encoding="utf-8")
    with pytest.raises(ContentError):
        build.check_content(tmp_path)


def test_dates_survive_the_json_twin():
    import datetime as dt
    data = {"compiled": dt.date(2026, 11, 26), "lines": [{"checked": dt.date(2026, 1, 2)}], "text": "2026-11-26"}
    assert load_json(dump_json(data)) == data


# --- the inline store ---------------------------------------------------------------------------------------

def test_the_inline_store_runs_work_in_order_and_flushes_after_each_trip():
    flushed, done = [], []

    async def main():
        store = InlineStore(after=lambda: flushed.append(len(done)))
        results = await asyncio.gather(*(store.run(lambda n=n: done.append(n) or n) for n in range(3)))
        with pytest.raises(ZeroDivisionError):
            await store.run(lambda: 1 / 0)
        return results
    assert asyncio.run(main()) == [0, 1, 2]
    assert done == [0, 1, 2] and flushed == [1, 2, 3, 3]  # a failed trip is flushed too


def test_the_python_app_keeps_its_store_thread(monkeypatch, tmp_path):
    import wiring
    from app.worker import StoreThread
    monkeypatch.setenv("REGROUP_DATA_DIR", str(tmp_path))
    services = wiring.make_services()
    assert not wiring.IN_BROWSER and isinstance(services._rt.thread, StoreThread)
    services._rt.thread.shutdown()


def test_slow_work_runs_inline_in_the_browser_and_on_a_thread_elsewhere():
    import threading

    from app.worker import StoreThread

    async def where(worker):
        return await worker.offload(lambda: threading.current_thread().name)
    thread = StoreThread()
    try:
        assert asyncio.run(where(InlineStore())) == threading.current_thread().name
        assert asyncio.run(where(thread)) != threading.current_thread().name
    finally:
        thread.shutdown()


def test_without_an_aes_gcm_the_app_refuses_to_start_and_stores_no_text(tmp_path, monkeypatch):
    """The web build in a browser where WebCrypto cannot be awaited: a clear start screen, no key, no data."""
    from app import crypto
    from app.services import Services, StartStatus
    monkeypatch.setattr(crypto, "_aead_factory", None)
    services = Services(tmp_path / "data", worker=InlineStore())
    result = asyncio.run(services.start())
    assert result.status is StartStatus.NO_CRYPTO and not services.started
    from screens import messages
    from screens.problem import TITLES
    assert TITLES[StartStatus.NO_CRYPTO]() and "cannot encrypt" in messages.text("crypto_unavailable")


def test_the_loopback_server_answers_routes_with_the_app_and_modules_as_javascript(tmp_path):
    import threading
    import urllib.request

    from tests.e2e.harness import free_port
    from web.serve import serve
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "index.html").write_text("<html>app</html>")
    (tmp_path / "pyodide" / "pyodide.mjs").write_text("export {};")
    (tmp_path / "a.wasm").write_bytes(b"\0asm")
    server = serve(tmp_path, free_port())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/journal") as r:
            assert r.read() == b"<html>app</html>" and r.headers["Cache-Control"] == "no-cache"
        with urllib.request.urlopen(base + "/pyodide/pyodide.mjs") as r:
            assert r.headers["Content-Type"] == "text/javascript"
        with urllib.request.urlopen(base + "/a.wasm") as r:
            assert r.headers["Content-Type"] == "application/wasm"
        with urllib.request.urlopen(base + "/") as r:
            assert r.read() == b"<html>app</html>"
        assert server.requested == ["/index.html", "/pyodide/pyodide.mjs", "/a.wasm", "/index.html"]
    finally:
        server.shutdown()
        server.server_close()


def test_the_app_imports_as_in_the_browser_without_the_packages_pyodide_lacks():
    """What the web build's Python starts with: no PyYAML, cryptography or fpdf2 to import (a merge once put a
    `yaml.SafeLoader` at module level, and the PWA died at import with only a console error to show)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "for name in ('yaml', 'cryptography', 'fpdf'):\n"
            "    sys.modules[name] = None  # import fails as where the package is missing\n"
            "import main, wiring, app.content, app.crisis, app.crypto, app.lock, app.webkdf\n"
            "assert app.content.yaml is None and app.crisis.yaml is None\n"
            "try:\n"
            "    app.lock.derive('2468', 'pin', app.lock.CURRENT.with_salt())\n"
            "except app.lock.AppError as e:\n"
            "    assert e.code == 'not_in_browser'  # until the wiring installs the browser's scrypt\n"
            "print('imported')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "imported" in done.stdout, done.stderr[-2000:]

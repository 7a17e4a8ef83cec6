"""Build Regroup's offline web app (a PWA where Python runs in the browser on Pyodide) into dist/web/.

`make web` runs this. No internet is needed beyond the package index (and npm's registry once, for one pinned
tarball): the Pyodide runtime is flet-web's bundled copy, the wheels come from the index (pip's cache after the
first build). Steps:

1. stage only the app (main.py, wiring.py, app/, screens/, locales with compiled catalogs, content/ as
   JSON checked by the app's own loaders) into build/web/stage: `flet publish` packs a whole folder and
   ignores [tool.flet.app].exclude, so it is pointed at this stage, never at the repository;
2. run `flet publish --no-cdn` with a local Python-build manifest and a prepared Pyodide cache;
3. fix what flet gets wrong (docs/web-app.md lists each defect): the bare Pyodide module specifier, the
   wheels that the worker would fetch from the internet (placed in dist/web/pyodide/ and listed in
   pyodide-lock.json, Babel's locale data trimmed), and a service worker that precaches the app;
4. add the browser's scrypt for the PIN lock and exports (@noble/hashes, a pinned and sha512-checked tarball from
   the npm registry) in kdf/, before the service worker's list is written.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import importlib.metadata as md
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "web"
WORK = ROOT / "build" / "web"          # git-ignored: the stage, flet's cache, the downloaded wheels
PYTHON_SHORT = "3.14"                  # the Python of flet-web's bundled Pyodide
# What the web build imports; their dependencies follow from the installed metadata. Not here: cryptography
# and PyYAML (no Pyodide build: WebCrypto and JSON content instead), fpdf2 (Pillow has no Pyodide build
# here: no printable summary in the browser), flet-secure-storage and flet-notifications (phones only).
ROOTS = ("flet", "flet-charts", "sqlite-utils", "httpx", "babel", "platformdirs")
EXTRA = {"tzdata": "2026.6"}           # zoneinfo's data: the browser has no /usr/share/zoneinfo
SKIP = {"pip"}                         # sqlite-utils' `install` command only
# Babel's locale data is 11 MB: keep the root and the languages the app speaks, with their regions.
BABEL_LANGUAGES = ("en", "es")
APP_FILES = ("main.py", "wiring.py")
APP_DIRS = ("app", "screens")
THEME_COLOR = "#2F6F73"                # screens/theme.py's seed
NOTES_COLOR = "#E9E4D8"                # discreet mode's icon background (web/make_icons.py)
DISCREET_TAG = '<script src="discreet.js"></script>'
# What flet publish copies that this app never loads (the dart2wasm build and the skwasm renderers: the app
# uses CanvasKit; debug symbols; Pyodide's command-line files).
UNUSED = ("main.dart.wasm", "main.dart.mjs", "flutter.js.map", "flutter_service_worker.js",
          "canvaskit/skwasm*", "canvaskit/wimp*", "canvaskit/**/*.symbols", "canvaskit/experimental_webparagraph",
          "pyodide/python", "pyodide/python.bat", "pyodide/python.exe", "pyodide/python_cli_entry.mjs",
          "pyodide/pyodide.js", "pyodide/*.map", "pyodide/*.d.ts", "pyodide/console*.html", "assets/fonts/*.ttf")
# The browser's scrypt (app/webkdf.py): @noble/hashes' ES modules, this exact tarball from the npm registry
# (`npm pack`, kept in build/web/npm), checked against the registry's published sha512 before use.
NOBLE = {"spec": "@noble/hashes@2.4.0", "file": "noble-hashes-2.4.0.tgz",
         "integrity": "sha512-X5XaVWZIBCT7HHZGm5I7ZQXDwLG+bGXuSrMQAW+7Zvl87h1kmc1ZB1VSRJcpUfoUrGQp4Fkoxm5kZ+Ms+aW+eA=="}
KDF_DIR, KDF_ENTRY = "kdf/noble-hashes", "scrypt.js"  # app/webkdf.py's MODULE
# Loaded by the page only in some browsers (CanvasKit's Chromium build or its full one): the page tells the
# service worker which it used, so they are not in the precache list.
PAGE_CHOSEN = ("canvaskit/",)
SW_REGISTER = """<script>
    // Regroup (web/build.py): register the precaching service worker (web/sw.js) once Python is running,
    // so that what it caches comes from this first visit's HTTP cache, not from the network a second time.
    (function () {
      if (!("serviceWorker" in navigator)) return;
      const connect = globalThis.jsConnect;
      let asked = false;
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data && event.data.type === "regroup-cached") window.regroupOffline = event.data.version;
      });
      globalThis.jsConnect = async function (...args) {
        const result = await connect.apply(this, args);
        if (!asked) { asked = true; register(); }
        return result;
      };
      async function register() {
        try {
          const reg = await navigator.serviceWorker.register("sw.js");
          const urls = performance.getEntriesByType("resource").map((e) => e.name);
          const send = (w) => w.postMessage({ type: "regroup-cache", urls: urls });
          const worker = reg.installing || reg.waiting;
          if (!worker) { send(reg.active); return; }
          worker.addEventListener("statechange", () => { if (worker.state === "activated") send(worker); });
        } catch (e) {
          console.warn("Regroup: no offline copy (service worker not registered)", e);
        }
      }
    })();
  </script>"""


# --- pure steps (tests/test_web_build.py runs them on samples) ------------------------------------------

def fix_pyodide_url(index_html: str) -> str:
    """flet writes the bare specifier `pyodide/pyodide.mjs`, which a module worker's import() rejects."""
    fixed, n = re.subn(r'flet\.pyodideUrl\s*=\s*"pyodide/pyodide\.mjs"', 'flet.pyodideUrl="./pyodide/pyodide.mjs"',
                       index_html)
    if n != 1 and "./pyodide/pyodide.mjs" not in index_html:
        raise SystemExit("index.html: flet.pyodideUrl not found (has flet changed how it writes it?)")
    return fixed


def drop_flutter_service_worker(bootstrap_js: str) -> str:
    """flet's flutter_bootstrap.js re-registers Flutter's service worker (flet's copy unregisters itself)
    over any registration it finds, which would evict ours: drop its serviceWorkerSettings."""
    fixed, n = re.subn(r"\n\s*serviceWorkerSettings:\s*\{[^{}]*\},", "", bootstrap_js)
    if n != 1 and "serviceWorkerSettings" in bootstrap_js:
        raise SystemExit("flutter_bootstrap.js: serviceWorkerSettings not understood (has flet changed it?)")
    return fixed


def add_sw_registration(index_html: str) -> str:
    """Our service worker's registration, after python.js (it wraps python.js's jsConnect)."""
    anchor = '<script src="python.js"></script>'
    if anchor not in index_html:
        raise SystemExit("index.html: python.js not found")
    if "regroup-cache" in index_html:
        return index_html
    return index_html.replace(anchor, anchor + "\n  " + SW_REGISTER, 1)


def service_worker(template: str, core: list[str], version: str) -> str:
    return template.replace("__VERSION__", version).replace("__CORE__", json.dumps(core, indent=0))


def precache_list(files: list[str]) -> list[str]:
    """What the service worker caches at install: every file but itself and what the page chooses."""
    return sorted(f for f in files if f != "sw.js" and not f.startswith(PAGE_CHOSEN))


def web_manifest(manifest: dict) -> dict:
    """flet's manifest.json with Regroup's name, colours and icons (assets/icons/), installable standalone."""
    return {**manifest, "name": "Regroup", "short_name": "Regroup", "id": "./", "start_url": "./", "scope": "./",
            "display": "standalone", "background_color": "#FFFFFF", "theme_color": THEME_COLOR,
            "description": "Guided support for families after an intervention that did not work.",
            "icons": _icons("icon")}


def notes_manifest(manifest: dict) -> dict:
    """Discreet mode's manifest (web/discreet.js links it): a notes app's name, colours and plain page icons,
    nothing that names Regroup, addiction or a specialist. Same id and scope: one app, two looks."""
    return {**web_manifest(manifest), "name": "Notes", "short_name": "Notes", "description": "Notes",
            "background_color": NOTES_COLOR, "theme_color": NOTES_COLOR, "icons": _icons("notes")}


def _icons(prefix: str) -> list[dict]:
    return ([{"src": f"icons/{prefix}-{n}.png", "sizes": f"{n}x{n}", "type": "image/png", "purpose": "any"}
             for n in (192, 512)]
            + [{"src": f"icons/{prefix}-maskable-{n}.png", "sizes": f"{n}x{n}", "type": "image/png",
                "purpose": "maskable"} for n in (192, 512)])


def add_discreet_script(index_html: str) -> str:
    """web/discreet.js right after the manifest link, before anything slow, so that the look remembered
    from the last visit is linked from the first moment (an install offered early takes the right one)."""
    anchor = '<link rel="manifest" href="manifest.json">'
    if anchor not in index_html:
        raise SystemExit("index.html: the manifest link not found")
    if DISCREET_TAG in index_html:
        return index_html
    return index_html.replace(anchor, anchor + "\n  " + DISCREET_TAG, 1)


def web_environment() -> dict[str, str]:
    """The marker environment of Pyodide's Python, for reading Requires-Dist."""
    env = default_environment()
    env.update(python_version=PYTHON_SHORT, python_full_version=PYTHON_SHORT + ".0", sys_platform="emscripten",
               platform_system="Emscripten", platform_machine="wasm32", os_name="posix",
               implementation_name="cpython", platform_python_implementation="CPython")
    return env


def requirement_closure(roots, requires_of, *, skip=SKIP, env=None) -> dict[str, list[str]]:
    """Every distribution `roots` need in the browser, each with its direct dependencies (canonical names).

    `requires_of(name)` gives a distribution's Requires-Dist lines; markers are read for Pyodide."""
    env = env or web_environment()
    graph: dict[str, list[str]] = {}
    todo = [canonicalize_name(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in graph:
            continue
        deps = []
        for line in requires_of(name) or []:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
                continue
            dep = canonicalize_name(req.name)
            if dep not in skip and dep not in deps:
                deps.append(dep)
        graph[name] = deps
        todo.extend(deps)
    return graph


def trim_babel_wheel(data: bytes, languages=BABEL_LANGUAGES) -> bytes:
    """Babel's wheel without the locale data of languages the app does not speak (its RECORD rewritten)."""
    def keep(name: str) -> bool:
        if not name.startswith("babel/locale-data/"):
            return True
        stem = name.rsplit("/", 1)[1].split(".")[0]
        return stem == "root" or stem.split("_")[0] in languages
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        record_name = next(n for n in src.namelist() if n.endswith(".dist-info/RECORD"))
        kept = [n for n in src.namelist() if keep(n) and n != record_name]
        lines = []
        for name in kept:
            body = src.read(name)
            dst.writestr(src.getinfo(name), body)
            digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
            lines.append(f"{name},sha256={digest},{len(body)}")
        lines.append(f"{record_name},,")
        dst.writestr(record_name, "\n".join(lines) + "\n")
    return out.getvalue()


def wheel_imports(data: bytes) -> list[str]:
    """The top-level modules a wheel provides (top_level.txt, else its folders and modules)."""
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    tops = set()
    for n in names:
        first = n.split("/", 1)[0]
        if first.endswith((".dist-info", ".data")):
            continue
        if "/" in n or first.endswith(".py"):
            tops.add(first.removesuffix(".py"))
    return sorted(tops)


def lock_entry(name: str, version: str, file_name: str, data: bytes, depends: list[str]) -> dict:
    return {"name": name, "version": version, "file_name": file_name, "install_dir": "site",
            "sha256": hashlib.sha256(data).hexdigest(), "package_type": "package",
            "imports": wheel_imports(data), "depends": sorted(depends), "unvendored_tests": False, "tool": {}}


def add_to_lock(lock: dict, entries: list[dict]) -> dict:
    """The lock with our wheels: an entry of Pyodide's for the same name (whose wheel is only on its CDN)
    is replaced, so that micropip loads every package from the bundle and never asks the internet."""
    packages = dict(lock.get("packages", {}))
    for entry in entries:
        packages[entry["name"]] = entry
    return {**lock, "packages": packages}


def python_build_manifest(pyodide_version: str, python_full: str) -> dict:
    """What flet publish otherwise downloads from GitHub: the one Python we bundle."""
    return {"default_python_version": PYTHON_SHORT,
            "pythons": {PYTHON_SHORT: {"full_version": python_full, "pyodide_version": pyodide_version,
                                       "android_abis": [], "prerelease": False}}}


def integrity_ok(data: bytes, integrity: str) -> bool:
    """npm's Subresource-Integrity string (`sha512-<base64>`) against the bytes."""
    algorithm, _, expected = integrity.partition("-")
    return algorithm in ("sha256", "sha384", "sha512") and \
        base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii") == expected


def module_closure(sources: dict[str, str], entry: str) -> list[str]:
    """The files an ES module needs from its package: `entry` and every relative import, followed."""
    needed, todo = set(), [entry]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        if name not in sources:
            raise SystemExit(f"{entry} imports {name}, which the package does not have")
        needed.add(name)
        for spec in re.findall(r"""(?:\bfrom|^\s*import)\s*["'](\./[^"']+)["']""", sources[name], re.M):
            todo.append(spec[2:])
    return sorted(needed)


# --- content ---------------------------------------------------------------------------------------------

def compile_content(src: Path, out: Path) -> list[Path]:
    """content/**/*.yaml as JSON twins (app.content.dump_json), then loaded and checked by the app's own
    loaders with PyYAML switched off, exactly as the browser will load them."""
    import yaml

    from app.content import dump_json
    written = []
    for path in sorted(src.rglob("*.yaml")):
        target = out / path.relative_to(src).with_suffix(".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_json(yaml.safe_load(path.read_text(encoding="utf-8"))), encoding="utf-8")
        written.append(target)
    check_content(out)
    return written


@contextlib.contextmanager
def without_yaml():
    """The content loaders as they run in the browser: no PyYAML, JSON twins only."""
    import app.content
    import app.crisis
    saved = app.content.yaml, app.crisis.yaml
    app.content.yaml = app.crisis.yaml = None
    try:
        yield
    finally:
        app.content.yaml, app.crisis.yaml = saved


def check_content(content_dir: Path) -> None:
    """Every language's library, prompts and the crisis lines, through the app's validators."""
    from app.content import load_library, load_prompts
    from app.crisis import load_directory
    with without_yaml():
        load_directory(content_dir / "crisis_lines.yaml")
        for lang in sorted(p.name for p in content_dir.iterdir() if p.is_dir()):
            load_library(lang, content_dir)
            load_prompts(lang, content_dir)


# --- the build -------------------------------------------------------------------------------------------

def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


def stage_app(stage: Path) -> None:
    """Only the app's own code, catalogs and content: no server/, tests/, docs or build files."""
    from app.i18n import available_languages, compile_catalog
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for name in APP_FILES:
        shutil.copy2(ROOT / name, stage / name)
    for name in APP_DIRS:
        _copy_tree(ROOT / name, stage / name)
    _copy_tree(ROOT / "locales", stage / "locales")
    for lang in available_languages(stage / "locales")[1:]:
        if compile_catalog(lang, stage / "locales") is None:
            raise SystemExit(f"could not compile the {lang} catalog")
    compile_content(ROOT / "content", stage / "content")
    # flet publish copies the stage's assets/ into the web root (our index.html with its CSP, the icons)
    # and keeps them out of app.tar.gz; the PDF's fonts are not needed (no printable summary in the browser).
    shutil.copytree(ROOT / "assets", stage / "assets", ignore=shutil.ignore_patterns("*.ttf", "OFL.txt", ".*"))
    (stage / "requirements.txt").write_text(
        "".join(f"{r}=={md.version(r)}\n" for r in ROOTS) + "".join(f"{n}=={v}\n" for n, v in EXTRA.items()))


def pyodide_dir() -> Path:
    import flet_web
    return Path(flet_web.get_package_web_dir()) / "pyodide"


def prepare_flet_cache(cache: Path) -> tuple[str, str]:
    """flet's Pyodide cache from flet-web's bundled copy; its lock gets the `info.version` flet checks."""
    src = pyodide_dir()
    version = json.loads((src / "package.json").read_text())["version"]
    lock = json.loads((src / "pyodide-lock.json").read_text())
    target = cache / "pyodide" / version
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(src, target)
    lock["info"]["version"] = version
    (target / "pyodide-lock.json").write_text(json.dumps(lock))
    return version, lock["info"]["python"]


def fetch_wheels(graph: dict[str, list[str]], wheels: Path) -> dict[str, Path]:
    """One pure-Python wheel per distribution, pinned to the version installed here (the app's own pins)."""
    wheels.mkdir(parents=True, exist_ok=True)
    found = {}
    for name in sorted(graph):
        version = EXTRA.get(name) or md.version(name)
        stem = name.replace("-", "_")
        have = [p for p in wheels.glob("*.whl") if canonicalize_name(p.name.split("-")[0]) == name
                and p.name.split("-")[1] == version and "none-any" in p.name]
        if not have:
            pip = [sys.executable, "-m", "pip", "--quiet"]
            got = subprocess.run(pip + ["download", "--no-deps", "--only-binary=:all:", "--platform", "any",
                                        "--python-version", PYTHON_SHORT, "--implementation", "py", "--abi", "none",
                                        "-d", str(wheels), f"{name}=={version}"], capture_output=True)
            if got.returncode != 0:  # no pure wheel on the index (msgpack): build one from its source
                subprocess.run(pip + ["wheel", "--no-deps", "--no-binary", name, "-w", str(wheels),
                                      f"{name}=={version}"], check=True,
                               env={**os.environ, "MSGPACK_PUREPYTHON": "1"})
            have = [p for p in wheels.glob(f"*{version}*none-any.whl")
                    if canonicalize_name(p.name.split("-")[0]) == name]
        if not have:
            raise SystemExit(f"no pure-Python wheel for {name}=={version} ({stem})")
        found[name] = have[0]
    return found


def requires_of(name: str) -> list[str]:
    if name in EXTRA:
        return []
    return md.requires(name) or []


def bundle_wheels(dist: Path, graph: dict[str, list[str]], wheels: dict[str, Path]) -> int:
    """Copy the wheels beside the runtime and list them in its lock; returns their total size."""
    target = dist / "pyodide"
    entries, total = [], 0
    for name, path in sorted(wheels.items()):
        data = path.read_bytes()
        if name == "babel":
            data = trim_babel_wheel(data)
        version = path.name.split("-")[1]
        (target / path.name).write_bytes(data)
        total += len(data)
        entries.append(lock_entry(name, version, path.name, data, graph.get(name, [])))
    lock_path = target / "pyodide-lock.json"
    lock_path.write_text(json.dumps(add_to_lock(json.loads(lock_path.read_text()), entries)))
    return total


def fetch_noble(cache: Path) -> bytes:
    """The pinned @noble/hashes tarball (npm's own client fetches it once), refused unless its sha512 is the
    one pinned here."""
    path = cache / NOBLE["file"]
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", "--silent", NOBLE["spec"], "--pack-destination", str(cache)], check=True,
                       capture_output=True)
    data = path.read_bytes()
    if not integrity_ok(data, NOBLE["integrity"]):
        path.unlink()
        raise SystemExit(f"{NOBLE['file']}: its sha512 is not the pinned one; not used")
    return data


def vendor_kdf(dist: Path, tarball: bytes) -> list[str]:
    """scrypt.js and the package's modules it imports (and its licence) into dist/web/kdf/noble-hashes/."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        members = {m.name.removeprefix("package/"): m for m in tar.getmembers() if m.isfile()}
        sources = {name: tar.extractfile(m).read().decode("utf-8") for name, m in members.items()
                   if name.endswith(".js") and "/" not in name}
        licence = tar.extractfile(members["LICENSE"]).read()
    target = dist / KDF_DIR
    target.mkdir(parents=True, exist_ok=True)
    names = module_closure(sources, KDF_ENTRY)
    for name in names:
        (target / name).write_text(sources[name], encoding="utf-8")
    (target / "LICENSE").write_bytes(licence)
    return names


def run_publish(stage: Path, dist: Path, manifest: Path, cache: Path) -> None:
    flet = Path(sys.executable).with_name("flet")
    env = {**os.environ, "FLET_PYTHON_BUILD_MANIFEST": str(manifest), "FLET_CACHE_DIR": str(cache),
           "FLET_CLI_NO_RICH_OUTPUT": "1"}
    # Not --assets: flet ignores an absolute assets path (its test is inverted) and uses <script dir>/assets.
    cmd = [str(flet), "publish", str(stage / "main.py"), "--distpath", str(dist), "--python-version", PYTHON_SHORT,
           "--no-cdn", "--app-name", "Regroup", "--app-short-name", "Regroup",
           "--app-description", "Notes", "--web-renderer", "canvaskit", "--route-url-strategy", "path",
           "--pwa-background-color", "#FFFFFF", "--pwa-theme-color", "#FFFFFF"]
    out = subprocess.run(cmd, env=env, cwd=stage, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit("flet publish failed")


def _rewrite(path: Path, fix) -> None:
    path.write_text(fix(path.read_text(encoding="utf-8")), encoding="utf-8")


def apply_fixes(dist: Path) -> None:
    _rewrite(dist / "index.html", lambda t: add_discreet_script(add_sw_registration(fix_pyodide_url(t))))
    shutil.copyfile(ROOT / "web" / "discreet.js", dist / "discreet.js")
    _rewrite(dist / "flutter_bootstrap.js", drop_flutter_service_worker)
    for pattern in UNUSED:
        for path in sorted(dist.glob(pattern), reverse=True):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    manifest = dist / "manifest.json"
    flets = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(web_manifest(flets), indent=2))
    (dist / "manifest-notes.json").write_text(json.dumps(notes_manifest(flets), indent=2))


def write_service_worker(dist: Path) -> str:
    """sw.js with the precache list and a version that changes with any file's bytes."""
    files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for name in files:
        if name != "sw.js":
            digest.update(name.encode() + b"\0" + hashlib.sha256((dist / name).read_bytes()).digest())
    version = digest.hexdigest()[:16]
    template = (ROOT / "web" / "sw.js").read_text(encoding="utf-8")
    (dist / "sw.js").write_text(service_worker(template, precache_list(files), version), encoding="utf-8")
    return version


def dist_size(dist: Path) -> tuple[int, int]:
    files = [p for p in dist.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def build(dist: Path = DIST) -> None:
    started = time.monotonic()
    sys.path.insert(0, str(ROOT))
    stage, cache = WORK / "stage", WORK / "flet-cache"
    stage_app(stage)
    version, python_full = prepare_flet_cache(cache)
    manifest = WORK / "python-build-manifest.json"
    manifest.write_text(json.dumps(python_build_manifest(version, python_full)))
    graph = requirement_closure(list(ROOTS) + list(EXTRA), requires_of)
    wheels = fetch_wheels(graph, WORK / "wheels")
    run_publish(stage, dist, manifest, cache)
    apply_fixes(dist)
    vendor_kdf(dist, fetch_noble(WORK / "npm"))
    wheel_bytes = bundle_wheels(dist, graph, wheels)
    write_service_worker(dist)
    size, count = dist_size(dist)
    print(f"dist/web: {count} files, {size / 1e6:.1f} MB ({wheel_bytes / 1e6:.1f} MB of wheels), "
          f"Pyodide {version}, {time.monotonic() - started:.0f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=DIST)
    args = parser.parse_args(argv)
    build(args.dist.resolve())


if __name__ == "__main__":
    main()

"""The built PWA in a phone-sized Chromium: WebCrypto against the fixed vectors, an entry kept across a closed
browser, an offline start with Get help now, and nothing a person wrote stored in the clear."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

from tests.e2e.harness import Phone
from web.build import DIST, WORK

ROOT = Path(__file__).resolve().parents[2]
VECTORS = (ROOT / "tests" / "data" / "crypto_vectors.json").read_text(encoding="utf-8")
TEXT = "Walked by the river and called my sister"
START = 180_000  # ms: Python starting in the browser on a busy 2-core machine

RUN_VECTORS = """
import base64, json, sys
sys.path.insert(0, "/t")
from app import crypto, webcrypto
assert crypto.AESGCM is None, "cryptography is not in the web build"
assert webcrypto.available(), "WebCrypto cannot be awaited here"
crypto.use_aead(webcrypto.WebCryptoAESGCM)
v = json.loads(vectors_json)
key = crypto.DataKey(version=v["key_version"], secret=base64.b64decode(v["key"]))
results, urandom = [], crypto.os.urandom
for c in v["vectors"]:
    crypto.os.urandom = lambda n, nonce=bytes.fromhex(c["nonce"]): nonce
    try:
        blob = crypto.FieldCipher(key).encrypt(c["table"], c["record"], c["field"], c["plaintext"])
    finally:
        crypto.os.urandom = urandom
    text = crypto.FieldCipher(key).decrypt(c["table"], c["record"], c["field"], base64.b64decode(c["blob"]))
    results.append([base64.b64encode(blob).decode() == c["blob"], text == c["plaintext"]])
try:
    crypto.FieldCipher(key).decrypt(c["table"], c["record"], "elsewhere", base64.b64decode(c["blob"]))
    moved = "opened"
except crypto.DecryptionError:
    moved = "refused"
json.dumps({"results": results, "moved": moved})
"""

LOAD_AND_RUN = """async ([files, vectors, code]) => {
  const { loadPyodide } = await import("./pyodide/pyodide.mjs");
  const py = await loadPyodide({ indexURL: new URL("./pyodide/", location.href).href });
  py.FS.mkdirTree("/t/app");
  for (const [name, text] of Object.entries(files)) py.FS.writeFile("/t/" + name, text);
  py.globals.set("vectors_json", vectors);
  return await py.runPythonAsync(code);
}"""

# IDBFS keeps the data folder in the IndexedDB database named after it: every file's bytes, for the checks.
IDB_FILES = """async () => {
  const db = await new Promise((ok, fail) => { const r = indexedDB.open("/regroup"); r.onsuccess = () => ok(r.result);
                                                r.onerror = () => fail(r.error); });
  if (!db.objectStoreNames.contains("FILE_DATA")) return {};
  const tx = db.transaction("FILE_DATA", "readonly"), store = tx.objectStore("FILE_DATA");
  const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()].map(
      (r) => new Promise((ok) => { r.onsuccess = () => ok(r.result); })));
  const out = {};
  keys.forEach((k, i) => { const c = values[i].contents; out[k] = c ? Array.from(c) : null; });
  return out;
}"""


def _idb_files(page) -> dict[str, bytes]:
    return {k: bytes(v or []) for k, v in page.evaluate(IDB_FILES).items()}


def _wait_flushed(page, timeout: float = 30) -> dict[str, bytes]:
    """IndexedDB's copy of the data folder, once it holds the database and stopped changing."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        files = _idb_files(page)
        if files == last and any(k.endswith("regroup.db") for k in files):
            return files
        last = files
        page.wait_for_timeout(700)
    raise AssertionError("the data folder never settled in IndexedDB")


def _page(context):
    return context.pages[0] if context.pages else context.new_page()


def _gzip_size(paths) -> int:
    total = 0
    for path in set(paths):
        file = DIST / path.lstrip("/")
        if file.is_file():
            total += len(gzip.compress(file.read_bytes(), 6))
    return total


def test_webcrypto_in_the_browser_matches_the_vectors_both_ways(site, open_profile, tmp_path):
    page = _page(open_profile(tmp_path / "profile"))
    page.goto(site + "version.json")
    files = {name: (ROOT / name).read_text(encoding="utf-8")
             for name in ("app/__init__.py", "app/errors.py", "app/crypto.py", "app/webcrypto.py")}
    out = json.loads(page.evaluate(LOAD_AND_RUN, [files, VECTORS, RUN_VECTORS]))
    assert out["results"] and all(enc and dec for enc, dec in out["results"]), out
    assert out["moved"] == "refused"


def test_an_entry_survives_a_closed_browser_and_an_offline_start(site, served, open_profile, tmp_path):
    """Also what that first visit downloads (page, Python worker and the service worker's precache),
    gzip-compressed as a server would send it (`make bench ONLY=pwa` compares it with a hello-world PWA)."""
    profile = tmp_path / "profile"
    served.requested.clear()
    context = open_profile(profile)
    phone = Phone(_page(context), "pwa")
    began = time.monotonic()
    phone.open(site)
    phone.wait("button", "Start using Regroup", timeout=START)
    first_start = time.monotonic() - began
    phone.tap("button", "Start using Regroup")
    phone.tap("button", "Not now")  # the PIN offer (tests/web/test_pwa_lock.py takes it)
    phone.tap("tab", "Journal")
    phone.tap("button", "Write an entry")
    phone.type_into("What is on your mind?", TEXT)
    phone.tap("button", "Save entry")
    phone.see(TEXT)
    phone.page.wait_for_function("() => !!window.regroupOffline", timeout=START)  # the precache is complete
    paths = [p for p in served.requested if (DIST / p.lstrip("/")).is_file()]
    raw, size = sum((DIST / p.lstrip("/")).stat().st_size for p in set(paths)), _gzip_size(paths)
    twice = sorted({p for p in paths if paths.count(p) > 1})
    print(f"\nPWA first visit: {len(set(paths))} files, {raw / 1e6:.1f} MB, {size / 1e6:.1f} MB gzip; twice: {twice}")
    assert size < 40e6
    files = _wait_flushed(phone.page)
    assert not [k for k, v in files.items() if TEXT.encode() in v], "the entry's words are in IndexedDB in the clear"
    assert not [k for k, v in files.items() if TEXT.encode("utf-16-le") in v]
    phone.screenshot("journal")
    context.close()

    context = open_profile(profile)
    context.set_offline(True)
    phone = Phone(_page(context), "pwa-offline")
    began = time.monotonic()
    phone.open(site)
    phone.wait("tab", "Journal", timeout=START)
    cached_start = time.monotonic() - began
    phone.tap("tab", "Journal")
    phone.see(TEXT)
    phone.tap("button", "Get help now")
    phone.wait("button", "Call 911")
    phone.wait("button", "Call 988")
    phone.screenshot("help-offline")
    figures = {"first_start_s": round(first_start, 1), "cached_offline_start_s": round(cached_start, 1)}
    (WORK / "figures.json").parent.mkdir(parents=True, exist_ok=True)
    (WORK / "figures.json").write_text(json.dumps(figures))
    print(f"\nPWA: first start {first_start:.1f} s, cached offline start {cached_start:.1f} s")

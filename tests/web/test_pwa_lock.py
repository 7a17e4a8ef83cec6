"""The built PWA's scrypt (app/webkdf.py, @noble/hashes) in Chromium: the fixed vectors, a PIN lock kept across a
reloaded tab, and sealed exports moving to and from the Python app. What the PWA saved is read back from IndexedDB
and opened here with the Python app's own code, not only looked at on the screen."""

from __future__ import annotations

import json
from pathlib import Path

from app import crypto, exchange, lock
from app.journal import clean_entry
from app.store import KEY_NAME, journal, open_store
from app.store.exchange import merge_all, read_all
from tests.e2e.harness import Phone, e2e_clock, seed
from tests.web.test_pwa import LOAD_AND_RUN, ROOT, START, _page, _wait_flushed

SCRYPT_VECTORS = (ROOT / "tests" / "data" / "scrypt_vectors.json").read_text(encoding="utf-8")
PIN = "2468"
PASSPHRASE = "lantern quiet meadow ferry"
PWA_TEXT = "Sat in the car outside the meeting and breathed"
PY_TEXT = "Wrote this on the laptop: the talk with Dad went calmly"

RUN_SCRYPT = """
import json, sys, time
sys.path.insert(0, "/t")
from app import crypto, lock, webcrypto, webkdf
kdf = await webkdf.load()
assert kdf is not None, "the bundled scrypt did not load"
lock.use_kdf(kdf)
crypto.use_aead(webcrypto.WebCryptoAESGCM)
v = json.loads(vectors_json)
rfc = [kdf(c["password"].encode(), c["salt"].encode(), c["n"], c["r"], c["p"], c["length"]).hex() == c["key"]
       for c in v["rfc7914"]]
derived, ms = [], []
for c in v["derive"]:
    began = time.perf_counter()
    derived.append(lock.derive(c["secret"], c["kind"], lock.KdfParams.from_dict(c["kdf"])).hex() == c["key"])
    ms.append(round((time.perf_counter() - began) * 1000))
w = v["wrapped"]
key = lock.unwrap_key(lock.read_wrapped(w["record"]), w["secret"])
mine = lock.wrap_key(key, w["secret"], w["kind"])  # wrapped in the browser, opened below with cryptography
json.dumps({"rfc": rfc, "derived": derived, "ms": ms, "costs": [c["kdf"]["n"] for c in v["derive"]],
            "unwrapped": key.secret.hex() == w["key"], "mine": mine})
"""


def _copy_of_idb_folder(page, dest: Path) -> Path:
    """The PWA's data folder as IDBFS keeps it in IndexedDB, written out here as files."""
    files = _wait_flushed(page)
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        if name.startswith("/regroup/") and data:
            (dest / name.removeprefix("/regroup/")).write_bytes(data)
    return dest


def _journal_rows(folder: Path, keystore=None) -> list[dict]:
    """The journal as the Python app reads it from that folder (its store, its key)."""
    s = open_store(folder, clock=e2e_clock(), keystore=keystore)
    try:
        return read_all(s)[0]["journal_entries"]
    finally:
        s.close()


def _entries(rows: list[dict]) -> list[tuple]:
    """An entry as both sides keep it: id, text, title, times and revision."""
    keep = ("id", "body_text", "title_text", "created_at", "updated_at", "revision")
    return sorted(tuple(r.get(k) for k in keep) for r in rows)


def _welcomed(context, site: str, name: str) -> Phone:
    """A first visit to the PWA, past the welcome: the PIN offer is on screen."""
    phone = Phone(_page(context), name)
    phone.open(site)
    phone.wait("button", "Start using Regroup", timeout=START)
    phone.tap("button", "Start using Regroup")
    phone.wait("heading", "A lock")
    return phone


def test_scrypt_in_the_browser_matches_the_vectors_at_the_real_cost(site, open_profile, tmp_path):
    page = _page(open_profile(tmp_path / "profile"))
    page.goto(site + "version.json")
    files = {name: (ROOT / name).read_text(encoding="utf-8") for name in
             ("app/__init__.py", "app/errors.py", "app/clock.py", "app/crypto.py", "app/webcrypto.py", "app/lock.py",
              "app/webkdf.py")}
    out = json.loads(page.evaluate(LOAD_AND_RUN, [files, SCRYPT_VECTORS, RUN_SCRYPT]))
    assert out["rfc"] and all(out["rfc"]), out
    assert out["derived"] and all(out["derived"]) and out["unwrapped"], out
    wrapped = json.loads(SCRYPT_VECTORS)["wrapped"]
    assert lock.unwrap_key(lock.read_wrapped(out["mine"]), wrapped["secret"]).secret.hex() == wrapped["key"]
    real = [ms for ms, n in zip(out["ms"], out["costs"]) if n == lock.CURRENT.n]
    print(f"\nscrypt in Chromium at N=2^16, r=8, p=1: {real} ms")
    assert max(real) < 5_000


def test_a_pin_set_in_the_pwa_locks_the_reloaded_tab(site, open_profile, tmp_path):
    phone = _welcomed(open_profile(tmp_path / "profile"), site, "pwa-pin")
    phone.tap("button", "Set a PIN")
    phone.type_into("New PIN (4 to 8 digits)", PIN)
    phone.type_into("The new PIN again", PIN)
    phone.tap("button", "Set PIN")
    phone.wait("heading", "Privacy and your data", timeout=30_000)
    phone.see("On, with a PIN")
    phone.tap("button", "Back")
    phone.tap("tab", "Journal")
    phone.tap("button", "Write an entry")
    phone.type_into("What is on your mind?", PWA_TEXT)
    phone.tap("button", "Save entry")
    phone.see(PWA_TEXT)

    saved = _copy_of_idb_folder(phone.page, tmp_path / "saved")
    record = lock.read_wrapped((saved / KEY_NAME).read_text(encoding="utf-8"))
    assert record is not None and record.kind == "pin", "the key file in IndexedDB is not wrapped"
    assert (record.params.n, record.params.r, record.params.p) == (lock.CURRENT.n, lock.CURRENT.r, lock.CURRENT.p)
    assert not [p.name for p in saved.iterdir() if PWA_TEXT.encode() in p.read_bytes()]
    key = lock.unwrap_key(record, PIN)  # the browser's wrap opens with cryptography's scrypt
    rows = _journal_rows(saved, lock.UnlockedKey(key, crypto.KeyFileStore(saved / KEY_NAME)))
    assert [r["body_text"] for r in rows] == [PWA_TEXT]

    phone.reload()  # the tab reloaded: Python starts again in the browser and finds the key wrapped
    phone.wait("heading", "Locked", timeout=START)
    phone.type_into("PIN", "1111")
    phone.tap("button", "Unlock")
    phone.see("not the right PIN")
    phone.type_into("PIN", PIN)
    phone.tap("button", "Unlock")
    phone.wait("tab", "Journal", timeout=30_000)  # it opens where the tab was: the journal
    phone.screenshot("unlocked")
    phone.tap("tab", "Journal")
    phone.see(PWA_TEXT)


def test_exports_move_between_the_python_app_and_the_pwa(site, open_profile, tmp_path):
    source = tmp_path / "python-app"
    seed(source, onboarded=True, country="IE")
    s = open_store(source, clock=e2e_clock())
    journal.add_entry(s, clean_entry(PY_TEXT, "Laptop", [], []))
    tables, _ = read_all(s)
    s.close()
    made_here = tmp_path / "from-python.json"
    made_here.write_bytes(exchange.seal({"format": exchange.FORMAT, "exported_at": "2026-11-26T12:00:00Z",
                                         "tables": tables}, PASSPHRASE, created_at="2026-11-26T12:00:00Z"))

    phone = _welcomed(open_profile(tmp_path / "profile"), site, "pwa-exchange")
    phone.tap("button", "Not now")
    phone.choose_import_file(made_here)
    phone.see("Chosen: from-python.json")
    phone.type_into("The file's passphrase", PASSPHRASE)
    phone.tap("button", "Import")
    phone.see("Imported: 1 journal entry, 0 check-ins", timeout=30_000)
    phone.tap("button", "Back")
    phone.tap("button", "Back")
    phone.tap("tab", "Journal")
    phone.see(PY_TEXT)
    assert _entries(_journal_rows(_copy_of_idb_folder(phone.page, tmp_path / "after-import"))) == _entries(
        tables["journal_entries"])  # the same record, id, times and revision included

    phone.tap("button", "Write an entry")
    phone.type_into("What is on your mind?", PWA_TEXT)
    phone.tap("button", "Save entry")
    phone.see(PWA_TEXT)
    phone.tap("tab", "More")
    phone.tap("button", "Privacy and your data", exact=False)
    phone.tap("button", "Export everything")
    phone.type_into("A passphrase for this file", PASSPHRASE)
    phone.type_into("The passphrase again", PASSPHRASE)
    with phone.page.expect_download(timeout=60_000) as saving:
        phone.tap("button", "Save the file")
    raw = Path(saving.value.path()).read_bytes()
    assert raw.startswith(exchange.PREFIX) and PWA_TEXT.encode() not in raw

    pwa_rows = _journal_rows(_copy_of_idb_folder(phone.page, tmp_path / "pwa"))
    payload = exchange.open_sealed(raw, PASSPHRASE)  # cryptography's scrypt opens the browser's export
    target = tmp_path / "python-app-2"
    seed(target, onboarded=True, country="IE")
    s = open_store(target, clock=e2e_clock())
    merge_all(s, payload["tables"])
    imported = read_all(s)[0]["journal_entries"]
    s.close()
    assert sorted(r["body_text"] for r in imported) == sorted([PY_TEXT, PWA_TEXT])
    assert _entries(imported) == _entries(pwa_rows)


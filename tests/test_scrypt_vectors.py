"""scrypt as app/lock.py uses it: fixed vectors (tests/data/scrypt_vectors.json, the RFC 7914 ones and ones made
with cryptography at the app's real parameters) and the seam the web build plugs the browser's scrypt into
(`lock.use_kdf`). The same file is checked in Chromium (tests/web/test_pwa.py), so key records and export files
move between the web build and the others."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from pathlib import Path
from unittest import mock

import pytest

from app import exchange, lock, webkdf
from app.crypto import DataKey
from app.errors import AppError

VECTORS = json.loads((Path(__file__).parent / "data" / "scrypt_vectors.json").read_text(encoding="utf-8"))
WRAPPED = VECTORS["wrapped"]


def hashlib_scrypt(password: bytes, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    """Another RFC 7914 scrypt (OpenSSL's, through hashlib), plugged in as the web build plugs in the browser's."""
    return hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, dklen=length, maxmem=webkdf.memory_for(n, r, p))


@pytest.fixture
def kdf():
    """Whatever a test installs with lock.use_kdf is undone after it."""
    yield lock.use_kdf
    lock.use_kdf(None)


@pytest.mark.parametrize("case", VECTORS["rfc7914"], ids=lambda c: f"N{c['n']}-r{c['r']}-p{c['p']}")
def test_the_rfc_vectors(case):
    args = (case["password"].encode(), case["salt"].encode(), case["n"], case["r"], case["p"], case["length"])
    assert lock.cryptography_scrypt(*args).hex() == case["key"]
    assert hashlib_scrypt(*args).hex() == case["key"]


@pytest.mark.parametrize("case", VECTORS["derive"], ids=lambda c: f"{c['kind']}-N{c['kdf']['n']}")
def test_the_app_derives_the_vectors_key(case):
    params = lock.KdfParams.from_dict(case["kdf"])
    assert lock.derive(case["secret"], case["kind"], params).hex() == case["key"]


def test_the_real_parameters_are_in_the_vectors():
    """The file checks what a PIN made today uses, and an older record's cheaper cost."""
    costs = {(c["kdf"]["n"], c["kdf"]["r"], c["kdf"]["p"]) for c in VECTORS["derive"]}
    assert (lock.CURRENT.n, lock.CURRENT.r, lock.CURRENT.p) in costs and len(costs) > 1


def test_the_wrapped_record_opens_with_its_secret_only():
    wrapped = lock.read_wrapped(WRAPPED["record"])
    key = lock.unwrap_key(wrapped, WRAPPED["secret"])
    assert (key.version, key.secret.hex()) == (WRAPPED["key_version"], WRAPPED["key"])
    with pytest.raises(AppError) as wrong:
        lock.unwrap_key(wrapped, "0000")
    assert wrong.value.code == "pin_wrong"


def test_an_installed_kdf_gets_the_normalized_secret_and_the_stored_parameters(kdf):
    calls = []
    kdf(lambda *args: calls.append(args) or bytes(32))
    params = lock.KdfParams(2 ** 12, 4, 2, b"s" * 16)
    assert lock.derive(" 12 34 ", "pin", params) == bytes(32)
    assert lock.derive("Cafe\u0301 au lait today", "passphrase", params) == bytes(32)
    assert calls == [(b"1234", b"s" * 16, 2 ** 12, 4, 2, 32),
                     ("Caf\u00e9 au lait today".encode(), b"s" * 16, 2 ** 12, 4, 2, 32)]
    kdf(None)
    assert lock.derive(" 12 34 ", "pin", params) == lock.cryptography_scrypt(b"1234", b"s" * 16, 2 ** 12, 4, 2, 32)


def test_another_scrypt_opens_what_cryptography_made_and_the_other_way(kdf, cheap_kdf):
    """Key records and export files are the same bytes whichever scrypt made them (the browser's plugs in here)."""
    data_key = DataKey(version=2, secret=bytes(range(32)))
    record = lock.wrap_key(data_key, "2468", "pin")
    sealed = exchange.seal({"tables": {"entries": [{"id": "a"}]}}, "lantern quiet meadow ferry",
                           created_at="2026-11-26T12:00:00Z")
    kdf(hashlib_scrypt)
    assert lock.unwrap_key(lock.read_wrapped(record), "2468") == data_key
    assert exchange.open_sealed(sealed, "lantern quiet meadow ferry")["tables"] == {"entries": [{"id": "a"}]}
    back = lock.wrap_key(data_key, "2468", "pin")
    kdf(None)
    assert lock.unwrap_key(lock.read_wrapped(back), "2468") == data_key


def test_without_a_kdf_a_pin_and_an_export_are_refused_not_weakened(kdf, cheap_kdf):
    with mock.patch.object(lock, "Scrypt", None):
        kdf(None)
        with pytest.raises(AppError) as pin:
            lock.wrap_key(DataKey(version=1, secret=bytes(32)), "2468", "pin")
        with pytest.raises(AppError) as sealing:
            exchange.seal({"tables": {}}, "lantern quiet meadow ferry", created_at="2026-11-26T12:00:00Z")
    assert pin.value.code == sealing.value.code == "not_in_browser"


def test_the_browser_module_is_not_loaded_outside_a_browser():
    assert asyncio.run(webkdf.load()) is None


def test_noble_is_allowed_the_memory_a_stored_record_needs():
    """noble refuses above its `maxmem`: it is set from the record's own cost, so old records still open."""
    for n, r, p in [(2 ** 16, 8, 1), (2 ** 20, 8, 1), (1024, 8, 16)]:
        assert webkdf.memory_for(n, r, p) >= 128 * r * (n + p + 1) + 128 * r
    assert base64.b64decode(VECTORS["derive"][0]["kdf"]["salt"])  # the salts are real bytes, not empty

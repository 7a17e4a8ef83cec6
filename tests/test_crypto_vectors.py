"""Fixed AES-GCM vectors (tests/data/crypto_vectors.json) for app/crypto.py's blobs: the same file checks
WebCrypto in the browser (tests/web/test_pwa.py), so data moves between the web build and the others."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from unittest import mock

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app import crypto
from app.errors import CryptoError

VECTORS = json.loads((Path(__file__).parent / "data" / "crypto_vectors.json").read_text(encoding="utf-8"))
KEY = crypto.DataKey(version=VECTORS["key_version"], secret=base64.b64decode(VECTORS["key"]))
CASES = VECTORS["vectors"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['table']}.{c['field']}")
def test_encrypting_with_the_vectors_nonce_gives_the_vectors_blob(case):
    with mock.patch("app.crypto.os.urandom", return_value=bytes.fromhex(case["nonce"])):
        blob = crypto.FieldCipher(KEY).encrypt(case["table"], case["record"], case["field"], case["plaintext"])
    assert base64.b64encode(blob).decode() == case["blob"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['table']}.{c['field']}")
def test_the_vectors_blob_decrypts_to_its_text(case):
    blob = base64.b64decode(case["blob"])
    assert crypto.FieldCipher(KEY).decrypt(case["table"], case["record"], case["field"], blob) == case["plaintext"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['table']}.{c['field']}")
def test_the_blob_layout_is_the_documented_one(case):
    """b"RG" | format | key version | nonce | ciphertext+tag, with header + table/record/field as associated
    data: decrypted here by hand, without FieldCipher, as another implementation would."""
    blob = base64.b64decode(case["blob"])
    assert blob[:4] == b"RG\x01\x01" and blob[4:16] == bytes.fromhex(case["nonce"])
    aad = blob[:4] + "\x1f".join((case["table"], case["record"], case["field"])).encode()
    assert AESGCM(KEY.secret).decrypt(blob[4:16], blob[16:], aad).decode() == case["plaintext"]


def test_a_vector_moved_to_another_field_does_not_open():
    case = CASES[0]
    with pytest.raises(crypto.DecryptionError):
        crypto.FieldCipher(KEY).decrypt(case["table"], case["record"], "title", base64.b64decode(case["blob"]))


def test_without_an_aes_gcm_nothing_is_encrypted_or_stored(monkeypatch):
    """The web build without WebCrypto: the cipher cannot be made, so the store never opens."""
    monkeypatch.setattr(crypto, "_aead_factory", None)
    with pytest.raises(CryptoError) as err:
        crypto.FieldCipher(KEY)
    assert err.value.code == "crypto_unavailable"


def test_another_aead_is_used_once_chosen(monkeypatch):
    made = []

    def Recording(secret):  # noqa: N802 - stands for a class, as AESGCM does
        made.append(secret)
        return AESGCM(secret)
    monkeypatch.setattr(crypto, "_aead_factory", crypto._aead_factory)
    crypto.use_aead(Recording)
    case = CASES[0]
    assert crypto.FieldCipher(KEY).decrypt(case["table"], case["record"], case["field"],
                                           base64.b64decode(case["blob"])) == case["plaintext"]
    assert made == [KEY.secret]
    crypto.use_aead(None)
    assert crypto._aead_factory is AESGCM

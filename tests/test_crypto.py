"""The encryption seam: AES-GCM bound to table, record and field; keys never silently replaced."""

from __future__ import annotations

import os
import stat

import pytest

from app import crypto


@pytest.fixture
def cipher():
    return crypto.FieldCipher(crypto.DataKey.generate())


def test_round_trip_keeps_any_text(cipher):
    text = "Écrit à 3 h du matin — 😢 \u0000 and a lone \ud800 surrogate"
    blob = cipher.encrypt("journal_entries", "id-1", "body", text)
    assert cipher.decrypt("journal_entries", "id-1", "body", blob) == text


def test_same_text_encrypts_differently_each_time(cipher):
    assert cipher.encrypt("t", "1", "f", "same") != cipher.encrypt("t", "1", "f", "same")


def test_blob_carries_format_and_key_version():
    blob = crypto.FieldCipher(crypto.DataKey.generate(version=3)).encrypt("t", "1", "f", "x")
    assert blob[:2] == b"RG" and blob[2] == crypto.BLOB_FORMAT and blob[3] == 3


@pytest.mark.parametrize("where", [("t", "2", "f"), ("t", "1", "title"), ("other", "1", "f")])
def test_blob_moved_to_another_record_or_field_fails(cipher, where):
    blob = cipher.encrypt("t", "1", "f", "private words")
    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt(*where, blob)


def test_tampered_blob_fails(cipher):
    blob = bytearray(cipher.encrypt("t", "1", "f", "private words"))
    blob[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt("t", "1", "f", bytes(blob))


def test_other_key_fails_without_leaking_text(cipher):
    blob = cipher.encrypt("t", "1", "f", "private words")
    other = crypto.FieldCipher(crypto.DataKey.generate())
    with pytest.raises(crypto.DecryptionError) as err:
        other.decrypt("t", "1", "f", blob)
    assert "private" not in str(err.value)


def test_changed_key_version_in_header_fails(cipher):
    blob = bytearray(cipher.encrypt("t", "1", "f", "x"))
    blob[3] = 2
    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt("t", "1", "f", bytes(blob))


def test_key_file_is_owner_only_and_round_trips(tmp_path):
    ks = crypto.KeyFileStore(tmp_path / "k" / "regroup.key")
    assert ks.load() is None
    key = crypto.DataKey.generate()
    ks.save(key)
    assert ks.load() == key
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "k" / "regroup.key").stat().st_mode) == 0o600


def test_key_file_is_never_overwritten(tmp_path):
    ks = crypto.KeyFileStore(tmp_path / "regroup.key")
    first = crypto.DataKey.generate()
    ks.save(first)
    with pytest.raises(crypto.KeyFileError):
        ks.save(crypto.DataKey.generate())
    assert ks.load() == first


def test_loose_key_file_permissions_are_tightened(tmp_path):
    ks = crypto.KeyFileStore(tmp_path / "regroup.key")
    ks.save(crypto.DataKey.generate())
    os.chmod(tmp_path / "regroup.key", 0o644)
    ks.load()
    assert stat.S_IMODE((tmp_path / "regroup.key").stat().st_mode) == 0o600


@pytest.mark.parametrize("text", ["", "not json", '{"format": 1}', '{"format": 9, "version": 1, "key": ""}',
                                  '{"format": 1, "version": 1, "key": "c2hvcnQ="}',
                                  '{"format": 1, "version": 1, "wrapped": "yes", "key": "x"}'])
def test_damaged_key_file_is_a_clear_error(tmp_path, text):
    (tmp_path / "regroup.key").write_text(text)
    with pytest.raises(crypto.KeyFileError):
        crypto.KeyFileStore(tmp_path / "regroup.key").load()


def test_a_key_wrapped_by_a_pin_says_locked_not_damaged(tmp_path):
    (tmp_path / "regroup.key").write_text('{"format": 1, "version": 1, "wrapped": true, "key": "x"}')
    with pytest.raises(crypto.KeyLockedError) as err:
        crypto.KeyFileStore(tmp_path / "regroup.key").load()
    assert err.value.code == "locked"


class FakeSecureStorage:
    """Stands in for the phone's Keychain/Keystore (flet-secure-storage), which cannot run here."""

    def __init__(self):
        self.values: dict[str, str] = {}

    def get(self, name):
        return self.values.get(name)

    def set(self, name, value):
        self.values[name] = value

    def delete(self, name):
        self.values.pop(name, None)


def test_secure_storage_keystore_round_trips_and_never_replaces():
    storage = FakeSecureStorage()
    ks = crypto.SecureStorageKeyStore(storage)
    assert ks.load() is None
    key = crypto.DataKey.generate()
    ks.save(key)
    assert list(storage.values) == [crypto.SecureStorageKeyStore.NAME]
    assert crypto.SecureStorageKeyStore(storage).load() == key
    with pytest.raises(crypto.KeyFileError):
        ks.save(crypto.DataKey.generate())
    assert ks.load() == key


def test_store_opens_with_secure_storage_keystore(tmp_path):
    from app import store
    from app.store.settings import get_settings, save_settings
    storage = FakeSecureStorage()
    s = store.open_store(tmp_path, keystore=crypto.SecureStorageKeyStore(storage))
    save_settings(s, display_name="Ana")
    s.close()
    assert not (tmp_path / store.KEY_NAME).exists()
    s = store.open_store(tmp_path, keystore=crypto.SecureStorageKeyStore(storage))
    assert get_settings(s).display_name == "Ana"
    s.close()

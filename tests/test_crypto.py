"""The encryption seam: AES-GCM bound to table, record and field; keys never silently replaced."""

from __future__ import annotations

import base64
import json
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
    if os.name == "posix":  # owner-only from its first byte: looked at before a load could tighten it
        assert stat.S_IMODE((tmp_path / "k" / "regroup.key").stat().st_mode) == 0o600
    assert ks.load() == key


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


# --- found by mutation testing (docs/mutation-testing.md): each fails when one line of crypto.py breaks ----

def test_the_header_is_bound_too_not_only_checked(cipher):
    """A key of another version with the same secret passes the version check: only the associated data
    (which includes the header) can refuse a blob whose version byte was changed."""
    blob = bytearray(cipher.encrypt("t", "1", "f", "private words"))
    blob[3] = 2
    same_secret_v2 = crypto.FieldCipher(crypto.DataKey(version=2, secret=cipher.key.secret))
    with pytest.raises(crypto.DecryptionError):
        same_secret_v2.decrypt("t", "1", "f", bytes(blob))


@pytest.mark.parametrize("byte, value", [(0, ord("X")), (1, ord("X")), (2, 2)])
def test_a_changed_magic_or_format_byte_fails(cipher, byte, value):
    blob = bytearray(cipher.encrypt("t", "1", "f", "private words"))
    blob[byte] = value
    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt("t", "1", "f", bytes(blob))


@pytest.mark.parametrize("field_sep", [("t", "1f", ""), ("t1", "", "f")])
def test_table_record_and_field_cannot_be_shifted_into_each_other(cipher, field_sep):
    """"t"/"1"/"f" and "t"/"1f"/"" must not share associated data (the separator keeps them apart)."""
    blob = cipher.encrypt("t", "1", "f", "private words")
    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt(*field_sep, blob)


def test_a_blob_too_short_to_hold_a_tag_is_refused(cipher):
    blob = cipher.encrypt("t", "1", "f", "")
    assert len(blob) == crypto.HEADER_BYTES + crypto.NONCE_BYTES + 16  # the shortest real blob opens
    assert cipher.decrypt("t", "1", "f", blob) == ""
    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt("t", "1", "f", blob[:-1])


def test_optional_values_stay_none_and_round_trip(cipher):
    assert cipher.encrypt_optional("t", "1", "f", None) is None
    assert cipher.decrypt_optional("t", "1", "f", None) is None
    blob = cipher.encrypt_optional("t", "1", "f", "words")
    assert cipher.decrypt_optional("t", "1", "f", blob) == "words"
    with pytest.raises(crypto.DecryptionError):
        cipher.decrypt_optional("t", "2", "f", blob)


VALID_KEY = "A" * 43 + "="  # 32 bytes in base64: only the field under test is wrong


@pytest.mark.parametrize("text", [
    f'{{"format": 9, "version": 1, "key": "{VALID_KEY}"}}',
    f'{{"format": 1, "version": 1, "wrapped": "yes", "key": "{VALID_KEY}"}}',
    f'{{"format": 1, "version": 0, "key": "{VALID_KEY}"}}',
    f'{{"format": 1, "version": 256, "key": "{VALID_KEY}"}}',
    '{"format": 1, "version": 1, "key": "' + "A" * 42 + '=="}',   # 31 bytes
    '{"format": 1, "version": 1, "key": "' + "A" * 44 + 'AAAA"}',  # 36 bytes
    f'{{"format": 1, "key": "{VALID_KEY}"}}',
    '{"format": 1, "version": 1, "key": "AAAA*' + "A" * 39 + '="}',  # not base64: never read leniently
    '[1, 2]',
])
def test_a_key_wrong_in_one_field_only_is_refused(tmp_path, text):
    (tmp_path / "regroup.key").write_text(text)
    with pytest.raises(crypto.KeyFileError):
        crypto.KeyFileStore(tmp_path / "regroup.key").load()


@pytest.mark.parametrize("version", [1, 255])
def test_key_versions_at_their_edges_are_taken(tmp_path, version):
    (tmp_path / "regroup.key").write_text(f'{{"format": 1, "version": {version}, "wrapped": false, '
                                          f'"key": "{VALID_KEY}"}}')
    key = crypto.KeyFileStore(tmp_path / "regroup.key").load()
    assert (key.version, key.secret) == (version, bytes(32))


def test_erasing_the_key_file_overwrites_it_in_place_first(tmp_path):
    """A second name for the same file (a hard link) sees what a disk that writes in place keeps."""
    path = tmp_path / "regroup.key"
    ks = crypto.KeyFileStore(path)
    key = crypto.DataKey.generate()
    ks.save(key)
    before = path.read_bytes()
    os.link(path, tmp_path / "spy")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(key.to_json())  # a rewrap interrupted before its rename
    ks.erase()
    assert not path.exists() and not tmp.exists()
    after = (tmp_path / "spy").read_bytes()
    assert after != before and len(after) >= len(before)
    assert base64.b64encode(key.secret) not in after
    assert ks.load() is None


def test_rewrapping_needs_an_existing_key_and_replaces_it_whole(tmp_path):
    ks = crypto.KeyFileStore(tmp_path / "regroup.key")
    with pytest.raises(crypto.KeyFileError):
        ks.replace_text("{}")
    assert not (tmp_path / "regroup.key").exists()
    ks.save(crypto.DataKey.generate())
    ks.replace_text("wrapped text")
    assert (tmp_path / "regroup.key").read_text() == "wrapped text"
    assert not (tmp_path / "regroup.key.tmp").exists()
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "regroup.key").stat().st_mode) == 0o600


def test_secure_storage_rewraps_only_an_existing_key_and_erases_it():
    storage = FakeSecureStorage()
    ks = crypto.SecureStorageKeyStore(storage)
    with pytest.raises(crypto.KeyFileError):
        ks.replace_text("wrapped")
    assert storage.values == {}
    ks.save(crypto.DataKey.generate())
    ks.replace_text("wrapped")
    assert ks.read_text() == "wrapped"
    ks.erase()
    assert storage.values == {} and ks.load() is None


def test_each_key_store_says_where_the_key_lives(tmp_path):
    assert str(tmp_path / "regroup.key") in crypto.KeyFileStore(tmp_path / "regroup.key").describe()
    assert "secure storage" in crypto.SecureStorageKeyStore(FakeSecureStorage()).describe()


@pytest.mark.parametrize("error, code", [(crypto.KeyMissingError, "key_missing"), (crypto.KeyMismatchError, "key_wrong"),
                                         (crypto.KeyFileError, "key_wrong"), (crypto.KeyLockedError, "locked"),
                                         (crypto.DecryptionError, "decrypt_failed")])
def test_each_crypto_error_carries_its_code(error, code):
    assert error("detail").code == code


def test_a_key_of_a_later_version_opens_its_own_blobs():
    cipher = crypto.FieldCipher(crypto.DataKey.generate(version=3))
    assert cipher.decrypt("t", "1", "f", cipher.encrypt("t", "1", "f", "words")) == "words"


def test_the_key_file_can_live_in_a_folder_not_made_yet(tmp_path):
    ks = crypto.KeyFileStore(tmp_path / "a" / "b" / "regroup.key")
    key = crypto.DataKey.generate()
    ks.save(key)
    assert ks.load() == key


def test_a_rewrap_cut_short_leaves_nothing_that_erase_misses(tmp_path, monkeypatch):
    """The half-written record of an interrupted rewrap holds the key too: erase must find and wipe it."""
    ks = crypto.KeyFileStore(tmp_path / "regroup.key")
    ks.save(crypto.DataKey.generate())

    def power_cut(*args):
        raise OSError("power cut")
    monkeypatch.setattr(crypto.os, "replace", power_cut)
    with pytest.raises(OSError):
        ks.replace_text("wrapped text")
    monkeypatch.undo()
    ks.erase()
    assert list(tmp_path.iterdir()) == []


# --- found by mutation testing, run 4 (docs/mutation-testing.md) ---------------------------------------------

KNOWN_SECRET = bytes(range(32))
KNOWN_NONCE = bytes(range(100, 112))
# "Mardi, après l’appel" in journal_entries/id-1/body: format 1, key version 1, made with AES-GCM directly
# (associated data b"RG\x01\x01journal_entries\x1fid-1\x1fbody"), not with crypto.py.
KNOWN_BLOB = bytes.fromhex("524701016465666768696a6b6c6d6e6f057aac0210c576ff4e109c40a945061fc25b677afb099f94e31c"
                           "ae0c8fd41adf3319c5626bcf59")


def test_a_blob_of_format_1_still_opens_and_is_still_made_the_same_way(monkeypatch):
    """Phones already hold blobs of this layout: a changed header, nonce place or associated data (its
    separator, its encoding) would leave every one unreadable while a round trip still passed."""
    cipher = crypto.FieldCipher(crypto.DataKey(version=1, secret=KNOWN_SECRET))
    assert cipher.decrypt("journal_entries", "id-1", "body", KNOWN_BLOB) == "Mardi, après l’appel"
    monkeypatch.setattr(crypto.os, "urandom", lambda n: KNOWN_NONCE[:n])
    assert cipher.encrypt("journal_entries", "id-1", "body", "Mardi, après l’appel") == KNOWN_BLOB


def test_the_key_record_holds_exactly_its_documented_fields():
    """A plain key says `"wrapped": false` itself (app/lock.py writes `true` for one a PIN wraps)."""
    key = crypto.DataKey(version=3, secret=KNOWN_SECRET)
    assert json.loads(key.to_json()) == {"format": 1, "version": 3, "wrapped": False,
                                         "key": base64.b64encode(KNOWN_SECRET).decode("ascii")}


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_key_file_stricter_than_owner_only_is_left_as_it_is(tmp_path):
    path = tmp_path / "regroup.key"
    ks = crypto.KeyFileStore(path)
    key = crypto.DataKey.generate()
    ks.save(key)
    os.chmod(path, 0o400)
    assert ks.load() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o400  # only loosened modes are tightened


def test_a_new_key_is_version_1_with_32_fresh_random_bytes():
    """Version 1 is where a store's first key starts (blobs carry it); each key is new randomness."""
    first, second = crypto.DataKey.generate(), crypto.DataKey.generate()
    assert (first.version, len(first.secret)) == (1, 32) and first.secret != second.secret

"""Field encryption for everything a person typed: AES-GCM bound to table, record and field.

Blob layout: b"RG" | format (1 byte) | key version (1 byte) | 12-byte nonce | ciphertext+tag.
The header and "table/record/field" are the associated data, so a blob copied onto
another record or field fails to decrypt instead of showing the wrong text.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from typing import Callable

from app.errors import CryptoError

try:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:  # the web build: no Pyodide build of cryptography; WebCrypto instead (app/webcrypto.py)
    AESGCM = None

    class InvalidTag(Exception):
        """A tag that does not verify (raised by an AEAD other than cryptography's)."""

MAGIC = b"RG"
BLOB_FORMAT = 1
KEY_FORMAT = 1
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + 2


class KeyMissingError(CryptoError):
    """The store holds encrypted data but its key cannot be found."""

    def __init__(self, detail: str = ""):
        super().__init__("key_missing", detail)


class KeyMismatchError(CryptoError):
    """The key found does not open this store."""

    def __init__(self, detail: str = ""):
        super().__init__("key_wrong", detail)


class KeyFileError(CryptoError):
    """The key file exists but cannot be read or is not a Regroup key."""

    def __init__(self, detail: str = ""):
        super().__init__("key_wrong", detail)


class KeyLockedError(CryptoError):
    """The key is wrapped by the person's PIN or passphrase: it opens only after unlocking (app/lock.py)."""

    def __init__(self, detail: str = ""):
        super().__init__("locked", detail)


class DecryptionError(CryptoError):
    """A blob is damaged, was moved to another record, or needs another key."""

    def __init__(self, detail: str = ""):
        super().__init__("decrypt_failed", detail)


@dataclass(frozen=True)
class DataKey:
    """A random 256-bit data key with its version (a PIN may wrap it later)."""

    version: int
    secret: bytes

    @classmethod
    def generate(cls, version: int = 1) -> "DataKey":
        return cls(version=version, secret=os.urandom(32))

    def to_json(self) -> str:
        return json.dumps(
            {"format": KEY_FORMAT, "version": self.version, "wrapped": False,
             "key": base64.b64encode(self.secret).decode("ascii")}
        )

    @classmethod
    def from_json(cls, text: str) -> "DataKey":
        try:
            raw = json.loads(text)
            if isinstance(raw, dict) and raw.get("format") == KEY_FORMAT and raw.get("wrapped") is True:
                raise KeyLockedError("The key is wrapped by a PIN or passphrase.")
            if raw.get("format") != KEY_FORMAT or raw.get("wrapped"):
                raise ValueError("unsupported key format")
            secret = base64.b64decode(raw["key"], validate=True)
            version = int(raw["version"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyFileError(f"The key is not a Regroup key ({exc.__class__.__name__}).") from None
        if len(secret) != 32 or not 1 <= version <= 255:
            raise KeyFileError("The key has the wrong length or version.")
        return cls(version=version, secret=secret)


class KeyStore(Protocol):
    """Where the data key lives: secure storage on phones, an owner-only file elsewhere.

    `load`/`save` handle a plain key (save never replaces one); the record's text, which may be a
    key wrapped by a PIN (app/lock.py), is read and atomically replaced by `read_text`/`replace_text`;
    `erase` removes it (erase everything)."""

    def load(self) -> DataKey | None: ...

    def save(self, key: DataKey) -> None: ...

    def describe(self) -> str: ...

    def read_text(self) -> str | None: ...

    def replace_text(self, text: str) -> None: ...

    def erase(self) -> None: ...


class KeyFileStore:
    """The data key in a file readable by its owner only (desktop and browser builds)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def describe(self) -> str:
        return f"key file {self.path}"

    def read_text(self) -> str | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KeyFileError(f"The key file could not be read: {exc.strerror}.") from None
        if os.name == "posix":
            mode = stat.S_IMODE(self.path.stat().st_mode)
            if mode & 0o077:
                os.chmod(self.path, 0o600)  # tighten rather than refuse: the key is still ours
        return text

    def load(self) -> DataKey | None:
        text = self.read_text()
        return None if text is None else DataKey.from_json(text)

    def _write_tmp(self, text: str) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        return tmp

    def save(self, key: DataKey) -> None:
        """Write atomically, never over an existing key."""
        tmp = self._write_tmp(key.to_json())
        if self.path.exists():
            tmp.unlink()
            raise KeyFileError("A key file already exists; Regroup never writes a new key over it.")
        os.replace(tmp, self.path)

    def replace_text(self, text: str) -> None:
        """Swap the key record in one atomic rename (a PIN set, changed or removed: the same key, rewrapped)."""
        if not self.path.exists():
            raise KeyFileError("There is no key to rewrap.")
        os.replace(self._write_tmp(text), self.path)

    def erase(self) -> None:
        """Overwrite, then remove (a disk that writes in place keeps nothing of the key)."""
        for path in (self.path, self.path.with_name(self.path.name + ".tmp")):
            try:
                with open(path, "r+b") as fh:
                    fh.write(os.urandom(max(path.stat().st_size, 64)))
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError:
                pass
            path.unlink(missing_ok=True)


class SecureValues(Protocol):
    """The small key-value surface of a platform secure storage (Keychain, Keystore)."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class SecureStorageKeyStore:
    """The data key in the phone's secure storage (flet-secure-storage in phone builds)."""

    NAME = "regroup.data_key"

    def __init__(self, values: SecureValues):
        self.values = values

    def describe(self) -> str:
        return "the device's secure storage"

    def read_text(self) -> str | None:
        return self.values.get(self.NAME)

    def load(self) -> DataKey | None:
        text = self.read_text()
        return None if text is None else DataKey.from_json(text)

    def save(self, key: DataKey) -> None:
        if self.values.get(self.NAME) is not None:
            raise KeyFileError("A key already exists in secure storage; it is never replaced.")
        self.values.set(self.NAME, key.to_json())

    def replace_text(self, text: str) -> None:
        if self.values.get(self.NAME) is None:
            raise KeyFileError("There is no key to rewrap.")
        self.values.set(self.NAME, text)

    def erase(self) -> None:
        self.values.delete(self.NAME)


class AEAD(Protocol):
    """AES-GCM with a 16-byte tag: cryptography's AESGCM, or WebCrypto's in the web build (same bytes)."""

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes) -> bytes: ...

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes) -> bytes: ...  # InvalidTag if not ours


_aead_factory: Callable[[bytes], AEAD] | None = AESGCM


def use_aead(factory: Callable[[bytes], AEAD] | None) -> None:
    """Choose the AES-GCM implementation (the wiring does, before the store opens); None: cryptography's."""
    global _aead_factory
    _aead_factory = factory or AESGCM


def make_aead(secret: bytes) -> AEAD:
    """AES-GCM for a key; without one (a browser without WebCrypto) nothing is stored at all."""
    if _aead_factory is None:
        raise CryptoError("crypto_unavailable", "No AES-GCM implementation: refusing to store text unencrypted.")
    return _aead_factory(secret)


class FieldCipher:
    """Encrypts and decrypts one text field of one record."""

    def __init__(self, key: DataKey):
        self._key = key
        self._aead = make_aead(key.secret)

    @property
    def key(self) -> DataKey:
        """The data key in memory (a PIN wraps it; never written unwrapped while a PIN is set)."""
        return self._key

    @staticmethod
    def _aad(header: bytes, table: str, record_id: str, field: str) -> bytes:
        return header + "\x1f".join((table, str(record_id), field)).encode("utf-8")

    def encrypt(self, table: str, record_id: str, field: str, plaintext: str) -> bytes:
        return self.encrypt_bytes(table, record_id, field, plaintext.encode("utf-8", "surrogatepass"))

    def encrypt_bytes(self, table: str, record_id: str, field: str, data: bytes) -> bytes:
        header = MAGIC + bytes((BLOB_FORMAT, self._key.version))
        nonce = os.urandom(NONCE_BYTES)
        return header + nonce + self._aead.encrypt(nonce, data, self._aad(header, table, record_id, field))

    def decrypt(self, table: str, record_id: str, field: str, blob: bytes) -> str:
        return self.decrypt_bytes(table, record_id, field, blob).decode("utf-8", "surrogatepass")

    def decrypt_bytes(self, table: str, record_id: str, field: str, blob: bytes) -> bytes:
        blob = bytes(blob)
        if len(blob) < HEADER_BYTES + NONCE_BYTES + 16 or blob[:2] != MAGIC:
            raise DecryptionError(f"{table}.{field} is not an encrypted Regroup value.")
        header, fmt, version = blob[:HEADER_BYTES], blob[2], blob[3]
        if fmt != BLOB_FORMAT:
            raise DecryptionError(f"{table}.{field} uses an unknown format {fmt}.")
        if version != self._key.version:
            raise DecryptionError(f"{table}.{field} needs key version {version}.")
        nonce = blob[HEADER_BYTES:HEADER_BYTES + NONCE_BYTES]
        try:
            data = self._aead.decrypt(nonce, blob[HEADER_BYTES + NONCE_BYTES:],
                                      self._aad(header, table, record_id, field))
        except InvalidTag:
            raise DecryptionError(f"{table}.{field} of one record could not be decrypted.") from None
        return data

    def encrypt_optional(self, table: str, record_id: str, field: str, text: str | None) -> bytes | None:
        return None if text is None else self.encrypt(table, record_id, field, text)

    def decrypt_optional(self, table: str, record_id: str, field: str, blob: bytes | None) -> str | None:
        return None if blob is None else self.decrypt(table, record_id, field, blob)

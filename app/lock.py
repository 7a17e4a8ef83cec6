"""The PIN or passphrase that wraps the data key, and the growing waits after wrong tries.

With a PIN set, the key store holds only the data key encrypted (AES-GCM) under a key derived
from the PIN with scrypt; the parameters and salt are stored beside it, versioned, so they can
grow later. The unwrapped key lives in memory only while Regroup is unlocked. Changing or removing
the PIN rewraps the same key: no record is re-encrypted.

What it buys (README, "PIN lock"): on the phone, the lock screen and its waits stop someone who
picks it up. A copy of the data folder can be attacked offline without the waits: 10,000 four-digit
PINs at about 250 ms each take under an hour on one core. A passphrase of four or more words cannot
be guessed that way, so a copy of the folder (key file included) reveals nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from app.clock import parse_utc, stamp
from app.crypto import KEY_FORMAT, DataKey, InvalidTag, KeyFileError, KeyStore, make_aead

try:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
except ImportError:  # the web build: Pyodide has neither cryptography nor hashlib.scrypt (docs/web-app.md)
    Scrypt = None
from app.errors import AppError

# scrypt(password, salt, n, r, p, length) -> key bytes: cryptography's here, the browser's (app/webkdf.py) in the
# web build, chosen by the wiring. None: no PIN, passphrase or sealed export rather than a weaker key.
Kdf = Callable[[bytes, bytes, int, int, int, int], bytes]

KINDS = ("pin", "passphrase")
PIN_DIGITS = (4, 8)
PASSPHRASE_MIN = 12
ATTEMPTS_NAME = "regroup.attempts"
# Waits after wrong tries, in seconds: the first three are free, then they grow to an hour.
WAITS = (0, 0, 0, 30, 60, 120, 300, 900, 1800, 3600)


@dataclass(frozen=True)
class KdfParams:
    """scrypt's cost (n, r, p) and the salt: stored with the wrapped key, so old keys still open."""

    n: int
    r: int
    p: int
    salt: bytes = b""
    name: str = "scrypt"
    version: int = 1

    def with_salt(self) -> "KdfParams":
        return KdfParams(self.n, self.r, self.p, os.urandom(16), self.name, self.version)

    def to_dict(self) -> dict:
        return {**asdict(self), "salt": base64.b64encode(self.salt).decode("ascii")}

    @classmethod
    def from_dict(cls, raw: dict) -> "KdfParams":
        if raw.get("name") != "scrypt" or raw.get("version") != 1:
            raise KeyFileError("The key is wrapped with a method this version of Regroup does not know.")
        n, r, p = int(raw["n"]), int(raw["r"]), int(raw["p"])
        if n < 2 ** 10 or n > 2 ** 22 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16:
            raise KeyFileError("The key's wrapping parameters are out of range.")
        return cls(n, r, p, base64.b64decode(raw["salt"], validate=True))


# Tuned on the development machine to about 250 ms (tests/bench_pin.py prints the figure): 64 MiB.
CURRENT = KdfParams(n=2 ** 16, r=8, p=1)


def normalize(secret: str, kind: str) -> bytes:
    """The bytes a PIN or passphrase stands for: digits without spaces; a passphrase in Unicode NFC."""
    if kind == "pin":
        return "".join(secret.split()).encode("ascii", "ignore")
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def check_new_secret(secret: str, kind: str) -> None:
    """A PIN is 4 to 8 digits; a passphrase at least 12 characters and not only digits."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if kind == "pin":
        digits = "".join(secret.split())
        if not (digits.isascii() and digits.isdigit() and PIN_DIGITS[0] <= len(digits) <= PIN_DIGITS[1]):
            raise AppError("pin_format")
    elif len(secret.strip()) < PASSPHRASE_MIN or "".join(secret.split()).isdigit():
        raise AppError("passphrase_short")


def cryptography_scrypt(password: bytes, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return Scrypt(salt=salt, length=length, n=n, r=r, p=p).derive(password)


_kdf: Kdf | None = cryptography_scrypt if Scrypt is not None else None


def use_kdf(kdf: Kdf | None) -> None:
    """Choose the scrypt implementation (the wiring does, before a key is wrapped or opened); None: the default
    (cryptography's, or none where it is missing)."""
    global _kdf
    _kdf = kdf or (cryptography_scrypt if Scrypt is not None else None)


def derive(secret: str, kind: str, params: KdfParams) -> bytes:
    """The key-encryption key: scrypt over the normalized secret (slow on purpose)."""
    if _kdf is None:  # no scrypt here (a browser that cannot load it): refused rather than a weaker key
        raise AppError("not_in_browser", "scrypt is not available in this build")
    return _kdf(normalize(secret, kind), params.salt, params.n, params.r, params.p, 32)


def _header(version: int, kind: str, params: KdfParams) -> dict:
    return {"format": KEY_FORMAT, "version": version, "wrapped": True, "kind": kind, "kdf": params.to_dict()}


def _aad(header: dict) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def wrap_key(key: DataKey, secret: str, kind: str, params: KdfParams | None = None) -> str:
    """The key record with the data key encrypted under the secret (a fresh salt and nonce each time)."""
    check_new_secret(secret, kind)
    params = (params or CURRENT).with_salt()
    header = _header(key.version, kind, params)
    nonce = os.urandom(12)
    sealed = make_aead(derive(secret, kind, params)).encrypt(nonce, key.secret, _aad(header))
    return json.dumps({**header, "nonce": base64.b64encode(nonce).decode("ascii"),
                       "key": base64.b64encode(sealed).decode("ascii")})


@dataclass(frozen=True)
class Wrapped:
    """A wrapped key record, read without the secret: what kind of secret opens it, and how."""

    version: int
    kind: str
    params: KdfParams
    nonce: bytes
    sealed: bytes

    @property
    def header(self) -> dict:
        return _header(self.version, self.kind, self.params)


def read_wrapped(text: str | None) -> Wrapped | None:
    """The wrapped record, or None when the key is not wrapped (no PIN) or missing."""
    if text is None:
        return None
    try:
        raw = json.loads(text)
        if not (isinstance(raw, dict) and raw.get("wrapped") is True):
            return None
        if raw.get("format") != KEY_FORMAT or raw.get("kind") not in KINDS:
            raise ValueError("unsupported wrapped key")
        return Wrapped(int(raw["version"]), raw["kind"], KdfParams.from_dict(raw["kdf"]),
                       base64.b64decode(raw["nonce"], validate=True), base64.b64decode(raw["key"], validate=True))
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"The wrapped key is damaged ({exc.__class__.__name__}).") from None


def unwrap_key(wrapped: Wrapped, secret: str) -> DataKey:
    """The data key, or AppError pin_wrong. Never changes anything on disk."""
    try:
        kek = derive(secret, wrapped.kind, wrapped.params)
        secret_bytes = make_aead(kek).decrypt(wrapped.nonce, wrapped.sealed, _aad(wrapped.header))
    except InvalidTag:
        raise AppError("pin_wrong") from None
    return DataKey(version=wrapped.version, secret=secret_bytes)


class UnlockedKey:
    """A key store that hands over the key unwrapped in memory (the store opens with it after unlocking)."""

    def __init__(self, key: DataKey, inner: KeyStore):
        self._key, self._inner = key, inner

    def describe(self) -> str:
        return self._inner.describe()

    def load(self) -> DataKey:
        return self._key

    def save(self, key: DataKey) -> None:
        raise KeyFileError("A wrapped key exists; Regroup never writes a new key over it.")

    def read_text(self) -> str | None:
        return self._inner.read_text()

    def replace_text(self, text: str) -> None:
        self._inner.replace_text(text)

    def erase(self) -> None:
        self._inner.erase()


# --- wrong tries ------------------------------------------------------------------

def wait_after(failures: int) -> int:
    """Seconds to wait after this many wrong tries in a row."""
    if failures <= 0:
        return 0
    return WAITS[min(failures, len(WAITS)) - 1]


@dataclass(frozen=True)
class Attempts:
    failures: int = 0
    last: str | None = None  # UTC stamp of the last wrong try

    def wait_left(self, now: dt.datetime) -> int:
        """Seconds still to wait; a clock set back restarts the wait rather than ending it."""
        wait = wait_after(self.failures)
        if not wait or not self.last:
            return 0
        since = (now - parse_utc(self.last)).total_seconds()
        if since < 0:
            return wait
        return max(0, int(wait - since + 0.999))


class AttemptLog:
    """Wrong tries kept in a small owner-only file beside the database, so a restart does not reset them."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / ATTEMPTS_NAME

    def read(self) -> Attempts:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return Attempts(int(raw["failures"]), raw.get("last"))
        except FileNotFoundError:
            return Attempts()
        except (OSError, ValueError, KeyError, TypeError):
            return Attempts()  # only a crash mid-write could damage it, and the write is atomic

    def failed(self, now: dt.datetime) -> Attempts:
        attempts = Attempts(self.read().failures + 1, stamp(now))
        self._write(attempts)
        return attempts

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def _write(self, attempts: Attempts) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps(asdict(attempts)).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)

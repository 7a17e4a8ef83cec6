"""Specialist sign-in, the pure part: argon2 passwords (with a dummy check for unknown emails), the
growing lockout after failures, and HMAC-derived CSRF tokens. Sessions live in the database
(`server.accounts`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
SESSION_COOKIE = "regroup_session"
SESSION_HOURS = 12  # a session ends after this long whatever happens; idle sessions end sooner
# Checked against when the email is unknown, so the time taken does not tell who has an account.
DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(24))
LOCK_AFTER = 5  # failures for one account in LOCK_WINDOW before it is locked
LOCK_AFTER_ADDRESS = 20  # failures from one address (any accounts) before it is locked out
LOCK_WINDOW = 24 * 3600  # failures older than this are forgotten
LOCK_MAX = 3600  # no lock lasts longer than an hour


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def lock_seconds(failures: int, threshold: int = LOCK_AFTER) -> int:
    """How long a lock lasts after `failures` failures: none below the threshold, then 1, 2, 4 ...
    minutes, never more than LOCK_MAX (and never for ever: failures older than a day are forgotten)."""
    if failures < threshold:
        return 0
    return min(LOCK_MAX, 60 * 2 ** min(failures - threshold, 12))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Signer:
    """HMAC-derived values with the server's secret key: CSRF tokens for forms."""

    def __init__(self, secret: str):
        self.key = hashlib.sha256(secret.encode()).digest()

    def _mac(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, payload, hashlib.sha256).digest()).decode().rstrip("=")

    def csrf(self, session_token: str) -> str:
        """A token bound to this session: a form from another site cannot know it."""
        return self._mac(b"csrf:" + session_token.encode())

    def login_csrf(self, stamp: str) -> str:
        return self._mac(b"login:" + stamp.encode())

    def matches(self, expected: str, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))

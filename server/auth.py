"""Specialist sign-in: argon2 passwords, signed session cookies, CSRF tokens, a growing delay after failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
SESSION_COOKIE = "regroup_session"
SESSION_HOURS = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def failure_delay(failed: int) -> float:
    """Seconds to wait before answering after `failed` failures in a row: 0, 0, 0.5, 1, 2, 4 ... capped at 8."""
    return 0.0 if failed < 2 else min(8.0, 0.5 * 2 ** (failed - 2))


class Signer:
    """HMAC-signed values (the session cookie and CSRF tokens), with the server's secret key."""

    def __init__(self, secret: str):
        self.key = hashlib.sha256(secret.encode()).digest()

    def _mac(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, payload, hashlib.sha256).digest()).decode().rstrip("=")

    def sign(self, value: dict) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{payload}.{self._mac(payload.encode())}"

    def unsign(self, token: str | None) -> dict | None:
        if not token or "." not in token:
            return None
        payload, mac = token.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(payload.encode())):
            return None
        try:
            return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            return None

    def session(self, specialist_id: str) -> str:
        expires = int(time.time()) + SESSION_HOURS * 3600
        return self.sign({"sid": specialist_id, "exp": expires, "nonce": base64.urlsafe_b64encode(
            hashlib.sha256(f"{specialist_id}{time.time_ns()}".encode()).digest()[:9]).decode()})

    def read_session(self, cookie: str | None) -> dict | None:
        value = self.unsign(cookie)
        if not value or value.get("exp", 0) < time.time():
            return None
        return value

    def csrf(self, session_cookie: str) -> str:
        """A token bound to this session: a form from another site cannot know it."""
        return self._mac(b"csrf:" + session_cookie.encode())

    def login_csrf(self, stamp: str) -> str:
        return self._mac(b"login:" + stamp.encode())

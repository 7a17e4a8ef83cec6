"""The wire format of SYNC.md as the app speaks it: limits, entities, the hybrid clock, pairing input. Pure."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from app.errors import AppError

PROTOCOL = 1
CLIENT_VERSION = "0.1.0"
MAX_OPS = 100                  # ops in one push
MAX_BODY = 1024 * 1024         # bytes in one request
MAX_OP_BYTES = 512 * 1024      # bytes in one op
MAX_RESPONSE = 8 * 1024 * 1024  # a bigger answer is not a Regroup server's
PULL_LIMIT = 500
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # SYNC.md: no look-alikes
CODE_LENGTH = 12
MAX_DEVICE_NAME = 80

UP_ENTITIES = ("journal_entry", "checkin", "wellbeing", "journey_progress", "worksheet", "message")
DOWN_ENTITIES = ("message", "recommendation", "feedback", "notice")
# The op's per-op rejection codes (SYNC.md, Push).
REJECTIONS = ("unknown_entity", "unknown_field", "missing_field", "wrong_type", "invalid_value", "too_long",
              "invalid_text", "too_large", "not_owner", "op_id_taken", "deleted", "erased", "revoked")
LOOPBACK_NAMES = ("localhost",)


def stamp_ms(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def next_hlc(last_time: str | None, last_counter: int | None, now: dt.datetime) -> tuple[str, int]:
    """The next (time, counter) of this device's hybrid logical clock: never goes back, even if the clock does."""
    now_s = stamp_ms(now)
    if last_time is None or now_s > last_time:
        return now_s, 0
    return last_time, (last_counter or 0) + 1


def hlc(time: str, counter: int, device_id: str) -> str:
    """`<UTC time>-<counter, at least 4 digits>-<device_id>`; orders by (time, counter, device_id)."""
    return f"{time}-{counter:04d}-{device_id}"


def version_tuple(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in text.split("."))
    except (AttributeError, ValueError):
        return (0,)


def client_is_too_old(min_client_version: str) -> bool:
    return version_tuple(CLIENT_VERSION) < version_tuple(min_client_version)


# --- pairing input ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PairLink:
    server: str
    code: str


def normalize_code(text: str) -> str:
    """ABCD-EFGH-JKLM with dashes, spaces and case forgiven; AppError("pair_code_format") otherwise."""
    code = re.sub(r"[\s\-]", "", (text or "").upper())
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise AppError("pair_code_format")
    return code


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_server(text: str) -> str:
    """The server's base address: HTTPS, or plain HTTP on this device's own loopback only."""
    raw = (text or "").strip()
    if not raw:
        raise AppError("pair_server_missing")
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise AppError("pair_server_invalid")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise AppError("pair_server_insecure")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def parse_pair_link(text: str) -> PairLink:
    """`regroup://pair?server=<URL>&code=<code>`, as the dashboard shows it and its QR code holds."""
    parts = urlsplit((text or "").strip())
    if parts.scheme != "regroup" or (parts.netloc or parts.path.strip("/")) != "pair":
        raise AppError("pair_link_invalid")
    query = parse_qs(parts.query)
    server, code = query.get("server", [""])[0], query.get("code", [""])[0]
    if not server or not code:
        raise AppError("pair_link_invalid")
    return PairLink(server=normalize_server(server), code=normalize_code(code))


def clean_device_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not 1 <= len(name) <= MAX_DEVICE_NAME:
        raise AppError("pair_name_invalid")
    return name


# --- the web app: the server that hosts it ------------------------------------------------------

APP_PATH = "/app/"  # where the specialist's server serves the web app (server/webapp.py)


def origin_of(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port made explicit: what a browser compares for "same origin"."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def hosted_server(page_url: str | None) -> str | None:
    """The specialist's server that served this web app, from the page's address: its base address when the
    page is under /app/ (everything before it), else None (another host, a file, `make serve-web`)."""
    parts = urlsplit(page_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    base, sep, _rest = parts.path.partition(APP_PATH)
    if not sep:
        if parts.path.rstrip("/") + "/" != APP_PATH:  # /app without its slash
            return None
        base = ""
    try:
        return normalize_server(f"{parts.scheme}://{parts.netloc}{base}")
    except AppError:  # plain http to another machine: not a server the app may talk to
        return None

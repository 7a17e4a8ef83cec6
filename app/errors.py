"""One error family: every error a person can meet carries a stable code; screens turn codes into words.

Screens never look at a class name or a message: they show `screens.messages.text(err.code)`.
A message (`detail`) is for logs and developers and never holds what a person typed.
"""

from __future__ import annotations

CODES = frozenset({
    # opening and writing the store on this device
    "store_corrupt",     # the database file is damaged or is not a Regroup database
    "store_failed",      # the data folder could not be opened (permissions, a full disk at creation)
    "store_closed",      # the store is not open (a programming error surfaced to the person)
    "disk_full",         # no room left on the device to save
    "key_missing",       # encrypted data, but its key is not on this device
    "key_wrong",         # a key that does not open this data, or an unreadable key
    "decrypt_failed",    # one value could not be decrypted (damaged, or moved to another record)
    "crypto_unavailable",  # no AES-GCM here (a browser without WebCrypto): nothing is stored unencrypted
    "not_in_browser",    # a PIN, a passphrase or a sealed export in a browser whose scrypt did not load
    # what a person writes
    "empty_entry",       # an entry with no words
    "worksheet_empty",   # sharing a worksheet before anything is written in it
    "text_too_long",     # more than 100,000 characters in one text
    "title_too_long",    # a title over 200 characters
    "tag_too_long",      # one of the person's own tags over 40 characters
    "too_many_tags",     # more than 20 tags on one entry
    "unknown_tag",       # a suggested-tag key the app does not know
    "not_found",         # the record was deleted or never existed
    "invalid_checkin",   # a check-in value outside what the screen offers
    "invalid_wellbeing", # WHO-5 answers that are not five numbers from 0 to 5
    # settings
    "unknown_theme", "unknown_language", "unknown_country", "invalid_time", "invalid_lock_time",
    "invalid_text_scale", "invalid_reduce_motion",
    # the PIN lock (app/lock.py)
    "locked",            # the data key is wrapped by a PIN or passphrase and Regroup is locked
    "pin_format",        # a new PIN is not 4 to 8 digits
    "passphrase_short",  # a new passphrase is under 12 characters, or only digits
    "pin_wrong",         # the PIN or passphrase does not open the key
    "pin_wait",          # too many wrong tries: wait before the next one
    "pin_mismatch",      # the two new PINs typed are not the same
    # export and import (app/exchange.py): each leaves everything as it was
    "import_wrong_passphrase",  # the passphrase does not open the export file
    "import_truncated",         # the export file is cut off or damaged
    "import_newer_format",      # the file was exported by a newer version of Regroup
    "import_not_regroup",       # the file is not a Regroup export (another app's file, a photo ...)
    # erase everything
    "erase_confirm",     # the word typed to confirm is not the one asked for
    "unpair_failed",     # the specialist's server did not hear the unpairing, so nothing was erased
    # content shipped with the app
    "content_invalid",   # a content file is broken (names file, step and field in its detail)
    # pairing with the specialist's server (SYNC.md)
    "pair_server_missing", "pair_server_invalid",
    "pair_server_insecure",  # plain HTTP to another machine: refused, the link would be readable on the way
    "pair_server_elsewhere",  # the web app pairs only with the server it was opened from (its CSP allows no other)
    "pair_code_format", "pair_link_invalid", "pair_name_invalid",
    "invalid_code", "used_code", "expired_code",  # the server's answers to a pairing code
    "rate_limited",      # too many tries; the detail holds the wait in seconds
    "server_unreachable",  # no answer (offline, wrong address, the server is down)
    "server_error",      # the server answered, but not as a Regroup server should
    "client_too_old",    # the server needs a newer Regroup
    "already_paired", "not_paired",
    "connection_closed",  # the server no longer knows this phone (401)
    "share_refused",     # this record was deleted or erased on the server and cannot be shared again
})


class AppError(Exception):
    """An error a person can meet. `code` is one of CODES; `detail` is for logs (never typed text)."""

    def __init__(self, code: str, detail: str = ""):
        if code not in CODES:
            raise ValueError(f"unknown error code {code!r}")  # a typo is a programming error, never a fallback
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


class StoreError(AppError):
    """The local store cannot do what was asked (damaged, full, closed)."""


class CryptoError(AppError):
    """An encryption problem; messages never contain plaintext."""


class ContentError(AppError):
    """A content file is broken; the detail says file, place and field, so a reviewer can fix it."""

    def __init__(self, file: str, where: str, field: str | None, problem: str):
        self.file, self.where, self.field, self.problem = file, where, field, problem
        at = f"{where}, field '{field}'" if field else where
        super().__init__("content_invalid", f"{file}: {at}: {problem}")


def trace_without_text(exc: BaseException) -> str:
    """Where an unplanned fault happened (class, then file:line in function), without its message.

    A message can hold what a person typed; a log line must not (README, privacy)."""
    import traceback
    frames = traceback.extract_tb(exc.__traceback__)
    where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}" for f in reversed(frames[-6:]))
    return f"{exc.__class__.__name__} at {where}" if where else exc.__class__.__name__

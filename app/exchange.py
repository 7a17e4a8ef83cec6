"""The export file: everything a person keeps in Regroup, as JSON sealed with a passphrase they choose.

    {"app": "regroup", "kind": "export", "format": 1, "created_at": ..., "kdf": {scrypt, as for the PIN},
     "nonce": ..., "data": base64(AES-GCM(zlib(JSON of every record)))}

The header is the associated data, so a changed header, a wrong passphrase or a cut-off file all fail
to open, and each failure has its own code; nothing is imported from a file that does not open whole.
The records inside (`app/store/exchange.py`) carry their ids, times and revisions, in plain text only
inside the sealed part.
"""

from __future__ import annotations

import base64
import json
import os
import zlib

from app import lock
from app.crypto import InvalidTag, make_aead
from app.errors import AppError

APP, KIND, FORMAT = "regroup", "export", 1
PREFIX = b'{"app": "regroup"'  # how every export file begins (the header is written first)
MAX_BYTES = 512 * 1024 * 1024


def _aad(header: dict) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(payload: dict, passphrase: str, *, created_at: str) -> bytes:
    """The export file's bytes: the payload compressed and encrypted under a key from the passphrase."""
    lock.check_new_secret(passphrase, "passphrase")
    params = lock.CURRENT.with_salt()
    nonce = os.urandom(12)
    header = {"app": APP, "kind": KIND, "format": FORMAT, "created_at": created_at, "kdf": params.to_dict(),
              "nonce": base64.b64encode(nonce).decode("ascii")}
    inner = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    sealed = make_aead(lock.derive(passphrase, "passphrase", params)).encrypt(nonce, inner, _aad(header))
    return json.dumps({**header, "data": base64.b64encode(sealed).decode("ascii")}).encode("utf-8")


def read_header(raw: bytes) -> dict:
    """The file's header, or the code that says why it is not an export Regroup can open."""
    if len(raw) > MAX_BYTES:
        raise AppError("import_not_regroup", "the file is larger than any export")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        code = "import_truncated" if raw.startswith(PREFIX) else "import_not_regroup"
        raise AppError(code, "the file is not whole JSON") from None
    if not isinstance(doc, dict) or doc.get("app") != APP or doc.get("kind") != KIND:
        raise AppError("import_not_regroup", "the file is not a Regroup export")
    version = doc.get("format")
    if not isinstance(version, int) or version < 1:
        raise AppError("import_not_regroup", "the export has no format version")
    if version > FORMAT:
        raise AppError("import_newer_format", f"format {version}, this version reads {FORMAT}")
    return doc


def open_sealed(raw: bytes, passphrase: str) -> dict:
    """The payload of an export file; AppError with the reason otherwise. Changes nothing anywhere."""
    doc = read_header(raw)
    try:
        header = {k: doc[k] for k in ("app", "kind", "format", "created_at", "kdf", "nonce")}
        params = lock.KdfParams.from_dict(doc["kdf"])
        nonce = base64.b64decode(doc["nonce"], validate=True)
        sealed = base64.b64decode(doc["data"], validate=True)
    except (KeyError, TypeError, ValueError, AppError):
        raise AppError("import_truncated", "the export's header is incomplete") from None
    try:
        inner = make_aead(lock.derive(passphrase, "passphrase", params)).decrypt(nonce, sealed, _aad(header))
    except InvalidTag:
        raise AppError("import_wrong_passphrase") from None
    except ValueError:  # a nonce of the wrong length: damaged
        raise AppError("import_truncated", "the export's nonce is damaged") from None
    try:
        payload = json.loads(zlib.decompress(inner).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        raise AppError("import_truncated", "the sealed part is damaged") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("tables"), dict):
        raise AppError("import_truncated", "the sealed part holds no records")
    return payload

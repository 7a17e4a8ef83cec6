"""AES-GCM through the browser's WebCrypto, for the web build (Pyodide has no build of `cryptography`).

Same bytes as cryptography's AESGCM (12-byte nonce, 16-byte tag appended), so app/crypto.py's blobs are
identical on both sides. WebCrypto only answers with promises while the store is synchronous: each call
blocks on its promise with Pyodide's `run_sync`, which suspends the WebAssembly stack (JSPI, Chromium 137+,
Firefox 139+ behind a flag, Safari not yet). Where it cannot, `available()` says so and the wiring refuses
to store anything (app.crypto.make_aead raises crypto_unavailable): text is never stored in the clear.
"""

from __future__ import annotations

from app.crypto import InvalidTag
from app.errors import CryptoError

TAG_BITS = 128


def available() -> bool:
    """True in a browser whose Pyodide can block on a WebCrypto promise here."""
    try:
        from js import crypto  # noqa: F401
        from pyodide.ffi import can_run_sync
    except ImportError:
        return False
    try:
        return bool(can_run_sync()) and crypto.subtle is not None
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


class WebCryptoAESGCM:
    """The AEAD surface app/crypto.py uses (encrypt/decrypt with nonce and associated data)."""

    def __init__(self, secret: bytes):
        if not available():  # e.g. called where the stack cannot be suspended: refuse, never store plaintext
            raise CryptoError("crypto_unavailable", "WebCrypto cannot be awaited here (no JSPI).")
        from js import Object, crypto
        from pyodide.ffi import run_sync, to_js
        self._subtle, self._run, self._Object, self._to_js = crypto.subtle, run_sync, Object, to_js
        usages = to_js(["encrypt", "decrypt"])
        # Not extractable: the page's scripts can use the key but never read it back out of WebCrypto.
        self._key = run_sync(self._subtle.importKey("raw", to_js(bytes(secret)), "AES-GCM", False, usages))

    def _params(self, nonce: bytes, associated_data: bytes):
        return self._to_js({"name": "AES-GCM", "iv": self._to_js(bytes(nonce)),
                            "additionalData": self._to_js(bytes(associated_data)), "tagLength": TAG_BITS},
                           dict_converter=self._Object.fromEntries)

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes) -> bytes:
        params = self._params(nonce, associated_data)
        return self._run(self._subtle.encrypt(params, self._key, self._to_js(bytes(data)))).to_bytes()

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes) -> bytes:
        from pyodide.ffi import JsException
        params = self._params(nonce, associated_data)
        try:
            return self._run(self._subtle.decrypt(params, self._key, self._to_js(bytes(data)))).to_bytes()
        except JsException:  # OperationError: the tag does not verify
            raise InvalidTag() from None

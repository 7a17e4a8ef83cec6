"""scrypt in the browser, for the web build's PIN lock and sealed exports (Pyodide has neither `cryptography`
nor `hashlib.scrypt`).

The JavaScript is @noble/hashes' scrypt (audited, no dependencies), pinned and checked by web/build.py, which
places its ES modules in dist/web/kdf/ (precached by the service worker like every file). `load()` imports it
once, where Python runs (the page's worker), and returns the function `app.lock.use_kdf` takes: the wiring
installs it. Same RFC 7914 scrypt as `cryptography`'s, so key records and export files are the same bytes on
both sides (tests/data/scrypt_vectors.json, checked on CPython and in Chromium).

The derivation itself is noble's synchronous `scrypt`: the worker is busy for its length (under a second or
two) and nothing else runs in Python meanwhile, exactly as with `cryptography`. Only the import awaits.
Where the module cannot be loaded, `load()` returns None and a PIN or an export is refused with
`not_in_browser` rather than made weaker.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from app.errors import AppError

MODULE = "kdf/noble-hashes/scrypt.js"  # relative to the web root (the worker's own address)


def memory_for(n: int, r: int, p: int) -> int:
    """The bytes noble's scrypt allocates (128·r·(n+p+1), plus its scratch block): its `maxmem` is set to
    this, so a stored record's parameters are honoured rather than refused by noble's default cap."""
    return 128 * r * (n + p + 2) + 1024


class BrowserScrypt:
    """scrypt(password, salt, n, r, p, length) over the loaded JS module."""

    def __init__(self, module):
        from js import Object, Uint8Array
        from pyodide.ffi import to_js
        self._scrypt, self._Object, self._Uint8Array, self._to_js = module.scrypt, Object, Uint8Array, to_js

    def _bytes(self, data: bytes):
        array = self._Uint8Array.new(len(data))
        array.assign(bytes(data))
        return array

    def __call__(self, password: bytes, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
        from pyodide.ffi import JsException
        opts = self._to_js({"N": n, "r": r, "p": p, "dkLen": length, "maxmem": memory_for(n, r, p)},
                           dict_converter=self._Object.fromEntries)
        try:
            return self._scrypt(self._bytes(password), self._bytes(salt), opts).to_bytes()
        except JsException:  # e.g. out of memory for a record's parameters: refused, never a weaker key
            raise AppError("not_in_browser", "scrypt failed in this browser") from None


async def load(base: str | None = None) -> BrowserScrypt | None:
    """The browser's scrypt, imported from `MODULE` beside `base` (default: the worker's address); None
    outside a browser or where the module cannot be loaded."""
    try:
        from js import location
        from pyodide.code import run_js
    except ImportError:
        return None
    url = urljoin(base or str(location.href), MODULE)
    try:
        module = await run_js(f"import({json.dumps(url)})")
    except Exception:  # noqa: BLE001 - missing file, offline without the cache, a refused import: not here
        return None
    return BrowserScrypt(module)

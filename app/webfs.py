"""The web build's data folder: Emscripten's IDBFS, so the store survives reloads, closed tabs and restarts.

Pyodide keeps files in memory; mounting the folder on IndexedDB and syncing it after every store trip (the
wiring hands `flush` to the inline store) keeps what was written. IndexedDB belongs to the page's origin,
which is why the specialist's server serves the app at its own address (/app/).
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("regroup")
_mounted: Path | None = None
_state = {"running": False, "again": False}  # one sync at a time; trips meanwhile ask for one more after it


def _fs():
    import pyodide_js
    return pyodide_js.FS


def _syncfs(populate: bool):
    """FS.syncfs as a promise (populate: IndexedDB -> memory, else memory -> IndexedDB)."""
    from js import Promise
    from pyodide.ffi import create_once_callable

    def executor(resolve, reject):
        def done(err=None):
            (reject if err else resolve)(err)
        _fs().syncfs(populate, create_once_callable(done))
    return Promise.new(executor)


async def mount(path: Path) -> None:
    """Mount path on IndexedDB and load what it holds (once per worker)."""
    global _mounted
    if _mounted is not None:
        return
    fs = _fs()
    Path(path).mkdir(parents=True, exist_ok=True)
    fs.mount(fs.filesystems.IDBFS, {}, str(path))
    await _syncfs(True)
    _mounted = Path(path)


def flush() -> None:
    """Write the folder's changes to IndexedDB (after each store trip; queued, never blocking the UI)."""
    if _mounted is None:
        return
    if _state["running"]:
        _state["again"] = True
        return
    from pyodide.ffi import create_once_callable

    def done(err=None):
        _state["running"] = False
        if err:
            log.error("flush to IndexedDB failed")
        if _state["again"]:
            _state["again"] = False
            flush()
    _state["running"] = True
    _fs().syncfs(False, create_once_callable(done))


def idle() -> bool:
    """True when everything written has reached IndexedDB (the page's tests wait on it)."""
    return not _state["running"] and not _state["again"]


async def flushed() -> None:
    """Wait until everything written so far is in IndexedDB (tests, closing)."""
    if _mounted is not None:
        await _syncfs(False)

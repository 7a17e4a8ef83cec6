"""The phone's Keychain / Keystore (flet-secure-storage) as the small sync surface app.crypto expects.

The store thread calls get/set; each call is run on the page's event loop and awaited from that
thread, so the UI never blocks on it.
"""

from __future__ import annotations

import asyncio

import flet as ft

PHONES = (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)
TIMEOUT_S = 15


class SecureStorageValues:
    """get/set of text values through an async secure storage, from a thread other than the loop's."""

    def __init__(self, storage, loop: asyncio.AbstractEventLoop):
        self._storage, self._loop = storage, loop

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=TIMEOUT_S)

    def get(self, name: str) -> str | None:
        return self._run(self._storage.get(name))

    def set(self, name: str, value: str) -> None:
        self._run(self._storage.set(name, value))


def phone_secure_values(page: ft.Page) -> SecureStorageValues | None:
    """On a phone build, the platform's secure storage; elsewhere None (an owner-only key file is used)."""
    if page.web or page.platform not in PHONES:
        return None
    import flet_secure_storage as fss  # only on phones; the web build does not need it
    return SecureStorageValues(fss.SecureStorage(), asyncio.get_running_loop())

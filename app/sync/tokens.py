"""Where the device token is kept: the phone's secure storage in phone builds, else the encrypted store.

In the web app (the PWA) it is the encrypted store too: the token is AES-GCM encrypted (WebCrypto) like
everything else in the database, which lives in the origin's IndexedDB with its key file beside it
(docs/web-app.md). That protects it as much as the desktop's key file does, and no more, until a PIN wraps
the key. flet-secure-storage is not used there: its web version keeps values in the origin's localStorage,
encrypted with a key kept there too, which is no safer and would be one more place holding a secret.

The token is a bearer secret: it is never logged, never put in an exception, never shown."""

from __future__ import annotations

from typing import Protocol

from app.crypto import SecureValues
from app.store import Store
from app.store import outbox


class TokenKeeper(Protocol):
    store_token: bool  # True when the store itself keeps the token (encrypted)

    def load(self, store: Store) -> str | None: ...

    def save(self, store: Store, token: str) -> None: ...

    def clear(self, store: Store) -> None: ...


class StoreTokens:
    """The token encrypted in the store's connection row (desktop and the web app)."""

    store_token = True

    def load(self, store: Store) -> str | None:
        return outbox.get_token(store)

    def save(self, store: Store, token: str) -> None:
        outbox.set_token(store, token)

    def clear(self, store: Store) -> None:
        outbox.set_token(store, None)


class SecureTokens:
    """The token in the phone's Keychain / Keystore (flet-secure-storage through wiring.py)."""

    NAME = "regroup.device_token"
    store_token = False

    def __init__(self, values: SecureValues):
        self._values = values

    def load(self, store: Store) -> str | None:
        return self._values.get(self.NAME) or None

    def save(self, store: Store, token: str) -> None:
        self._values.set(self.NAME, token)

    def clear(self, store: Store) -> None:
        self._values.set(self.NAME, "")

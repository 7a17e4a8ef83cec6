"""Where the device token is kept: the phone's secure storage in phone builds, else the encrypted store.

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
    """The token encrypted in the store's connection row (desktop and browser)."""

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

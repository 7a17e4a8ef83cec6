"""The phone's secure storage bridge: the store thread reaches an async storage on the UI loop."""

from __future__ import annotations

import asyncio

from app import crypto, store
from screens.secure_storage import SecureStorageValues


class FakeFletSecureStorage:
    """Async like flet_secure_storage.SecureStorage; records which thread served each call."""

    def __init__(self):
        self.values, self.threads = {}, set()

    async def get(self, key):
        self.threads.add(__import__("threading").get_ident())
        return self.values.get(key)

    async def set(self, key, value):
        self.threads.add(__import__("threading").get_ident())
        self.values[key] = value


def test_the_store_thread_keeps_its_key_in_secure_storage_through_the_loop(tmp_path):
    async def go():
        import threading
        fake = FakeFletSecureStorage()
        values = SecureStorageValues(fake, asyncio.get_running_loop())
        keystore = crypto.SecureStorageKeyStore(values)
        opened = await asyncio.to_thread(store.open_store, tmp_path, keystore=keystore)
        await asyncio.to_thread(store.save_settings, opened, display_name="Ana")
        await asyncio.to_thread(opened.close)
        reopened = await asyncio.to_thread(store.open_store, tmp_path, keystore=keystore)
        name = (await asyncio.to_thread(store.get_settings, reopened)).display_name
        await asyncio.to_thread(reopened.close)
        assert name == "Ana"
        assert list(fake.values) == [crypto.SecureStorageKeyStore.NAME]
        assert fake.threads == {threading.get_ident()}  # every call ran on the loop, not the store thread
        assert not (tmp_path / store.KEY_NAME).exists()
    asyncio.run(go())

"""The phone's secure storage bridge: the store thread reaches an async storage on the UI loop."""

from __future__ import annotations

import asyncio

from app import crypto, store
from app.worker import StoreThread
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
        worker = StoreThread()  # one thread owns the store, as in the app
        opened = await worker.run(store.open_store, tmp_path, keystore=keystore)
        await worker.run(store.save_settings, opened, display_name="Ana")
        await worker.run(opened.close)
        reopened = await worker.run(store.open_store, tmp_path, keystore=keystore)
        name = (await worker.run(store.get_settings, reopened)).display_name
        await worker.run(reopened.close)
        worker.shutdown()
        assert name == "Ana"
        assert list(fake.values) == [crypto.SecureStorageKeyStore.NAME]
        assert fake.threads == {threading.get_ident()}  # every call ran on the loop, not the store thread
        assert not (tmp_path / store.KEY_NAME).exists()
    asyncio.run(go())

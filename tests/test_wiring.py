"""Wiring: the phone's secure storage reaches the store thread, and the key store is chosen before the store opens."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import flet as ft
import pytest

from app import crypto, store
from app.errors import StoreError
from app.services import Services, StartStatus
from app.store.settings import get_settings, save_settings
from app.worker import StoreThread
from wiring import SecureStorageValues, make_session, phone_reminders, phone_secure_values


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

    async def remove(self, key):
        self.threads.add(__import__("threading").get_ident())
        self.values.pop(key, None)


def test_the_store_thread_keeps_its_key_in_secure_storage_through_the_loop(tmp_path):
    async def go():
        import threading
        fake = FakeFletSecureStorage()
        values = SecureStorageValues(fake, asyncio.get_running_loop())
        keystore = crypto.SecureStorageKeyStore(values)
        worker = StoreThread()  # one thread owns the store, as in the app
        opened = await worker.run(store.open_store, tmp_path, keystore=keystore)
        await worker.run(save_settings, opened, display_name="Ana")
        await worker.run(opened.close)
        reopened = await worker.run(store.open_store, tmp_path, keystore=keystore)
        name = (await worker.run(get_settings, reopened)).display_name
        await worker.run(reopened.close)
        worker.shutdown()
        assert name == "Ana"
        assert list(fake.values) == [crypto.SecureStorageKeyStore.NAME]
        assert fake.threads == {threading.get_ident()}  # every call ran on the loop, not the store thread
        assert not (tmp_path / store.KEY_NAME).exists()
    asyncio.run(go())


def test_erasing_removes_the_key_from_secure_storage_through_the_loop():
    async def go():
        fake = FakeFletSecureStorage()
        keystore = crypto.SecureStorageKeyStore(SecureStorageValues(fake, asyncio.get_running_loop()))
        worker = StoreThread()
        await worker.run(keystore.save, crypto.DataKey.generate())
        assert list(fake.values) == [crypto.SecureStorageKeyStore.NAME]
        await worker.run(keystore.erase)
        worker.shutdown()
        return fake.values
    assert asyncio.run(go()) == {}


def test_only_a_phone_build_uses_secure_storage_and_system_reminders():
    assert phone_secure_values(SimpleNamespace(web=True, platform=ft.PagePlatform.ANDROID)) is None
    assert phone_secure_values(SimpleNamespace(web=False, platform=ft.PagePlatform.LINUX)) is None
    assert phone_reminders(SimpleNamespace(web=True, platform=ft.PagePlatform.ANDROID)) is None
    assert phone_reminders(SimpleNamespace(web=False, platform=ft.PagePlatform.LINUX)) is None


def test_secure_storage_cannot_be_chosen_once_the_store_is_open(data_dir):
    async def go():
        services = Services(data_dir)
        assert (await services.start()).status is StartStatus.OK
        with pytest.raises(StoreError):
            services.use_secure_storage(SimpleNamespace(get=lambda n: None, set=None))
        await services.close()
    asyncio.run(go())


def test_a_later_session_does_not_choose_the_key_store_again(data_dir, monkeypatch):
    """Only the first session, before the store opens, picks where the key lives; later ones reuse it."""
    chosen, shells = [], []
    monkeypatch.setattr("wiring.phone_secure_values", lambda page: chosen.append(page) or None)

    class FakeShell:
        def __init__(self, page, services):
            shells.append(page)

        async def start(self):
            await services.start()
    monkeypatch.setattr("wiring.Shell", FakeShell)
    services = Services(data_dir)
    session = make_session(services)

    async def go():
        await session("first")
        await session("second")
        await services.close()
    asyncio.run(go())
    assert chosen == ["first"] and shells == ["first", "second"]


def test_the_web_builds_sync_client_goes_through_the_browsers_fetch():
    from app.sync.fetch import FetchTransport
    from wiring import fetch_http
    client = fetch_http()
    assert isinstance(client._transport, FetchTransport)
    asyncio.run(client.aclose())

"""Shared fixtures: a fresh data folder, a clock the test sets, and a store per test."""

from __future__ import annotations

import pytest

from app.clock import FixedClock
from app.store import open_store

NOW = "2026-11-26T12:00:00.000Z"  # the fixtures' "now"; tests that care about the date set their own


@pytest.fixture
def cheap_kdf(monkeypatch):
    """Wrap keys and seal exports with a cheap scrypt cost (the real one is tested once, in test_lock)."""
    from app import lock
    monkeypatch.setattr(lock, "CURRENT", lock.KdfParams(n=2 ** 10, r=8, p=1))


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def clock():
    return FixedClock(NOW, zone="UTC")


@pytest.fixture
def opened(data_dir, clock):
    s = open_store(data_dir, clock=clock)
    yield s
    s.close()

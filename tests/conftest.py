"""Shared fixtures: a fresh data folder and store per test."""

from __future__ import annotations

import pytest

from app import store as store_mod


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def opened(data_dir):
    s = store_mod.open_store(data_dir)
    yield s
    s.close()

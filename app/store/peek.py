"""The settings that are stored in the clear, read while Regroup is locked (theme, language, discreet mode).

A locked store has no key, so nothing encrypted can be read; these values were never secret. The file is
opened read-only and never changed.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields, replace
from pathlib import Path

from app.domain import Settings
from app.store.core import db_path
from app.store.settings import SECRET_SETTINGS

PLAIN = frozenset(f.name for f in fields(Settings)) - SECRET_SETTINGS


def peek_settings(data_dir: Path) -> Settings:
    """The plain settings, or the defaults when the file cannot be read."""
    path = db_path(data_dir)
    if not path.exists():
        return Settings()
    values = {}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for key, value in conn.execute("SELECT key, value FROM settings WHERE value IS NOT NULL"):
                if key in PLAIN:
                    values[key] = json.loads(value)
        finally:
            conn.close()
    except (sqlite3.Error, ValueError):
        return Settings()
    return replace(Settings(), **values)

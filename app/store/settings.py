"""Settings rows: what the person chose, one key per row; the ones they typed are encrypted."""

from __future__ import annotations

import json
from dataclasses import fields, replace

from app.domain import Settings
from app.store.core import Store, transaction

# Settings whose values a person typed themselves: encrypted like any other text.
SECRET_SETTINGS = frozenset({"display_name"})
_SETTING_FIELDS = {f.name for f in fields(Settings)}


def get_settings(store: Store) -> Settings:
    values = {}
    for row in store.db["settings"].rows:
        key = row["key"]
        if key not in _SETTING_FIELDS:
            continue
        if key in SECRET_SETTINGS:
            values[key] = store.cipher.decrypt_optional("settings", key, "value", row["value_enc"])
        elif row["value"] is not None:
            values[key] = json.loads(row["value"])
    return replace(Settings(), **values)


def save_settings(store: Store, **changes) -> Settings:
    """Save some settings in one transaction; unknown names are a programming error."""
    unknown = set(changes) - _SETTING_FIELDS
    if unknown:
        raise ValueError(f"Unknown settings: {sorted(unknown)}")
    now = store.clock.stamp()
    rows = []
    for key, value in changes.items():
        if key in SECRET_SETTINGS:
            enc = store.cipher.encrypt_optional("settings", key, "value", value)
            rows.append({"key": key, "value": None, "value_enc": enc, "updated_at": now})
        else:
            rows.append({"key": key, "value": json.dumps(value), "value_enc": None, "updated_at": now})
    with transaction(store):
        store.db["settings"].upsert_all(rows, pk="key")
    return get_settings(store)

"""Domain values shared by the store, the use-cases and the screens. Stdlib only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

THEMES = ("system", "light", "dark")


def new_id() -> str:
    """A client-made record id (SYNC.md: ids are random UUIDs)."""
    return str(uuid.uuid4())


def utc_now() -> str:
    """Now as an ISO-8601 UTC string with milliseconds, the format records and sync use."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Settings:
    """What the person chose; every field has a safe default before onboarding."""

    language: str = "en"
    country: str | None = None
    display_name: str | None = None
    theme: str = "system"
    onboarded: bool = False

    @property
    def greeting_name(self) -> str | None:
        name = (self.display_name or "").strip()
        return name or None

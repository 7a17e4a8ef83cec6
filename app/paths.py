"""Where Regroup keeps its files on this device."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Regroup"
ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
LOCALES_DIR = ROOT / "locales"
ASSETS_DIR = ROOT / "assets"


def data_dir(environ: dict[str, str] | None = None) -> Path:
    """The data folder: REGROUP_DATA_DIR, else Flet's app storage, else the platform's user data folder."""
    env = os.environ if environ is None else environ
    for name in ("REGROUP_DATA_DIR", "FLET_APP_STORAGE_DATA"):
        value = env.get(name, "").strip()
        if value:
            return Path(value).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create the folder if needed, readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:  # a phone's sandbox may not allow it; it is private already
        pass
    return path

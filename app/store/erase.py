"""Erase everything: every file Regroup made in its data folder, the key first.

Everything typed is encrypted with the data key, so removing the key makes whatever a flash disk
keeps of the database unreadable; the key file is overwritten before it is removed, for disks that
write in place. The secure-storage entry on a phone is removed through the key store.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from app.store.core import DB_NAME, KEY_NAME

PREFIX = "regroup"            # every file Regroup makes in its folder starts with this
OWN_FOLDERS = ("exports",)    # folders of its own (none today; kept for saved copies)


def _overwrite(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(os.urandom(max(size, 64)))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass  # removal below still happens


def erase_files(data_dir: Path) -> list[str]:
    """Remove the key, the database with its WAL, and every other file of Regroup's; returns their names."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    gone = []
    key_first = sorted(data_dir.iterdir(), key=lambda p: (not p.name.startswith(KEY_NAME), p.name != DB_NAME))
    for path in key_first:
        if path.is_dir() and path.name in OWN_FOLDERS:
            shutil.rmtree(path, ignore_errors=True)
            gone.append(path.name + "/")
        elif path.is_file() and path.name.startswith(PREFIX):
            if path.name.startswith(KEY_NAME):
                _overwrite(path)
            path.unlink(missing_ok=True)
            gone.append(path.name)
    return gone

"""The arrows of DESIGN.md, enforced by an AST scan of every import.

- app/ never imports the UI or the server; inside app/, only app/store/ touches SQLite.
- screens/ never touches SQL, HTTP, the store, the crypto or the store's thread: it calls use-cases.
- server/ imports nothing of the app but the wire format.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SQL = {"sqlite3", "sqlite_utils"}

FORBIDDEN = {
    "app": {"flet", "flet_charts", "flet_web", "screens", "server", "main", "wiring"},
    "app/store": {"flet", "flet_charts", "flet_web", "screens", "server", "main", "wiring", "app.services"},
    "screens": SQL | {"httpx", "requests", "urllib.request", "server", "app.store", "app.crypto", "app.worker",
                      "app.runtime", "app.sync", "app.webcrypto", "app.webkdf", "app.webfs", "wiring", "main"},
    "server": {"flet", "screens", "app", "wiring", "main"},
}
ALLOWED = {"server": {"app.protocol"}}


def imports_of(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


def _files(layer: str) -> list[Path]:
    """The layer's files; app/ means app/ outside app/store/, which has its own rules."""
    files = sorted((ROOT / layer).rglob("*.py"))
    if layer == "app":
        store = ROOT / "app" / "store"
        files = [p for p in files if store not in p.parents]
    return files


def broken_arrows(layer: str) -> list[str]:
    banned_here = FORBIDDEN[layer] | (SQL if layer == "app" else set())
    bad = []
    for path in _files(layer):
        for name in imports_of(path):
            if name in ALLOWED.get(layer, set()):
                continue
            for banned in banned_here:
                if name == banned or name.startswith(banned + "."):
                    bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


@pytest.mark.parametrize("layer", ["app", "app/store", "screens", "server"])
def test_layer_imports_follow_design(layer):
    assert broken_arrows(layer) == []


def test_content_locales_and_assets_hold_no_code():
    code = [p for d in ("content", "locales", "assets") for p in (ROOT / d).rglob("*.py")]
    assert code == []


def test_scanner_catches_a_broken_arrow(tmp_path, monkeypatch):
    """The scan itself works: SQL planted in a screen or in a top-level app module is reported; the store may."""
    for folder, text in [("screens", "import sqlite3\nfrom app.store import journal\nimport app.store.core\n"),
                         ("app", "import sqlite_utils\nfrom sqlite3 import connect\n"),
                         ("app/store", "import sqlite3\n")]:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "planted.py").write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert broken_arrows("screens") == ["screens/planted.py imports sqlite3",
                                        "screens/planted.py imports app.store",
                                        "screens/planted.py imports app.store.journal",
                                        "screens/planted.py imports app.store.core"]
    assert broken_arrows("app") == ["app/planted.py imports sqlite_utils", "app/planted.py imports sqlite3",
                                    "app/planted.py imports sqlite3.connect"]
    assert broken_arrows("app/store") == []


def test_no_screen_matches_errors_by_class_name_or_message():
    """Screens read an error's code (screens/messages.py), never its class name or text."""
    offenders = []
    for path in (ROOT / "screens").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("__class__.__name__ ==", "__name__ ==", "str(exc) in", "str(exc) =="):
            if needle in text:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == []


def test_main_stays_thin():
    lines = [line for line in (ROOT / "main.py").read_text().splitlines() if line.strip()]
    assert len(lines) < 60

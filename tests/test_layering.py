"""The arrows of DESIGN.md, enforced by an AST scan of every import."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "app": {"flet", "flet_charts", "flet_web", "screens", "server", "main"},
    "screens": {"sqlite3", "sqlite_utils", "httpx", "requests", "urllib.request", "server", "app.store",
                "app.crypto", "app.worker"},
    "server": {"flet", "screens", "app"},
    "content": set(),
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


def broken_arrows(layer: str) -> list[str]:
    bad = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in imports_of(path):
            if name in ALLOWED.get(layer, set()):
                continue
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


@pytest.mark.parametrize("layer", ["app", "screens", "server"])
def test_layer_imports_follow_design(layer):
    if not (ROOT / layer).exists():
        pytest.skip(f"{layer}/ does not exist yet")
    assert broken_arrows(layer) == []


def test_content_locales_and_assets_hold_no_code():
    code = [p for d in ("content", "locales", "assets") for p in (ROOT / d).rglob("*.py")]
    assert code == []


def test_scanner_catches_a_broken_arrow(tmp_path, monkeypatch):
    """The scan itself works: a screen importing sqlite3 is reported."""
    (tmp_path / "screens").mkdir()
    (tmp_path / "screens" / "bad.py").write_text("import sqlite3\nfrom app import store\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert broken_arrows("screens") == ["screens/bad.py imports sqlite3", "screens/bad.py imports app.store"]


def test_main_stays_thin():
    lines = [l for l in (ROOT / "main.py").read_text().splitlines() if l.strip()]
    assert len(lines) < 60

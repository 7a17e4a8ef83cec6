"""docs/sync-protocol.md's error tables are the server's codes: the same list, with the same statuses,
and every code the server's modules raise is in that list (and every listed code is raised)."""

from __future__ import annotations

import re
from pathlib import Path

from server import codes

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "sync-protocol.md").read_text(encoding="utf-8")
SOURCES = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "server").glob("*.py") if p.name != "codes.py"}


def tables_under(heading: str) -> list[list[list[str]]]:
    section = DOC.split(heading, 1)[1].split("\n### ", 1)[0]
    tables, current = [], []
    for line in section.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not set("".join(cells)) <= set("- "):
                current.append(cells)
        elif current:
            tables.append(current[1:])  # without the header row
            current = []
    return tables


def test_the_request_error_table_matches_the_server():
    request_table, _ = tables_under("### Errors")
    documented = {row[0].strip("`"): row[1] for row in request_table}
    expected = {code: str(status) if status else "other" for code, status in codes.REQUEST_ERRORS.items()}
    assert documented == expected


def test_the_op_error_table_matches_the_server():
    _, op_table = tables_under("### Errors")
    assert [row[0].strip("`") for row in op_table] == list(codes.OP_ERRORS)


def raised_in_source() -> tuple[set[str], set[str]]:
    text = "\n".join(SOURCES.values())
    request = set(re.findall(r'error\(\d{3}, "([a-z_]+)"', text)) | set(re.findall(r'PairError\("([a-z_]+)"', text))
    request |= set(re.findall(r'\{\d{3}: "([a-z_]+)", \d{3}: "([a-z_]+)"\}', SOURCES["app.py"])[0])
    request |= set(re.findall(r'\.get\(exc\.status_code, "([a-z_]+)"\)', SOURCES["app.py"]))
    per_op = set(re.findall(r'Rejected\("([a-z_]+)"', text)) | set(re.findall(r'return "([a-z_]+)", ', text))
    per_op |= set(re.findall(r'"code": "([a-z_]+)"', SOURCES["sync.py"]))
    return request, per_op


def test_every_code_the_server_raises_is_listed_and_every_listed_code_is_raised():
    request, per_op = raised_in_source()
    assert request == set(codes.REQUEST_ERRORS)
    assert per_op == set(codes.OP_ERRORS)


def test_the_server_section_comes_before_a_client_section_left_for_the_app():
    assert DOC.index("\n## Server\n") < DOC.index("\n## Client\n")

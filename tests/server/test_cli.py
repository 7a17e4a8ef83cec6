"""The admin's command line: the result alone on the last line, errors on stderr, non-zero on failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(tmp_path):
    env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv")}
    env.pop("REGROUP_DATABASE_URL", None)

    def run(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=env, input=stdin, text=True,
                              capture_output=True)
    return run


def last(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_the_whole_admin_flow(cli):
    assert cli("migrate").returncode == 0
    made = cli("create-specialist", "--email", "Sam@Practice.test", "--name", "Sam", stdin="a good long password\n")
    assert made.returncode == 0 and uuid.UUID(last(made))
    family = cli("add-family", "--name", "The Byrnes", "--specialist", "sam@practice.test")
    family_id = last(family)
    assert family.returncode == 0 and uuid.UUID(family_id)
    code = cli("pairing-code", "--family", family_id)
    assert code.returncode == 0 and len(last(code)) == 14 and last(code).count("-") == 2
    export = cli("export-family", "--family", family_id)
    assert export.returncode == 0
    data = json.loads(last(export))
    assert data["family"]["name"] == "The Byrnes" and data["members"] == [] and data["records"] == []


@pytest.mark.parametrize("args, stdin, message", [
    (("add-family", "--name", "X", "--specialist", "nobody@x.test"), None, "no specialist"),
    (("pairing-code", "--family", str(uuid.uuid4())), None, "no family"),
    (("export-family", "--family", "not-an-id"), None, "no family"),
    (("create-specialist", "--email", "a@x.test", "--name", "A"), "short\n", "at least 10"),
])
def test_failures_exit_non_zero_with_a_clear_line_on_stderr(cli, args, stdin, message):
    result = cli(*args, stdin=stdin)
    assert result.returncode != 0 and message in result.stderr and result.stdout == ""


def test_a_duplicate_email_is_refused(cli):
    assert cli("create-specialist", "--email", "a@x.test", "--name", "A", stdin="a good long password\n").returncode == 0
    again = cli("create-specialist", "--email", "A@x.test", "--name", "A", stdin="a good long password\n")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_pairing_code_for_an_unknown_member_is_refused(cli):
    cli("create-specialist", "--email", "a@x.test", "--name", "A", stdin="a good long password\n")
    family_id = last(cli("add-family", "--name", "F", "--specialist", "a@x.test"))
    result = cli("pairing-code", "--family", family_id, "--member", str(uuid.uuid4()))
    assert result.returncode == 1 and "no member" in result.stderr

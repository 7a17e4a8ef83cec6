"""Run mutmut with another table of pyproject.toml: `python -m tests.mutmut_scope app run ...`.

mutmut reads only [tool.mutmut] (the server scope); the app scope lives in [tool.regroup.mutants.app].
This swaps mutmut's config reader (mutmut is pinned to 3.8.1 in pyproject.toml) and hands over to its CLI,
so each scope keeps its own test selection and a narrowed run does not collect the other's tests first.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import mutmut.configuration as configuration


def _reader_for(scope: str):
    def reader():
        # Read from the working directory each time: mutmut reloads its config inside mutants/ too.
        table = tomllib.loads(Path("pyproject.toml").read_text("utf-8"))["tool"]["regroup"]["mutants"][scope]
        return lambda key, default: table.get(key, default)
    return reader


def main(argv: list[str]) -> None:
    scope, rest = argv[0], argv[1:]
    if scope != "server":
        configuration._config_reader = _reader_for(scope)
        configuration.reset_config()
    from mutmut.__main__ import cli
    # This module was imported as `tests.mutmut_scope` from the checkout; mutmut collects tests inside
    # mutants/, where the checkout's `tests` package would clash with the copy's (ImportPathMismatchError
    # when a resumed run lists the tests again).
    for name in [m for m in sys.modules if m == "tests" or m.startswith("tests.")]:
        del sys.modules[name]
    cli(rest)


if __name__ == "__main__":
    main(sys.argv[1:])

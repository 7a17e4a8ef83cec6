"""Content loading: the error every content loader raises (names the file, the place and the field)."""

from __future__ import annotations


class ContentError(Exception):
    """A content file is broken; the message says where, so a reviewer can fix it."""

    def __init__(self, file: str, where: str, field: str | None, problem: str):
        self.file, self.where, self.field, self.problem = file, where, field, problem
        at = f"{where}, field '{field}'" if field else where
        super().__init__(f"{file}: {at}: {problem}")

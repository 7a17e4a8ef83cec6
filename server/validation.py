"""The op and entity rules of SYNC.md: every field typed, every limit checked, a code for each fault."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass

MAX_TEXT = 100_000
MAX_OP_BYTES = 512 * 1024
MAX_ID = 100
KINDS = ("upsert", "delete", "revoke")
HLC = re.compile(r"^(?P<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)-(?P<counter>\d{4,})-(?P<device>.{1,100})$")


MAX_OP_DEPTH = 4  # op, data, a worksheet's fields, a list in one field: nothing a device sends nests deeper


def printable(text: str, limit: int = 200) -> str:
    """Text safe to echo in a JSON answer: lone surrogates and NUL written as escapes, and cut short."""
    return text[:limit].encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def nesting(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0), without recursion.
    Only containers go on the stack: a push checks every op, and most of an op is text."""
    if not isinstance(value, (dict, list)):
        return 0
    deepest, stack = 1, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return deepest


class Rejected(Exception):
    def __init__(self, code: str, field: str | None, detail: str):
        super().__init__(detail)
        self.code = code
        self.field = None if field is None else printable(field, MAX_ID + 10)
        self.detail = printable(detail)

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "detail": self.detail}


# Field kinds: (type name, required-not-null, extra)
def _text(max_len=MAX_TEXT, nullable=False):
    return ("text", nullable, max_len)


def _int(low, high, nullable=False):
    return ("int", nullable, (low, high))


def _ident(nullable=False):
    return ("text", nullable, MAX_ID)


TIME = ("time", False, None)
TZ = ("text", False, 64)

UP_ENTITIES: dict[str, dict] = {
    "journal_entry": {"body": _text(), "title": _text(200, nullable=True), "tags": ("list_str", False, 20),
                      "step_id": _ident(True), "created_at": TIME, "updated_at": TIME, "tz": TZ},
    "checkin": {"mood": _int(1, 5), "feelings": ("list_str", False, 50), "stress": _int(0, 10, True),
                "sleep": _int(1, 5, True), "note": _text(nullable=True),
                "loved_one_day": ("choice", True, ("use", "non_use", "unknown")),
                "my_response": ("list_str", False, 50), "created_at": TIME, "tz": TZ},
    "wellbeing": {"items": ("who5", False, None), "score": _int(0, 100), "created_at": TIME, "tz": TZ},
    "journey_progress": {"journey_id": _ident(), "step_id": _ident(), "status": ("choice", False,
                                                                                   ("started", "completed")),
                         "completed_count": _int(0, 1_000_000), "updated_at": TIME},
    "worksheet": {"journey_id": _ident(), "step_id": _ident(), "kind": _ident(), "fields": ("fields", False, None),
                  "updated_at": TIME},
    "message": {"body": _text(), "in_reply_to": _ident(True), "created_at": TIME},
}
DOWN_ONLY = ("recommendation", "feedback", "notice")


def text_fault(value: str, max_len: int) -> tuple[str, str] | None:
    """Why this text cannot be stored, as (code, detail): a NUL, a lone surrogate, too long; else None."""
    if "\x00" in value:
        return "invalid_text", "text holds a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "invalid_text", "text holds a lone surrogate"
    if len(value) > max_len:
        return "too_long", f"at most {max_len} characters"
    return None


def check_text(value: str, field: str, max_len: int) -> None:
    fault = text_fault(value, max_len)
    if fault:
        raise Rejected(fault[0], field, fault[1])


def _check_time(value, field: str) -> None:
    if not isinstance(value, str):
        raise Rejected("wrong_type", field, "expected an ISO-8601 UTC time string")
    check_text(value, field, 40)
    try:
        parsed = dt.datetime.fromisoformat(value)  # Python 3.11 reads a closing Z as UTC
    except ValueError:
        raise Rejected("invalid_value", field, "not an ISO-8601 time") from None
    if parsed.utcoffset() != dt.timedelta(0):
        raise Rejected("invalid_value", field, "times are UTC")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_field(spec: tuple, value, field: str) -> None:
    kind, nullable, extra = spec
    if value is None:
        if nullable:
            return
        raise Rejected("wrong_type", field, "may not be null")
    if kind == "text":
        if not isinstance(value, str):
            raise Rejected("wrong_type", field, "expected text")
        check_text(value, field, extra)
    elif kind == "int":
        if not _is_int(value):
            raise Rejected("wrong_type", field, "expected a whole number")
        if not extra[0] <= value <= extra[1]:
            raise Rejected("invalid_value", field, f"must be from {extra[0]} to {extra[1]}")
    elif kind == "choice":
        if not isinstance(value, str):
            raise Rejected("wrong_type", field, "expected text")
        if value not in extra:
            raise Rejected("invalid_value", field, f"must be one of {', '.join(extra)}")
    elif kind == "time":
        _check_time(value, field)
    elif kind == "list_str":
        if not isinstance(value, list):
            raise Rejected("wrong_type", field, "expected a list of text")
        if len(value) > extra:
            raise Rejected("too_long", field, f"at most {extra} items")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise Rejected("wrong_type", f"{field}[{i}]", "expected text")
            check_text(item, f"{field}[{i}]", MAX_ID)
    elif kind == "who5":
        if not isinstance(value, list) or len(value) != 5:
            raise Rejected("wrong_type" if not isinstance(value, list) else "invalid_value", field,
                           "five whole numbers from 0 to 5")
        if not all(_is_int(v) for v in value):
            raise Rejected("wrong_type", field, "five whole numbers from 0 to 5")
        if not all(0 <= v <= 5 for v in value):
            raise Rejected("invalid_value", field, "answers are from 0 to 5")
    elif kind == "fields":
        _check_worksheet_fields(value, field)


def _check_worksheet_fields(value, field: str) -> None:
    if not isinstance(value, dict):
        raise Rejected("wrong_type", field, "expected an object")
    total = 0
    for key, item in value.items():
        check_text(key, field, MAX_ID)
        where = f"{field}.{key}"
        if item is None or _is_int(item):
            continue
        if isinstance(item, str):
            check_text(item, where, MAX_TEXT)
            total += len(item)
        elif isinstance(item, list) and all(isinstance(i, str) for i in item):
            for i in item:
                check_text(i, where, MAX_TEXT)
                total += len(i)
        else:
            raise Rejected("wrong_type", where, "a field holds text, a whole number, a list of text or null")
    if total > MAX_TEXT:
        raise Rejected("too_long", field, f"a worksheet holds at most {MAX_TEXT} characters in all")


def check_data(entity: str, data) -> None:
    """Validate an upsert's data against its entity's field list."""
    spec = UP_ENTITIES[entity]
    if not isinstance(data, dict):
        raise Rejected("wrong_type", "data", "expected an object")
    for key in data:
        if key not in spec:
            raise Rejected("unknown_field", f"data.{key}" if isinstance(key, str) else "data", "not a field of " + entity)
    for key, field_spec in spec.items():
        if key not in data:
            raise Rejected("missing_field", f"data.{key}", "required")
        _check_field(field_spec, data[key], f"data.{key}")
    if entity == "wellbeing" and data["score"] != sum(data["items"]) * 4:
        raise Rejected("invalid_value", "data.score", "the score is the sum of the answers times 4")


@dataclass(frozen=True)
class Op:
    op_id: str
    entity: str
    entity_id: str
    kind: str
    base_version: int
    hlc: str
    data: dict | None


def parse_op(raw: dict) -> Op:
    """Check one op (its op_id was checked with the envelope); raise Rejected with the fault."""
    if len(json.dumps(raw, ensure_ascii=False).encode("utf-8", "surrogatepass")) > MAX_OP_BYTES:
        raise Rejected("too_large", None, "one op may be at most 512 KiB")
    if nesting(raw) > MAX_OP_DEPTH:
        raise Rejected("invalid_value", "data", f"an op nests at most {MAX_OP_DEPTH} levels deep")
    allowed = {"op_id", "entity", "entity_id", "kind", "base_version", "hlc", "data"}
    for key in raw:
        if key not in allowed:
            raise Rejected("unknown_field", key, "not an op field")
    for key in ("entity", "entity_id", "kind", "base_version", "hlc"):
        if key not in raw:
            raise Rejected("missing_field", key, "required")
    for key in ("entity", "entity_id", "kind", "hlc"):
        if not isinstance(raw[key], str):
            raise Rejected("wrong_type", key, "expected text")
        check_text(raw[key], key, 200)
    if raw["entity"] in DOWN_ONLY or raw["entity"] not in UP_ENTITIES:
        raise Rejected("unknown_entity", "entity", "not an entity a device may push")
    try:
        entity_id = str(uuid.UUID(raw["entity_id"]))
    except ValueError:
        raise Rejected("invalid_value", "entity_id", "expected a UUID") from None
    if raw["kind"] not in KINDS:
        raise Rejected("invalid_value", "kind", "upsert, delete or revoke")
    if not _is_int(raw["base_version"]):
        raise Rejected("wrong_type", "base_version", "expected a whole number")
    if raw["base_version"] < 0:
        raise Rejected("invalid_value", "base_version", "not negative")
    hlc = HLC.match(raw["hlc"])
    if not hlc:
        raise Rejected("invalid_value", "hlc", "<UTC time>-<counter>-<device_id>")
    try:
        dt.datetime.fromisoformat(hlc.group("time"))
    except ValueError:
        raise Rejected("invalid_value", "hlc", "the time is not valid") from None
    data = raw.get("data")
    if raw["kind"] == "upsert":
        if "data" not in raw:
            raise Rejected("missing_field", "data", "required for an upsert")
        check_data(raw["entity"], data)
    elif data is not None:
        raise Rejected("invalid_value", "data", "delete and revoke carry no data")
    return Op(op_id=raw["op_id"], entity=raw["entity"], entity_id=entity_id, kind=raw["kind"],
              base_version=raw["base_version"], hlc=raw["hlc"], data=data)


def hlc_key(hlc: str, server_now: dt.datetime) -> tuple:
    """Order by (time, counter, device_id); a time more than 5 minutes ahead counts as the server's time."""
    m = HLC.match(hlc)
    when = dt.datetime.fromisoformat(m.group("time"))
    if when > server_now + dt.timedelta(minutes=5):
        when = server_now
    return (when, int(m.group("counter")), m.group("device"))

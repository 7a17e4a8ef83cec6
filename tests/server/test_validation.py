"""SYNC.md's op and entity rules, one fault at a time, with the words a device is given back: the code, the
field and the detail, each read whole (mutation testing: a detail changed, a field named wrongly, a limit one
off or a check dropped each passed the route tests, which read the code and the field of a few faults).

Straight at `server.validation`, no server: the route tests (test_contract.py, test_edges.py) show these
answers reach the device; here every branch is held, and quickly."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid

import pytest

from server.validation import (MAX_OP_BYTES, Op, Rejected, check_data, hlc_key, nesting, parse_op, printable)

WHEN = "2026-06-01T10:00:00Z"
ID = "5b0f6d1e-2c57-4f7a-9a43-0d6a0b7e2c11"
VALID = {
    "journal_entry": {"body": "hello", "title": None, "tags": [], "step_id": None, "created_at": WHEN,
                      "updated_at": WHEN, "tz": "Europe/Dublin"},
    "checkin": {"mood": 3, "feelings": [], "stress": None, "sleep": None, "note": None, "loved_one_day": None,
                "my_response": [], "created_at": WHEN, "tz": "UTC"},
    "wellbeing": {"items": [5, 5, 5, 5, 5], "score": 100, "created_at": WHEN, "tz": "UTC"},
    "journey_progress": {"journey_id": "after", "step_id": "after.debrief", "status": "started",
                         "completed_count": 0, "updated_at": WHEN},
    "worksheet": {"journey_id": "reapproach", "step_id": "reapproach.plan", "kind": "reapproach_plan",
                  "fields": {}, "updated_at": WHEN},
    "message": {"body": "Thank you", "in_reply_to": None, "created_at": WHEN},
}


def an_op(entity: str = "journal_entry", /, **changes) -> dict:
    op = {"op_id": "op-1", "entity": entity, "entity_id": ID, "kind": "upsert", "base_version": 0,
          "hlc": f"{WHEN}-0001-device", "data": copy.deepcopy(VALID[entity])}
    op.update(changes)
    return op


def fault(raw: dict) -> tuple:
    with pytest.raises(Rejected) as caught:
        parse_op(raw)
    return caught.value.code, caught.value.field, caught.value.detail


def data_fault(entity: str, **changes) -> tuple:
    data = {**copy.deepcopy(VALID[entity]), **changes}
    return fault(an_op(entity, data=data))


def without(key: str) -> dict:
    op = an_op()
    del op[key]
    return op


@pytest.mark.parametrize("entity", sorted(VALID))
def test_a_valid_upsert_of_each_entity_is_parsed_whole(entity):
    op = parse_op(an_op(entity))
    assert op == Op(op_id="op-1", entity=entity, entity_id=ID, kind="upsert", base_version=0,
                    hlc=f"{WHEN}-0001-device", data=VALID[entity])


@pytest.mark.parametrize("kind", ["delete", "revoke"])
def test_delete_and_revoke_carry_no_data(kind):
    assert parse_op(an_op(kind=kind, data=None)).data is None
    op = an_op(kind=kind)
    del op["data"]
    assert parse_op(op).kind == kind
    assert fault(an_op(kind=kind)) == ("invalid_value", "data", "delete and revoke carry no data")


def test_the_entity_id_is_read_as_a_uuid_and_written_the_one_way():
    assert parse_op(an_op(entity_id=ID.upper())).entity_id == ID
    assert parse_op(an_op(entity_id="{" + ID + "}")).entity_id == ID


@pytest.mark.parametrize("raw, answer", [
    (an_op(colour="red"), ("unknown_field", "colour", "not an op field")),
    *[(without(key), ("missing_field", key, "required")) for key in ("entity", "entity_id", "kind", "base_version", "hlc")],
    *[(an_op(**{key: 5}), ("wrong_type", key, "expected text")) for key in ("entity", "entity_id", "kind", "hlc")],
    (an_op(entity_id="x" * 201), ("too_long", "entity_id", "at most 200 characters")),
    (an_op(entity_id="x" * 200), ("invalid_value", "entity_id", "expected a UUID")),  # 200 is not too long
    (an_op(hlc="a\x00b"), ("invalid_text", "hlc", "text holds a NUL character")),
    (an_op(entity="diary"), ("unknown_entity", "entity", "not an entity a device may push")),
    *[(an_op(entity=down), ("unknown_entity", "entity", "not an entity a device may push"))
      for down in ("recommendation", "feedback", "notice")],
    (an_op(entity_id="not-a-uuid"), ("invalid_value", "entity_id", "expected a UUID")),
    (an_op(kind="merge"), ("invalid_value", "kind", "upsert, delete or revoke")),
    (an_op(base_version="1"), ("wrong_type", "base_version", "expected a whole number")),
    (an_op(base_version=True), ("wrong_type", "base_version", "expected a whole number")),
    (an_op(base_version=1.0), ("wrong_type", "base_version", "expected a whole number")),
    (an_op(base_version=-1), ("invalid_value", "base_version", "not negative")),
    (without("data"), ("missing_field", "data", "required for an upsert")),
    (an_op(data=[1]), ("wrong_type", "data", "expected an object")),
])
def test_each_fault_of_an_op(raw, answer):
    assert fault(raw) == answer


HLC_SHAPE = ("invalid_value", "hlc", "<UTC time>-<counter>-<device_id>")


@pytest.mark.parametrize("hlc, ok", [
    (f"{WHEN}-0001-d", True),
    ("2026-06-01T10:00:00.123456Z-0001-d", True),
    ("2026-06-01T10:00:00.1234567Z-0001-d", False),  # at most microseconds
    ("2026-06-01T10:00:00.Z-0001-d", False),
    (f"{WHEN}-00001-d", True),
    (f"{WHEN}-001-d", False),  # a counter has at least four digits
    (f"{WHEN}-0001-" + "d" * 100, True),
    (f"{WHEN}-0001-" + "d" * 101, False),
    (f"{WHEN}-0001-", False),
    (f"x{WHEN}-0001-d", False),
    ("2026-06-01T10:00:00+00:00-0001-d", False),  # UTC written as Z
    ("2026-06-01 10:00:00Z-0001-d", False),
])
def test_the_shape_of_an_hlc(hlc, ok):
    if ok:
        assert parse_op(an_op(hlc=hlc)).hlc == hlc
    else:
        assert fault(an_op(hlc=hlc)) == HLC_SHAPE


def test_an_hlc_with_an_impossible_time_is_refused():
    assert fault(an_op(hlc="2026-13-45T10:00:00Z-0001-d")) == ("invalid_value", "hlc", "the time is not valid")


def test_the_size_of_one_op_at_its_edge():
    """512 KiB as UTF-8, counted before anything else: one byte under is read on (and refused for its body);
    one byte over is too large. A lone surrogate counts its three bytes, never an error."""
    def of_size(size: int, filler: str = "x") -> dict:
        op = an_op()
        op["data"]["body"] = ""
        base = len(json.dumps(op, ensure_ascii=False).encode("utf-8"))
        op["data"]["body"] = filler * ((size - base) // len(filler.encode("utf-8", "surrogatepass")))
        assert len(json.dumps(op, ensure_ascii=False).encode("utf-8", "surrogatepass")) == size
        return op
    assert fault(of_size(MAX_OP_BYTES)) == ("too_long", "data.body", "at most 100000 characters")
    assert fault(of_size(MAX_OP_BYTES + 1)) == ("too_large", None, "one op may be at most 512 KiB")
    over = of_size(MAX_OP_BYTES - 2)
    over["data"]["body"] += "\ud800"  # three bytes more
    assert fault(over) == ("too_large", None, "one op may be at most 512 KiB")


def test_how_deep_an_op_may_nest():
    deep_enough = an_op("worksheet")
    deep_enough["data"]["fields"] = {"steps": ["one", "two"]}  # op, data, fields, a list: four
    assert parse_op(deep_enough).data["fields"] == {"steps": ["one", "two"]}
    too_deep = an_op("worksheet")
    too_deep["data"]["fields"] = {"steps": [["one"]]}
    assert fault(too_deep) == ("invalid_value", "data", "an op nests at most 4 levels deep")


@pytest.mark.parametrize("value, depth", [
    (1, 0), ("text", 0), (None, 0), ([], 1), ({}, 1), ([1, "a"], 1), ({"a": [1]}, 2), ([[1], [[2]]], 3),
    ({"a": {"b": {"c": []}}, "d": 1}, 4), ([{"a": [[]]}, []], 4), ([[], [[[]]], [[]]], 4),
])
def test_nesting_counts_containers_only(value, depth):
    assert nesting(value) == depth


# --- the fields of each entity ------------------------------------------------------------------------------------

@pytest.mark.parametrize("entity, changes, answer", [
    ("journal_entry", {"colour": "red"}, ("unknown_field", "data.colour", "not a field of journal_entry")),
    ("checkin", {"body": "x"}, ("unknown_field", "data.body", "not a field of checkin")),
    ("journal_entry", {"body": None}, ("wrong_type", "data.body", "may not be null")),
    ("journal_entry", {"body": 5}, ("wrong_type", "data.body", "expected text")),
    ("journal_entry", {"body": "x" * 100_001}, ("too_long", "data.body", "at most 100000 characters")),
    ("journal_entry", {"body": "a\x00b"}, ("invalid_text", "data.body", "text holds a NUL character")),
    ("journal_entry", {"body": "lone \ud800"}, ("invalid_text", "data.body", "text holds a lone surrogate")),
    ("journal_entry", {"body": "\x00\ud800"}, ("invalid_text", "data.body", "text holds a NUL character")),
    ("journal_entry", {"title": "t" * 201}, ("too_long", "data.title", "at most 200 characters")),
    ("journal_entry", {"step_id": "s" * 101}, ("too_long", "data.step_id", "at most 100 characters")),
    ("journal_entry", {"tz": "z" * 65}, ("too_long", "data.tz", "at most 64 characters")),
    ("journal_entry", {"tz": None}, ("wrong_type", "data.tz", "may not be null")),
    ("journal_entry", {"tags": "x"}, ("wrong_type", "data.tags", "expected a list of text")),
    ("journal_entry", {"tags": None}, ("wrong_type", "data.tags", "may not be null")),
    ("journal_entry", {"tags": ["t"] * 21}, ("too_long", "data.tags", "at most 20 items")),
    ("journal_entry", {"tags": ["ok", 5]}, ("wrong_type", "data.tags[1]", "expected text")),
    ("journal_entry", {"tags": ["ok", "t" * 101]}, ("too_long", "data.tags[1]", "at most 100 characters")),
    ("checkin", {"feelings": ["f"] * 51}, ("too_long", "data.feelings", "at most 50 items")),
    ("checkin", {"mood": 0}, ("invalid_value", "data.mood", "must be from 1 to 5")),
    ("checkin", {"mood": 6}, ("invalid_value", "data.mood", "must be from 1 to 5")),
    ("checkin", {"mood": "3"}, ("wrong_type", "data.mood", "expected a whole number")),
    ("checkin", {"mood": True}, ("wrong_type", "data.mood", "expected a whole number")),
    ("checkin", {"mood": 3.0}, ("wrong_type", "data.mood", "expected a whole number")),
    ("checkin", {"mood": None}, ("wrong_type", "data.mood", "may not be null")),
    ("checkin", {"stress": 11}, ("invalid_value", "data.stress", "must be from 0 to 10")),
    ("checkin", {"stress": -1}, ("invalid_value", "data.stress", "must be from 0 to 10")),
    ("checkin", {"sleep": 0}, ("invalid_value", "data.sleep", "must be from 1 to 5")),
    ("checkin", {"loved_one_day": "maybe"}, ("invalid_value", "data.loved_one_day",
                                             "must be one of use, non_use, unknown")),
    ("checkin", {"loved_one_day": 1}, ("wrong_type", "data.loved_one_day", "expected text")),
    ("journey_progress", {"status": "done"}, ("invalid_value", "data.status", "must be one of started, completed")),
    ("journey_progress", {"status": None}, ("wrong_type", "data.status", "may not be null")),
    ("journey_progress", {"journey_id": None}, ("wrong_type", "data.journey_id", "may not be null")),
    ("worksheet", {"kind": "k" * 101}, ("too_long", "data.kind", "at most 100 characters")),
    ("journey_progress", {"completed_count": 1_000_001}, ("invalid_value", "data.completed_count",
                                                          "must be from 0 to 1000000")),
    ("journal_entry", {"created_at": 5}, ("wrong_type", "data.created_at", "expected an ISO-8601 UTC time string")),
    ("journal_entry", {"created_at": "2026-06-01T10:00:00.000000000000000000000000000000Z"},
     ("too_long", "data.created_at", "at most 40 characters")),
    ("journal_entry", {"created_at": "yesterday"}, ("invalid_value", "data.created_at", "not an ISO-8601 time")),
    ("journal_entry", {"created_at": "2026-06-01T10:00:00+01:00"}, ("invalid_value", "data.created_at",
                                                                     "times are UTC")),
    ("journal_entry", {"created_at": "2026-06-01T10:00:00"}, ("invalid_value", "data.created_at", "times are UTC")),
    ("wellbeing", {"items": "x"}, ("wrong_type", "data.items", "five whole numbers from 0 to 5")),
    ("wellbeing", {"items": [5, 5, 5, 5]}, ("invalid_value", "data.items", "five whole numbers from 0 to 5")),
    ("wellbeing", {"items": [5, 5, 5, 5, 5, 5]}, ("invalid_value", "data.items", "five whole numbers from 0 to 5")),
    ("wellbeing", {"items": [5, 5, 5, 5, "5"]}, ("wrong_type", "data.items", "five whole numbers from 0 to 5")),
    ("wellbeing", {"items": [5, 5, 5, 5, True]}, ("wrong_type", "data.items", "five whole numbers from 0 to 5")),
    ("wellbeing", {"items": [5, 5, 5, 5, 6], "score": 104}, ("invalid_value", "data.items", "answers are from 0 to 5")),
    ("wellbeing", {"items": [-1, 0, 0, 0, 0], "score": 0}, ("invalid_value", "data.items", "answers are from 0 to 5")),
    ("wellbeing", {"score": 96}, ("invalid_value", "data.score", "the score is the sum of the answers times 4")),
    ("wellbeing", {"score": 101}, ("invalid_value", "data.score", "must be from 0 to 100")),
    ("worksheet", {"fields": []}, ("wrong_type", "data.fields", "expected an object")),
    ("worksheet", {"fields": None}, ("wrong_type", "data.fields", "may not be null")),
    ("worksheet", {"fields": {"k" * 101: "x"}}, ("too_long", "data.fields", "at most 100 characters")),
    ("worksheet", {"fields": {"who": True}}, ("wrong_type", "data.fields.who",
                                              "a field holds text, a whole number, a list of text or null")),
    ("worksheet", {"fields": {"who": 1.5}}, ("wrong_type", "data.fields.who",
                                             "a field holds text, a whole number, a list of text or null")),
    ("worksheet", {"fields": {"who": ["a", 1]}}, ("wrong_type", "data.fields.who",
                                                  "a field holds text, a whole number, a list of text or null")),
    ("worksheet", {"fields": {"who": "a\x00"}}, ("invalid_text", "data.fields.who", "text holds a NUL character")),
    ("worksheet", {"fields": {"who": ["a", "b\x00"]}}, ("invalid_text", "data.fields.who",
                                                        "text holds a NUL character")),
    ("worksheet", {"fields": {"who": "x" * 50_000, "why": ["y" * 25_000, "z" * 25_001]}},
     ("too_long", "data.fields", "a worksheet holds at most 100000 characters in all")),
    ("worksheet", {"fields": {"n": 3, "none": None, "who": "a\x00"}}, ("invalid_text", "data.fields.who",
                                                                     "text holds a NUL character")),  # read on
    ("worksheet", {"fields": {"who": "x" * 50_000, "why": "y" * 50_001}},
     ("too_long", "data.fields", "a worksheet holds at most 100000 characters in all")),
    ("worksheet", {"fields": {"who": ["x" * 50_000], "why": ["y" * 50_001]}},
     ("too_long", "data.fields", "a worksheet holds at most 100000 characters in all")),
    ("journal_entry", {"created_at": "2026-06-01Z"}, ("invalid_value", "data.created_at", "not an ISO-8601 time")),
    ("message", {"in_reply_to": 5}, ("wrong_type", "data.in_reply_to", "expected text")),
])
def test_each_fault_of_a_field(entity, changes, answer):
    assert data_fault(entity, **changes) == answer


@pytest.mark.parametrize("entity, missing", [(e, key) for e in sorted(VALID) for key in VALID[e]])
def test_every_field_is_required(entity, missing):
    data = copy.deepcopy(VALID[entity])
    del data[missing]
    assert fault(an_op(entity, data=data)) == ("missing_field", f"data.{missing}", "required")


@pytest.mark.parametrize("entity, changes", [
    ("checkin", {"mood": 1}), ("checkin", {"mood": 5}), ("checkin", {"stress": 0}), ("checkin", {"stress": 10}),
    ("checkin", {"sleep": 1}), ("checkin", {"sleep": 5}), ("checkin", {"note": "x" * 100_000}),
    ("checkin", {"loved_one_day": "non_use"}), ("checkin", {"feelings": ["f" * 100] * 50}),
    ("journal_entry", {"title": "t" * 200, "tags": ["t" * 100] * 20, "step_id": "s" * 100, "tz": "z" * 64}),
    ("journal_entry", {"body": "x" * 100_000, "created_at": "2026-06-01T10:00:00.123456+00:00"}),
    ("wellbeing", {"items": [0, 0, 0, 0, 0], "score": 0}), ("wellbeing", {"items": [1, 2, 3, 4, 5], "score": 60}),
    ("journey_progress", {"status": "completed", "completed_count": 1_000_000}),
    ("worksheet", {"fields": {"k" * 100: "x" * 50_000, "n": 3, "none": None, "l": ["y" * 25_000, "z" * 25_000]}}),
    ("message", {"in_reply_to": "m" * 100}),
])
def test_values_at_their_edges_are_taken(entity, changes):
    data = {**copy.deepcopy(VALID[entity]), **changes}
    assert parse_op(an_op(entity, data=data)).data == data


def test_a_key_that_is_not_text_is_named_as_data():
    with pytest.raises(Rejected) as caught:
        check_data("journal_entry", {**VALID["journal_entry"], 1: "x"})
    assert (caught.value.code, caught.value.field) == ("unknown_field", "data")


def test_what_is_echoed_back_is_safe_and_short():
    """The field and the detail go back in JSON: NUL and lone surrogates written as escapes, a field cut at 110
    characters and a detail at 200."""
    r = Rejected("unknown_field", "a\x00" + "\ud800" + "k" * 200, "d\x00" + "e" * 300)
    assert r.field == "a\\x00\\ud800" + "k" * 107 and r.detail == "d\\x00" + "e" * 198
    assert r.as_dict() == {"code": "unknown_field", "field": r.field, "detail": r.detail}
    assert Rejected("too_large", None, "x").field is None
    assert str(r) == "d\x00" + "e" * 300
    assert printable("x" * 300) == "x" * 200 and printable("abc", 2) == "ab"
    assert fault(an_op(**{"k\x00" * 60: 1}))[1] == "k\\x00" * 55


def test_the_hlc_order_is_time_then_counter_as_a_number_then_device():
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
    at = lambda text: dt.datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    assert hlc_key("2026-06-01T10:00:00Z-9999-b", now) < hlc_key("2026-06-01T10:00:00Z-10000-a", now)
    assert hlc_key("2026-06-01T10:00:00Z-0002-a", now) < hlc_key("2026-06-01T10:00:00Z-0002-b", now)
    assert hlc_key("2026-06-01T10:00:00.5Z-0001-a", now) == (at("2026-06-01T10:00:00.5Z"), 1, "a")
    assert hlc_key("2026-06-01T12:05:00Z-0001-a", now) == (at("2026-06-01T12:05:00Z"), 1, "a")  # 5 minutes: as sent
    assert hlc_key("2026-06-01T12:05:00.000001Z-0001-a", now) == (now, 1, "a")  # beyond: the server's time

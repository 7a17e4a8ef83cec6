"""Journal storage and search: encrypted at rest, stable order, drafts, tombstones, honest errors."""

from __future__ import annotations

import pytest

from app.errors import AppError
from app.journal import clean_entry
from app.store import journal
from app.store import journeys as js


def save(opened, body, *, entry_id=None, **fields):
    """Create (no id) or edit an entry, as the journal's save use-case does."""
    entry = clean_entry(body, **fields)
    return journal.update_entry(opened, entry_id, entry) if entry_id else journal.add_entry(opened, entry)


def add(opened, items):
    return journal.add_entries(opened, [clean_entry(i.pop("body"), **i) for i in items])

CANARY = "Canary journal line 0c4f: the blue kettle argument"


def test_entries_are_encrypted_at_rest(opened, data_dir):
    save(opened, CANARY, title="Canary title 77a1", custom_tags=["canarytag99"])
    opened.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    raw = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    for secret in (CANARY, "Canary title 77a1", "canarytag99"):
        assert secret.encode() not in raw


def test_save_edit_and_read_back(opened):
    entry = save(opened, "First words", title="Day one", tags=["hope"], custom_tags=["dad"])
    assert (entry.body, entry.title, entry.tags, entry.custom_tags) == ("First words", "Day one", ("hope",), ("dad",))
    assert journal.get_entry(opened, entry.id) == entry
    edited = save(opened, "Second words", entry_id=entry.id, tags=["guilt"])
    assert journal.get_entry(opened, entry.id) == edited
    assert edited.body == "Second words" and edited.title is None and edited.tags == ("guilt",)
    assert edited.created_at == entry.created_at and edited.updated_at >= entry.updated_at
    assert opened.db.execute("SELECT revision FROM journal_entries WHERE id = ?", [entry.id]).fetchone()[0] == 2


@pytest.mark.parametrize("kwargs, code", [
    ({"body": "   \n "}, "empty_entry"),
    ({"body": "x", "title": "t" * 201}, "title_too_long"),
    ({"body": "x", "tags": ["hope"], "custom_tags": [f"t{i}" for i in range(20)]}, "too_many_tags"),
    ({"body": "x", "tags": ["not-a-tag"]}, "unknown_tag"),
    ({"body": "x", "custom_tags": ["s" * 41]}, "tag_too_long"),
    ({"body": "x" * 100_001}, "text_too_long"),
])
def test_entries_that_cannot_be_saved_say_why(kwargs, code):
    with pytest.raises(AppError) as err:
        clean_entry(**kwargs)
    assert err.value.code == code


def test_limits_at_their_edges_are_accepted(opened):
    entry = save(opened, "x" * 100_000, title="t" * 200, tags=["hope"],
                 custom_tags=["s" * 40] + [f"t{i}" for i in range(18)])
    assert journal.get_entry(opened, entry.id).body == "x" * 100_000 and len(entry.custom_tags) == 19


def test_very_long_text_is_kept_whole(opened):
    text = "word " * 20_000
    entry = save(opened, text)
    assert journal.get_entry(opened, entry.id).body == text


def test_delete_leaves_a_tombstone_without_text_and_undo_restores(opened):
    entry = save(opened, "To be deleted")
    journal.delete_entry(opened, entry.id)
    row = opened.db.execute("SELECT deleted_at, body_enc FROM journal_entries WHERE id = ?", [entry.id]).fetchone()
    assert row[0] and row[1] == b""
    assert journal.list_entries(opened)[0] == [] and journal.search_ids(opened, query="deleted") == []
    restored = journal.undo_delete(opened, entry.id)
    assert restored.body == "To be deleted" and journal.search_ids(opened, query="deleted") == [entry.id]


def test_undo_works_once_and_only_for_an_entry_deleted_in_this_session(opened):
    entry = save(opened, "Deleted once")
    journal.delete_entry(opened, entry.id)
    assert journal.undo_delete(opened, entry.id).body == "Deleted once"
    assert journal.undo_delete(opened, entry.id) is None  # a second tap on Undo
    assert journal.undo_delete(opened, "never-deleted") is None
    assert journal.get_entry(opened, entry.id).body == "Deleted once"


def test_list_is_newest_first_in_stable_order_even_when_the_clock_jumps(opened):
    add(opened, [
        {"body": "written first", "created_at": "2026-11-20T10:00:00.000Z", "tz": "Europe/Dublin"},
        {"body": "clock set to 2019", "created_at": "2019-01-01T10:00:00.000Z", "tz": "Europe/Dublin"},
        {"body": "written last", "created_at": "2026-11-21T10:00:00.000Z", "tz": "Europe/Dublin"},
    ])
    bodies = [e.body for e in journal.list_entries(opened)[0]]
    assert bodies == ["written last", "clock set to 2019", "written first"]


def test_day_is_the_local_date_where_it_was_written(opened):
    ids = add(opened, [
        {"body": "late in New York", "created_at": "2026-11-21T03:30:00.000Z", "tz": "America/New_York"},
        {"body": "early in Dublin", "created_at": "2026-11-21T03:30:00.000Z", "tz": "Europe/Dublin"},
    ])
    days = {journal.get_entry(opened, i).body: journal.get_entry(opened, i).local_day for i in ids}
    assert days == {"late in New York": "2026-11-20", "early in Dublin": "2026-11-21"}


def test_pages_walk_every_entry_once(opened):
    add(opened, [{"body": f"entry {i}"} for i in range(120)])
    seen, cursor = [], None
    while True:
        page, cursor = journal.list_entries(opened, before=cursor, limit=50)
        seen += [e.body for e in page]
        if cursor is None:
            break
    assert len(seen) == 120 and len(set(seen)) == 120 and seen[0] == "entry 119"


def test_search_matches_all_words_in_text_title_and_tags_any_case(opened):
    add(opened, [
        {"body": "We talked about the BOUNDARY on money", "tags": ["conversation"]},
        {"body": "A calm evening", "title": "Boundary kept"},
        {"body": "Nothing about it", "custom_tags": ["Money talk"]},
    ])
    assert len(journal.search_ids(opened, query="boundary")) == 2
    assert len(journal.search_ids(opened, query="boundary money")) == 1
    assert len(journal.search_ids(opened, query="money")) == 2
    assert len(journal.search_ids(opened, tag="conversation")) == 1
    assert len(journal.search_ids(opened, tag="money talk")) == 1


def test_search_follows_an_edit_and_a_delete(opened):
    entry = save(opened, "the old words")
    journal.build_index(opened)
    save(opened, "the new words", entry_id=entry.id)
    assert journal.search_ids(opened, query="new") == [entry.id] and journal.search_ids(opened, query="old") == []
    journal.delete_entry(opened, entry.id)
    assert journal.search_ids(opened, query="new") == []


def test_search_finds_entries_added_in_a_batch_after_the_index_was_built(opened):
    journal.build_index(opened)
    ids = add(opened, [{"body": "imported words"}, {"body": "more imported words"}])
    assert sorted(journal.search_ids(opened, query="imported")) == sorted(ids)


def test_a_reflection_edited_in_the_journal_keeps_its_prompt(opened):
    reflection = js.save_reflection(opened, "after.feelings-reflect", "strongest", "Mostly exhaustion")
    edited = save(opened, "Mostly relief", entry_id=reflection.id, tags=["reflection"])
    assert edited.prompt_id == "strongest" and edited == journal.get_entry(opened, reflection.id)


def test_filters_by_date_range(opened):
    add(opened, [{"body": "old", "created_at": "2025-01-05T12:00:00.000Z", "tz": "UTC"},
                                 {"body": "new", "created_at": "2026-11-05T12:00:00.000Z", "tz": "UTC"}])
    page, _ = journal.list_entries(opened, day_from="2026-01-01")
    assert [e.body for e in page] == ["new"]
    page, _ = journal.list_entries(opened, query="o", day_to="2025-12-31")
    assert [e.body for e in page] == ["old"]


def test_index_follows_reflections_written_in_journeys(opened):
    journal.build_index(opened)
    js.save_reflection(opened, "after.feelings-reflect", "strongest", "Mostly exhaustion")
    assert len(journal.search_ids(opened, query="exhaustion")) == 1
    assert journal.search_ids(opened, tag="reflection")


def test_drafts_survive_and_are_encrypted(opened, data_dir):
    journal.save_draft(opened, body="half a thought " + CANARY, title="draft")
    assert journal.get_draft(opened) == {"body": "half a thought " + CANARY, "title": "draft"}
    assert CANARY.encode() not in (data_dir / "regroup.db-wal").read_bytes()
    journal.clear_draft(opened)
    assert journal.get_draft(opened) is None


def test_one_damaged_entry_does_not_hide_the_others(opened):
    good = save(opened, "still here")
    bad = save(opened, "damaged")
    opened.db.execute("UPDATE journal_entries SET body_enc = ? WHERE id = ?",
                      [opened.db.execute("SELECT body_enc FROM journal_entries WHERE id = ?",
                                         [good.id]).fetchone()[0], bad.id])
    opened.journal = None  # as when the store is opened again
    assert journal.search_ids(opened, query="still") == [good.id]


# --- the saved index (issue 16: no decrypting every entry at each start) -------------------------------------

def reopen(opened, data_dir, clock):
    from app.store import open_store
    opened.close()
    return open_store(data_dir, clock=clock)


def test_saved_index_is_encrypted_and_used_at_the_next_start(opened, data_dir, clock):
    entry = save(opened, CANARY, title="Canary title 77a1", custom_tags=["CanaryTag99"])
    assert journal.build_index(opened) == 1
    blob = opened.db.execute("SELECT value FROM meta WHERE key = ?", [journal.SNAPSHOT]).fetchone()[0]
    opened.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    raw = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    for secret in (CANARY, "canary journal line", "canary title 77a1", "canarytag99"):
        assert secret.encode() not in raw and secret.encode() not in blob
    again = reopen(opened, data_dir, clock)
    try:
        again.db.execute(f"UPDATE journal_entries SET body_enc = X'00' WHERE id = ?", [entry.id])  # not read
        assert journal.search_ids(again, query="kettle") == [entry.id]
        assert journal.list_custom_tags(again) == ["CanaryTag99"]
    finally:
        again.close()


def test_saved_index_catches_up_with_what_changed_since(opened, data_dir, clock):
    kept = save(opened, "the blue kettle")
    edited = save(opened, "old words here")
    journal.build_index(opened)
    save(opened, "new words there", entry_id=edited.id)  # the same second (a fixed clock): the revision tells
    added = save(opened, "a kettle too")
    again = reopen(opened, data_dir, clock)
    try:
        assert journal.search_ids(again, query="kettle") == [added.id, kept.id]
        assert journal.search_ids(again, query="old") == []
        assert journal.search_ids(again, query="there") == [edited.id]
    finally:
        again.close()


def test_deleting_drops_the_saved_index_so_deleted_words_do_not_outlive_the_delete(opened, data_dir, clock):
    gone = save(opened, "words to forget zq")
    kept = save(opened, "words to keep")
    journal.build_index(opened)
    journal.delete_entry(opened, gone.id)
    assert opened.db.execute("SELECT COUNT(*) FROM meta WHERE key = ?", [journal.SNAPSHOT]).fetchone()[0] == 0
    again = reopen(opened, data_dir, clock)
    try:
        assert journal.search_ids(again, query="words") == [kept.id]
        assert journal.search_ids(again, query="zq") == []
    finally:
        again.close()


def test_an_unreadable_saved_index_is_rebuilt_from_the_entries(opened, data_dir, clock):
    entry = save(opened, "the blue kettle")
    journal.build_index(opened)
    opened.db.execute("UPDATE meta SET value = X'0102' WHERE key = ?", [journal.SNAPSHOT])
    again = reopen(opened, data_dir, clock)
    try:
        assert journal.search_ids(again, query="kettle") == [entry.id]
        blob = again.db.execute("SELECT value FROM meta WHERE key = ?", [journal.SNAPSHOT]).fetchone()[0]
        assert blob != b"\x01\x02"  # written anew
    finally:
        again.close()


def test_saved_index_searches_words_tags_and_dates_as_before(opened, data_dir, clock):
    first = save(opened, "blue kettle", tags=["hope"], custom_tags=["Dad"])
    second = save(opened, "red teapot", custom_tags=["dad"])
    journal.build_index(opened)
    again = reopen(opened, data_dir, clock)
    try:
        assert journal.search_ids(again, query="kettle red") == []  # no match across two entries
        assert journal.search_ids(again, query="TEAPOT red") == [second.id]
        assert journal.search_ids(again, tag="dad") == [second.id, first.id]
        assert journal.search_ids(again, query="blue", tag="hope") == [first.id]
        assert journal.search_ids(again, before=second.order) == [first.id]
        assert journal.list_custom_tags(again) == ["dad"]  # the most recent spelling
        third = save(again, "green kettle", custom_tags=["DAD"])
        assert journal.search_ids(again, query="kettle") == [third.id, first.id]
        assert journal.list_custom_tags(again) == ["DAD"]
        assert journal.build_index(again) == 3
    finally:
        again.close()

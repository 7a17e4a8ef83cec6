"""Rules for what a journal entry may hold: the one place its checks live. Pure; no storage."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import MAX_CUSTOM_TAG, MAX_TAGS, MAX_TEXT, MAX_TITLE, SUGGESTED_TAGS
from app.errors import AppError


@dataclass(frozen=True)
class EntryInput:
    """An entry as the person wrote it, checked and tidied (tags once each, empty title as None)."""

    body: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    custom_tags: tuple[str, ...] = ()
    step_id: str | None = None
    created_at: str | None = None  # an import or the demo data gives its own time and zone
    tz: str | None = None


def check_text(text: str | None) -> None:
    """Any one text a person typed: at most 100,000 characters, never cut off silently."""
    if text is not None and len(text) > MAX_TEXT:
        raise AppError("text_too_long", f"{len(text)} characters; at most {MAX_TEXT}")


def clean_custom_tag(text: str) -> str:
    tag = " ".join(text.split())
    if len(tag) > MAX_CUSTOM_TAG:
        raise AppError("tag_too_long", f"{len(tag)} characters; at most {MAX_CUSTOM_TAG}")
    return tag


def clean_entry(body: str, title: str | None = None, tags=(), custom_tags=(), step_id: str | None = None,
                *, created_at: str | None = None, tz: str | None = None) -> EntryInput:
    """Check an entry and return it tidied; an AppError says what cannot be saved."""
    if not (body or "").strip():
        raise AppError("empty_entry")
    check_text(body)
    title = (title or "").strip() or None
    if title and len(title) > MAX_TITLE:
        raise AppError("title_too_long")
    tags = tuple(dict.fromkeys(tags))
    if any(t not in SUGGESTED_TAGS for t in tags):
        raise AppError("unknown_tag")
    custom = tuple(dict.fromkeys(clean_custom_tag(t) for t in custom_tags if t.strip()))
    if len(tags) + len(custom) > MAX_TAGS:
        raise AppError("too_many_tags")
    return EntryInput(body=body, title=title, tags=tags, custom_tags=custom, step_id=step_id,
                      created_at=created_at, tz=tz)


def quick_note_body(answers: list[tuple[str, str]]) -> str:
    """The right-now kit's short note as one entry body: each question that got an answer, then the answer."""
    parts = [f"{label}\n{text.strip()}" for label, text in answers if (text or "").strip()]
    return "\n\n".join(parts)

"""How the dashboard says things: times relative and in the practice's time zone (Babel), names for ids,
worksheet answers with their labels, and audit entries in words. Filters for the Jinja templates; every
value that reaches HTML is escaped here or by the templates' autoescape."""

from __future__ import annotations

import datetime as dt
import functools
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_timedelta, parse_pattern
from jinja2 import pass_context
from markupsafe import Markup, escape

from server import content, db

LOCALE = "en_GB"
BABEL_LOCALE = Locale.parse(LOCALE)
UUID = re.compile(r"\b(member|device)?\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b", re.I)
ACTIONS = {
    "viewed": "viewed the family's page", "exported": "exported the shared data", "paired": "paired a phone",
    "unpaired": "unpaired a phone", "erased": "erased what a member shared", "erased_family": "erased the family",
    "sent_message": "sent a message", "sent_recommendation": "recommended a journey step",
    "sent_feedback": "sent feedback on a worksheet", "pairing_code": "made a pairing code",
    "created_family": "added the family", "moved_family": "moved the family to another specialist",
    "created_specialist": "added a specialist", "deactivated": "deactivated a specialist",
    "reactivated": "reactivated a specialist", "set_password": "set a new password",
    "sign_in_failed": "failed to sign in", "enabled_2fa": "turned on a second factor",
    "disabled_2fa": "turned off a second factor", "restored": "restored a backup",
}
PAGES = {"audit_log": "the audit log", "member_journal": "a member's journal entries",
         "member_checkins": "a member's check-ins",
         "confirm_erase_member": "the erase page", "confirm_erase_family": "the erase page",
         "confirm_unpair": "the unpair page", "summary": "the session summary page",
         "summary_pdf": "a session summary (PDF)"}


@functools.lru_cache(maxsize=16)
def zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone.utc


def parse(moment) -> dt.datetime | None:
    """A stored UTC ISO time (or a datetime) as an aware datetime; None for anything else."""
    if isinstance(moment, dt.datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    try:
        value = dt.datetime.fromisoformat(str(moment or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


@functools.lru_cache(maxsize=32)
def _pattern(pattern: str):
    """A Babel pattern parsed once (a page formats hundreds of times)."""
    return parse_pattern(pattern)


def local_format(value: dt.datetime, pattern: str, tz: str) -> str:
    """An aware datetime in the practice's time zone, with a Babel pattern ('EEE d MMM y')."""
    return _pattern(pattern).apply(value.astimezone(zone(tz)), BABEL_LOCALE)


def exact(moment, tz: str) -> str:
    """'Tuesday 1 December 2026 at 09:15' in the practice's time zone."""
    value = parse(moment)
    if value is None:
        return ""
    return local_format(value, "EEEE d MMMM y 'at' HH:mm", tz)


def relative(moment, now: dt.datetime, tz: str) -> str:
    """'2 hours ago' within a week; beyond, the day ('Mon 3 Nov 2026, 14:05')."""
    value = parse(moment)
    if value is None:
        return ""
    delta = value - now
    if abs(delta) < dt.timedelta(minutes=1):
        return "just now"
    if abs(delta) < dt.timedelta(days=7):
        return format_timedelta(delta, add_direction=True, locale=LOCALE, threshold=1.0)
    return local_format(value, "EEE d MMM y, HH:mm", tz)


@pass_context
def when(ctx, moment, fallback: str = "never") -> Markup:
    """A <time> element: relative words to read, the exact local time on hover and for screen readers."""
    value = parse(moment)
    if value is None:
        return Markup(escape(fallback))
    tz = ctx.get("tz", "UTC")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        db.iso(value), exact(value, tz), relative(value, db.utcnow(), tz))


@pass_context
def day(ctx, moment) -> str:
    value = parse(moment)
    return local_format(value, "EEE d MMM y", ctx.get("tz", "UTC")) if value else ""


def action_words(action: str) -> str:
    return ACTIONS.get(action, action.replace("_", " "))


def name_ids(text: str | None, names: dict[str, str]) -> str:
    """Ids in an audit detail replaced by names; an id no longer known is 'a removed member' or 'a removed device'."""
    if text in PAGES:
        return PAGES[text]

    def swap(m: re.Match) -> str:
        kind = (m.group(1) or "").lower()
        known = names.get(m.group(2).lower())
        return known if known else f"a removed {kind or 'record'}"
    return UUID.sub(swap, text or "")


def field_rows(worksheet: dict) -> list[tuple[str, list[str] | str | None]]:
    """(label, answer) for each field of a shared worksheet, in the content's order; a list stays a list and a
    choice is its words. Fields the content does not know keep a readable form of their key."""
    step = content.load().steps.get(worksheet.get("step_id") or "") or content.load().by_kind.get(worksheet.get("kind"))
    fields = worksheet.get("fields") or {}
    labels = step.labels if step else {}
    options = step.options if step else {}
    order = [k for k in labels if k in fields] + [k for k in fields if k not in labels]
    rows = []
    for key in order:
        value = fields[key]
        words = options.get(key, {})
        if isinstance(value, list):
            value = [words.get(str(v), str(v)) for v in value]
        elif isinstance(value, str) and value in words:
            value = words[value]
        elif value is not None and not isinstance(value, str):
            value = str(value)
        rows.append((labels.get(key) or key.replace("_", " ").capitalize(), value))
    return rows


def worksheet_title(worksheet: dict) -> str:
    step = content.load().steps.get(worksheet.get("step_id") or "")
    if step:
        return step.title
    return str(worksheet.get("kind") or "Worksheet").replace("_", " ").capitalize()


def step_title(step_id: str | None) -> str:
    return content.load().step_title(step_id) or (step_id or "")


def journey_title(journey_id: str | None) -> str:
    journey = content.load().journey(journey_id or "")
    return journey.title if journey else (journey_id or "")


def mood_words(mood) -> str:
    return {1: "Very low", 2: "Low", 3: "Okay", 4: "Good", 5: "Very good"}.get(mood, str(mood))


def install(env) -> None:
    env.filters.update(when=when, day=day, action_words=action_words, name_ids=name_ids, field_rows=field_rows,
                       worksheet_title=worksheet_title, step_title=step_title, journey_title=journey_title,
                       mood_words=mood_words, type_words=content.type_words)

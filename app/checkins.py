"""Rules for check-ins and the WHO-5: what a check-in may hold, scoring, and when to offer care. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain import FEELINGS, LOVED_ONE_DAYS, RESPONSES
from app.errors import AppError
from app.journal import check_text

WHO5_ITEMS = 5
WHO5_LOW = 50  # the usual "poor wellbeing" cut-off of the WHO-5 percentage score
VERY_LOW_MOOD = 1  # "Very low" on the check-in's 1-5 mood scale
WHO5_DROP = 10
WHO5_EVERY_DAYS = 7


@dataclass(frozen=True)
class CheckInInput:
    """A check-in as chosen on screen, checked (each feeling and response once, a blank note as None)."""

    mood: int
    feelings: tuple[str, ...] = ()
    stress: int | None = None
    sleep: int | None = None
    note: str | None = None
    loved_one_day: str | None = None
    my_response: tuple[str, ...] = ()
    created_at: str | None = None  # an import or the demo data gives its own time and zone
    tz: str | None = None


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def clean_checkin(mood, feelings=(), stress=None, sleep=None, note=None, loved_one_day=None, my_response=(),
                  *, created_at: str | None = None, tz: str | None = None) -> CheckInInput:
    """Check a check-in; values the screen never offers are AppError("invalid_checkin")."""
    ok = (_whole(mood, 1, 5) and (stress is None or _whole(stress, 0, 10)) and (sleep is None or _whole(sleep, 1, 5))
          and all(f in FEELINGS for f in feelings) and all(r in RESPONSES for r in my_response)
          and (loved_one_day is None or loved_one_day in LOVED_ONE_DAYS))
    if not ok:
        raise AppError("invalid_checkin")
    check_text(note)
    return CheckInInput(mood=mood, feelings=tuple(dict.fromkeys(feelings)), stress=stress, sleep=sleep,
                        note=(note or "").strip() or None, loved_one_day=loved_one_day,
                        my_response=tuple(dict.fromkeys(my_response)), created_at=created_at, tz=tz)


def who5_score(items: list[int]) -> int:
    """Raw 0-25 times 4: the WHO-5 percentage score (0 worst, 100 best)."""
    if len(items) != WHO5_ITEMS or not all(_whole(i, 0, 5) for i in items):
        raise AppError("invalid_wellbeing")
    return sum(items) * 4


def who5_needs_care(score: int, previous: int | None) -> bool:
    """Low (50 or below) or dropped by 10 points or more: suggest talking to someone. Never a diagnosis."""
    return score <= WHO5_LOW or (previous is not None and previous - score >= WHO5_DROP)


def gentle_help_due(*, today: str, last_shown: str | None, who5: int | None = None,
                    mood: int | None = None) -> bool:
    """Offer the crisis lines gently after a WHO-5 of 50 or lower or a "Very low" mood, at most once a local day."""
    low = (who5 is not None and who5 <= WHO5_LOW) or mood == VERY_LOW_MOOD
    return low and last_shown != today


def wellbeing_since(today: dt.date) -> str:
    """The first day of the window in which one WHO-5 counts as this week's (offered weekly)."""
    return (today - dt.timedelta(days=WHO5_EVERY_DAYS - 1)).isoformat()

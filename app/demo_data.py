"""A realistic multi-year data set for benchmarks and for trying the app.

    python -m app.demo_data --years 10 --into DIR

writes 2,000 journal entries and 4,000 check-ins a year (20,000 and 40,000 for ten
years) and a weekly WHO-5 into a Regroup store in DIR, through the same store functions
the app uses (so every text is encrypted). It ends at the clock's now, with the last
check-in a minute before it, so "today" and "this month" always hold data.
Deterministic for a given --seed and clock (REGROUP_CLOCK sets it, as for the app).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path

from app.checkins import clean_checkin, who5_score
from app.clock import Clock, clock_from_env, stamp
from app.domain import FEELINGS, RESPONSES, SUGGESTED_TAGS
from app.journal import clean_entry
from app.store import checkins, checkpoint, journal, open_store

ENTRIES_A_YEAR, CHECKINS_A_YEAR = 2_000, 4_000

OPENINGS = ["Today was hard.", "A quieter day.", "I keep thinking about the intervention.", "Small win today.",
            "Talked with my sister tonight.", "I could not sleep again.", "He called this morning.",
            "Went to the family group.", "I kept my boundary about money.", "We had dinner together, sober."]
MIDDLES = ["I felt the old guilt creeping back, and I tried to notice it without arguing with it.",
           "The breathing exercise helped a little before I answered the phone.",
           "I said how I felt with an I statement and he actually listened for a minute.",
           "I am tired of waiting for the phone to ring at night.",
           "My specialist reminded me that change usually takes several tries.",
           "I walked for twenty minutes and my head felt clearer afterwards.",
           "I did not cover for her at work this time. It was hard to watch.",
           "There was a moment of real connection, and I want to remember it.",
           "I noticed I was checking his mood the second he came in.",
           "Some days I feel hope, and today was one of them."]
ENDINGS = ["Tomorrow I will try again.", "I need to be kind to myself.", "One day at a time.",
           "I want to bring this up with the specialist.", "Writing this down helps.", ""]
ZONES = ["Europe/Dublin", "America/New_York", "Europe/Madrid"]


def _entry(rng: random.Random, when: dt.datetime, zone: str):
    body = " ".join(x for x in (rng.choice(OPENINGS), *rng.sample(MIDDLES, rng.randint(1, 4)),
                                rng.choice(ENDINGS)) if x)
    return clean_entry(body, rng.choice([None, None, rng.choice(OPENINGS).rstrip(".")]),
                       rng.sample(SUGGESTED_TAGS[:-1], rng.randint(0, 3)),
                       rng.choice([[], [], ["work"], ["dad"], ["holidays"]]), created_at=stamp(when), tz=zone)


def _checkin(rng: random.Random, when: dt.datetime, zone: str, mood_level: float):
    lod = rng.choice(["use", "non_use", "non_use", "unknown", None])
    mood = max(1, min(5, round(mood_level + (0.6 if lod == "non_use" else -0.4 if lod == "use" else 0)
                               + rng.gauss(0, 0.8))))
    return clean_checkin(mood, rng.sample(FEELINGS, rng.randint(0, 3)),
                         max(0, min(10, round(10 - 2 * mood + rng.gauss(0, 1.5)))), rng.randint(1, 5),
                         rng.choice([None, None, None, rng.choice(MIDDLES)]), lod,
                         rng.sample(RESPONSES, rng.randint(0, 2)) if lod else [], created_at=stamp(when), tz=zone)


def _times(rng: random.Random, start: dt.datetime, end: dt.datetime, count: int, last_gap_s: int):
    """count times from start to end, oldest first; the last one last_gap_s before end."""
    span = (end - start).total_seconds()
    times = sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(count))
    if times:
        times[-1] = end - dt.timedelta(seconds=last_gap_s)
    return times


def counts(*, years: int, entries: int | None = None, checkin_count: int | None = None) -> tuple[int, int]:
    """How many entries and check-ins to write: the per-year rate times the years, unless given."""
    return (ENTRIES_A_YEAR * years if entries is None else entries,
            CHECKINS_A_YEAR * years if checkin_count is None else checkin_count)


def generate(into: Path, *, years: int = 10, entries: int | None = None, checkin_count: int | None = None,
             seed: int = 7, batch: int = 2_000, clock: Clock | None = None) -> dict:
    rng = random.Random(seed)
    clock = clock or clock_from_env()
    entries, checkin_count = counts(years=years, entries=entries, checkin_count=checkin_count)
    end = clock.now().replace(microsecond=0)
    start = end - dt.timedelta(days=365 * years)
    s = open_store(into, clock=clock)
    began = time.perf_counter()
    try:
        times = _times(rng, start, end, entries, 120)
        for i in range(0, entries, batch):
            journal.add_entries(s, [_entry(rng, t, rng.choice(ZONES)) for t in times[i:i + batch]])
        level, times = 3.0, _times(rng, start, end, checkin_count, 60)
        for i in range(0, checkin_count, batch):
            chunk = []
            for t in times[i:i + batch]:
                level = min(4.5, max(1.5, level + rng.gauss(0, 0.05)))
                chunk.append(_checkin(rng, t, clock.zone if t == times[-1] else rng.choice(ZONES), level))
            checkins.add_checkins(s, chunk)
        week = start
        while week < end:
            items = [rng.randint(1, 4) for _ in range(5)]
            checkins.add_wellbeing(s, items, who5_score(items), created_at=stamp(week), tz="Europe/Dublin")
            week += dt.timedelta(days=7)
        checkpoint(s)
        return {"entries": journal.count_entries(s), "checkins": checkin_count,
                "seconds": round(time.perf_counter() - began, 1)}
    finally:
        s.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, required=True, help="data folder to fill (created if needed)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--entries", type=int, help=f"default {ENTRIES_A_YEAR:,} a year")
    parser.add_argument("--checkins", type=int, help=f"default {CHECKINS_A_YEAR:,} a year")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = generate(args.into, years=args.years, entries=args.entries, checkin_count=args.checkins,
                      seed=args.seed)
    print(f"wrote {result['entries']} journal entries and {result['checkins']} check-ins into {args.into} "
          f"in {result['seconds']} s")


if __name__ == "__main__":
    main()

"""A realistic multi-year data set for benchmarks and for trying the app.

    python -m app.demo_data --years 10 --into DIR

writes (by default) 20,000 journal entries, 40,000 check-ins and a weekly WHO-5
into a Regroup store in DIR, through the same store functions the app uses (so
every text is encrypted). Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path

from app import checkins, journal, store
from app.domain import FEELINGS, RESPONSES, SUGGESTED_TAGS

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


def _entry(rng: random.Random, when: dt.datetime, zone: str) -> dict:
    body = " ".join(x for x in (rng.choice(OPENINGS), *rng.sample(MIDDLES, rng.randint(1, 4)),
                                rng.choice(ENDINGS)) if x)
    return {"body": body, "title": rng.choice([None, None, rng.choice(OPENINGS).rstrip(".")]),
            "tags": rng.sample(SUGGESTED_TAGS[:-1], rng.randint(0, 3)),
            "custom_tags": rng.choice([[], [], ["work"], ["dad"], ["holidays"]]),
            "created_at": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"), "tz": zone}


def _checkin(rng: random.Random, when: dt.datetime, zone: str, mood_level: float) -> dict:
    lod = rng.choice(["use", "non_use", "non_use", "unknown", None])
    mood = max(1, min(5, round(mood_level + (0.6 if lod == "non_use" else -0.4 if lod == "use" else 0)
                               + rng.gauss(0, 0.8))))
    return {"mood": mood, "feelings": rng.sample(FEELINGS, rng.randint(0, 3)),
            "stress": max(0, min(10, round(10 - 2 * mood + rng.gauss(0, 1.5)))), "sleep": rng.randint(1, 5),
            "note": rng.choice([None, None, None, rng.choice(MIDDLES)]), "loved_one_day": lod,
            "my_response": rng.sample(RESPONSES, rng.randint(0, 2)) if lod else [],
            "created_at": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"), "tz": zone}


def generate(into: Path, *, years: int = 10, entries: int = 20_000, checkin_count: int = 40_000,
             seed: int = 7, batch: int = 2_000) -> dict:
    rng = random.Random(seed)
    end = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    start = end - dt.timedelta(days=365 * years)
    span = (end - start).total_seconds()
    s = store.open_store(into)
    began = time.perf_counter()
    try:
        times = sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(entries))
        for i in range(0, entries, batch):
            journal.add_entries(s, [_entry(rng, t, rng.choice(ZONES)) for t in times[i:i + batch]])
        level, times = 3.0, sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(checkin_count))
        for i in range(0, checkin_count, batch):
            chunk = []
            for t in times[i:i + batch]:
                level = min(4.5, max(1.5, level + rng.gauss(0, 0.05)))
                chunk.append(_checkin(rng, t, rng.choice(ZONES), level))
            checkins.add_checkins(s, chunk)
        week = start
        while week < end:
            checkins.add_wellbeing(s, [rng.randint(1, 4) for _ in range(5)],
                                   created_at=week.isoformat().replace("+00:00", "Z"), tz="Europe/Dublin")
            week += dt.timedelta(days=7)
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {"entries": journal.count_entries(s), "checkins": checkin_count,
                "seconds": round(time.perf_counter() - began, 1)}
    finally:
        s.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, required=True, help="data folder to fill (created if needed)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--checkins", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = generate(args.into, years=args.years, entries=args.entries, checkin_count=args.checkins,
                      seed=args.seed)
    print(f"wrote {result['entries']} journal entries and {result['checkins']} check-ins into {args.into} "
          f"in {result['seconds']} s")


if __name__ == "__main__":
    main()

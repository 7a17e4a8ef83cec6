"""Who needs the specialist first: the reasons, in words, for each family (pure rules, no SQL, clock passed in).

A reason is raised by what the family shared and what the specialist sent back:
- a WHO-5 of 28 or lower (the latest one);
- a WHO-5 10 points or more below the one before;
- mood "Very low" on 3 of the last 7 check-ins;
- a message from a member not answered since (no message to them or to the family after it);
- a plan (a worksheet whose kind ends in `_plan`) with no feedback since its latest version;
- no sync for 14 days by a member who used the app regularly (shared something on 3 or more days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from server import content

LOW_WHO5 = 28
WHO5_DROP = 10
VERY_LOW_MOOD, VERY_LOW_TIMES, LAST_CHECKINS = 1, 3, 7
QUIET_DAYS, REGULAR_DAYS = 14, 3
MOOD_WORDS = {1: "Very low", 2: "Low", 3: "Okay", 4: "Good", 5: "Very good"}


@dataclass(frozen=True)
class Reason:
    code: str
    words: str
    weight: int  # how much it moves the family up the list


def _parse(moment: str | None) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat((moment or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def member_reasons(name: str, records: list[dict], devices: list[dict], down: list[dict], member_id: str,
                   now: dt.datetime, days_used: int | None = None) -> list[Reason]:
    """The reasons one member's shared records give (records: live rows with `entity`, `seq`, `data`; the
    caller may pass only the newest check-ins, and then how many days they shared on, as `days_used`)."""
    out: list[Reason] = []
    who5 = sorted((r["data"] for r in records if r["entity"] == "wellbeing"), key=lambda d: d["created_at"])
    if who5 and who5[-1]["score"] <= LOW_WHO5:
        out.append(Reason("who5_low", f"{name}'s wellbeing score (WHO-5) is {who5[-1]['score']}, at "
                                      f"{LOW_WHO5} or lower", 3))
    if len(who5) >= 2 and who5[-2]["score"] - who5[-1]["score"] >= WHO5_DROP:
        out.append(Reason("who5_drop", f"{name}'s wellbeing score dropped {who5[-2]['score'] - who5[-1]['score']} "
                                       f"points, from {who5[-2]['score']} to {who5[-1]['score']}", 2))
    moods = [d["mood"] for d in sorted((r["data"] for r in records if r["entity"] == "checkin"),
                                       key=lambda d: d["created_at"])][-LAST_CHECKINS:]
    very_low = sum(1 for m in moods if m == VERY_LOW_MOOD)
    if very_low >= VERY_LOW_TIMES:
        out.append(Reason("mood_very_low", f"{name} felt \"Very low\" in {very_low} of their last {len(moods)} "
                                           "check-ins", 3))
    answered = max((c["seq"] for c in down if c["entity"] in ("message", "recommendation")
                    and c["member_id"] in (None, member_id)), default=0)
    waiting = [r for r in records if r["entity"] == "message" and r["seq"] > answered]
    if waiting:
        out.append(Reason("message_waiting", f"{name} sent {'a message' if len(waiting) == 1 else f'{len(waiting)} messages'}"
                                             " not answered yet", 2))
    feedback = {c["data"].get("worksheet_id"): c["seq"] for c in down if c["entity"] == "feedback" and c["data"]}
    for plan in (r for r in records if r["entity"] == "worksheet" and str(r["data"].get("kind", "")).endswith("_plan")):
        if feedback.get(plan["entity_id"], 0) < plan["seq"]:
            step = content.load().by_kind.get(plan["data"]["kind"])
            title = step.title if step else plan["data"]["kind"].replace("_", " ")
            out.append(Reason("plan_waiting", f"{name} is waiting for your feedback on \u201c{title}\u201d", 1))
            break
    out += _quiet(name, records, devices, now, days_used)
    return out


def quiet_days(devices: list[dict], now: dt.datetime) -> int | None:
    """Whole days since any of a member's paired phones was last seen, when that is 14 or more; else None (the
    only case in which the days of use matter, so the family list counts them for these members alone)."""
    seen = [s for s in (_parse(d.get("last_seen_at")) for d in devices if not d.get("unpaired_at")) if s]
    if not seen:
        return None
    quiet = (now - max(seen)).days
    return quiet if quiet >= QUIET_DAYS else None


def _quiet(name: str, records: list[dict], devices: list[dict], now: dt.datetime,
           days_used: int | None = None) -> list[Reason]:
    quiet = quiet_days(devices, now)
    if quiet is None:
        return []
    if days_used is None:
        days_used = len({(r["updated_at"] or "")[:10] for r in records})
    if days_used >= REGULAR_DAYS:
        return [Reason("quiet", f"{name} has not synced for {quiet} days, after using the app regularly", 2)]
    return []


def score(reasons: list[Reason]) -> int:
    return sum(r.weight for r in reasons)

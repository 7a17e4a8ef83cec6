"""Read models for the dashboard, the CLI and the export, always scoped by family (and so by specialist)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, case, desc, false, func, or_, select, tuple_, union_all
from sqlalchemy.engine import Connection

from server import db, triage


@dataclass(frozen=True)
class Specialist:
    id: str
    email: str
    name: str
    is_admin: bool = False
    active: bool = True
    totp: bool = False  # a second factor is in use


SPECIALIST_COLUMNS = (db.specialists.c.id, db.specialists.c.email, db.specialists.c.name, db.specialists.c.is_admin,
                      db.specialists.c.deactivated_at, db.specialists.c.totp_enabled_at)


def _specialist(row) -> Specialist:
    return Specialist(row["id"], row["email"], row["name"], bool(row["is_admin"]), row["deactivated_at"] is None,
                      row["totp_enabled_at"] is not None)


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    latest_seq: int
    purged_seq: int
    created_at: str


def as_uuid(value: str | None) -> str | None:
    """The canonical form of a UUID, or None for anything else (so no odd text reaches a query)."""
    try:
        return str(uuid.UUID(value)) if value and len(value) <= 36 else None
    except ValueError:
        return None


def _family(row) -> Family:
    return Family(id=row["id"], name=row["name"], latest_seq=row["latest_seq"], purged_seq=row["purged_seq"],
                  created_at=row["created_at"])


def specialist_by_id(conn: Connection, specialist_id: str) -> Specialist | None:
    row = conn.execute(select(*SPECIALIST_COLUMNS).where(db.specialists.c.id == specialist_id)).mappings().first()
    return _specialist(row) if row else None


def specialist_by_email(conn: Connection, email: str) -> Specialist | None:
    row = conn.execute(select(*SPECIALIST_COLUMNS).where(db.specialists.c.email == email.strip().lower())
                       ).mappings().first()
    return _specialist(row) if row else None


def specialists(conn: Connection) -> list[Specialist]:
    return [_specialist(r) for r in conn.execute(select(*SPECIALIST_COLUMNS).order_by(db.specialists.c.name))
            .mappings()]


def credentials(conn: Connection, email: str) -> tuple[Specialist, str] | None:
    """The specialist with this email and their password hash, for signing in."""
    row = conn.execute(select(db.specialists).where(db.specialists.c.email == email.strip().lower())
                       ).mappings().first()
    return (_specialist(row), row["password_hash"]) if row else None


def totp_secret(conn: Connection, specialist_id: str) -> str | None:
    return conn.execute(select(db.specialists.c.totp_secret).where(db.specialists.c.id == specialist_id)).scalar()


def all_families(conn: Connection) -> list[dict]:
    """Every family with the specialists it is assigned to (the admin's view: names, never content)."""
    rows = conn.execute(select(db.families.c.id, db.families.c.name, db.specialists.c.id.label("specialist_id"),
                               db.specialists.c.name.label("specialist"))
                        .select_from(db.families.outerjoin(db.family_specialists, db.family_specialists.c.family_id
                                                           == db.families.c.id)
                                     .outerjoin(db.specialists, db.specialists.c.id ==
                                                db.family_specialists.c.specialist_id))
                        .order_by(db.families.c.name)).mappings()
    return [dict(r) for r in rows]


def audit_search(conn: Connection, *, family_id: str | None = None, actor: str | None = None,
                 since: str | None = None, until: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[dict]:
    """Audit entries, newest first, filtered by family, actor (a specialist's email) and time (since <= at < until);
    a page of them with limit and offset, or all of them (the CSV export)."""
    a = db.audit_log.c
    q = select(db.audit_log)
    if family_id:
        q = q.where(a.family_id == family_id)
    if actor:
        q = q.where(a.actor == actor)
    if since:
        q = q.where(a.at >= since)
    if until:
        q = q.where(a.at < until)
    return [dict(r) for r in conn.execute(q.order_by(a.id.desc()).limit(limit).offset(offset)).mappings()]


def recent_write_by(conn: Connection, family_id: str, actor: str, since: str) -> bool:
    """Whether this actor's latest entry for the family is one of their own writes, made since then."""
    last = conn.execute(select(db.audit_log.c.action, db.audit_log.c.at).where(
        db.audit_log.c.family_id == family_id, db.audit_log.c.actor == actor)
        .order_by(db.audit_log.c.id.desc()).limit(1)).first()
    return last is not None and last.action not in ("viewed", "exported") and last.at >= since


def seen_seq(conn: Connection, specialist_id: str, family_id: str) -> int | None:
    """The family's seq when this specialist last opened its page (None: never)."""
    return conn.execute(select(db.views.c.seen_seq).where(db.views.c.specialist_id == specialist_id,
                                                          db.views.c.family_id == family_id)).scalar()


def read(engine, reader, *args):
    """Run one of the readers here in its own short transaction."""
    with engine.begin() as conn:
        return reader(conn, *args)


def family(conn: Connection, family_id: str) -> Family | None:
    row = conn.execute(select(db.families).where(db.families.c.id == family_id)).mappings().first()
    return _family(row) if row else None


def member_in_family(conn: Connection, family_id: str, member_id: str) -> bool:
    """The one place that says whether a member belongs to a family."""
    return conn.execute(select(db.members.c.id).where(db.members.c.id == member_id,
                                                      db.members.c.family_id == family_id)).first() is not None


def families_of(conn: Connection, specialist_id: str) -> list[Family]:
    rows = conn.execute(select(db.families).join(db.family_specialists,
                                                 db.family_specialists.c.family_id == db.families.c.id)
                        .where(db.family_specialists.c.specialist_id == specialist_id)
                        .order_by(db.families.c.name)).mappings().all()
    return [_family(r) for r in rows]


def family_for(conn: Connection, specialist_id: str, family_id: str) -> Family | None:
    """The family, only if this specialist is assigned to it (else None: the caller answers 404)."""
    row = conn.execute(select(db.families).join(db.family_specialists,
                                                db.family_specialists.c.family_id == db.families.c.id)
                       .where(db.families.c.id == family_id,
                              db.family_specialists.c.specialist_id == specialist_id)).mappings().first()
    return _family(row) if row else None


def worksheet_owner(conn: Connection, family_id: str, entity_id: str) -> str | None:
    """The member who shared this (live) worksheet in this family, or None."""
    return conn.execute(select(db.records.c.member_id).where(
        db.records.c.family_id == family_id, db.records.c.entity_id == entity_id,
        db.records.c.entity == "worksheet", db.records.c.deleted.is_(False))).scalar()


def audit_entries(conn: Connection, family_id: str, *, limit: int = 1_000_000, offset: int = 0) -> list[dict]:
    """A family's audit entries, newest first (a page of them with limit and offset)."""
    return [dict(r) for r in conn.execute(select(db.audit_log).where(db.audit_log.c.family_id == family_id)
                                          .order_by(db.audit_log.c.id.desc()).limit(limit).offset(offset))
            .mappings()]


def members_of(conn: Connection, family_id: str) -> list[dict]:
    """A family's members in the order they joined, each with their devices (two queries for any number)."""
    members = [dict(m) for m in conn.execute(select(db.members).where(db.members.c.family_id == family_id)
                                             .order_by(db.members.c.joined_at)).mappings()]
    devices = _grouped([dict(d) for d in conn.execute(select(db.devices).where(db.devices.c.family_id == family_id)
                                                      .order_by(db.devices.c.created_at)).mappings()], "member_id")
    for m in members:
        m["devices"] = devices.get(m["id"], [])
    return members


def records_of(conn: Connection, family_id: str, entity: str | None = None, *, include_deleted=False) -> list[dict]:
    q = select(db.records).where(db.records.c.family_id == family_id)
    if entity:
        q = q.where(db.records.c.entity == entity)
    if not include_deleted:
        q = q.where(db.records.c.deleted.is_(False))
    out = []
    for r in conn.execute(q.order_by(desc(db.records.c.seq))).mappings():
        item = dict(r)
        item["data"] = json.loads(r["data"]) if r["data"] else None
        out.append(item)
    return out


def revisions_of(conn: Connection, family_id: str, entity_id: str) -> list[dict]:
    return [{**dict(r), "data": json.loads(r["data"])} for r in conn.execute(
        select(db.revisions).where(db.revisions.c.family_id == family_id, db.revisions.c.entity_id == entity_id)
        .order_by(db.revisions.c.id)).mappings()]


def revisions_of_many(conn: Connection, family_id: str, entity_ids: list[str]) -> list[dict]:
    """The revisions of several records in one query (each record's in order)."""
    if not entity_ids:
        return []
    return [{**dict(r), "data": json.loads(r["data"])} for r in conn.execute(
        select(db.revisions).where(db.revisions.c.family_id == family_id, db.revisions.c.entity_id.in_(entity_ids))
        .order_by(db.revisions.c.id)).mappings()]


def sent_down(conn: Connection, family_id: str) -> list[dict]:
    rows = conn.execute(select(db.changes).where(db.changes.c.family_id == family_id,
                                                 db.changes.c.direction == "down").order_by(desc(db.changes.c.seq)))
    return [{**dict(r), "data": json.loads(r["data"]) if r["data"] else None} for r in rows.mappings()]


def summary(conn: Connection, family: Family, specialist_id: str) -> dict:
    """What the family list shows for one family (see `summaries`)."""
    return summaries(conn, [family], specialist_id)[0]


def _grouped(rows, key: str) -> dict:
    out: dict = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


LIST_WHOLE = ("wellbeing", "journey_progress", "worksheet")  # few: read whole; messages need only their seq
CHECKINS_READ = 2 * triage.LAST_CHECKINS  # the newest check-ins by seq hold the last 7 by date the rules read


def summaries(conn: Connection, families: list[Family], specialist_id: str) -> list[dict]:
    """What the family list shows: members, last activity, latest mood, WHO-5 trend, progress, new items, unread
    messages, and the reasons (in words) a family may need the specialist first. A handful of queries for any
    number of families: counts, days of use and last activity are added up by the database; only the kinds the
    rules read come back (messages without their words), and of check-ins only each member's newest few."""
    ids = [f.id for f in families]
    if not ids:
        return []
    members = _grouped([dict(m) for m in conn.execute(select(db.members).where(db.members.c.family_id.in_(ids))
                                                      .order_by(db.members.c.joined_at)).mappings()], "family_id")
    devices = _grouped([dict(d) for d in conn.execute(select(db.devices).where(db.devices.c.family_id.in_(ids))
                                                      .order_by(db.devices.c.created_at)).mappings()], "member_id")
    r = db.records.c
    everyone = [m for of_family in members.values() for m in of_family]
    member_ids = [m["id"] for m in everyone]
    live = and_(r.family_id.in_(ids), r.deleted.is_(False))
    # naming the members too lets the database seek by (family, member, kind) in the records_kind index instead
    # of reading every row of a family to pick out a few kinds
    kinds_of = and_(live, r.member_id.in_(member_ids))
    columns = (r.family_id, r.entity_id, r.entity, r.member_id, r.seq, r.updated_at)

    def decoded(rows) -> list[dict]:
        return [{"family_id": f, "entity_id": e, "entity": kind, "member_id": m, "seq": seq, "updated_at": at,
                 "data": json.loads(data) if data else None} for f, e, kind, m, seq, at, data in rows]

    read = decoded(conn.execute(select(*columns, case((r.entity.in_(LIST_WHOLE), r.data), else_=None))
                                .where(kinds_of, r.entity.in_((*LIST_WHOLE, "message")))))  # journal bodies stay put
    # each member's newest check-ins: one index seek from the end per member (a window over all of a member's
    # check-ins sorted them all first), in statements of up to 400 parts (SQLite allows 500)
    newest = [select(*columns, r.data).where(r.family_id == m["family_id"], r.member_id == m["id"],
                                             r.entity == "checkin", r.deleted.is_(False))
              .order_by(r.seq.desc()).limit(CHECKINS_READ).subquery().select()
              for m in everyone]
    for chunk in range(0, len(newest), 400):
        read += decoded(conn.execute(union_all(*newest[chunk:chunk + 400])))
    v = db.views.c
    seen = select(v.family_id, v.seen_seq).where(v.specialist_id == specialist_id, v.family_id.in_(ids)).subquery()
    new = or_(seen.c.seen_seq.is_(None), r.seq > seen.c.seen_seq)
    tally = [dict(row) for row in conn.execute(
        select(r.family_id, r.member_id, func.max(r.updated_at).label("last"),
               func.sum(case((new, 1), else_=0)).label("new"),
               func.sum(case((and_(new, r.entity == "message"), 1), else_=0)).label("unread"))
        .select_from(db.records.outerjoin(seen, seen.c.family_id == r.family_id))
        .where(live).group_by(r.family_id, r.member_id)).mappings()]
    # the days of use matter only for a member whose phones have been quiet for 14 days (triage.quiet_days)
    now = db.utcnow()
    quiet = [m["id"] for m in everyone if triage.quiet_days(devices.get(m["id"], []), now) is not None]
    days = dict(conn.execute(select(r.member_id, func.count(func.distinct(func.substr(r.updated_at, 1, 10))))
                             .where(live, r.member_id.in_(quiet)).group_by(r.member_id)).all()) if quiet else {}
    for t in tally:
        t["days"] = days.get(t["member_id"], 0)
    c = db.changes.c
    down = _grouped([{**dict(row), "data": json.loads(row["data"]) if row["data"] else None} for row in conn.execute(
        select(c.family_id, c.seq, c.entity, c.member_id, c.data).where(
            c.family_id.in_(ids), c.direction == "down", c.entity.in_(("message", "recommendation", "feedback"))))
        .mappings()], "family_id")
    records, tallies = _grouped(read, "family_id"), _grouped(tally, "family_id")
    return [_summary(f, members.get(f.id, []), devices, records.get(f.id, []), tallies.get(f.id, []),
                     down.get(f.id, []), now) for f in families]


def _summary(family: Family, members: list, devices: dict, records: list, tally: list, down: list, now) -> dict:
    """One family's line: `records` are what the rules read (decoded); `tally` a row per member with its last
    activity, days of use, and the items and messages new since this specialist last opened the family."""
    per_member, reasons = [], []
    mine_of, tally_of = _grouped(records, "member_id"), {t["member_id"]: t for t in tally}
    for m in members:
        m["devices"] = devices.get(m["id"], [])
        mine = mine_of.get(m["id"], [])
        checkins = sorted((r for r in mine if r["entity"] == "checkin"), key=lambda r: r["data"]["created_at"])
        who5 = sorted((r for r in mine if r["entity"] == "wellbeing"), key=lambda r: r["data"]["created_at"])
        done = sum(1 for r in mine if r["entity"] == "journey_progress" and r["data"]["status"] == "completed")
        per_member.append({
            "name": m["name"], "latest_mood": checkins[-1]["data"]["mood"] if checkins else None,
            "who5": who5[-1]["data"]["score"] if who5 else None,
            "who5_trend": who5_trend([w["data"]["score"] for w in who5]), "steps_done": done,
            "who5_low": bool(who5) and who5[-1]["data"]["score"] <= 28,
        })
        reasons += triage.member_reasons(m["name"], mine, m["devices"], down, m["id"], now,
                                         days_used=(tally_of.get(m["id"]) or {}).get("days", 0))
    seen_at = [d["last_seen_at"] for m in members for d in m["devices"] if d["last_seen_at"]]
    updated = [t["last"] for t in tally if t["last"]]
    return {"family": family, "members": per_member, "last_activity": max(seen_at + updated, default=None),
            "new_items": sum(int(t["new"] or 0) for t in tally),
            "unread": sum(int(t["unread"] or 0) for t in tally),
            "flag": any(p["who5_low"] for p in per_member), "reasons": reasons, "need": triage.score(reasons)}


def triage_list(conn: Connection, specialist_id: str) -> list[dict]:
    """The specialist's families, the ones that need them first (by the weight of their reasons), then by new
    activity since they last looked, then the most recent activity, then by name."""
    rows = summaries(conn, families_of(conn, specialist_id), specialist_id)
    rows.sort(key=lambda r: r["family"].name.lower())
    rows.sort(key=lambda r: r["last_activity"] or "", reverse=True)
    rows.sort(key=lambda r: (r["need"], r["new_items"]), reverse=True)
    return rows


def names_in_family(conn: Connection, family_id: str | None) -> dict[str, str]:
    """Member and device ids of a family (None: of every family, and the families' own ids) to the words the
    dashboard shows for them."""
    members, devices = select(db.members.c.id, db.members.c.name), select(db.devices.c.id, db.devices.c.name,
                                                                           db.devices.c.member_id)
    if family_id is not None:
        members, devices = members.where(db.members.c.family_id == family_id), devices.where(
            db.devices.c.family_id == family_id)
    names = {m["id"]: m["name"] for m in conn.execute(members).mappings()}
    if family_id is None:
        names.update({f.id: f.name for f in conn.execute(select(db.families.c.id, db.families.c.name))})
    for d in conn.execute(devices).mappings():
        names[d["id"]] = f"{names.get(d['member_id'], 'a member')}'s phone \u201c{d['name']}\u201d"
    return names


def who5_trend(scores: list[int]) -> str | None:
    """Latest against the one before: down when 10 or more lower, up when 10 or more higher, else steady."""
    if len(scores) < 2:
        return None
    diff = scores[-1] - scores[-2]
    return "down" if diff <= -10 else "up" if diff >= 10 else "steady"


def export_family(conn: Connection, family_id: str) -> dict:
    """Members with ids, current shared records with revisions, tombstones without content, messages."""
    family = conn.execute(select(db.families).where(db.families.c.id == family_id)).mappings().first()
    if family is None:
        raise KeyError(family_id)
    members = [{"id": m["id"], "name": m["name"], "joined_at": m["joined_at"]} for m in members_of(conn, family_id)]
    shared, tombstones, messages_up = [], [], []
    for r in records_of(conn, family_id, include_deleted=True):
        base = {"entity": r["entity"], "entity_id": r["entity_id"], "member_id": r["member_id"],
                "version": r["version"], "seq": r["seq"], "updated_at": r["updated_at"]}
        if r["deleted"]:
            tombstones.append({**base, "kind": r["tomb_kind"]})
        elif r["entity"] == "message":
            messages_up.append({**base, "data": r["data"]})
        else:
            shared.append({**base, "data": r["data"], "revisions": [
                {"version": v["version"], "hlc": v["hlc"], "data": v["data"]}
                for v in revisions_of(conn, family_id, r["entity_id"])]})
    down = [{"seq": c["seq"], "entity": c["entity"], "entity_id": c["entity_id"], "member_id": c["member_id"],
             "data": c["data"], "created_at": c["created_at"]} for c in sent_down(conn, family_id)]
    return {"family": {"id": family["id"], "name": family["name"]}, "members": members, "records": shared,
            "tombstones": tombstones, "messages": {"from_members": messages_up, "to_family": down}}


CHECKINS_SHOWN = 60  # the newest check-ins a member's chart draws
SHOWN_WHOLE = ("worksheet", "journey_progress", "message", "wellbeing")  # the family page shows every one


def family_page(conn: Connection, family_id: str, *, journal_limit: int | None = None,
                seen: int | None = None) -> dict:
    """What the family page shows: each member with their shared records by kind (journal newest first, the
    first `journal_limit` with their revisions; the newest CHECKINS_SHOWN check-ins), a thread of messages each
    way, and what was sent. Only the rows shown are decoded, so a year of data stays fast.

    Two things about a member's messages, kept apart: `unread`, how many of theirs came after `seen` (the seq
    when this specialist last opened the page; None: never), each marked `new` in the thread; and `waiting`,
    whether the thread's last message is theirs (nothing sent to them or to the family since)."""
    members = members_of(conn, family_id)
    r = db.records.c
    live = (r.family_id == family_id, r.deleted == false())  # `=`, not IS: the records_kind index serves it
    counts = {(m, e): n for m, e, n in conn.execute(select(r.member_id, r.entity, func.count()).where(*live)
                                                   .group_by(r.member_id, r.entity))}  # the index alone
    columns = (r.entity_id, r.entity, r.member_id, r.seq, r.data)
    rows: dict = {}
    member_ids = [m["id"] for m in members]  # with the member ids, the index reads only the kinds shown whole
    for row in conn.execute(select(*columns).where(*live, r.member_id.in_(member_ids), r.entity.in_(SHOWN_WHOLE))):
        rows.setdefault((row.member_id, row.entity), []).append(row)
    newest = {"checkin": CHECKINS_SHOWN, "journal_entry": None if journal_limit is None else journal_limit * 4}
    for m in members:  # the newest by seq of the long kinds, through the index (a few more than shown)
        for entity, limit in newest.items():
            if counts.get((m["id"], entity)):
                rows[(m["id"], entity)] = conn.execute(select(*columns).where(
                    *live, r.member_id == m["id"], r.entity == entity).order_by(desc(r.seq)).limit(limit)).all()
    down = sent_down(conn, family_id)
    for m in members:
        def decoded(entity: str) -> list[dict]:
            return [{"entity_id": x.entity_id, "entity": x.entity, "member_id": x.member_id, "seq": x.seq,
                     "data": json.loads(x.data)} for x in rows.get((m["id"], entity), [])]
        # newest first by the date written; the newest by seq (a few more than shown) hold the newest by date
        journal = sorted(decoded("journal_entry"), key=lambda x: (x["data"].get("created_at") or "", x["seq"]),
                         reverse=True)
        m["journal_count"] = counts.get((m["id"], "journal_entry"), 0)
        m["journal"] = journal[:journal_limit] if journal_limit is not None else journal
        m["worksheets"] = sorted(decoded("worksheet"),
                                 key=lambda x: (x["data"]["kind"] != "reapproach_plan", x["data"]["kind"]))
        m["progress"] = sorted(decoded("journey_progress"), key=lambda x: x["seq"], reverse=True)
        m["messages"] = decoded("message")
        m["who5"] = sorted((x["data"] for x in decoded("wellbeing")), key=lambda d: d["created_at"])
        m["checkin_total"] = counts.get((m["id"], "checkin"), 0)
        m["checkins"] = sorted((x["data"] for x in decoded("checkin")), key=lambda d: d["created_at"])
    shown = [e for m in members for e in m["journal"]]
    revisions = _grouped(revisions_of_many(conn, family_id, [e["entity_id"] for e in shown]), "entity_id")
    for e in shown:
        e["revisions"] = revisions.get(e["entity_id"], [])
    for m in members:
        m["thread"] = sorted([{"from_member": True, "seq": x["seq"], "entity": "message", "data": x["data"]}
                              for x in m["messages"]] +
                             [{"from_member": False, "seq": c["seq"], "entity": c["entity"], "data": c["data"],
                               "to_family": c["member_id"] is None}
                              for c in down if c["entity"] in ("message", "recommendation")
                              and c["member_id"] in (None, m["id"])], key=lambda t: t["seq"])
        for t in m["thread"]:
            t["new"] = t["from_member"] and (seen is None or t["seq"] > seen)
        m["unread"] = sum(1 for t in m["thread"] if t["new"])
        m["waiting"] = bool(m["thread"]) and m["thread"][-1]["from_member"]
    feedback = {c["data"].get("worksheet_id"): c for c in down if c["entity"] == "feedback"}
    return {"members": members, "sent": down, "feedback": feedback}


def _member_records(conn: Connection, family_id: str, member_id: str, entity: str) -> list[dict]:
    """A member's live shared records of one kind, decoded, newest first by the date written (then by seq)."""
    r = db.records.c
    rows = [{"entity_id": e, "seq": seq, "data": json.loads(data)} for e, seq, data in conn.execute(
        select(r.entity_id, r.seq, r.data).where(r.family_id == family_id, r.member_id == member_id,
                                                 r.entity == entity, r.deleted == false()))]
    rows.sort(key=lambda x: (x["data"].get("created_at") or "", x["seq"]), reverse=True)
    return rows


def member_journal(conn: Connection, family_id: str, member_id: str, *, limit: int, offset: int) -> tuple[int, list]:
    """One page of a member's shared journal entries, newest first, with their revisions; and how many in all."""
    rows = _member_records(conn, family_id, member_id, "journal_entry")
    page = rows[offset:offset + limit]
    for row in page:
        row["revisions"] = revisions_of(conn, family_id, row["entity_id"])
    return len(rows), page


def member_checkins(conn: Connection, family_id: str, member_id: str, *, limit: int, offset: int) -> tuple[int, list]:
    """One page of a member's shared check-ins (their data), newest first; and how many in all."""
    rows = _member_records(conn, family_id, member_id, "checkin")
    return len(rows), [row["data"] for row in rows[offset:offset + limit]]


def member_shared(conn: Connection, family_id: str, member_id: str) -> tuple[list[dict], list[dict]]:
    """A member's live shared records (decoded), and what was sent down to them or to the whole family."""
    records = [r for r in records_of(conn, family_id) if r["member_id"] == member_id]
    down = [c for c in sent_down(conn, family_id) if c["member_id"] in (None, member_id)]
    return records, down

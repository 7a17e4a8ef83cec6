"""The specialist's dashboard: server-rendered pages, a signed session, CSRF on every form.

A specialist sees only the families assigned to them; any other family answers 404 exactly like
an id that does not exist.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import func, insert, select

from server import auth, db, queries, svg, sync
from server.ratelimit import record_pairing_failure

router = APIRouter(include_in_schema=False)
templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "dashboard"),
                        autoescape=select_autoescape(["html"]))
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOGIN_WINDOW = 15 * 60


class NotFound(Exception):
    """A page or family this specialist may not see: 404, the same as one that does not exist."""


class NotSignedIn(Exception):
    pass


def _signer(request: Request) -> auth.Signer:
    return auth.Signer(request.app.state.secret)


def _engine(request: Request):
    return request.app.state.engine


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    context.setdefault("csrf", _signer(request).csrf(cookie) if cookie else "")
    context.setdefault("me", getattr(request.state, "me", None))
    return HTMLResponse(templates.get_template(name).render(request=request, **context), status_code=status)


def render_not_found(request: Request) -> str:
    return templates.get_template("not_found.html").render(request=request, me=None, csrf="")


def current(request: Request) -> dict:
    session = _signer(request).read_session(request.cookies.get(auth.SESSION_COOKIE))
    if not session:
        raise NotSignedIn()
    with _engine(request).begin() as conn:
        me = conn.execute(select(db.specialists).where(db.specialists.c.id == session["sid"])).mappings().first()
    if me is None:
        raise NotSignedIn()
    request.state.me = dict(me)
    return request.state.me


def check_csrf(request: Request, token: str) -> None:
    cookie = request.cookies.get(auth.SESSION_COOKIE) or ""
    if not token or token != _signer(request).csrf(cookie):
        raise NotFound()


def family_or_404(conn, me: dict, family_id: str) -> dict:
    try:
        uuid.UUID(family_id)
    except ValueError:
        raise NotFound() from None
    family = queries.family_for(conn, me["id"], family_id)
    if family is None:
        raise NotFound()
    return family


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or (request.url.hostname or "") not in LOOPBACK


def guarded(handler):
    """Redirect to sign-in when there is no session; the page's database work runs in the thread pool."""
    async def wrapper(request: Request, *args, **kwargs):
        try:
            await run_in_threadpool(current, request)
        except NotSignedIn:
            return RedirectResponse("/login", status_code=303)
        return await run_in_threadpool(handler, request, *args, **kwargs)
    wrapper.__name__ = handler.__name__
    wrapper.__signature__ = __import__("inspect").signature(handler)
    return wrapper


# --- sign in and out -------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request):
    stamp = str(int(time.time()))
    return render(request, "login.html", stamp=stamp, login_csrf=_signer(request).login_csrf(stamp), error=None)


@router.post("/login")
async def login(request: Request, email: str = Form(""), password: str = Form(""), stamp: str = Form(""),
                token: str = Form("")):
    signer, engine = _signer(request), _engine(request)
    if token != signer.login_csrf(stamp) or not stamp.isdigit() or int(stamp) < time.time() - 3600:
        raise NotFound()
    address = "login:" + (request.client.host if request.client else "unknown")

    def lookup():
        with engine.begin() as conn:
            failures = conn.execute(select(func.count()).select_from(db.pair_failures).where(
                db.pair_failures.c.address == address,
                db.pair_failures.c.at > int(time.time()) - LOGIN_WINDOW)).scalar()
            me = conn.execute(select(db.specialists).where(db.specialists.c.email == email.strip().lower())
                              ).mappings().first()
        return failures, me, me is not None and auth.verify_password(me["password_hash"], password)
    failures, me, good = await run_in_threadpool(lookup)
    await asyncio.sleep(auth.failure_delay(failures))  # a growing delay after repeated failures
    if not good:
        await run_in_threadpool(record_pairing_failure, engine, address, LOGIN_WINDOW)
        new_stamp = str(int(time.time()))
        return render(request, "login.html", status=400, stamp=new_stamp, login_csrf=signer.login_csrf(new_stamp),
                      error="That email and password do not match.")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, signer.session(me["id"]), httponly=True, samesite="lax",
                        secure=_secure(request), max_age=auth.SESSION_HOURS * 3600)
    return response


@router.post("/logout")
async def logout(request: Request, csrf: str = Form("")):
    check_csrf(request, csrf)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


# --- families -------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
@guarded
def home(request: Request):
    me = request.state.me
    with _engine(request).begin() as conn:
        rows = [queries.summary(conn, f, me["id"]) for f in queries.families_of(conn, me["id"])]
    return render(request, "families.html", rows=rows)


@router.get("/families/new", response_class=HTMLResponse)
@guarded
def new_family_form(request: Request):
    return render(request, "new_family.html", error=None)


@router.post("/families/new")
@guarded
def new_family(request: Request, name: str = Form(""), csrf: str = Form("")):
    check_csrf(request, csrf)
    name = name.strip()
    if not 1 <= len(name) <= 200:
        return render(request, "new_family.html", status=400, error="Give the family a name (1 to 200 characters).")
    family_id = add_family(_engine(request), name, request.state.me["email"])
    return RedirectResponse(f"/families/{family_id}", status_code=303)


def add_family(engine, name: str, specialist_email: str) -> str:
    family_id = str(uuid.uuid4())
    with engine.begin() as conn:
        spec = conn.execute(select(db.specialists.c.id).where(db.specialists.c.email == specialist_email.lower())
                            ).scalar()
        if spec is None:
            raise KeyError(specialist_email)
        conn.execute(insert(db.families).values(id=family_id, name=name, created_at=db.now()))
        conn.execute(insert(db.family_specialists).values(family_id=family_id, specialist_id=spec))
        sync.audit(conn, family_id, specialist_email, "created_family")
    return family_id


@router.get("/families/{family_id}", response_class=HTMLResponse)
@guarded
def family_page(request: Request, family_id: str):
    me = request.state.me
    with _engine(request).begin() as conn:
        family = family_or_404(conn, me, family_id)
        members = queries.members_of(conn, family_id)
        records = queries.records_of(conn, family_id)
        for r in records:
            r["revisions"] = queries.revisions_of(conn, family_id, r["entity_id"]) if r["entity"] == "journal_entry" \
                else []
        down = queries.sent_down(conn, family_id)
        queries.mark_seen(conn, me["id"], family_id, family["latest_seq"])
        sync.audit(conn, family_id, me["email"], "viewed")
    for m in members:
        mine = [r for r in records if r["member_id"] == m["id"]]
        m["journal"] = [r for r in mine if r["entity"] == "journal_entry"]
        m["worksheets"] = sorted((r for r in mine if r["entity"] == "worksheet"),
                                 key=lambda r: (r["data"]["kind"] != "reapproach_plan", r["data"]["kind"]))
        m["progress"] = [r for r in mine if r["entity"] == "journey_progress"]
        m["messages"] = [r for r in mine if r["entity"] == "message"]
        m["who5"] = sorted((r["data"] for r in mine if r["entity"] == "wellbeing"), key=lambda d: d["created_at"])
        checkins = sorted((r["data"] for r in mine if r["entity"] == "checkin"), key=lambda d: d["created_at"])
        m["chart"] = svg.mood_chart([(c["created_at"][:10], c["mood"], c["stress"]) for c in checkins[-60:]])
        m["checkin_count"] = len(checkins)
    feedback = {c["data"].get("worksheet_id"): c for c in down if c["entity"] == "feedback"}
    return render(request, "family.html", family=family, members=members, sent=down, feedback=feedback)


@router.post("/families/{family_id}/pairing-code", response_class=HTMLResponse)
@guarded
def pairing_code(request: Request, family_id: str, member_id: str = Form(""), csrf: str = Form("")):
    check_csrf(request, csrf)
    me, engine = request.state.me, _engine(request)
    with engine.begin() as conn:
        family = family_or_404(conn, me, family_id)
        member = None
        if member_id:
            member = conn.execute(select(db.members).where(db.members.c.id == member_id,
                                                           db.members.c.family_id == family_id)).mappings().first()
            if member is None:
                raise NotFound()
    code = sync.create_pairing_code(engine, family_id, member_id or None, me["email"])
    link = f"regroup://pair?server={request.app.state.settings.base_url}&code={code}"
    qr = segno.make(link, error="m").svg_inline(scale=5, title=f"QR code for pairing code {code}")
    return render(request, "pairing.html", family=family, member=member, code=code, link=link, qr=qr)


@router.post("/families/{family_id}/devices/{device_id}/unpair")
@guarded
def unpair_device(request: Request, family_id: str, device_id: str, csrf: str = Form("")):
    check_csrf(request, csrf)
    with _engine(request).begin() as conn:
        family_or_404(conn, request.state.me, family_id)
        found = conn.execute(db.devices.update().where(db.devices.c.id == device_id,
                                                       db.devices.c.family_id == family_id,
                                                       db.devices.c.unpaired_at.is_(None))
                             .values(unpaired_at=db.now())).rowcount
        if not found:
            raise NotFound()
        sync.audit(conn, family_id, request.state.me["email"], "unpaired", f"device {device_id}")
    return RedirectResponse(f"/families/{family_id}#devices", status_code=303)


def _recipient(conn, family_id: str, member_id: str) -> str | None:
    if not member_id:
        return None
    if conn.execute(select(db.members.c.id).where(db.members.c.id == member_id,
                                                  db.members.c.family_id == family_id)).first() is None:
        raise NotFound()
    return member_id


@router.post("/families/{family_id}/message")
@guarded
def send_message(request: Request, family_id: str, body: str = Form(""), member_id: str = Form(""),
                       csrf: str = Form("")):
    check_csrf(request, csrf)
    me, engine = request.state.me, _engine(request)
    with engine.begin() as conn:
        family_or_404(conn, me, family_id)
        to = _recipient(conn, family_id, member_id)
    text = body.strip()[:100_000]
    if text:
        sync.send_down(engine, family_id, "message", {"body": text, "in_reply_to": None, "created_at": db.now(),
                                                      "sender": me["name"]}, to, me["email"])
    return RedirectResponse(f"/families/{family_id}#messages", status_code=303)


@router.post("/families/{family_id}/recommend")
@guarded
def recommend(request: Request, family_id: str, journey_id: str = Form(""), step_id: str = Form(""),
                    note: str = Form(""), member_id: str = Form(""), csrf: str = Form("")):
    check_csrf(request, csrf)
    me, engine = request.state.me, _engine(request)
    with engine.begin() as conn:
        family_or_404(conn, me, family_id)
        to = _recipient(conn, family_id, member_id)
    if journey_id.strip():
        sync.send_down(engine, family_id, "recommendation", {
            "journey_id": journey_id.strip()[:100], "step_id": step_id.strip()[:100] or None,
            "note": note.strip()[:100_000] or None, "created_at": db.now()}, to, me["email"])
    return RedirectResponse(f"/families/{family_id}#messages", status_code=303)


@router.post("/families/{family_id}/worksheets/{entity_id}/feedback")
@guarded
def feedback(request: Request, family_id: str, entity_id: str, body: str = Form(""), csrf: str = Form("")):
    check_csrf(request, csrf)
    me, engine = request.state.me, _engine(request)
    with engine.begin() as conn:
        family_or_404(conn, me, family_id)
        owner = conn.execute(select(db.records.c.member_id).where(
            db.records.c.family_id == family_id, db.records.c.entity_id == entity_id,
            db.records.c.entity == "worksheet", db.records.c.deleted.is_(False))).scalar()
        if owner is None:
            raise NotFound()
    if body.strip():
        sync.send_down(engine, family_id, "feedback", {"worksheet_id": entity_id, "body": body.strip()[:100_000],
                                                       "created_at": db.now()}, owner, me["email"])
    return RedirectResponse(f"/families/{family_id}#worksheets", status_code=303)


@router.get("/families/{family_id}/export")
@guarded
def export(request: Request, family_id: str):
    me, engine = request.state.me, _engine(request)
    with engine.begin() as conn:
        family_or_404(conn, me, family_id)
        sync.audit(conn, family_id, me["email"], "exported")
    data = queries.export_family(engine, family_id)
    return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="regroup-family-{family_id}.json"'})


@router.post("/families/{family_id}/members/{member_id}/erase")
@guarded
def erase_member(request: Request, family_id: str, member_id: str, csrf: str = Form("")):
    check_csrf(request, csrf)
    me = request.state.me
    with _engine(request).begin() as conn:
        family_or_404(conn, me, family_id)
        _recipient(conn, family_id, member_id)
        n = sync.erase_member_records(conn, family_id, member_id)
        sync.audit(conn, family_id, me["email"], "erased", f"member {member_id}: {n} records")
    return RedirectResponse(f"/families/{family_id}", status_code=303)


@router.post("/families/{family_id}/erase")
@guarded
def erase_family(request: Request, family_id: str, confirm: str = Form(""), csrf: str = Form("")):
    check_csrf(request, csrf)
    me, engine = request.state.me, _engine(request)
    with engine.begin() as conn:
        family = family_or_404(conn, me, family_id)
    if confirm.strip() != family["name"]:
        return RedirectResponse(f"/families/{family_id}?erase=mismatch#erase", status_code=303)
    sync.erase_family(engine, family_id, me["email"])
    return RedirectResponse("/", status_code=303)


@router.get("/families/{family_id}/audit", response_class=HTMLResponse)
@guarded
def audit_log(request: Request, family_id: str):
    with _engine(request).begin() as conn:
        family = family_or_404(conn, request.state.me, family_id)
        entries = conn.execute(select(db.audit).where(db.audit.c.family_id == family_id)
                               .order_by(db.audit.c.id.desc())).mappings().all()
    return render(request, "audit.html", family=family, entries=entries)

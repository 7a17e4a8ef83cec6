"""The specialist's dashboard: routes that render pages and call `server.admin` for every write.

A specialist sees only the families assigned to them; any other family answers 404 exactly like
an id that does not exist. Family routes get their family through one dependency, `FamilyDep`:
it signs in, checks CSRF on a POST, loads the family or answers 404, and audits a view.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Annotated

import segno
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from server import admin, auth, queries, svg
from server.queries import Family, Specialist, as_uuid
from server.ratelimit import record_pairing_failure, recent_failures
from server.validation import text_fault

router = APIRouter(include_in_schema=False)
templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "dashboard"),
                        autoescape=select_autoescape(["html"]))
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOGIN_WINDOW = 15 * 60
AUDITED_AS = {"export": "exported"}  # a GET of a family route is audited as "viewed" unless named here


class NotFound(Exception):
    """A page or family this specialist may not see: 404, the same as one that does not exist."""


class NotSignedIn(Exception):
    """No valid session: the answer is a redirect to the sign-in page."""


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


def render_invalid(request: Request, message: str) -> HTMLResponse:
    return render(request, "invalid.html", status=400, message=message)


# --- the dependencies -----------------------------------------------------------------------

async def _posted_csrf(request: Request) -> str | None:
    """The CSRF field of a POSTed form (None for other methods)."""
    if request.method != "POST":
        return None
    form = await request.form()
    value = form.get("csrf")
    return value if isinstance(value, str) else ""


def signed_in(request: Request, csrf: Annotated[str | None, Depends(_posted_csrf)]) -> Specialist:
    """The signed-in specialist; on a POST the form's CSRF token must match the session (else 404)."""
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    session = _signer(request).read_session(cookie)
    me = queries.read(_engine(request), queries.specialist_by_id, session["sid"]) if session else None
    if me is None:
        raise NotSignedIn()
    if csrf is not None and (not csrf or csrf != _signer(request).csrf(cookie)):
        raise NotFound()
    request.state.me = me
    return me


MeDep = Annotated[Specialist, Depends(signed_in)]


def family_of(request: Request, family_id: str, me: MeDep) -> Family:
    """The signed-in specialist's family from the path, or 404; a GET is audited as a view."""
    family = queries.read(_engine(request), queries.family_for, me.id, as_uuid(family_id) or "")
    if family is None:
        raise NotFound()
    if request.method == "GET":
        endpoint = request.scope["route"].name
        admin.record_view(_engine(request), family, me.id, me.email, AUDITED_AS.get(endpoint, "viewed"),
                          None if endpoint == "family_page" else endpoint, mark_seen=endpoint == "family_page")
    return family


FamilyDep = Annotated[Family, Depends(family_of)]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or (request.url.hostname or "") not in LOOPBACK


def _back(family: Family, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/families/{family.id}{anchor}", status_code=303)


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
        failures = recent_failures(engine, address, LOGIN_WINDOW)
        found = queries.read(engine, queries.credentials, email) if not text_fault(email, 320) else None
        return failures, found and found[0], found is not None and auth.verify_password(found[1], password)
    failures, me, good = await run_in_threadpool(lookup)
    await asyncio.sleep(auth.failure_delay(failures))  # a growing delay after repeated failures
    if not good:
        await run_in_threadpool(record_pairing_failure, engine, address, LOGIN_WINDOW)
        new_stamp = str(int(time.time()))
        return render(request, "login.html", status=400, stamp=new_stamp, login_csrf=signer.login_csrf(new_stamp),
                      error="That email and password do not match.")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, signer.session(me.id), httponly=True, samesite="lax",
                        secure=_secure(request), max_age=auth.SESSION_HOURS * 3600)
    return response


@router.post("/logout")
def logout(request: Request, me: MeDep):
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


# --- families -------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def home(request: Request, me: MeDep):
    def rows(conn):
        return [queries.summary(conn, f, me.id) for f in queries.families_of(conn, me.id)]
    return render(request, "families.html", rows=queries.read(_engine(request), rows))


@router.get("/families/new", response_class=HTMLResponse)
def new_family_form(request: Request, me: MeDep):
    return render(request, "new_family.html", error=None)


@router.post("/families/new")
def new_family(request: Request, me: MeDep, name: str = Form("")):
    try:
        family_id = admin.add_family(_engine(request), name, me.email)
    except admin.Invalid:
        return render(request, "new_family.html", status=400, error="Give the family a name (1 to 200 characters).")
    return RedirectResponse(f"/families/{family_id}", status_code=303)


@router.get("/families/{family_id}", response_class=HTMLResponse)
def family_page(request: Request, family: FamilyDep):
    page = queries.read(_engine(request), queries.family_page, family.id)
    for m in page["members"]:
        checkins = m["checkins"]
        m["chart"] = svg.mood_chart([(c["created_at"][:10], c["mood"], c["stress"]) for c in checkins[-60:]])
        m["checkin_count"] = len(checkins)
    return render(request, "family.html", family=family, **page)


@router.post("/families/{family_id}/pairing-code", response_class=HTMLResponse)
def pairing_code(request: Request, family: FamilyDep, me: MeDep, member_id: str = Form("")):
    code = admin.create_pairing_code(_engine(request), family.id, member_id or None, me.email)
    member = next((m for m in queries.read(_engine(request), queries.members_of, family.id)
                   if m["id"] == as_uuid(member_id)), None)
    link = f"regroup://pair?server={request.app.state.settings.base_url}&code={code}"
    qr = segno.make(link, error="m").svg_inline(scale=5, title=f"QR code for pairing code {code}")
    return render(request, "pairing.html", family=family, member=member, code=code, link=link, qr=qr)


@router.post("/families/{family_id}/devices/{device_id}/unpair")
def unpair_device(request: Request, family: FamilyDep, me: MeDep, device_id: str):
    admin.unpair_device(_engine(request), family.id, device_id, me.email)
    return _back(family, "#devices")


@router.post("/families/{family_id}/message")
def send_message(request: Request, family: FamilyDep, me: MeDep, body: str = Form(""), member_id: str = Form("")):
    admin.send_message(_engine(request), family.id, member_id, body, me.name, me.email)
    return _back(family, "#messages")


@router.post("/families/{family_id}/recommend")
def recommend(request: Request, family: FamilyDep, me: MeDep, journey_id: str = Form(""), step_id: str = Form(""),
              note: str = Form(""), member_id: str = Form("")):
    admin.recommend(_engine(request), family.id, member_id, journey_id, step_id, note, me.email)
    return _back(family, "#messages")


@router.post("/families/{family_id}/worksheets/{entity_id}/feedback")
def feedback(request: Request, family: FamilyDep, me: MeDep, entity_id: str, body: str = Form("")):
    admin.send_feedback(_engine(request), family.id, entity_id, body, me.email)
    return _back(family, "#worksheets")


@router.get("/families/{family_id}/export")
def export(request: Request, family: FamilyDep):
    data = queries.read(_engine(request), queries.export_family, family.id)
    return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="regroup-family-{family.id}.json"'})


@router.post("/families/{family_id}/members/{member_id}/erase")
def erase_member(request: Request, family: FamilyDep, me: MeDep, member_id: str):
    admin.erase_member(_engine(request), family.id, member_id, me.email)
    return _back(family)


@router.post("/families/{family_id}/erase")
def erase_family(request: Request, family: FamilyDep, me: MeDep, confirm: str = Form("")):
    if confirm.strip() != family.name:
        return _back(family, "?erase=mismatch#erase")
    admin.erase_family(_engine(request), family.id, me.email)
    return RedirectResponse("/", status_code=303)


@router.get("/families/{family_id}/audit", response_class=HTMLResponse)
def audit_log(request: Request, family: FamilyDep):
    entries = queries.read(_engine(request), queries.audit_entries, family.id)
    return render(request, "audit.html", family=family, entries=entries)

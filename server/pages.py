"""The specialist's dashboard: routes that render pages and call `server.admin` for every write.

A specialist sees only the families assigned to them; any other family answers 404 exactly like
an id that does not exist. Family routes get their family through one dependency, `FamilyDep`:
it signs in, checks CSRF on a POST, loads the family or answers 404, and audits a view.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

import segno
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from server import accounts, admin, auth, content, db, humane, queries, svg
from server import summary as summary_module
from server.api import client_address
from server.queries import Family, Specialist, as_uuid
from server.validation import text_fault

router = APIRouter(include_in_schema=False)
templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "dashboard"),
                        autoescape=select_autoescape(["html"]))
humane.install(templates)
JOURNAL_ON_FAMILY_PAGE, JOURNAL_PAGE, AUDIT_PAGE, CHART_POINTS = 3, 20, 50, 60
CHECKINS_ON_FAMILY_PAGE, CHECKIN_PAGE = 7, 30
LOOPBACK = ("127.0.0.1", "localhost", "::1")
AUDITED_AS = {"export": "exported", "summary_pdf": "exported"}  # a GET of a family route is audited as "viewed" unless named here


class NotFound(Exception):
    """A page or family this specialist may not see: 404, the same as one that does not exist."""


class NotSignedIn(Exception):
    """No valid session: the answer is a redirect to the sign-in page."""


class SetUpSecondFactor(Exception):
    """REGROUP_REQUIRE_2FA and an admin without a second factor: the answer is the account page."""


FIRST_THINGS = ("account", "start_totp", "enable_totp", "logout", "change_password", "style_sheet")


def _signer(request: Request) -> auth.Signer:
    return auth.Signer(request.app.state.secret)


def _engine(request: Request):
    return request.app.state.engine


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    signed = getattr(request.state, "me", None) is not None
    context.setdefault("csrf", _signer(request).csrf(cookie) if cookie and signed else "")
    context.setdefault("me", getattr(request.state, "me", None))
    context.setdefault("tz", request.app.state.settings.timezone)
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
    """The signed-in specialist (a live session on the server); on a POST the form's CSRF token must
    match the session (else 404)."""
    settings = request.app.state.settings
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    session = accounts.session_for(_engine(request), cookie, dt.timedelta(minutes=settings.session_idle_minutes))
    if session is None:
        raise NotSignedIn()
    if csrf is not None and not _signer(request).matches(_signer(request).csrf(cookie), csrf):
        raise NotFound()
    request.state.me, request.state.session_id = session.specialist, session.id
    me = session.specialist
    if settings.require_2fa and me.is_admin and not me.totp and request.scope["route"].name not in FIRST_THINGS:
        raise SetUpSecondFactor()
    return me


MeDep = Annotated[Specialist, Depends(signed_in)]


def an_admin(me: MeDep) -> Specialist:
    """The practice admin's pages: 404 for anyone else, as for a page that does not exist."""
    if not me.is_admin:
        raise NotFound()
    return me


AdminDep = Annotated[Specialist, Depends(an_admin)]


def family_of(request: Request, family_id: str, me: MeDep) -> Family:
    """The signed-in specialist's family from the path, or 404; a GET is audited as a view."""
    family = queries.read(_engine(request), queries.family_for, me.id, as_uuid(family_id) or "")
    if family is None:
        raise NotFound()
    if request.method == "GET":
        endpoint = request.scope["route"].name
        request.state.seen_before = admin.record_view(
            _engine(request), family, me.id, me.email, AUDITED_AS.get(endpoint, "viewed"),
            None if endpoint == "family_page" else endpoint, mark_seen=endpoint == "family_page")
    return family


FamilyDep = Annotated[Family, Depends(family_of)]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or (request.url.hostname or "") not in LOOPBACK


def _back(family: Family, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/families/{family.id}{anchor}", status_code=303)


STYLE_SHEET = Path(__file__).parent / "dashboard" / "static" / "dashboard.css"


@router.get("/static/dashboard.css")
async def style_sheet():
    return Response(STYLE_SHEET.read_bytes(), media_type="text/css")


# --- sign in and out -------------------------------------------------------------------

def _login_page(request: Request, status: int = 200, error: str | None = None,
                headers: dict | None = None) -> HTMLResponse:
    stamp = str(int(db.utcnow().timestamp()))  # the server's one clock, which tests move
    response = render(request, "login.html", status=status, stamp=stamp, login_csrf=_signer(request).login_csrf(stamp),
                      error=error)
    response.headers.update(headers or {})
    return response


def _lock_message(lock: accounts.Lock) -> str:
    minutes = max(1, round(lock.seconds / 60))
    who = {"account": "this account", "address": "this network address"}[lock.reason]
    return (f"Too many failed sign-ins for {who}. Try again in {minutes} minute{'s' if minutes > 1 else ''}. "
            f"Each lock lasts at most an hour, and is lifted after a good sign-in.")


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request):
    return _login_page(request)


@router.post("/login")
def login(request: Request, email: str = Form(""), password: str = Form(""), stamp: str = Form(""),
          token: str = Form(""), code: str = Form("")):
    return _sign_in(request, email, password, stamp, token, code)


# The sign-in, sign-out and erasure routes hand over to plain functions: mutmut (`make mutants`) skips
# decorated functions, and these lines decide who gets in and what is erased.
def _sign_in(request: Request, email: str, password: str, stamp: str, token: str, code: str):
    signer, engine, settings = _signer(request), _engine(request), request.app.state.settings
    if not signer.matches(signer.login_csrf(stamp), token) or not stamp.isdigit() or int(stamp) < db.utcnow().timestamp() - 3600:
        raise NotFound()
    account = email.strip().lower() if not text_fault(email, 320) else "(unusable email)"
    address = client_address(request)
    lock = accounts.lock_for(engine, account, address)
    if lock:
        return _login_page(request, 429, _lock_message(lock), {"Retry-After": str(lock.seconds)})
    slots = request.app.state.sign_in_slots
    if not slots.acquire(timeout=settings.sign_in_wait_s):
        return _login_page(request, 429, "Many people are signing in right now. Try again in a few seconds.",
                           {"Retry-After": "5"})
    try:
        found = queries.read(engine, queries.credentials, account)
        good = auth.verify_password(found[1] if found else auth.DUMMY_HASH, password) and found is not None
    finally:
        slots.release()
    second = not good or not found[0].totp or accounts.second_factor_ok(engine, found[0].id, code)
    if not good or not second:
        accounts.record_failure(engine, account, address, "password" if not good else "second factor")
        lock = accounts.lock_for(engine, account, address)
        return _login_page(request, 400, ("That email and password do not match." if not good else
                                          "The code from your authenticator app (or a recovery code) is "
                                          "missing or wrong.") + (" " + _lock_message(lock) if lock else ""))
    if not found[0].active:
        return _login_page(request, 403, "This account has been deactivated. Ask your practice's admin.")
    accounts.clear_failures(engine, account)
    session = accounts.start_session(engine, found[0].id, address, request.headers.get("user-agent", ""))
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, session, httponly=True, samesite="lax", secure=_secure(request),
                        max_age=auth.SESSION_HOURS * 3600)
    return response


@router.post("/logout")
def logout(request: Request, me: MeDep):
    return _sign_out(request)


def _sign_out(request: Request):
    accounts.end_session(_engine(request), request.cookies.get(auth.SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, me: MeDep):
    return _account_page(request, me, changed=request.query_params.get("changed") == "1")


def _account_page(request: Request, me: Specialist, status: int = 200, **shown) -> HTMLResponse:
    sessions = accounts.sessions_of(_engine(request), me.id)
    must = request.app.state.settings.require_2fa and me.is_admin and not me.totp
    return render(request, "account.html", status=status, sessions=sessions, this_session=request.state.session_id,
                  must_set_up_2fa=must, **shown)


@router.post("/account/password")
def change_password(request: Request, me: MeDep, current: str = Form(""), new: str = Form(""),
                    again: str = Form("")):
    """A new password ends every session, this one included; this browser gets a fresh one."""
    engine = _engine(request)
    found = queries.read(engine, queries.credentials, me.email)
    if not auth.verify_password(found[1], current):
        return _account_page(request, me, status=400, password_error="Your current password is not right.")
    if new != again:
        return _account_page(request, me, status=400, password_error="The two new passwords differ.")
    try:
        admin.set_password(engine, me.id, new, me.email)
    except admin.Invalid as exc:
        return _account_page(request, me, status=400, password_error=str(exc))
    response = RedirectResponse("/account?changed=1", status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, accounts.start_session(engine, me.id, client_address(request),
                                                                    request.headers.get("user-agent", "")),
                        httponly=True, samesite="lax", secure=_secure(request), max_age=auth.SESSION_HOURS * 3600)
    return response


@router.post("/account/2fa/start", response_class=HTMLResponse)
def start_totp(request: Request, me: MeDep):
    import pyotp
    secret = admin.start_totp(_engine(request), me.id)
    uri = pyotp.TOTP(secret).provisioning_uri(name=me.email, issuer_name="Regroup")
    qr = segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator app")
    return render(request, "totp.html", secret=secret, qr=qr, error=None)


@router.post("/account/2fa/enable", response_class=HTMLResponse)
def enable_totp(request: Request, me: MeDep, code: str = Form("")):
    codes = admin.enable_totp(_engine(request), me.id, code, me.email)
    return render(request, "recovery_codes.html", codes=codes)


@router.post("/account/2fa/disable")
def disable_totp(request: Request, me: MeDep, current: str = Form("")):
    found = queries.read(_engine(request), queries.credentials, me.email)
    if not auth.verify_password(found[1], current):
        return _account_page(request, me, status=400, totp_error="Your password is not right.")
    if request.app.state.settings.require_2fa and me.is_admin:
        return _account_page(request, me, status=400, totp_error="This practice requires a second factor for admins.")
    admin.disable_totp(_engine(request), me.id, me.email)
    return RedirectResponse("/account", status_code=303)


# --- the practice admin ------------------------------------------------------------------------

@router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, me: AdminDep):
    return _admin_page(request)


def _admin_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    engine = _engine(request)
    specialists = queries.read(engine, queries.specialists)
    who = next((s.name for s in specialists if s.id == as_uuid(request.query_params.get("who"))), None)
    return render(request, "admin.html", status=status, specialists=specialists,
                  families=queries.read(engine, queries.all_families), error=error,
                  done=request.query_params.get("done") if who else None, done_who=who)


@router.post("/admin/specialists")
def add_specialist(request: Request, me: AdminDep, email: str = Form(""), name: str = Form(""),
                   password: str = Form(""), role: str = Form("")):
    try:
        admin.create_specialist(_engine(request), email, name, password, is_admin=role == "admin", actor=me.email)
    except admin.Invalid as exc:
        return _admin_page(request, str(exc), 400)
    return RedirectResponse("/admin#specialists", status_code=303)


@router.get("/admin/specialists/{specialist_id}/active", response_class=HTMLResponse)
def confirm_deactivate(request: Request, me: AdminDep, specialist_id: str):
    """Deactivating asks first, on its own page, and says what happens to their families."""
    who = queries.read(_engine(request), queries.specialist_by_id, as_uuid(specialist_id) or "")
    if who is None or who.id == me.id or not who.active:
        raise NotFound()
    return render(request, "confirm_deactivate.html", who=who)


@router.post("/admin/specialists/{specialist_id}/active")
def set_active(request: Request, me: AdminDep, specialist_id: str, active: str = Form("")):
    if as_uuid(specialist_id) == me.id:
        return _admin_page(request, "You cannot deactivate yourself.", 400)
    admin.set_active(_engine(request), as_uuid(specialist_id) or "", active == "1", me.email)
    done = "reactivated" if active == "1" else "deactivated"
    return RedirectResponse(f"/admin?done={done}&who={as_uuid(specialist_id)}#specialists", status_code=303)


@router.post("/admin/families/{family_id}/move")
def move_family(request: Request, me: AdminDep, family_id: str, specialist_id: str = Form("")):
    admin.move_family(_engine(request), family_id, as_uuid(specialist_id) or "", me.email)
    return RedirectResponse("/admin#families", status_code=303)


def _audit_filters(family: str, specialist: str, since: str, until: str) -> dict:
    """Form values to query bounds: dates are whole UTC days, inclusive."""
    def day(value: str, plus: int = 0) -> str | None:
        try:
            return db_iso_day(value, plus) if value else None
        except ValueError:
            raise admin.Invalid("Dates are written YYYY-MM-DD.") from None
    return {"family_id": as_uuid(family), "actor": specialist.strip() or None, "since": day(since),
            "until": day(until, 1)}


def db_iso_day(value: str, plus: int) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=plus)).isoformat()


@router.get("/admin/audit", response_class=HTMLResponse)
def practice_audit(request: Request, me: AdminDep, family: str = "", specialist: str = "", since: str = "",
                   until: str = "", page: int = 1):
    """The practice's log, AUDIT_PAGE entries a page, newest first; the filters stay in the pages' links and in
    the CSV link, which exports every entry that matches them."""
    filters = _audit_filters(family, specialist, since, until)
    page = max(1, page)
    entries = queries.read(_engine(request), lambda conn: queries.audit_search(
        conn, limit=AUDIT_PAGE + 1, offset=(page - 1) * AUDIT_PAGE, **filters))
    names = queries.read(_engine(request), queries.names_in_family, None)
    form = {"family": family, "specialist": specialist, "since": since, "until": until}
    kept = urlencode({k: v for k, v in form.items() if v})
    return render(request, "practice_audit.html", entries=entries[:AUDIT_PAGE], query=kept, names=names,
                  families=queries.read(_engine(request), queries.all_families), form=form, page=page,
                  more=len(entries) > AUDIT_PAGE, page_size=AUDIT_PAGE, pager_query=kept + "&" if kept else "")


@router.get("/admin/audit.csv")
def practice_audit_csv(request: Request, me: AdminDep, family: str = "", specialist: str = "", since: str = "",
                       until: str = ""):
    filters = _audit_filters(family, specialist, since, until)
    entries = queries.read(_engine(request), lambda conn: queries.audit_search(conn, **filters))
    return Response(admin.audit_csv(entries), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="regroup-audit.csv"'})


@router.post("/account/sessions/end-others")
def end_other_sessions(request: Request, me: MeDep):
    accounts.end_other_sessions(_engine(request), me.id, request.state.session_id)
    return RedirectResponse("/account#sessions", status_code=303)


# --- families ---------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def home(request: Request, me: MeDep, show: str = ""):
    rows = queries.read(_engine(request), queries.triage_list, me.id)
    attention = sum(1 for r in rows if r["reasons"])
    shown = [r for r in rows if r["reasons"]] if show == "attention" else rows
    return render(request, "families.html", rows=shown, total=len(rows), attention=attention,
                  only_attention=show == "attention", erased=request.query_params.get("done") == "erased_family")


@router.get("/families/new", response_class=HTMLResponse)
def new_family_form(request: Request, me: MeDep):
    return render(request, "new_family.html", error=None)


@router.post("/families/new")
def new_family(request: Request, me: MeDep, name: str = Form("")):
    try:
        family_id = admin.add_family(_engine(request), name, me.email)
    except admin.Invalid:
        return render(request, "new_family.html", status=400, error="Give the family a name (1 to 200 characters).",
                      typed=echo(name))
    return RedirectResponse(f"/families/{family_id}", status_code=303)


def echo(text: str) -> str:
    """What was typed, safe to show again in a form: no NUL, no lone surrogate (they could not be sent as UTF-8)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")[:200_000]


def _charts(request: Request, member: dict) -> None:
    """The member's mood and WHO-5 charts with days in the practice's time zone (the newest CHART_POINTS)."""
    tz = request.app.state.settings.timezone

    def day(moment: str) -> str:
        value = humane.parse(moment)
        return humane.local_format(value, "d MMM", tz) if value else ""
    checkins = member["checkins"][-CHART_POINTS:]
    member["chart"] = svg.mood_chart([(day(c["created_at"]), c["mood"], c["stress"]) for c in checkins])
    member["chart_rows"] = list(reversed(checkins))[:CHECKINS_ON_FAMILY_PAGE]
    member["who5_chart"] = svg.who5_chart([(day(w["created_at"]), w["score"]) for w in member["who5"][-CHART_POINTS:]])
    member["checkin_count"] = member["checkin_total"]


def _family_view(request: Request, family: Family, status: int = 200, **shown) -> HTMLResponse:
    engine = _engine(request)
    me = request.state.me
    seen = (request.state.seen_before if request.method == "GET" else  # the family page marks all as seen
            queries.read(engine, queries.seen_seq, me.id, family.id))
    page = queries.read(engine, lambda conn: queries.family_page(conn, family.id, journal_limit=JOURNAL_ON_FAMILY_PAGE,
                                                                 seen=seen))
    for m in page["members"]:
        _charts(request, m)
    names = queries.read(engine, queries.names_in_family, family.id)
    done = request.query_params.get("done")
    return render(request, "family.html", status=status, family=family, names=names, journeys=content.load().journeys,
                  checkin_page=CHECKIN_PAGE,
                  done=done, done_who=names.get(as_uuid(request.query_params.get("who")) or "", "a member"),
                  done_count=count if (count := request.query_params.get("n", "")).isdigit() else "some",
                  **page, **shown)


@router.get("/families/{family_id}", response_class=HTMLResponse)
def family_page(request: Request, family: FamilyDep):
    return _family_view(request, family)


@router.get("/families/{family_id}/members/{member_id}/journal", response_class=HTMLResponse)
def member_journal(request: Request, family: FamilyDep, member_id: str, page: int = 1):
    member = _member_or_404(request, family, member_id)
    page = max(1, page)
    total, entries = queries.read(_engine(request), lambda conn: queries.member_journal(
        conn, family.id, member["id"], limit=JOURNAL_PAGE, offset=(page - 1) * JOURNAL_PAGE))
    pages = max(1, -(-total // JOURNAL_PAGE))
    return render(request, "journal.html", family=family, member=member, entries=entries, page=min(page, pages),
                  pages=pages, total=total)


@router.get("/families/{family_id}/members/{member_id}/checkins", response_class=HTMLResponse)
def member_checkins(request: Request, family: FamilyDep, member_id: str, page: int = 1):
    """A member's check-ins as a table, CHECKIN_PAGE a page, newest first (the family page shows the latest few)."""
    member = _member_or_404(request, family, member_id)

    def one(number: int) -> tuple[int, list]:
        return queries.read(_engine(request), lambda conn: queries.member_checkins(
            conn, family.id, member["id"], limit=CHECKIN_PAGE, offset=(number - 1) * CHECKIN_PAGE))
    page = max(1, page)
    total, checkins = one(page)
    pages = max(1, -(-total // CHECKIN_PAGE))
    if page > pages:  # past the end (fewer check-ins since the link was made): the last page
        page = pages
        total, checkins = one(page)
    return render(request, "checkins.html", family=family, member=member, checkins=checkins, page=page,
                  pages=pages, total=total)


def _member_or_404(request: Request, family: Family, member_id: str) -> dict:
    member = next((m for m in queries.read(_engine(request), queries.members_of, family.id)
                   if m["id"] == as_uuid(member_id)), None)
    if member is None:
        raise NotFound()
    return member


def _summary_dates(since: str, until: str) -> tuple[dt.date, dt.date]:
    today = db.utcnow().date()
    try:
        end = dt.date.fromisoformat(until) if until else today
        start = dt.date.fromisoformat(since) if since else end - dt.timedelta(days=30)
    except ValueError:
        raise admin.Invalid("Choose the dates from the calendar, or write them as YYYY-MM-DD.") from None
    if start > end:
        raise admin.Invalid("The first day comes after the last one.")
    return start, end


@router.get("/families/{family_id}/members/{member_id}/summary", response_class=HTMLResponse)
def summary(request: Request, family: FamilyDep, member_id: str):
    member = _member_or_404(request, family, member_id)
    start, end = _summary_dates("", "")
    return render(request, "summary.html", family=family, member=member, since=start.isoformat(),
                  until=end.isoformat())


@router.get("/families/{family_id}/members/{member_id}/summary.pdf")
def summary_pdf(request: Request, family: FamilyDep, member_id: str, since: str = "", until: str = ""):
    member = _member_or_404(request, family, member_id)
    try:
        start, end = _summary_dates(since, until)
    except admin.Invalid as exc:
        return render(request, "summary.html", status=400, family=family, member=member, since=since, until=until,
                      error=str(exc))
    records, down = queries.read(_engine(request), queries.member_shared, family.id, member["id"])
    pdf = summary_module.member_summary(family.name, member, records, down, start, end,
                                        request.app.state.settings.timezone, db.utcnow())
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="regroup-summary-{start}-{end}.pdf"'})


@router.post("/families/{family_id}/pairing-code", response_class=HTMLResponse)
def pairing_code(request: Request, family: FamilyDep, me: MeDep, member_id: str = Form("")):
    code = admin.create_pairing_code(_engine(request), family.id, member_id or None, me.email)
    member = next((m for m in queries.read(_engine(request), queries.members_of, family.id)
                   if m["id"] == as_uuid(member_id)), None)
    settings = request.app.state.settings
    link = f"regroup://pair?server={settings.base_url}&code={code}"
    qr = segno.make(link, error="m").svg_inline(scale=5, title=f"QR code for pairing code {code}")
    # The web app this server hosts opens its sharing screen with the link (docs/web-app.md)
    web_link = (f"{settings.base_url}/app/pair?" + urlencode({"server": settings.base_url, "code": code})
                if settings.serve_app else None)
    return render(request, "pairing.html", family=family, member=member, code=code, link=link, qr=qr,
                  web_link=web_link)


def _device_or_404(request: Request, family: Family, device_id: str) -> tuple[dict, dict]:
    for m in queries.read(_engine(request), queries.members_of, family.id):
        for d in m["devices"]:
            if d["id"] == as_uuid(device_id) and not d["unpaired_at"]:
                return m, d
    raise NotFound()


@router.get("/families/{family_id}/devices/{device_id}/unpair", response_class=HTMLResponse)
def confirm_unpair(request: Request, family: FamilyDep, device_id: str):
    member, device = _device_or_404(request, family, device_id)
    return render(request, "confirm.html", family=family, title=f"Unpair {device['name']}?",
                  what=[f"The phone \u201c{device['name']}\u201d of {member['name']} stops syncing at once.",
                        f"What {member['name']} already shared stays here. They can pair again with a new code."],
                  action=f"/families/{family.id}/devices/{device['id']}/unpair", button=f"Unpair {device['name']}")


@router.post("/families/{family_id}/devices/{device_id}/unpair")
def unpair_device(request: Request, family: FamilyDep, me: MeDep, device_id: str):
    member, device = _device_or_404(request, family, device_id)
    admin.unpair_device(_engine(request), family.id, device["id"], me.email)
    return _back(family, f"?done=unpaired&who={device['id']}#devices-{member['id']}")


@router.post("/families/{family_id}/message")
def send_message(request: Request, family: FamilyDep, me: MeDep, body: str = Form(""), member_id: str = Form("")):
    try:
        admin.send_message(_engine(request), family.id, member_id, body, me.name, me.email)
    except admin.Invalid as exc:
        return _family_view(request, family, 400, message_error=str(exc), message_form={"body": echo(body),
                                                                                        "member_id": member_id})
    to = as_uuid(member_id)
    return _back(family, f"?done=message&who={to}#thread-{to}" if to else "?done=message#messages")


@router.post("/families/{family_id}/recommend")
def recommend(request: Request, family: FamilyDep, me: MeDep, step_id: str = Form(""), journey_id: str = Form(""),
              note: str = Form(""), member_id: str = Form(""), action: str = Form("")):
    """The step is chosen from the content's list; its journey follows from it (step ids name their journey).
    The form's "Preview" button sends nothing: it shows the same form again, as typed, with the chosen step's
    title, type and first lines (the dashboard runs no script, so the preview is a round trip)."""
    catalogue = content.load()
    step = catalogue.step(step_id)
    journey = catalogue.journey(step.journey_id if step else journey_id)
    kept = {"step_id": step_id, "note": echo(note), "member_id": member_id}
    if action == "preview":
        if step is None:
            return _family_view(request, family, 400, recommend_error="Choose a journey step to preview.",
                                recommend_form=kept)
        return _family_view(request, family, recommend_form=kept, preview=step)
    if journey is None:
        return _family_view(request, family, 400, recommend_error="Choose a journey step from the list.",
                            recommend_form=kept)
    try:
        admin.recommend(_engine(request), family.id, member_id, journey.id, step.id if step else None, note, me.email)
    except admin.Invalid as exc:
        return _family_view(request, family, 400, recommend_error=str(exc), recommend_form=kept, preview=step)
    return _back(family, f"?done=recommended&who={as_uuid(member_id) or ''}#messages")


@router.post("/families/{family_id}/worksheets/{entity_id}/feedback")
def feedback(request: Request, family: FamilyDep, me: MeDep, entity_id: str, body: str = Form("")):
    """Feedback that cannot be sent shows the family page again, what was typed kept and the reason beside it
    (a worksheet that is not this family's is still 404)."""
    try:
        admin.send_feedback(_engine(request), family.id, entity_id, body, me.email)
    except admin.Invalid as exc:
        return _family_view(request, family, 400, feedback_error={"worksheet": as_uuid(entity_id), "text": str(exc)},
                            feedback_form={"worksheet": as_uuid(entity_id), "body": echo(body)})
    return _back(family, f"?done=feedback#ws-{as_uuid(entity_id)}")


@router.get("/families/{family_id}/export")
def export(request: Request, family: FamilyDep):
    data = queries.read(_engine(request), queries.export_family, family.id)
    return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="regroup-family-{family.id}.json"'})


@router.get("/families/{family_id}/members/{member_id}/erase", response_class=HTMLResponse)
def confirm_erase_member(request: Request, family: FamilyDep, member_id: str):
    member = _member_or_404(request, family, member_id)
    return render(request, "confirm.html", family=family, title=f"Erase what {member['name']} shared?",
                  what=[f"Every journal entry, check-in, worksheet, score and message {member['name']} shared with "
                        "you is erased from this server. This cannot be undone.",
                        f"{member['name']}'s phones are told, so those records become private again on the phone; "
                        "nothing is deleted from the phone.",
                        f"{member['name']} stays in the family and can share again. The audit log keeps a line "
                        "saying you erased it, never the content."],
                  action=f"/families/{family.id}/members/{member['id']}/erase",
                  button=f"Erase what {member['name']} shared")


@router.post("/families/{family_id}/members/{member_id}/erase")
def erase_member(request: Request, family: FamilyDep, me: MeDep, member_id: str):
    member = _member_or_404(request, family, member_id)
    n = admin.erase_member(_engine(request), family.id, member["id"], me.email)
    return _back(family, f"?done=erased_member&who={member['id']}&n={n}")


def _confirm_family_erase(request: Request, family: Family, status: int = 200, error: str | None = None,
                          typed: str = "") -> HTMLResponse:
    members = queries.read(_engine(request), queries.members_of, family.id)
    phones = sum(1 for m in members for d in m["devices"] if not d["unpaired_at"])
    return render(request, "confirm_family.html", status=status, family=family, members=members, phones=phones,
                  error=error, typed=typed)


@router.get("/families/{family_id}/erase", response_class=HTMLResponse)
def confirm_erase_family(request: Request, family: FamilyDep):
    return _confirm_family_erase(request, family)


@router.post("/families/{family_id}/erase")
def erase_family(request: Request, family: FamilyDep, me: MeDep, confirm: str = Form("")):
    return _erase_family(request, family, me, confirm)


def _erase_family(request: Request, family: Family, me: Specialist, confirm: str):
    if confirm.strip() != family.name:
        return _confirm_family_erase(request, family, 400, "That is not the family's name, so nothing was erased. "
                                     "Type it exactly as it is shown above.", echo(confirm))
    admin.erase_family(_engine(request), family.id, me.email)
    return RedirectResponse("/?done=erased_family", status_code=303)


@router.get("/families/{family_id}/audit", response_class=HTMLResponse)
def audit_log(request: Request, family: FamilyDep, page: int = 1):
    page = max(1, page)
    entries = queries.read(_engine(request), lambda conn: queries.audit_entries(
        conn, family.id, limit=AUDIT_PAGE + 1, offset=(page - 1) * AUDIT_PAGE))
    names = queries.read(_engine(request), queries.names_in_family, family.id)
    return render(request, "audit.html", family=family, entries=entries[:AUDIT_PAGE], names=names, page=page,
                  more=len(entries) > AUDIT_PAGE)

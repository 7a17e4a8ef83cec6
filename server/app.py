"""The specialist server's FastAPI application: the sync API and the dashboard."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server import VERSION, admin, api, db, pages as dashboard
from server.openapi import add_security_scheme
from server.ratelimit import DeviceLimiter, PairingLimit
from server.settings import Settings

log = logging.getLogger("regroup.server")


def create_app(settings: Settings | None = None, *, engine=None) -> FastAPI:
    settings = settings or Settings.from_env()
    if engine is None:
        settings.prepare_data_dir()
        engine = db.make_engine(settings.url)
    db.migrate(engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        task = asyncio.create_task(_purge_forever(engine, settings.retention_days))
        yield
        task.cancel()

    app = FastAPI(title="Regroup specialist server", version=VERSION, docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.settings, app.state.engine = settings, engine
    app.state.device_limiter = DeviceLimiter(engine, settings.device_limit, settings.redis_url, settings.is_postgres)
    app.state.secret = settings.resolved_secret()
    app.state.pairing_limit = PairingLimit(engine, settings.pair_failures, settings.pair_window_s, settings.redis_url)
    app.state.sign_in_slots = threading.BoundedSemaphore(settings.sign_in_concurrency)
    app.include_router(api.router)
    app.include_router(dashboard.router)
    if settings.serve_app:
        from server.webapp import app_router
        app.include_router(app_router(settings.app_dir))
    https = settings.tls_cert is not None or (settings.public_url or "").startswith("https://")

    @app.middleware("http")
    async def headers_and_log(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if https or request.url.scheme == "https":
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        log_request(request, response.status_code, started)
        return response

    @app.exception_handler(api.Problem)
    async def problem(request: Request, exc: api.Problem):
        return exc.response

    @app.exception_handler(db.NoLongerPaired)
    async def no_longer_paired(request: Request, exc: db.NoLongerPaired):
        return api.unauthorized()

    @app.exception_handler(dashboard.NotFound)
    @app.exception_handler(admin.NotFound)
    async def not_found_page(request: Request, exc: Exception):
        return HTMLResponse(dashboard.render_not_found(request), status_code=404)

    @app.exception_handler(dashboard.NotSignedIn)
    async def sign_in_first(request: Request, exc: dashboard.NotSignedIn):
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(dashboard.SetUpSecondFactor)
    async def second_factor_first(request: Request, exc: dashboard.SetUpSecondFactor):
        return RedirectResponse("/account#second-factor", status_code=303)

    @app.exception_handler(admin.Invalid)
    async def invalid_input(request: Request, exc: admin.Invalid):
        return dashboard.render_invalid(request, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        if request.url.path.startswith("/api/"):
            return api.error(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))
        return HTMLResponse(dashboard.render_not_found(request), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return api.error(422, "invalid_request", "the request does not have the expected form")

    original = app.openapi

    def openapi():
        if app.openapi_schema is None:
            app.openapi_schema = add_security_scheme(original())
        return app.openapi_schema
    app.openapi = openapi
    return app


# On every answer, pages and API alike: nothing is cached, framed, sniffed or sent on as a referrer,
# and the dashboard runs no script at all (its one style sheet comes from /static).
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
access_log = logging.getLogger("regroup.access")


def log_request(request: Request, status: int, started: float) -> None:
    """One JSON line per request: the route's pattern (not its ids or query), never a body or a token."""
    route = request.scope.get("route")
    access_log.info(json.dumps({
        "at": db.now(), "method": request.method, "route": getattr(route, "path", None) or "(no route)",
        "status": status, "ms": round((time.perf_counter() - started) * 1000, 1),
        "client": request.client.host if request.client else None}))


PURGE_EVERY_S = 6 * 3600


async def _purge_forever(engine, retention_days: int) -> None:
    """Drop expired notices at start and every six hours (a cursor below them then gets 410)."""
    while True:
        try:
            purged = await run_in_threadpool(admin.purge_notices, engine, retention_days)
            if purged:
                log.info("purged %d expired notices", purged)
        except Exception:  # noqa: BLE001 - try again next time; never take the server down
            log.exception("purging notices failed")
        await asyncio.sleep(PURGE_EVERY_S)

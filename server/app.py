"""The specialist server's FastAPI application: the sync API and the dashboard."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server import VERSION, admin, api, db, pages as dashboard
from server.openapi import add_security_scheme
from server.ratelimit import DeviceLimiter
from server.settings import Settings

log = logging.getLogger("regroup.server")


def create_app(settings: Settings | None = None, *, engine=None) -> FastAPI:
    settings = settings or Settings.from_env()
    if engine is None:
        if not settings.is_postgres:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
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
    app.include_router(api.router)
    app.include_router(dashboard.router)

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

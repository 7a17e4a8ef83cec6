"""The specialist server's FastAPI application: the sync API and the dashboard."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server import VERSION, api, db, pages as dashboard
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
    app = FastAPI(title="Regroup specialist server", version=VERSION, docs_url=None, redoc_url=None)
    app.state.settings, app.state.engine = settings, engine
    app.state.device_limiter = DeviceLimiter(engine, settings.device_limit, settings.redis_url, settings.is_postgres)
    app.state.secret = settings.resolved_secret()
    app.include_router(api.router)
    app.include_router(dashboard.router)

    @app.exception_handler(api.Problem)
    async def problem(request: Request, exc: api.Problem):
        return exc.response

    @app.exception_handler(dashboard.NotFound)
    async def not_found_page(request: Request, exc: dashboard.NotFound):
        return HTMLResponse(dashboard.render_not_found(request), status_code=404)

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

"""The family's web app (the PWA that `make web` builds into dist/web) served at /app/ when
REGROUP_SERVE_APP=1: the app's files as they are, its routes answered with index.html rebased to /app/.

Nothing of the app runs here (no import from app/): these are static files, and the family's data stays in
their browser. Served from this server's own address, the app's IndexedDB and service worker belong to it.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

PREFIX = "/app/"
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".whl": "application/zip", ".tar.gz": "application/gzip",
         ".png": "image/png", ".html": "text/html; charset=utf-8", ".bin": "application/octet-stream",
         ".otf": "font/otf", ".ttf": "font/ttf", ".woff2": "font/woff2"}
# The app's own policy (assets/index.html says the same): Python and Flutter are WebAssembly, the Python worker
# talks to this server only ('self'), nothing from another address. Replaces the dashboard's script-free one.
APP_HEADERS = {
    "Content-Security-Policy": "default-src 'self' data: blob:; script-src 'self' 'unsafe-inline' 'unsafe-eval' "
                               "'wasm-unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' "
                               "data: blob:; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' "
                               "blob:; object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-cache",  # revalidated on each visit; the service worker keeps it offline
}
# What a build for "/" writes that names its address (flet's patch_index_html); rewritten to /app/.
_BASE_PATTERNS = (
    (re.compile(r'(<base\b[^>]*\bhref\s*=\s*)(["\'])/\2', re.I), r"\g<1>\g<2>{base}\g<2>"),
    (re.compile(r'(flet\.(?:entrypointBaseUrl|assetBase)\s*=\s*)"/"'), r'\g<1>"{base}"'),
    (re.compile(r'(flet\.canvasKitBaseUrl\s*=\s*)"/canvaskit/"'), r'\g<1>"{base}canvaskit/"'),
)


def rebase_index(html: str, base: str = PREFIX) -> str:
    """index.html of a build for "/" made to run under `base`."""
    for pattern, replacement in _BASE_PATTERNS:
        html = pattern.sub(replacement.replace("{base}", base), html)
    return html


def _type(path: Path) -> str | None:
    name = path.name.lower()
    for ending, media in TYPES.items():
        if name.endswith(ending):
            return media
    return None


def app_router(app_dir: Path) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    root = Path(app_dir).resolve()

    def index() -> Response:
        page = root / "index.html"
        if not page.is_file():
            return HTMLResponse("The web app is not built on this server (make web).", status_code=404,
                                headers=APP_HEADERS)
        return HTMLResponse(rebase_index(page.read_text(encoding="utf-8")), headers=APP_HEADERS)

    @router.get("/app")
    async def app_root() -> Response:
        return RedirectResponse(PREFIX, status_code=308)

    @router.get("/app/{path:path}")
    async def app_file(path: str, request: Request) -> Response:
        if path in ("", "index.html"):
            return index()
        target = (root / path).resolve()
        if root not in target.parents:
            return Response(status_code=404, headers=APP_HEADERS)
        if target.is_file():
            return FileResponse(target, media_type=_type(target), headers=APP_HEADERS)
        if "." not in path.rsplit("/", 1)[-1]:  # a route of the app (/app/journal): the app answers it
            return index()
        return Response(status_code=404, headers=APP_HEADERS)

    return router

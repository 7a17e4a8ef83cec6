"""Serve dist/web on loopback for testing (`make serve-web`): static files, the right types for modules and
WebAssembly, and index.html for the app's routes (/journal, /help ...), as the specialist server does."""

from __future__ import annotations

import argparse
import functools
import http.server
import mimetypes
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".webmanifest": "application/manifest+json", ".whl": "application/zip"}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**mimetypes.types_map, **TYPES}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if not path.exists() and "." not in Path(self.path.split("?")[0]).name:
            self.path = "/index.html"  # a route of the app, not a file
        return super().send_head()

    def end_headers(self):
        # Revalidate everything (a 304 costs no body): the service worker, not the HTTP cache, keeps the app
        # offline, and its install then takes what this visit just downloaded.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_request(self, code="-", size="-"):
        requested = getattr(self.server, "requested", None)
        if requested is not None and str(getattr(code, "value", code)) == "200":  # a test adds up a visit
            path = self.path.split("?")[0]
            requested.append(path + "index.html" if path.endswith("/") else path)

    def log_message(self, fmt, *args):  # quiet: tests read their own output
        pass


def serve(directory: Path, port: int, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    handler = functools.partial(Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.requested = []
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "dist" / "web")
    parser.add_argument("--port", type=int, default=8650)
    args = parser.parse_args()
    if not (args.dir / "index.html").is_file():
        raise SystemExit(f"{args.dir} has no index.html: run `make web` first")
    server = serve(args.dir, args.port)
    print(f"Regroup (web build) at http://127.0.0.1:{args.port}/  from {args.dir}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

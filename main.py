"""Regroup's entry point: build the services, hand them to the screens, serve on loopback."""

from __future__ import annotations

import os
import sys

import flet as ft

from app.logs import configure_logging
from app.paths import ASSETS_DIR
from wiring import make_services, make_session

HOST = "127.0.0.1"  # loopback only: the app is never reachable from the network


def run() -> None:
    # Events, codes and class names only: never what a person typed (tests/test_logs.py holds it).
    configure_logging()
    port = int(os.environ.get("REGROUP_PORT", "8550"))
    services = make_services()
    if sys.platform != "emscripten":  # in the web build there is no address: the page is the app
        print(f"Regroup is running at http://{HOST}:{port}  (data: {services.data_dir})", flush=True)
    ft.run(
        make_session(services),
        view=ft.AppView.WEB_BROWSER,  # a phone build ignores this and runs embedded
        host=HOST,
        port=port,
        assets_dir=str(ASSETS_DIR),
        web_renderer=ft.WebRenderer.CANVAS_KIT,
        no_cdn=True,
    )


if __name__ == "__main__":
    run()

"""The baseline for item 1: a hello-world Flet app, served as main.py serves Regroup (renderer, no CDN, assets).

    REGROUP_PORT=PORT python -m tests.bench.hello
"""

from __future__ import annotations

import os

import flet as ft

from app.paths import ASSETS_DIR


def main(page: ft.Page) -> None:
    page.add(ft.Text("Hello"), ft.Button("Hello world"))


if __name__ == "__main__":
    ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=int(os.environ["REGROUP_PORT"]),
           assets_dir=str(ASSETS_DIR), web_renderer=ft.WebRenderer.CANVAS_KIT, no_cdn=True)

"""Item 1: from process start to the first named control in headless Chromium, Regroup with the 10-year demo
data against a hello-world Flet app started the same way, alternated; and the Python process's peak memory."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from app.clock import CLOCK_ENV
from tests.e2e.harness import CHROMIUM_ARGS, PHONE, ROOT, free_port


def _peak_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _one(browser, command: list[str], env: dict, log: Path) -> tuple[float, int]:
    port = free_port()
    began = time.monotonic()
    proc = subprocess.Popen(command, cwd=ROOT, env={**env, "REGROUP_PORT": str(port), "PYTHONUNBUFFERED": "1"},
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)
    try:
        while True:
            if proc.poll() is not None or time.monotonic() - began > 120:
                raise RuntimeError(f"{command} did not start: {log.read_text(errors='replace')[-1500:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        ctx = browser.new_context(viewport=PHONE)
        page = ctx.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("#loading", state="detached", timeout=120_000)
        page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
        page.locator("flt-semantics-placeholder").dispatch_event("click")
        page.get_by_role("button").first.wait_for(state="attached", timeout=60_000)
        took = time.monotonic() - began
        peak = _peak_kib(proc.pid)
        ctx.close()
        return took, peak
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(data10y: Path, work: Path, runs: int = 5) -> dict:
    from playwright.sync_api import sync_playwright
    app, hello = {"s": [], "kib": []}, {"s": [], "kib": []}
    base_env = {k: v for k, v in os.environ.items() if k != CLOCK_ENV}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for i in range(runs):
                data = work / f"startup-data-{i}"
                shutil.copytree(data10y, data)
                for name, into, command, env in (
                        ("hello", hello, [sys.executable, "-m", "tests.bench.hello"], base_env),
                        ("app", app, [sys.executable, "main.py"], {**base_env, "REGROUP_DATA_DIR": str(data)})):
                    s, kib = _one(browser, command, env, work / f"startup-{name}.log")
                    into["s"].append(s)
                    into["kib"].append(kib)
                shutil.rmtree(data, ignore_errors=True)
        finally:
            browser.close()
    return {"app_s": statistics.median(app["s"]), "hello_s": statistics.median(hello["s"]),
            "app_mib": statistics.median(app["kib"]) / 1024, "hello_mib": statistics.median(hello["kib"]) / 1024,
            "runs": runs, "samples": {"app": app, "hello": hello}}

"""Measure cold start: process start until the port answers, and page load until the first frame.

Run: .venv/bin/python -m tests.e2e.measure_start [runs]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.harness import CHROMIUM_ARGS, PHONE, AppProcess, Phone


def main(runs: int = 5) -> None:
    port_times, frame_times = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                app = AppProcess(Path(tmp) / "data")
                app.data_dir.mkdir()
                app.start()
                ctx = browser.new_context(viewport=PHONE)
                phone = Phone(ctx.new_page(), "measure").open(app.url)
                phone.wait("heading", "Welcome")
                port_times.append(app.started_in)
                frame_times.append(phone.first_frame_in)
                ctx.close()
                app.stop()
        browser.close()
    for name, values in (("process start to port answering", port_times),
                         ("page load to first frame", frame_times)):
        print(f"{name}: median {statistics.median(values):.2f} s, "
              f"min {min(values):.2f} s, max {max(values):.2f} s over {len(values)} runs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

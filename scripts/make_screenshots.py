"""Take the documentation screenshots at a projector's 1280×720: 02 in Voilà, 01–05 in JupyterLab.

Usage: ``python scripts/make_screenshots.py [--out docs]`` (needs Playwright and /usr/bin/chromium).

* ``docs/playground.png``: Voilà's default launch of ``notebooks/02-playground.ipynb`` (its own
  Markdown above the widget), as a class sees it.
* ``docs/lab-01.png`` … ``docs/lab-05.png``: each notebook in JupyterLab with the file browser open
  (Binder's default), all cells run, scrolled so the lesson's widget or picture starts at the top.

Servers are started on 127.0.0.1 only, from a temporary copy of the notebooks, and stopped by the
PID this script started. Open every screenshot and look at it before committing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the helpers the browser tests use too
from servers import CHROMIUM, CHROMIUM_ARGS, free_port, stop, wait_http  # noqa: E402

VIEWPORT: Any = {"width": 1280, "height": 720}  # playwright's ViewportSize TypedDict
# For each Lab screenshot: what must appear once the cells ran, and what is scrolled to the top.
LAB_TARGETS = {
    "01-mnist-walkthrough.ipynb": (".convwidget-walkthrough", ".convwidget-walkthrough"),
    "02-playground.ipynb": (".convwidget-explorer img.widget-image", ".jp-MarkdownCell"),
    # 03: the per-channel maps summed into one output channel (its third picture)
    "03-why-the-input-channels.ipynb": (
        ".jp-OutputArea-output img >> nth=2",
        ".jp-OutputArea-output img >> nth=2",
    ),
    "04-beyond-conv2d.ipynb": (".jp-OutputArea-output img", ".jp-OutputArea-output img"),
    "05-exercises.ipynb": (".convwidget-explainer", ".convwidget-explainer"),
}


@contextmanager
def _server(cmd: list[str], url: str, cwd: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    with log.open("wb") as handle:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT)
        try:
            wait_http(url, proc)
            yield url
        finally:
            stop(proc)


def _voila(tmp: Path, page: Any, out: Path) -> None:
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "voila-runtime"))
    # Launched from notebooks/, as the README says, so notebooks/voila.json applies.
    cmd = [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
           "02-playground.ipynb"]  # fmt: skip
    with _server(cmd, f"http://127.0.0.1:{port}/", tmp / "root" / "notebooks", env, tmp / "voila.log") as url:
        page.goto(url, timeout=90_000)
        page.locator(".convwidget-count").first.wait_for(state="visible", timeout=60_000)
        page.locator("img.widget-image").first.wait_for(state="visible", timeout=30_000)
        time.sleep(1.0)
        page.screenshot(path=str(out / "playground.png"))
        print(f"wrote {out / 'playground.png'}")


def _run_all(page: Any, target: str) -> None:
    """Run every cell; right after the kernel starts the command can be dropped, so ask again."""
    for _attempt in range(4):
        page.locator(".jp-Notebook").first.click()
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        try:
            page.locator(target).first.wait_for(state="attached", timeout=30_000)
            return
        except Exception:  # playwright's TimeoutError: try again
            continue
    raise TimeoutError(f"{target} never appeared after Run All")


def _lab(tmp: Path, page: Any, out: Path) -> None:
    settings = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port = free_port()
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "lab-runtime"),
    )
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.token=", "--ServerApp.password=",
        "--ip=127.0.0.1", f"--port={port}", "--allow-root", "--LabApp.expose_app_in_browser=True",
        f"--ServerApp.root_dir={tmp / 'root'}",
    ]  # fmt: skip
    with _server(cmd, f"http://127.0.0.1:{port}/api/status", tmp, env, tmp / "lab.log") as status:
        base = status.removesuffix("/api/status")
        for i, (name, (ready, target)) in enumerate(LAB_TARGETS.items(), start=1):
            page.goto(f"{base}/lab/tree/notebooks/{name}?reset", timeout=60_000)
            page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
            page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
            _run_all(page, ready)
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=90_000)
            time.sleep(1.5)
            page.locator(target).first.evaluate("el => el.scrollIntoView({block: 'start'})")
            time.sleep(1.0)
            path = out / f"lab-{i:02d}.png"
            page.screenshot(path=str(path))
            print(f"wrote {path}")


def main(argv: list[str]) -> int:
    """Write the screenshots into ``--out`` (default ``docs``); return 0 on success."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name, sync_playwright() as p:
        tmp = Path(name)
        # A copy: Lab and Voilà rewrite a notebook's metadata when they open it.
        shutil.copytree(ROOT / "notebooks", tmp / "root" / "notebooks")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            _voila(tmp, page, out)
            _lab(tmp, page, out)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""End-to-end tests in headless Chromium: the playground in JupyterLab and in Voilà.

Servers are started here on 127.0.0.1 only, on free ports, and stopped by the
PID we started. Without Chromium or Playwright these tests skip with a reason;
with ``CI`` set they fail instead (see ``conftest.require``).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require

from convwidget.layers import Conv2D

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PLAYGROUND = "notebooks/02-playground.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    path = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required when CI is set (.ci/run installs it with apt-get)")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"no answer from {url} within {timeout} s")


def _start(cmd: list[str], url: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        _wait_http(url, proc)
    except Exception:
        _stop(proc)
        raise
    return proc


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    sync_api = require("playwright.sync_api", "drives Chromium for the browser tests")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _jupyter_server(tmp: Path, module: str, expose: str) -> Iterator[str]:
    settings = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # The news/update popup would otherwise cover the notebook.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    # Serve a copy: Lab and Notebook 7 rewrite a notebook's metadata when they open it.
    root = tmp / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    port = _free_port()
    cmd = [
        sys.executable, "-m", module, "--no-browser", "--ServerApp.token=", "--ServerApp.password=",
        "--ip=127.0.0.1", f"--port={port}", "--allow-root", f"--{expose}.expose_app_in_browser=True",
        f"--ServerApp.root_dir={root}",
    ]  # fmt: skip
    proc = _start(cmd, f"http://127.0.0.1:{port}/api/status", env, tmp / f"{module}.log")
    yield f"http://127.0.0.1:{port}"
    _stop(proc)


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _jupyter_server(tmp_path_factory.mktemp("lab"), "jupyterlab", "LabApp")


@pytest.fixture(scope="module")
def notebook7_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require("notebook", "Notebook 7 serves the playground in one of the browser tests")
    yield from _jupyter_server(tmp_path_factory.mktemp("nb7"), "notebook", "JupyterNotebookApp")


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("voila")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    port = _free_port()
    cmd = [
        sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}", PLAYGROUND,
    ]  # fmt: skip
    proc = _start(cmd, f"http://127.0.0.1:{port}/", env, tmp / "voila.log")
    yield f"http://127.0.0.1:{port}/"
    # Voilà keeps one kernel per page load until the server stops.
    _stop(proc)


def _slider_value(page: object, css: str) -> int:
    handle = page.locator(f".{css} .noUi-handle[role=slider]").first  # type: ignore[attr-defined]
    return round(float(handle.get_attribute("aria-valuenow")))


def _check_playground(page: object, name: str, key: str = "ArrowRight") -> None:
    """Move the filters slider with the keyboard and compare the shown count with the core's."""
    count = page.locator(".convwidget-count").first  # type: ignore[attr-defined]
    count.wait_for(state="visible", timeout=60_000)
    handle = page.locator(".convwidget-filters .noUi-handle[role=slider]").first  # type: ignore[attr-defined]
    handle.wait_for(state="visible", timeout=30_000)
    before = _slider_value(page, "convwidget-filters")
    for focus in (handle.focus, handle.click):
        # A key press can arrive before the page gives the handle focus: then click it and retry.
        focus()
        page.keyboard.press(key)  # type: ignore[attr-defined]
        deadline = time.monotonic() + 5
        while _slider_value(page, "convwidget-filters") == before and time.monotonic() < deadline:
            time.sleep(0.1)
        if _slider_value(page, "convwidget-filters") != before:
            break
    after = _slider_value(page, "convwidget-filters")
    assert after > before, f"{key} did not move the filters slider"
    kernel = _slider_value(page, "convwidget-kernel-size")
    cin = _slider_value(page, "convwidget-in-channels")
    expected = Conv2D(after, kernel).describe((28, 28, cin)).params
    pattern = re.compile(re.escape(f"{expected:,}"))
    deadline = time.monotonic() + 15
    while not pattern.search(count.inner_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pattern.search(count.inner_text()), (count.inner_text(), expected)
    body = page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert "Error displaying widget" not in body
    _check_picture(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _check_picture(page: object) -> None:
    image_module = require("PIL.Image", "checks that the picture is not blank")
    img = page.locator("img.widget-image").first  # type: ignore[attr-defined]
    img.wait_for(state="visible", timeout=30_000)
    png = img.screenshot()
    pixels = image_module.open(io.BytesIO(png)).convert("L")
    low, high = pixels.getextrema()
    assert high - low > 64, "the kernel-stack picture is blank"


def _save_failure(page: object, name: str) -> None:
    """Keep a screenshot of what the browser showed when a test failed, as a CI artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True, timeout=10_000)  # type: ignore[attr-defined]
    except Exception as exc:  # the page may be gone; the test's own error matters more
        print(f"no failure screenshot: {exc}")


def _run_all(page: object) -> None:
    sync_api = require("playwright.sync_api", "drives Chromium for the browser tests")
    for _attempt in range(3):
        # Run All acts on the focused notebook; right after the kernel starts the
        # command can be dropped, so focus the notebook and ask again if nothing ran.
        page.locator(".jp-Notebook").first.click()  # type: ignore[attr-defined]
        # Not awaited: the command's promise settles only when every cell has run.
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")  # type: ignore[attr-defined]
        try:
            page.locator(".convwidget-count").first.wait_for(state="visible", timeout=30_000)  # type: ignore[attr-defined]
            return
        except sync_api.TimeoutError:
            continue


def test_playground_in_jupyterlab(browser: object, lab_url: str, request: pytest.FixtureRequest) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    try:
        page.goto(f"{lab_url}/lab/tree/{PLAYGROUND}?reset", timeout=60_000)
        page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
        _run_all(page)
        _check_playground(page, "jupyterlab-playground")
    except Exception:
        _save_failure(page, request.node.name)
        raise
    finally:
        page.close()


def test_playground_in_notebook7(browser: object, notebook7_url: str, request: pytest.FixtureRequest) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    try:
        page.goto(f"{notebook7_url}/notebooks/{PLAYGROUND}", timeout=60_000)
        page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
        _run_all(page)
        # Notebook 7 keeps the arrow keys for moving between cells; PageUp moves the slider.
        _check_playground(page, "notebook7-playground", key="PageUp")
    except Exception:
        _save_failure(page, request.node.name)
        raise
    finally:
        page.close()


def test_playground_in_voila(browser: object, voila_url: str, request: pytest.FixtureRequest) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    try:
        page.goto(voila_url, timeout=90_000)
        _check_playground(page, "voila-playground")
        # Voilà shows the app, not the code.
        assert "import ConvExplorer" not in page.locator("body").inner_text()
    except Exception:
        _save_failure(page, request.node.name)
        raise
    finally:
        page.close()

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
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require
from servers import CHROMIUM, CHROMIUM_ARGS, free_port, stop, wait_http

from convwidget.layers import Conv2D

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PLAYGROUND = "notebooks/02-playground.ipynb"
ARTIFACTS = ROOT / "test-artifacts"


def _chromium() -> str:
    path = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required when CI is set (.ci/run installs it with apt-get)")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    return path


def _start(cmd: list[str], url: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_http(url, proc)
    except Exception:
        stop(proc)
        raise
    return proc


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
    port = free_port()
    cmd = [
        sys.executable, "-m", module, "--no-browser", "--ServerApp.token=", "--ServerApp.password=",
        "--ip=127.0.0.1", f"--port={port}", "--allow-root", f"--{expose}.expose_app_in_browser=True",
        f"--ServerApp.root_dir={root}",
    ]  # fmt: skip
    proc = _start(cmd, f"http://127.0.0.1:{port}/api/status", env, tmp / f"{module}.log")
    yield f"http://127.0.0.1:{port}"
    stop(proc)


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
    port = free_port()
    cmd = [
        sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}", PLAYGROUND,
    ]  # fmt: skip
    proc = _start(cmd, f"http://127.0.0.1:{port}/", env, tmp / "voila.log")
    yield f"http://127.0.0.1:{port}/"
    # Voilà keeps one kernel per page load until the server stops.
    stop(proc)


PROJECTOR = {"width": 1280, "height": 720}
# The lesson's values: dragging each channel handle alone must reach all of them (issue #15).
LESSON_VALUES = (1, 2, 3, 4, 32, 63, 64, 512)
MAIN_PARTS = (
    "convwidget-kernel-size",
    "convwidget-in-channels",
    "convwidget-filters",
    "convwidget-count",
    "convwidget-formula",
    "convwidget-picture",
)


def _slider_value(page: object, css: str) -> int:
    """The value the slider shows beside its handle (a channel slider's handle reports its stop's index)."""
    readout = page.locator(f".{css} .widget-readout").first  # type: ignore[attr-defined]
    return int(readout.inner_text().strip().replace(",", ""))


def _expected_count(page: object) -> int:
    kernel = _slider_value(page, "convwidget-kernel-size")
    cin = _slider_value(page, "convwidget-in-channels")
    filters = _slider_value(page, "convwidget-filters")
    return Conv2D(filters, kernel).describe((28, 28, cin)).params


def _count_follows(page: object, timeout: float = 10) -> None:
    count = page.locator(".convwidget-count").first  # type: ignore[attr-defined]
    expected = _expected_count(page)
    pattern = re.compile(rf"(?<![\d,]){re.escape(f'{expected:,}')}(?![\d,])")
    deadline = time.monotonic() + timeout
    while not pattern.search(count.inner_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pattern.search(count.inner_text()), (count.inner_text(), expected)


def _assert_on_screen(page: object, viewport: dict[str, int]) -> None:
    """Every main part of the explorer fully inside the viewport, all at once (no scrolling between)."""
    boxes = {}
    for css in MAIN_PARTS:
        box = page.locator(f".{css}").first.bounding_box()  # type: ignore[attr-defined]
        assert box is not None, f"{css} is not rendered"
        boxes[css] = box
    outside = {
        css: box
        for css, box in boxes.items()
        if box["x"] < 0
        or box["y"] < 0
        or box["x"] + box["width"] > viewport["width"]
        or box["y"] + box["height"] > viewport["height"]
    }
    assert not outside, f"outside the {viewport['width']}×{viewport['height']} viewport: {outside}"
    # the picture is a real picture, not a sliver
    assert boxes["convwidget-picture"]["width"] >= 300, boxes["convwidget-picture"]


def _buttons_not_truncated(page: object) -> None:
    """No toggle button's label is cut ("DepthwiseCon…"): its text fits its box."""
    cut = page.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('.convwidget-explorer button')]
            .filter(b => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
            .map(b => b.innerText)"""
    )
    assert cut == [], f"truncated button labels: {cut}"


def _drag_reaches(page: object, css: str, wanted: tuple[int, ...]) -> set[int]:
    """Drag the handle of ``css`` with the mouse, one pixel at a time, end to end; return the values seen.

    At each wanted value the drag pauses (button still down) until the count shows the core's count.
    """
    handle = page.locator(f".{css} .noUi-handle[role=slider]").first  # type: ignore[attr-defined]
    track = page.locator(f".{css} .noUi-base").first.bounding_box()  # type: ignore[attr-defined]
    box = handle.bounding_box()
    assert track is not None and box is not None
    y = box["y"] + box["height"] / 2
    x = box["x"] + box["width"] / 2
    mouse = page.mouse  # type: ignore[attr-defined]
    mouse.move(x, y)
    mouse.down()
    left, right = int(track["x"]) - 2, int(track["x"] + track["width"]) + 2
    for px in range(int(x), left - 1, -1):  # to the left end first
        mouse.move(px, y)
    seen: set[int] = set()
    pending = set(wanted)
    for px in range(left, right + 1):  # then right, one pixel at a time
        mouse.move(px, y)
        value = _slider_value(page, css)
        seen.add(value)
        if value in pending:
            pending.discard(value)
            _count_follows(page)
    mouse.up()
    return seen


def _check_projector(page: object, name: str, viewport: dict[str, int]) -> None:
    """The projector checks: main parts on screen together; every lesson value reachable by dragging."""
    _assert_on_screen(page, viewport)
    _buttons_not_truncated(page)
    for css in ("convwidget-in-channels", "convwidget-filters"):
        seen = _drag_reaches(page, css, LESSON_VALUES)
        missing = [v for v in LESSON_VALUES if v not in seen]
        assert not missing, f"dragging {css} never showed {missing} (saw {sorted(seen)[:20]}…)"
        _assert_on_screen(page, viewport)
    time.sleep(1.5)  # the last frame's picture (drawn at most once per frame) arrives
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # type: ignore[attr-defined]
    # Open "more": every control there shows its whole label (the layer buttons were cut before).
    page.locator(".convwidget-more").get_by_text("more: layer type").first.click()  # type: ignore[attr-defined]
    page.locator(".convwidget-kind button").first.wait_for(state="visible", timeout=10_000)  # type: ignore[attr-defined]
    labels = page.locator(".convwidget-kind button").all_inner_texts()  # type: ignore[attr-defined]
    assert [t.strip() for t in labels] == ["Conv2D", "DepthwiseConv2D", "SeparableConv2D"], labels
    _buttons_not_truncated(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}-more.png"), full_page=True)  # type: ignore[attr-defined]


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
    _count_follows(page, timeout=15)
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
        # Under load Notebook 7 may ask which kernel to start (a slow first start): take the default.
        accept = page.locator(".jp-Dialog .jp-mod-accept")  # type: ignore[attr-defined]
        if accept.count() and accept.first.is_visible():
            accept.first.click()
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


def _open_in_lab(page: object, lab_url: str) -> None:
    page.goto(f"{lab_url}/lab/tree/{PLAYGROUND}?reset", timeout=60_000)  # type: ignore[attr-defined]
    page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)  # type: ignore[attr-defined]
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)  # type: ignore[attr-defined]


def test_projector_in_voila_at_1280x720(
    browser: object, voila_url: str, request: pytest.FixtureRequest
) -> None:
    page = browser.new_page(viewport=PROJECTOR)  # type: ignore[attr-defined]
    try:
        page.goto(voila_url, timeout=90_000)
        page.locator(".convwidget-count").first.wait_for(state="visible", timeout=60_000)
        page.locator("img.widget-image").first.wait_for(state="visible", timeout=30_000)
        # Voilà's default launch shows 02's own Markdown above the widget, and no code.
        assert "Filters = kernels = output channels" in page.locator("body").inner_text()
        _check_projector(page, "voila-projector", PROJECTOR)
    except Exception:
        _save_failure(page, request.node.name)
        raise
    finally:
        page.close()


def test_projector_in_jupyterlab_with_the_file_browser_open(
    browser: object, lab_url: str, request: pytest.FixtureRequest
) -> None:
    page = browser.new_page(viewport=PROJECTOR)  # type: ignore[attr-defined]
    try:
        _open_in_lab(page, lab_url)
        page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
        page.locator(".jp-FileBrowser").first.wait_for(state="visible", timeout=10_000)
        box = page.locator(".jp-FileBrowser").first.bounding_box()
        assert box is not None and box["width"] >= 200  # Binder's default: the file browser takes ~250 px
        _run_all(page)
        page.locator("img.widget-image").first.wait_for(state="visible", timeout=30_000)
        # Scroll the widget's top into view, as a teacher would, then nothing else.
        page.locator(".convwidget-explorer").first.evaluate("el => el.scrollIntoView({block: 'start'})")
        time.sleep(0.5)
        _check_projector(page, "jupyterlab-projector", PROJECTOR)
    except Exception:
        _save_failure(page, request.node.name)
        raise
    finally:
        page.close()


@pytest.mark.parametrize("viewport", [{"width": 1920, "height": 1080}, {"width": 800, "height": 900}])
def test_projector_layout_at_other_sizes_in_voila(
    browser: object, voila_url: str, viewport: dict[str, int], request: pytest.FixtureRequest
) -> None:
    """1920×1080 fits everything at once; an ~800 px column wraps the picture under the sliders."""
    page = browser.new_page(viewport=viewport)  # type: ignore[attr-defined]
    try:
        page.goto(voila_url, timeout=90_000)
        page.locator("img.widget-image").first.wait_for(state="visible", timeout=60_000)
        _buttons_not_truncated(page)
        if viewport["width"] >= 1280:
            _assert_on_screen(page, viewport)
        else:
            sliders = page.locator(".convwidget-filters").first.bounding_box()
            picture = page.locator(".convwidget-picture").first.bounding_box()
            assert sliders is not None and picture is not None
            assert picture["x"] + picture["width"] <= viewport["width"]  # nothing runs off to the right
            assert sliders["x"] + sliders["width"] <= viewport["width"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"voila-{viewport['width']}.png"))
    except Exception:
        _save_failure(page, request.node.name)
        raise
    finally:
        page.close()


def _kernels_of(pid: int) -> int:
    """How many kernel processes the server ``pid`` started are alive (read from /proc)."""
    alive = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue  # the process ended while we looked
        if fields.get("PPid", "").strip() == str(pid) and b"ipykernel" in cmdline:
            alive += 1
    return alive


def test_voila_json_culls_the_kernels_of_closed_pages(browser: object, tmp_path: Path) -> None:
    """Started from notebooks/ (the README's command), Voilà reads voila.json and culls closed pages' kernels.

    The shipped file's timeout (300 s) is shortened in a copy, so the test waits seconds, not minutes;
    everything else — the file's place, its keys, the launch — is what a teacher runs.
    """
    if not sys.platform.startswith("linux"):
        pytest.skip("counts kernel processes through /proc")
    root = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", root)
    config = json.loads((root / "voila.json").read_text())
    assert config["MappingKernelManager"]["cull_idle_timeout"] == 300
    assert config["MappingKernelManager"]["cull_connected"] is False  # open pages are never culled
    config["MappingKernelManager"].update(cull_idle_timeout=4, cull_interval=1)
    (root / "voila.json").write_text(json.dumps(config))
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    cmd = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "02-playground.ipynb",
    ]
    handle = (tmp_path / "voila.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc)
        pages = []
        for _ in range(3):
            page = browser.new_page(viewport=PROJECTOR)  # type: ignore[attr-defined]
            page.goto(f"http://127.0.0.1:{port}/", timeout=90_000)
            page.locator(".convwidget-count").first.wait_for(state="visible", timeout=60_000)
            pages.append(page)
        assert _kernels_of(proc.pid) == 3
        for page in pages[1:]:
            page.close()
        deadline = time.monotonic() + 60
        while _kernels_of(proc.pid) > 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _kernels_of(proc.pid) == 1, "the closed pages' kernels were not culled"
        time.sleep(6)  # longer than the timeout: the open page's idle kernel stays
        assert _kernels_of(proc.pid) == 1
        pages[0].close()
    finally:
        stop(proc)
        handle.close()


def test_widgets_show_themselves_before_any_cell_runs(
    browser: object, lab_url: str, request: pytest.FixtureRequest
) -> None:
    """Binder's first open: nothing has run, the notebook is not trusted; each widget still shows itself."""
    page = browser.new_page(viewport=PROJECTOR)  # type: ignore[attr-defined]
    try:
        page.goto(f"{lab_url}/lab/tree/notebooks/05-exercises.ipynb?reset", timeout=60_000)
        page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)
        quiz = page.locator(".convwidget-static").first
        quiz.wait_for(state="visible", timeout=30_000)
        assert "How many parameters does a Conv2D layer with 16 filters of 5×5" in quiz.inner_text()
        assert "GuessQuiz(Conv2D" not in page.locator(".jp-OutputArea-output").first.inner_text()
        page.goto(f"{lab_url}/lab/tree/{PLAYGROUND}?reset", timeout=60_000)
        page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)
        page.locator(".jp-OutputArea-output img").first.wait_for(state="visible", timeout=30_000)
    except Exception:
        _save_failure(page, request.node.name)
        raise
    finally:
        page.close()

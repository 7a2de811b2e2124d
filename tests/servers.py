"""Local servers and headless Chromium for the browser tests and the documentation screenshots.

Used by ``tests/test_browser.py`` and ``scripts/make_screenshots.py``: Jupyter and Voilà are started
on 127.0.0.1 only, waited for over HTTP and stopped by the PID that started them.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "free_port", "stop", "wait_http"]

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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait until ``url`` answers; fail at once if the server ``proc`` exits first."""
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


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server this process started: SIGTERM, then SIGKILL after 20 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

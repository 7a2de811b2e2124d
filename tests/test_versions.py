"""Front end and back end of the widgets must match, in this environment and in binder/."""

from __future__ import annotations

import re
from importlib.metadata import requires, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

import convwidget

ROOT = Path(__file__).resolve().parent.parent
FRONT_ENDS = ("jupyterlab_widgets", "widgetsnbextension")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _front_end_requirements() -> dict[str, Requirement]:
    reqs = [Requirement(r) for r in requires("ipywidgets") or []]
    return {_normal(r.name): r for r in reqs if _normal(r.name) in {_normal(f) for f in FRONT_ENDS}}


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_installed_front_end_matches_ipywidgets(front_end: str) -> None:
    req = _front_end_requirements()[_normal(front_end)]
    installed = version(front_end)
    assert req.specifier.contains(installed), (
        f"ipywidgets {version('ipywidgets')} needs {req}, but {front_end} {installed} is installed: "
        "widgets would show 'Error displaying widget'"
    )


def _binder_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"binder pins exact versions: {line}"
            pins[_normal(req.name)] = spec.version
    return pins


def test_binder_pins_the_widget_stack() -> None:
    pins = _binder_pins()
    for name in ("jupyterlab", "ipywidgets", "jupyterlab_widgets", "widgetsnbextension", "matplotlib"):
        assert _normal(name) in pins, name


def test_binder_front_end_matches_its_ipywidgets() -> None:
    """ipywidgets 8.1.x needs jupyterlab_widgets 3.0.x and widgetsnbextension 4.0.x of the same release."""
    pins = _binder_pins()
    ipywidgets = Version(pins["ipywidgets"])
    assert ipywidgets.major == 8
    assert Version(pins["jupyterlab-widgets"]).release[:2] == (3, 0)
    assert Version(pins["widgetsnbextension"]).release[:2] == (4, 0)
    if Version(version("ipywidgets")) == ipywidgets:
        # The pinned ipywidgets is the installed one: its own metadata says what it needs.
        for name, req in _front_end_requirements().items():
            assert req.specifier.contains(pins[name]), (name, str(req), pins[name])


def test_version_in_one_place() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in text
    assert "convwidget.__version__" in text
    assert f"## {convwidget.__version__}" in (ROOT / "CHANGELOG.md").read_text()

"""Fresh virtual environments: the steps Binder performs, and the built wheel.

Each test builds a new venv, installs only what a user of that route gets,
and executes notebooks there. They download packages from the registry, so
they are marked ``fresh_env``; CI runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.fresh_env


def _venv(path: Path) -> tuple[Path, dict[str, str]]:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    python = path / "bin" / "python"
    env = dict(os.environ)
    env["PATH"] = f"{path / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return python, env


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def _execute_copies(python: Path, env: dict[str, str], notebooks: list[Path], workdir: Path) -> None:
    copies = []
    for nb in notebooks:
        dest = workdir / nb.relative_to(ROOT)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(nb, dest)
        copies.append(str(dest))
    _run([str(python), str(ROOT / "scripts" / "execute_notebooks.py"), *copies], workdir, env)


def test_binder_steps_run_the_notebooks(tmp_path: Path) -> None:
    """Do what repo2docker does with binder/: pip install -r requirements.txt, then postBuild."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "build", "dist"))
    python, env = _venv(tmp_path / "env")
    _run([str(python), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], repo, env)
    _run(["bash", "binder/postBuild"], repo, env)
    # The lessons and their solutions: notebooks/grading/ holds course maintainers' grader examples, which
    # need the graders from the test extra (tests/test_grading_*.py run them), not Binder's environment.
    grading = ROOT / "notebooks" / "grading"
    notebooks = sorted(nb for nb in (ROOT / "notebooks").rglob("*.ipynb") if grading not in nb.parents)
    _execute_copies(python, env, notebooks, tmp_path / "run")


def test_built_wheel_runs_the_walkthrough(tmp_path: Path) -> None:
    """Build sdist and wheel, install the wheel alone in a fresh venv, run notebook 01 against it."""
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], ROOT, dict(os.environ))
    wheels = list(dist.glob("convwidget-*.whl"))
    assert len(wheels) == 1 and list(dist.glob("convwidget-*.tar.gz"))
    python, env = _venv(tmp_path / "env")
    _run([str(python), "-m", "pip", "install", "-q", str(wheels[0]), "nbclient", "ipykernel"], tmp_path, env)
    check = (
        "import convwidget, convwidget.testing as t; from convwidget import mnist; "
        "assert t.sanitize_file().is_file(); assert mnist.load_digits() is not None; "
        "assert 'Total params: 1,181,161' in convwidget.seed_summary(); "
        "assert 'site-packages' in convwidget.__file__"
    )
    _run([str(python), "-c", check], tmp_path, env)
    _execute_copies(python, env, [ROOT / "notebooks" / "01-mnist-walkthrough.ipynb"], tmp_path / "run")

"""The app boundaries of `.importlinter` fail the build on a violation, and no app reaches another by name.

The first test copies the source tree (Python files only) with the real `.importlinter`, plants one import past
another app's `api.py`, and runs `lint-imports` on the copy: it must report that import and fail.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_sources(target: Path) -> None:
    for package in ("jineng", "config"):
        shutil.copytree(
            ROOT / package,
            target / package,
            ignore=lambda folder, names: [
                n for n in names if not (n.endswith(".py") or (Path(folder) / n).is_dir()) or n == "__pycache__"
            ],
        )
    shutil.copy(ROOT / ".importlinter", target / ".importlinter")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(  # noqa: S603 - our own venv's lint-imports on a temporary copy
        [str(LINT_IMPORTS), "--config", ".importlinter", "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_import_past_another_apps_api_fails_the_contract(tmp_path):
    _copy_sources(tmp_path)
    (tmp_path / "jineng" / "indicators" / "planted.py").write_text(
        "from jineng.training import api  # allowed: the app's api\n"
        "from jineng.training.models import Enrollment  # forbidden: past the api\n",
        encoding="utf-8",
    )

    result = _lint_imports(tmp_path)

    report = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0, report
    assert "Another app is reached only through its api.py and data.py BROKEN" in report
    assert "jineng.indicators.planted is not allowed to import jineng.training.models (l.2)" in report
    assert "import jineng.training.api" not in report


def test_the_same_tree_without_the_planted_import_keeps_every_contract(tmp_path):
    _copy_sources(tmp_path)

    result = _lint_imports(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


def _app_of(path: Path) -> str:
    return path.relative_to(ROOT / "jineng").parts[0]


def _cross_app_lookups(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "is_installed":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} apps.is_installed (every app is installed)")
        if node.func.attr == "get_model" and node.args and isinstance(node.args[0], ast.Constant):
            label = str(node.args[0].value).split(".")[0]
            if label in {p.name for p in (ROOT / "jineng").iterdir() if p.is_dir()} and label != _app_of(path):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} apps.get_model({label!r}, …)")
    return found


def test_no_app_looks_up_another_apps_models_by_name():
    """`apps.get_model("other_app", …)` hides an import from the contracts; reach the other app's api.py instead
    (migrations, which must use historical models, and tests are exempt)."""
    found = []
    for path in sorted((ROOT / "jineng").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        found += _cross_app_lookups(path)
    assert not found, "\n".join(found)

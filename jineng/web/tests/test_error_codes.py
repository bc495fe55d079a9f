"""Each app's error codes are listed in its ``errors.py`` (``Code``), so a newcomer — or a client — finds every code an
app answers with in one place: every literal code the app's modules raise must be a member (or one of the kernel's)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every app with an errors.py: a new app's codes are checked without being listed here.
APPS = tuple(sorted(p.parent.name for p in (ROOT / "jineng").glob("*/errors.py")))
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Where a builder takes the code positionally: name → index (subsidies' invalid(field, code, message)).
POSITIONAL = {"FieldError": 1, "_refuse": 2, "_refused": 2, "ExaminerRefused": 1}


def _codes_raised(app: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                found |= {k.value.value for k in node.keywords
                          if k.arg == "code" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}  # fmt: skip
                index = (1 if app == "subsidies" else 2) if name == "invalid" else POSITIONAL.get(name)
                if index is not None and len(node.args) > index:
                    arg = node.args[index]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
            elif isinstance(node, ast.FunctionDef):
                params = node.args.args[len(node.args.args) - len(node.args.defaults) :]
                found |= {d.value for a, d in zip(params, node.args.defaults, strict=True)
                          if a.arg == "code" and isinstance(d, ast.Constant) and isinstance(d.value, str)}  # fmt: skip
    return {c for c in found if CODE.match(c)}


@pytest.mark.parametrize("app", APPS)
def test_every_code_an_app_raises_is_in_its_errors_module(app):
    listed = {str(c) for c in importlib.import_module(f"jineng.{app}.errors").Code}
    kernel = {str(c) for c in importlib.import_module("jineng.common.errors").Code}
    assert _codes_raised(app) - listed - kernel == set()


def test_the_kernels_codes_are_listed_too():
    listed = {str(c) for c in importlib.import_module("jineng.common.errors").Code}
    assert _codes_raised("common") - listed == set()

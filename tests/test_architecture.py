"""The architecture contract (``[tool.importlinter]`` in pyproject.toml) holds, and it
would catch the two ways of breaking it: an import up the layers, a private name taken
from another app. Each check runs ``lint-imports`` on a copy of the code."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def copy_of_code(tmp_path):
    """The root packages' Python files, the contract types and pyproject.toml."""
    for name in [*PACKAGES, "tools"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_code_keeps_the_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_up_the_layers_breaks_the_contract(copy_of_code):
    add_line(copy_of_code / "portal" / "pagination.py", "from home.models import ArticlePage  # noqa")
    result = lint_imports(copy_of_code)
    assert result.returncode != 0
    assert "portal.pagination -> home.models" in result.stdout


def test_a_feature_app_importing_a_sibling_breaks_the_contract(copy_of_code):
    add_line(copy_of_code / "guides" / "queries.py", "from faq.models import FAQ  # noqa")
    result = lint_imports(copy_of_code)
    assert result.returncode != 0
    assert "guides.queries -> faq.models" in result.stdout


def test_a_private_name_from_another_app_breaks_the_contract(copy_of_code):
    add_line(copy_of_code / "faq" / "queries.py", "from guides.queries import _TaxonomyFilters  # noqa")
    result = lint_imports(copy_of_code)
    assert result.returncode != 0
    assert "faq.queries (line" in result.stdout and "guides.queries._TaxonomyFilters" in result.stdout

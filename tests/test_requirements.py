"""The requirement files a deployment installs from: every third-party package the deployed code
imports is pinned exactly in requirements.txt (demo and test packages only in requirements-dev.txt),
and the hashed lock files agree with the pins."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
LOCAL = {path.name for path in ROOT.iterdir() if path.is_dir()} | {"manage"}
DEMO_ONLY = {"python-docx"}  # reportlab is deployed: the 依申请公开 告知书 (inforequests/notice.py)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(filename: str) -> dict[str, str]:
    result = {}
    for line in (ROOT / filename).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-r ", "-c ")):
            continue
        match = PIN.match(line)
        assert match, f"{filename}: not an exact pin: {line!r}"
        result[normalise(match.group(1))] = match.group(2)
    return result


def locked(filename: str) -> dict[str, str]:
    text = (ROOT / filename).read_text(encoding="utf-8")
    entries = {}
    for block in re.split(r"\n(?=\S)", text):
        match = LOCKED.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{filename}: {match.group(1)} has no hash"
            entries[normalise(match.group(1))] = match.group(2)
    return entries


def third_party_imports(paths) -> dict[str, set[str]]:
    """Distribution name -> the files importing it, for every import that is neither the standard
    library nor one of the project's own packages."""
    distributions = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in LOCAL or top == "__future__":
                    continue
                for distribution in distributions.get(top, [top]):
                    found.setdefault(normalise(distribution), set()).add(str(path.relative_to(ROOT)))
    return found


def project_files(*, deployed: bool):
    """The deployed code, or the rest: tests, scripts, development tools and demo packages."""
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0].startswith("."):
            continue
        development = relative.parts[0] in {"tests", "scripts", "tools"} or "demo" in relative.parts[:-1]
        if development != deployed:
            yield path


def test_every_package_the_deployed_code_imports_is_pinned_in_requirements_txt():
    deployed = pins("requirements.txt")
    missing = {name: sorted(files)[:3] for name, files in third_party_imports(project_files(deployed=True)).items()}
    missing = {name: files for name, files in missing.items() if name not in deployed}
    assert missing == {}
    for name in ["modelsearch", "openpyxl", "pillow", "django-modelcluster", "django-taggit", "django-filter"]:
        assert name in deployed


def test_demo_and_test_packages_are_pinned_in_requirements_dev_txt_only():
    deployed, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert set(dev) >= DEMO_ONLY and not DEMO_ONLY & set(deployed)
    imported = third_party_imports(project_files(deployed=False))
    assert {name for name in imported if name not in deployed and name not in dev} == set()
    assert {"import-linter", "factory-boy", "wagtail-factories"} <= set(dev)


def test_the_lock_files_hold_the_pinned_versions_with_hashes():
    deployed, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    lock, dev_lock = locked("requirements.lock"), locked("requirements-dev.lock")
    assert {name: lock.get(name) for name in deployed} == deployed
    assert {name: dev_lock.get(name) for name in dev} == dev
    # The development set runs exactly the production versions of what they share.
    assert {name: dev_lock[name] for name in lock} == lock
    assert not DEMO_ONLY & set(lock)

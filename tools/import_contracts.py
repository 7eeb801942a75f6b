"""An import-linter contract type: no app imports another app's private names.

A name that starts with one underscore (``_facet``, ``_models``) is private to its module:
another app that needs it should get a public helper (in ``portal`` when several apps share
it). The layers contract in ``pyproject.toml`` says which app may import which; this one
says *what* they may import. Imports within one app are not checked.

Configured in ``pyproject.toml``::

    [tool.importlinter]
    contract_types = ["private_names: tools.import_contracts.PrivateNamesContract"]

    [[tool.importlinter.contracts]]
    name = "..."
    type = "private_names"
"""

from __future__ import annotations

import ast
from pathlib import Path

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, output

ROOT = Path(__file__).resolve().parent.parent


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def module_file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def private_imports(importer: str, imported: str, line_numbers: set[int]) -> list[tuple[int, str]]:
    """(line, what) for each private name ``importer`` takes from ``imported`` on those lines."""
    if any(is_private(part) for part in imported.split(".")):
        return [(line, imported) for line in sorted(line_numbers)]
    path = module_file(importer)
    if path is None:
        return []
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.lineno in line_numbers and node.module == imported:
            found += [(node.lineno, f"{imported}.{alias.name}") for alias in node.names if is_private(alias.name)]
    return found


class PrivateNamesContract(Contract):
    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        violations = []
        for importer in sorted(graph.modules):
            app = importer.split(".")[0]
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if imported.split(".")[0] == app:
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = {detail["line_number"] for detail in details}
                for line, what in private_imports(importer, imported, lines):
                    violations.append({"importer": importer, "line": line, "name": what})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(
                f"{violation['importer']} (line {violation['line']}) imports the private name {violation['name']}"
            )
        output.new_line()

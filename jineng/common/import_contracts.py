"""An import-linter contract type: apps reach each other only through their public modules.

Used by `.importlinter` (``contract_types``) and run by ``lint-imports`` / ``make imports``. It is a
build tool, never imported by the running site.

The built-in ``protected`` and ``forbidden`` contracts cannot say "every module of the app *except*
``api`` and ``data``", so this contract does: for each isolated app, a direct import of one of its
modules from outside the app is broken unless the imported module is one of the app's public modules
(``api``, ``data`` and anything under them) or listed in ``shared_modules``. Importers matching
``exempt_importers`` (tests, migrations, the composition root) may import anything. Imports between
modules of the same app are never checked.

Options:
    isolated_apps:     the app packages (``jineng.training``).
    public_modules:    module names every app exposes (``api``, ``data``).
    shared_modules:    further modules anyone may import (refdata's kernel pieces, say); as packages.
    exempt_importers:  module expressions (wildcards allowed) whose imports are not checked; as packages.
"""

from __future__ import annotations

from typing import Any, cast

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.helpers import module_expressions_to_modules


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class IsolatedAppsContract(Contract):
    """Another app is reached only through ``<app>.api`` / ``<app>.data`` (plus listed shared modules)."""

    type_name = "isolated_apps"

    isolated_apps = fields.ListField(subfield=fields.StringField())
    public_modules = fields.ListField(subfield=fields.StringField())
    shared_modules = fields.ListField(subfield=fields.StringField(), required=False)
    exempt_importers = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)
    broken_contract_guidance = fields.TextField(required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        apps = cast(list[str], self.isolated_apps)
        public = cast(list[str], self.public_modules)
        shared = cast(list[str], self.shared_modules or [])
        exempt_roots = {
            module.name for module in module_expressions_to_modules(graph, cast(Any, self.exempt_importers or []))
        }

        missing = [app for app in apps if app not in graph.modules]
        if missing:
            # A misspelt app would silently guard nothing.
            raise ValueError(f"isolated_apps names modules that do not exist: {', '.join(missing)}")

        def app_of(module: str) -> str | None:
            return next((app for app in apps if _within(module, app)), None)

        def exempt(module: str) -> bool:
            return any(_within(module, root) for root in exempt_roots)

        def allowed(imported: str, app: str) -> bool:
            if any(_within(imported, f"{app}.{name}") for name in public):
                return True
            return any(_within(imported, module) for module in shared)

        violations: list[dict[str, Any]] = []
        for app in apps:
            for imported in sorted(m for m in graph.modules if _within(m, app)):
                if imported == app or allowed(imported, app):
                    continue
                for importer in sorted(graph.find_modules_that_directly_import(imported)):
                    if _within(importer, app) or exempt(importer):
                        continue
                    if app_of(importer) is None:
                        # Outside every isolated app (the shared kernel): the layers contract governs it.
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    violations.append(
                        {
                            "importer": importer,
                            "imported": imported,
                            "line_numbers": tuple(sorted({d["line_number"] for d in details})),
                        }
                    )
        output.verbose_print(verbose, f"{len(violations)} import(s) past another app's public modules.")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            lines = ", ".join(f"l.{n}" for n in violation["line_numbers"]) or "?"
            output.print_error(
                f"{violation['importer']} is not allowed to import {violation['imported']} ({lines})",
                bold=False,
            )
        output.new_line()
        guidance = self.broken_contract_guidance
        if guidance:
            output.print(str(guidance))

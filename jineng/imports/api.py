"""What other apps may use of the import framework: declare columns, write an importer, register it.

    from jineng.imports.api import Column, Importer, Outcome, register_importer

    class RosterImporter(Importer):
        kind = "roster"; label = "花名册"; permission = "training.edit"
        columns = (Column("id_number", "身份证号码", ("身份证号", "公民身份号码"), required=True, sensitive="id_number"), …)
        def process(self, rows, ctx): …  # validate; write when ctx.write

    register_importer(RosterImporter())   # in AppConfig.ready()

The command line (``jineng import roster FILE``), the upload page and ``POST /api/v1/imports/`` then know the kind.
``XlsxWriter`` writes exports with formula-injection escaping.
"""

from jineng.imports.bulk import bulk_insert, insert_rows
from jineng.imports.columns import CellRule, Column, clean_text, parse_date, parse_int, split_list
from jineng.imports.framework import (
    Context,
    Importer,
    Issue,
    Outcome,
    Row,
    RunResult,
    acting_user,
    importer_for,
    importers,
    mask_value,
    register_importer,
)
from jineng.imports.readers import FileRefused, FormulaText
from jineng.imports.report import XlsxWriter, escape_cell


def import_sources_purge(**kwargs: object) -> dict[str, object]:
    """Delete import sources past their region's retention period (see ``services.import_sources_purge``)."""
    from jineng.imports.services import import_sources_purge as purge

    return purge(**kwargs)  # type: ignore[arg-type]


__all__ = [
    "CellRule",
    "Column",
    "Context",
    "FileRefused",
    "FormulaText",
    "Importer",
    "Issue",
    "Outcome",
    "Row",
    "RunResult",
    "XlsxWriter",
    "acting_user",
    "bulk_insert",
    "clean_text",
    "escape_cell",
    "import_sources_purge",
    "importer_for",
    "importers",
    "insert_rows",
    "mask_value",
    "parse_date",
    "parse_int",
    "register_importer",
    "split_list",
]

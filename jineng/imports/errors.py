"""The error codes of the import framework (the typed errors themselves: ``jineng.common.errors``)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every error code the import framework answers with: stable, matched on by clients; the message says it in Chinese."""

    BAD_CHOICE = "bad_choice"
    IMPORT_SOURCE_PURGED = "import_source_purged"
    REQUIRED = "required"
    UNKNOWN_IMPORT_KIND = "unknown_import_kind"

"""Spreadsheet import kinds of the registry (``importers``: the ``persons`` kind)."""

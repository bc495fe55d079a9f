"""Helpers every app's pages share: the list page (``lists.page``) and domain errors on a form (``forms``)."""

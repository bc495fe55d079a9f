"""The ``jineng`` command: Django's manage command with Jineng's settings (``jineng migrate``, ``jineng runserver``)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"jineng: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()

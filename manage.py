#!/usr/bin/env python
"""Django's command-line utility, on local settings unless DJANGO_SETTINGS_MODULE says otherwise."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    from config.env import EnvironmentConfigError

    try:
        execute_from_command_line(sys.argv)
    except EnvironmentConfigError as error:
        # One line naming the variable beats a traceback through Django's settings loader.
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()

"""`python manage.py patterns_doc [--check]`: write docs/patterns.md from the registry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from querylab.patterns_doc import output_path, render


class Command(BaseCommand):
    help = "Write docs/patterns.md from the case registry, the selectors and docs/cases/*.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if docs/patterns.md is not what the code generates.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = output_path()
        content = render()
        if options["check"]:
            if not path.exists() or path.read_text() != content:
                raise CommandError(f"{path.name} is out of date: run `make docs`.")
            self.stdout.write(f"{path.name} is up to date.")
            return
        path.write_text(content)
        self.stdout.write(f"Wrote {path}.")

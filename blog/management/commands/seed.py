"""`python manage.py seed`: deterministic demo data, sized from the command line."""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from blog.demo_data import (
    SeedSizes,
    ensure_demo_login,
    flush_demo_data,
    has_demo_data,
    seed_demo_data,
)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # noqa: S105 - local settings only, printed on purpose
# Below this many rows the seed finishes in a blink and a progress bar is noise.
PROGRESS_BAR_MIN_ROWS = 20_000


def non_negative_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative")
    return number


class Command(BaseCommand):
    help = "Fill the database with deterministic demo users, posts, comments, tags and categories."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = SeedSizes()
        sizes = parser.add_argument_group("sizes")
        sizes.add_argument("--users", type=non_negative_int, default=defaults.users)
        sizes.add_argument(
            "--posts-per-user", type=non_negative_int, default=defaults.posts_per_user
        )
        sizes.add_argument(
            "--comments-per-post", type=non_negative_int, default=defaults.comments_per_post
        )
        sizes.add_argument("--tags", type=non_negative_int, default=defaults.tags)
        sizes.add_argument("--tags-per-post", type=non_negative_int, default=defaults.tags_per_post)
        sizes.add_argument("--categories", type=non_negative_int, default=defaults.categories)
        parser.add_argument(
            "--random-seed",
            type=int,
            default=42,
            help="The same seed and sizes always give the same data (default: 42).",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--flush",
            action="store_true",
            help="Delete the blog data and non-staff users first (staff accounts are kept).",
        )
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if demo data already exists (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sizes = SeedSizes(
                users=options["users"],
                posts_per_user=options["posts_per_user"],
                comments_per_post=options["comments_per_post"],
                tags=options["tags"],
                tags_per_post=options["tags_per_post"],
                categories=options["categories"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None

        if options["flush"]:
            flush_demo_data()
            self.stdout.write("Flushed the blog data and non-staff users.")
        elif has_demo_data():
            if not options["if_empty"]:
                raise CommandError(
                    "The database already has demo data: pass --flush to replace it."
                )
            self.stdout.write("The database already has demo data; nothing seeded.")
            self._demo_login()
            return

        started = time.perf_counter()
        with tqdm(
            total=sizes.rows,
            unit="rows",
            desc="Seeding",
            disable=True if sizes.rows < PROGRESS_BAR_MIN_ROWS else None,
        ) as bar:
            result = seed_demo_data(sizes, random_seed=options["random_seed"], progress=bar.update)
        elapsed = time.perf_counter() - started

        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.users} users, {result.posts} posts "
                f"({result.published_posts} published), {result.comments} comments, "
                f"{result.tags} tags and {result.categories} categories in {elapsed:.1f} s."
            )
        )
        self._demo_login()

    def _demo_login(self) -> None:
        if not settings.DEMO_LOGIN_ENABLED:
            return
        ensure_demo_login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
        self.stdout.write(
            f"Demo login (local settings only): username {DEMO_USERNAME!r}, "
            f"password {DEMO_PASSWORD!r}."
        )

"""One export's peak memory, in this process alone: run by `bench`, one process per variant."""

from __future__ import annotations

import json
import math
import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F

from blog.demo_data import SeedSizes, seed_demo_data
from blog.models import Post
from querylab.bench.database import throwaway_database
from querylab.bench.run import production_like
from querylab.bench.wsgi import WsgiClient
from querylab.measure import peak_memory

URLS = {"list": "/api/v1/naive/post-export/ndjson/", "streaming": "/api/v1/posts/export.ndjson"}
POSTS_PER_USER = 100


class Command(BaseCommand):
    help = "Measure the peak memory of one post export (used by `bench`; prints one JSON line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--variant", choices=sorted(URLS), required=True)
        parser.add_argument("--rows", type=int, default=100_000)

    def handle(self, *args: Any, variant: str, rows: int, **options: Any) -> None:
        with throwaway_database(label=f"bench_memory_{os.getpid()}"), production_like():
            users = max(1, math.ceil(rows / POSTS_PER_USER))
            sizes = SeedSizes(
                users=users,
                posts_per_user=min(rows, POSTS_PER_USER),
                comments_per_post=0,
                tags=1,
                tags_per_post=0,
                categories=3,
            )
            seed_demo_data(sizes, random_seed=1)
            Post.objects.update(status=Post.Status.PUBLISHED, published_at=F("created_at"))
            client = WsgiClient()
            client.get(URLS[variant], keep_body=False)  # warm up: imports allocate too
            statuses: list[int] = []
            started = time.perf_counter()
            peak = peak_memory(
                lambda: statuses.append(client.get(URLS[variant], keep_body=False)[0])
            )
            seconds = time.perf_counter() - started
            result = {
                "variant": variant,
                "rows": Post.objects.count(),
                "status": statuses[0],
                "peak_bytes": peak,
                "seconds": round(seconds, 3),
            }
        self.stdout.write(json.dumps(result))

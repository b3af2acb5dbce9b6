"""The load test's clients. `scripts/loadtest.py` runs one class at a time:

- `Reader`: requests LOADTEST_PATH as fast as it is answered.
- `Writer`: each user its own account (a token from LOADTEST_TOKENS), all writing to one post
  (LOADTEST_SLUG) at once: a comment, then a view, as fast as they are answered. The hottest row
  there is, so a lost update would show: loadtest.py then checks that the database holds one
  comment and one view for every request that succeeded.

Any response outside 2xx counts as a failure, with its status as the reason.
"""

from __future__ import annotations

import itertools
import os

from locust import FastHttpUser, constant, task
from locust.contrib.fasthttp import ResponseContextManager

PATH = os.environ.get("LOADTEST_PATH", "/api/v1/optimized/post-feed/?limit=20")
TOKENS = [token for token in os.environ.get("LOADTEST_TOKENS", "").split(",") if token]
SLUG = os.environ.get("LOADTEST_SLUG", "")
# As a TLS-terminating proxy would say: production settings redirect plain HTTP.
PROXY = {"X-Forwarded-Proto": "https"}
_next_account = itertools.count()


def _ok(response: ResponseContextManager) -> None:
    if not 200 <= response.status_code < 300:
        response.failure(f"HTTP {response.status_code}")  # type: ignore[no-untyped-call]  # locust


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self) -> None:
        with self.client.get(PATH, headers=PROXY, catch_response=True) as response:
            _ok(response)


class Writer(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        token = TOKENS[next(_next_account) % len(TOKENS)]
        self.headers = {**PROXY, "Authorization": f"Token {token}"}
        self.number = 0

    @task
    def comment_and_view(self) -> None:
        self.number += 1
        with self.client.post(
            f"/api/v1/posts/{SLUG}/comments/",
            json={"body": f"Load comment {self.number}"},
            headers=self.headers,
            name="comment",
            catch_response=True,
        ) as response:
            _ok(response)
        with self.client.post(
            f"/api/v1/posts/{SLUG}/view/", headers=self.headers, name="view", catch_response=True
        ) as response:
            _ok(response)

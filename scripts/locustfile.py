"""The load test's client: each simulated user requests one URL as fast as it is answered.

`scripts/loadtest.py` runs it once per variant with LOADTEST_PATH set. Any response outside 2xx
counts as a failure, with its status as the reason.
"""

from __future__ import annotations

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("LOADTEST_PATH", "/api/v1/optimized/feed/?limit=20")


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self) -> None:
        # As a TLS-terminating proxy would say: production settings may redirect plain HTTP.
        with self.client.get(
            PATH, headers={"X-Forwarded-Proto": "https"}, catch_response=True
        ) as response:
            if not 200 <= response.status_code < 300:
                response.failure(f"HTTP {response.status_code}")

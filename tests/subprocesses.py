"""Child processes for tests: this interpreter (start-up, pytest itself), and a free loopback
port for a server a test starts (gunicorn, PostgreSQL) or needs closed (a Redis that is down)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def free_port() -> int:
    """A loopback port nothing listens on, as the OS hands out."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_python(
    *args: str, cwd: Path, env: Mapping[str, str], timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """`python <args>` with text output captured; the exit code is the caller's to check."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )

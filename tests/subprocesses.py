"""Running this interpreter in a child process, for tests of start-up and of pytest itself."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


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

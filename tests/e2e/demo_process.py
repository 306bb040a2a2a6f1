"""`quartiere-bot demo` (or `make run` without a token) as a person starts it: a subprocess.

The address is read from standard output, as the person would read it; the log goes to a
file, so a long run never blocks on a full pipe.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.support.process import CLI, free_port

ADDRESS_LINE = re.compile(r"^Demo: open (?P<url>http://\S+/) in your browser$")


def demo_environment(**extra: str) -> dict[str, str]:
    """The environment of a machine with no bot configured, the demo on a free port."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "REDIS_", "ADMIN_", "DEMO_"))
    }
    env.update(DEMO_LISTEN=f"127.0.0.1:{free_port()}", LOG_LEVEL="INFO")
    env.update(extra)
    return env


class DemoProcess:
    """A running demo: its standard output line by line, its log, its address."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            start_new_session=True,  # its own process group: make and the demo stop together
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = ""
        self.ready_after = 0.0
        self.log = ""

    @classmethod
    def cli(cls, env: dict[str, str], cwd: Path) -> DemoProcess:
        return cls([*CLI, "demo"], env, cwd)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_address(self, within: float = 90) -> str:
        """The web chat's address, once printed; how long it took is kept in ready_after."""
        deadline = time.monotonic() + within
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no address within {within}s: {self.read_log()}") from None
            if line is None:
                raise AssertionError(f"the demo exited: {self.read_log()}")
            self.output.append(line)
            match = ADDRESS_LINE.match(line)
            if match:
                self.url = match["url"]
                self.ready_after = time.monotonic() - self.started
                return self.url

    def read_log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def get(self, path: str, timeout: float = 40) -> tuple[int, dict[str, str], bytes]:
        with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()

    def get_json(self, path: str) -> Any:
        return json.loads(self.get(path)[2])

    def post_json(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def stop(self, sig: signal.Signals = signal.SIGTERM, within: float = 30) -> int:
        """Signals the whole process group and waits; returns the exit code."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
        try:
            code = self.process.wait(timeout=within)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self._reader.join(timeout=5)
            assert self.process.stdout is not None
            self.process.stdout.close()
            self.log = self.read_log()
            self._log.close()
        return code

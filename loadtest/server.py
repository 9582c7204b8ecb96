"""Start gunicorn on the loopback for a test or the load run, and stop it."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Each access-log line: worker PID, method, path, status.
ACCESS_FORMAT = "%(p)s %(m)s %(U)s %(s)s"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """``with Gunicorn(env, workers=3) as server:`` serves on server.port."""

    def __init__(self, env, *, workers=3, access_log, threads=1, timeout=60):
        self.env = env
        self.workers = workers
        self.threads = threads
        self.timeout = timeout
        self.access_log = Path(access_log)
        self.port = free_port()
        self.process = None

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_FORMAT,
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "5",
        ]
        self.errors = open(self.access_log.with_suffix(".err"), "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=self.errors, stderr=self.errors
        )
        self._wait_until_every_worker_answers()
        return self

    def _wait_until_every_worker_answers(self, deadline=60):
        started = time.monotonic()
        while time.monotonic() - started < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.errors.name}")
            if len(self.booted_workers()) >= self.workers and self._answers():
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start in {deadline}s")

    def booted_workers(self):
        text = Path(self.errors.name).read_text(errors="replace")
        return [line for line in text.splitlines() if "Booting worker" in line]

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.errors.close()

    def access_lines(self):
        """(pid, method, path, status) per request, once gunicorn flushed them."""
        if not self.access_log.exists():
            return []
        rows = []
        for line in self.access_log.read_text().splitlines():
            parts = line.split()
            if len(parts) == 4:
                pid = int(parts[0].strip("<>"))
                rows.append((pid, parts[1], parts[2], int(parts[3])))
        return rows


def child_environment(**overrides):
    """This process's environment minus the test suite's conveniences."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update({key: str(value) for key, value in overrides.items()})
    return env

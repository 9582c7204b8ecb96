"""Throughput and p95 latency under gunicorn, the load from a second process.

The server runs the project's WSGI application with the bench settings on
the loopback interface only; the load client (``bench.loadclient``) is a
separate Python process. Both the Product List and a trivial view are
loaded the same way, so the ratio says what the page itself costs.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.test import Client

HOST = "127.0.0.1"


def _free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} in {timeout} s")


def _session_cookie(user):
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def run(catalogue, list_url, seconds, concurrency, workers):
    port = _free_port()
    base = f"http://{HOST}:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        _wait_until_up(f"{base}/bench/healthz")
        cookie = _session_cookie(catalogue.user)
        figures = {"workers": workers, "concurrency": concurrency}
        for key, path in (("trivial", "/bench/healthz"), ("product_list", list_url)):
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.loadclient",
                    "--url",
                    base + path,
                    "--cookie",
                    cookie,
                    "--seconds",
                    str(seconds),
                    "--concurrency",
                    str(concurrency),
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=seconds + 60,
            )
            figures[key] = json.loads(out.stdout)
        return figures
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

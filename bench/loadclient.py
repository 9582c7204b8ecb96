"""A small, bounded HTTP load client, run as a process of its own.

Locust would bring gevent and a web UI to do what a few threads with
keep-alive connections do here; on a two-core machine the lighter client
also leaves more of the CPU to the server under test. It only talks to the
loopback interface and stops after ``--seconds`` or ``--max-requests``.

    python -m bench.loadclient --url http://127.0.0.1:8765/products/ \
        --cookie sessionid=... --seconds 10 --concurrency 4

Prints one JSON object: requests, errors, seconds, rps, p50_ms, p95_ms.
"""

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit


def worker(url, cookie, deadline, budget, latencies, errors, lock):
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load client only targets the loopback interface")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            ok = False
        elapsed = time.perf_counter() - start
        with lock:
            if ok:
                latencies.append(elapsed)
            else:
                errors[0] += 1
    conn.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=100_000)
    args = parser.parse_args(argv)

    latencies, errors, budget = [], [0], [args.max_requests]
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + args.seconds
    threads = [
        threading.Thread(
            target=worker,
            args=(args.url, args.cookie, deadline, budget, latencies, errors, lock),
        )
        for _ in range(args.concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - start
    ordered = sorted(latencies)

    def pick(q):
        if not ordered:
            return None
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    print(
        json.dumps(
            {
                "requests": len(ordered),
                "errors": errors[0],
                "seconds": seconds,
                "rps": len(ordered) / seconds if seconds else None,
                "p50_ms": pick(0.50),
                "p95_ms": pick(0.95),
            }
        )
    )


if __name__ == "__main__":
    main()

"""``python -m loadtest``: a bounded load run on PostgreSQL with invariants.

1. Create a scratch database beside the one DATABASE_URL names
   (``<name>_loadtest``, dropped afterwards unless ``--keep``), migrate it and
   seed sellers, products, stock and a staff user.
2. Start gunicorn with several workers on the loopback (production settings,
   HTTP only), with Redis as the shared cache when it answers.
3. For ``--duration`` seconds: sellers archive, restore and delete and
   assemble or cancel in their Orders tab; buyers order from /search/; staff
   assemble, cancel and receive supplies in the admin; hide_out_of_stock runs
   from two "cron" threads meanwhile.
4. Stop everything, check every invariant in SQL, print a summary and write
   it as JSON (``--output``). The exit status is non-zero if any check fails.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    parser.add_argument("--duration", type=int, default=75, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--sellers", type=int, default=4)
    parser.add_argument("--products", type=int, default=45, help="per seller")
    parser.add_argument("--buyers", type=int, default=6)
    parser.add_argument("--hide-every", type=float, default=10.0, help="seconds")
    parser.add_argument("--output", default=str(BASE_DIR / "loadtest" / "results.json"))
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the scratch database and the server's logs afterwards",
    )
    return parser.parse_args(argv)


def database_url_for(settings_dict):
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return (
        f"postgres://{settings_dict['USER']}{password}@{host}:{port}/"
        f"{settings_dict['NAME']}"
    )


def redis_url():
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        return ""
    return url


def main(argv=None):
    args = parse_args(argv)
    if not (os.environ.get("DATABASE_URL") or "").startswith(("postgres", "pgsql")):
        print(
            "The load run needs PostgreSQL: set DATABASE_URL=postgres://... "
            "(a scratch database <name>_loadtest is created beside it).",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(BASE_DIR))
    django.setup()

    from django.conf import settings
    from django.db import connection

    from . import actors, dataset, invariants
    from .server import Gunicorn, child_environment

    original_name = connection.settings_dict["NAME"]
    scratch = dataset.create_scratch_database(f"{original_name}_loadtest")
    print(f"scratch database {scratch}: migrated")
    try:
        catalogue = dataset.seed(
            sellers=args.sellers, products_per_seller=args.products
        )
        print(
            f"seeded {len(catalogue.sellers)} sellers, "
            f"{len(catalogue.products)} products"
        )
        summary = run_load(
            args,
            catalogue,
            connection,
            settings,
            actors,
            invariants,
            Gunicorn,
            child_environment,
        )
    finally:
        connection.close()
        if not args.keep:
            dataset.drop_scratch_database(original_name)
    Path(args.output).write_text(json.dumps(summary, indent=2) + "\n")
    print_summary(summary, args.output)
    return 0 if summary["passed"] else 1


def run_load(
    args,
    catalogue,
    connection,
    settings,
    actors,
    invariants,
    Gunicorn,
    child_environment,
):
    work = Path(tempfile.mkdtemp(prefix="loadtest-"))
    cache = redis_url()
    env = child_environment(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        # Loopback HTTP: the HTTPS-only settings would refuse every request.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url_for(connection.settings_dict),
        STATIC_ROOT=str(work / "static"),
        LOG_LEVEL="WARNING",
        LOGIN_FAILURE_LIMIT="50",
        CACHE_KEY_PREFIX=f"loadtest-{secrets.token_hex(4)}",
        **({"REDIS_URL": cache} if cache else {}),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    stats = actors.Stats()
    supply_targets = [
        product
        for (product, warehouse) in catalogue.initial_present
        if warehouse == catalogue.marketplace_warehouse
    ]
    with Gunicorn(env, workers=args.workers, access_log=work / "access.log") as server:
        print(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{server.port}; "
            f"cache: {'Redis' if cache else 'none (database)'}"
        )
        started = time.monotonic()
        deadline = started + args.duration
        team = []
        for n, (username, _seller_id) in enumerate(catalogue.sellers):
            team.append(
                actors.Seller(
                    username,
                    dataset_password(),
                    f"seller-{n}",
                    server.port,
                    stats,
                    deadline,
                    seed=n,
                )
            )
        for n in range(args.buyers):
            team.append(
                actors.Buyer(f"buyer-{n}", server.port, stats, deadline, seed=100 + n)
            )
        team.append(
            actors.Staff(
                catalogue.staff_username,
                dataset_password(),
                f"/{settings.ADMIN_URL}",
                supply_targets,
                catalogue.marketplace_warehouse,
                "staff",
                server.port,
                stats,
                deadline,
                seed=999,
            )
        )
        for n in range(2):
            team.append(
                actors.Hider(
                    f"hider-{n}", env, stats, deadline, every=args.hide_every + n
                )
            )
        for member in team:
            member.start()
        for member in team:
            member.join(timeout=args.duration + 120)
        elapsed = time.monotonic() - started
        time.sleep(0.5)  # let gunicorn flush the last access-log lines
        access = server.access_lines()
    error_log = (work / "access.err").read_text(errors="replace")
    if args.keep:
        print(f"server logs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    checks = invariants.check_all(catalogue, stats, access, error_log)
    return {
        "command": "make loadtest",
        "database": "PostgreSQL",
        "machine": f"{platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
        "duration_s": round(elapsed, 1),
        "gunicorn_workers": args.workers,
        "cache": "redis" if cache else "none",
        "actors": {
            "sellers": len(catalogue.sellers),
            "buyers": args.buyers,
            "staff": 1,
            "hide_command_threads": 2,
        },
        "requests": stats.requests,
        "requests_per_s": round(stats.requests / elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "requests_by_action": dict(sorted(stats.by_action.items())),
        "refusals_4xx": dict(sorted(stats.refusals.items())),
        "server_errors": stats.server_errors[:20],
        "transport_errors": stats.transport_errors[:20],
        "done": dict(stats.done),
        "refused": dict(stats.refused),
        "orders_placed": len(stats.orders_placed),
        "sold_out_refusals": stats.sold_out,
        "supplies": stats.supply_count,
        "hide_runs": dict(stats.hide_runs),
        "hidden_by_command": stats.hidden,
        "invariants": checks,
        "passed": all(c["ok"] for c in checks) and not stats.transport_errors,
    }


def dataset_password():
    from .dataset import PASSWORD

    return PASSWORD


def print_summary(summary, output):
    print()
    print(
        f"load run: {summary['duration_s']} s, {summary['gunicorn_workers']} "
        f"gunicorn workers, cache {summary['cache']}"
    )
    print(
        f"requests: {summary['requests']} ({summary['requests_per_s']}/s), "
        f"statuses {summary['statuses']}"
    )
    print(f"4xx answers (expected refusals): {summary['refusals_4xx']}")
    print(f"products or orders refused with a reason: {summary['refused']}")
    print(
        f"errors: {len(summary['server_errors'])} 5xx, "
        f"{len(summary['transport_errors'])} transport/actor errors"
    )
    print(
        f"done: {summary['done']}; orders placed {summary['orders_placed']}, "
        f"sold-out refusals {summary['sold_out_refusals']}, supplies "
        f"{summary['supplies']}, hidden by the command {summary['hidden_by_command']} "
        f"in runs {summary['hide_runs']}"
    )
    print(f"invariants checked: {len(summary['invariants'])}")
    for check in summary["invariants"]:
        mark = "ok  " if check["ok"] else "FAIL"
        print(f"  {mark} {check['check']} ({check['detail']})")
    for error in summary["server_errors"] + summary["transport_errors"]:
        print(f"  error: {error}")
    print(f"{'PASSED' if summary['passed'] else 'FAILED'}; summary in {output}")


if __name__ == "__main__":
    sys.exit(main())

"""Run the benchmark: ``python -m bench [--quick] [--sizes 10000,100000]``.

It builds its own database (a temporary SQLite file, or on PostgreSQL, when
DATABASE_URL points there, a database named by BENCH_DB_NAME, "bench" by
default, dropped and created anew), grows the catalogue size by size, and
prints the figures with the targets they are held to. A full run writes
bench/results.json (one entry per database vendor); a quick one writes
bench/results-quick.json.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

FULL = {
    "sizes": [10_000, 100_000, 1_000_000],
    "repeats": 15,
    "action_repeats": 2,
    "orders": 1000,
    "load_seconds": 10,
    # Archive "all matching" over a thousandth and a tenth of the catalogue.
    "memory_words": ("grp000", "grp0"),
}
QUICK = {
    "sizes": [2_000, 20_000],
    "repeats": 3,
    "action_repeats": 1,
    "orders": 200,
    "load_seconds": 3,
    # A hundredth and a tenth: both past the 100 listed refusals.
    "memory_words": ("grp00", "grp0"),
}
HERE = Path(__file__).resolve().parent


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, < 1 min")
    parser.add_argument("--sizes", help="comma-separated catalogue sizes")
    parser.add_argument("--skip-load", action="store_true", help="no gunicorn run")
    parser.add_argument("--output", help="where to write the JSON figures")
    parser.add_argument("--keep", action="store_true", help="keep the bench db")
    return parser.parse_args(argv)


def prepare_database():
    """Point Django at a fresh bench database; return (url, cleanup)."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {"ENGINE": "sqlite3"}
    if "postgresql" in config["ENGINE"]:
        import psycopg

        name = os.environ.get("BENCH_DB_NAME", "bench")
        if name == config["NAME"]:
            raise SystemExit("BENCH_DB_NAME must differ from the project database")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        bench_url = url.rsplit("/", 1)[0] + "/" + name

        def cleanup():
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return bench_url, cleanup
    directory = tempfile.mkdtemp(prefix="dashboard-bench-")
    return f"sqlite:///{directory}/bench.sqlite3", lambda: shutil.rmtree(directory)


def machine(connection):
    import django

    memory = None
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
            memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    return {
        "nproc": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
        "platform": platform.platform(),
    }


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    mode = dict(QUICK if args.quick else FULL)
    if args.sizes:
        mode["sizes"] = sorted(int(s) for s in args.sizes.split(","))
    bench_url, cleanup = prepare_database()
    os.environ["BENCH_DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        results = run(args, mode)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            cleanup()
    output = Path(args.output) if args.output else None
    if output is None:
        output = HERE / ("results-quick.json" if args.quick else "results.json")
    store(output, results, merge=not args.quick and not args.output)
    from .report import render

    print(render(results))
    print(f"\nfigures written to {output}")
    failed = [t for t in results["targets"] if t["holds"] is False]
    return 1 if failed and os.environ.get("BENCH_STRICT") else 0


def store(path, results, merge):
    """Write the figures, keeping the other database's entry of a full run."""
    data = {}
    if merge and path.exists():
        try:
            data = json.loads(path.read_text())
        except ValueError:
            data = {}
    data[results["vendor"]] = results
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def run(args, mode):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from . import actions, project
    from .catalogue import Catalogue
    from .pages import PageBench, page_size, variants
    from .targets import check

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    connection.ensure_connection()
    command = "make bench-quick" if args.quick else "make bench"
    results = {
        "vendor": connection.vendor,
        "command": command,
        "mode": "quick" if args.quick else "full",
        "sizes": mode["sizes"],
        "machine": machine(connection),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "list_pages": {},
        "load_seconds": {},
    }
    catalogue = Catalogue()
    per_page = page_size()
    params = project.list_params()
    results["page_size"] = per_page
    pages = PageBench(catalogue, per_page, mode["repeats"])
    results["admin"] = (
        "project Product admin" if pages.admin_is_projects else "plain ModelAdmin"
    )
    for size in mode["sizes"]:
        t0 = time.perf_counter()
        catalogue.grow_to(size)
        results["load_seconds"][str(size)] = time.perf_counter() - t0
        log(f"{size:>9,} products loaded in {time.perf_counter() - t0:.1f} s")
        figures = {}
        for variant in variants(catalogue, size, per_page, params):
            figures[variant.key] = pages.measure(variant)
            log(f"  {variant.label}: {figures[variant.key]['server_ms']:.1f} ms")
        figures["page1_sql"] = pages.page_sql(
            variants(catalogue, size, per_page, params)[0]
        )
        results["list_pages"][str(size)] = figures

    largest = mode["sizes"][-1]
    selections = project.Selections(catalogue.seller, params)
    services = project.archive_services()
    if not args.skip_load:
        from . import load

        results["load"] = load.run(
            catalogue,
            pages.list_url,
            seconds=mode["load_seconds"],
            concurrency=4,
            workers=3,
        )
        log("  load test done")
    hide = project.hide_out_of_stock()
    if hide is not None:
        from django.conf import settings

        results["hide"] = actions.hide(
            catalogue,
            hide,
            settings.HIDE_OUT_OF_STOCK_AFTER_DAYS,
            repeats=mode["action_repeats"],
        )
        log("  hide_out_of_stock done")
    if services is not None:
        results["bulk"] = actions.bulk_actions(
            catalogue, services, selections, repeats=mode["action_repeats"]
        )
        log("  bulk actions done")
        results["memory"] = actions.memory(
            catalogue, services, selections, *mode["memory_words"]
        )
        log("  memory done")
    place_order = project.place_order()
    if place_order is not None:
        results["orders"] = actions.orders(catalogue, place_order, mode["orders"])
        log("  orders done")
    results["largest"] = largest
    results["total_seconds"] = time.perf_counter() - started
    results["targets"] = check(results)
    return results


def log(message):
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

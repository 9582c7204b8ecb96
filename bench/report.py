"""The figures as Markdown tables (printed, and pasted into the docs).

python -m bench.report [bench/results.json]   # every vendor in the file
"""

import json
import sys
from pathlib import Path


def _n(value, digits=1):
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _x(value):
    return "n/a" if value is None else f"{value:.2f}x"


def render(results):
    m = results["machine"]
    lines = [
        f"### {m['database']} ({results['mode']} run, {results['when']})",
        "",
        f"Machine: {m['nproc']} CPUs, {m['memory']}, Python {m['python']}, "
        f"Django {m['django']}, {m['platform']}. Command: `{results['command']}`. "
        f"Page size {results['page_size']}; baseline admin: {results['admin']}.",
        "",
        "| products | page | Product List ms | admin ms | list/admin | "
        "DB ms | raw SQL ms | DB/raw | queries | admin queries |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in results["sizes"]:
        figures = results["list_pages"][str(size)]
        for key in ("page1", "deep", "search", "stock"):
            f = figures[key]
            lines.append(
                f"| {size:,} | {f['label']} | {_n(f['server_ms'])} | "
                f"{_n(f['admin_ms'])} | {_x(f['vs_admin'])} | {_n(f['db_ms'], 2)} | "
                f"{_n(f['raw_ms'], 2)} | {_x(f['db_vs_raw'])} | {f['queries']} | "
                f"{f['admin_queries']} |"
            )
    largest = results["sizes"][-1]
    actions = []
    for key, f in (results.get("bulk") or {}).items():
        actions.append((key, f))
    if "hide" in results:
        actions.append(("hide_out_of_stock", results["hide"]))
    if "orders" in results:
        actions.append((f"{results['orders']['done']} orders", results["orders"]))
    if actions:
        lines += [
            "",
            f"Actions at {largest:,} products:",
            "",
            "| action | rows | service ms | raw ms | service/raw | queries |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for key, f in actions:
            lines.append(
                f"| {key} | {_n(f['done'])} | {_n(f['service_ms'])} | "
                f"{_n(f['raw_ms'])} | {_x(f['vs_raw'])} | {_n(f['queries'])} |"
            )
    if "orders" in results:
        o = results["orders"]
        lines += [
            "",
            f"Reservation throughput: {_n(o['orders_per_s'])} orders/s "
            f"({_n(o['queries_per_order'])} queries each) against "
            f"{_n(o['raw_per_s'])} raw conditional UPDATEs/s.",
        ]
    if "memory" in results:
        mem = results["memory"]
        lines += [
            "",
            f'Peak Python memory of archive "all matching": '
            f"{_n(mem['small']['matching'])} matching "
            f"{_n(mem['small']['peak_kib'])} KiB, "
            f"{_n(mem['large']['matching'])} matching "
            f"{_n(mem['large']['peak_kib'])} KiB ({_x(mem['ratio'])}).",
        ]
    if "load" in results:
        load = results["load"]
        t, p = load["trivial"], load["product_list"]
        lines += [
            "",
            f"Under gunicorn ({load['workers']} workers, {load['concurrency']} "
            f"client threads, {largest:,} products):",
            "",
            "| view | requests/s | p50 ms | p95 ms | errors |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| trivial view | {_n(t['rps'])} | {_n(t['p50_ms'])} | "
            f"{_n(t['p95_ms'])} | {t['errors']} |",
            f"| Product List | {_n(p['rps'])} | {_n(p['p50_ms'])} | "
            f"{_n(p['p95_ms'])} | {p['errors']} |",
        ]
    lines += ["", "| target | value | limit | holds |", "| --- | ---: | ---: | --- |"]
    for t in results["targets"]:
        holds = {True: "yes", False: "**no**", None: "n/a"}[t["holds"]]
        value = t["value"]
        shown = _n(value, 2) if not isinstance(value, int) else str(value)
        note = f" ({t['note']})" if t["note"] else ""
        limit = "-" if t["limit"] is None else t["limit"]
        lines.append(f"| {t['name']}{note} | {shown} | {limit} | {holds} |")
    lines.append("")
    lines.append(f"Whole run: {results['total_seconds']:.0f} s.")
    return "\n".join(lines)


def main(argv):
    path = Path(argv[0]) if argv else Path(__file__).with_name("results.json")
    data = json.loads(path.read_text())
    print("\n\n".join(render(results) for results in data.values()))


if __name__ == "__main__":
    main(sys.argv[1:])

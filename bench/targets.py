"""The targets of issue 6, checked against one run's figures."""

import re

LIST_KEYS = ("page1", "deep", "search", "stock")


def _target(name, value, limit, holds=None, note=""):
    if holds is None and value is not None:
        holds = value <= limit
    return {"name": name, "value": value, "limit": limit, "holds": holds, "note": note}


def unbounded_counts(statements, product_table="inventory_product"):
    """Statements that COUNT over the product table with no LIMIT inside."""
    found = []
    for statement in statements:
        sql = statement["sql"].upper()
        if "COUNT(" in sql and product_table.upper() in sql and "LIMIT" not in sql:
            found.append(statement["sql"])
    return found


def check(results):
    targets = []
    pages = results["list_pages"]
    sizes = [str(s) for s in results["sizes"]]
    smallest, largest = sizes[0], sizes[-1]
    postgres = results["vendor"] == "postgresql"

    for key in LIST_KEYS:
        counts = {size: pages[size][key]["queries"] for size in sizes}
        same = len(set(counts.values())) == 1
        targets.append(
            _target(
                f"queries per list page the same at every size ({key})",
                max(counts.values()),
                None,
                holds=same,
                note=", ".join(f"{s}: {c}" for s, c in counts.items()),
            )
        )
    first, last = pages[smallest]["page1"], pages[largest]["page1"]
    targets.append(
        _target(
            f"page 1 at {int(largest):,} / page 1 at {int(smallest):,}",
            last["server_ms"] / first["server_ms"],
            1.25,
        )
    )
    for size in sizes:
        figures = pages[size]
        targets.append(
            _target(
                f"deep page / page 1 at {int(size):,}",
                figures["deep"]["server_ms"] / figures["page1"]["server_ms"],
                1.5,
            )
        )
        for key in LIST_KEYS:
            limit = 0.5 if postgres and size == largest and int(size) >= 10**6 else 1.0
            targets.append(
                _target(
                    f"Product List / admin at {int(size):,} ({key})",
                    figures[key]["vs_admin"],
                    limit,
                )
            )
            targets.append(
                _target(
                    f"DB time / raw SQL at {int(size):,} ({key})",
                    figures[key]["db_vs_raw"],
                    1.5,
                )
            )
    counts = unbounded_counts(pages[largest]["page1_sql"])
    targets.append(
        _target(
            f"exact COUNT over the catalogue per page view at {int(largest):,}",
            len(counts),
            0,
            note="; ".join(re.sub(r"\s+", " ", c)[:120] for c in counts),
        )
    )
    for action, figures in (results.get("bulk") or {}).items():
        targets.append(_target(f"{action}: queries", figures["queries"], 5))
        targets.append(_target(f"{action}: time / raw", figures["vs_raw"], 2.0))
    if "hide" in results:
        targets.append(
            _target("hide_out_of_stock: time / raw", results["hide"]["vs_raw"], 2.0)
        )
    if "memory" in results:
        targets.append(
            _target(
                "peak memory, all matching: large / small",
                results["memory"]["ratio"],
                1.2,
            )
        )
    return targets

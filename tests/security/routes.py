"""How to exercise every route: the table the security matrices read.

Each entry says which requests (probes) reach a route and how they aim at a
seller's objects. A probe is written once against ``Targets`` and run three
ways: at seller A's own objects (the CSRF matrix's valid request), at seller
B's objects, and at IDs that do not exist (the tenancy matrix compares those
two answers).

A route that is not in this table fails ``test_every_route_is_mapped``: whoever
adds a route must say here how to attack it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile


def _nothing(targets):
    return {}


@dataclass(frozen=True)
class Probe:
    label: str
    method: str = "get"
    url_kwargs: Callable = _nothing
    # Query string; on a POST it stands for the filter a bulk action keeps.
    query: Callable = _nothing
    data: Callable = _nothing


@dataclass(frozen=True)
class Exercise:
    probes: tuple[Probe, ...]
    # Buyers' pages list every seller's approved products by design; there the
    # rule is that B's *unlisted* rows stay invisible (see conftest markers).
    public: bool = False
    note: str = ""


def tampered_filters(t):
    """Filter parameters naming the target seller's objects."""
    return {
        "seller": t.seller,
        "warehouse": t.warehouse,
        "product": t.product,
        "q": t.offer_id,
    }


def unlisted_search(t):
    """A buyer's search for a product that must not be listed (archived)."""
    return {"q": t.unlisted_offer_id, "seller": t.seller}


LIST_PAGE = (
    Probe("plain"),
    Probe("tampered filters", query=tampered_filters),
)


def ticked(operation, target, **extra):
    """A bulk form's POST with one ticked row (``target`` names a Targets ID)."""

    def data(t):
        ids = [getattr(t, target)]
        return {"operation": operation, "scope": "ids", "ids": ids, **extra}

    return data


def all_matching(operation, **extra):
    def data(t):
        return {"operation": operation, "scope": "all", **extra}

    return data


def stock_csv(t, quantity="7", *, own_warehouse=False):
    """An upload naming the target's product and warehouse (a fresh file)."""
    warehouse = t.mine_warehouse_name if own_warehouse else t.warehouse_name
    text = f"offer ID,warehouse,quantity\n{t.offer_id},{warehouse},{quantity}\n"
    return SimpleUploadedFile("stock.csv", text.encode(), content_type="text/csv")


def mixed(operation, target, mine, **extra):
    """Ticked rows of A's own next to the aimed-at one: A's act, the other
    answers as missing."""

    def data(t):
        ids = [getattr(t, mine), getattr(t, target)]
        return {"operation": operation, "scope": "ids", "ids": ids, **extra}

    return data


BUYER = {"quantity": "1", "buyer_name": "Probe", "buyer_email": "probe@example.com"}


def by_pk(target):
    return lambda t: {"pk": getattr(t, target)}


ROUTES = {
    "home": Exercise((Probe("plain"),), note="redirects to the Product List"),
    "login": Exercise((Probe("plain"),), note="signed-in users are sent on"),
    "logout": Exercise((Probe("sign out", method="post"),)),
    "inventory:product_list": Exercise(LIST_PAGE),
    "inventory:stock_edit": Exercise(
        (
            Probe("form", url_kwargs=by_pk("product")),
            Probe(
                "save",
                "post",
                url_kwargs=by_pk("product"),
                data=lambda t: {f"warehouse_{t.warehouse}": "7"},
            ),
            Probe(
                "save into own warehouse",
                "post",
                url_kwargs=by_pk("product"),
                data=lambda t: {f"warehouse_{t.mine_warehouse}": "7"},
            ),
            Probe(
                "save, archived",
                "post",
                url_kwargs=by_pk("archived"),
                data=lambda t: {f"warehouse_{t.warehouse}": "0"},
            ),
        )
    ),
    "inventory:stock_upload": Exercise(
        (
            Probe("form"),
            Probe("upload", "post", data=lambda t: {"file": stock_csv(t)}),
            Probe(
                "upload into own warehouse",
                "post",
                data=lambda t: {"file": stock_csv(t, own_warehouse=True)},
            ),
            Probe(
                "apply a forged preview",
                "post",
                data=lambda t: {"action": "apply", "token": str(t.product)},
            ),
        )
    ),
    "archive:library": Exercise(LIST_PAGE),
    "orders:order_list": Exercise(LIST_PAGE),
    "inventory:product_export": Exercise(LIST_PAGE),
    "orders:order_detail": Exercise((Probe("page", url_kwargs=by_pk("order")),)),
    "orders:operate": Exercise(
        (
            Probe("assemble ticked", "post", data=ticked("assemble", "order")),
            Probe(
                "assemble ticked, mixed with own",
                "post",
                data=mixed("assemble", "order", "mine_order"),
            ),
            Probe("cancel asks to confirm", "post", data=ticked("cancel", "order")),
            Probe(
                "cancel confirmed",
                "post",
                data=ticked("cancel", "order", confirmed="yes"),
            ),
            Probe(
                "assemble all matching, tampered filter",
                "post",
                query=tampered_filters,
                data=all_matching("assemble"),
            ),
            Probe(
                "cancel all matching confirmed, tampered filter",
                "post",
                query=tampered_filters,
                data=all_matching("cancel", confirmed="yes"),
            ),
        )
    ),
    "archive:export": Exercise(LIST_PAGE),
    "archive:operate_products": Exercise(
        (
            Probe("archive ticked", "post", data=ticked("archive", "empty")),
            Probe(
                "archive ticked, mixed with own",
                "post",
                data=mixed("archive", "empty", "mine_empty"),
            ),
            Probe(
                "archive all matching, tampered filter",
                "post",
                query=tampered_filters,
                data=all_matching("archive"),
            ),
            Probe(
                "archive all matching, forged seller in the body",
                "post",
                data=lambda t: {
                    "operation": "archive",
                    "scope": "all",
                    "seller": t.seller,
                    "ids": [t.empty],
                },
            ),
        )
    ),
    "archive:operate": Exercise(
        (
            Probe("restore ticked", "post", data=ticked("restore", "archived")),
            Probe(
                "restore ticked, approved",
                "post",
                data=ticked("restore", "archived_approved"),
            ),
            Probe("delete asks to confirm", "post", data=ticked("delete", "archived")),
            Probe(
                "delete confirmed",
                "post",
                data=ticked("delete", "archived", confirmed="yes"),
            ),
            Probe(
                "restore all matching, tampered filter",
                "post",
                query=tampered_filters,
                data=all_matching("restore"),
            ),
            Probe(
                "delete all matching confirmed, tampered filter",
                "post",
                query=tampered_filters,
                data=all_matching("delete", confirmed="yes"),
            ),
        )
    ),
    "search:search": Exercise(
        (Probe("plain"), Probe("unlisted offer", query=unlisted_search)), public=True
    ),
    "search:product": Exercise(
        (
            Probe("unlisted product", url_kwargs=by_pk("archived")),
            Probe(
                "buy an unlisted product",
                "post",
                url_kwargs=by_pk("archived"),
                data=lambda t: BUYER,
            ),
            Probe(
                "buy a product not yet approved",
                "post",
                url_kwargs=by_pk("empty"),
                data=lambda t: BUYER,
            ),
        ),
        public=True,
        note="B's listed product is public; its unlisted ones are not",
    ),
    "search:ordered": Exercise(
        (Probe("another buyer's order", url_kwargs=by_pk("order")),),
        public=True,
        note="only orders this browser placed are shown",
    ),
}


def probes_of(name):
    """The table's probes of a route, plus one of each method it lacks.

    Every route meets both a GET and a POST: a POST-only endpoint must refuse
    a GET aimed at B's object the way it refuses one aimed at nothing, and a
    page must not act on a stray POST.
    """
    probes = list(ROUTES[name].probes)
    aim = probes[0].url_kwargs
    methods = {probe.method for probe in probes}
    if "get" not in methods:
        probes.append(Probe("implicit", "get", url_kwargs=aim))
    if "post" not in methods:
        probes.append(Probe("implicit, empty body", "post", url_kwargs=aim))
    return probes


def post_probe(name):
    """The first POST probe of a route (the table's own before an implicit one)."""
    return next(probe for probe in probes_of(name) if probe.method == "post")


def probe_ids():
    """(route name, probe index) pairs with readable test IDs."""
    pairs = []
    for name in ROUTES:
        for index, probe in enumerate(probes_of(name)):
            pairs.append((name, index, f"{name}[{probe.method} {probe.label}]"))
    return pairs

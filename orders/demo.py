"""Demo data: two sellers whose products cover every state the dashboard shows.

``build_demo`` is what ``manage.py demo`` runs. It is deterministic (no random
numbers), so two builds give the same catalogue, and it goes through the
services wherever a state has one: the out-of-stock clock, the orders
(placing reserves, assembling consumes, cancelling releases) and the hiding
from search. Only the clock's start is then moved back for the aged products,
since a demo cannot wait 90 days.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from inventory.factories import (
    MarketplaceWarehouseFactory,
    ProductFactory,
    SellerFactory,
    SellerMemberFactory,
    SellerWarehouseFactory,
    StaffFactory,
    StockFactory,
    UserFactory,
)
from inventory.models import (
    ActivityEntry,
    Order,
    Product,
    Seller,
    SellerMember,
    Stock,
    Warehouse,
)
from inventory.services.activity import log_single
from inventory.services.visibility import hide_out_of_stock, sync_out_of_stock

from .services import assemble_orders, cancel_orders, place_order

logger = logging.getLogger(__name__)

DEMO_SELLER = "Demo Store"
RIVAL_SELLER = "Rival Goods"
MARKETPLACE_WAREHOUSE = "OZON Moscow"
# username, password, seller (None: marketplace staff)
LOGINS = [
    ("demo", "demo", DEMO_SELLER),
    ("rival", "rival", RIVAL_SELLER),
    ("admin", "admin", None),
]

ITEMS = [
    "Ceramic mug 350 ml",
    "Cast-iron skillet 26 cm",
    "Linen tea towel",
    "Bamboo cutting board",
    "Glass storage jar 1 l",
    "Wool throw blanket",
    "Steel water bottle 0.75 l",
    "Desk lamp with dimmer",
    "Cotton bath towel",
    "Scented soy candle",
    "Wooden spice rack",
    "Porcelain dinner plate",
    "Silicone baking mat",
    "French press 1 l",
    "Memory-foam pillow",
    "Stainless whisk",
    "Picture frame A4",
    "Knitted cushion cover",
    "Enamel saucepan 2 l",
    "Rattan storage basket",
    "Chef's knife 20 cm",
    "Ceramic flower pot",
    "Wall clock 30 cm",
    "Oven mitts, pair",
    "Shower curtain",
]
COLOURS = ["white", "graphite", "sage", "terracotta", "navy", "sand", "rose", "ochre"]
BUYERS = [
    "Anna Petrova",
    "Ivan Sokolov",
    "Maria Kuznetsova",
    "Dmitry Orlov",
    "Elena Volkova",
    "Pavel Morozov",
    "Olga Lebedeva",
    "Sergey Novikov",
]


@dataclass
class Group:
    """Products in one state: how many, their moderation and their stock.

    ``stock`` maps a warehouse key ("fbo", "fbs1", "fbs2") to a function of
    the product's index within the group giving its units present.
    """

    key: str
    count: int
    moderation: str = Product.Moderation.APPROVED
    stock: dict = field(default_factory=dict)
    archived: bool = False
    # Days out of stock, for products whose clock the demo moves back.
    out_of_stock_days: int | None = None


APPROVED = Product.Moderation.APPROVED
PENDING = Product.Moderation.PENDING
FAILED = Product.Moderation.FAILED


def _zero(i):
    return 0


def _demo_groups():
    return [
        Group("fbo", 39, stock={"fbo": lambda i: 5 + (i * 7) % 60}),
        Group(
            "fbs",
            30,
            stock={
                "fbs1": lambda i: 3 + (i * 5) % 40 if i % 2 == 0 else 0,
                "fbs2": lambda i: 4 + (i * 3) % 25 if i % 2 else 0,
            },
        ),
        Group(
            "both",
            30,
            stock={
                "fbo": lambda i: 10 + (i * 11) % 90,
                "fbs1": lambda i: 2 + (i * 3) % 20,
                "fbs2": lambda i: (i * 2) % 9,
            },
        ),
        Group("out_of_stock_today", 10, stock={"fbo": _zero, "fbs1": _zero}),
        Group("out_of_stock_10", 8, stock={"fbo": _zero}, out_of_stock_days=10),
        Group("out_of_stock_29", 8, stock={"fbo": _zero}, out_of_stock_days=29),
        Group("out_of_stock_31", 8, stock={"fbs1": _zero}, out_of_stock_days=31),
        Group("out_of_stock_90", 8, stock={"fbo": _zero}, out_of_stock_days=90),
        # Every unit present is taken by the open orders placed below.
        Group("fully_reserved", 6, stock={"fbo": lambda i: 1 + i % 3}),
        Group("partly_reserved", 8, stock={"fbo": lambda i: 10, "fbs1": _zero}),
        Group("pending", 15, moderation=PENDING),
        Group("failed", 10, moderation=FAILED),
        Group("archived_with_sku", 10, stock={"fbo": _zero}, archived=True),
        Group("archived_pending", 6, moderation=PENDING, archived=True),
        Group("archived_failed", 4, moderation=FAILED, archived=True),
    ]


def _rival_groups():
    return [
        Group("fbo", 10, stock={"fbo": lambda i: 8 + i * 4}),
        Group("fbs", 6, stock={"fbs1": lambda i: 3 + i}),
        Group("partly_reserved", 2, stock={"fbs1": lambda i: 6}),
        Group("out_of_stock_today", 3, stock={"fbo": _zero}),
        Group("pending", 3, moderation=PENDING),
        Group("archived_with_sku", 1, stock={"fbo": _zero}, archived=True),
        Group("archived_pending", 1, moderation=PENDING, archived=True),
    ]


@dataclass
class Catalogue:
    """One seller's demo products, by group key, in creation order."""

    seller: Seller
    user: object
    warehouses: dict
    groups: dict = field(default_factory=dict)
    # Days out of stock -> product IDs whose clock is moved back that far.
    aged: dict = field(default_factory=dict)


def demo_sellers():
    return Seller.objects.filter(name__in=[DEMO_SELLER, RIVAL_SELLER])


def demo_exists():
    return demo_sellers().exists()


@transaction.atomic
def reset_demo():
    """Delete the demo sellers with everything of theirs, and the demo users."""
    sellers = list(demo_sellers())
    # Children first: orders and log entries protect their seller, order
    # lines their products, stock rows their warehouses.
    Order.objects.filter(seller__in=sellers).delete()
    ActivityEntry.objects.filter(seller__in=sellers).delete()
    Product.objects.filter(seller__in=sellers).delete()
    Warehouse.objects.filter(seller__in=sellers).delete()
    SellerMember.objects.filter(seller__in=sellers).delete()
    usernames = [username for username, _password, _seller in LOGINS]
    get_user_model().objects.filter(username__in=usernames).delete()
    deleted = Seller.objects.filter(pk__in=[s.pk for s in sellers]).delete()[0]
    logger.info("demo data reset: %d sellers removed", deleted)


@transaction.atomic
def build_demo(now=None):
    """Create the demo sellers, users, warehouses, products and orders."""
    now = now or timezone.now()
    fbo = MarketplaceWarehouseFactory(name=MARKETPLACE_WAREHOUSE)
    passwords = {username: password for username, password, _s in LOGINS}
    _user(StaffFactory, "admin", passwords["admin"])

    demo = _seller(DEMO_SELLER, "demo", passwords["demo"], fbo, ["Main", "Second"])
    rival = _seller(RIVAL_SELLER, "rival", passwords["rival"], fbo, ["Depot"])
    _products(demo, _demo_groups(), prefix="DS", sku_base=310_000_000, now=now)
    _products(rival, _rival_groups(), prefix="RG", sku_base=320_000_000, now=now)

    for catalogue in (demo, rival):
        sync_out_of_stock(Product.objects.of_seller(catalogue.seller), now=now)
    _demo_orders(demo, rival)

    _age_out_of_stock_clocks([demo, rival], now)
    for catalogue in (demo, rival):
        hide_out_of_stock(seller=catalogue.seller, now=now)
    logger.info(
        "demo data built: %d products, %d orders",
        Product.objects.filter(seller__in=[demo.seller, rival.seller]).count(),
        Order.objects.filter(seller__in=[demo.seller, rival.seller]).count(),
    )
    return demo, rival


def _user(factory, username, password, **fields):
    """The demo user, created with its password unless it exists already.

    An existing account keeps its password: the demo never resets one.
    """
    existing = get_user_model().objects.filter(username=username).first()
    if existing is not None:
        return existing
    return factory(username=username, password=password, **fields)


def _seller(name, username, password, fbo, warehouse_names):
    seller = SellerFactory(name=name)
    user = _user(UserFactory, username, password, first_name=username.title())
    SellerMemberFactory(user=user, seller=seller)
    warehouses = {"fbo": fbo}
    for number, warehouse_name in enumerate(warehouse_names, start=1):
        warehouses[f"fbs{number}"] = SellerWarehouseFactory(
            seller=seller, name=f"{name} {warehouse_name}"
        )
    return Catalogue(seller=seller, user=user, warehouses=warehouses)


def _products(catalogue, groups, *, prefix, sku_base, now):
    """Create the groups' products and stock rows in two bulk INSERTs."""
    built = []
    for group in groups:
        for i in range(group.count):
            n = len(built)
            item = ITEMS[n % len(ITEMS)]
            colour = COLOURS[(n // len(ITEMS)) % len(COLOURS)]
            product = ProductFactory.build(
                seller=catalogue.seller,
                offer_id=f"{prefix}-{n + 1:04d}",
                name=f"{item}, {colour}",
                moderation=group.moderation,
                sku=sku_base + n + 1 if group.moderation == APPROVED else None,
            )
            if group.archived:
                product.archived_at = now - timedelta(days=3 + i)
                product.archived_by = catalogue.user
            built.append((group, i, product))
    Product.objects.bulk_create([product for _g, _i, product in built])

    stock = []
    for group, i, product in built:
        catalogue.groups.setdefault(group.key, []).append(product)
        if group.out_of_stock_days:
            catalogue.aged.setdefault(group.out_of_stock_days, []).append(product.pk)
        for key, present in group.stock.items():
            stock.append(
                StockFactory.build(
                    product=product,
                    warehouse=catalogue.warehouses[key],
                    present=present(i),
                )
            )
    Stock.objects.bulk_create(stock)
    # Older cards than today's, so the list's "created" column looks lived in.
    Product.objects.of_seller(catalogue.seller).update(
        created_at=now - timedelta(days=120)
    )

    archived = [product.pk for _g, _i, product in built if product.archived_at]
    if archived:
        log_single(
            ActivityEntry.Operation.ARCHIVE,
            archived,
            seller=catalogue.seller,
            actor=catalogue.user,
            details={"source": "demo"},
        )


def _demo_orders(demo, rival):
    """Open, assembled and cancelled orders, through the order services.

    Going through them keeps reserved equal to the units of open orders, and
    present net of assembled orders, by construction.
    """
    buyers = iter(BUYERS * 4)

    def order(lines):
        buyer = next(buyers)
        return place_order(
            lines,
            buyer_name=buyer,
            buyer_email=buyer.lower().replace(" ", ".") + "@example.com",
        )

    fbo = demo.warehouses["fbo"]
    full = demo.groups["fully_reserved"]
    partly = demo.groups["partly_reserved"]
    both = demo.groups["both"]
    fbs = demo.groups["fbs"]
    units = {s.product_id: s.present for s in Stock.objects.filter(product__in=full)}

    open_orders = [
        # Each takes every unit of two products: 0 available, all reserved.
        order([(p, fbo, units[p.pk]) for p in full[k : k + 2]])
        for k in range(0, len(full), 2)
    ]
    open_orders += [
        order([(partly[k], fbo, 3), (partly[k + 1], fbo, 2)])
        for k in range(0, len(partly), 2)
    ]
    rival_open = order(
        [(rival.groups["partly_reserved"][0], rival.warehouses["fbs1"], 2)]
    )

    to_assemble = [order([(both[k], fbo, 2)]) for k in range(4)]
    to_assemble.append(order([(rival.groups["fbo"][0], rival.warehouses["fbo"], 1)]))
    to_cancel = [
        order([(p, demo.warehouses["fbs1" if k % 2 == 0 else "fbs2"], 1)])
        for k, p in enumerate(fbs[:3])
    ]
    assemble_orders(None, [o.pk for o in to_assemble], actor=demo.user)
    cancel_orders(None, [o.pk for o in to_cancel], actor=demo.user)

    # Spread the placing times over the last days, oldest first; the services
    # stamped every order "now", and assembling or cancelling stays later.
    placed = open_orders + [rival_open] + to_assemble + to_cancel
    for hours, placed_order in enumerate(reversed(placed), start=1):
        Order.objects.filter(pk=placed_order.pk).update(
            placed_at=placed_order.placed_at - timedelta(hours=5 * hours)
        )


def _age_out_of_stock_clocks(catalogues, now):
    # Only products the clock really runs for: a restocked one stays clear.
    for catalogue in catalogues:
        for days, ids in catalogue.aged.items():
            Product.objects.filter(pk__in=ids, out_of_stock_since__isnull=False).update(
                out_of_stock_since=now - timedelta(days=days)
            )


def summary():
    """Counts per state, for the command's report and the tests."""
    products = Product.objects.filter(seller__in=demo_sellers())
    days = settings.HIDE_OUT_OF_STOCK_AFTER_DAYS
    return {
        "products": products.count(),
        "in stock": products.active().in_stock().count(),
        "out of stock": products.active().out_of_stock().count(),
        "reserved": products.reserved().count(),
        f"hidden (out of stock over {days} days)": (
            products.hidden_from_search().count()
        ),
        "archived": products.in_archive().count(),
        "orders": Order.objects.filter(seller__in=demo_sellers()).count(),
    }

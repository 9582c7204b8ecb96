"""Two sellers with products in every state, for the security matrices.

Seller B's rows get explicit IDs in a range of their own and markers in
their names, so a test can tell by a plain substring search whether one of
them reached seller A's page, and can swap "B's ID" for "an ID that does not
exist" without the two numbers differing in length.
"""

from dataclasses import dataclass, replace

import pytest
from django.test import Client
from django.utils import timezone

from inventory.factories import (
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    SellerWarehouseFactory,
    StaffFactory,
    StockFactory,
)
from inventory.models import (
    ActivityEntry,
    ActivityItem,
    Order,
    OrderLine,
    Product,
    Stock,
    Warehouse,
)

# Every string that would betray one of B's rows on A's pages. B's approved,
# listed product may legitimately appear on the buyers' search pages, so its
# markers are kept apart from those of B's unlisted rows.
OTHER_PUBLIC_MARKERS = ("RIVAL-PUB", "Rival public")
OTHER_SECRET_MARKERS = ("RIVAL-SECRET", "Rival secret", "rival.secret")

OTHER_BASE = 7_300_000
MISSING_BASE = 8_300_000


@dataclass(frozen=True)
class Targets:
    """The IDs a probe aims at: one seller's objects, or IDs that do not exist.

    ``product`` is in stock and listed in search; ``empty`` can be archived;
    ``archived`` can be restored or deleted; ``archived_approved`` can only be
    restored; ``reserved`` is held by ``order``; ``warehouse`` is a seller
    warehouse; ``seller`` is the seller's own ID.
    """

    product: int
    empty: int
    archived: int
    archived_approved: int
    reserved: int
    order: int
    warehouse: int
    seller: int
    offer_id: str
    # The offer ID of ``archived``: a row no buyer may find.
    unlisted_offer_id: str
    warehouse_name: str
    # Seller A's own rows, for probes that mix A's IDs with the aimed-at ones
    # (every Targets carries the same): an archivable product, an order, a
    # warehouse and its name.
    mine_empty: int = 0
    mine_order: int = 0
    mine_warehouse: int = 0
    mine_warehouse_name: str = ""

    def placeholders(self):
        """Map each ID, as text, to a neutral token for comparing pages."""
        names = (
            "product",
            "empty",
            "archived",
            "archived_approved",
            "reserved",
            "order",
            "warehouse",
        )
        return {str(getattr(self, name)): f"<{name}>" for name in names}


@dataclass
class World:
    seller: object
    user: object
    other_seller: object
    other_user: object
    staff: object
    fbo: object
    own: Targets
    other: Targets
    missing: Targets


def _make_catalogue(seller, warehouse, fbo, *, public, secret, ids=None):
    """Products in every state; ``public``/``secret`` = (offer prefix, label)."""
    ids = ids or {}

    def make(key, **kwargs):
        if key in ids:
            kwargs["id"] = ids[key]
        return ProductFactory(seller=seller, **kwargs)

    public_prefix, public_label = public
    secret_prefix, secret_label = secret

    product = make(
        "product",
        approved=True,
        offer_id=f"{public_prefix}-1",
        name=f"{public_label} gizmo",
    )
    StockFactory(product=product, warehouse=fbo, present=5)
    StockFactory(product=product, warehouse=warehouse, present=3)
    empty = make("empty", offer_id=f"{secret_prefix}-2", name=f"{secret_label} empty")
    archived = make(
        "archived",
        archived=True,
        offer_id=f"{secret_prefix}-3",
        name=f"{secret_label} archived",
    )
    archived_approved = make(
        "archived_approved",
        approved=True,
        archived=True,
        offer_id=f"{secret_prefix}-4",
        name=f"{secret_label} archived approved",
    )
    # Approved and not archived: buyers see it (sold out) in search.
    reserved = make(
        "reserved",
        approved=True,
        offer_id=f"{public_prefix}-5",
        name=f"{public_label} reserved",
    )
    StockFactory(product=reserved, warehouse=fbo, present=2, reserved=2)
    order_kwargs = {"id": ids["order"]} if "order" in ids else {}
    order = OrderFactory(
        seller=seller,
        buyer_name=f"{secret_label} buyer",
        buyer_email=f"{secret_prefix.lower().replace('-', '.')}.buyer@example.com",
        **order_kwargs,
    )
    OrderLineFactory(order=order, product=reserved, warehouse=fbo, quantity=2)
    # Products without available stock start their out-of-stock clock, as the
    # stock services would have done.
    Product.objects.filter(pk__in=[empty.pk, archived.pk, reserved.pk]).update(
        out_of_stock_since=timezone.now()
    )
    return Targets(
        product=product.pk,
        empty=empty.pk,
        archived=archived.pk,
        archived_approved=archived_approved.pk,
        reserved=reserved.pk,
        order=order.pk,
        warehouse=warehouse.pk,
        seller=seller.pk,
        offer_id=product.offer_id,
        unlisted_offer_id=archived.offer_id,
        warehouse_name=warehouse.name,
    )


@pytest.fixture
def world(seller, seller_user, other_seller, other_user, fbo, fbs):
    other_warehouse = SellerWarehouseFactory(
        id=OTHER_BASE + 201, seller=other_seller, name="Rival secret depot"
    )
    own = _make_catalogue(
        seller, fbs, fbo, public=("ACME-PUB", "Acme"), secret=("ACME", "Acme")
    )
    other = _make_catalogue(
        other_seller,
        other_warehouse,
        fbo,
        public=OTHER_PUBLIC_MARKERS,
        secret=OTHER_SECRET_MARKERS[:2],
        ids={
            "product": OTHER_BASE + 1,
            "empty": OTHER_BASE + 2,
            "archived": OTHER_BASE + 3,
            "archived_approved": OTHER_BASE + 4,
            "reserved": OTHER_BASE + 5,
            "order": OTHER_BASE + 101,
        },
    )
    missing = Targets(
        product=MISSING_BASE + 1,
        empty=MISSING_BASE + 2,
        archived=MISSING_BASE + 3,
        archived_approved=MISSING_BASE + 4,
        reserved=MISSING_BASE + 5,
        order=MISSING_BASE + 101,
        warehouse=MISSING_BASE + 201,
        seller=MISSING_BASE + 301,
        offer_id="NO-SUCH-OFFER",
        unlisted_offer_id="NO-SUCH-UNLISTED",
        warehouse_name="No such depot",
    )
    mine = {
        "mine_empty": own.empty,
        "mine_order": own.order,
        "mine_warehouse": own.warehouse,
        "mine_warehouse_name": own.warehouse_name,
    }
    own, other, missing = (replace(t, **mine) for t in (own, other, missing))
    return World(
        seller=seller,
        user=seller_user,
        other_seller=other_seller,
        other_user=other_user,
        staff=StaffFactory(username="staff"),
        fbo=fbo,
        own=own,
        other=other,
        missing=missing,
    )


def snapshot(seller=None):
    """Every domain row (of one seller, or of all), as comparable values."""
    products = Product.objects.all()
    stock = Stock.objects.all()
    orders = Order.objects.all()
    lines = OrderLine.objects.all()
    warehouses = Warehouse.objects.all()
    entries = ActivityEntry.objects.all()
    items = ActivityItem.objects.all()
    if seller is not None:
        products = products.filter(seller=seller)
        stock = stock.filter(product__seller=seller)
        orders = orders.filter(seller=seller)
        lines = lines.filter(order__seller=seller)
        warehouses = warehouses.filter(seller=seller)
        entries = entries.filter(seller=seller)
        # An item naming the seller's product in anybody's entry would be a
        # copy of its row into another seller's log: a read, not a write.
        items = items.filter(
            product_id__in=Product.objects.filter(seller=seller).values("pk")
        )
    return {
        "products": list(products.order_by("pk").values()),
        "stock": list(stock.order_by("pk").values()),
        "orders": list(orders.order_by("pk").values()),
        "lines": list(lines.order_by("pk").values()),
        "warehouses": list(warehouses.order_by("pk").values()),
        "entries": list(entries.order_by("pk").values()),
        "items": list(items.order_by("pk").values()),
    }


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The matrices sign in hundreds of times; the real hasher is slow on
    # purpose, and its cost says nothing about what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

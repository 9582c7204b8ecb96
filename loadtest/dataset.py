"""The scratch database and the catalogue the load run starts from."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from inventory.factories import (
    MarketplaceWarehouseFactory,
    SellerFactory,
    SellerMemberFactory,
    SellerWarehouseFactory,
    StaffFactory,
    UserFactory,
)
from inventory.models import Product, Stock
from inventory.services.visibility import sync_out_of_stock

PASSWORD = "load-run-password"


@dataclass
class Catalogue:
    staff_username: str
    marketplace_warehouse: int
    sellers: list = field(default_factory=list)  # (username, seller id)
    # (product id, warehouse id) -> units present at the start
    initial_present: dict = field(default_factory=dict)
    products: dict = field(default_factory=dict)  # id -> (offer ID, name)


def create_scratch_database(name):
    """Create (or recreate) the scratch database, migrated, and use it."""
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=False
    )
    return connection.settings_dict["NAME"]


def drop_scratch_database(original_name):
    connection.creation.destroy_test_db(original_name, verbosity=0)


def seed(*, sellers, products_per_seller):
    """Sellers with products in the states the actors need.

    Per seller: a third in stock (buyers order them), a third approved with
    no stock (archivable and restorable, never deletable), a third pending
    with no stock (archivable, then deletable). Some of the empty ones went
    out of stock 40 days ago, so the hiding command has work.
    """
    staff = StaffFactory(username="load-staff", password=PASSWORD)
    fbo = MarketplaceWarehouseFactory(name="OZON load")
    catalogue = Catalogue(staff_username=staff.username, marketplace_warehouse=fbo.pk)
    rows = []
    stock = []
    for s in range(sellers):
        seller = SellerFactory(name=f"Load seller {s}")
        user = UserFactory(username=f"load-seller-{s}", password=PASSWORD)
        SellerMemberFactory(user=user, seller=seller)
        own = [
            SellerWarehouseFactory(seller=seller, name=f"Load {s} shelf {n}")
            for n in range(2)
        ]
        catalogue.sellers.append((user.username, seller.pk))
        for n in range(products_per_seller):
            kind = n % 3
            product = Product(
                seller=seller,
                offer_id=f"L{s}-{n:04d}",
                name=f"Load product {s}-{n}",
                moderation="approved" if kind < 2 else "pending",
                sku=(s + 1) * 1_000_000 + n if kind < 2 else None,
            )
            rows.append((product, kind, own))
    Product.objects.bulk_create([row[0] for row in rows])
    for product, kind, own in rows:
        catalogue.products[product.pk] = (product.offer_id, product.name)
        if kind == 0:
            stock.append(Stock(product=product, warehouse=fbo, present=30))
            stock.append(Stock(product=product, warehouse=own[0], present=10))
    Stock.objects.bulk_create(stock)
    for row in stock:
        catalogue.initial_present[(row.product_id, row.warehouse_id)] = row.present
    sync_out_of_stock(Product.objects.all())
    long_ago = timezone.now() - timedelta(days=40)
    Product.objects.filter(
        out_of_stock_since__isnull=False,
        pk__in=[product.pk for product, kind, _own in rows[::4] if kind != 0],
    ).update(out_of_stock_since=long_ago)
    return catalogue

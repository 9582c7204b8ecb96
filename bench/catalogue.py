"""A synthetic marketplace, loaded in bulk: one measured seller and rivals.

Rows are generated in Python and written with COPY on PostgreSQL and
``executemany`` on SQLite, inside one transaction per chunk; the ORM is only
used for the handful of sellers, users and warehouses. The catalogue grows in
place (10k, then 100k, then 1M), so each size reuses the rows of the last.

Row ``i`` of the measured seller falls into fixed groups that the scenarios
select by a word of its name:

- ``i % 10 == 3``: approved, out of stock for 31-120 days, not hidden yet:
  what ``hide_out_of_stock`` is due to hide (a tenth of the catalogue);
- ``i % 20 == 7``: name word ``lot07``, mostly holding no units: what "archive
  all matching" moves (a twentieth);
- ``i % 100 == 42``: name word ``clearance``, archived and never approved:
  what the delete removes (a hundredth);
- every row: ``grp`` + ``i % 1000`` on three digits, so ``grp000`` matches a
  thousandth of the catalogue and ``grp0`` a tenth (the memory scenario).

The rest is a seeded mix: 70 % approved, 20 % pending, 10 % failed; 8 %
archived; stock in the marketplace (FBO) and the seller's own (FBS)
warehouses, some reserved by open orders, some out of stock for various ages
(those past 30 days already hidden).
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from inventory.models import (
    Order,
    OrderLine,
    Product,
    Seller,
    SellerMember,
    Stock,
    Warehouse,
)

CHUNK = 1000
# One rival product is created for every RIVAL_EVERY of the measured seller's.
RIVAL_EVERY = 10

ADJECTIVES = ["Soft", "Sturdy", "Compact", "Classic", "Bright", "Quiet", "Light"]
NOUNS = ["kettle", "lamp", "backpack", "blanket", "mug", "charger", "stool"]
COLOURS = ["red", "blue", "green", "grey", "white", "black", "amber", "teal"]


class Catalogue:
    """The marketplace under test and the figures the scenarios need."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.ops = connection.ops
        self._dates = {}
        self.seller = Seller.objects.create(name="Bench seller")
        self.rivals = [
            Seller.objects.create(name="Rival one"),
            Seller.objects.create(name="Rival two"),
        ]
        users = get_user_model()
        self.user = users.objects.create_user("bench", password="bench")
        SellerMember.objects.create(user=self.user, seller=self.seller)
        self.staff = users.objects.create_superuser(
            "bench-admin", "admin@example.com", "bench"
        )
        self.fbo = [
            Warehouse.objects.create(kind="fbo", name="OZON Moscow"),
            Warehouse.objects.create(kind="fbo", name="OZON Kazan"),
        ]
        self.fbs = [
            Warehouse.objects.create(kind="fbs", seller=self.seller, name="Main"),
            Warehouse.objects.create(kind="fbs", seller=self.seller, name="Second"),
        ]
        self.rival_fbs = {
            rival.pk: [
                Warehouse.objects.create(kind="fbs", seller=rival, name="Rival store")
            ]
            for rival in self.rivals
        }
        self.size = 0
        self.rival_size = 0
        self.next_product_id = 1
        self.next_order_id = 1
        self._product_columns = _columns(Product)
        self._stock_columns = ["product_id", "warehouse_id", "present", "reserved"]
        self._stock_columns += ["updated_at"]
        self._order_columns = _columns(Order)
        self._line_columns = ["order_id", "product_id", "warehouse_id", "quantity"]

    # Public

    def grow_to(self, size):
        """Add the measured seller's rows up to ``size``, rivals around them."""
        while self.size < size:
            end = min(size, (self.size // CHUNK + 1) * CHUNK)
            self._load_chunk(self.size, end)
            self.size = end
        self.analyze()

    def analyze(self):
        """Refresh the planner's statistics, as autovacuum would in production."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for model in (Product, Stock, Order, OrderLine):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
            else:
                cursor.execute("ANALYZE")

    def insert(self, model, columns, rows):
        """Write ``rows`` (tuples in ``columns`` order) to ``model``'s table."""
        table = model._meta.db_table
        rows = list(rows)
        if not rows:
            return
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql":
                names = ", ".join(columns)
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                names = ", ".join(columns)
                raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def _skip_triggers(self):
        """On PostgreSQL, skip the per-row foreign key triggers of the load.

        The generator writes consistent rows, and the deferred checks of a
        million rows would double the load time. Only a superuser may; any
        other role loads with the checks, just slower.
        """
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")

    def reset_sequences(self):
        """Let the ORM's own INSERTs follow the explicit IDs loaded here."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in (Product, Order):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )

    # Generation

    def _date(self, days_ago):
        """The adapted database value of ``now`` minus whole days (cached)."""
        value = self._dates.get(days_ago)
        if value is None:
            moment = self.now - timedelta(days=days_ago)
            value = self.ops.adapt_datetimefield_value(moment)
            self._dates[days_ago] = value
        return value

    def _load_chunk(self, start, end):
        rng = random.Random(start)
        products, stocks, orders, lines = [], [], [], []
        for i in range(start, end):
            self._add_product(
                rng, i, self.seller.pk, self.fbs, True, products, stocks, orders, lines
            )
            if i % RIVAL_EVERY == RIVAL_EVERY - 1:
                rival = self.rivals[self.rival_size % len(self.rivals)]
                self._add_product(
                    rng,
                    self.rival_size,
                    rival.pk,
                    self.rival_fbs[rival.pk],
                    False,
                    products,
                    stocks,
                    orders,
                    lines,
                )
                self.rival_size += 1
        with transaction.atomic():
            self._skip_triggers()
            self.insert(Product, self._product_columns, products)
            self.insert(Stock, self._stock_columns, stocks)
            self.insert(Order, self._order_columns, orders)
            self.insert(OrderLine, self._line_columns, lines)
        self.reset_sequences()

    def _add_product(
        self, rng, i, seller_id, fbs, measured, products, stocks, orders, lines
    ):
        pid = self.next_product_id
        self.next_product_id += 1
        plan = _plan(rng, i if measured else None)
        moderation, archived, profile, oos_days, hidden = plan
        words = [
            ADJECTIVES[i % 7],
            NOUNS[(i // 7) % 7],
            COLOURS[(i // 49) % 8],
            f"lot{i % 20:02d}",
            f"grp{i % 1000:03d}",
        ]
        if measured and i % 100 == 42:
            words.append("clearance")
        prefix = "OF" if measured else f"R{seller_id}"
        values = {
            "id": pid,
            "seller_id": seller_id,
            "offer_id": f"{prefix}-{i:07d}",
            "name": " ".join(words),
            "sku": 10_000_000_000 + pid if moderation == "approved" else None,
            "moderation": moderation,
            "archived_at": self._date(rng.randrange(1, 90)) if archived else None,
            "archived_by_id": None,
            "out_of_stock_since": None if oos_days is None else self._date(oos_days),
            "hidden_from_search_at": (
                self._date(max(oos_days - 30, 0)) if hidden else None
            ),
            "last_activity_id": None,
            "created_at": self._date(400),
            "updated_at": self._date(0),
        }
        products.append(tuple(values.get(c) for c in self._product_columns))
        updated = self._date(0)
        fbo = self.fbo[pid % 2]
        if profile == "zero":
            stocks.append((pid, fbo.pk, 0, 0, updated))
        elif profile == "instock":
            has_fbo = rng.random() < 0.7
            if has_fbo:
                stocks.append((pid, fbo.pk, rng.randrange(5, 300), 0, updated))
            if rng.random() < 0.5 or not has_fbo:
                own = fbs[pid % len(fbs)]
                stocks.append((pid, own.pk, rng.randrange(1, 100), 0, updated))
        elif profile in ("reserved_all", "reserved_some"):
            reserved = rng.randrange(1, 4)
            present = reserved if profile == "reserved_all" else reserved + 5
            stocks.append((pid, fbo.pk, present, reserved, updated))
            oid = self.next_order_id
            self.next_order_id += 1
            order = {
                "id": oid,
                "seller_id": seller_id,
                "state": "awaiting_packaging",
                "buyer_name": "Bench buyer",
                "buyer_email": "buyer@example.com",
                "placed_at": self._date(rng.randrange(0, 5)),
            }
            orders.append(tuple(order.get(c) for c in self._order_columns))
            lines.append((oid, pid, fbo.pk, reserved))


def _columns(model):
    return [field.column for field in model._meta.concrete_fields]


def _plan(rng, i):
    """Return (moderation, archived, stock profile, days out of stock, hidden).

    ``i`` is the measured seller's row number (None for a rival's row): it
    decides the fixed groups the module docstring lists.
    """
    if i is not None and i % 100 == 42:
        moderation = "pending" if i % 200 == 42 else "failed"
        return moderation, True, "zero" if i % 300 == 42 else "none", None, False
    if i is not None and i % 10 == 3:
        return "approved", False, "zero", rng.randrange(31, 120), False
    r = rng.random()
    moderation = "approved" if r < 0.7 else "pending" if r < 0.9 else "failed"
    archived = rng.random() < 0.08
    r = rng.random()
    if i is not None and i % 20 == 7:
        archived = False
        profile = "none" if r < 0.45 else "zero" if r < 0.85 else "reserved_all"
        if r > 0.95:
            profile = "instock"
    elif r < 0.15:
        profile = "none"
    elif r < 0.27:
        profile = "zero"
    elif r < 0.32:
        profile = "reserved_all"
    elif r < 0.38:
        profile = "reserved_some"
    else:
        profile = "instock"
    if profile in ("zero", "reserved_all"):
        # A few are past the 30 days and already hidden: nothing else is due.
        if rng.random() < 0.3:
            return moderation, archived, profile, rng.randrange(31, 200), True
        return moderation, archived, profile, rng.randrange(0, 30), False
    return moderation, archived, profile, None, False

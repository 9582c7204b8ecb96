"""The shared domain model: sellers, warehouses, products, stock, orders and
the activity log.

Every app imports these; none defines a model of its own, so that the rules
(querysets) and the services that keep them have one ground floor.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .querysets import OrderQuerySet, ProductQuerySet, StockQuerySet

MAX_STOCK = 1_000_000


class Seller(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SellerMember(models.Model):
    """A user's membership of a seller account; a user belongs to one seller."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seller_membership",
        verbose_name=_("user"),
    )
    seller = models.ForeignKey(
        Seller,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("seller"),
    )

    class Meta:
        verbose_name = _("seller member")
        verbose_name_plural = _("seller members")

    def __str__(self):
        return f"{self.user} @ {self.seller}"


class Warehouse(models.Model):
    class Kind(models.TextChoices):
        MARKETPLACE = "fbo", _("OZON warehouse")
        SELLER = "fbs", _("My warehouse")

    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    # Null for the marketplace's own warehouses, which serve every seller.
    seller = models.ForeignKey(
        Seller,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warehouses",
        verbose_name=_("seller"),
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="fbo", seller__isnull=True))
                | (Q(kind="fbs", seller__isnull=False)),
                name="warehouse_kind_matches_owner",
            ),
            models.UniqueConstraint(
                fields=["seller", "name"], name="warehouse_name_unique_per_seller"
            ),
        ]

    def __str__(self):
        return self.name


class Product(models.Model):
    class Moderation(models.TextChoices):
        PENDING = "pending", _("Pending moderation")
        APPROVED = "approved", _("Approved")
        FAILED = "failed", _("Failed moderation")

    seller = models.ForeignKey(
        Seller,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("seller"),
    )
    offer_id = models.CharField(
        _("offer ID"),
        max_length=64,
        help_text=_("The seller's own article code; unique within one seller."),
    )
    name = models.CharField(_("name"), max_length=500)
    sku = models.PositiveBigIntegerField(
        _("SKU"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Given by the marketplace when the product passes moderation."),
    )
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.PENDING,
    )
    archived_at = models.DateTimeField(
        _("archived at"),
        null=True,
        blank=True,
        help_text=_("Set while the product is in the Archive Library."),
    )
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("archived by"),
    )
    out_of_stock_since = models.DateTimeField(
        _("out of stock since"),
        null=True,
        blank=True,
        help_text=_(
            "When available stock reached 0 in every warehouse; cleared on "
            "restocking. Kept by the stock services."
        ),
    )
    hidden_from_search_at = models.DateTimeField(
        _("hidden from search at"),
        null=True,
        blank=True,
        help_text=_("Set by hide_out_of_stock; buyers do not find the product."),
    )
    # The activity entry of the last bulk operation that touched the row. A
    # set-based operation stamps the rows it changed with its entry, then
    # copies exactly those rows into the log with one INSERT ... SELECT.
    last_activity_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "offer_id"], name="product_offer_id_unique_per_seller"
            ),
            models.CheckConstraint(
                condition=(Q(moderation="approved", sku__isnull=False))
                | (~Q(moderation="approved") & Q(sku__isnull=True)),
                name="product_sku_iff_approved",
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=False) | Q(archived_by__isnull=True),
                name="product_archived_by_only_when_archived",
            ),
            models.CheckConstraint(
                condition=Q(hidden_from_search_at__isnull=True)
                | Q(out_of_stock_since__isnull=False),
                name="product_hidden_only_when_out_of_stock",
            ),
        ]
        indexes = [
            # The Product List and the Archive Library page through one
            # seller's rows newest first; the partial indexes keep each tab's
            # scan on its own rows.
            models.Index(
                fields=["seller", "-id"],
                condition=Q(archived_at__isnull=True),
                name="product_active_by_seller",
            ),
            models.Index(
                fields=["seller", "-id"],
                condition=Q(archived_at__isnull=False),
                name="product_archived_by_seller",
            ),
            # hide_out_of_stock looks only at visible products out of stock.
            models.Index(
                fields=["out_of_stock_since"],
                condition=Q(
                    out_of_stock_since__isnull=False,
                    hidden_from_search_at__isnull=True,
                ),
                name="product_hiding_due",
            ),
            # Partial: most rows were never stamped. With every NULL in it,
            # SQLite's statistics (after ANALYZE) rated the full index useless
            # and the activity log's copy of an operation's rows scanned the
            # whole table; see docs/benchmarks.md.
            models.Index(
                fields=["last_activity_id"],
                condition=Q(last_activity_id__isnull=False),
                name="product_last_activity",
            ),
        ]

    def __str__(self):
        return f"{self.offer_id} {self.name}"

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def is_hidden_from_search(self):
        return self.hidden_from_search_at is not None


class Stock(models.Model):
    """Units of one product in one warehouse."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="stocks",
        verbose_name=_("product"),
    )
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="stocks",
        verbose_name=_("warehouse"),
    )
    present = models.PositiveIntegerField(
        _("present"),
        default=0,
        help_text=_("Units physically in the warehouse."),
    )
    reserved = models.PositiveIntegerField(
        _("reserved"),
        default=0,
        help_text=_(
            "Units of present promised to orders not yet assembled. "
            "Available = present - reserved."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StockQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse"], name="stock_one_row_per_warehouse"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="stock_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("present")),
                name="stock_reserved_within_present",
            ),
            models.CheckConstraint(
                condition=Q(present__lte=MAX_STOCK), name="stock_present_within_cap"
            ),
        ]
        indexes = [
            # The archive rule and the standby badge ask "is any unit here?"
            # per product; only rows holding units are worth indexing.
            models.Index(
                fields=["product"],
                condition=Q(present__gt=0),
                name="stock_holding_units",
            ),
        ]

    def __str__(self):
        return f"{self.product_id}@{self.warehouse_id}: {self.present}/{self.reserved}"

    @property
    def available(self):
        return self.present - self.reserved


class Order(models.Model):
    class State(models.TextChoices):
        AWAITING_PACKAGING = "awaiting_packaging", _("Awaiting packaging")
        ASSEMBLED = "assembled", _("Assembled, awaiting shipment")
        CANCELLED = "cancelled", _("Cancelled")

    seller = models.ForeignKey(
        Seller,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("seller"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.AWAITING_PACKAGING,
    )
    buyer_name = models.CharField(_("buyer name"), max_length=200)
    buyer_email = models.EmailField(_("buyer e-mail"))
    placed_at = models.DateTimeField(_("placed at"))
    assembled_at = models.DateTimeField(_("assembled at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        state="awaiting_packaging",
                        assembled_at__isnull=True,
                        cancelled_at__isnull=True,
                    )
                    | Q(
                        state="assembled",
                        assembled_at__isnull=False,
                        cancelled_at__isnull=True,
                    )
                    | Q(
                        state="cancelled",
                        assembled_at__isnull=True,
                        cancelled_at__isnull=False,
                    )
                ),
                name="order_times_match_state",
            ),
        ]
        indexes = [models.Index(fields=["seller", "state", "-placed_at"])]

    def __str__(self):
        return _("Order %(id)s") % {"id": self.pk}


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    # PROTECT: a product that was ever ordered has a SKU and so can never be
    # deleted; the database refuses it too.
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("product"),
    )
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("warehouse"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            models.UniqueConstraint(
                fields=["order", "product", "warehouse"],
                name="order_line_one_per_product_and_warehouse",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_id}"


class ActivityEntry(models.Model):
    """One state change: who did which operation, when, to how many products."""

    class Operation(models.TextChoices):
        ARCHIVE = "archive", _("Archive")
        RESTORE = "restore", _("Restore")
        DELETE = "delete", _("Delete")
        PLACE_ORDER = "place_order", _("Place order")
        ASSEMBLE = "assemble", _("Assemble order")
        CANCEL = "cancel", _("Cancel order")
        SET_STOCK = "set_stock", _("Set stock")
        SUPPLY = "supply", _("Supply received")
        HIDE = "hide", _("Hide from search")
        MODERATE = "moderate", _("Moderation")

    seller = models.ForeignKey(
        Seller,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("seller"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    operation = models.CharField(
        _("operation"), max_length=20, choices=Operation.choices
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    count = models.PositiveIntegerField(_("products affected"), default=0)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["seller", "-created_at"])]

    def __str__(self):
        return f"{self.get_operation_display()} ({self.count})"


class ActivityItem(models.Model):
    """A product an activity entry affected, as it was at that moment.

    No foreign key to the product: the record must outlive a deleted product.
    """

    entry = models.ForeignKey(
        ActivityEntry,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("entry"),
    )
    product_id = models.BigIntegerField(_("product ID"), db_index=True)
    offer_id = models.CharField(_("offer ID"), max_length=64)
    name = models.CharField(_("name"), max_length=500)
    present = models.PositiveIntegerField(_("present"), default=0)
    reserved = models.PositiveIntegerField(_("reserved"), default=0)

    class Meta:
        verbose_name = _("activity item")
        verbose_name_plural = _("activity items")

    def __str__(self):
        return f"{self.offer_id} {self.name}"

"""``manage.py demo`` builds every state the dashboard shows, once."""

import hashlib
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from inventory.factories import ProductFactory, StaffFactory
from inventory.models import Order, OrderLine, Product, Seller, Stock, Warehouse


def run_demo(*args, verbosity=0):
    out = StringIO()
    call_command("demo", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def fingerprint():
    """A digest of every row of every model (times and IDs included)."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        digest.update(model._meta.label.encode())
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def catalogue(seller_name):
    """The demo's content without IDs or times: what a rebuild must repeat."""
    products = Product.objects.filter(seller__name=seller_name)
    return sorted(
        products.with_stock().values_list(
            "offer_id",
            "name",
            "moderation",
            "sku",
            "fbo_available",
            "fbs_available",
            "reserved_units",
        )
    )


@pytest.fixture
def demo(db):
    run_demo()
    return Seller.objects.get(name="Demo Store")


@pytest.fixture
def products(demo):
    return Product.objects.of_seller(demo)


def test_demo_seller_has_about_two_hundred_products(products):
    assert 190 <= products.count() <= 210


def test_demo_has_one_marketplace_warehouse_and_two_of_the_sellers(demo):
    assert Warehouse.objects.filter(kind="fbo", seller=None).count() == 1
    assert demo.warehouses.filter(kind="fbs").count() == 2


def test_demo_products_are_in_stock_in_each_warehouse_kind(products):
    stocked = products.active().with_stock()

    assert stocked.filter(fbo_available__gt=0, fbs_available=0).exists()
    assert stocked.filter(fbo_available=0, fbs_available__gt=0).exists()
    assert stocked.filter(fbo_available__gt=0, fbs_available__gt=0).exists()


def test_demo_clocks_cover_today_10_29_31_and_90_days(products):
    now = timezone.now()

    ages = Counter(
        (now - since).days
        for since in products.active()
        .out_of_stock()
        .not_reserved()
        .filter(moderation="approved")
        .values_list("out_of_stock_since", flat=True)
    )

    assert ages[0] >= 10
    assert [ages[days] for days in (10, 29, 31, 90)] == [8, 8, 8, 8]


def test_demo_hides_exactly_the_products_out_of_stock_over_30_days(products):
    hidden = set(products.hidden_from_search().values_list("pk", flat=True))

    over_30 = set(products.out_of_stock_for_more_than(30).values_list("pk", flat=True))

    assert hidden == over_30
    assert len(hidden) == 16


def test_demo_clock_runs_for_every_product_out_of_stock(products):
    assert not products.out_of_stock().filter(out_of_stock_since=None).exists()
    assert not products.in_stock().exclude(out_of_stock_since=None).exists()


def test_demo_fully_reserved_products_show_0_available_and_are_not_archivable(
    products,
):
    fully = products.reserved().out_of_stock()

    assert fully.count() == 6
    assert set(fully.with_stock().values_list("fbo_available", "fbs_available")) == {
        (0, 0)
    }
    assert not fully.archivable().exists()


def test_demo_partly_reserved_products_are_in_stock_and_reserved(products):
    assert products.reserved().in_stock().count() == 8


def test_demo_covers_every_moderation_state(products):
    counts = Counter(products.active().values_list("moderation", flat=True))

    assert set(counts) == {"pending", "approved", "failed"}


def test_demo_archive_holds_products_with_and_without_sku(products):
    archived = products.in_archive()

    assert archived.filter(sku__isnull=False).count() == 10
    assert archived.filter(sku__isnull=True).count() == 10
    assert archived.deletable().count() == 10


def test_demo_has_open_assembled_and_cancelled_orders(demo):
    states = Counter(Order.objects.of_seller(demo).values_list("state", flat=True))

    assert states == {"awaiting_packaging": 7, "assembled": 4, "cancelled": 3}


def test_demo_reserved_units_equal_the_open_orders_units(db, demo):
    open_units = defaultdict(int)
    for line in OrderLine.objects.filter(order__state="awaiting_packaging"):
        open_units[(line.product_id, line.warehouse_id)] += line.quantity

    reserved = {
        (s.product_id, s.warehouse_id): s.reserved
        for s in Stock.objects.filter(reserved__gt=0)
    }

    assert reserved == dict(open_units)
    assert len(reserved) >= 14


def test_demo_second_seller_has_its_own_products(demo):
    rival = Seller.objects.get(name="Rival Goods")

    assert Product.objects.of_seller(rival).count() > 10
    assert rival.members.get().user.username == "rival"


def test_demo_logins_use_the_printed_passwords(demo):
    users = get_user_model().objects

    assert users.get(username="demo").check_password("demo")
    assert users.get(username="demo").seller_membership.seller == demo
    assert users.get(username="rival").check_password("rival")
    admin = users.get(username="admin")
    assert admin.check_password("admin")
    assert admin.is_staff and admin.is_superuser


def test_demo_second_run_changes_nothing(demo):
    before = fingerprint()

    output = run_demo(verbosity=1)

    assert fingerprint() == before
    assert "Demo data is already loaded; use --reset to rebuild it." in output


def test_demo_reset_rebuilds_the_same_catalogue(products):
    old_ids = set(products.values_list("pk", flat=True))
    before = catalogue("Demo Store"), catalogue("Rival Goods")

    run_demo("--reset")

    assert (catalogue("Demo Store"), catalogue("Rival Goods")) == before
    assert not Product.objects.filter(pk__in=old_ids).exists()


def test_demo_if_empty_does_nothing_when_a_product_exists(db):
    ProductFactory()
    before = fingerprint()

    output = run_demo("--if-empty", verbosity=1)

    assert fingerprint() == before
    assert "Products exist already; demo data not loaded." in output


def test_demo_if_empty_loads_into_an_empty_database(db):
    run_demo("--if-empty")

    assert Seller.objects.filter(name="Demo Store").exists()


def test_demo_prints_the_logins(db):
    output = run_demo(verbosity=1)

    assert "demo / demo  seller Demo Store" in output
    assert "admin / admin  staff (admin site)" in output


def test_demo_prints_nothing_at_verbosity_0(db):
    assert run_demo(verbosity=0) == ""


def test_demo_keeps_the_password_of_an_existing_admin(db):
    StaffFactory(username="admin", password="long-chosen-secret")

    run_demo()

    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("long-chosen-secret")


def test_demo_refuses_reset_together_with_if_empty(db):
    with pytest.raises(CommandError) as error:
        run_demo("--reset", "--if-empty")

    assert str(error.value) == "Use either --reset or --if-empty, not both."
    assert not Seller.objects.exists()

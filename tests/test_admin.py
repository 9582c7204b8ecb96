"""Every admin registration loads for staff, whoever registered it.

The tests walk ``admin.site._registry``, so a model registered later (by any
app) is covered at once; it only needs an entry in ``OBJECT_MAKERS``.
"""

import itertools

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.factories import (
    ActivityEntryFactory,
    MarketplaceWarehouseFactory,
    OrderLineFactory,
    ProductFactory,
    SellerFactory,
    SellerMemberFactory,
    SellerWarehouseFactory,
    StaffFactory,
    StockFactory,
    UserFactory,
)
from inventory.models import ActivityEntry, ActivityItem, Stock

_serial = itertools.count()


def _activity_entry():
    entry = ActivityEntryFactory(seller=SellerFactory())
    ActivityItem.objects.create(
        entry=entry, product_id=1, offer_id="GONE-1", name="Deleted product"
    )
    return entry


def _axes_record(model_name):
    from django.apps import apps

    model = apps.get_model("axes", model_name)
    fields = {
        "user_agent": "pytest",
        "ip_address": "10.0.0.1",
        "username": f"someone{next(_serial)}",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    if model_name == "AccessAttempt":
        fields.update(get_data="", post_data="", failures_since_start=1)
    return model.objects.create(**fields)


# How to make one object of each registered model. Register a model in any
# admin.py and add its maker here (a callable returning a saved object that
# the admin's queryset shows); the suite fails until you do.
OBJECT_MAKERS = {
    "auth.user": lambda: UserFactory(),
    "auth.group": lambda: Group.objects.create(name=f"Group {next(_serial)}"),
    "axes.accessattempt": lambda: _axes_record("AccessAttempt"),
    "axes.accesslog": lambda: _axes_record("AccessLog"),
    "axes.accessfailurelog": lambda: _axes_record("AccessFailureLog"),
    "inventory.seller": lambda: SellerFactory(),
    "inventory.sellermember": lambda: SellerMemberFactory(),
    "inventory.warehouse": lambda: SellerWarehouseFactory(),
    "inventory.stock": lambda: StockFactory(),
    "inventory.activityentry": _activity_entry,
    "inventory.product": lambda: ProductFactory(approved=True),
    "archive.archivedproduct": lambda: ProductFactory(archived=True),
    "inventory.order": lambda: OrderLineFactory().order,
}

# Our own changelists must cost the same number of queries for any number of
# rows; third-party admins are not ours to fix.
OWN_APPS = {"inventory", "archive", "orders"}

REGISTERED = sorted(
    (model._meta.label_lower, model, model_admin)
    for model, model_admin in admin.site._registry.items()
)
LABELS = [label for label, _, _ in REGISTERED]


def _registration(label):
    for registered_label, model, model_admin in REGISTERED:
        if registered_label == label:
            return model, model_admin
    raise LookupError(label)


def _make(label):
    maker = OBJECT_MAKERS.get(label)
    if maker is None:
        pytest.fail(
            f"{label} is registered in the admin but tests/test_admin.py has no "
            f"maker for it: add one to OBJECT_MAKERS"
        )
    return maker()


def _url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory(username="staff"))
    return client


def test_every_registered_model_has_an_object_maker():
    missing = sorted(set(LABELS) - set(OBJECT_MAKERS))

    assert missing == [], f"add these to OBJECT_MAKERS: {missing}"


@pytest.mark.parametrize("label", LABELS)
def test_changelist_loads_for_staff(staff_client, label):
    model, _ = _registration(label)
    _make(label)

    response = staff_client.get(_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("label", LABELS)
def test_changelist_search_loads_for_staff(staff_client, label):
    model, model_admin = _registration(label)
    _make(label)

    response = staff_client.get(_url(model, "changelist"), {"q": "1"})

    assert response.status_code == 200
    # A search box is offered wherever search fields are declared.
    assert ('name="q"' in response.content.decode()) == bool(model_admin.search_fields)


@pytest.mark.parametrize("label", LABELS)
def test_change_form_loads_for_staff(staff_client, label):
    model, _ = _registration(label)
    obj = _make(label)

    response = staff_client.get(_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("label", LABELS)
def test_add_form_loads_or_is_refused_as_declared(staff_client, rf, label):
    model, model_admin = _registration(label)
    request = rf.get("/")
    request.user = StaffFactory(username="probe")

    response = staff_client.get(_url(model, "add"))

    expected = 200 if model_admin.has_add_permission(request) else 403
    assert response.status_code == expected


@pytest.mark.parametrize(
    "label", [label for label in LABELS if label.split(".")[0] in OWN_APPS]
)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, label):
    model, _ = _registration(label)
    _make(label)
    url = _url(model, "changelist")
    with CaptureQueriesContext(connection) as one_row:
        staff_client.get(url)
    _make(label)
    _make(label)

    with CaptureQueriesContext(connection) as three_rows:
        response = staff_client.get(url)

    assert response.status_code == 200
    assert len(three_rows) == len(one_row), [q["sql"] for q in three_rows]


def test_activity_log_cannot_be_edited_in_the_admin(staff_client):
    entry = _activity_entry()

    response = staff_client.post(
        _url(ActivityEntry, "change", entry.pk), {"operation": "delete", "count": 9}
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.operation, entry.count) == ("archive", 0)


def test_activity_log_entry_cannot_be_deleted_in_the_admin(staff_client):
    entry = _activity_entry()

    response = staff_client.post(
        _url(ActivityEntry, "delete", entry.pk), {"post": "yes"}
    )

    assert response.status_code == 403
    assert ActivityEntry.objects.filter(pk=entry.pk).exists()


def test_activity_log_search_finds_entries_by_offer_id(staff_client):
    wanted = _activity_entry()
    other = ActivityEntryFactory()
    ActivityItem.objects.create(entry=other, product_id=2, offer_id="KEEP-2", name="x")

    response = staff_client.get(_url(ActivityEntry, "changelist"), {"q": "GONE-1"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_stock_changelist_filters_by_warehouse_kind(staff_client):
    fbo_row = StockFactory(warehouse=MarketplaceWarehouseFactory())
    StockFactory(warehouse=SellerWarehouseFactory())

    response = staff_client.get(
        _url(Stock, "changelist"), {"warehouse__kind__exact": "fbo"}
    )

    assert list(response.context["cl"].result_list) == [fbo_row]


def test_stock_edit_in_admin_restarts_the_out_of_stock_clock(staff_client):
    product = ProductFactory(approved=True)
    stock = StockFactory(product=product, present=5)

    response = staff_client.post(
        _url(Stock, "change", stock.pk),
        {"product": product.pk, "warehouse": stock.warehouse_id, "present": 0},
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.out_of_stock_since is not None
    entry = ActivityEntry.objects.get(operation=ActivityEntry.Operation.SET_STOCK)
    assert (entry.actor.username, entry.count) == ("staff", 1)
    assert list(entry.items.values_list("product_id", "present")) == [(product.pk, 0)]


def test_stock_edit_in_admin_cannot_change_reserved_units(staff_client):
    stock = StockFactory(present=5, reserved=2)

    staff_client.post(
        _url(Stock, "change", stock.pk),
        {
            "product": stock.product_id,
            "warehouse": stock.warehouse_id,
            "present": 5,
            "reserved": 0,
        },
    )

    stock.refresh_from_db()
    assert stock.reserved == 2


def test_stock_edit_below_reserved_units_is_refused_with_a_message(staff_client):
    stock = StockFactory(present=5, reserved=2)

    response = staff_client.post(
        _url(Stock, "change", stock.pk),
        {"product": stock.product_id, "warehouse": stock.warehouse_id, "present": 1},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["present"] == [
        "Present cannot be below the 2 units reserved by open orders."
    ]
    stock.refresh_from_db()
    assert stock.present == 5


def test_stock_edit_above_the_cap_is_refused_with_a_message(staff_client):
    stock = StockFactory(present=5)

    response = staff_client.post(
        _url(Stock, "change", stock.pk),
        {
            "product": stock.product_id,
            "warehouse": stock.warehouse_id,
            "present": 1_000_001,
        },
    )

    assert response.context["adminform"].form.errors["present"] == [
        "At most 1,000,000 units of a product fit in one warehouse."
    ]
    stock.refresh_from_db()
    assert stock.present == 5

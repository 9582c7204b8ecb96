"""The staff admin's archive, restore and delete actions use the services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from inventory.factories import ProductFactory, StockFactory
from inventory.models import Product

PRODUCTS = reverse("admin:inventory_product_changelist")
LIBRARY = reverse("admin:archive_archivedproduct_changelist")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def run_action(client, url, action, products, **extra):
    return client.post(
        url,
        {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in products], **extra},
        follow=True,
    )


def shown_messages(response):
    return [str(m) for m in response.context["messages"]]


def test_admin_archive_action_archives_across_sellers(
    staff_client, empty_product, rival_product, ozon_stocked
):
    response = run_action(
        staff_client,
        PRODUCTS,
        "archive_selected",
        [empty_product, rival_product, ozon_stocked],
    )

    assert sorted(Product.objects.in_archive().values_list("offer_id", flat=True)) == [
        "EMPTY-1",
        "RIVAL-1",
    ]
    assert shown_messages(response) == [
        "2 products moved to the Archive Library.",
        "1 product was left unchanged: OZON-1: Cannot be archived: stock in the "
        "marketplace warehouse (2).",
    ]


def test_admin_has_no_bulk_delete_for_products(staff_client, empty_product):
    response = staff_client.get(PRODUCTS)

    actions = [
        value
        for value, _label in response.context["action_form"].fields["action"].choices
    ]
    assert "delete_selected" not in actions
    assert "archive_selected" in actions


def test_admin_django_delete_is_refused(staff_client, empty_product):
    url = reverse("admin:inventory_product_delete", args=[empty_product.pk])

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert Product.objects.filter(pk=empty_product.pk).exists()


def test_admin_library_lists_only_archived(
    staff_client, archived_pending, empty_product
):
    response = staff_client.get(LIBRARY)

    assert [p.offer_id for p in response.context["cl"].result_list] == ["ARCH-P"]


def test_admin_restore_action(staff_client, archived_pending):
    response = run_action(staff_client, LIBRARY, "restore_selected", [archived_pending])

    archived_pending.refresh_from_db()
    assert archived_pending.archived_at is None
    assert shown_messages(response) == ["1 product restored to the Product List."]


def test_admin_delete_action_asks_for_confirmation_first(
    staff_client, archived_pending, archived_approved
):
    response = run_action(
        staff_client,
        LIBRARY,
        "delete_selected_products",
        [archived_pending, archived_approved],
    )

    html = response.content.decode()
    assert "1 product will be deleted." in html
    assert "ARCH-A Old bestseller — Passed moderation" in html
    assert Product.objects.count() == 2


def test_admin_confirmed_delete_deletes_only_the_deletable(
    staff_client, archived_pending, archived_approved, fbs
):
    StockFactory(product=archived_pending, warehouse=fbs, present=0)

    response = run_action(
        staff_client,
        LIBRARY,
        "delete_selected_products",
        [archived_pending, archived_approved],
        confirmed="yes",
    )

    assert list(Product.objects.values_list("offer_id", flat=True)) == ["ARCH-A"]
    assert shown_messages(response)[0] == "1 product deleted permanently."


def test_admin_delete_across_sellers(staff_client, other_seller):
    rival = ProductFactory(seller=other_seller, archived=True)

    run_action(
        staff_client, LIBRARY, "delete_selected_products", [rival], confirmed="yes"
    )

    assert not Product.objects.filter(pk=rival.pk).exists()

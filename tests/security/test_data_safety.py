"""Deleting loses no record: the activity log keeps what the product was."""

from django.urls import reverse

from inventory.models import ActivityEntry, ActivityItem, Product


def delete_from_the_library(client, product_id):
    data = {"operation": "delete", "scope": "ids", "ids": [product_id]}
    client.post(reverse("archive:operate"), data)  # the confirmation page
    return client.post(reverse("archive:operate"), {**data, "confirmed": "yes"})


def test_deleted_product_leaves_offer_id_name_and_last_stock(seller_client, world):
    delete_from_the_library(seller_client, world.own.archived)

    item = ActivityItem.objects.get(product_id=world.own.archived)
    assert not Product.objects.filter(pk=world.own.archived).exists()
    assert (item.offer_id, item.name, item.present, item.reserved) == (
        "ACME-3",
        "Acme archived",
        0,
        0,
    )


def test_deleted_products_entry_names_who_and_which_seller(seller_client, world):
    delete_from_the_library(seller_client, world.own.archived)

    entry = ActivityEntry.objects.get(items__product_id=world.own.archived)
    assert (entry.operation, entry.seller, entry.actor, entry.count) == (
        "delete",
        world.seller,
        world.user,
        1,
    )


def test_confirmation_page_alone_deletes_nothing(seller_client, world):
    data = {"operation": "delete", "scope": "ids", "ids": [world.own.archived]}

    seller_client.post(reverse("archive:operate"), data)

    assert Product.objects.filter(pk=world.own.archived).exists()
    assert not ActivityItem.objects.filter(product_id=world.own.archived).exists()


def test_staff_read_the_deleted_products_record_in_the_admin(client, world):
    client.force_login(world.user)
    delete_from_the_library(client, world.own.archived)
    entry = ActivityEntry.objects.get(items__product_id=world.own.archived)
    client.force_login(world.staff)

    response = client.get(
        reverse("admin:inventory_activityentry_change", args=[entry.pk])
    )

    assert response.status_code == 200
    assert "ACME-3" in response.content.decode()

"""The Operation menus' POST path, the Archive Library and the delete
confirmation, as a seller uses them."""

import pytest
from django.test import Client
from django.urls import reverse

from inventory.factories import ProductFactory, StockFactory
from inventory.models import ActivityEntry, Product
from tests.inventory.helpers import row_html, rows

PRODUCTS = reverse("inventory:product_list")
LIBRARY = reverse("archive:library")
OPERATE_PRODUCTS = reverse("archive:operate_products")
OPERATE_LIBRARY = reverse("archive:operate")


def messages_after(response):
    return [str(m) for m in response.wsgi_request._messages]


def archived_offers():
    return sorted(Product.objects.in_archive().values_list("offer_id", flat=True))


# Product List -> Archive


def test_archive_ticked_products(seller_client, seller):
    mine = [ProductFactory(seller=seller, offer_id=f"T-{i}") for i in range(2)]

    response = seller_client.post(
        OPERATE_PRODUCTS, {"operation": "archive", "ids": [p.pk for p in mine]}
    )

    assert response.status_code == 302
    assert archived_offers() == ["T-0", "T-1"]
    assert messages_after(response) == ["2 products moved to the Archive Library."]


def test_row_archive_button_uses_the_same_path(seller_client, empty_product):
    response = seller_client.post(
        OPERATE_PRODUCTS,
        {"operation": "archive", "scope": "ids", "ids": empty_product.pk},
    )

    assert archived_offers() == ["EMPTY-1"]
    assert messages_after(response) == ["1 product moved to the Archive Library."]


def test_refused_products_are_listed_with_their_reason(
    seller_client, empty_product, fully_reserved
):
    response = seller_client.post(
        OPERATE_PRODUCTS,
        {"operation": "archive", "ids": [empty_product.pk, fully_reserved.pk]},
    )

    assert messages_after(response) == [
        "1 product moved to the Archive Library.",
        "1 product was left unchanged:",
        "RES-1: Cannot be archived: reserved by 2 orders.",
    ]


def test_redirect_keeps_the_filter_sort_and_page(seller_client, empty_product):
    response = seller_client.post(
        f"{OPERATE_PRODUCTS}?q=mug&sort=name&page=2",
        {"operation": "archive", "ids": empty_product.pk},
    )

    assert response["Location"] == f"{PRODUCTS}?q=mug&sort=name&page=2"


def test_all_matching_archives_what_the_filter_matches_now(
    seller_client, seller, make_product, fbo, rival_product
):
    for index in range(3):
        make_product(offer_id=f"ALL-{index}", name="Blue mug")
    stocked = make_product(offer_id="STOCKED", name="Blue mug")
    StockFactory(product=stocked, warehouse=fbo, present=1)
    make_product(offer_id="RED", name="Red mug")

    response = seller_client.post(
        f"{OPERATE_PRODUCTS}?q=blue",
        {"operation": "archive", "scope": "all", "ids": [rival_product.pk]},
    )

    rival_product.refresh_from_db()
    assert archived_offers() == ["ALL-0", "ALL-1", "ALL-2"]
    assert rival_product.archived_at is None
    assert messages_after(response)[:2] == [
        "3 products moved to the Archive Library.",
        "1 product was left unchanged:",
    ]


def test_empty_selection_warns_and_changes_nothing(seller_client, empty_product):
    response = seller_client.post(OPERATE_PRODUCTS, {"operation": "archive"})

    assert response.status_code == 302
    assert archived_offers() == []
    assert messages_after(response) == ["No products were selected."]
    assert not ActivityEntry.objects.exists()


@pytest.mark.parametrize("operation", ["", "drop", "restore"])
def test_unknown_operation_warns_and_changes_nothing(
    seller_client, empty_product, operation
):
    response = seller_client.post(
        OPERATE_PRODUCTS, {"operation": operation, "ids": empty_product.pk}
    )

    assert archived_offers() == []
    assert messages_after(response) == ["Choose an operation from the menu."]


def test_too_many_posted_ids_are_refused(seller_client, empty_product, settings):
    settings.MAX_POSTED_IDS = 2

    response = seller_client.post(
        OPERATE_PRODUCTS, {"operation": "archive", "ids": [empty_product.pk, 8, 9]}
    )

    assert archived_offers() == []
    assert messages_after(response) == [
        'At most 2 products can be ticked at once; choose "all matching this '
        'filter" instead.'
    ]


def test_malformed_id_is_a_400(seller_client, empty_product):
    response = seller_client.post(
        OPERATE_PRODUCTS, {"operation": "archive", "ids": [empty_product.pk, "1 OR 1"]}
    )

    assert response.status_code == 400
    assert archived_offers() == []


def test_another_sellers_ids_change_nothing(seller_client, rival_product):
    response = seller_client.post(
        OPERATE_PRODUCTS, {"operation": "archive", "ids": rival_product.pk}
    )

    rival_product.refresh_from_db()
    assert rival_product.archived_at is None
    assert messages_after(response) == [
        "1 product was left unchanged:",
        f"#{rival_product.pk}: Not found.",
    ]


def test_get_on_an_operation_url_changes_nothing(seller_client, empty_product):
    response = seller_client.get(
        OPERATE_PRODUCTS, {"operation": "archive", "ids": empty_product.pk}
    )

    assert response.status_code == 405
    assert archived_offers() == []


def test_operation_requires_login(client, empty_product):
    response = client.post(
        OPERATE_PRODUCTS, {"operation": "archive", "ids": empty_product.pk}
    )

    assert response.status_code == 302
    assert archived_offers() == []


@pytest.mark.parametrize(
    ("url", "operation"),
    [
        (OPERATE_PRODUCTS, "archive"),
        (OPERATE_LIBRARY, "restore"),
        (OPERATE_LIBRARY, "delete"),
    ],
)
def test_csrf_is_enforced_on_every_operation(
    seller_user, archived_pending, empty_product, url, operation
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller_user)
    target = empty_product if operation == "archive" else archived_pending

    response = client.post(
        url, {"operation": operation, "ids": target.pk, "confirmed": "yes"}
    )

    assert response.status_code == 403
    assert Product.objects.in_archive().count() == 1


def test_csrf_is_enforced_on_the_login_form(seller_user):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("login"), {"username": "acme", "password": "password"}
    )

    assert response.status_code == 403


def test_the_forms_carry_a_csrf_token(seller_client, empty_product):
    html = seller_client.get(PRODUCTS).content.decode()

    assert html.count('name="csrfmiddlewaretoken"') >= 3  # logout, bulk, row


# Archive Library


def test_library_lists_only_the_sellers_archived_products(
    seller_client, seller, archived_pending, empty_product, other_seller
):
    ProductFactory(seller=other_seller, archived=True, offer_id="RIVAL-A")

    response = seller_client.get(LIBRARY)

    assert rows(response) == ["ARCH-P"]


def test_library_row_shows_who_archived_it(seller_client, seller, seller_user):
    ProductFactory(
        seller=seller, offer_id="BY-1", archived=True, archived_by=seller_user
    )

    response = seller_client.get(LIBRARY)

    assert ">acme<" in row_html(response, "BY-1")


def test_library_offers_delete_only_where_allowed(
    seller_client, archived_pending, archived_approved
):
    response = seller_client.get(LIBRARY)

    assert 'form="row-delete"' in row_html(response, "ARCH-P")
    approved = row_html(response, "ARCH-A")
    assert 'form="row-delete"' not in approved
    assert 'form="row-restore"' in approved
    assert "Passed moderation" in approved


def test_library_filter_deletable(seller_client, archived_pending, archived_approved):
    response = seller_client.get(LIBRARY, {"stock": "deletable"})

    assert rows(response) == ["ARCH-P"]


def test_library_page_costs_a_fixed_number_of_queries(
    seller_client, seller, seller_user, django_assert_num_queries
):
    for index in range(30):
        ProductFactory(
            seller=seller, archived=True, archived_by=seller_user, approved=index % 2
        )

    with django_assert_num_queries(7):
        response = seller_client.get(LIBRARY, {"per_page": "25"})

    assert len(rows(response)) == 25


def test_restore_ticked_products(seller_client, archived_pending, archived_approved):
    response = seller_client.post(
        OPERATE_LIBRARY,
        {"operation": "restore", "ids": [archived_pending.pk, archived_approved.pk]},
    )

    assert response["Location"] == LIBRARY
    assert archived_offers() == []
    assert messages_after(response) == ["2 products restored to the Product List."]


def test_archive_export_lists_the_archived_products(seller_client, archived_pending):
    response = seller_client.get(reverse("archive:export"))

    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("Offer ID,Name,SKU,Moderation,Archived,Archived by")
    assert [line.split(",")[0] for line in lines[1:]] == ["ARCH-P"]


# Delete and its confirmation


def test_delete_first_shows_a_confirmation_and_deletes_nothing(
    seller_client, archived_pending, archived_approved
):
    response = seller_client.post(
        OPERATE_LIBRARY,
        {"operation": "delete", "ids": [archived_pending.pk, archived_approved.pk]},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 product will be deleted." in html
    assert "This cannot be undone" in html
    assert "Old draft" in html
    assert (
        "Old bestseller — Passed moderation, so it cannot be deleted; it can only "
        "be archived." in html
    )
    assert Product.objects.count() == 2
    assert not ActivityEntry.objects.exists()


def test_confirmed_delete_deletes_the_deletable(
    seller_client, archived_pending, archived_approved
):
    response = seller_client.post(
        OPERATE_LIBRARY,
        {
            "operation": "delete",
            "ids": [archived_pending.pk, archived_approved.pk],
            "confirmed": "yes",
        },
    )

    assert response.status_code == 302
    assert list(Product.objects.values_list("offer_id", flat=True)) == ["ARCH-A"]
    assert messages_after(response) == [
        "1 product deleted permanently.",
        "1 product was left unchanged:",
        "ARCH-A: Passed moderation, so it cannot be deleted; it can only be archived.",
    ]


def test_confirmation_of_all_matching_caps_the_list(seller_client, seller):
    for index in range(53):
        ProductFactory(seller=seller, archived=True, offer_id=f"D-{index:02d}")

    response = seller_client.post(
        f"{OPERATE_LIBRARY}?stock=deletable", {"operation": "delete", "scope": "all"}
    )

    html = response.content.decode()
    assert "53 products will be deleted." in html
    assert "…and 3 more" in html
    assert 'name="scope" value="all"' in html
    assert f'action="{OPERATE_LIBRARY}?stock=deletable"' in html


def test_confirmed_all_matching_delete_recomputes_the_set(
    seller_client, seller, archived_approved
):
    ProductFactory.create_batch(4, seller=seller, archived=True, name="Draft")

    seller_client.post(
        f"{OPERATE_LIBRARY}?q=draft",
        {"operation": "delete", "scope": "all", "confirmed": "yes"},
    )

    assert list(Product.objects.values_list("offer_id", flat=True)) == ["ARCH-A"]


def test_all_matching_nothing_says_so(seller_client, empty_product):
    response = seller_client.post(
        f"{OPERATE_PRODUCTS}?q=no-such-product",
        {"operation": "archive", "scope": "all"},
    )

    assert archived_offers() == []
    assert messages_after(response) == ["Nothing matched the selection."]


def test_unknown_scope_is_a_400(seller_client, empty_product):
    response = seller_client.post(
        OPERATE_PRODUCTS,
        {"operation": "archive", "scope": "everything", "ids": empty_product.pk},
    )

    assert response.status_code == 400
    assert archived_offers() == []


def test_confirmation_without_anything_deletable_offers_no_delete(
    seller_client, archived_approved
):
    response = seller_client.post(
        OPERATE_LIBRARY, {"operation": "delete", "ids": archived_approved.pk}
    )

    html = response.content.decode()
    assert "None of the selected products can be deleted." in html
    assert 'data-testid="confirm-delete-button"' not in html


def test_library_rows_do_not_link_to_stock_editing(seller_client, archived_pending):
    response = seller_client.get(LIBRARY)

    html = row_html(response, "ARCH-P")
    assert "Old draft" in html
    assert "/stock/" not in html


@pytest.mark.parametrize("count", [5, 60])
def test_all_matching_costs_the_same_queries_for_any_size(
    seller_client, seller, count, on_postgres, django_assert_num_queries
):
    ProductFactory.create_batch(count, seller=seller, name="Spare part")

    # session, user, seller, the service's statements in a savepoint (with
    # PostgreSQL's row lock), the messages saved in the session: no query per
    # product and no list of IDs fetched
    with django_assert_num_queries(14 if on_postgres else 13):
        seller_client.post(
            f"{OPERATE_PRODUCTS}?q=spare", {"operation": "archive", "scope": "all"}
        )

    assert Product.objects.in_archive().count() == count

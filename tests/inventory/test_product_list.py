"""The Product List page: scope, columns, badges, the row's action."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.factories import (
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StockFactory,
)
from inventory.models import ActivityEntry, Product

from .helpers import row_html, row_text, rows

URL = reverse("inventory:product_list")


def out_of_stock_for(product, days, hidden=False):
    since = timezone.now() - timedelta(days=days, hours=1)
    Product.objects.filter(pk=product.pk).update(
        out_of_stock_since=since,
        hidden_from_search_at=timezone.now() if hidden else None,
    )


def test_product_list_requires_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_a_seller_is_refused(client, db):
    from inventory.factories import UserFactory

    client.force_login(UserFactory(username="loner"))

    response = client.get(URL)

    assert response.status_code == 403


def test_lists_only_the_sellers_products_on_sale(seller_client, seller, other_seller):
    ProductFactory(seller=seller, offer_id="MINE-1")
    ProductFactory(seller=seller, offer_id="OLD-1", archived=True)
    ProductFactory(seller=other_seller, offer_id="RIVAL-1")

    response = seller_client.get(URL)

    assert rows(response) == ["MINE-1"]


def test_row_shows_warehouse_columns_with_my_warehouses_summed(
    seller_client, seller, fbo, fbs, fbs2
):
    product = ProductFactory(seller=seller, offer_id="A-1", name="Mug", approved=True)
    StockFactory(product=product, warehouse=fbo, present=7, reserved=2)
    StockFactory(product=product, warehouse=fbs, present=3)
    StockFactory(product=product, warehouse=fbs2, present=4, reserved=1)

    response = seller_client.get(URL)

    text = row_text(response, "A-1")
    assert text.startswith(f"A-1 Mug {product.sku} Approved 5 6 3")


def test_reserved_links_to_the_orders_holding_the_product(seller_client, seller, fbo):
    product = ProductFactory(seller=seller, offer_id="R-1", approved=True)
    StockFactory(product=product, warehouse=fbo, present=2, reserved=2)
    for _ in range(2):
        OrderLineFactory(
            order=OrderFactory(seller=seller), product=product, warehouse=fbo
        )

    response = seller_client.get(URL)

    html = row_html(response, "R-1")
    link = f'href="{reverse("orders:order_list")}?product={product.pk}"'
    assert link in html
    assert "reserved by 2 orders" in html


def test_archivable_row_offers_the_archive_button(seller_client, seller):
    product = ProductFactory(seller=seller, offer_id="E-1")

    response = seller_client.get(URL)

    html = row_html(response, "E-1")
    assert f'form="row-archive" name="ids" value="{product.pk}"' in html


@pytest.mark.parametrize(
    ("present", "reserved", "where", "reason"),
    [
        (3, 0, "fbs", "3 in My warehouse"),
        (2, 0, "fbo", "2 in OZON warehouse"),
        (2, 2, "fbo", "2 reserved"),
    ],
)
def test_unarchivable_row_says_why(
    seller_client, seller, fbo, fbs, present, reserved, where, reason
):
    product = ProductFactory(seller=seller, offer_id="X-1", approved=True)
    warehouse = fbo if where == "fbo" else fbs
    StockFactory(
        product=product, warehouse=warehouse, present=present, reserved=reserved
    )

    response = seller_client.get(URL)

    html = row_html(response, "X-1")
    assert 'form="row-archive"' not in html
    assert row_text(response, "X-1").endswith(reason)


def test_badge_in_sale(seller_client, seller, fbo):
    StockFactory(product=ProductFactory(seller=seller, offer_id="S-1", approved=True))

    response = seller_client.get(URL)

    assert "In sale" in row_text(response, "S-1")


def test_badge_out_of_stock_for_n_days(seller_client, seller):
    product = ProductFactory(seller=seller, offer_id="O-1", approved=True)
    out_of_stock_for(product, 5)

    response = seller_client.get(URL)

    text = row_text(response, "O-1")
    assert "Out of stock for 5 days" in text
    assert "Hides from search" not in text


def test_badge_warns_from_day_23_before_hiding(seller_client, seller):
    product = ProductFactory(seller=seller, offer_id="W-1", approved=True)
    out_of_stock_for(product, 23)

    response = seller_client.get(URL)

    assert "Hides from search in 7 days" in row_text(response, "W-1")


def test_badge_warning_day_is_a_setting(seller_client, seller, settings):
    settings.HIDE_WARNING_FROM_DAYS = 10
    product = ProductFactory(seller=seller, offer_id="W-2", approved=True)
    out_of_stock_for(product, 12)

    response = seller_client.get(URL)

    assert "Hides from search in 18 days" in row_text(response, "W-2")


def test_badge_no_warning_on_day_22(seller_client, seller):
    product = ProductFactory(seller=seller, offer_id="W-3", approved=True)
    out_of_stock_for(product, 22)

    response = seller_client.get(URL)

    assert "Hides from search" not in row_text(response, "W-3")


def test_badge_hidden_from_search(seller_client, seller):
    product = ProductFactory(seller=seller, offer_id="H-1", approved=True)
    out_of_stock_for(product, 40, hidden=True)

    response = seller_client.get(URL)

    text = row_text(response, "H-1")
    assert "Hidden from search" in text
    assert "Hides from search in" not in text


def test_badge_reserved_standby(seller_client, seller, fbo):
    product = ProductFactory(seller=seller, offer_id="RS-1", approved=True)
    StockFactory(product=product, warehouse=fbo, present=1, reserved=1)

    response = seller_client.get(URL)

    assert "Reserved — standby" in row_text(response, "RS-1")


@pytest.mark.parametrize(
    ("trait", "badge"),
    [("failed", "Failed moderation"), ("pending", "Pending moderation")],
)
def test_badge_moderation(seller_client, seller, trait, badge):
    kwargs = {"failed": True} if trait == "failed" else {}
    ProductFactory(seller=seller, offer_id="M-1", **kwargs)

    response = seller_client.get(URL)

    html = row_html(response, "M-1")
    assert f'<span class="badge bad">{badge}</span>' in html or (
        f'<span class="badge ">{badge}</span>' in html
    )


def test_header_tabs_show_the_counts(seller_client, seller):
    ProductFactory.create_batch(3, seller=seller)
    ProductFactory(seller=seller, archived=True)

    response = seller_client.get(URL)

    assert response.context["tab_counts"]["active"] == 3
    assert response.context["tab_counts"]["archived"] == 1
    assert 'Product List <span class="count">3</span>' in response.content.decode()


def test_get_changes_nothing(seller_client, seller):
    product = ProductFactory(seller=seller)
    before = Product.objects.values().get(pk=product.pk)

    seller_client.get(URL, {"stock": "archivable", "sort": "-name"})

    assert Product.objects.values().get(pk=product.pk) == before
    assert not ActivityEntry.objects.exists()


def test_badge_out_of_stock_since_today(seller_client, seller):
    product = ProductFactory(seller=seller, offer_id="T-0", approved=True)
    Product.objects.filter(pk=product.pk).update(out_of_stock_since=timezone.now())

    response = seller_client.get(URL)

    assert "Out of stock since today" in row_text(response, "T-0")


def test_selection_banner_counts_products(seller_client, seller):
    ProductFactory.create_batch(26, seller=seller)

    response = seller_client.get(URL)

    page = response.content.decode()
    assert "All 25 products on this page are selected." in page
    assert "All 26 products matching this filter are selected." in page

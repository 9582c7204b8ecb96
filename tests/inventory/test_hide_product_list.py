"""What the seller's Product List shows after hide_out_of_stock runs.

The page is helper B's; these tests check the command and the page agree.
"""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from inventory.factories import ProductFactory
from inventory.models import Product
from inventory.services.stock import set_stock

from .helpers import row_text, rows

URL = reverse("inventory:product_list")


def out_of_stock_since(product, days):
    Product.objects.filter(pk=product.pk).update(
        out_of_stock_since=timezone.now() - timedelta(days=days)
    )


def test_product_hidden_by_the_command_shows_the_hidden_badge(seller_client, seller):
    product = ProductFactory(seller=seller, offer_id="GONE-1", approved=True)
    out_of_stock_since(product, 31)

    call_command("hide_out_of_stock", stdout=StringIO())
    response = seller_client.get(URL)

    text = row_text(response, "GONE-1")
    assert "Hidden from search" in text
    assert "Hides from search in" not in text


def test_hidden_filter_lists_what_the_command_hid(seller_client, seller):
    hidden = ProductFactory(seller=seller, offer_id="GONE-2", approved=True)
    kept = ProductFactory(seller=seller, offer_id="SOON-2", approved=True)
    out_of_stock_since(hidden, 31)
    out_of_stock_since(kept, 29)

    call_command("hide_out_of_stock", stdout=StringIO())
    response = seller_client.get(URL, {"stock": "hidden"})

    assert rows(response) == ["GONE-2"]


def test_restocked_product_loses_the_hidden_badge(
    seller_client, seller, seller_user, fbs
):
    product = ProductFactory(seller=seller, offer_id="BACK-1", approved=True)
    out_of_stock_since(product, 31)
    call_command("hide_out_of_stock", stdout=StringIO())

    set_stock(seller, product, fbs, 3, actor=seller_user)
    response = seller_client.get(URL)

    assert "Hidden from search" not in row_text(response, "BACK-1")

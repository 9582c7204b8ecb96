import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory.factories import ProductFactory, StockFactory
from inventory.models import Stock

pytestmark = pytest.mark.django_db

UPLOAD = reverse("inventory:stock_upload")


@pytest.fixture
def product(seller):
    return ProductFactory(seller=seller, approved=True, offer_id="KET-1", name="Kettle")


def edit_url(product):
    return reverse("inventory:stock_edit", args=[product.pk])


def csv_file(text, name="stock.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(client, text):
    return client.post(UPLOAD, {"file": csv_file(text)})


def figures(product, warehouse):
    row = Stock.objects.get(product=product, warehouse=warehouse)
    return row.present, row.reserved


# The edit form


def test_edit_form_shows_available_and_reserved(seller_client, product, fbs):
    StockFactory(product=product, warehouse=fbs, present=9, reserved=2)

    response = seller_client.get(edit_url(product))

    page = response.content.decode()
    assert 'value="7"' in page
    assert "Available to buyers; 2 more are reserved by orders." in page


def test_edit_form_sets_available_per_warehouse(seller_client, product, fbs, fbs2):
    StockFactory(product=product, warehouse=fbs, present=9, reserved=2)

    response = seller_client.post(
        edit_url(product),
        {f"warehouse_{fbs.pk}": "3", f"warehouse_{fbs2.pk}": "4"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Stock of “Kettle” saved."
    ]
    assert figures(product, fbs) == (5, 2)
    assert figures(product, fbs2) == (4, 0)


def test_edit_form_refuses_a_negative_figure(seller_client, product, fbs):
    StockFactory(product=product, warehouse=fbs, present=9)

    response = seller_client.post(edit_url(product), {f"warehouse_{fbs.pk}": "-1"})

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in (
        response.content.decode()
    )
    assert figures(product, fbs) == (9, 0)


def test_edit_form_refuses_a_figure_over_the_cap_less_reserved(
    seller_client, product, fbs
):
    StockFactory(product=product, warehouse=fbs, present=10, reserved=10)

    response = seller_client.post(edit_url(product), {f"warehouse_{fbs.pk}": "999991"})

    assert "Ensure this value is less than or equal to 999990." in (
        response.content.decode()
    )
    assert figures(product, fbs) == (10, 10)


def test_edit_form_for_another_sellers_product_is_not_found(
    seller_client, other_seller
):
    foreign = ProductFactory(seller=other_seller)

    response = seller_client.get(edit_url(foreign))

    assert response.status_code == 404


def test_edit_form_for_an_archived_product_changes_nothing(seller_client, seller, fbs):
    archived = ProductFactory(seller=seller, archived=True)
    StockFactory(product=archived, warehouse=fbs, present=0)

    response = seller_client.post(edit_url(archived), {f"warehouse_{fbs.pk}": "5"})

    assert "This product is in the Archive Library; restore it to change its " in (
        response.content.decode()
    )
    assert figures(archived, fbs) == (0, 0)


# The CSV upload


def test_upload_of_a_clean_file_shows_a_preview_and_changes_nothing(
    seller_client, product, fbs
):
    StockFactory(product=product, warehouse=fbs, present=3)

    response = upload(
        seller_client, f"offer_id,warehouse,quantity\nKET-1,{fbs.name},8\n"
    )

    assert "Check 1 row before applying it" in response.content.decode()
    assert figures(product, fbs) == (3, 0)


def test_applying_the_preview_sets_the_stock(seller_client, product, fbs):
    StockFactory(product=product, warehouse=fbs, present=3, reserved=1)
    preview = upload(
        seller_client, f"offer_id,warehouse,quantity\nKET-1,{fbs.name},8\n"
    )

    response = seller_client.post(
        UPLOAD, {"action": "apply", "token": preview.context["token"]}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Stock updated from the file: 1 row applied."
    ]
    assert figures(product, fbs) == (9, 1)


def test_applying_a_preview_twice_changes_nothing_more(seller_client, product, fbs):
    preview = upload(
        seller_client, f"offer_id,warehouse,quantity\nKET-1,{fbs.name},8\n"
    )
    apply = {"action": "apply", "token": preview.context["token"]}
    seller_client.post(UPLOAD, apply, follow=True)

    response = seller_client.post(UPLOAD, apply, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "This preview has expired or was already applied; upload the file again."
    ]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            "NOPE,{warehouse},1",
            "Row 2: no product with offer ID “NOPE” in your catalogue.",
        ),
        ("KET-1,Garage,1", "Row 2: you have no warehouse named “Garage”."),
        ("KET-1,{warehouse},ten", "Row 2: the quantity “ten” is not a whole number."),
        ("KET-1,{warehouse},-3", "Row 2: the quantity -3 is negative; 0 is the least."),
        (
            "KET-1,{warehouse},1000001",
            "Row 2: the quantity 1,000,001 is above the cap of 1,000,000.",
        ),
        (
            "KET-1,OZON Moscow,5",
            "Row 2: “OZON Moscow” is an OZON warehouse; its stock changes only "
            "when the marketplace receives a supply.",
        ),
    ],
)
def test_upload_reports_each_bad_row(seller_client, product, fbs, fbo, row, error):
    text = "offer_id,warehouse,quantity\n" + row.format(warehouse=fbs.name)

    response = upload(seller_client, text)

    assert response.context["errors"] == [error]
    assert not Stock.objects.filter(product=product).exists()


def test_upload_refuses_a_row_whose_reserved_units_would_pass_the_cap(
    seller_client, product, fbs
):
    StockFactory(product=product, warehouse=fbs, present=5, reserved=5)

    response = upload(
        seller_client, f"offer_id,warehouse,quantity\nKET-1,{fbs.name},999996\n"
    )

    assert response.context["errors"] == [
        "Row 2: 999,996 available plus 5 reserved would be above the cap of 1,000,000."
    ]


def test_upload_with_one_bad_row_applies_none(seller_client, product, fbs, seller):
    mug = ProductFactory(seller=seller, offer_id="MUG-1")
    text = f"offer_id,warehouse,quantity\nKET-1,{fbs.name},4\nMUG-1,{fbs.name},x\n"

    response = upload(seller_client, text)

    assert response.context["errors"] == [
        "Row 3: the quantity “x” is not a whole number."
    ]
    assert "1 problem found; nothing was changed." in response.content.decode()
    assert not Stock.objects.filter(product__in=[product, mug]).exists()


def test_upload_refuses_another_sellers_offer_id(
    seller_client, product, fbs, other_seller
):
    ProductFactory(seller=other_seller, offer_id="RIVAL-1")

    response = upload(
        seller_client, f"offer_id,warehouse,quantity\nRIVAL-1,{fbs.name},4\n"
    )

    assert response.context["errors"] == [
        "Row 2: no product with offer ID “RIVAL-1” in your catalogue."
    ]


def test_upload_refuses_an_archived_product(seller_client, seller, fbs):
    ProductFactory(seller=seller, offer_id="OLD-1", archived=True)

    response = upload(seller_client, f"offer_id,warehouse,quantity\nOLD-1,{fbs.name},4")

    assert response.context["errors"] == [
        "Row 2: “OLD-1” is in the Archive Library; restore it to change its stock."
    ]


def test_upload_refuses_the_same_pair_twice(seller_client, product, fbs):
    text = f"offer_id,warehouse,quantity\nKET-1,{fbs.name},4\nKET-1,{fbs.name},5\n"

    response = upload(seller_client, text)

    assert response.context["errors"] == [
        f"Row 3: “KET-1” in “{fbs.name}” is already set on row 2."
    ]


def test_upload_accepts_semicolons_and_a_spreadsheet_header(
    seller_client, product, fbs
):
    text = f"Offer ID;Warehouse;Quantity\r\nKET-1;{fbs.name};6\r\n"

    response = upload(seller_client, text)

    assert response.context["preview"][0].after == 6


def test_upload_without_the_expected_header_is_refused(seller_client, product):
    response = upload(seller_client, "a,b,c\nKET-1,x,1\n")

    assert response.context["errors"] == [
        "Row 1: the header must name the columns “offer ID”, “warehouse” and "
        "“quantity”."
    ]


def test_upload_with_too_many_rows_is_refused(seller_client, product, fbs, settings):
    settings.STOCK_UPLOAD_MAX_ROWS = 2
    rows = "".join(f"KET-1,{fbs.name},{n}\n" for n in range(3))

    response = upload(seller_client, "offer_id,warehouse,quantity\n" + rows)

    assert response.context["errors"] == [
        "The file has 3 rows; at most 2 are accepted at once."
    ]


def test_upload_of_a_file_too_large_is_refused(seller_client, product, monkeypatch):
    monkeypatch.setattr("inventory.stock_forms.MAX_UPLOAD_BYTES", 10)

    response = upload(seller_client, "offer_id,warehouse,quantity\n")

    assert response.context["form"].errors["file"] == [
        "The file is larger than 10\xa0bytes; split it into smaller files."
    ]


def test_upload_of_a_file_not_utf8_is_refused(seller_client, product):
    response = seller_client.post(
        UPLOAD, {"file": SimpleUploadedFile("s.csv", b"\xff\xfe\x00o")}
    )

    assert response.context["form"].errors["file"] == [
        "The file is not UTF-8 text; save it as “CSV UTF-8” and retry."
    ]


def test_upload_page_requires_login(client, db):
    response = client.get(UPLOAD)

    assert response.status_code == 302


def test_product_list_links_each_row_to_its_stock_form(seller_client, product):
    response = seller_client.get(reverse("inventory:product_list"))

    assert (
        f'href="{edit_url(product)}" data-testid="edit-stock-KET-1">Edit stock</a>'
        in response.content.decode()
    )


def test_product_list_offers_the_stock_upload(seller_client, product):
    response = seller_client.get(reverse("inventory:product_list"))

    assert f'href="{UPLOAD}"' in response.content.decode()

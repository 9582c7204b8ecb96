"""Garbage sent to every form and endpoint: never a 500, never a change.

Property-based: hypothesis generates the input, each example runs inside a
transaction that is rolled back, so every example meets the same data, and
the snapshot taken before the request must equal the one after it.
"""

import csv
import io
import os
from urllib.parse import urlencode

import pytest
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import snapshot
from .probing import body_of, undone
from .strategies import bad_ids, bad_quantity, broken_query, garbage_text

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    # CI explores the same examples every run, so a red build always means
    # the code changed; local runs keep exploring new ones.
    derandomize=bool(os.environ.get("CI")),
    # The world fixture is built once per test, not per example; each
    # example runs in a rolled-back transaction, so it meets the same rows.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BULK_ENDPOINTS = {
    "archive:operate_products": "archive",
    "archive:operate": "restore",
    "orders:operate": "assemble",
}
LIST_PAGES = (
    "inventory:product_list",
    "archive:library",
    "orders:order_list",
    "inventory:product_export",
    "archive:export",
    "search:search",
)
KNOWN_OPERATIONS = {"archive", "restore", "delete", "assemble", "cancel"}


def domain_rows():
    """Every row but empty activity entries (a refused attempt may log one)."""
    rows = snapshot()
    rows["entries"] = [entry for entry in rows["entries"] if entry["count"]]
    return rows


def warnings_shown(response):
    context = response.context
    if context is None or "messages" not in context:
        return []
    return [m for m in context["messages"] if m.level >= constants.WARNING]


def assert_refused_clearly(response):
    """A 4xx with a page that explains, or a page carrying a warning."""
    if 400 <= response.status_code < 500:
        assert body_of(response).strip() != ""
        return
    assert response.status_code == 200
    body = body_of(response)
    assert warnings_shown(response) or 'class="errorlist' in body


def post_and_undo(client, url, data):
    with undone():
        before = domain_rows()
        response = client.post(url, data, follow=True)
        body_of(response)
        after = domain_rows()
    return response, before, after


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.user)
    return client


# Bulk endpoints


@pytest.mark.parametrize("name", sorted(BULK_ENDPOINTS))
@EXAMPLES
@given(ids=bad_ids)
def test_bulk_endpoint_refuses_malformed_ids(signed_in, world, name, ids):
    data = {"operation": BULK_ENDPOINTS[name], "scope": "ids", "ids": ids}

    response, before, after = post_and_undo(signed_in, reverse(name), data)

    assert after == before
    assert_refused_clearly(response)


@pytest.mark.parametrize("name", sorted(BULK_ENDPOINTS))
@EXAMPLES
@given(operation=garbage_text.filter(lambda op: op not in KNOWN_OPERATIONS))
def test_bulk_endpoint_refuses_unknown_operation(signed_in, world, name, operation):
    data = {"operation": operation, "scope": "ids", "ids": [world.own.empty]}

    response, before, after = post_and_undo(signed_in, reverse(name), data)

    assert after == before
    assert [str(m) for m in warnings_shown(response)] == [
        "Choose an operation from the menu."
    ]


@pytest.mark.parametrize("name", sorted(BULK_ENDPOINTS))
@EXAMPLES
@given(scope=garbage_text.filter(lambda s: s not in {"ids", "all", ""}))
def test_bulk_endpoint_refuses_unknown_scope(signed_in, world, name, scope):
    data = {"operation": BULK_ENDPOINTS[name], "scope": scope, "ids": [1]}

    response, before, after = post_and_undo(signed_in, reverse(name), data)

    assert after == before
    assert_refused_clearly(response)


@pytest.mark.parametrize("name", sorted(BULK_ENDPOINTS))
@EXAMPLES
@given(query=broken_query)
def test_all_matching_with_a_broken_filter_never_fails(signed_in, world, name, query):
    # A broken filter either is refused or, where a parameter is simply
    # ignored, selects from the seller's own rows; never a 500, never B's.
    data = {"operation": BULK_ENDPOINTS[name], "scope": "all"}
    other_before = snapshot(world.other_seller)

    with undone():
        url = f"{reverse(name)}?{urlencode(query)}"
        response = signed_in.post(url, data, follow=True)
        other_after = snapshot(world.other_seller)

    assert response.status_code < 500
    assert other_after == other_before


# List pages


@pytest.mark.parametrize("name", LIST_PAGES)
@EXAMPLES
@given(query=broken_query)
def test_list_page_survives_broken_filters_and_pages(signed_in, world, name, query):
    with undone():
        before = domain_rows()
        response = signed_in.get(reverse(name), query)
        body_of(response)
        after = domain_rows()

    assert response.status_code == 200
    assert after == before


# Quantities


@EXAMPLES
@given(quantity=bad_quantity)
def test_stock_form_refuses_a_bad_quantity(signed_in, world, quantity):
    url = reverse("inventory:stock_edit", kwargs={"pk": world.own.product})
    data = {f"warehouse_{world.own.warehouse}": quantity}

    response, before, after = post_and_undo(signed_in, url, data)

    assert after == before
    assert_refused_clearly(response)


@EXAMPLES
@given(quantity=bad_quantity)
def test_buy_form_refuses_a_bad_quantity(client, world, quantity):
    url = reverse("search:product", kwargs={"pk": world.own.product})
    data = {"quantity": quantity, "buyer_name": "Ann", "buyer_email": "a@example.com"}

    response, before, after = post_and_undo(client, url, data)

    assert after == before
    assert_refused_clearly(response)


@EXAMPLES
@given(quantity=bad_quantity)
def test_stock_upload_refuses_a_bad_quantity(signed_in, world, quantity):
    upload = _file(
        csv_text(
            ["offer ID", "warehouse", "quantity"],
            [[world.own.offer_id, "Acme main", quantity]],
        ).encode()
    )

    response, before, after = post_and_undo(
        signed_in, reverse("inventory:stock_upload"), {"file": upload}
    )

    assert after == before
    assert_refused_clearly(response)
    assert "Row 2:" in body_of(response) or "errorlist" in body_of(response)


@EXAMPLES
@given(content=st.binary(max_size=3000))
def test_stock_upload_of_random_bytes_never_fails(signed_in, world, content):
    response, before, after = post_and_undo(
        signed_in, reverse("inventory:stock_upload"), {"file": _file(content)}
    )

    assert after == before
    assert response.status_code < 500


def csv_text(header, rows):
    """Rows written as a spreadsheet would, quoting what needs quoting."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _file(content):
    return SimpleUploadedFile("stock.csv", content, content_type="text/csv")


# Sign-in


@EXAMPLES
@given(username=garbage_text, password=garbage_text)
def test_login_form_survives_garbage(client, db, username, password):
    with undone():
        response = client.post(
            reverse("login"), {"username": username, "password": password}
        )

    assert response.status_code in {200, 403, 429}


# Digits of other scripts: int() reads them, the forms refuse them on purpose.

FOREIGN = ["٣", "３", "३", "1_0", "+3"]


@pytest.mark.parametrize("quantity", FOREIGN)
def test_stock_form_refuses_digits_of_other_scripts(signed_in, world, quantity):
    url = reverse("inventory:stock_edit", kwargs={"pk": world.own.product})
    before = domain_rows()

    response = signed_in.post(url, {f"warehouse_{world.own.warehouse}": quantity})

    assert domain_rows() == before
    assert "Enter a whole number." in body_of(response)


@pytest.mark.parametrize("quantity", FOREIGN)
def test_buy_form_refuses_digits_of_other_scripts(client, world, quantity):
    url = reverse("search:product", kwargs={"pk": world.own.product})
    data = {"quantity": quantity, "buyer_name": "Ann", "buyer_email": "a@example.com"}
    before = domain_rows()

    response = client.post(url, data)

    assert response.status_code == 400
    assert domain_rows() == before
    assert "Enter a whole number." in body_of(response)


@pytest.mark.parametrize("quantity", FOREIGN)
def test_stock_upload_refuses_digits_of_other_scripts(signed_in, world, quantity):
    text = f"offer ID,warehouse,quantity\n{world.own.offer_id},Acme main,{quantity}\n"

    response = signed_in.post(
        reverse("inventory:stock_upload"), {"file": _file(text.encode())}
    )

    assert f"Row 2: the quantity “{quantity}” is not a whole number." in body_of(
        response
    )


@pytest.mark.parametrize("value", FOREIGN)
def test_bulk_endpoint_answers_digits_of_other_scripts_with_400(
    signed_in, world, value
):
    data = {"operation": "archive", "scope": "ids", "ids": [value]}
    before = domain_rows()

    response = signed_in.post(reverse("archive:operate_products"), data)

    assert response.status_code == 400
    assert domain_rows() == before


# Text searches: str.isdigit() is true of "²", which int() refuses.


@pytest.mark.parametrize("name", ["inventory:product_list", "archive:library"])
@pytest.mark.parametrize("query", ["²", "½", "٣", "1²"])
def test_list_search_takes_digit_like_symbols(signed_in, world, name, query):
    response = signed_in.get(reverse(name), {"q": query})

    assert response.status_code == 200


@pytest.mark.parametrize("query", ["²", "٣ ²", "１２"])
def test_buyers_search_takes_digit_like_symbols(client, world, query):
    response = client.get(reverse("search:search"), {"q": query})

    assert response.status_code == 200


def test_admin_product_search_takes_digit_like_symbols(client, world):
    client.force_login(world.staff)

    response = client.get(reverse("admin:inventory_product_changelist"), {"q": "²"})

    assert response.status_code == 200


# CSV uploads


def upload(client, content):
    return client.post(reverse("inventory:stock_upload"), {"file": _file(content)})


def test_upload_with_a_cell_past_the_csv_limit_is_refused(signed_in, world):
    text = "offer ID,warehouse,quantity\n" + "A" * 200_000 + ",Acme main,1\n"
    before = domain_rows()

    response = upload(signed_in, text.encode())

    assert domain_rows() == before
    assert (
        "The file could not be read as CSV; check that it is saved as CSV text "
        "and that no cell is longer than 131,072 characters."
    ) in body_of(response)


@pytest.mark.parametrize(
    ("encoding", "warehouse"),
    [("utf-16", "Склад"), ("cp1251", "Склад"), ("latin-1", "Entrepôt")],
)
def test_upload_in_another_encoding_is_refused(signed_in, world, encoding, warehouse):
    text = f"offer ID,warehouse,quantity\n{world.own.offer_id},{warehouse},1\n"

    response = upload(signed_in, text.encode(encoding))

    assert "The file is not UTF-8 text; save it as “CSV UTF-8” and retry." in body_of(
        response
    )


def test_upload_with_wrong_columns_is_refused(signed_in, world):
    response = upload(signed_in, b"sku,amount\n123,4\n")

    assert (
        "Row 1: the header must name the columns “offer ID”, “warehouse” and "
        "“quantity”."
    ) in body_of(response)


def test_upload_with_too_many_rows_is_refused(signed_in, world, settings):
    settings.STOCK_UPLOAD_MAX_ROWS = 10
    rows = "".join(f"{world.own.offer_id},Acme main,{n}\n" for n in range(11))

    response = upload(signed_in, f"offer ID,warehouse,quantity\n{rows}".encode())

    assert "The file has 11 rows; at most 10 are accepted at once." in body_of(response)


def test_upload_preview_changes_no_stock(signed_in, world):
    text = f"offer ID,warehouse,quantity\n{world.own.offer_id},Acme main,9\n"
    before = domain_rows()

    upload(signed_in, text.encode())

    assert domain_rows() == before


# Selections


BAD_REQUEST_TEXT = (
    "It held values that none of our pages send, or too many of them. "
    "Nothing was changed."
)


def test_ten_thousand_ticked_ids_get_a_400_that_explains(signed_in, world):
    # Django refuses a body of more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields
    # before any view runs; the 400 page says what to do instead.
    data = {"operation": "archive", "scope": "ids", "ids": [world.own.empty] * 10_000}
    before = domain_rows()

    response = signed_in.post(reverse("archive:operate_products"), data)

    assert response.status_code == 400
    assert domain_rows() == before
    assert BAD_REQUEST_TEXT in body_of(response)


def test_ids_past_the_cap_are_refused_with_the_cap(signed_in, world, settings):
    settings.MAX_POSTED_IDS = 10
    ids = [world.own.empty + n for n in range(11)]
    data = {"operation": "archive", "scope": "ids", "ids": ids}
    before = domain_rows()

    response = signed_in.post(reverse("archive:operate_products"), data, follow=True)

    assert domain_rows() == before
    assert [str(m) for m in warnings_shown(response)] == [
        "At most 10 products can be ticked at once; choose "
        '"all matching this filter" instead.'
    ]


def test_malformed_ids_get_a_400_that_explains(signed_in, world):
    data = {"operation": "archive", "scope": "ids", "ids": ["-1"]}

    response = signed_in.post(reverse("archive:operate_products"), data)

    assert response.status_code == 400
    assert BAD_REQUEST_TEXT in body_of(response)


def test_duplicated_ids_act_once(signed_in, world):
    data = {"operation": "archive", "scope": "ids", "ids": [world.own.empty] * 5}

    response = signed_in.post(reverse("archive:operate_products"), data, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "1 product moved to the Archive Library."
    ]


def test_upload_row_longer_than_the_header_is_refused(signed_in, world):
    # "2,500" unquoted in a comma-separated file is two cells: 2 and 500.
    text = f"offer ID,warehouse,quantity\n{world.own.offer_id},Acme main,2,500\n"
    before = domain_rows()

    response = upload(signed_in, text.encode())

    assert domain_rows() == before
    assert (
        "Row 2 has more cells than the header; write numbers without a thousands "
        "separator (2500, not 2,500)."
    ) in body_of(response)

"""inventory.bulk: turning a bulk form's POST into a selection."""

import pytest
from django.http import QueryDict

from inventory.bulk import (
    BulkOperation,
    MalformedSelection,
    OperationRegistry,
    parse_selection,
)
from inventory.exceptions import SelectionError
from inventory.factories import ProductFactory
from inventory.filters import ProductFilter
from inventory.models import Product


def post(**data):
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def parse(seller, data, filter_data=None):
    return parse_selection(
        data,
        filter_data or QueryDict(),
        Product.objects.of_seller(seller),
        lambda **kw: ProductFilter(seller=seller, **kw),
    )


def test_ticked_ids_become_a_selection_of_those_ids(seller):
    mine = ProductFactory.create_batch(2, seller=seller)

    selection = parse(seller, post(ids=[str(p.pk) for p in mine]))

    assert selection.ids == [p.pk for p in mine]
    assert set(selection.queryset) == set(mine)


def test_duplicate_ids_count_once(seller):
    product = ProductFactory(seller=seller)

    selection = parse(seller, post(ids=[str(product.pk)] * 3))

    assert selection.ids == [product.pk]


def test_empty_selection_is_refused(seller):
    with pytest.raises(SelectionError) as error:
        parse(seller, post(scope="ids"))

    assert str(error.value) == "No products were selected."


def test_more_ids_than_the_cap_are_refused(seller, settings):
    settings.MAX_POSTED_IDS = 3

    with pytest.raises(SelectionError) as error:
        parse(seller, post(ids=["1", "2", "3", "4"]))

    assert str(error.value) == (
        'At most 3 products can be ticked at once; choose "all matching this '
        'filter" instead.'
    )


@pytest.mark.parametrize("value", ["abc", "1.5", "-4", "0"])
def test_a_non_id_is_malformed(seller, value):
    with pytest.raises(MalformedSelection):
        parse(seller, post(ids=[value]))


def test_unknown_scope_is_malformed(seller):
    with pytest.raises(MalformedSelection):
        parse(seller, post(scope="everything"))


def test_all_matching_rebuilds_the_set_from_the_filter(seller, other_seller):
    ProductFactory(seller=seller, name="Blue mug")
    ProductFactory(seller=seller, name="Red mug")
    ProductFactory(seller=other_seller, name="Blue rival")

    selection = parse(seller, post(scope="all", ids=["999"]), QueryDict("q=blue"))

    assert selection.ids is None
    assert [p.name for p in selection.queryset] == ["Blue mug"]


def test_all_matching_with_an_invalid_filter_is_refused(seller):
    with pytest.raises(SelectionError) as error:
        parse(seller, post(scope="all"), QueryDict("stock=bogus"))

    assert str(error.value) == "The filter is not valid; correct it and select again."


def test_registry_finds_operations_by_key():
    archive = BulkOperation("archive", "Archive", run=print)
    registry = OperationRegistry(archive)

    assert registry.get("archive") is archive
    assert registry.get("drop-table") is None


def test_operation_behind_a_flag_is_withheld(settings, seller_user):
    settings.BULK_DELETE_ENABLED = False
    operation = BulkOperation("delete", "Delete", run=print, flag="BULK_DELETE_ENABLED")

    assert OperationRegistry(operation).for_user(seller_user) == []


def test_operation_behind_a_permission_is_withheld(seller_user):
    operation = BulkOperation(
        "delete", "Delete", run=print, permission="inventory.delete_product"
    )

    assert not operation.allowed_for(seller_user)

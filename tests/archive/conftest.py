"""Products in each state the archive rules care about, for Acme."""

import pytest

from inventory.factories import (
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    StockFactory,
)


@pytest.fixture
def make_product(seller):
    def make(**kwargs):
        kwargs.setdefault("seller", seller)
        return ProductFactory(**kwargs)

    return make


@pytest.fixture
def empty_product(make_product):
    """No stock anywhere: archivable."""
    return make_product(offer_id="EMPTY-1", name="Empty mug")


@pytest.fixture
def ozon_stocked(make_product, fbo):
    product = make_product(offer_id="OZON-1", name="Kettle", approved=True)
    StockFactory(product=product, warehouse=fbo, present=2)
    return product


@pytest.fixture
def mine_stocked(make_product, fbs, fbs2):
    product = make_product(offer_id="MINE-1", name="Towel")
    StockFactory(product=product, warehouse=fbs, present=1)
    StockFactory(product=product, warehouse=fbs2, present=2)
    return product


@pytest.fixture
def fully_reserved(make_product, fbo, seller):
    """Both warehouse columns show 0, yet two orders hold its units."""
    product = make_product(offer_id="RES-1", name="Lamp", approved=True)
    StockFactory(product=product, warehouse=fbo, present=2, reserved=2)
    for _ in range(2):
        order = OrderFactory(seller=seller)
        OrderLineFactory(order=order, product=product, warehouse=fbo, quantity=1)
    return product


@pytest.fixture
def archived_pending(make_product):
    return make_product(offer_id="ARCH-P", name="Old draft", archived=True)


@pytest.fixture
def archived_failed(make_product):
    return make_product(
        offer_id="ARCH-F", name="Rejected card", failed=True, archived=True
    )


@pytest.fixture
def archived_approved(make_product):
    return make_product(
        offer_id="ARCH-A", name="Old bestseller", approved=True, archived=True
    )


@pytest.fixture
def rival_product(other_seller):
    return ProductFactory(seller=other_seller, offer_id="RIVAL-1", name="Rival's mug")


@pytest.fixture
def staff_user(db):
    from inventory.factories import StaffFactory

    return StaffFactory(username="staff")

import pytest

from inventory.factories import ProductFactory, StockFactory, UserFactory


@pytest.fixture
def buyer():
    return {"buyer_name": "Ann Buyer", "buyer_email": "ann@example.com"}


@pytest.fixture
def product(seller):
    return ProductFactory(seller=seller, approved=True, name="Blue kettle")


@pytest.fixture
def stocked(product, fbo):
    """The product with 5 units in the marketplace warehouse."""
    StockFactory(product=product, warehouse=fbo, present=5)
    return product


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True)

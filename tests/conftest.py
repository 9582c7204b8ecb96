import pytest

from inventory.factories import (
    MarketplaceWarehouseFactory,
    SellerFactory,
    SellerMemberFactory,
    SellerWarehouseFactory,
    UserFactory,
)


@pytest.fixture
def seller(db):
    return SellerFactory(name="Acme")


@pytest.fixture
def other_seller(db):
    return SellerFactory(name="Rival")


@pytest.fixture
def seller_user(seller):
    user = UserFactory(username="acme")
    SellerMemberFactory(user=user, seller=seller)
    return user


@pytest.fixture
def other_user(other_seller):
    user = UserFactory(username="rival")
    SellerMemberFactory(user=user, seller=other_seller)
    return user


@pytest.fixture
def fbo(db):
    return MarketplaceWarehouseFactory()


@pytest.fixture
def fbs(seller):
    return SellerWarehouseFactory(seller=seller, name="Acme main")


@pytest.fixture
def fbs2(seller):
    return SellerWarehouseFactory(seller=seller, name="Acme second")


@pytest.fixture
def seller_client(client, seller_user):
    client.force_login(seller_user)
    return client

"""factory-boy factories for the shared models; tests and ``demo`` use them."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import (
    ActivityEntry,
    Order,
    OrderLine,
    Product,
    Seller,
    SellerMember,
    Stock,
    Warehouse,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Seller {n}")


class SellerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerMember

    user = factory.SubFactory(UserFactory)
    seller = factory.SubFactory(SellerFactory)


class MarketplaceWarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse
        django_get_or_create = ("kind", "name")

    kind = Warehouse.Kind.MARKETPLACE
    seller = None
    name = "OZON Moscow"


class SellerWarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    kind = Warehouse.Kind.SELLER
    seller = factory.SubFactory(SellerFactory)
    name = factory.Sequence(lambda n: f"My warehouse {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """A pending product with no stock rows; traits give the other states."""

    class Meta:
        model = Product

    seller = factory.SubFactory(SellerFactory)
    offer_id = factory.Sequence(lambda n: f"OFFER-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    moderation = Product.Moderation.PENDING
    sku = None

    class Params:
        approved = factory.Trait(
            moderation=Product.Moderation.APPROVED,
            sku=factory.Sequence(lambda n: 100_000_000 + n),
        )
        failed = factory.Trait(moderation=Product.Moderation.FAILED)
        archived = factory.Trait(archived_at=factory.LazyFunction(timezone.now))


class StockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stock

    product = factory.SubFactory(ProductFactory)
    warehouse = factory.SubFactory(MarketplaceWarehouseFactory)
    present = 10
    reserved = 0


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    seller = factory.SubFactory(SellerFactory)
    buyer_name = factory.Sequence(lambda n: f"Buyer {n}")
    buyer_email = factory.LazyAttribute(
        lambda o: f"{o.buyer_name.lower().replace(' ', '.')}@example.com"
    )
    placed_at = factory.LazyFunction(timezone.now)


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory, approved=True)
    warehouse = factory.SubFactory(MarketplaceWarehouseFactory)
    quantity = 1


class ActivityEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityEntry

    operation = ActivityEntry.Operation.ARCHIVE
    count = 0

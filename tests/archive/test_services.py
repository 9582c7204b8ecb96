"""The archive, restore and delete services: each rule and each refusal."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import services
from archive.services import archive_products, delete_products, restore_products
from inventory.factories import ProductFactory, StockFactory
from inventory.models import ActivityEntry, ActivityItem, Product, Stock


def reasons_of(result):
    return {
        refusal.offer_id or refusal.product_id: refusal.reason
        for refusal in result.refused
    }


# Archive


def test_archive_moves_an_empty_product_to_the_archive(
    seller, seller_user, empty_product
):
    result = archive_products(seller, [empty_product.pk], actor=seller_user)

    empty_product.refresh_from_db()
    assert result.done == 1
    assert result.refused == []
    assert empty_product.archived_at is not None
    assert empty_product.archived_by == seller_user


def test_archive_writes_the_activity_log(seller, seller_user, empty_product):
    result = archive_products(seller, [empty_product.pk], actor=seller_user)

    entry = ActivityEntry.objects.get()
    assert result.entry == entry
    assert (entry.operation, entry.count, entry.actor, entry.seller) == (
        "archive",
        1,
        seller_user,
        seller,
    )
    assert list(entry.items.values_list("offer_id", "name")) == [
        ("EMPTY-1", "Empty mug")
    ]


def test_archive_refuses_an_already_archived_product(
    seller, seller_user, archived_pending
):
    result = archive_products(seller, [archived_pending.pk], actor=seller_user)

    assert result.done == 0
    assert reasons_of(result) == {"ARCH-P": "Already archived."}


def test_archive_refused_whole_leaves_no_activity_entry(
    seller, seller_user, archived_pending
):
    result = archive_products(seller, [archived_pending.pk], actor=seller_user)

    assert result.entry is None
    assert not ActivityEntry.objects.exists()


def test_delete_refused_whole_leaves_no_activity_entry(
    seller, seller_user, archived_approved
):
    result = delete_products(seller, [archived_approved.pk], actor=seller_user)

    assert result.done == 0
    assert not ActivityEntry.objects.exists()


def test_archive_refuses_stock_in_the_marketplace_warehouse(
    seller, seller_user, ozon_stocked
):
    result = archive_products(seller, [ozon_stocked.pk], actor=seller_user)

    ozon_stocked.refresh_from_db()
    assert ozon_stocked.archived_at is None
    assert reasons_of(result) == {
        "OZON-1": "Cannot be archived: stock in the marketplace warehouse (2)."
    }


def test_archive_refuses_stock_in_my_warehouses_summed(
    seller, seller_user, mine_stocked
):
    result = archive_products(seller, [mine_stocked.pk], actor=seller_user)

    assert reasons_of(result) == {
        "MINE-1": "Cannot be archived: stock in my warehouse (3)."
    }


def test_archive_refuses_a_fully_reserved_product_naming_its_orders(
    seller, seller_user, fully_reserved
):
    result = archive_products(seller, [fully_reserved.pk], actor=seller_user)

    fully_reserved.refresh_from_db()
    assert fully_reserved.archived_at is None
    assert reasons_of(result) == {"RES-1": "Cannot be archived: reserved by 2 orders."}


def test_archive_lists_every_blocker_of_one_product(
    seller, seller_user, make_product, fbo, fbs
):
    product = make_product(offer_id="BOTH-1")
    StockFactory(product=product, warehouse=fbo, present=4)
    StockFactory(product=product, warehouse=fbs, present=1)

    result = archive_products(seller, [product.pk], actor=seller_user)

    assert reasons_of(result) == {
        "BOTH-1": "Cannot be archived: stock in the marketplace warehouse (4); "
        "stock in my warehouse (1)."
    }


def test_archive_of_a_mixed_selection_archives_the_rest(
    seller, seller_user, empty_product, ozon_stocked, fully_reserved
):
    result = archive_products(
        seller,
        [empty_product.pk, ozon_stocked.pk, fully_reserved.pk],
        actor=seller_user,
    )

    assert result.done == 1
    assert result.refused_total == 2
    assert set(reasons_of(result)) == {"OZON-1", "RES-1"}
    assert list(Product.objects.in_archive().values_list("offer_id", flat=True)) == [
        "EMPTY-1"
    ]


def test_archive_logs_only_the_archived_products(
    seller, seller_user, empty_product, ozon_stocked
):
    archive_products(seller, [empty_product.pk, ozon_stocked.pk], actor=seller_user)

    assert list(ActivityItem.objects.values_list("offer_id", flat=True)) == ["EMPTY-1"]


def test_archive_reports_another_sellers_product_as_not_found(
    seller, seller_user, rival_product
):
    result = archive_products(seller, [rival_product.pk], actor=seller_user)

    rival_product.refresh_from_db()
    assert rival_product.archived_at is None
    assert [(r.product_id, r.offer_id, r.reason) for r in result.refused] == [
        (rival_product.pk, "", "Not found.")
    ]


def test_archive_reports_an_unknown_id_as_not_found(seller, seller_user):
    result = archive_products(seller, [987654], actor=seller_user)

    assert result.refused_total == 1
    assert result.refused[0].reason == "Not found."


def test_archive_accepts_a_queryset_and_stays_in_the_sellers_scope(
    seller, seller_user, empty_product, rival_product
):
    result = archive_products(
        seller, Product.objects.filter(name__contains="mug"), actor=seller_user
    )

    rival_product.refresh_from_db()
    assert result.done == 1
    assert result.refused_total == 0
    assert rival_product.archived_at is None


def test_archive_by_staff_crosses_sellers(staff_user, empty_product, rival_product):
    result = archive_products(
        None, [empty_product.pk, rival_product.pk], actor=staff_user
    )

    assert result.done == 2
    assert result.entry.seller is None


def test_archive_caps_the_listed_refusals_and_counts_the_rest(
    seller, seller_user, make_product, fbo, monkeypatch
):
    monkeypatch.setattr(services, "MAX_LISTED_REFUSALS", 3)
    products = [make_product() for _ in range(5)]
    for product in products:
        StockFactory(product=product, warehouse=fbo, present=1)

    result = archive_products(seller, Product.objects.all(), actor=seller_user)

    assert len(result.refused) == 3
    assert result.refused_total == 5
    assert result.refused_unlisted == 2


def test_archive_runs_a_fixed_number_of_queries(
    seller, seller_user, make_product, fbo, on_postgres
):
    for _ in range(30):
        make_product()
    for _ in range(5):
        StockFactory(product=make_product(), warehouse=fbo, present=1)

    with CaptureQueriesContext(connection) as queries:
        archive_products(seller, Product.objects.all(), actor=seller_user)

    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    # entry, (row locks on PostgreSQL), conditional UPDATE, log copy,
    # refusals, count
    assert len(statements) == (6 if on_postgres else 5)


# Restore


def test_restore_returns_a_product_unchanged(
    seller, seller_user, archived_approved, fbo
):
    StockFactory(product=archived_approved, warehouse=fbo, present=0)

    result = restore_products(seller, [archived_approved.pk], actor=seller_user)

    archived_approved.refresh_from_db()
    assert result.done == 1
    assert archived_approved.archived_at is None
    assert archived_approved.archived_by is None
    assert archived_approved.moderation == "approved"
    assert Stock.objects.filter(product=archived_approved).count() == 1


def test_restore_keeps_search_visibility(seller, seller_user, make_product):
    product = make_product(archived=True)
    Product.objects.filter(pk=product.pk).update(
        out_of_stock_since="2026-01-01T00:00Z",
        hidden_from_search_at="2026-02-01T00:00Z",
    )

    restore_products(seller, [product.pk], actor=seller_user)

    product.refresh_from_db()
    assert product.hidden_from_search_at is not None


def test_restore_refuses_a_product_not_in_the_archive(
    seller, seller_user, empty_product
):
    result = restore_products(seller, [empty_product.pk], actor=seller_user)

    assert result.done == 0
    assert reasons_of(result) == {"EMPTY-1": "Not in the archive."}


def test_restore_writes_the_activity_log(seller, seller_user, archived_pending):
    restore_products(seller, [archived_pending.pk], actor=seller_user)

    entry = ActivityEntry.objects.get()
    assert (entry.operation, entry.count) == ("restore", 1)
    assert list(entry.items.values_list("offer_id", flat=True)) == ["ARCH-P"]


def test_restore_leaves_another_sellers_archive_alone(
    seller, seller_user, other_seller
):
    rival = ProductFactory(seller=other_seller, archived=True)

    result = restore_products(seller, [rival.pk], actor=seller_user)

    rival.refresh_from_db()
    assert rival.archived_at is not None
    assert result.refused[0].reason == "Not found."


# Delete


def test_delete_removes_a_pending_archived_product_and_its_stock(
    seller, seller_user, archived_pending, fbs
):
    StockFactory(product=archived_pending, warehouse=fbs, present=0)

    result = delete_products(seller, [archived_pending.pk], actor=seller_user)

    assert result.done == 1
    assert not Product.objects.filter(pk=archived_pending.pk).exists()
    assert not Stock.objects.filter(product_id=archived_pending.pk).exists()


def test_delete_removes_a_failed_archived_product(seller, seller_user, archived_failed):
    result = delete_products(seller, [archived_failed.pk], actor=seller_user)

    assert result.done == 1
    assert not Product.objects.filter(pk=archived_failed.pk).exists()


def test_delete_keeps_the_deleted_products_record(
    seller, seller_user, archived_pending
):
    delete_products(seller, [archived_pending.pk], actor=seller_user)

    item = ActivityItem.objects.get()
    assert (item.entry.operation, item.product_id, item.offer_id, item.name) == (
        "delete",
        archived_pending.pk,
        "ARCH-P",
        "Old draft",
    )


def test_delete_refuses_a_product_that_passed_moderation(
    seller, seller_user, archived_approved
):
    result = delete_products(seller, [archived_approved.pk], actor=seller_user)

    assert Product.objects.filter(pk=archived_approved.pk).exists()
    assert reasons_of(result) == {
        "ARCH-A": "Passed moderation, so it cannot be deleted; it can only be archived."
    }


def test_delete_refuses_a_product_not_in_the_archive(
    seller, seller_user, empty_product
):
    result = delete_products(seller, [empty_product.pk], actor=seller_user)

    assert Product.objects.filter(pk=empty_product.pk).exists()
    assert reasons_of(result) == {"EMPTY-1": "Not in the archive: archive it first."}


def test_delete_reports_another_sellers_product_as_not_found(
    seller, seller_user, other_seller
):
    rival = ProductFactory(seller=other_seller, archived=True)

    result = delete_products(seller, [rival.pk], actor=seller_user)

    assert Product.objects.filter(pk=rival.pk).exists()
    assert [(r.product_id, r.reason) for r in result.refused] == [
        (rival.pk, "Not found.")
    ]


def test_delete_of_a_mixed_selection_deletes_only_the_deletable(
    seller, seller_user, archived_pending, archived_approved, empty_product
):
    result = delete_products(
        seller,
        Product.objects.filter(
            pk__in=[archived_pending.pk, archived_approved.pk, empty_product.pk]
        ),
        actor=seller_user,
    )

    assert result.done == 1
    assert result.refused_total == 2
    assert set(Product.objects.values_list("offer_id", flat=True)) == {
        "ARCH-A",
        "EMPTY-1",
    }


def test_delete_runs_a_fixed_number_of_queries(seller, seller_user, make_product, fbs):
    for _ in range(20):
        StockFactory(product=make_product(archived=True), warehouse=fbs, present=0)
    make_product(approved=True, archived=True)

    with CaptureQueriesContext(connection) as queries:
        result = delete_products(seller, Product.objects.all(), actor=seller_user)

    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert result.done == 20
    # entry, stamp, log copy, stock delete, product delete, refusals, count
    assert len(statements) == 7


def test_deletion_preview_changes_nothing(seller, archived_pending, archived_approved):
    listed, count, preview = services.deletion_preview(
        seller, [archived_pending.pk, archived_approved.pk]
    )

    assert [p.offer_id for p in listed] == ["ARCH-P"]
    assert count == 1
    assert reasons_of(preview) == {
        "ARCH-A": "Passed moderation, so it cannot be deleted; it can only be archived."
    }
    assert Product.objects.count() == 2
    assert ActivityEntry.objects.count() == 0


def test_archive_skips_a_product_reserved_after_the_selection_was_made(
    seller, seller_user, empty_product, fbo
):
    selection = Product.objects.filter(pk=empty_product.pk).archivable()
    StockFactory(product=empty_product, warehouse=fbo, present=1, reserved=1)

    result = archive_products(seller, selection, actor=seller_user)

    empty_product.refresh_from_db()
    assert result.done == 0
    assert empty_product.archived_at is None

"""The hide_out_of_stock service and command: who is hidden, and when."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from inventory.factories import ProductFactory, SellerFactory, StockFactory
from inventory.management.commands.hide_out_of_stock import Command
from inventory.models import ActivityEntry, ActivityItem, Product
from inventory.services import visibility
from inventory.services.visibility import hide_out_of_stock, sync_out_of_stock

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def out_of_stock_for(delta, **kwargs):
    """A product with no stock whose clock started ``delta`` before NOW."""
    kwargs.setdefault("approved", True)
    return ProductFactory(out_of_stock_since=NOW - delta, **kwargs)


def is_hidden(product):
    product.refresh_from_db()
    return product.hidden_from_search_at is not None


def run_command(*args):
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        call_command("hide_out_of_stock", *args, stdout=out)
    return out.getvalue()


# The day boundary


def test_out_of_stock_29_days_23_hours_is_not_hidden(seller):
    product = out_of_stock_for(timedelta(days=29, hours=23), seller=seller)

    hide_out_of_stock(now=NOW)

    assert not is_hidden(product)


def test_out_of_stock_exactly_30_days_is_not_hidden(seller):
    product = out_of_stock_for(timedelta(days=30), seller=seller)

    hide_out_of_stock(now=NOW)

    assert not is_hidden(product)


def test_out_of_stock_30_days_and_one_second_is_hidden(seller):
    product = out_of_stock_for(timedelta(days=30, seconds=1), seller=seller)

    hide_out_of_stock(now=NOW)

    product.refresh_from_db()
    assert product.hidden_from_search_at == NOW


def test_in_stock_product_without_clock_is_not_hidden(seller):
    product = ProductFactory(seller=seller, approved=True)

    hide_out_of_stock(now=NOW)

    assert not is_hidden(product)


def test_the_clock_is_read_from_timezone_now_by_default(seller):
    product = out_of_stock_for(timedelta(days=31), seller=seller)

    with mock.patch("django.utils.timezone.now", return_value=NOW):
        hide_out_of_stock()

    product.refresh_from_db()
    assert product.hidden_from_search_at == NOW


@pytest.mark.django_db
def test_days_default_comes_from_the_setting(settings, seller):
    settings.HIDE_OUT_OF_STOCK_AFTER_DAYS = 10
    product = out_of_stock_for(timedelta(days=11), seller=seller)

    result = hide_out_of_stock(now=NOW)

    assert result.days == 10
    assert is_hidden(product)


def test_days_argument_overrides_the_setting(seller):
    product = out_of_stock_for(timedelta(days=8), seller=seller)

    hide_out_of_stock(days=7, now=NOW)

    assert is_hidden(product)


def test_zero_days_is_refused(seller):
    with pytest.raises(ValueError):
        hide_out_of_stock(days=0, now=NOW)


# Who is hidden


def test_archived_product_out_of_stock_too_long_is_hidden(seller):
    product = out_of_stock_for(timedelta(days=40), seller=seller, archived=True)

    hide_out_of_stock(now=NOW)

    assert is_hidden(product)


def test_unapproved_product_out_of_stock_too_long_is_hidden(seller):
    product = out_of_stock_for(timedelta(days=40), seller=seller, approved=False)

    hide_out_of_stock(now=NOW)

    assert is_hidden(product)


def test_already_hidden_product_keeps_its_hiding_time(seller):
    earlier = NOW - timedelta(days=5)
    product = out_of_stock_for(
        timedelta(days=40), seller=seller, hidden_from_search_at=earlier
    )

    hide_out_of_stock(now=NOW)

    product.refresh_from_db()
    assert product.hidden_from_search_at == earlier


def test_second_run_hides_nothing(seller):
    out_of_stock_for(timedelta(days=40), seller=seller)
    hide_out_of_stock(now=NOW)

    second = hide_out_of_stock(now=NOW)

    assert second.count == 0
    assert second.entry is None
    assert ActivityEntry.objects.filter(operation="hide").count() == 1


def test_seller_limits_the_run_to_that_seller(seller, other_seller):
    mine = out_of_stock_for(timedelta(days=40), seller=seller)
    theirs = out_of_stock_for(timedelta(days=40), seller=other_seller)

    hide_out_of_stock(seller=seller, now=NOW)

    assert is_hidden(mine)
    assert not is_hidden(theirs)


def test_seller_may_be_given_by_id(seller, other_seller):
    theirs = out_of_stock_for(timedelta(days=40), seller=other_seller)

    result = hide_out_of_stock(seller=other_seller.pk, now=NOW)

    assert result.count == 1
    assert is_hidden(theirs)


def test_small_batches_hide_every_due_product(seller):
    products = [out_of_stock_for(timedelta(days=40), seller=seller) for _ in range(7)]

    result = hide_out_of_stock(now=NOW, batch_size=3)

    assert result.count == 7
    assert all(is_hidden(p) for p in products)
    assert ActivityEntry.objects.filter(operation="hide").count() == 1


def test_progress_is_reported_after_each_batch(seller):
    for _ in range(5):
        out_of_stock_for(timedelta(days=40), seller=seller)
    calls = []

    hide_out_of_stock(now=NOW, batch_size=2, progress=lambda d, t: calls.append((d, t)))

    assert calls == [(2, 5), (4, 5), (5, 5)]


# Dry run


def test_dry_run_changes_nothing(seller):
    product = out_of_stock_for(timedelta(days=40), seller=seller)

    result = hide_out_of_stock(now=NOW, dry_run=True)

    assert result.count == 1
    assert not is_hidden(product)
    assert not ActivityEntry.objects.exists()


def test_dry_run_lists_the_due_products(seller):
    product = out_of_stock_for(timedelta(days=40), seller=seller)
    out_of_stock_for(timedelta(days=3), seller=seller)

    result = hide_out_of_stock(now=NOW, dry_run=True)

    assert list(result.due) == [product]
    assert result.by_seller == {seller.pk: 1}


# The activity log


def test_run_writes_one_hide_entry_with_the_hidden_products(seller, other_seller):
    a = out_of_stock_for(timedelta(days=40), seller=seller, offer_id="A-1")
    b = out_of_stock_for(timedelta(days=35), seller=other_seller, offer_id="B-1")
    out_of_stock_for(timedelta(days=2), seller=seller)

    result = hide_out_of_stock(now=NOW)

    entry = ActivityEntry.objects.get(operation=ActivityEntry.Operation.HIDE)
    assert entry == result.entry
    assert entry.count == 2
    assert entry.seller is None
    assert entry.actor is None
    assert entry.details["days"] == 30
    assert entry.details["sellers"] == {str(seller.pk): 1, str(other_seller.pk): 1}
    items = ActivityItem.objects.filter(entry=entry).order_by("offer_id")
    assert [(i.product_id, i.offer_id) for i in items] == [(a.pk, "A-1"), (b.pk, "B-1")]


def test_run_limited_to_a_seller_records_the_seller(seller):
    out_of_stock_for(timedelta(days=40), seller=seller)

    result = hide_out_of_stock(seller=seller, now=NOW)

    assert result.entry.seller_id == seller.pk


def test_hidden_products_are_stamped_with_the_entry(seller):
    product = out_of_stock_for(timedelta(days=40), seller=seller)

    result = hide_out_of_stock(now=NOW)

    product.refresh_from_db()
    assert product.last_activity_id == result.entry.pk


# The command


def test_command_prints_the_summary(seller):
    out_of_stock_for(timedelta(days=40), seller=seller)
    out_of_stock_for(timedelta(days=31), seller=seller)

    output = run_command()

    assert output == "Hid 2 products out of stock for more than 30 days.\n"


def test_command_summary_counts_one_product_in_the_singular(seller):
    out_of_stock_for(timedelta(days=40), seller=seller)

    output = run_command()

    assert output == "Hid 1 product out of stock for more than 30 days.\n"


def test_command_dry_run_reports_and_changes_nothing(seller):
    product = out_of_stock_for(timedelta(days=40), seller=seller)

    output = run_command("--dry-run")

    assert output == (
        "Dry run: 1 product out of stock for more than 30 days would be hidden.\n"
    )
    assert not is_hidden(product)


def test_command_dry_run_verbose_lists_products(seller):
    out_of_stock_for(timedelta(days=40), seller=seller, offer_id="A-9", name="Kettle")

    output = run_command("--dry-run", "--verbosity=2")

    assert "  Acme: 1\n" in output
    assert "  A-9 Kettle (Acme) out of stock since 2026-04-22T12:00:00+00:00\n" in (
        output
    )


def test_command_days_option_overrides(seller):
    product = out_of_stock_for(timedelta(days=6), seller=seller)

    output = run_command("--days=5")

    assert output == "Hid 1 product out of stock for more than 5 days.\n"
    assert is_hidden(product)


def test_command_seller_by_name_limits_the_run(seller, other_seller):
    mine = out_of_stock_for(timedelta(days=40), seller=seller)
    theirs = out_of_stock_for(timedelta(days=40), seller=other_seller)

    output = run_command("--seller=Rival")

    assert (
        output == "Hid 1 product out of stock for more than 30 days. Seller: Rival.\n"
    )
    assert not is_hidden(mine)
    assert is_hidden(theirs)


def test_command_seller_by_id_limits_the_run(seller, other_seller):
    theirs = out_of_stock_for(timedelta(days=40), seller=other_seller)

    run_command(f"--seller={other_seller.pk}")

    assert is_hidden(theirs)


def test_command_unknown_seller_is_an_error(db):
    with pytest.raises(CommandError, match="No seller with the ID or name “Nobody”."):
        run_command("--seller=Nobody")


def test_command_refuses_zero_days(db):
    with pytest.raises(CommandError, match="--days must be at least 1."):
        run_command("--days=0")


def test_command_verbosity_zero_prints_nothing(seller):
    product = out_of_stock_for(timedelta(days=40), seller=seller)

    output = run_command("--verbosity=0")

    assert output == ""
    assert is_hidden(product)


def test_command_without_a_terminal_draws_no_progress_bar(seller):
    out_of_stock_for(timedelta(days=40), seller=seller)

    output = run_command("--batch-size=1")

    assert "[" not in output


def test_command_on_a_terminal_draws_a_progress_bar(seller):
    for _ in range(2):
        out_of_stock_for(timedelta(days=40), seller=seller)
    out = StringIO()
    out.isatty = lambda: True

    with mock.patch("django.utils.timezone.now", return_value=NOW):
        call_command("hide_out_of_stock", "--batch-size=1", stdout=out)

    bar = "#" * 15 + "-" * 15
    assert out.getvalue() == (
        f"\r[{bar}]  50% 1/2\r[{'#' * 30}] 100% 2/2\n"
        "Hid 2 products out of stock for more than 30 days.\n"
    )


def test_command_reports_another_run_in_progress_and_changes_nothing(seller):
    product = out_of_stock_for(timedelta(days=40), seller=seller)
    held = mock.MagicMock()
    held.__enter__.return_value = False

    with mock.patch("inventory.services.visibility._run_lock", return_value=held):
        output = run_command()

    assert output == "Another run is in progress; this one did nothing.\n"
    assert not is_hidden(product)


def test_command_database_failure_is_a_command_error(seller):
    out_of_stock_for(timedelta(days=40), seller=seller)

    with (
        mock.patch.object(Product.objects, "due_for_hiding") as due,
        pytest.raises(CommandError, match="Hiding failed: disk full."),
    ):
        due.side_effect = DatabaseError("disk full")
        run_command()


def test_command_failure_exits_non_zero(seller):
    with (
        mock.patch(
            "inventory.management.commands.hide_out_of_stock.hide_out_of_stock",
            side_effect=DatabaseError("disk full"),
        ),
        pytest.raises(SystemExit) as exit_info,
    ):
        Command().run_from_argv(["manage.py", "hide_out_of_stock"])

    assert exit_info.value.code == 1


def test_run_over_several_sellers_counts_each(seller):
    rival = SellerFactory(name="Third")
    out_of_stock_for(timedelta(days=40), seller=seller)
    out_of_stock_for(timedelta(days=40), seller=rival)
    out_of_stock_for(timedelta(days=40), seller=rival)

    result = hide_out_of_stock(now=NOW)

    assert result.by_seller == {seller.pk: 1, rival.pk: 2}


def test_product_restocked_during_the_batch_stays_visible_and_unlogged(seller, fbo):
    gone = out_of_stock_for(timedelta(days=40), seller=seller, offer_id="GONE")
    back = out_of_stock_for(timedelta(days=40), seller=seller, offer_id="BACK")
    real_open_entry = visibility.open_entry

    def restock_then_open(*args, **kwargs):
        # Runs after the batch's SELECT and before its UPDATE.
        StockFactory(product=back, warehouse=fbo, present=1)
        sync_out_of_stock([back.pk], now=NOW)
        return real_open_entry(*args, **kwargs)

    with mock.patch.object(visibility, "open_entry", restock_then_open):
        result = hide_out_of_stock(now=NOW)

    assert result.count == 1
    assert is_hidden(gone)
    assert not is_hidden(back)
    assert list(ActivityItem.objects.values_list("offer_id", flat=True)) == ["GONE"]
    assert result.entry.count == 1


def fail_on_second_batch():
    real_batch = visibility._hide_batch
    calls = []

    def batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise DatabaseError("connection lost")
        return real_batch(*args, **kwargs)

    return mock.patch.object(visibility, "_hide_batch", batch)


@pytest.mark.postgres
def test_failed_run_keeps_and_logs_the_batches_it_committed(seller):
    for _ in range(3):
        out_of_stock_for(timedelta(days=40), seller=seller)

    with fail_on_second_batch(), pytest.raises(DatabaseError):
        hide_out_of_stock(now=NOW, batch_size=2)

    entry = ActivityEntry.objects.get(operation="hide")
    assert Product.objects.hidden_from_search().count() == 2
    assert entry.count == 2
    assert ActivityItem.objects.filter(entry=entry).count() == 2


def test_failed_run_on_sqlite_changes_nothing(seller, on_postgres):
    if on_postgres:
        pytest.skip("SQLite runs the whole hide in one transaction")
    for _ in range(3):
        out_of_stock_for(timedelta(days=40), seller=seller)

    with fail_on_second_batch(), pytest.raises(DatabaseError):
        hide_out_of_stock(now=NOW, batch_size=2)

    assert not Product.objects.hidden_from_search().exists()
    assert not ActivityEntry.objects.exists()


def queries_of_a_run(**kwargs):
    with CaptureQueriesContext(connection) as captured:
        hide_out_of_stock(now=NOW, **kwargs)
    # Savepoints stand for the batches' transactions inside the test's own.
    return sum(not q["sql"].startswith(("SAVEPOINT", "RELEASE")) for q in captured)


def test_each_batch_costs_two_queries_whatever_its_size(seller):
    for _ in range(6):
        out_of_stock_for(timedelta(days=40), seller=seller)
    one_batch = queries_of_a_run(batch_size=6)
    Product.objects.update(hidden_from_search_at=None)

    three_batches = queries_of_a_run(batch_size=2)

    # The UPDATE of the batch and the entry's count, nothing per product.
    assert three_batches - one_batch == 4

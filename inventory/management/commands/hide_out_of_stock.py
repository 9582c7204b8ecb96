"""Hide from search the products out of stock for too long (run daily)."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inventory.models import Seller
from inventory.services.visibility import HIDE_BATCH_SIZE, hide_out_of_stock

logger = logging.getLogger(__name__)

# A dry run at verbosity 2 lists the due products up to this many.
DRY_RUN_LISTED = 100
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Hide from the marketplace search every product out of stock for more "
        "than N days (HIDE_OUT_OF_STOCK_AFTER_DAYS). Safe to start on several "
        "servers at once: only one run works, the others report and exit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days out of stock before hiding (default: the setting, "
            f"{settings.HIDE_OUT_OF_STOCK_AFTER_DAYS}).",
        )
        parser.add_argument(
            "--seller", help="Only this seller's products (its ID or exact name)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be hidden and change nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=HIDE_BATCH_SIZE,
            help="Products hidden per transaction (default %(default)s).",
        )

    def handle(self, *args, days, seller, dry_run, batch_size, verbosity, **options):
        if days is not None and days < 1:
            raise CommandError(_("--days must be at least 1."))
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        seller_obj = self._seller(seller) if seller else None
        self.verbosity = verbosity
        show_bar = verbosity >= 1 and not dry_run and self.stdout.isatty()
        try:
            result = hide_out_of_stock(
                days=days,
                seller=seller_obj,
                dry_run=dry_run,
                batch_size=batch_size,
                progress=self._draw_bar if show_bar else None,
            )
        except DatabaseError as exc:
            logger.exception("hide_out_of_stock failed")
            raise CommandError(
                _("Hiding failed: %(error)s. Batches already committed stay hidden.")
                % {"error": exc}
            ) from exc
        if show_bar and result.count:
            self.stdout.write("")
        self._report(result, seller_obj)

    def _seller(self, value):
        found = Seller.objects.filter(name=value).first()
        if found is None and value.isdigit():
            found = Seller.objects.filter(pk=int(value)).first()
        if found is None:
            raise CommandError(
                _("No seller with the ID or name “%(value)s”.") % {"value": value}
            )
        return found

    def _draw_bar(self, done, total):
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        percent = 100 * done // total if total else 100
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {percent:3d}% {done}/{total}", ending="")
        self.stdout.flush()

    def _report(self, result, seller):
        if result.locked_out:
            summary = _("Another run is in progress; this one did nothing.")
        elif result.dry_run:
            summary = ngettext(
                "Dry run: %(count)d product out of stock for more than %(days)d "
                "days would be hidden.",
                "Dry run: %(count)d products out of stock for more than %(days)d "
                "days would be hidden.",
                result.count,
            ) % {"count": result.count, "days": result.days}
        else:
            summary = ngettext(
                "Hid %(count)d product out of stock for more than %(days)d days.",
                "Hid %(count)d products out of stock for more than %(days)d days.",
                result.count,
            ) % {"count": result.count, "days": result.days}
        if seller is not None and not result.locked_out:
            summary += " " + _("Seller: %(name)s.") % {"name": seller.name}
        if self.verbosity >= 1:
            style = self.style.WARNING if result.locked_out else self.style.SUCCESS
            self.stdout.write(style(summary))
        if self.verbosity >= 2:
            self._details(result)

    def _details(self, result):
        if result.by_seller:
            names = dict(
                Seller.objects.filter(pk__in=result.by_seller).values_list("pk", "name")
            )
            for seller_id, count in sorted(result.by_seller.items()):
                self.stdout.write(f"  {names.get(seller_id, seller_id)}: {count}")
        if result.dry_run:
            for product in result.due[:DRY_RUN_LISTED]:
                since = _("out of stock since %(when)s") % {
                    "when": product.out_of_stock_since.isoformat()
                }
                self.stdout.write(
                    f"  {product.offer_id} {product.name} "
                    f"({product.seller.name}) {since}"
                )
            if result.count > DRY_RUN_LISTED:
                self.stdout.write(
                    "  "
                    + _("... and %(n)d more.") % {"n": result.count - DRY_RUN_LISTED}
                )
        elif result.entry is not None:
            self.stdout.write(
                "  " + _("Activity entry %(id)s.") % {"id": result.entry.pk}
            )

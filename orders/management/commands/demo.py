"""``manage.py demo``: load the demo sellers, products and orders."""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from inventory.models import Product
from orders import demo


class Command(BaseCommand):
    help = (
        "Load demo data: the marketplace warehouse, the sellers 'Demo Store' and "
        "'Rival Goods' with products in every state, orders, and the staff "
        "user. Does nothing when the demo data is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo sellers, their data and the demo users first.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database holds any product at all.",
        )

    def handle(self, *args, reset=False, if_empty=False, verbosity=1, **options):
        if reset and if_empty:
            raise CommandError("Use either --reset or --if-empty, not both.")
        if if_empty and Product.objects.exists():
            self._say(verbosity, "Products exist already; demo data not loaded.")
            return
        # The services log an INFO line per order; below -v 2 they are noise.
        if verbosity < 2:
            logging.disable(logging.INFO)
        try:
            if reset:
                demo.reset_demo()
            if demo.demo_exists():
                self._say(
                    verbosity,
                    "Demo data is already loaded; use --reset to rebuild it.",
                )
            else:
                demo.build_demo()
                if verbosity >= 2:
                    for label, count in demo.summary().items():
                        self.stdout.write(f"  {label}: {count}")
                self._say(verbosity, self.style.SUCCESS("Demo data loaded."))
        except DatabaseError as error:
            raise CommandError(f"Could not load the demo data: {error}") from error
        finally:
            logging.disable(logging.NOTSET)
        if verbosity >= 1:
            self.stdout.write("Logins (username / password):")
            for username, password, seller in demo.LOGINS:
                role = f"seller {seller}" if seller else "staff (admin site)"
                self.stdout.write(f"  {username} / {password}  {role}")

    def _say(self, verbosity, message):
        if verbosity >= 1:
            self.stdout.write(message)

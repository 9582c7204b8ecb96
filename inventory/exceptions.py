"""Domain errors. Views turn them into a clear 4xx message, never a 500."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request the rules refuse; ``message`` is shown to the user as is."""

    default_message = _("This operation is not allowed.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class NotASeller(DomainError):
    default_message = _("Your account does not belong to a seller.")


class SelectionError(DomainError):
    """An empty, oversized or malformed selection of products."""

    default_message = _("No products were selected.")


class InsufficientStock(DomainError):
    default_message = _("Not enough stock is available.")


class InvalidTransition(DomainError):
    default_message = _("The order cannot change to that state.")


class InvalidStock(DomainError):
    default_message = _("That stock quantity is not allowed.")

"""Errors of the orders app; each is a DomainError the views show as is."""

from django.utils.translation import gettext_lazy as _

from inventory.exceptions import DomainError, InsufficientStock, InvalidTransition

__all__ = ["InsufficientStock", "InvalidOrder", "InvalidTransition"]


class InvalidOrder(DomainError):
    """An order the rules refuse before any stock is looked at."""

    default_message = _("This order cannot be placed.")

"""Why an operation leaves a product alone, as sentences a seller reads.

The rules themselves are queryset methods (``archivable()``, ``deletable()``);
these functions only explain a refusal, from the annotations of
``with_stock()`` and ``with_open_order_count()``, so the Product List's row
("3 in My warehouse") and the services' refusals say the same thing.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def not_found():
    return _("Not found.")


def archive_blockers(product):
    """Short phrases for a row that cannot be archived ("2 reserved")."""
    if product.archived_at is not None:
        return [_("Already archived")]
    blockers = []
    if product.fbo_available:
        blockers.append(_("%(n)d in OZON warehouse") % {"n": product.fbo_available})
    if product.fbs_available:
        blockers.append(_("%(n)d in My warehouse") % {"n": product.fbs_available})
    if product.reserved_units:
        blockers.append(_("%(n)d reserved") % {"n": product.reserved_units})
    return blockers


def archive_refusal(product):
    """The full sentence for a product the archive operation refused."""
    if product.archived_at is not None:
        return _("Already archived.")
    reasons = []
    if product.reserved_units:
        orders = getattr(product, "open_orders", 0)
        if orders:
            reasons.append(
                ngettext(
                    "reserved by %(n)d order",
                    "reserved by %(n)d orders",
                    orders,
                )
                % {"n": orders}
            )
        else:
            reasons.append(_("%(n)d reserved") % {"n": product.reserved_units})
    if product.fbo_available:
        reasons.append(
            _("stock in the marketplace warehouse (%(n)d)")
            % {"n": product.fbo_available}
        )
    if product.fbs_available:
        reasons.append(
            _("stock in my warehouse (%(n)d)") % {"n": product.fbs_available}
        )
    if not reasons:
        # The stock changed between the UPDATE and this explanation.
        return _("Its stock changed meanwhile; try again.")
    return _("Cannot be archived: %(reasons)s.") % {"reasons": "; ".join(reasons)}


def restore_refusal(product):
    return _("Not in the archive.")


def delete_refusal(product):
    if product.archived_at is None:
        return _("Not in the archive: archive it first.")
    return _("Passed moderation, so it cannot be deleted; it can only be archived.")

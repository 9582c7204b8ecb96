"""Bulk selections and the operations a list page offers on them.

A list page posts either ticked IDs (``scope=ids``, ``ids=...``) or
``scope=all``, meaning "everything matching the filter in this URL". For the
latter the server rebuilds the set from the filter parameters with the same
filter set class the page used, so no list of IDs is trusted or needed. Both
end as a lazy queryset that the operation's service narrows again to the
acting seller and the rule.

Nothing here knows about products: callers pass the base queryset (already
scoped to the seller and the tab) and the filter set class of their page.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .exceptions import SelectionError

SCOPE_IDS = "ids"
SCOPE_ALL = "all"
# A posted ID: ASCII digits only, and within a 64-bit primary key.
ID_TEXT = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1


class MalformedSelection(SuspiciousOperation):
    """Input no form of ours produces; Django answers it with a 400."""


@dataclass
class Selection:
    """What the user chose: a queryset, and how it was chosen."""

    queryset: Any
    scope: str
    ids: list[int] | None = None

    @property
    def is_all_matching(self):
        return self.scope == SCOPE_ALL

    def hint(self):
        """What to hand to a service: the posted IDs, or the lazy queryset."""
        return self.ids if self.ids is not None else self.queryset


PRODUCTS_NOT_SELECTED = _("No products were selected.")
TOO_MANY_PRODUCTS = ngettext_lazy(
    'At most %(cap)d product can be ticked at once; choose "all matching this '
    'filter" instead.',
    'At most %(cap)d products can be ticked at once; choose "all matching '
    'this filter" instead.',
    "cap",
)


def parse_selection(
    post,
    filter_data,
    base_queryset,
    filterset_class,
    request=None,
    *,
    nothing_selected=PRODUCTS_NOT_SELECTED,
    too_many=TOO_MANY_PRODUCTS,
):
    """Turn a bulk form's POST into a :class:`Selection`.

    ``filter_data`` is the page's filter parameters (the query string the form
    posts to). Raises :class:`SelectionError` (shown as a warning) for an
    empty or oversized selection, :class:`MalformedSelection` (a 400) for
    values no form of ours sends. ``nothing_selected`` and ``too_many`` word
    the two warnings in the list's own noun (products by default).
    """
    scope = post.get("scope") or SCOPE_IDS
    if scope == SCOPE_ALL:
        filterset = filterset_class(
            data=filter_data, queryset=base_queryset, request=request
        )
        if not filterset.is_valid():
            raise SelectionError(
                _("The filter is not valid; correct it and select again.")
            )
        return Selection(queryset=filterset.qs, scope=SCOPE_ALL)
    if scope != SCOPE_IDS:
        raise MalformedSelection("unknown selection scope")

    raw = [value for value in post.getlist("ids") if value != ""]
    if not raw:
        raise SelectionError(nothing_selected)
    cap = settings.MAX_POSTED_IDS
    if len(raw) > cap:
        raise SelectionError(too_many % {"cap": cap})
    # int() would also read "３", "٣" or "1_0" as numbers, and a number past
    # a 64-bit key makes SQLite raise: only our checkboxes' plain ASCII IDs pass.
    if not all(ID_TEXT.fullmatch(value) for value in raw):
        raise MalformedSelection("non-numeric id in selection")
    ids = list(dict.fromkeys(int(value) for value in raw))
    if any(not 0 < pk <= MAX_ID for pk in ids):
        raise MalformedSelection("id out of range in selection")
    return Selection(
        queryset=base_queryset.filter(pk__in=ids), scope=SCOPE_IDS, ids=ids
    )


@dataclass(frozen=True)
class BulkOperation:
    """One entry of an Operation menu.

    ``run(seller, products, actor=...)`` is the service; ``destructive``
    operations go through a confirmation page first; ``permission`` (a Django
    permission name) or ``flag`` (a setting that must be true) can withhold
    it from a user.
    """

    key: str
    label: Any
    run: Any
    destructive: bool = False
    permission: str | None = None
    flag: str | None = None

    def allowed_for(self, user):
        if self.flag and not getattr(settings, self.flag, False):
            return False
        return not self.permission or user.has_perm(self.permission)


class OperationRegistry:
    """A plain ordered mapping of key to :class:`BulkOperation`."""

    def __init__(self, *operations):
        self._operations = {operation.key: operation for operation in operations}

    def __iter__(self):
        return iter(self._operations.values())

    def get(self, key):
        return self._operations.get(key)

    def for_user(self, user):
        return [operation for operation in self if operation.allowed_for(user)]


@dataclass(frozen=True)
class ResultWording:
    """How one list reports an operation's result, in its own noun.

    Each field is an ``ngettext_lazy(singular, plural, "n")`` sentence with an
    ``%(n)d`` placeholder, so the plural is chosen when it is formatted.
    """

    left_unchanged: Any
    more: Any


def report_result(request, result, *, done_message, wording, label, listed=None):
    """Tell the user what an operation did: one count, then every refusal.

    ``label`` names a refused item (an offer ID, an order number); at most
    ``listed`` refusals are shown one by one (all that the result carries when
    None), the rest as a count.
    """
    if result.done:
        messages.success(request, done_message % {"n": result.done})
    if not result.refused_total:
        if not result.done:
            messages.warning(request, _("Nothing matched the selection."))
        return
    messages.warning(
        request,
        wording.left_unchanged % {"n": result.refused_total},
        extra_tags="refusals",
    )
    shown = result.refused if listed is None else result.refused[:listed]
    for refusal in shown:
        messages.warning(
            request,
            _("%(item)s: %(reason)s")
            % {"item": label(refusal), "reason": refusal.reason},
            extra_tags="refusal",
        )
    unlisted = result.refused_total - len(shown)
    if unlisted > 0:
        messages.warning(request, wording.more % {"n": unlisted}, extra_tags="refusal")

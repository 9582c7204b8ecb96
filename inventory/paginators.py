"""Pagination that costs the same at 10k and at 1M products.

An exact ``COUNT(*)`` over a seller's matching rows scans every one of them
on every page view: at a million products that count alone costs more than
the rest of the page. The count here stops at ``COUNT_CAP`` rows (a LIMIT
inside the COUNT), so it is exact for every catalogue below the cap and
reads "10,000+" above it; the pager then offers the pages of the first
``COUNT_CAP`` rows, and a seller narrows the rest with the filters or the
search, which is how people look for one product among a million anyway.
docs/benchmarks.md has the measurements behind the choice.
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

COUNT_CAP = 10_000


def count_label(count, capped):
    """How a capped count reads: "9,182" or "10,000+"."""
    if capped:
        return _("%(count)s+") % {"count": intcomma(count)}
    return intcomma(count)


def capped_count_sql(queryset, cap=COUNT_CAP):
    """SQL and params of ``COUNT(*)`` over at most ``cap + 1`` rows."""
    inner = queryset.order_by().values("pk")[: cap + 1]
    sql, params = inner.query.sql_with_params()
    return f"(SELECT COUNT(*) FROM ({sql}) capped)", params


def capped_counts(querysets, cap=COUNT_CAP):
    """Count several querysets, each up to ``cap + 1``, in one query."""
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = capped_count_sql(queryset, cap)
        parts.append(sql)
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` (see the module docstring).

    ``count`` is at most ``cap``; ``capped`` says whether more rows match.
    Works on a queryset or on django-tables2's rows over one.
    """

    cap = COUNT_CAP

    def _queryset(self):
        rows = self.object_list
        data = getattr(getattr(rows, "data", None), "data", None)
        if isinstance(data, QuerySet):
            return data
        return rows if isinstance(rows, QuerySet) else None

    @cached_property
    def _capped_count(self):
        queryset = self._queryset()
        if queryset is None:
            return super().count
        return queryset.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self._capped_count, self.cap)

    @property
    def capped(self):
        return self._capped_count > self.cap

    @property
    def count_label(self):
        return count_label(self.count, self.capped)

    def page(self, number):
        """The page's rows, found by their IDs first (a "deferred join").

        With OFFSET, PostgreSQL computes every column of the rows it skips,
        and the stock columns are subqueries: page 400 cost 1.7 s at 100k
        products. The IDs of the page come from the index alone; only those
        rows are then read with their annotations.
        """
        number = self.validate_number(number)
        queryset = self._queryset()
        bottom = (number - 1) * self.per_page
        if queryset is None or bottom == 0:
            return super().page(number)
        ids = queryset.values("pk")[bottom : bottom + self.per_page]
        rows = queryset.filter(pk__in=ids)
        if hasattr(self.object_list, "table"):
            rows = type(self.object_list)(
                data=rows,
                table=self.object_list.table,
                pinned_data=self.object_list.pinned_data,
            )
        return self._get_page(rows, number, self)

"""The Archive Library as its own admin page.

No table of its own: a proxy of ``inventory.Product`` whose default manager
shows only archived products, so the staff admin lists them apart.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.models import Product
from inventory.querysets import ProductQuerySet


class ArchivedProductManager(models.Manager.from_queryset(ProductQuerySet)):
    def get_queryset(self):
        return super().get_queryset().in_archive()


class ArchivedProduct(Product):
    objects = ArchivedProductManager()

    class Meta:
        proxy = True
        verbose_name = _("archived product")
        verbose_name_plural = _("Archive Library")

"""The sentences that report an archive, restore or delete, for the
dashboard and the admin alike (one wording, one translation)."""

from django.utils.translation import ngettext

DONE_MESSAGES = {
    "archive": lambda n: ngettext(
        "%(n)d product moved to the Archive Library.",
        "%(n)d products moved to the Archive Library.",
        n,
    ),
    "restore": lambda n: ngettext(
        "%(n)d product restored to the Product List.",
        "%(n)d products restored to the Product List.",
        n,
    ),
    "delete": lambda n: ngettext(
        "%(n)d product deleted permanently.",
        "%(n)d products deleted permanently.",
        n,
    ),
}

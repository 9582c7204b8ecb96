"""Forms of the buyers' marketplace search: the query and the Buy form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.forms import WholeNumberField

# The most units one buyer may order in one go from the search page; a
# storefront limit, well under the warehouse cap, that keeps a typo (or a
# script) from reserving a seller's whole stock.
MAX_ORDER_QUANTITY = 100
# Words of a query that are matched; the rest are ignored.
MAX_QUERY_WORDS = 6


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Search the marketplace")}
        ),
    )

    def words(self):
        """The query's words, or an empty list for "show everything"."""
        if not self.is_valid():
            return []
        return self.cleaned_data["q"].split()[:MAX_QUERY_WORDS]


class BuyForm(forms.Form):
    quantity = WholeNumberField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_ORDER_QUANTITY,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_ORDER_QUANTITY}),
    )
    buyer_name = forms.CharField(label=_("Your name"), max_length=200)
    buyer_email = forms.EmailField(label=_("E-mail"), max_length=254)

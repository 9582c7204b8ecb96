"""Form fields every app's forms share."""

import re

from django import forms

# Python's int() also reads "٣" (Arabic-Indic), "３" (fullwidth) and "1_000"
# as numbers. No browser's number field sends them, so they come from a
# script or a pasted cell, and a stock or an order must not change on a
# figure the seller may not have meant: only the digits 0-9 are accepted.
ASCII_INTEGER = re.compile(r"-?[0-9]+")


def is_plain_integer(text):
    """True for an optional minus sign followed by the digits 0-9 only."""
    return ASCII_INTEGER.fullmatch(text) is not None


class WholeNumberField(forms.IntegerField):
    """An integer written with the digits 0-9 (and an optional minus sign).

    Anything else gets IntegerField's own "Enter a whole number." message.
    """

    def to_python(self, value):
        if value not in self.empty_values and not is_plain_integer(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

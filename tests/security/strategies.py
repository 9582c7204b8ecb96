"""Hypothesis strategies for input no form of ours would send."""

import re

from hypothesis import strategies as st

ASCII_NUMBER = re.compile(r"[0-9]+")

# Characters Python's int() reads as digits although no browser's number
# field sends them: Arabic-Indic, Extended Arabic-Indic, Devanagari,
# fullwidth, mathematical bold.
FOREIGN_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९０１２３４５６７８９𝟎𝟏𝟐𝟑"

TRICKY_NUMBERS = (
    "",
    " ",
    "-1",
    "-0",
    "0",
    "+1",
    "1.5",
    "0.25",
    "2,5",
    "1e3",
    "0x1F",
    "1_000",
    "NaN",
    "inf",
    "²",
    "½",
    "١٠",
    "３",
    "٣",
    "1\x00",
    "9" * 30,
    str(2**63),
    str(-(2**63) - 1),
)

foreign_digits = st.text(alphabet=FOREIGN_DIGITS, min_size=1, max_size=4)

mixed_digits = st.tuples(st.integers(min_value=0, max_value=99), foreign_digits).map(
    lambda pair: f"{pair[0]}{pair[1]}"
)


def not_a_plain_number(text):
    return ASCII_NUMBER.fullmatch(text) is None


# A value posted where an ID (a positive ASCII integer) belongs.
bad_id = st.one_of(
    st.sampled_from(TRICKY_NUMBERS).filter(lambda v: v != ""),
    st.integers(max_value=0).map(str),
    st.integers(min_value=2**63, max_value=10**40).map(str),
    foreign_digits,
    mixed_digits,
    st.text(min_size=1, max_size=12).filter(not_a_plain_number),
)

bad_ids = st.lists(bad_id, min_size=1, max_size=20)

# A quantity no stock form should take: negative, fractional, above the
# cap, in other scripts' digits, or not a number at all.
bad_quantity = st.one_of(
    st.sampled_from(TRICKY_NUMBERS).filter(lambda v: v not in {"0", "-0"}),
    st.integers(max_value=-1).map(str),
    st.integers(min_value=1_000_001, max_value=10**30).map(str),
    st.decimals(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)
    .filter(lambda d: d != d.to_integral_value())
    .map(str),
    foreign_digits,
    mixed_digits,
    st.text(max_size=10).filter(not_a_plain_number),
)

# Text for free-text fields and query parameters: any Unicode, any length a
# URL might carry, control characters included.
garbage_text = st.one_of(
    st.sampled_from(TRICKY_NUMBERS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
)

FILTER_KEYS = (
    "q",
    "moderation",
    "stock",
    "warehouse",
    "state",
    "product",
    "placed_after",
    "placed_before",
    "date",
    "seller",
    "page",
    "per_page",
    "sort",
    "scope",
)

broken_query = st.dictionaries(
    st.sampled_from(FILTER_KEYS), garbage_text, min_size=1, max_size=6
)

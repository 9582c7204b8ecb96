"""Reading list pages the way a seller reads them: rows by offer ID."""

import re

ROW = re.compile(r'<tr data-offer-id="([^"]+)"[^>]*>(.*?)</tr>', re.S)
TAG = re.compile(r"<[^>]+>")


def rows(response):
    """Offer IDs of the table's rows, in page order."""
    return [offer for offer, _html in ROW.findall(response.content.decode())]


def row_html(response, offer_id):
    for offer, html in ROW.findall(response.content.decode()):
        if offer == offer_id:
            return html
    raise AssertionError(f"no row for {offer_id}")


def row_text(response, offer_id):
    """The row's visible text, whitespace collapsed."""
    return " ".join(TAG.sub(" ", row_html(response, offer_id)).split())


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []

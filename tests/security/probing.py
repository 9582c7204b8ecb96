"""Send a probe from the route table and reduce its answer to what matters."""

import re
from contextlib import contextmanager
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse

from .conftest import OTHER_PUBLIC_MARKERS, OTHER_SECRET_MARKERS

# A fresh masked token is rendered into every form; it says nothing about
# whose data the page holds, so it is blanked before two pages are compared.
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def probe_url(name, probe, targets):
    url = reverse(name, kwargs=probe.url_kwargs(targets))
    query = probe.query(targets)
    if query and probe.method != "get":
        url = f"{url}?{urlencode(query, doseq=True)}"
    return url


def send(client, name, probe, targets, *, follow=True, **extra):
    url = probe_url(name, probe, targets)
    if probe.method == "get":
        return client.get(url, probe.query(targets), follow=follow, **extra)
    return client.post(url, probe.data(targets), follow=follow, **extra)


def send_and_undo(client, name, probe, targets, **extra):
    """Send a probe, then roll back whatever it changed.

    Two probes compared with each other must meet the same data: an "all
    matching" archive that succeeds the first time would otherwise leave
    nothing for the second.
    """
    with undone():
        response = send(client, name, probe, targets, **extra)
        body_of(response)  # read a streamed body while its rows still exist
    return response


@contextmanager
def undone():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def body_of(response):
    """The decoded body, for plain and streamed responses alike (cached)."""
    if not hasattr(response, "_security_body"):
        if response.streaming:
            raw = b"".join(response.streaming_content)
        else:
            raw = response.content
        response._security_body = raw.decode("utf-8", errors="replace")
    return response._security_body


def _replace_targets(text, targets):
    for value, token in targets.placeholders().items():
        text = re.sub(rf"(?<![0-9]){value}(?![0-9])", token, text)
    # A seller's ID is small and would match counts on the page, so it is
    # replaced only where a tampered parameter echoes it.
    text = re.sub(rf"(seller=){targets.seller}(?![0-9])", r"\1<seller>", text)
    text = text.replace(targets.unlisted_offer_id, "<unlisted offer>")
    text = text.replace(targets.warehouse_name, "<warehouse name>")
    return text.replace(targets.offer_id, "<offer>")


def answer(response, targets, *also):
    """Status, redirects and page text with the aimed-at IDs made neutral.

    ``also`` names more targets to neutralise: on a public page B's listed
    products show whichever ID a probe aims at.
    """

    def neutral(text):
        for each in (targets, *also):
            text = _replace_targets(text, each)
        return text

    body = _CSRF_VALUE.sub(r"\1\2", body_of(response))
    chain = [
        (neutral(url), status)
        for url, status in getattr(response, "redirect_chain", [])
    ]
    return {"status": response.status_code, "redirects": chain, "body": neutral(body)}


def leaked_markers(response, targets, *, public):
    """Markers of the other seller's rows found in the page.

    The aimed-at IDs and offer ID are neutralised first: a search box that
    echoes the tampered parameter back is not a leak, a row of B's is.
    """
    text = answer(response, targets)["body"]
    markers = (
        OTHER_SECRET_MARKERS
        if public
        else (OTHER_SECRET_MARKERS + OTHER_PUBLIC_MARKERS)
    )
    return [marker for marker in markers if marker.lower() in text.lower()]

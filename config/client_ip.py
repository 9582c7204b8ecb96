"""The client address login throttling counts failures against.

django-axes reads ``AXES_IPWARE_PROXY_COUNT`` only when django-ipware is
installed; without it, behind a proxy, every client would share the proxy's
address. This small function keeps the proxy count meaningful without the
extra dependency.
"""

from django.conf import settings


def client_ip(request):
    """Return the client's address, trusting ``PROXY_COUNT`` proxies in front.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so the entry ``PROXY_COUNT`` places from the right was
    written by our outermost proxy; entries left of it come from the client
    and may be forged. Without proxies (or without the header) it is
    REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    hops = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if len(hops) < count:
        # The request did not pass through every proxy: trust only the socket.
        return remote
    return hops[-count]

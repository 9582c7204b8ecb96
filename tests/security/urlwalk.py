"""Walk the URLconf: every route the project serves, with its full name.

The security matrices iterate over what this yields, so a route added
anywhere shows up in them without anyone remembering to list it.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Staff-only: the admin has its own tests, and staff see every seller by
# design, so the tenancy rule does not apply there. The CSRF matrix still
# covers the admin's changelists (see test_csrf_matrix.py).
EXCLUDED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    kwargs: tuple[str, ...]
    callback: object

    @property
    def namespace(self):
        return self.name.rpartition(":")[0]


def _walk(patterns, namespace, prefix):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if inner:
                inner = f"{namespace}:{inner}" if namespace else inner
            else:
                inner = namespace
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            full_pattern = prefix + str(entry.pattern)
            # An unnamed route cannot be reversed, so the matrices key it by
            # its pattern; the table must then list it under that key.
            local = entry.name or f"<unnamed {full_pattern}>"
            name = f"{namespace}:{local}" if namespace else local
            yield Route(
                name=name,
                pattern=full_pattern,
                kwargs=tuple(entry.pattern.converters),
                callback=entry.callback,
            )


def all_routes():
    return list(_walk(get_resolver().url_patterns, "", "/"))


def dashboard_routes():
    """Every route except the excluded namespaces."""
    return [
        route
        for route in all_routes()
        if route.namespace.split(":")[0] not in EXCLUDED_NAMESPACES
    ]


def admin_changelist_routes():
    return [
        route
        for route in all_routes()
        if route.name.startswith("admin:") and route.name.endswith("_changelist")
    ]

"""The ground floor's services, one module per area.

``activity``: the activity log and the shared result objects;
``stock``: setting stock and receiving supplies (orders issue);
``visibility``: out-of-stock tracking and hiding from search.
"""

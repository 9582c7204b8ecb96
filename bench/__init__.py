"""Benchmarks of the seller dashboard against the Django admin and raw SQL.

Run ``make bench`` (10k, 100k and 1M products) or ``make bench-quick``; see
docs/benchmarks.md for what is measured and the latest figures.
"""

"""Queries and writes over the models, grouped by feature; they never commit."""

"""Tests of the catalog file: parsing, checking and importing."""

"""Callback data and keyboards that several features share."""

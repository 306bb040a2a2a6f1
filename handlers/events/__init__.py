"""Greenway events in the chat."""

"""Where a place is on a map: the link behind every "Map" button.

An inline button with a link, not a venue message: it keeps one bubble per answer, opens
only when tapped, and OpenStreetMap needs no account and sets no tracking cookies (the
catalog's opening hours already follow its syntax).
"""

from __future__ import annotations


def map_url(lat: float, lon: float) -> str:
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=18/{lat:.5f}/{lon:.5f}"
    )


def hub_place(name: str, address: str, lat: float, lon: float) -> dict[str, str | float]:
    """A hub as notices carry it in their parameters: plain data, rendered when sent."""
    return {"name": name, "address": address, "lat": lat, "lon": lon}

"""Where a shift or an event happens, as every notice says it: the place, the hub, the
address, and a map button."""

from __future__ import annotations

import html
from typing import Any

from bot.i18n import gettext as _
from bot.maps import map_url
from bot.notices.buttons import Button, Markup, markup, url_button


def where_text(place: str, hub: dict[str, Any] | None) -> str:
    """ "Where: Sala computer, Casa di quartiere Ospizio, Via Example 1" (place already escaped)."""
    if hub is None:
        return _("Where: {place}").format(place=place) if place else ""
    name, address = html.escape(str(hub["name"])), html.escape(str(hub["address"]))
    if place:
        return _("Where: {place}, {hub}, {address}").format(place=place, hub=name, address=address)
    return _("Where: {hub}, {address}").format(hub=name, address=address)


def map_row(pin: dict[str, Any] | None) -> list[Button]:
    """One "Map" button, when the notice knows where the place is."""
    if pin is None or pin.get("lat") is None or pin.get("lon") is None:
        return []
    return [url_button(_("🗺 Map"), map_url(float(pin["lat"]), float(pin["lon"])))]


def map_markup(pin: dict[str, Any] | None) -> Markup | None:
    """The "Map" button alone, or no keyboard at all when the place has no pin."""
    row = map_row(pin)
    return markup([row]) if row else None

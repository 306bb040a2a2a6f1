"""The Events section's own words, sent to the page in the caller's language."""

from __future__ import annotations

from bot.i18n import gettext as _


def events_texts() -> dict[str, str]:
    """Every text of the Events section, in the current locale (inside `use_locale`)."""
    return {
        "heading": _("Events"),
        "intro": _("Greenways and their upcoming events. Times are Rome time."),
        "none": _("No upcoming events."),
        "add": _("Add an event"),
        "add_to": _("Add an event to {greenway}"),
        "edit": _("Edit"),
        "edit_heading": _("Edit the event"),
        "title_it": _("Title in Italian"),
        "title_en": _("Title in English"),
        "description_it": _("Description in Italian"),
        "description_en": _("Description in English"),
        "place_it": _("Place in Italian (optional)"),
        "place_en": _("Place in English (optional)"),
        "start": _("Start"),
        "end": _("End"),
        "pin": _("Map pin (optional)"),
        "lat": _("Latitude"),
        "lon": _("Longitude"),
        "save": _("Save"),
        "back": _("Back"),
        "reload": _("Reload"),
        "cancel_event": _("Cancel the event"),
        "cancel_confirm": _("Cancel this event? Everyone who said they will come is told at once."),
        "cancel_yes": _("Yes, cancel it"),
        "cancel_no": _("No, keep it"),
        "added": _("Event added: the greenway's followers will be told."),
        "saved": _("Saved. If the times changed, everyone who said they will come is told."),
        "cancelled": _("Event cancelled: everyone who said they will come is told."),
        "gone": _("This event or greenway no longer exists, or it was cancelled."),
        "fix": _("Some fields need a change: see the messages below them."),
    }

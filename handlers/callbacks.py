"""Callback data of the inline buttons; each fits Telegram's 64 bytes by construction."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LanguagePick(CallbackData, prefix="lang"):
    code: str


class SettingsAction(CallbackData, prefix="set"):
    action: str


class QuartierePage(CallbackData, prefix="hqp"):
    page: int


class QuartierePick(CallbackData, prefix="hq"):
    quartiere_id: int  # 0 clears the choice


class HubAction(CallbackData, prefix="hub"):
    action: str  # "map" or "info"
    hub_id: int


class HubServices(CallbackData, prefix="hss"):
    """The service list; carries the location the user sent, if any, rounded to ~10 m."""

    page: int = 0
    lat_e4: int | None = None
    lon_e4: int | None = None


class HubService(CallbackData, prefix="hsv"):
    service_id: int
    page: int = 0
    lat_e4: int | None = None
    lon_e4: int | None = None


class HubQuartieri(CallbackData, prefix="hqs"):
    page: int = 0


class HubQuartiere(CallbackData, prefix="hqr"):
    key: int
    page: int = 0


class ProjectList(CallbackData, prefix="prj"):
    """A page of projects; filters are positions in the theme and quartiere choices."""

    page: int = 0
    theme: int = -1
    quartiere: int = -1


class ProjectFilter(CallbackData, prefix="prf"):
    kind: str  # "theme" or "quartiere"


class ProjectOpen(CallbackData, prefix="pro"):
    project_id: int


class ShiftJoin(CallbackData, prefix="sj"):
    shift_id: int


class PlaceCancel(CallbackData, prefix="pc"):
    shift_id: int


class PlaceCalendar(CallbackData, prefix="pic"):
    shift_id: int  # 0 for all upcoming places


class RegisterAnswer(CallbackData, prefix="reg"):
    answer: str  # "yes" or "no"


class RosterOpen(CallbackData, prefix="ro"):
    shift_id: int


class RosterAct(CallbackData, prefix="ra"):
    action: str
    shift_id: int
    user_id: int


class RosterMessage(CallbackData, prefix="rm"):
    shift_id: int


class HoursFromShift(CallbackData, prefix="hfs"):
    """One tap to log a shift's hours, project and duration taken from the shift."""

    shift_id: int


class CertificateMenu(CallbackData, prefix="crt"):
    """Opens the choice of period for a certificate of approved hours."""

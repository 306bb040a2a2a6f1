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
    action: str  # "map"; "info" on the lists of earlier versions
    hub_id: int


class HubOpen(CallbackData, prefix="hbo"):
    """Opens a hub's card from a list, which its back button returns to: `back` names the
    list ("near", "service" or "quartiere"), `key` the service or quartiere, and the
    location the list was sorted from, if any, rounded to ~10 m."""

    hub_id: int
    back: str
    key: int = 0
    page: int = 0
    lat_e4: int | None = None
    lon_e4: int | None = None


class HubNearby(CallbackData, prefix="hnb"):
    """The list of the hubs nearest to a location the user sent, rounded to ~10 m."""

    lat_e4: int
    lon_e4: int


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
    """A project's button on the lists of earlier versions: its card, back to the first page."""

    project_id: int


class ProjectCard(CallbackData, prefix="prc"):
    """Opens a project's card in place of the list page (page and filters as ProjectList),
    which its back button returns to."""

    project_id: int
    page: int = 0
    theme: int = -1
    quartiere: int = -1


class ShiftJoin(CallbackData, prefix="sj"):
    shift_id: int


class PlaceCancel(CallbackData, prefix="pc"):
    shift_id: int


class PlaceLeave(CallbackData, prefix="pl"):
    """Leaving a place: "ask" shows the question, "yes" or "no" answers it; `origin` is
    "list" (the /shifts message, shown again after) or "notice" (a promotion notice)."""

    answer: str
    shift_id: int
    origin: str


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


class RosterIdentity(CallbackData, prefix="rid"):
    """The answer to "did you check a document?", or the undo of a confirmation."""

    answer: str  # "yes", "no" or "undo"
    shift_id: int
    user_id: int


class ShiftReply(CallbackData, prefix="srp"):
    """A volunteer's reply to their tutor's message about a shift."""

    shift_id: int
    tutor_id: int


class RosterMessage(CallbackData, prefix="rm"):
    shift_id: int


class ReminderAnswer(CallbackData, prefix="rma"):
    """A shift reminder's answer: "yes" (I'll be there) or "no" (I can't come)."""

    answer: str
    shift_id: int


class ReminderOffset(CallbackData, prefix="rmo"):
    """Switches one reminder offset (seconds) on or off in /settings; 0 switches all off."""

    seconds: int


class HoursFromShift(CallbackData, prefix="hfs"):
    """One tap to log a shift's hours, project and duration taken from the shift."""

    shift_id: int


class CertificateMenu(CallbackData, prefix="crt"):
    """Opens the choice of period for a certificate of approved hours."""


class HoursProject(CallbackData, prefix="hpj"):
    project_id: int


class HoursDay(CallbackData, prefix="hdy"):
    choice: str  # "today", "yesterday" or "other"


class HoursStep(CallbackData, prefix="hst"):
    action: str  # "skip" (the note), "save" or "drop"


class HoursDecide(CallbackData, prefix="hdc"):
    """A tutor's decision; `check` is the fingerprint of the figures the tutor was shown,
    `page` the /approve page it was pressed on (-1: on the notice of a new report)."""

    action: str  # "approve" or "reject"
    report_id: int
    check: int
    page: int = -1


class HoursDecideListed(CallbackData, prefix="hdl"):
    """A decision from an /approve list: as HoursDecide, with the report's `number` in
    the list, which it keeps after decisions."""

    action: str  # "approve" or "reject"
    report_id: int
    check: int
    page: int
    number: int


class HoursUndo(CallbackData, prefix="hun"):
    """Takes a decision back; `page` and `number` as in HoursDecide (-2: on the
    confirmation of a rejection)."""

    report_id: int
    page: int = -1
    number: int = 0


class HoursApproveShift(CallbackData, prefix="has"):
    """The approve-all button of earlier versions, which named no list: answered with the
    current list, approving nothing."""

    shift_id: int


class HoursApproveList(CallbackData, prefix="hal"):
    """Approves the pending reports of a shift exactly as listed; `seen` is the list's
    fingerprint (11 characters) when it was shown."""

    shift_id: int
    seen: str


class HoursApprovePage(CallbackData, prefix="hap"):
    page: int


class MyReport(CallbackData, prefix="hmr"):
    action: str  # "edit" or "withdraw"
    report_id: int


class EventList(CallbackData, prefix="evl"):
    page: int = 0
    greenway_id: int = 0  # 0: every greenway


class EventGreenways(CallbackData, prefix="evg"):
    """Opens the choice of greenway to filter /events by."""


class EventOpen(CallbackData, prefix="evo"):
    """Opens one event's card from a page of /events, which its back button returns to."""

    event_id: int
    page: int = 0
    greenway_id: int = 0


class EventAct(CallbackData, prefix="eva"):
    """A button of one event: "go", "nogo" (a notice, or a page of earlier versions), "join",
    "leave" (its card), "map" or "ics"; page -1 when on a notice."""

    action: str
    event_id: int
    page: int = -1
    greenway_id: int = 0


class EventFollow(CallbackData, prefix="evf"):
    """Following greenways: "menu" shows the choices; "greenway", "all", "digest" set one."""

    target: str
    greenway_id: int = 0
    on: bool = False


class CertificatePick(CallbackData, prefix="crp"):
    period: str  # bot.services.figures.periods.Period: "year", "last_year" or "all"


class FiguresPick(CallbackData, prefix="fig"):
    scope: str  # "report" or "stats"
    period: str  # "month", "year" or "last_year"


class BroadcastStep(CallbackData, prefix="bc"):
    """A step of composing an announcement: add a version, audience, time, urgency, send."""

    action: str
    value: str = ""


class BroadcastGroups(CallbackData, prefix="bcg"):
    """A page of quartieri, projects, greenways or languages to add to the audience."""

    kind: str
    page: int = 0


class BroadcastPick(CallbackData, prefix="bcp"):
    kind: str
    item_id: int


class AnnouncementCancel(CallbackData, prefix="bcx"):
    announcement_id: int


class ForgetConfirm(CallbackData, prefix="fgt"):
    """The answer to /forget: "yes" erases the user's data, "no" keeps it."""

    answer: str


class FrontDoor(CallbackData, prefix="door"):
    """A button of the front door: opens what the command of the same name opens."""

    command: str  # the contract's English name: "hubs", "events", "approve", ...


class DraftLeft(CallbackData, prefix="dft"):
    """The answer to a command sent over an announcement draft: keep it or discard it."""

    action: str  # "keep" or "discard"
    command: str  # the contract's English name of the command that was sent

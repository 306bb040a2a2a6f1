"""The programme office edits a hub in the Mini App: its fields and its closures.

Rules, each a step of every use case:
- only admins (checked here again, whatever the endpoint checked: PermissionError);
- the values pass the catalog import's own checks, with its messages (`form.check_hub`);
- a write lands only over the version the form was opened on (`StaleVersion` otherwise),
  and raises it, so the other forms open on the hub are refused in turn;
- every change is audited in the same transaction (`hub.updated`, `hub.closure_added`,
  `hub.closure_removed`, target `hub:ID`), and the hub finder reads the catalog afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.hubs import finder
from bot.services.hubs.form import ClosureFields, HubFields, check_hub, closure_days
from bot.services.people import audit
from bot.services.people.roles import Actor
from storage.models import Hub
from storage.repositories import closures as closures_repo
from storage.repositories import hub_editing as repo
from storage.repositories import shifts as shifts_repo
from storage.types import Translations


class EditRefused(Exception):
    """The values break the import's rules: the message for each form field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields


class StaleVersion(Exception):
    """Someone changed the hub since the form was opened on `version`."""


@dataclass(frozen=True)
class HubLine:
    id: int
    name: str
    quartiere: str


@dataclass(frozen=True)
class ClosureView:
    id: int
    first: date
    last: date
    note: Translations | None


@dataclass(frozen=True)
class ServiceChoice:
    code: str
    name: Translations


@dataclass(frozen=True)
class HubView:
    id: int
    code: str
    name: str
    address: str
    phone: str
    email: str
    services: tuple[str, ...]  # codes
    opening_hours: str
    closures: tuple[ClosureView, ...]
    version: int
    choices: tuple[ServiceChoice, ...]  # every service of the catalog


def _target(hub_id: int) -> str:
    """The audit entries' target: `quartiere-bot audit` lists a hub's changes by it."""
    return f"hub:{hub_id}"


def _admin_only(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionError("only admins edit hubs")


async def list_hubs(session: AsyncSession, actor: Actor) -> list[HubLine]:
    _admin_only(actor)
    return [HubLine(hub.id, hub.name, hub.quartiere) for hub in await repo.hubs_by_name(session)]


async def _hub(session: AsyncSession, hub_id: int) -> Hub:
    hub = await session.get(Hub, hub_id, populate_existing=True)
    if hub is None:
        raise LookupError(hub_id)
    return hub


async def read_hub(session: AsyncSession, actor: Actor, hub_id: int) -> HubView:
    """The hub as its form shows it; LookupError when there is none."""
    _admin_only(actor)
    hub = await _hub(session, hub_id)
    stored = (await closures_repo.closures_by_hub(session, [hub.id])).get(hub.id, [])
    services = await repo.services_by_code(session)
    return HubView(
        id=hub.id,
        code=hub.code,
        name=hub.name,
        address=hub.address,
        phone=hub.phone or "",
        email=hub.email or "",
        services=tuple(sorted(service.code for service in hub.services)),
        opening_hours=hub.opening_hours,
        closures=tuple(ClosureView(c.id, c.first_day, c.last_day, c.note) for c in stored),
        version=hub.version,
        choices=tuple(ServiceChoice(service.code, service.name) for service in services),
    )


async def _commit(session: AsyncSession) -> None:
    await session.commit()
    # The writes went round the ORM (compare-and-set, link rows): read the hub afresh next.
    session.expire_all()
    finder.forget_catalog()


async def save_hub(
    session: AsyncSession,
    actor: Actor,
    hub_id: int,
    version: int,
    fields: HubFields,
    *,
    zone: ZoneInfo,
    now: datetime,
) -> int:
    """Saves the form's fields over `version`; the hub's new version."""
    _admin_only(actor)
    hub = await _hub(session, hub_id)
    stored = (await closures_repo.closures_by_hub(session, [hub.id])).get(hub.id, [])
    checked = await check_hub(session, hub, fields, stored, zone)
    if checked.entry is None:
        raise EditRefused(checked.problems)
    entry = checked.entry
    values = {
        "address": entry.address,
        "phone": entry.phone,
        "email": entry.email,
        "opening_hours": entry.opening_hours,
    }
    if not await repo.claim_version(session, hub.id, version, values):
        raise StaleVersion
    codes = {ref.code for ref in entry.services}
    ids = [service.id for service in await repo.services_by_code(session) if service.code in codes]
    await repo.set_services(session, hub.id, ids)
    audit.record(session, actor.telegram_id, "hub.updated", _target(hub.id), now)
    await _commit(session)
    return version + 1


async def add_closure(
    session: AsyncSession,
    actor: Actor,
    hub_id: int,
    version: int,
    closure: ClosureFields,
    *,
    zone: ZoneInfo,
    now: datetime,
) -> int:
    """Adds a closure (both days included) over `version`; the hub's new version."""
    _admin_only(actor)
    hub = await _hub(session, hub_id)
    stored = (await closures_repo.closures_by_hub(session, [hub.id])).get(hub.id, [])
    current = HubFields(
        hub.address,
        hub.phone or "",
        hub.email or "",
        hub.opening_hours,
        tuple(service.code for service in hub.services),
    )
    checked = await check_hub(session, hub, current, stored, zone, closure)
    if checked.entry is None:
        raise EditRefused(checked.problems)
    first, last, note = closure_days(checked.entry)
    if not await repo.claim_version(session, hub.id, version):
        raise StaleVersion
    repo.add_closure(session, hub.id, first, last, note)
    audit.record(
        session,
        actor.telegram_id,
        "hub.closure_added",
        _target(hub.id),
        now,
        first=first.isoformat(),
        last=last.isoformat(),
    )
    await _commit(session)
    return version + 1


async def remove_closure(
    session: AsyncSession,
    actor: Actor,
    hub_id: int,
    version: int,
    closure_id: int,
    *,
    now: datetime,
) -> int:
    """Removes one of the hub's closures over `version`; the hub's new version.

    LookupError when the hub has no such closure (removed meanwhile counts as stale)."""
    _admin_only(actor)
    hub = await _hub(session, hub_id)
    if not await repo.claim_version(session, hub.id, version):
        raise StaleVersion
    removed = await repo.remove_closure(session, hub.id, closure_id)
    if removed is None:
        await session.rollback()
        raise LookupError(closure_id)
    audit.record(
        session,
        actor.telegram_id,
        "hub.closure_removed",
        _target(hub.id),
        now,
        first=removed.first_day.isoformat(),
        last=removed.last_day.isoformat(),
    )
    await _commit(session)
    return version + 1


@dataclass(frozen=True)
class ShiftOnClosedDay:
    title: Translations  # the project's
    start_at: datetime


async def shifts_on_closed_days(
    session: AsyncSession,
    actor: Actor,
    hub_id: int,
    first: date,
    last: date,
    *,
    zone: ZoneInfo,
    now: datetime,
) -> list[ShiftOnClosedDay]:
    """Shifts still to come at the hub on days from `first` to `last` (both included): a
    closure takes no sign-ups for them, so the office is warned to move or cancel them."""
    _admin_only(actor)
    start = max(now, datetime.combine(first, time(), zone))
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    rows = await shifts_repo.at_hub_between(session, hub_id, start, end)
    return [ShiftOnClosedDay(project.title, shift.start_at) for shift, project in rows]

"""Writing a checked catalog: upserts section by section, counting what changed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.catalog.checks import ShiftPlan
from bot.services.catalog.model import (
    Catalog,
    EventEntry,
    GreenwayEntry,
    HubEntry,
    ProjectEntry,
    QuartiereEntry,
    ServiceEntry,
    ShiftEntry,
)
from bot.services.catalog.summary import Tally
from bot.services.people import audit
from storage.models import Event, Greenway, Hub, Project, Quartiere, Service, Shift
from storage.repositories import catalog as repo
from storage.repositories import closures as closures_repo
from storage.repositories import staff as staff_repo
from storage.repositories.catalog import Outcome


async def write_catalog(
    session: AsyncSession, catalog: Catalog, plan: ShiftPlan, now: datetime
) -> Tally:
    """Upserts every item of the catalog in dependency order; flushes, never commits."""
    writer = _Writer(session, now)
    await writer.quartieri(catalog.quartieri)
    await writer.services(catalog.services)
    await writer.hubs(catalog.hubs)
    projects = await writer.projects(catalog.projects)
    await writer.shifts(catalog.projects, projects, plan)
    await writer.greenways(catalog.greenways)
    await writer.events(catalog.events)
    return writer.tally


class _Writer:
    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now
        self.tally = Tally()

    async def quartieri(self, entries: tuple[QuartiereEntry, ...]) -> None:
        existing = await repo.find_by_codes(self.session, Quartiere, [e.code for e in entries])
        for entry in entries:
            values = {
                "name": entry.name,
                "consulta": entry.consulta,
                "lat": entry.lat,
                "lon": entry.lon,
            }
            _, outcome = repo.upsert_by_code(
                self.session, Quartiere, existing.get(entry.code), entry.code, values
            )
            self.tally.count("quartieri", outcome)
        await self.session.flush()

    async def services(self, entries: tuple[ServiceEntry, ...]) -> None:
        existing = await repo.find_by_codes(self.session, Service, [e.code for e in entries])
        for entry in entries:
            _, outcome = repo.upsert_by_code(
                self.session, Service, existing.get(entry.code), entry.code, {"name": entry.name}
            )
            self.tally.count("services", outcome)
        await self.session.flush()

    async def hubs(self, entries: tuple[HubEntry, ...]) -> None:
        existing = await repo.find_by_codes(self.session, Hub, [e.code for e in entries])
        wanted = {ref.code for entry in entries for ref in entry.services}
        services = await repo.find_by_codes(self.session, Service, wanted)
        rows: list[tuple[Hub, HubEntry]] = []
        for entry in entries:
            hub, outcome = repo.upsert_by_code(
                self.session, Hub, existing.get(entry.code), entry.code, _hub_values(entry)
            )
            offered = [services[ref.code] for ref in entry.services]
            if repo.set_hub_services(hub, offered) and outcome is Outcome.UNCHANGED:
                outcome = Outcome.UPDATED
            if outcome is Outcome.UPDATED:
                _bump(hub)
            self.tally.count("hubs", outcome)
            rows.append((hub, entry))
        await self.session.flush()
        await self._closures(rows)

    async def _closures(self, rows: list[tuple[Hub, HubEntry]]) -> None:
        """Each hub of the file gets exactly the closures the file lists for it."""
        stored = await closures_repo.closures_by_hub(self.session, [hub.id for hub, _ in rows])
        for hub, entry in rows:
            wanted = [(c.first, c.last, c.note) for c in entry.closures]
            added, removed, kept = await closures_repo.replace_closures(
                self.session, hub.id, stored.get(hub.id, []), wanted
            )
            if added or removed:
                _bump(hub)
            self.tally.count("closures", Outcome.CREATED, added)
            self.tally.count("closures", Outcome.REMOVED, removed)
            self.tally.count("closures", Outcome.UNCHANGED, kept)
        await self.session.flush()

    async def projects(self, entries: tuple[ProjectEntry, ...]) -> dict[str, Project]:
        existing = await repo.find_by_codes(self.session, Project, [e.code for e in entries])
        wanted = {entry.hub.code for entry in entries if entry.hub is not None}
        hubs = await repo.find_by_codes(self.session, Hub, wanted)
        rows: dict[str, tuple[Project, Outcome]] = {}
        for entry in entries:
            values = {
                "title": entry.title,
                "description": entry.description,
                "theme": entry.theme,
                "hub_id": hubs[entry.hub.code].id if entry.hub is not None else None,
            }
            project, outcome = repo.upsert_by_code(
                self.session, Project, existing.get(entry.code), entry.code, values
            )
            if outcome is Outcome.UPDATED:
                project.version += 1  # a Mini App form opened before the import is now stale
            rows[entry.code] = project, outcome
        await self.session.flush()
        gained = await self._appoint_tutors(entries, rows)
        for project, outcome in rows.values():
            gained_tutor = project.id in gained and outcome is Outcome.UNCHANGED
            self.tally.count("projects", Outcome.UPDATED if gained_tutor else outcome)
        await self.session.flush()
        return {code: project for code, (project, _) in rows.items()}

    async def _appoint_tutors(
        self, entries: tuple[ProjectEntry, ...], rows: dict[str, tuple[Project, Outcome]]
    ) -> set[int]:
        """Appoints the listed tutors, except those removed with `staff remove`; each new
        tutorship is audited. Returns the projects that gained a tutor."""
        listed = {tutor for entry in entries for tutor in entry.tutors}
        removed = await staff_repo.removed_among(self.session, listed)
        tutors = {
            rows[entry.code][0].id: [tutor for tutor in entry.tutors if tutor not in removed]
            for entry in entries
            if entry.tutors
        }
        added, new_staff = await repo.add_tutors(self.session, tutors, self.now)
        codes = {project.id: code for code, (project, _) in rows.items()}
        for project_id, tutor in added:
            audit.record(
                self.session,
                None,
                "catalog.tutor_appointed",
                f"project:{codes[project_id]} user:{tutor}",
                self.now,
                subject=tutor,
            )
        self.tally.new_staff.extend(new_staff)
        self.tally.appointed_tutors.extend(sorted({tutor for _, tutor in added}))
        self.tally.skipped_tutors.extend(sorted(removed))
        return {project_id for project_id, _ in added}

    async def shifts(
        self, entries: tuple[ProjectEntry, ...], projects: dict[str, Project], plan: ShiftPlan
    ) -> None:
        work = [
            (projects[entry.code].id, shift, plan.matches.get((entry.code, index)))
            for entry in entries
            for index, shift in enumerate(entry.shifts)
        ]
        before = {row.id: _shift_state(row) for _, _, row in work if row is not None}
        await self._park_moving([(shift, row) for _, shift, row in work if row is not None])
        for project_id, shift, row in work:
            self._shift(project_id, shift, row, before.get(row.id) if row is not None else None)
        await self.session.flush()

    async def _park_moving(self, matched: list[tuple[ShiftEntry, Shift]]) -> None:
        """Moves the shifts that change start to a free instant first.

        Two shifts trading times would otherwise break the (project, start) uniqueness
        halfway through the update; catalog times have whole seconds, so a microsecond
        offset is never taken.
        """
        moving = [row for shift, row in matched if row.start_at != shift.start]
        if len(moving) < 2:
            return
        for offset, row in enumerate(moving, 1):
            row.start_at += timedelta(microseconds=offset)
        await self.session.flush()

    def _shift(
        self,
        project_id: int,
        entry: ShiftEntry,
        existing: Shift | None,
        before: tuple[object, ...] | None,
    ) -> None:
        values: dict[str, object] = {
            "project_id": project_id,
            "start_at": entry.start,
            "end_at": entry.end,
            "capacity": entry.capacity,
            "place": entry.place,
            "cancelled": entry.cancelled,
        }
        # A shift found by its start keeps the code it has when the file gives none.
        if entry.code is not None:
            values["code"] = entry.code
        raised = existing is not None and entry.capacity > existing.capacity
        row, outcome = repo.upsert_shift(self.session, existing, values)
        self.tally.count("shifts", outcome)
        if raised and not entry.cancelled:
            self.tally.raised_shifts.append(row.id)
        if before is None or outcome is not Outcome.UPDATED:
            return
        if entry.cancelled and not before[-1]:
            self.tally.cancelled_shifts.append(row.id)
        elif not entry.cancelled and before != _shift_state(row):
            self.tally.changed_shifts.append(row.id)

    async def greenways(self, entries: tuple[GreenwayEntry, ...]) -> None:
        existing = await repo.find_by_codes(self.session, Greenway, [e.code for e in entries])
        for entry in entries:
            values = {"name": entry.name, "description": entry.description}
            _, outcome = repo.upsert_by_code(
                self.session, Greenway, existing.get(entry.code), entry.code, values
            )
            self.tally.count("greenways", outcome)
        await self.session.flush()

    async def events(self, entries: tuple[EventEntry, ...]) -> None:
        existing = await repo.find_by_codes(self.session, Event, [e.code for e in entries])
        wanted = {entry.greenway.code for entry in entries}
        greenways = await repo.find_by_codes(self.session, Greenway, wanted)
        added: list[Event] = []
        for entry in entries:
            row = existing.get(entry.code)
            before = (row.start_at, row.end_at, row.cancelled) if row is not None else None
            values = _event_values(entry, greenways[entry.greenway.code].id)
            event, outcome = repo.upsert_by_code(self.session, Event, row, entry.code, values)
            self.tally.count("events", outcome)
            if outcome is Outcome.UPDATED:
                event.version += 1  # a Mini App form opened before the import is now stale
            if before is None:
                added.extend([event] if not entry.cancelled else [])
            elif entry.cancelled and not before[2]:
                self.tally.cancelled_events.append(event.id)
            elif not entry.cancelled and before != (event.start_at, event.end_at, False):
                self.tally.rescheduled_events.append(event.id)
        await self.session.flush()
        self.tally.new_events.extend(event.id for event in added)


def _bump(hub: Hub) -> None:
    """An imported change makes a Mini App form opened before it stale (409 on save)."""
    hub.version = (hub.version or 1) + 1


def _hub_values(entry: HubEntry) -> dict[str, object]:
    return {
        "name": entry.name,
        "address": entry.address,
        "quartiere": entry.quartiere,
        "lat": entry.lat,
        "lon": entry.lon,
        "phone": entry.phone,
        "email": entry.email,
        "opening_hours": entry.opening_hours,
    }


def event_columns(entry: EventEntry) -> dict[str, object]:
    """What an event entry sets on its row, from the file or from the Mini App's form."""
    return {
        "title": entry.title,
        "description": entry.description,
        "start_at": entry.start,
        "end_at": entry.end,
        "place": entry.place,
        "lat": entry.lat,
        "lon": entry.lon,
    }


def _event_values(entry: EventEntry, greenway_id: int) -> dict[str, object]:
    return {"greenway_id": greenway_id, **event_columns(entry), "cancelled": entry.cancelled}


def _shift_state(shift: Shift) -> tuple[object, ...]:
    """What volunteers are told about when it changes; `cancelled` last."""
    return (shift.start_at, shift.end_at, shift.place, shift.cancelled)

"""What an import did: counts per section, and the changes later notices are about."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from storage.repositories.catalog import Outcome


@dataclass(frozen=True)
class SectionCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self) -> str:
        removed = f", {self.removed} removed" if self.removed else ""
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged{removed}"
        )


@dataclass(frozen=True)
class ImportSummary:
    """Counts per section, plus the ids of the rows whose change people should hear about.

    - `new_events`: events added (and not cancelled): for their greenway's subscribers;
    - `rescheduled_events`: events whose start or end moved, or that were cancelled and
      are on again: for the people who said they will come;
    - `cancelled_events`: events that got `cancelled: true`;
    - `changed_shifts`: shifts whose start, end or place changed, or that are on again;
    - `cancelled_shifts`: shifts that got `cancelled: true`;
    - `raised_shifts`: shifts whose capacity grew, for their waitlist;
    - `new_staff`: Telegram ids that became tutors through the file;
    - `appointed_tutors`: Telegram ids the file made tutor of a project (new staff or not);
    - `skipped_tutors`: Telegram ids the file lists but did not appoint, because they were
      removed with `staff remove` (a later `staff add` lets a catalog list them again).
    """

    quartieri: SectionCounts = SectionCounts()
    services: SectionCounts = SectionCounts()
    hubs: SectionCounts = SectionCounts()
    closures: SectionCounts = SectionCounts()
    projects: SectionCounts = SectionCounts()
    shifts: SectionCounts = SectionCounts()
    greenways: SectionCounts = SectionCounts()
    events: SectionCounts = SectionCounts()
    new_events: tuple[int, ...] = ()
    rescheduled_events: tuple[int, ...] = ()
    cancelled_events: tuple[int, ...] = ()
    changed_shifts: tuple[int, ...] = ()
    cancelled_shifts: tuple[int, ...] = ()
    raised_shifts: tuple[int, ...] = ()
    new_staff: tuple[int, ...] = ()
    appointed_tutors: tuple[int, ...] = ()
    skipped_tutors: tuple[int, ...] = ()
    # `FILE:LINE: warning: …` lines: imported anyway, worth an operator's look.
    warnings: tuple[str, ...] = ()

    def sections(self) -> dict[str, SectionCounts]:
        return {
            item.name: value
            for item in fields(self)
            if isinstance(value := getattr(self, item.name), SectionCounts)
        }

    @property
    def created(self) -> int:
        return sum(counts.created for counts in self.sections().values())

    @property
    def updated(self) -> int:
        return sum(counts.updated for counts in self.sections().values())

    @property
    def unchanged(self) -> int:
        return sum(counts.unchanged for counts in self.sections().values())

    @property
    def removed(self) -> int:
        return sum(counts.removed for counts in self.sections().values())

    @property
    def changed_anything(self) -> bool:
        return self.created + self.updated + self.removed > 0

    def __str__(self) -> str:
        """One line for an operator: the sections the file touched."""
        parts = [
            f"{name} {counts}"
            for name, counts in self.sections().items()
            if counts != SectionCounts()
        ]
        if parts and not self.changed_anything:
            parts.append("no change")
        return "; ".join(parts + self._tutor_lines()) or "nothing to import"

    def lines(self) -> list[str]:
        """One line per section, for an operator's terminal."""
        return [f"{name}: {counts}" for name, counts in self.sections().items()]

    def _tutor_lines(self) -> list[str]:
        lines = []
        if self.appointed_tutors:
            lines.append(f"tutors appointed: {', '.join(map(str, self.appointed_tutors))}")
        if self.skipped_tutors:
            lines.append(
                "tutors not appointed, removed with staff remove: "
                + ", ".join(map(str, self.skipped_tutors))
            )
        return lines


@dataclass
class Tally:
    """Collects an import's outcomes while it runs."""

    counts: dict[str, dict[Outcome, int]] = field(default_factory=dict)
    new_events: list[int] = field(default_factory=list)
    rescheduled_events: list[int] = field(default_factory=list)
    cancelled_events: list[int] = field(default_factory=list)
    changed_shifts: list[int] = field(default_factory=list)
    cancelled_shifts: list[int] = field(default_factory=list)
    raised_shifts: list[int] = field(default_factory=list)
    new_staff: list[int] = field(default_factory=list)
    appointed_tutors: list[int] = field(default_factory=list)
    skipped_tutors: list[int] = field(default_factory=list)

    def count(self, section: str, outcome: Outcome, how_many: int = 1) -> None:
        per_outcome = self.counts.setdefault(section, {})
        per_outcome[outcome] = per_outcome.get(outcome, 0) + how_many

    def summary(self) -> ImportSummary:
        def section(name: str) -> SectionCounts:
            got = self.counts.get(name, {})
            return SectionCounts(
                created=got.get(Outcome.CREATED, 0),
                updated=got.get(Outcome.UPDATED, 0),
                unchanged=got.get(Outcome.UNCHANGED, 0),
                removed=got.get(Outcome.REMOVED, 0),
            )

        return ImportSummary(
            quartieri=section("quartieri"),
            services=section("services"),
            hubs=section("hubs"),
            closures=section("closures"),
            projects=section("projects"),
            shifts=section("shifts"),
            greenways=section("greenways"),
            events=section("events"),
            new_events=tuple(self.new_events),
            rescheduled_events=tuple(self.rescheduled_events),
            cancelled_events=tuple(self.cancelled_events),
            changed_shifts=tuple(self.changed_shifts),
            cancelled_shifts=tuple(self.cancelled_shifts),
            raised_shifts=tuple(self.raised_shifts),
            new_staff=tuple(self.new_staff),
            appointed_tutors=tuple(sorted(set(self.appointed_tutors))),
            skipped_tutors=tuple(sorted(set(self.skipped_tutors))),
        )

"""Parsing a catalog file: what is accepted, and each problem reported at its line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from tests.catalog.texts import (
    BASE,
    FILENAME,
    error_at,
    errors_of,
    line_with,
    parse,
    replace_once,
)


def test_the_contract_example_parses_into_every_section() -> None:
    catalog = parse(BASE)

    assert [q.code for q in catalog.quartieri] == ["ospizio"]
    assert catalog.quartieri[0].consulta == "E"
    assert [h.code for h in catalog.hubs] == ["casa-ospizio", "wifi-point"]
    assert [ref.code for ref in catalog.hubs[1].services] == ["wifi", "portierato"]
    project = catalog.projects[0]
    assert project.hub is not None and project.hub.code == "casa-ospizio"
    assert project.tutors == (111111111,)
    assert [shift.code for shift in project.shifts] == ["orti-2026-12-01", None]
    assert catalog.events[0].greenway.code == "crostolo"


def test_translatable_fields_keep_languages_and_a_plain_string_is_for_every_language() -> None:
    catalog = parse(BASE)

    assert catalog.services[0].name == {"it": "Portierato sociale", "en": "Social concierge"}
    assert catalog.services[1].name == {"*": "Wi-Fi"}
    assert catalog.events[0].place == {"*": "Parco del Crostolo"}


def test_local_times_are_stored_in_utc() -> None:
    shift = parse(BASE).projects[0].shifts[0]

    # 09:00 in Rome in December is 08:00 UTC.
    assert shift.start == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert shift.end == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)


def test_an_empty_file_is_an_empty_catalog() -> None:
    catalog = parse("# nothing yet\n")

    assert catalog.hubs == () and catalog.projects == () and catalog.events == ()


def test_a_file_may_hold_only_some_sections() -> None:
    catalog = parse("services:\n  - code: wifi\n    name: Wi-Fi\n")

    assert [s.code for s in catalog.services] == ["wifi"]


def test_an_unknown_field_is_named_at_its_line() -> None:
    text = replace_once(BASE, "    consulta: E\n", "    consulta: E\n    colour: red\n")

    message = error_at(text, line_with(text, "colour"))

    assert "unknown field 'colour'" in message


def test_an_unknown_section_is_named_at_its_line() -> None:
    text = BASE + "volunteers:\n  - code: x\n"

    message = error_at(text, line_with(text, "volunteers:"))

    assert "unknown section 'volunteers'" in message


def test_a_field_given_twice_is_refused() -> None:
    text = replace_once(BASE, "    consulta: E\n", "    consulta: E\n    consulta: F\n")

    message = error_at(text, line_with(text, "consulta: F"))

    assert "'consulta' given twice" in message


def test_a_missing_required_field_is_reported_at_its_item() -> None:
    text = replace_once(BASE, "    address: Via Example 1, 42122 Reggio Emilia\n", "")

    message = error_at(text, line_with(text, "code: casa-ospizio"))

    assert "missing address" in message


def test_a_duplicate_code_is_refused_at_the_second_one() -> None:
    text = replace_once(BASE, "code: wifi-point", "code: casa-ospizio")

    message = error_at(text, line_with(text, "code: casa-ospizio", occurrence=2))

    first = line_with(text, "code: casa-ospizio")
    assert message == f"duplicate hub code 'casa-ospizio' (first at line {first})"


def test_the_same_code_in_two_sections_is_fine() -> None:
    text = replace_once(BASE, "code: wifi-point", "code: ospizio")

    assert parse(text).hubs[1].code == "ospizio"


def test_shift_codes_are_unique_across_projects() -> None:
    second = (
        "  - code: altro\n"
        "    title: Altro\n"
        "    description: Altro progetto\n"
        "    theme: digitale\n"
        "    shifts:\n"
        "      - code: orti-2026-12-01\n"
        "        start: 2026-12-02T09:00\n"
        "        end: 2026-12-02T10:00\n"
        "        capacity: 1\n"
    )
    text = replace_once(BASE, "greenways:\n", second + "greenways:\n")

    message = error_at(text, line_with(text, "code: orti-2026-12-01", occurrence=2))

    assert "duplicate shift code 'orti-2026-12-01'" in message


def test_two_shifts_of_a_project_cannot_start_at_the_same_time() -> None:
    text = replace_once(BASE, "start: 2026-12-08T09:00", "start: 2026-12-01T09:00")

    message = error_at(text, line_with(text, "start: 2026-12-01T09:00", occurrence=2))

    assert "starts at the same time" in message


@pytest.mark.parametrize("code", ["Orti", "-orti", "orti_ospizio", "orti ospizio", "x" * 65])
def test_a_code_outside_the_pattern_is_refused(code: str) -> None:
    text = replace_once(BASE, "code: orti-ospizio", f"code: {code}")

    message = error_at(text, line_with(text, f"code: {code}"))

    assert "code" in message


@pytest.mark.parametrize("code", ["today", "oggi", "yesterday", "ieri", "2026-12-01", "01-12"])
def test_a_project_code_that_hours_would_read_as_a_date_is_refused(code: str) -> None:
    text = replace_once(BASE, "code: orti-ospizio", f"code: {code}")

    message = error_at(text, line_with(text, f"code: {code}"))

    assert f"project code {code!r} is reserved" in message


def test_reserved_words_are_fine_as_codes_of_other_sections() -> None:
    text = replace_once(BASE, "code: wifi-point", "code: oggi")

    assert parse(text).hubs[1].code == "oggi"


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("lat: 44.7012", "lat: 95", "lat: 95"),
        ("lon: 10.6501", "lon: -181", "lon: -181"),
        ("lat: 44.7012", "lat: .nan", "lat: .nan"),
        ("lat: 44.7012", 'lat: "north"', "north"),
    ],
)
def test_coordinates_out_of_range_or_not_numbers_are_refused(
    old: str, new: str, needle: str
) -> None:
    text = replace_once(BASE, old, new)

    message = error_at(text, line_with(text, needle))

    assert message.startswith(("lat ", "lon "))


@pytest.mark.parametrize("capacity", ["0", "-3", "2.5", "many", "true"])
def test_a_shift_capacity_must_be_a_whole_number_of_at_least_one(capacity: str) -> None:
    text = replace_once(BASE, "capacity: 4", f"capacity: {capacity}")

    message = error_at(text, line_with(text, f"capacity: {capacity}"))

    assert message.startswith("capacity")


def test_a_shift_ending_before_it_starts_is_refused_at_its_end() -> None:
    text = replace_once(BASE, "end: 2026-12-01T12:00", "end: 2026-12-01T08:00")

    assert error_at(text, line_with(text, "end: 2026-12-01T08:00")) == "end must be after start"


def test_an_event_ending_when_it_starts_is_refused() -> None:
    text = replace_once(BASE, "end: 2026-12-06T12:00", "end: 2026-12-06T10:00")

    assert error_at(text, line_with(text, "end: 2026-12-06T10:00")) == "end must be after start"


def test_an_event_with_lat_but_no_lon_is_refused() -> None:
    text = replace_once(BASE, "    lon: 10.6330\n", "")

    message = error_at(text, line_with(text, "code: camminata-crostolo-dicembre"))

    assert "lat and lon go together" in message


def test_unreadable_opening_hours_are_refused_at_their_line() -> None:
    text = replace_once(BASE, '"24/7"', '"Mo-Fr 9 to 5"')

    message = error_at(text, line_with(text, "Mo-Fr 9 to 5"))

    assert "opening_hours 'Mo-Fr 9 to 5' is not OpenStreetMap opening_hours syntax" in message


@pytest.mark.parametrize(
    "expression", ["24/7", "Tu-Su 08:00-20:00", "Mo-Fr 09:00-12:00; PH off", "Mo,We 15:00-19:00"]
)
def test_opening_hours_in_osm_syntax_are_kept_as_written(expression: str) -> None:
    text = replace_once(BASE, '"24/7"', f'"{expression}"')

    assert parse(text).hubs[1].opening_hours == expression


def test_a_hub_quartiere_matches_the_quartieri_names_ignoring_case() -> None:
    text = replace_once(
        BASE, "    quartiere: Ospizio\n    lat: 44.70\n", "    quartiere: OSPIZIO\n    lat: 44.70\n"
    )

    assert parse(text).hubs[1].quartiere == "Ospizio"


def test_a_hub_quartiere_missing_from_the_quartieri_section_is_refused() -> None:
    text = replace_once(
        BASE,
        "    quartiere: Ospizio\n    lat: 44.70\n",
        "    quartiere: Atlantide\n    lat: 44.70\n",
    )

    message = error_at(text, line_with(text, "quartiere: Atlantide"))

    assert message == "unknown quartiere 'Atlantide' (not in the quartieri section)"


def test_without_a_quartieri_section_any_quartiere_name_is_accepted() -> None:
    start, end = BASE.index("quartieri:"), BASE.index("services:")
    text = (BASE[:start] + BASE[end:]).replace("quartiere: Ospizio", "quartiere: Atlantide")

    assert {hub.quartiere for hub in parse(text).hubs} == {"Atlantide"}


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("{it: Orti, en: [3]}", "en: [3]"),
        ("{italiano: Orti}", "italiano"),
        ("{}", "title: {}"),
        ("[Orti]", "title: [Orti]"),
        ('""', 'title: ""'),
    ],
)
def test_a_bad_translatable_field_is_refused(value: str, needle: str) -> None:
    old = "title: {it: Orti condivisi Ospizio, en: Ospizio shared gardens}"
    text = replace_once(BASE, old, f"title: {value}")

    message = error_at(text, line_with(text, needle))

    assert message.startswith("title")


def test_a_translation_may_be_a_number_written_as_text() -> None:
    text = replace_once(BASE, "name: Wi-Fi\n", "name: {it: '2030', en: '2030'}\n")

    assert parse(text).services[1].name == {"it": "2030", "en": "2030"}


@pytest.mark.parametrize("tutor", ["0", "-5", '"111"', "1.5", "alice"])
def test_tutors_must_be_positive_telegram_ids(tutor: str) -> None:
    text = replace_once(BASE, "tutors: [111111111]", f"tutors:\n      - {tutor}")

    message = error_at(text, line_with(text, f"- {tutor}"))

    assert "Telegram user id" in message


def test_cancelled_must_be_true_or_false() -> None:
    text = replace_once(BASE, "        cancelled: false\n", "        cancelled: maybe\n")

    assert error_at(text, line_with(text, "cancelled: maybe")) == "cancelled must be true or false"


def test_a_bad_email_is_refused() -> None:
    text = replace_once(BASE, "casa.ospizio@example.org", "casa.ospizio")

    message = error_at(text, line_with(text, "email: casa.ospizio"))

    assert "email" in message


def test_a_yaml_syntax_error_is_one_error_at_its_line() -> None:
    text = replace_once(BASE, "    consulta: E\n", "    consulta: [E\n")

    errors = errors_of(text)

    assert len(errors) == 1
    assert errors[0].startswith(f"{FILENAME}:")
    assert "not valid YAML" in errors[0]
    line = int(errors[0].split(":")[1])
    assert line_with(text, "consulta: [E") <= line <= line_with(text, "lon: 10.6503")


def test_a_section_that_is_not_a_list_is_refused() -> None:
    text = "hubs:\n  code: x\n"

    assert error_at(text, 2) == "hubs must be a list"


def test_a_catalog_that_is_not_a_mapping_is_refused() -> None:
    assert "a catalog is a mapping of sections" in error_at("- hubs\n", 1)


def test_every_problem_is_reported_together_in_line_order() -> None:
    text = replace_once(BASE, "lat: 44.7012", "lat: 95")
    text = replace_once(text, '"24/7"', '"sometimes"')
    text = replace_once(text, "capacity: 4", "capacity: 0")
    text = replace_once(text, "code: orti-ospizio", "code: oggi")

    errors = errors_of(text)

    assert [int(error.split(":")[1]) for error in errors] == [
        line_with(text, "lat: 95"),
        line_with(text, "sometimes"),
        line_with(text, "code: oggi"),
        line_with(text, "capacity: 0"),
    ]


def test_yaml_merge_keys_can_share_shift_defaults() -> None:
    text = replace_once(
        BASE,
        "      - start: 2026-12-08T09:00\n",
        "      - <<: {capacity: 2}\n        start: 2026-12-08T09:00\n",
    )
    text = replace_once(text, "        capacity: 2\n", "")

    assert parse(text).projects[0].shifts[1].capacity == 2


def test_a_duplicate_code_is_reported_at_the_code_even_when_it_is_not_the_first_field() -> None:
    text = replace_once(
        BASE,
        "  - code: wifi-point\n    name: Wi-Fi point\n",
        "  - name: Wi-Fi point\n    code: casa-ospizio\n",
    )

    message = error_at(text, line_with(text, "code: casa-ospizio", occurrence=2))

    assert message.startswith("duplicate hub code 'casa-ospizio'")


@pytest.mark.parametrize("libyaml", [True, False])
def test_problems_are_the_same_with_and_without_libyaml(
    libyaml: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml, "__with_libyaml__", libyaml and yaml.__with_libyaml__)
    text = replace_once(BASE, "lat: 44.7012", "lat: 95")

    assert error_at(text, line_with(text, "lat: 95")) == "lat must be between -90 and 90, got 95"
    assert parse(BASE).hubs[0].code == "casa-ospizio"

"""Checks a Bot API call against the specification, the way Telegram does, and coerces it.

Telegram receives parameters as JSON, as a urlencoded form or as multipart/form-data. In the two
form encodings every top-level value is a string: numbers and booleans are written out
("42", "true") and objects and arrays are JSON-encoded; files are parts referenced as
``attach://<name>`` or sent under the parameter's own name. Top-level values are therefore
coerced to the declared type first; nested values must already have the right JSON type.

Everything is then checked recursively: unknown parameters and fields, missing required ones,
types (including unions such as ``InlineKeyboardMarkup or ReplyKeyboardMarkup`` and union
types such as ``BotCommandScope``, resolved by their ``type`` discriminator), the limits stated
in the documentation (lengths, ranges, item counts, constants, enumerations, text length after
entity parsing) and the few rules of ``rules.py``. Failures are ``InvalidRequest`` (400).

The same checker validates the emulator's own results (``validate_result``), strictly.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulator.errors import InvalidRequest, bad_request
from emulator.files import UploadedFile
from emulator.formatting import check_parse_mode, format_text
from emulator.rules import TYPE_RULES, check_call_rules, describe, one_of_error
from emulator.spec import ARRAY_PREFIX, BotApiSpec, FieldSpec, MethodSpec, TypeSpec

# Telegram's own wording for the limits bots hit most often, keyed by path.
_TOO_SHORT = {"text": "message text is empty"}
_TOO_LONG = {"text": "message is too long", "caption": "message caption is too long"}
_FIELD_LENGTH = {"callback_data": "BUTTON_DATA_INVALID"}
_TOO_MANY = {"commands": "BOT_COMMANDS_TOO_MUCH"}


@dataclass(frozen=True)
class _Context:
    files: Mapping[str, UploadedFile]
    coerce: bool


class Validator:
    """Validates calls (coercing form-encoded values) and results against one spec."""

    def __init__(self, spec: BotApiSpec) -> None:
        self.spec = spec

    def validate_call(
        self,
        method: MethodSpec,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile] | None = None,
    ) -> dict[str, Any]:
        """The coerced parameters of a valid call; InvalidRequest otherwise."""
        files = files or {}
        merged = dict(params)
        for name, upload in files.items():
            param = method.by_name.get(name)
            if param is not None and "InputFile" in param.types and name not in merged:
                merged[name] = upload
        present: dict[str, Any] = {}
        for name, value in merged.items():
            param = method.by_name.get(name)
            if param is None:
                raise bad_request(f'unknown parameter "{name}"')
            # Telegram treats an empty form value of a non-string parameter as not sent.
            if value is None or (value == "" and "String" not in param.types):
                continue
            present[name] = value
        context = _Context(files=files, coerce=True)
        coerced = self._fields(method.params, present, "", context)
        check_call_rules(method.name, coerced)
        return coerced

    def validate_result(self, value: Any, returns: tuple[str, ...]) -> None:
        """Raise InvalidRequest if ``value`` is not a well-formed instance of ``returns``."""
        self._value(value, returns, "result", _Context(files={}, coerce=False))

    def _value(self, value: Any, types: tuple[str, ...], path: str, context: _Context) -> Any:
        if isinstance(value, str) and value.startswith("attach://") and "InputFile" in types:
            return self._attachment(value, path, context)
        errors: list[tuple[str, InvalidRequest]] = []
        for kind in types:
            try:
                return self._single(value, kind, path, context)
            except InvalidRequest as error:
                errors.append((kind, error))
        if len(errors) == 1:
            raise errors[0][1]
        probe = value
        if isinstance(value, str) and context.coerce and _is_top(path):
            with contextlib.suppress(ValueError):
                probe = json.loads(value)
        if isinstance(probe, dict):
            best = max(errors, key=lambda item: self._affinity(probe, item[0]))
            if self._affinity(probe, best[0]) > 0:
                raise best[1]
        wanted = " or ".join(types)
        raise bad_request(f"{describe(path)} must be of type {wanted}")

    def _attachment(self, value: str, path: str, context: _Context) -> UploadedFile:
        name = value.removeprefix("attach://")
        upload = context.files.get(name)
        if upload is None:
            raise bad_request(f'{describe(path)}: file "{name}" is not in the request')
        return upload

    def _single(self, value: Any, kind: str, path: str, context: _Context) -> Any:
        coerce = context.coerce and _is_top(path)
        if kind in _SCALARS:
            return _SCALARS[kind](value, coerce, path)
        if kind == "InputFile":
            if isinstance(value, UploadedFile):
                return value
            raise bad_request(f"{describe(path)} must be a file uploaded with multipart/form-data")
        if kind.startswith(ARRAY_PREFIX):
            items = _decode_json(value, list, path) if coerce else value
            if not isinstance(items, list):
                raise bad_request(f"{describe(path)} must be of type {kind}")
            inner = (kind.removeprefix(ARRAY_PREFIX),)
            return [
                self._value(item, inner, f"{path}[{index}]", context)
                for index, item in enumerate(items)
            ]
        spec = self.spec.type(kind)
        if spec is None:
            raise RuntimeError(f"botapi.json refers to an unknown type {kind}")
        if spec.string_allowed and isinstance(value, str) and not coerce:
            return value
        obj = _decode_json(value, dict, path) if coerce else value
        if spec.subtypes:
            return self._union(obj, spec, path, context)
        if not isinstance(obj, dict):
            raise bad_request(f"{describe(path)} must be of type {kind}")
        return self._object(spec, obj, path, context)

    def _union(self, value: Any, spec: TypeSpec, path: str, context: _Context) -> Any:
        candidates = spec.subtypes
        if isinstance(value, dict):
            candidates = self._discriminate(spec, value, path) or candidates
        return self._value(value, candidates, path, context)

    def _discriminate(
        self, spec: TypeSpec, value: dict[str, Any], path: str
    ) -> tuple[str, ...] | None:
        """Union members whose constant discriminator (e.g. ``type``) matches the value."""
        constants: dict[str, tuple[str, str]] = {}
        for name in spec.subtypes:
            member = self.spec.type(name)
            fixed = [item for item in member.fields if item.const] if member else []
            if not fixed:
                return None
            constants[name] = (fixed[0].name, fixed[0].const or "")
        keys = {key for key, _ in constants.values()}
        if len(keys) != 1:
            return None
        key = keys.pop()
        if key not in value:
            raise bad_request(f"{describe(_join(path, key))} is required")
        matching = tuple(name for name, (_, const) in constants.items() if const == value[key])
        if not matching:
            raise bad_request(f'{describe(_join(path, key))} has unsupported value "{value[key]}"')
        return matching

    def _object(
        self, spec: TypeSpec, value: dict[str, Any], path: str, context: _Context
    ) -> dict[str, Any]:
        for key in value:
            if key not in spec.by_name:
                raise bad_request(f'unknown field "{_join(path, key)}"')
        present = {key: item for key, item in value.items() if item is not None}
        checked = self._fields(spec.fields, present, path, context)
        if spec.one_of is not None:
            used = [
                item.name
                for item in spec.fields
                if not item.required and item.name not in spec.one_of.ignored
                if item.name in checked
            ]
            allowed = (1,) if spec.one_of.mode == "exactly" else (0, 1)
            if len(used) not in allowed:
                raise one_of_error(spec, path, used)
        rule = TYPE_RULES.get(spec.name)
        if rule is not None:
            rule(checked, path)
        return checked

    def _fields(
        self,
        fields: tuple[FieldSpec, ...],
        present: dict[str, Any],
        path: str,
        context: _Context,
    ) -> dict[str, Any]:
        checked: dict[str, Any] = {}
        for item in fields:
            item_path = _join(path, item.name)
            if item.name not in present:
                if _is_required(item, present):
                    if item_path in _TOO_SHORT:
                        raise bad_request(_TOO_SHORT[item_path])
                    raise bad_request(f"{describe(item_path)} is required")
                continue
            value = self._value(present[item.name], item.types, item_path, context)
            _check_limits(item, value, item_path)
            checked[item.name] = value
        if context.coerce:
            _check_formatted_lengths(fields, checked, path)
        return checked

    def _affinity(self, value: dict[str, Any], kind: str) -> int:
        """How much a dict looks like an instance of ``kind`` (known keys minus unknown ones)."""
        spec = self.spec.type(kind)
        if spec is None:
            return 0
        if spec.subtypes:
            return max((self._affinity(value, member) for member in spec.subtypes), default=0)
        known = sum(1 for key in value if key in spec.by_name)
        return known - (len(value) - known)


def _is_top(path: str) -> bool:
    return "." not in path and "[" not in path and path != "result"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _is_required(item: FieldSpec, present: Mapping[str, Any]) -> bool:
    if item.required:
        return True
    if item.required_unless and not all(name in present for name in item.required_unless):
        return True
    return any(name in present for name in item.required_with)


def _decode_json(value: Any, expected: type, path: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        raise bad_request(f"can't parse {describe(path)} as a JSON object") from None
    if not isinstance(decoded, expected):
        raise bad_request(f"{describe(path)} must be a JSON-serialized {expected.__name__}")
    return decoded


def _integer(value: Any, coerce: bool, path: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if coerce and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise bad_request(f"{describe(path)} must be of type Integer")


def _float(value: Any, coerce: bool, path: str) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if coerce and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return number
    raise bad_request(f"{describe(path)} must be of type Float")


def _boolean(value: Any, coerce: bool, path: str) -> bool:
    if isinstance(value, bool):
        return value
    if coerce and isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise bad_request(f"{describe(path)} must be of type Boolean")


def _string(value: Any, coerce: bool, path: str) -> str:
    if isinstance(value, str):
        return value
    # A JSON body is flattened by Telegram, so a top-level number is read as its text.
    if coerce and isinstance(value, int | float) and not isinstance(value, bool):
        return json.dumps(value)
    raise bad_request(f"{describe(path)} must be of type String")


_SCALARS = {"Integer": _integer, "Float": _float, "Boolean": _boolean, "String": _string}


def _check_limits(item: FieldSpec, value: Any, path: str) -> None:
    if item.const is not None and value != item.const:
        raise bad_request(f'{describe(path)} must be "{item.const}"')
    if item.enum is not None and isinstance(value, str) and value not in item.enum:
        raise bad_request(f'{describe(path)} has unsupported value "{value}"')
    if item.name.endswith("parse_mode") and isinstance(value, str):
        check_parse_mode(value)
    limit = item.length
    if (
        limit is not None
        and not limit.after_entities
        and isinstance(value, str)
        and not limit.min <= limit.measure(value) <= limit.max
    ):
        if item.name in _FIELD_LENGTH:
            raise bad_request(_FIELD_LENGTH[item.name])
        raise bad_request(f"{describe(path)} must be {limit.min}-{limit.max} {limit.unit} long")
    if item.value_range is not None and isinstance(value, int | float):
        low, high = item.value_range
        if not low <= value <= high:
            raise bad_request(f"{describe(path)} must be between {low} and {high}")
    if isinstance(value, list):
        _check_items(item, len(value), path)


def _check_items(item: FieldSpec, count: int, path: str) -> None:
    low = item.min_items if item.min_items is not None else 0
    high = item.max_items if item.max_items is not None else count
    if not low <= count <= high:
        if path in _TOO_MANY and count > high:
            raise bad_request(_TOO_MANY[path])
        raise bad_request(f"{describe(path)} must have {low}-{high} items")


def _check_formatted_lengths(
    fields: tuple[FieldSpec, ...], values: dict[str, Any], path: str
) -> None:
    """Limits stated "after entities parsing" apply to the text the user will see."""
    names = {item.name for item in fields}
    for item in fields:
        limit = item.length
        if limit is None or not limit.after_entities or item.name not in values:
            continue
        mode_field = _first_of(names, f"{item.name}_parse_mode", "parse_mode")
        entities_field = _first_of(names, f"{item.name}_entities", "entities")
        plain, _ = format_text(
            values[item.name],
            values.get(mode_field) if mode_field else None,
            values.get(entities_field) if entities_field else None,
        )
        item_path = _join(path, item.name)
        size = len(plain)
        if size < limit.min:
            reason = _TOO_SHORT.get(item_path)
            raise bad_request(reason or f"{describe(item_path)} must not be empty")
        if size > limit.max:
            reason = _TOO_LONG.get(item_path)
            raise bad_request(
                reason or f"{describe(item_path)} must be at most {limit.max} characters long"
            )


def _first_of(names: set[str], *candidates: str) -> str | None:
    return next((name for name in candidates if name in names), None)

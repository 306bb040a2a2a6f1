"""aiogram's Bot API models built on first use instead of all at import.

At import, aiogram builds a pydantic validator for every one of its ~450 types
and their methods (aiogram#1513): about 110 MB of memory, most of it for types
this bot never receives or sends. With this hook installed before aiogram is
first imported, each model is built the first time it validates or serializes,
from the same namespace aiogram would have used, so behaviour is unchanged.

Why: a fresh `import aiogram` peaks at 169 MB, `import bot, aiogram` at 60 MB, and
`quartiere-bot run` sending an announcement at 131-137 MB instead of 225-227 MB
(BENCHMARKS.md, "aiogram's models built on first use").

Checked against aiogram 3.31.0, pydantic 2.13.5 and pydantic-core 2.46.5 (it reads
pydantic's private field rebuilding; a failure there builds the model as aiogram would).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from pydantic import BaseModel

_PACKAGE = "aiogram"


def install() -> None:
    """Defer aiogram's model building, if aiogram is not imported yet."""
    if _PACKAGE in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


def deferred() -> list[str]:
    """The aiogram models not built yet: those no update or call has needed so far."""
    return sorted(m.__name__ for m in _recorded if not m.__pydantic_complete__)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _PACKAGE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader) -> None:
        self._inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        with _rebuilds_recorded():
            self._inner.exec_module(module)
        _resolve_fields()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


# cache: each model aiogram asked to rebuild, with its namespace; written only at import
_recorded: dict[type[BaseModel], dict[str, Any]] = {}


@contextmanager
def _rebuilds_recorded() -> Iterator[None]:
    original = BaseModel.model_rebuild.__func__  # type: ignore[attr-defined]

    def model_rebuild(cls: type[BaseModel], /, **kwargs: Any) -> bool | None:
        namespace = kwargs.get("_types_namespace")
        if namespace and cls.__module__.startswith(_PACKAGE + ".") and not kwargs.get("force"):
            _recorded[cls] = namespace
            return None
        result: bool | None = original(cls, **kwargs)
        return result

    BaseModel.model_rebuild = classmethod(model_rebuild)  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        BaseModel.model_rebuild = classmethod(original)  # type: ignore[assignment,method-assign]


def _resolve_fields() -> None:
    """Resolve each recorded model's forward references now, leaving the validator for later.

    With every type's fields resolved, any model nesting it (a method, or a
    generic response made at run time) can be built from any namespace. Should
    pydantic's internals differ from what this expects, the model is built at
    once, as aiogram would have.
    """
    for model, namespace in _recorded.items():
        try:
            _resolve_fields_of(model, namespace)
        except Exception:  # any failure falls back to aiogram's own way
            model.model_rebuild(_types_namespace=namespace)


def _resolve_fields_of(model: type[BaseModel], namespace: dict[str, Any]) -> None:
    from pydantic._internal._config import ConfigWrapper
    from pydantic._internal._fields import rebuild_model_fields
    from pydantic._internal._namespace_utils import NsResolver

    model.__pydantic_fields__, model.__pydantic_extra_info__ = rebuild_model_fields(
        model,
        config_wrapper=ConfigWrapper(model.model_config, check=False),
        ns_resolver=NsResolver(parent_namespace=namespace),
        typevars_map={},
    )
    if not model.__pydantic_fields_complete__:
        raise LookupError(f"{model.__name__} has unresolved fields")

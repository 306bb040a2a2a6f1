"""Gettext catalogs (Italian and English); compiled .mo files sit beside the .po files."""

from importlib import resources
from pathlib import Path


def locales_dir() -> Path:
    return Path(str(resources.files(__name__)))

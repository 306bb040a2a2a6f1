"""Package build hook: compiles the gettext catalogs so every installed copy has its .mo files."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


def compile_catalogs(root: Path) -> None:
    for po_path in root.glob("locales/*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs(Path(__file__).parent)
        self.__dict__.pop("data_files", None)  # re-collect package data, .mo files included
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})

"""The built package carries what the bot needs wherever it is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_has_compiled_catalogs_migrations_sample_data_and_api_facts(
    tmp_path: Path,
) -> None:
    # A clean copy of the tracked files: no compiled catalogs unless the build makes them.
    source = tmp_path / "source"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    assert not list(source.glob("locales/*/LC_MESSAGES/*.mo"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        timeout=300,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("quartiere_bot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for locale in ("it", "en"):
        assert f"locales/{locale}/LC_MESSAGES/messages.mo" in names
    assert "storage/migrations/env.py" in names
    assert any(name.startswith("storage/migrations/versions/0001") for name in names)
    assert "bot/data/sample_catalog.yaml" in names
    assert {"bot/data/fonts/DejaVuSans.ttf", "bot/data/fonts/LICENSE-DejaVu.txt"} <= names
    assert {"emulator/botapi.json", "emulator/static/index.html"} <= names
    assert "emulator/static/telegram-web-app.js" in names
    assert {f"bot/webapp/static/{name}" for name in ("index.html", "app.js", "app.css")} <= names
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "quartiere-bot = bot.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    metadata = zipfile.ZipFile(wheel).read(entry_points.replace("entry_points.txt", "METADATA"))
    assert "License-Expression: EUPL-1.2" in metadata.decode()
    assert "License-File: bot/data/fonts/LICENSE-DejaVu.txt" in metadata.decode()

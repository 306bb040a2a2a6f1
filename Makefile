# Quartiere bot: `make run` starts the bot, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# Every install takes the exact versions and hashes of the lock files; `make lock` refreshes them.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
UV_VERSION := 0.13.9
# The build tools join the lock, so that the project itself is built without fetching anything.
BUILD_TOOLS := setuptools>=78.1.1\nwheel
SOURCES := bot handlers storage emulator locales tests bench scripts

.PHONY: run test lint lock i18n i18n-extract migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(DEV_STAMP): $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@ $(STAMP)

# Resolve pyproject.toml's ranges afresh for every platform and Python 3.11+, with hashes.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	printf '$(BUILD_TOOLS)\n' | $(BIN)/uv pip compile pyproject.toml - --quiet --universal \
		--python-version 3.11 --generate-hashes --custom-compile-command 'make lock' -o $(LOCK)
	printf '$(BUILD_TOOLS)\n' | $(BIN)/uv pip compile pyproject.toml - --quiet --universal --extra dev \
		--python-version 3.11 --generate-hashes --custom-compile-command 'make lock' -o $(DEV_LOCK)

# Compiled catalogs are build products, never committed. Each is compiled only when its .po
# changed, and written beside it then renamed: a bot or a test reading it never sees half a file.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locales/*/LC_MESSAGES/messages.po))
i18n: $(CATALOGS)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@.tmp -l $* --statistics 2>&1 | tail -n 2
	@mv $@.tmp $@

# Refresh messages.pot from the code and merge it into every language's .po.
i18n-extract: $(STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -k _ -k __ -k gettext -k lazy_gettext \
		-k ngettext:1,2 -k lazy_ngettext:1,2 -o locales/messages.pot bot handlers
	$(BIN)/pybabel update --no-fuzzy-matching -i locales/messages.pot -d locales -D messages
	$(BIN)/python scripts/fill_english_catalog.py

migrate: i18n
	$(BIN)/quartiere-bot migrate

# Without a token (in the environment or in .env), `make run` explains how to get one and
# starts the local demo instead: the bot, its sample catalog and a web chat.
ifeq ($(strip $(BOT_TOKEN)$(shell grep -s '^BOT_TOKEN=.' .env)),)
run:
	@echo "BOT_TOKEN is not set. To run the bot on Telegram, open a chat with @BotFather," >&2
	@echo "send /newbot, choose a name and a username, and copy the token it gives you;" >&2
	@echo "then start it with: BOT_TOKEN=123456:ABC... make run (or put BOT_TOKEN=... in .env)." >&2
	@echo "Meanwhile, here is the local demo: the bot and a web chat, on this machine." >&2
	@$(MAKE) --no-print-directory i18n >&2
	@exec $(BIN)/quartiere-bot demo
else
run:
	@$(MAKE) --no-print-directory i18n
	$(BIN)/quartiere-bot migrate
	$(BIN)/quartiere-bot sample-data --if-empty
	exec $(BIN)/quartiere-bot run
endif

# The suite runs on parallel workers (pytest-xdist); each has its own SQLite files and
# PostgreSQL databases. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 4
test: $(DEV_STAMP) i18n
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

lint: $(DEV_STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/mypy bot handlers storage emulator locales
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile
	$(BIN)/bandit -q -c pyproject.toml -r bot handlers storage emulator scripts

clean:
	rm -rf $(VENV) build *.egg-info locales/*/LC_MESSAGES/*.mo

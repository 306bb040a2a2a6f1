# Quartiere bot: `make run` starts the bot, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SOURCES := bot handlers storage locales tests bench scripts

.PHONY: run test lint i18n i18n-extract migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(STAMP)

# Compiled catalogs are build products, never committed.
i18n: $(STAMP)
	$(BIN)/pybabel compile -d locales -D messages --statistics 2>&1 | tail -n 2

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

test: $(DEV_STAMP) i18n
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/mypy bot handlers storage locales
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile
	$(BIN)/bandit -q -c pyproject.toml -r bot handlers storage scripts

clean:
	rm -rf $(VENV) build *.egg-info locales/*/LC_MESSAGES/*.mo

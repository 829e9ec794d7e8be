# Two entry points: `make run` (the bot on the embedded default) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Mozilla's ical.js, which the calendar tests read Plenary's files back with (node and npm).
ICALJS := testkit/icaljs/node_modules/.package-lock.json
$(ICALJS): testkit/icaljs/package.json testkit/icaljs/package-lock.json
	npm ci --prefix testkit/icaljs --no-audit --no-fund

# Debian's Chromium, which the room page's browser test drives (playwright downloads none).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get install -y --no-install-recommends chromium \
		|| (apt-get update && apt-get install -y --no-install-recommends chromium)

run: $(STAMP)
	$(BIN)/plenary run

test: $(STAMP) $(ICALJS) $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench.core_answers
	$(BIN)/python -m bench.understanding
	$(BIN)/python -m bench.positions
	$(BIN)/python -m bench.telegram_throughput
	$(BIN)/python -m bench.telegram_users
	$(BIN)/python -m bench.start
	$(BIN)/python -m bench.reminder_fanout
	$(BIN)/python -m bench.reminder_fanout --cap 250
	$(BIN)/python -m bench.broadcast
	$(BIN)/python -m bench.broadcast --cap 250
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.calendar_feed
	$(BIN)/python -m bench.http_door
	$(BIN)/python -m bench.chaos --runs 1
	$(BIN)/python -m bench.map_picture

# Translations (bot/locale): extract the messages (babel.cfg) into plenary.pot, merge it
# into each language's .po (new messages come untranslated, changed ones fuzzy), compile
# the .mo files. The .mo files are committed with the .po, so a fresh clone needs no step;
# tests/test_i18n.py fails while a message is untranslated or a .mo is stale.
LOCALE := bot/locale
CATALOG_LANGUAGES := ar zh fr ru es
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k _ -k gettext -k ngettext:1,2 \
		-k N_ --add-comments=TRANSLATORS: --add-location=file --project=Plenary \
		-o $(LOCALE)/plenary.pot .
	for language in $(CATALOG_LANGUAGES); do \
		$(BIN)/pybabel update -i $(LOCALE)/plenary.pot -d $(LOCALE) -D plenary \
			-l $$language --init-missing --ignore-obsolete || exit 1; \
	done
	$(BIN)/pybabel compile -d $(LOCALE) -D plenary --statistics

clean:
	rm -rf $(VENV) plenary.db

# Two entry points: `make run` (the bot on the embedded default) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/plenary run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench.core_answers
	$(BIN)/python -m bench.positions
	$(BIN)/python -m bench.telegram_throughput
	$(BIN)/python -m bench.reminder_fanout
	$(BIN)/python -m bench.reminder_fanout --cap 250
	$(BIN)/python -m bench.broadcast
	$(BIN)/python -m bench.broadcast --cap 250

clean:
	rm -rf $(VENV) plenary.db

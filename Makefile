# One command each: `make run` (set up and serve the web chat), `make test` (set up and run every check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint i18n i18n-status bench audio clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	scripts/fonts
	-scripts/audio-tools  # espeak-ng and opus-tools where it can; the bot runs without (no audio)
	$(BIN)/python -m bot

test: $(BIN)/.installed
	scripts/fonts
	scripts/test

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

i18n: $(BIN)/.installed
	scripts/i18n

i18n-status: $(BIN)/.installed
	$(BIN)/python scripts/i18n_status.py

audio: $(BIN)/.installed
	scripts/audio-tools --required
	$(BIN)/python -m bot.audio build

bench: $(BIN)/.installed
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

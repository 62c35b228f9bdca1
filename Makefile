# Two commands a newcomer needs: `make demo` and `make test`.
# Each creates .venv and installs what is missing (re-installs when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check unit bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "releasebot needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' >&2
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/releasebot demo

# The build enforces the architecture: lint and format, types, the one-way layers, then the tests.
check: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check --quiet .
	@$(BIN)/mypy
	@$(BIN)/lint-imports --no-cache
	@echo "checks passed: ruff, ruff format, mypy, import-linter"

test: check
	@$(BIN)/python -m pytest $(PYTEST_ARGS)

# The pure core's tests alone (no database, no network): seconds.
unit: $(STAMP)
	@$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

bench: $(STAMP)
	@$(BIN)/python benchmarks/commands.py
	@$(BIN)/python benchmarks/interpret.py
	@$(BIN)/python benchmarks/reminders.py
	@$(BIN)/python benchmarks/votes.py --rounds 3

clean:
	rm -rf $(VENV) releasebot.db .pytest_cache .mypy_cache .ruff_cache

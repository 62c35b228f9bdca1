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

# Every benchmark in benchmarks/ (bare_bolt.py is a baseline server, not a benchmark), each printing
# its figures beside its baseline and the ratio. `make bench QUICK=1` passes --quick to those that take it.
bench: $(STAMP)
	@status=0; for f in benchmarks/*.py; do \
	  case $$f in */bare_bolt.py|*/_*) continue;; esac; \
	  args=""; case $$f in */votes.py) args="--rounds 3";; esac; \
	  if [ -n "$(QUICK)" ] && grep -q -- '"--quick"' $$f; then args=--quick; fi; \
	  echo; echo "== $$f $$args"; $(BIN)/python $$f $$args || status=1; \
	done; exit $$status

clean:
	rm -rf $(VENV) releasebot.db .pytest_cache .mypy_cache .ruff_cache

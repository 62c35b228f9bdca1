# Two commands a newcomer needs: `make demo` and `make test`.
# Each creates .venv and installs what is missing (re-installs when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "releasebot needs Python 3.11 or newer")'
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
	@$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' >&2
	@touch $(STAMP)

demo: $(STAMP)
	@$(VENV)/bin/releasebot demo

test: $(STAMP)
	@$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@$(VENV)/bin/python benchmarks/commands.py
	@$(VENV)/bin/python benchmarks/reminders.py

clean:
	rm -rf $(VENV) releasebot.db .pytest_cache

# Kapıda: the two commands that matter are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kapida-installed
VENDOR := api/static/vendor/.built
DEMO_DIR ?= var/demo
export KAPIDA_DB ?= $(DEMO_DIR)/kapida.sqlite

.PHONY: install frontend demo test lint typecheck pytest loadtest bench-install clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Leaflet and Chart.js come from the npm registry and are served by the app (no CDN at run time).
$(VENDOR): frontend/package.json frontend/package-lock.json frontend/build.py | $(BIN)/python
	$(BIN)/python frontend/build.py
	touch $(VENDOR)

frontend: $(VENDOR)

install: $(STAMP) $(VENDOR)

lint: install
	$(BIN)/ruff check domain projections routing maps api tests benchmarks frontend
	$(BIN)/ruff format --check domain projections routing maps api tests benchmarks frontend

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

demo: install
	mkdir -p $(DEMO_DIR)
	rm -f $(KAPIDA_DB) $(KAPIDA_DB)-wal $(KAPIDA_DB)-shm
	$(BIN)/kapida demo seed --seed 7 --households 3000
	$(BIN)/kapida caseload
	$(BIN)/kapida demo day --time-limit 5
	$(BIN)/kapida demo users
	$(BIN)/kapida demo serve --host 127.0.0.1 --port 8000

# The long reliability runs (minutes; see README "Reliability"): 200 drivers for 60 s against uvicorn with
# several workers on SQLite and PostgreSQL, the kill -9 soak, and the long fuzzing run over every operation.
LOADTEST_BACKEND ?= both
SOAK_ROUNDS ?= 5
loadtest: install
	$(BIN)/python -m benchmarks.loadtest --backend $(LOADTEST_BACKEND)
	KAPIDA_SOAK_ROUNDS=$(SOAK_ROUNDS) KAPIDA_FUZZ_EXAMPLES=60 KAPIDA_FUZZ_ALL=1 \
		$(BIN)/pytest tests/reliability/test_crash.py tests/reliability/test_fuzz.py

bench-install: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache api/static/vendor frontend/node_modules

# Translations: re-extract the English source texts and merge them into the Turkish and English catalogues
# (api/locale/*/LC_MESSAGES/kapida.po, read at run time: no compile step), with the CLI help texts (api/cli_help.py)
# that the extractor cannot see. Then translate new entries in tr.
PYBABEL_EXTRACT := -F babel.cfg -k N_ -k _ -k P_:1c,2 --no-default-keywords --no-location --sort-output \
	--no-wrap --project Kapıda --copyright-holder "Kapıda" --msgid-bugs-address ""
messages: install
	$(BIN)/pybabel extract $(PYBABEL_EXTRACT) -o api/locale/kapida.pot .
	$(BIN)/python -m api.cli_help api/locale/kapida.pot
	$(BIN)/pybabel update -D kapida -i api/locale/kapida.pot -d api/locale --no-wrap --no-fuzzy-matching --ignore-obsolete

# The two commands (see README):  make report   and   make test
# Each creates the virtual environment when it is missing and installs into it.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CORPUS ?= corpus/demo
REPORT_ARGS ?=

.PHONY: report test setup browser lint demo bench clean-reports

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)

## Run every notebook on the corpus (default: the embedded demo corpus, into figures/ and reports/;
## any other corpus: into <corpus>-report/ beside it). E.g. make report CORPUS=~/mine REPORT_ARGS="--no-input --pdf"
report: setup
	$(PY) -m analysis report --corpus $(CORPUS) $(REPORT_ARGS)

## Install what the tests need (incl. headless Chromium for the report test), lint, run the tests.
test: setup browser
	$(PY) -m ruff check analysis tests benchmarks
	$(PY) -m pytest -q

## Headless Chromium for the browser test of the HTML reports (Debian's package; needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	    else echo "note: chromium is not installed and cannot be installed without root; the browser test will be skipped"; fi; }

lint: setup
	$(PY) -m ruff check analysis tests benchmarks

## Regenerate the embedded demo corpus (byte-identical to the committed one).
demo: setup
	$(PY) -m analysis.demo

## Benchmarks on the UN General Debate Corpus in ../shared (minutes).
bench: setup
	$(PY) benchmarks/run.py

clean-reports:
	rm -rf reports

# The commands the README names. Every target sets up what it needs by itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Tests run in parallel, one worker per core (pytest-xdist; a test file stays on
# one worker so its module fixtures are built once). PYTEST_WORKERS=0 runs them
# in one process, e.g. to debug with pdb.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: demo test test-fast lint bench system-deps messages vendor clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## demo: set up and run the demo centre at http://127.0.0.1:8000 (SQLite, task worker beside it)
demo: $(STAMP)
	ZHIREN_DEMO=1 $(VENV)/bin/zhiren demo

## test: set up and run the whole test suite (browser tests included)
test: $(STAMP) system-deps
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

## test-fast: the suite without browser tests and slow simulations
test-fast: $(STAMP)
	$(PY) -m pytest $(XDIST) -m "not browser and not slow" $(PYTEST_ARGS)

## system-deps: Debian's chromium (browser tests) and gettext (catalog checks), via apt when missing
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing:$$missing — run 'sudo apt-get install$$missing'" >&2; exit 1; fi; fi

## lint: ruff, the import layers and cycles (import-linter), mypy (docs/architecture.md, "Types"), Django's checks
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	PYTHONPATH=src $(VENV)/bin/lint-imports
	PYTHONPATH=src $(VENV)/bin/mypy
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

## messages: extract and compile the translation catalogs (needs GNU gettext)
messages: $(STAMP)
	cd src/zhiren && ../../$(PY) ../../manage.py makemessages -l zh_Hans -l en --no-obsolete -i "static/*" -i "workforce/engine/*"
	cd src/zhiren && ../../$(PY) ../../manage.py compilemessages

## vendor: refresh the vendored front-end assets from package.json (needs Node; not needed to run)
vendor:
	npm install --no-audit --no-fund
	mkdir -p src/zhiren/static/vendor/tabler src/zhiren/static/vendor/echarts src/zhiren/static/vendor/htmx
	cp node_modules/@tabler/core/dist/css/tabler.min.css node_modules/@tabler/core/dist/js/tabler.min.js src/zhiren/static/vendor/tabler/
	cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE src/zhiren/static/vendor/echarts/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE src/zhiren/static/vendor/htmx/
	# axe-core checks pages in the browser tests only: it stays out of the shipped static files.
	mkdir -p tests/browser/vendor/axe-core
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/browser/vendor/axe-core/

clean:
	rm -rf $(VENV) var/static

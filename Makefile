# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= 1
BENCH_ARGS ?=
export FLASK_APP := wsgi

.PHONY: run test test-fast demo lint format migrate serve bench clean system chromium pdf-libraries

# What the app needs to run, nothing more; the test and benchmark tools come with their targets.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

# WeasyPrint (the PDF export) loads Pango from the system; the app does not start without it.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
system: $(STAMP)
	@$(BIN)/python -c "import weasyprint" 2>/dev/null || { \
		echo "Missing system libraries: WeasyPrint (the PDF export) needs Pango." >&2; \
		echo "On Debian/Ubuntu: sudo apt-get install -y $(PANGO_PACKAGES)" >&2; exit 1; }

# The tests make PDFs as a school's server does: with HarfBuzz-Subset (fonts subset, small
# files); installed when it is missing and we can, as Chromium is below.
pdf-libraries:
	@if ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0'; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then apt-get install -y $(PANGO_PACKAGES) || { apt-get update && apt-get install -y $(PANGO_PACKAGES); }; \
	elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get install -y $(PANGO_PACKAGES) || { sudo apt-get update && sudo apt-get install -y $(PANGO_PACKAGES); }; \
	else echo "The PDF tests need $(PANGO_PACKAGES) (Debian: apt-get install -y $(PANGO_PACKAGES))." >&2; exit 1; fi

migrate: system translations
	$(BIN)/flask db upgrade

# The English catalog is compiled here; *.mo files are not kept in git.
translations: $(STAMP)
	$(BIN)/pybabel compile -d board/translations --use-fuzzy >/dev/null

# After changing texts: extract them again and merge into en/messages.po, then translate.
EXTRACT_KEYWORDS := -k N_ -k InvalidInput -k NotFound -k Forbidden -k WrongStage -k MeetingClosed -k TooManyRequests -k BrokenTemplate -k _find:3 -k _choice:3
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(EXTRACT_KEYWORDS) --no-location --sort-output --project Intervisiebord -o board/translations/messages.pot .
	$(BIN)/pybabel update -i board/translations/messages.pot -d board/translations --width 100

# The browser tests need Chromium: Debian's package, installed when it is missing and we can.
chromium:
	@if [ -n "$$CHROMIUM_PATH" ]; then test -x "$$CHROMIUM_PATH" || { echo "CHROMIUM_PATH=$$CHROMIUM_PATH is not an executable" >&2; exit 1; }; \
	elif [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y chromium; \
	elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update && sudo apt-get install -y chromium; \
	else echo "The browser tests need Chromium: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH." >&2; exit 1; fi

# HOST=0.0.0.0 make run: phones on the same network can join (it prints their address).
run: migrate
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python wsgi.py

# Production: gunicorn with one gevent worker per process (gunicorn.conf.py). WORKERS=N
# starts N processes on ports PORT, PORT+1, ... for a proxy in front (docs/deploy.md); they
# share SECRET_KEY, DATABASE_URL and need SOCKETIO_MESSAGE_QUEUE.
serve: migrate
	@if [ "$(WORKERS)" -gt 1 ] && [ -z "$$SOCKETIO_MESSAGE_QUEUE" ]; then \
		echo "WORKERS=$(WORKERS) needs SOCKETIO_MESSAGE_QUEUE=redis://... (docs/deploy.md)"; exit 1; fi
	@pids=""; for i in $$(seq 0 $$(($(WORKERS) - 1))); do \
		HOST=$(HOST) PORT=$$(($(PORT) + i)) $(BIN)/gunicorn -c gunicorn.conf.py & pids="$$pids $$!"; \
		echo "gunicorn on http://$(HOST):$$(($(PORT) + i))"; \
	done; trap 'kill $$pids' INT TERM; wait

# Load benchmark, not part of `make test`: BENCH_ARGS="--meetings 20 --duration 20" make bench
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

demo: migrate
	$(BIN)/flask demo --json

# The database tests run twice, on SQLite and on PostgreSQL (127.0.0.1:5432; that pass fails
# when PostgreSQL is not reachable, it never falls back), both passes at once, a core each;
# the PostgreSQL pass's output follows the SQLite pass's. Then the browser tests (Chromium
# against a real server, SQLite), alone, so nothing else slows the pages they wait on.
# test_scaleout needs PostgreSQL and Redis. docs/performance.md says how long each part takes.
PG_LOG := test-artifacts/postgresql-pass.log
test: $(TEST_STAMP) translations chromium pdf-libraries
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p test-artifacts
	@echo "TEST_DATABASE=postgresql $(BIN)/pytest --ignore=tests/browser: running alongside, into $(PG_LOG)"
	@TEST_DATABASE=postgresql $(BIN)/pytest --ignore=tests/browser >$(PG_LOG) 2>&1 & pg=$$!; \
	$(BIN)/pytest --ignore=tests/browser; sqlite=$$?; \
	wait $$pg; postgresql=$$?; \
	echo "---- the PostgreSQL pass (exit $$postgresql) ----"; cat $(PG_LOG); \
	test $$sqlite -eq 0 && test $$postgresql -eq 0
	$(BIN)/pytest tests/browser

# The inner loop: SQLite, without the tests that start real servers or Chromium (-m live).
test-fast: $(TEST_STAMP) translations pdf-libraries
	$(BIN)/pytest -m "not live"

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance

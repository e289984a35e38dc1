# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= 1
BENCH_ARGS ?=
export FLASK_APP := wsgi

.PHONY: run test demo lint format migrate serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/flask db upgrade

run: migrate
	PORT=$(PORT) $(BIN)/python wsgi.py

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
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

demo: migrate
	$(BIN)/flask demo --json

# The database tests run twice: on SQLite, then on PostgreSQL (127.0.0.1:5432; the second
# pass says so and stops when it is not reachable). test_scaleout needs PostgreSQL and Redis.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest
	TEST_DATABASE=postgresql $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance

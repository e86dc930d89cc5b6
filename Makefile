# Tableside: `make run` sets up and serves; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := static/vendor/socket.io.esm.min.js

.PHONY: run setup test test-modes lint format vendor db demo clean

run: setup db demo
	$(BIN)/python app.py

setup: $(STAMP) $(VENDOR)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

$(VENDOR): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js node_modules/socket.io-client/dist/socket.io.esm.min.js.map static/vendor/

vendor: $(VENDOR)

db: setup
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask seed-demo --if-empty

test: setup
	$(BIN)/python -m pytest

# The live servers' other serving modes (tests/support/live_server.py, RUN_MODE_SETTINGS):
# engine.io's own writer (DIRECT_WEBSOCKET_WRITES=0), then gevent. Not part of `make test`.
MODE_TESTS := tests/realtime tests/security tests/auth tests/test_serve.py

# Both runs go ahead; the target fails if either did.
test-modes: setup
	status=0; \
	TABLESIDE_TEST_WRITES=stock $(BIN)/python -m pytest $(MODE_TESTS) || status=1; \
	TABLESIDE_TEST_ASYNC=gevent $(BIN)/python -m pytest $(MODE_TESTS) || status=1; \
	exit $$status

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules static/vendor instance/tableside.db instance/static-build

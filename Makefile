# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install index run cluster test lint typecheck unit eval bench clean browser

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first and pinned: the CPU wheel on this disk; an unpinned torch pulls a CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Incremental: unchanged files are skipped, so this is cheap when the index is fresh.
index: install
	$(BIN)/assistant ingest

run: index
	ASSISTANT_HOST=$(HOST) ASSISTANT_PORT=$(PORT) $(PY) app.py

# Scale-out: a Chroma server holds the vectors, one ingest writes the index through it, and
# WORKERS stateless app processes (uvicorn workers) serve that one generation on HOST:PORT.
# Ctrl-C stops the server and the workers. Vectors in $(CLUSTER_DIR)/chroma, the rest of the
# index in $(CLUSTER_DIR)/index; a later `make cluster` re-ingests only changed files.
CHROMA_PORT ?= 8000
WORKERS ?= 2
CLUSTER_DIR ?= indexes-cluster
CLUSTER_ENV = ASSISTANT_CHROMA_URL=http://127.0.0.1:$(CHROMA_PORT) ASSISTANT_INDEX_DIR=$(CLUSTER_DIR)/index
cluster: install
	@mkdir -p $(CLUSTER_DIR); trap 'kill $$chroma_pid 2>/dev/null' EXIT INT TERM; \
	$(BIN)/chroma run --path $(CLUSTER_DIR)/chroma --host 127.0.0.1 --port $(CHROMA_PORT) \
	  > $(CLUSTER_DIR)/chroma.log 2>&1 & chroma_pid=$$!; \
	until curl -sf http://127.0.0.1:$(CHROMA_PORT)/api/v2/heartbeat > /dev/null; do sleep 0.3; done; \
	$(CLUSTER_ENV) $(BIN)/assistant ingest && \
	$(CLUSTER_ENV) $(BIN)/uvicorn assistant.web.server:create_app --factory \
	  --workers $(WORKERS) --host $(HOST) --port $(PORT) --log-level warning

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy assistant

# Browser tests drive Debian's Chromium through Playwright (Playwright's own browser download
# does not work here). A machine where Chromium cannot be installed still runs `make test`:
# the browser tests then skip and say why.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo "sudo -n")
browser: install
	@if [ ! -x $(CHROMIUM) ]; then \
	  $(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; } \
	  || echo "warning: could not install chromium; the browser tests will be skipped"; \
	fi
	@# CJK fonts, or the screenshots under evals/screenshots/ show boxes instead of Chinese.
	@fc-list :lang=zh 2>/dev/null | grep -q . || $(SUDO) apt-get install -y fonts-noto-cjk \
	  || echo "warning: could not install fonts-noto-cjk; screenshots will lack Chinese glyphs"

unit: install browser
	$(BIN)/pytest -q

test: lint typecheck unit

# The dev set, then leave-one-document-out retrieval over the seeds and the fixture policies of
# other outline shapes (an index of its own, so the app's index holds only corpus/).
eval: index
	$(PY) -m evals.run
	$(BIN)/assistant ingest corpus $(wildcard tests/fixtures/policies/*.txt) --index indexes-fixtures
	$(PY) -m evals.loo --index indexes-fixtures

bench: index
	$(PY) -m evals.bench

clean:
	rm -rf indexes indexes-cluster .pytest_cache .mypy_cache .ruff_cache

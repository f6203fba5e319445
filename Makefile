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

.PHONY: install index run test lint typecheck unit eval bench clean

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

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy assistant

unit: install
	$(BIN)/pytest -q

test: lint typecheck unit

eval: index
	$(PY) -m evals.run

bench: index
	$(PY) -m evals.bench

clean:
	rm -rf indexes .pytest_cache .mypy_cache .ruff_cache

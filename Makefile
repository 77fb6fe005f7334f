# The two commands a newcomer needs: `make generate` and `make test`.
# Both create the virtual environment (.venv) on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPECS := $(wildcard specs/*.yaml specs/*.yml specs/*.json)

.PHONY: generate test corpus memo-check bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Generate a client for every spec in specs/ into generated/<spec name>/.
generate: $(STAMP)
	@for spec in $(SPECS); do \
		name=$$(basename $${spec%.*}); \
		$(BIN)/codegen generate $$spec -o generated/$$name || exit $$?; \
	done

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Every real-world spec in ../shared: generated, compiles, imports, mypy-clean (slow).
corpus: $(STAMP)
	$(BIN)/python -m tests.corpus.run

# Every spec regenerated warm, through the memos, equals a --no-cache generation (slow).
memo-check: $(STAMP)
	$(BIN)/python -m tests.corpus.memos

# Performance against the issue-7 targets (slow: minutes; not part of `make test`).
# Peers (openapi-python-client, pydantic) live in their own venv, .venv-bench; codegen runs
# from .venv. One benchmark: make bench BENCH_ARGS="--only decode" (see docs/performance.md).
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed-stamp
BENCH_ARGS ?=

$(BENCH_STAMP): bench/requirements.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	echo '*' > $(BENCH_VENV)/.gitignore
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python -m bench $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/python -m mypy generator

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache

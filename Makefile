# The two commands a newcomer needs: `make generate` and `make test`.
# Both create the virtual environment (.venv) on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPECS := $(wildcard specs/*.yaml specs/*.yml specs/*.json)

.PHONY: generate test corpus bench lint clean

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

lint: $(STAMP)
	$(BIN)/python -m mypy generator

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache

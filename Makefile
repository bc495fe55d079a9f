# Jineng — two commands: `make demo` (install, embedded SQLite with demo data, serve) and `make test` (every check).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
IDP_PORT ?= 8400
export PATH := $(CURDIR)/$(BIN):$(PATH)

## make lrs-conformance: ADL's xAPI conformance suite (2.0.0 and 1.0.3 batteries) against /xapi/ on a throwaway
## database (scripts/lrs-conformance.sh); prints each battery's pass count.
.PHONY: lrs-conformance
lrs-conformance: install
	@scripts/stage.sh "xAPI LRS conformance (ADL suite)" scripts/lrs-conformance.sh

.PHONY: demo test install sysdeps assets lint typecheck imports pytest-sqlite pytest-postgres browser fuzz bench bench-smoke serve clean

## Install the locked Python dependencies into .venv and the front-end assets from the npm registry.
install: $(BIN)/.installed assets

$(BIN)/.installed: requirements.lock pyproject.toml
	@scripts/stage.sh "python dependencies" bash -c '\
	  test -x $(BIN)/python || $(PY) -m venv $(VENV); \
	  $(BIN)/python -m pip install -q --disable-pip-version-check "uv==0.13.8"; \
	  $(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock; \
	  $(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .'
	@touch $@

assets: node_modules/.package-lock.json idp/node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	@scripts/stage.sh "front-end assets (npm)" bash -c '\
	  command -v npm >/dev/null || scripts/apt.sh nodejs npm; \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error'

# The demo identity provider (oidc-provider, idp/): for `make demo` and the tests only, never deployed.
idp/node_modules/.package-lock.json: idp/package.json idp/package-lock.json
	@scripts/stage.sh "identity provider for demo and tests (npm)" bash -c '\
	  command -v npm >/dev/null || scripts/apt.sh nodejs npm; \
	  cd idp && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error'

## System packages the tests need (PostgreSQL, Chromium, CJK fonts) from Debian; skipped when present.
sysdeps:
	@scripts/stage.sh "system packages" scripts/sysdeps.sh

## make demo: migrate the embedded SQLite database (var/jineng.sqlite3), load demo data, serve on PORT, with the demo
## identity provider (统一身份认证) on IDP_PORT (default 8400).
demo: install
	@scripts/stage.sh "migrate" $(BIN)/jineng migrate --noinput -v0
	@scripts/stage.sh "encrypt stored files" $(BIN)/jineng files encrypt
	@scripts/stage.sh "demo data" $(BIN)/jineng seed --scale demo
	@$(BIN)/jineng collectstatic --noinput -v0
	@PORT=$(PORT) IDP_PORT=$(IDP_PORT) scripts/serve.sh

serve:
	@PORT=$(PORT) IDP_PORT=$(IDP_PORT) scripts/serve.sh

lint: install
	@scripts/stage.sh "ruff lint" $(BIN)/ruff check .
	@scripts/stage.sh "ruff format" $(BIN)/ruff format --check .

typecheck: install
	@scripts/stage.sh "mypy" $(BIN)/mypy jineng config

imports: install
	@scripts/stage.sh "import-linter" $(BIN)/lint-imports

## make security: bandit over jineng/ and config/ (HIGH fails) and pip-audit of requirements.lock (any known
## vulnerability fails). See docs/security.md.
.PHONY: security
security: install
	@scripts/stage.sh "security (bandit, pip-audit)" scripts/security.sh

## make drill: the backup and restore drill (scripts/restore-drill.sh) — base backup + WAL archive, point-in-time
## restore into a scratch cluster, audit verify and ledger reconcile on it, RPO/RTO printed (4–6 min; not in test).
.PHONY: drill
drill: install sysdeps
	@scripts/stage.sh "backup and restore drill" scripts/restore-drill.sh

pytest-sqlite: install
	@scripts/stage.sh "pytest (SQLite)" scripts/pytest.sh sqlite

pytest-postgres: install sysdeps
	@scripts/stage.sh "pytest (PostgreSQL)" scripts/with-postgres.sh scripts/pytest.sh postgres

browser: install sysdeps
	@scripts/stage.sh "browser tests (Chromium)" scripts/pytest.sh browser

## Fuzz the whole OpenAPI with schemathesis as a province, a county, a provider and anonymous (scripts/fuzz.sh).
fuzz: install
	@scripts/stage.sh "API fuzzing (schemathesis)" scripts/fuzz.sh

bench-smoke: install sysdeps
	@scripts/stage.sh "benchmark smoke" scripts/bench.sh tiny

bench: install sysdeps
	@scripts/bench.sh $${BENCH_SCALE:-small}

## make test: every check, each stage timed.
test: install sysdeps
	@scripts/stage.sh "TOTAL make test" $(MAKE) --no-print-directory lint typecheck imports security pytest-sqlite pytest-postgres browser fuzz lrs-conformance bench-smoke

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage*

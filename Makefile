# 体检预约缴费 — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NPM ?= npm

.PHONY: lock bundle licenses release deploy-test soak audit run serve test test-backend test-python test-console test-miniprogram test-miniprogram-e2e test-e2e system-deps lint console install clean bench h5 test-h5 test-h5-e2e miniprogram-release

# Virtual environment with the backend and its dev tools, exactly the versions (and hashes) of
# requirements-dev.lock; reinstalled when the lock or pyproject.toml changes. `make lock` renews both locks.
$(INSTALLED): pyproject.toml requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(INSTALLED)

LOCK_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
# The offline release bundle (deploy/release/bundle.py): wheelhouse for BUNDLE_PYTHON (default this venv's),
# built console and H5, mini-program sources, deploy/, docs/, install.sh and SHA256SUMS, in var/release/.
# .ci/bundle-test installs one with no network and checks migrate and /api/ready.
bundle: $(INSTALLED) console/dist/index.html h5/dist/index.html
	$(BIN)/python deploy/release/bundle.py $(if $(BUNDLE_PYTHON),--python-version $(BUNDLE_PYTHON))

# docs/third-party-licenses.md from the lock files (a test fails when it is stale).
licenses: $(INSTALLED)
	$(BIN)/python deploy/release/licenses.py

lock: $(INSTALLED)
	$(BIN)/pip-compile $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev -o requirements-dev.lock pyproject.toml

install: $(INSTALLED)

# The staff console, built into console/dist and served by the backend at /.
console/node_modules/.package-lock.json: console/package-lock.json
	cd console && $(NPM) ci --no-audit --no-fund
console/dist/index.html: console/node_modules/.package-lock.json $(shell find console/src -type f 2>/dev/null) console/index.html
	cd console && $(NPM) run build

console:
	@if command -v $(NPM) >/dev/null 2>&1; then $(MAKE) console/dist/index.html; \
	else echo "npm not found: the console will not be served (API and sandbox still are)"; fi

# The official account's H5 patient pages, built into h5/dist and served by the backend at /h5/.
# H5_MODE picks the settings file h5/.env.<mode>: sandbox (default) or release (refuses sandbox values).
H5_MODE ?= sandbox
h5/node_modules/.package-lock.json: h5/package-lock.json
	cd h5 && $(NPM) ci --no-audit --no-fund
h5/dist/index.html: h5/node_modules/.package-lock.json $(shell find h5/src -type f 2>/dev/null) h5/index.html $(wildcard h5/.env.*)
	cd h5 && H5_MODE=$(H5_MODE) $(NPM) run build

h5:
	@if command -v $(NPM) >/dev/null 2>&1; then $(MAKE) h5/dist/index.html; \
	else echo "npm not found: the H5 pages will not be served"; fi

# The embedded default: SQLite under var/, sandbox HIS/PEIS/WeChat on the same address, demo data.
run: $(INSTALLED) console h5
	$(BIN)/checkup run

serve: $(INSTALLED)
	$(BIN)/checkup serve

# Known vulnerabilities: pip-audit (the venv) and npm audit --audit-level=high (console/, miniprogram/).
# Accepted exceptions, each with its reason: audit-exceptions.md. Needs network; exit 3 = could not audit.
audit: $(INSTALLED)
	$(BIN)/python .ci/audit.py --python $(BIN)/python

test: test-backend test-console test-miniprogram test-miniprogram-e2e test-e2e test-h5 test-h5-e2e

# Debian packages the tests need (CJK font, pdftotext, chromium), installed only when missing.
system-deps:
	@.ci/system-deps

test-backend: $(INSTALLED) system-deps
	$(BIN)/pytest

# The backend suite on another Python (default 3.13, CHECKUP_EXTRA_PYTHON=3.12), SQLite half; .ci/run runs it.
test-python: $(INSTALLED)
	.ci/python-versions

miniprogram/node_modules/.package-lock.json: miniprogram/package-lock.json
	cd miniprogram && $(NPM) ci --no-audit --no-fund

test-console: $(INSTALLED) console/node_modules/.package-lock.json
	CHECKUP_BIN=$(abspath $(BIN)) node scripts/api-types.mjs console --check
	cd console && $(NPM) run typecheck && $(NPM) test

test-miniprogram: $(INSTALLED) miniprogram/node_modules/.package-lock.json
	CHECKUP_BIN=$(abspath $(BIN)) node scripts/api-types.mjs miniprogram --check
	cd miniprogram && $(NPM) run typecheck && $(NPM) test

# A release copy of the mini-program for one hospital: settings from miniprogram/env/$(ENV).json (API base
# URL, AppID, template ids, sandbox pay off), written to miniprogram/dist/$(ENV)/ for upload. Sandbox values
# are refused. docs/wechat-integration.md, 3B.
miniprogram-release:
	@test -n "$(ENV)" || { echo "usage: make miniprogram-release ENV=<name of miniprogram/env/<name>.json>"; exit 2; }
	cd miniprogram && node scripts/build-env.js --release $(ENV)

# H5: API types still match the backend's OpenAPI document, type check, Vitest.
test-h5: $(INSTALLED) h5/node_modules/.package-lock.json
	CHECKUP_BIN=$(abspath $(BIN)) node scripts/api-types.mjs h5 --check
	cd h5 && $(NPM) run typecheck && $(NPM) test

# The H5 pages in chromium (phone viewport, WeChat user agent) against `checkup run` on a free port: OAuth login,
# both payment flows through the sandbox cashier under the official account's appid, booking and cancel.
test-h5-e2e: $(INSTALLED) system-deps h5/dist/index.html
	BIN=$(BIN) .ci/h5-e2e

# The mini-program's services/ in Node against `checkup run` on a free port (throwaway var dir,
# sandbox on): both patient flows from login to cancel, stopped whatever happens.
test-miniprogram-e2e: $(INSTALLED) miniprogram/node_modules/.package-lock.json
	BIN=$(BIN) .ci/miniprogram-e2e

# The console in chromium against the running product (throwaway var dir, free port); screenshots
# land in console/test-artifacts/.
test-e2e: $(INSTALLED) system-deps console/dist/index.html
	BIN=$(BIN) .ci/console-e2e

# The production layout on loopback (.ci/deploy-test): throwaway MariaDB database, sandbox, two `checkup serve`
# processes, a worker and nginx (installed when missing) from deploy/nginx/checkup.conf with TLS + HTTP/2;
# patient and staff traffic through nginx while both API processes restart; money, bookings and the client
# address checked; everything stopped and dropped whatever happens.
deploy-test: $(INSTALLED)
	BIN=$(BIN) $(BIN)/python .ci/deploy-test

# The benchmarks (bench/README.md): the product with as many workers as cores on this machine's MariaDB
# (throwaway database checkup_bench) and Redis, against its ceilings; prints a table and writes
# bench/results/latest.json. BENCH_ARGS passes options, e.g. BENCH_ARGS="--only rush,calendar".
bench: $(INSTALLED)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The soak (long run, not in `make test`/CI): SOAK_SECONDS (default 600) of patient and staff traffic
# with payment and refund faults on MariaDB and three `checkup worker` processes, WeChat Pay signing with
# either key at random (SOAK_SIGNING, default mixed) and other systems' rows in the shared merchant bill;
# RSS and Threads_connected sampled; the money invariants (no one-sided refund) and totals at the end.
# Figures: bench/results/soak.json.
soak: $(INSTALLED)
	CHECKUP_SOAK=1 SOAK_SECONDS=$${SOAK_SECONDS:-600} CHECKUP_TEST_WECHATPAY_SIGNING=$${SOAK_SIGNING:-mixed} \
		$(BIN)/pytest -q -s -p no:logging -o timeout=0 tests/soak/test_soak.py

lint: $(INSTALLED) console/node_modules/.package-lock.json
	$(BIN)/ruff check backend tests bench docs/tools
	$(BIN)/mypy
	$(BIN)/python -m checkup.db.drift
	PYTHONPATH=backend $(BIN)/lint-imports .importlinter .importlinter-runtime
	cd console && $(NPM) run lint

clean:
	rm -rf var/ console/dist h5/dist

# The user manual's console screenshots (docs/images/manual/): the console e2e writes each named page there too,
# then the PNGs are reduced to a 256-colour palette. Commit the PNGs with the change that altered the pages.
.PHONY: docs-screenshots
docs-screenshots: $(INSTALLED) system-deps console/dist/index.html h5/dist/index.html
	rm -f docs/images/manual/*.png docs/images/h5/*.png
	BIN=$(BIN) MANUAL_SCREENSHOTS_DIR=docs/images/manual .ci/console-e2e
	BIN=$(BIN) MANUAL_SCREENSHOTS_DIR=docs/images/h5 .ci/h5-e2e
	$(BIN)/python docs/tools/shrink_png.py docs/images/manual/*.png docs/images/h5/*.png

# 系统测试计划及测试报告: run every suite (pytest, Vitest, jest, both end-to-end tests) with machine-readable
# results in var/test-report/, then write docs/test-report.md (with bench/results/*.json figures when present).
.PHONY: test-report
test-report: $(INSTALLED) system-deps console/dist/index.html console/node_modules/.package-lock.json miniprogram/node_modules/.package-lock.json
	BIN=$(BIN) $(BIN)/python docs/tools/gen_test_report.py --run

# The delivered commit: on a clean tree, run every suite through `make test-report` on exactly the code
# being delivered, then commit docs/test-report.md alone on top of it (the report names the commit it
# tested, which differs from the release commit only by the report itself) and tag it release-<date>.
.PHONY: release
release:
	@git diff --quiet && git diff --cached --quiet || { echo "release: the tree has uncommitted changes"; exit 1; }
	$(MAKE) test-report
	git add docs/test-report.md
	git commit -m "docs/test-report.md: regenerated on $$(git rev-parse --short HEAD) for the release"
	git tag -a "release-$$(date -u +%Y%m%d-%H%M)" -m "release: docs/test-report.md matches the tested code"
	$(MAKE) bundle

# Centinela: every set-up step lives here. `make run` and `make test` install whatever is
# missing (Rust target, wasm-bindgen, Debian and npm packages) and skip what is there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory
export PATH := $(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

CARGO ?= cargo
WASM_BINDGEN_VERSION := 0.2.130
SITE := target/site
PKG := $(SITE)/pkg
WASM := target/wasm32-unknown-unknown/debug/frontend.wasm
WASM_RELEASE := target/wasm32-unknown-unknown/wasm-release/frontend.wasm
BIN := target/debug/centinela
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help run dev test bench size build site dev-site server lint test-rust test-postgres \
	test-e2e rust-tools apt-tools npm-tools

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: build ## Build and start Centinela with the demo organisation (SQLite) at http://127.0.0.1:3000
	CENTINELA_DEMO=true $(BIN) serve

# The test steps share one feature set (`cargo test` unifies dev-dependency features), so
# the binary the browser tests drive is the one `cargo test` built: nothing compiles twice.
test: site lint test-rust test-postgres test-e2e ## The whole suite: lint, Rust on SQLite and PostgreSQL, browser
	@echo "All tests passed."

dev: dev-site server ## Like `make run`, with the quick debug front end (for UI work)
	CENTINELA_DEMO=true $(BIN) serve

build: rust-tools site server ## Build the optimised front end (WASM) and the server

# The optimised front end: the `wasm-release` profile, wasm-opt from npm's binaryen (Debian's
# breaks hydration), content-hashed names, brotli and gzip copies (scripts/site.sh).
site: rust-tools npm-tools
	$(CARGO) build -p wasm-split
	$(CARGO) build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
	scripts/site.sh release $(WASM_RELEASE)

dev-site: rust-tools npm-tools
	$(CARGO) build -p wasm-split
	$(CARGO) build -p frontend --lib --target wasm32-unknown-unknown
	scripts/site.sh debug $(WASM)

size: site ## What the dashboard's first load downloads (brotli): target <= 400 KB
	node scripts/size.mjs

server: rust-tools
	$(CARGO) build -p server

lint: rust-tools ## cargo fmt --check and clippy -D warnings (server side and WASM side)
	$(CARGO) fmt --all --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

bench: rust-tools ## Benchmarks (release build): prints ratios and whether each target is met
	@status=0; \
	$(CARGO) bench -p server --bench export || status=1; \
	$(CARGO) bench -p server --bench audit || status=1; \
	$(CARGO) bench -p server --bench detection || status=1; \
	$(CARGO) bench -p server --bench dashboard || status=1; \
	$(MAKE) size || status=1; \
	exit $$status

test-rust: ## Unit and integration tests on SQLite
	$(CARGO) test

test-postgres: apt-tools ## Integration tests on a throwaway PostgreSQL cluster
	scripts/with-postgres.sh $(CARGO) test --test api

test-e2e: site apt-tools npm-tools ## Playwright in Debian's Chromium against the real binary
	$(CARGO) test --no-run --quiet
	cd end2end && npx playwright test

rust-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@wasm-bindgen --version 2>/dev/null | grep -qF ' $(WASM_BINDGEN_VERSION)' || \
		$(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

apt-tools:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

npm-tools:
	@[ end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ] || (cd end2end && npm ci --no-audit --no-fund)
	@[ tools/node_modules/.package-lock.json -nt tools/package-lock.json ] || (cd tools && npm ci --no-audit --no-fund)

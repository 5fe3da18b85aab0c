# The two commands a new user needs: `make demo` and `make test`. Each does its own set-up.
# Installing is one step too: `make install` (PREFIX=/usr/local, DESTDIR honoured) or `make dist` (an archive).
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
export SWIFT
PREFIX ?= /usr/local
# SCRATCH=DIR builds the release in another scratch path (e.g. a cold build); .build by default.
SCRATCH ?=
export SCRATCH
# The release build: the one `runner` file, with the Swift runtime linked in, so that it runs without the toolchain.
RELEASE_FLAGS = --configuration release --product runner --static-swift-stdlib $(if $(SCRATCH),--scratch-path $(SCRATCH))
# The release binary, for the demos and benchmarks.
RELEASE_BIN = $(abspath $(or $(SCRATCH),.build))/release/runner

.PHONY: all setup setup-build build release install dist demo demo-cloud demo-serve test format bench clean

all: build

setup:
	@bash scripts/setup.sh

# Only what building needs (the FFmpeg, libheif, OpenSSL and zlib development packages), not the test tools.
setup-build:
	@bash scripts/setup.sh build

build: setup
	@$(SWIFT) build

release: setup-build
	@$(SWIFT) build $(RELEASE_FLAGS)

install: release
	@install -d "$(DESTDIR)$(PREFIX)/bin"
	@install -m 755 "$(RELEASE_BIN)" "$(DESTDIR)$(PREFIX)/bin/runner"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/runner"

dist: setup-build
	@bash scripts/dist.sh

demo: release
	@RUNNER_BIN=$(RELEASE_BIN) bash scripts/demo.sh

# The original S3 + Runway workflow against local servers (moto, the Runway double): no account needed.
demo-cloud: release setup
	@RUNNER_BIN=$(RELEASE_BIN) bash scripts/demo-cloud.sh

# The original app's three calls (list_frames, generate_videos, prepare_merge) against `runner serve`, with moto and
# the Runway double behind it: no account needed.
demo-serve: release setup
	@RUNNER_BIN=$(RELEASE_BIN) bash scripts/demo-serve.sh

test: setup
	@bash scripts/test.sh

bench: release setup
	@RUNNER_BIN=$(RELEASE_BIN) bash bench/run.sh

# Rewrites the Swift sources in the project's format (make test fails on unformatted code).
format:
	@bash scripts/format.sh

clean:
	@rm -rf .build out .runner dist

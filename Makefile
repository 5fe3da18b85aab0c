# The two commands a new user needs: `make demo` and `make test`. Each does its own set-up.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
export SWIFT

.PHONY: all setup build release demo demo-cloud test bench clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@$(SWIFT) build

release: setup
	@$(SWIFT) build -c release

demo: release
	@bash scripts/demo.sh

# The original S3 + Runway workflow against local servers (moto, the Runway double): no account needed.
demo-cloud: release
	@bash scripts/demo-cloud.sh

test: setup
	@bash scripts/test.sh

bench: release
	@bash bench/run.sh

clean:
	@rm -rf .build out .runner

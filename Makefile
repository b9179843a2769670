# The two commands a newcomer needs: `make demo` and `make test`. Each installs what is missing.
BUILD ?= build
JOBS ?= $(shell nproc)
DATA ?= fundtrace-data
SHARED ?= ../shared/data

.PHONY: all deps build demo test asan bench serve-bench format tidy clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/Makefile: deps CMakeLists.txt
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: deps $(BUILD)/Makefile
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)/fundtrace $(DATA)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Tests under AddressSanitizer and UndefinedBehaviorSanitizer in a separate build tree.
asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFUNDTRACE_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS)

bench: build
	@bench/run.sh $(BUILD)

# `fundtrace serve` under wrk: address_labels and risk_score against a baseline (bench/RESULTS.md).
serve-bench: build
	@bench/serve_bench.sh $(abspath $(BUILD))

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

tidy: build
	@clang-tidy -p $(BUILD) $$(git ls-files 'src/*.cc') 2>/dev/null | grep -E 'warning|error' || true

clean:
	rm -rf $(BUILD) build-asan

# Switchboard: the two set-up commands are `make run` and `make test`.
BUILD ?= build
BUILD_TYPE ?= Release
CI ?=
WERROR := $(if $(CI),ON,OFF)

.PHONY: all deps configure build run simulate test fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DSB_WERROR=$(WERROR) >/dev/null

build: configure
	@cmake --build $(BUILD)

run: build
	./$(BUILD)/switchboard serve --config demo/switchboard.yaml

simulate: build
	./$(BUILD)/switchboard simulate --config demo/switchboard.yaml

test: build
	ctest --test-dir $(BUILD) --output-on-failure --timeout 600

# Longer fuzzing than the fixed budget `make test` gives each target: FUZZ_SECONDS each.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := message_parser_fuzz sip_header_fuzz sdp_fuzz rtp_fuzz call_input_fuzz
fuzz: deps
	@for t in $(FUZZ_TARGETS); do scripts/fuzz.sh $$t $(FUZZ_SECONDS) $(BUILD)/fuzz || exit 1; done

bench: build
	./$(BUILD)/bench/acd_bench --benchmark_counters_tabular=true
	./$(BUILD)/bench/sim_bench
	./$(BUILD)/bench/sip_bench
	bench/sip_load.py --switchboard $(BUILD)/switchboard
	bench/call_load.py --switchboard $(BUILD)/switchboard
	./$(BUILD)/bench/media_bench --benchmark_counters_tabular=true
	bench/media_relay.py --build-dir $(BUILD) --rt

clean:
	rm -rf $(BUILD)

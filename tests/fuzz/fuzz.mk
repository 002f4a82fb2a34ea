# fuzz.mk: libFuzzer targets, one per parser: every tests/fuzz/fuzz_*.c,
# over the library built with clang's sanitizers into $(FUZZ_BUILD).
# Included by the top-level Makefile:
#   make fuzz [FUZZ_TIME=N]   build, then run each target N seconds (10)
#   make fuzz-build           build only
#   make fuzz-smoke           seeds + FUZZ_RUNS mutations each (make check)
# Seeds: tests/fuzz/corpus/NAME/ (NAME without "fuzz_"), a dictionary
# tests/fuzz/NAME.dict when there is one. What a run finds new is kept
# in $(FUZZ_BUILD)/corpus/, crashes in $(FUZZ_BUILD)/findings/.

FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 10
FUZZ_TIME ?= $(FUZZ_SECONDS)
FUZZ_RUNS ?= 20000
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib $(PKG_CFLAGS) \
	-O2 -g $(FUZZ_SAN) $(EXTRA_CFLAGS) -MMD -MP
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ := $(LIB_SRC:lib/%.c=$(FUZZ_BUILD)/lib/%.o)

.PHONY: fuzz fuzz-build fuzz-smoke

$(FUZZ_BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/libgha.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libgha.a
	@mkdir -p $(FUZZ_BUILD)/dep
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MF $(FUZZ_BUILD)/dep/$(@F).d -fsanitize=fuzzer -Itests/fuzz \
		-o $@ $< $(FUZZ_BUILD)/libgha.a $(LIBS)

# each object and target depends on the headers it includes
-include $(FUZZ_LIB_OBJ:.o=.d) $(wildcard $(FUZZ_BUILD)/dep/*.d)

# deps.sh fuzz: clang and libFuzzer, installed as root, else the apt-get line
fuzz-build:
	@sh .ci/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh time $(FUZZ_TIME) $(FUZZ_BUILD) $(FUZZ_BINS)

# in make check: a visible SKIP, not a failure, when clang cannot be had
fuzz-smoke:
	@if sh .ci/deps.sh fuzz; then \
		$(MAKE) --no-print-directory $(FUZZ_BINS) && \
		sh tests/fuzz/run.sh smoke $(FUZZ_RUNS) $(FUZZ_BUILD) $(FUZZ_BINS); \
	else echo "fuzz-smoke: SKIP: clang with libFuzzer is not installed (see above)"; fi

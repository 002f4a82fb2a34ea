# gha: GitHub event intelligence as small, fast C tools.
# make; make check; make demo; make bench; make fuzz; make install PREFIX=... DESTDIR=...

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
CFLAGS ?= -O2 -g
PKGS = zlib libcurl libpq libisal libcrypto

WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wvla -Wformat=2 -Wwrite-strings
ifdef SANITIZE
# pattern-filled locals: a read of an unset one fails the same way on every run
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all \
	   -ftrivial-auto-var-init=pattern
BUILD ?= build-san
else
BUILD ?= build
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# -MMD -MP: each object depends on the headers it includes (the .d files)
# -ffp-contract=off: no fused multiply-adds, so results do not depend on
# the CPU (gcc's default for -std=c11; clang's is on)
ALL_CFLAGS = $(WARN) -ffp-contract=off -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib $(PKG_CFLAGS) \
	     $(CFLAGS) $(SANFLAGS) $(EXTRA_CFLAGS) -MMD -MP
# Debian's libjq-dev ships no .pc file
LIBS = $(PKG_LIBS) -ljq -lpthread -lm

# lib/ and one level of subfolders (lib/gold/...): no list to maintain
LIB_SRC := $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ := $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
TOOL_SRC := $(sort $(wildcard tools/gha-*.c))
TOOLS := $(TOOL_SRC:tools/%.c=$(BUILD)/bin/%)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SHELL_TESTS := $(sort $(wildcard tests/t[0-9]*.t))
MANS := $(sort $(wildcard man/*.[17]))

.DELETE_ON_ERROR:
.PHONY: all deps check unit lint-man man-columns demo bench install clean

all: $(BUILD)/.deps-ok $(TOOLS)

include pipelines/ingest.mk
include pipelines/gold.mk
include tests/fuzz/fuzz.mk

# Fails with the one apt-get line to run when a -dev package is missing.
$(BUILD)/.deps-ok: .ci/deps.sh
	@sh .ci/deps.sh build
	@mkdir -p $(@D) && touch $@

deps:
	@sh .ci/deps.sh all

$(BUILD)/lib/%.o: lib/%.c | $(BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libgha.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/%: tools/%.c $(BUILD)/libgha.a
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(ALL_CFLAGS) -MF $(BUILD)/dep/$(@F).d -o $@ $< $(BUILD)/libgha.a $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libgha.a
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(ALL_CFLAGS) -MF $(BUILD)/dep/$(@F).d -Itests/unit -o $@ $< $(BUILD)/libgha.a $(LIBS)

# the failure-injection shim (tests/t0150-inject.t): LD_PRELOAD'ed, so
# built without the sanitizers, whose runtime must come first
$(BUILD)/tests/libinject.so: tests/inject/inject.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -g -fPIC -shared $(EXTRA_CFLAGS) -o $@ $< -ldl

# the man pages' column lists, from the schema registry (man/columns.c):
# make man-columns rewrites them; t0340 checks none is stale
$(BUILD)/tests/man-columns: man/columns.c $(BUILD)/libgha.a
	@mkdir -p $(@D) $(BUILD)/dep
	$(CC) $(ALL_CFLAGS) -MF $(BUILD)/dep/$(@F).d -o $@ $< $(BUILD)/libgha.a $(LIBS)

man-columns: $(BUILD)/tests/man-columns
	@for m in $(MANS); do \
		$(BUILD)/tests/man-columns "$$m" >"$$m.tmp" && mv "$$m.tmp" "$$m" || { rm -f "$$m.tmp"; exit 1; }; \
	done

unit: $(UNITS) $(BUILD)/tests/libinject.so $(BUILD)/tests/man-columns

# tools' and tests' .d files sit apart, so build/bin and build/tests hold
# only programs
-include $(LIB_OBJ:.o=.d) $(wildcard $(BUILD)/dep/*.d)

# make load: silver into PostgreSQL with gha-load
include pipelines/load.mk
# make kmeans: gha-kmeans over gold's window tables
include pipelines/kmeans.mk
# make report: one HTML page from gold (gnuplot SVG charts)
include pipelines/report.mk

lint-man:
	@for m in $(MANS); do \
		out=$$(mandoc -Tlint -W warning "$$m" 2>&1); \
		if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	done; echo "man pages: $(words $(MANS)) linted clean"

check:
	@sh .ci/deps.sh check
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory lint-man
	@rm -rf $(BUILD)/tests/log
	GHA_BUILD=$(CURDIR)/$(BUILD) prove --exec tests/taplog $(PROVE_FLAGS) $(UNITS) $(SHELL_TESTS) || \
		{ echo "failed tests, their diagnostics again:"; GHA_BUILD=$(CURDIR)/$(BUILD) bash tests/failures; exit 1; }
	@$(MAKE) --no-print-directory fuzz-smoke

demo:
	@sh .ci/deps.sh demo
	@$(MAKE) -s --no-print-directory all
	@GHA_BUILD=$(CURDIR)/$(BUILD) bash pipelines/demo.sh

bench:
	@sh .ci/deps.sh bench
	@$(MAKE) -s --no-print-directory all
	@GHA_BUILD=$(CURDIR)/$(BUILD) bash tests/bench/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)
	for m in $(MANS); do \
		s=$${m##*.}; install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man$$s/; \
	done

clean:
	rm -rf build build-san build-fuzz demo-out

# ingest.mk: incremental per-hour ingest, fetch -> bronze -> silver.
# Included by the top-level Makefile:
#   make ingest FROM=2015-01-01-0 TO=2015-01-01-23 [DATA=data] [GHA_BASE_URL=...]
#   make status FROM=... TO=...
# Layout under $(DATA) (see gha(7)):
#   raw/H.json.gz            the verified hour (gha-fetch), or raw/H.missing
#   bronze/H.ndjson.gz       validated events, with H.rejects.ndjson, H.stats.json
#   silver/H.events.tsv.gz   the events table, with H.actors.tsv, H.repos.tsv,
#                            H.orgs.tsv, H.commits.tsv, H.stats.json
# A new or changed raw hour rebuilds only its own bronze and silver.

SHELL := /bin/bash
DATA ?= data
TO ?= $(FROM)
export GHA_BASE_URL
MAX_REJECT_RATE ?= 1%
GHA_FETCH_FLAGS ?=
GHA_BIN ?= $(CURDIR)/$(BUILD)/bin
BIN = $(abspath $(GHA_BIN))
INGEST_MAKE = $(MAKE) --no-print-directory -f $(CURDIR)/pipelines/ingest.mk \
	BUILD=$(BUILD) GHA_BIN=$(GHA_BIN) DATA=$(DATA) FROM=$(FROM) TO=$(TO) \
	MAX_REJECT_RATE=$(MAX_REJECT_RATE) GHA_FETCH_FLAGS="$(GHA_FETCH_FLAGS)"

.PHONY: ingest status ingest-raw ingest-silver ingest-report ingest-status

# Two passes: first every raw hour (a 404 leaves a .missing marker and does
# not fail the range), then bronze and silver of the hours that exist,
# chosen after the first pass has run.
ingest: all
	@test -n "$(FROM)" || { echo "usage: make ingest FROM=YYYY-MM-DD-H [TO=...] [DATA=dir]" >&2; exit 64; }
	@$(INGEST_MAKE) ingest-raw
	@$(INGEST_MAKE) ingest-silver
	@$(INGEST_MAKE) ingest-report

status: all
	@test -n "$(FROM)" || { echo "usage: make status FROM=YYYY-MM-DD-H [TO=...] [DATA=dir]" >&2; exit 64; }
	@$(INGEST_MAKE) ingest-status

ingest-status:
	@bash $(CURDIR)/pipelines/status.sh "$(DATA)" $(HOURS)

ifneq ($(FROM),)
HOURS := $(shell $(BIN)/gha-fetch -n $(FROM) $(TO))
endif
# RETRY_MISSING=1 asks upstream again for hours recorded as missing
ifeq ($(RETRY_MISSING),1)
MISSING :=
else
MISSING := $(patsubst $(DATA)/raw/%.missing,%,$(wildcard $(HOURS:%=$(DATA)/raw/%.missing)))
endif
PRESENT := $(filter-out $(MISSING),$(HOURS))

# (the empty recipes keep make from saying "Nothing to be done")
ingest-raw: $(PRESENT:%=$(DATA)/raw/%.json.gz)
	@:
ingest-silver: $(patsubst $(DATA)/raw/%.json.gz,$(DATA)/silver/%.events.tsv.gz,\
	$(wildcard $(PRESENT:%=$(DATA)/raw/%.json.gz)))
	@:

ingest-report:
	@m="$(patsubst $(DATA)/raw/%.missing,%,$(wildcard $(HOURS:%=$(DATA)/raw/%.missing)))"; \
	if [ -n "$$m" ]; then \
		echo "gha: missing upstream (recorded in $(DATA)/raw/*.missing; RETRY_MISSING=1 asks again):" $$m >&2; \
		if [ "$(STRICT)" = 1 ]; then echo "gha: STRICT=1: failing on missing hours" >&2; exit 1; fi; \
	fi

# gha-fetch exits 66 when the hour is missing upstream: record it and go on;
# 75 (temporary) and anything else fail, so a rerun tries again.
$(DATA)/raw/%.json.gz:
	@mkdir -p $(@D)
	@rc=0; $(BIN)/gha-fetch -q $(GHA_FETCH_FLAGS) -d $(@D) $* >/dev/null || rc=$$?; \
	case $$rc in \
	0) rm -f $(@D)/$*.missing ;; \
	66) echo "$*" > $(@D)/$*.missing.tmp && mv $(@D)/$*.missing.tmp $(@D)/$*.missing ;; \
	*) exit $$rc ;; \
	esac

# Run in $(DATA) so that the file names inside stats and quarantines are
# relative: the same bytes wherever the data directory lives.
$(DATA)/bronze/%.ndjson.gz: $(DATA)/raw/%.json.gz
	@mkdir -p $(@D)
	@rm -f $@.tmp $(@D)/$*.*.tmp.*
	cd $(DATA) && set -o pipefail && $(BIN)/gha-bronze -q -m $(MAX_REJECT_RATE) \
		-r bronze/$*.rejects.ndjson -s bronze/$*.stats.json raw/$*.json.gz \
		| gzip -n -6 > bronze/$*.ndjson.gz.tmp
	@mv $@.tmp $@

$(DATA)/silver/%.events.tsv.gz: $(DATA)/bronze/%.ndjson.gz
	@mkdir -p $(@D)
	@rm -f $@.tmp $(@D)/$*.*.tmp.*
	cd $(DATA) && set -o pipefail && gzip -dc bronze/$*.ndjson.gz \
		| $(BIN)/gha-silver -q -m $(MAX_REJECT_RATE) \
		-a silver/$*.actors.tsv -R silver/$*.repos.tsv -O silver/$*.orgs.tsv \
		-C silver/$*.commits.tsv -s silver/$*.stats.json | gzip -n -6 > silver/$*.events.tsv.gz.tmp
	@mv $@.tmp $@

.DELETE_ON_ERROR:
# make keeps the intermediates (the bronze files are outputs too)
.SECONDARY:

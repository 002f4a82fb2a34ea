# ingest.mk: incremental per-hour ingest, fetch -> bronze -> silver.
# Included by the top-level Makefile:
#   make ingest FROM=2015-01-01-0 TO=2015-01-01-23 [DATA=data] [GHA_BASE_URL=...]
#   make status FROM=... TO=...
# Layout under $(DATA) (see gha(7)):
#   raw/H.json.gz            the verified hour (gha-fetch), or raw/H.missing
#   bronze/H.ndjson.gz       validated events, with H.rejects.ndjson, H.stats.json
#   silver/H.events.tsv.gz   the events table, with H.actors.tsv.gz,
#                            H.repos.tsv.gz, H.orgs.tsv.gz, H.commits.tsv.gz
#                            (gzipped too: commits alone would be ~11 GB a
#                            year plain), H.stats.json
# A new or changed raw hour rebuilds only its own bronze and silver.

SHELL := /bin/bash
DATA ?= data
TO ?= $(FROM)
export GHA_BASE_URL
MAX_REJECT_RATE ?= 1%
GHA_FETCH_FLAGS ?=
GHA_BIN ?= $(CURDIR)/$(BUILD)/bin
BIN = $(abspath $(GHA_BIN))
INGEST_MAKE = $(MAKE) -k --no-print-directory -f $(CURDIR)/pipelines/ingest.mk INGEST_SUB=1 \
	BUILD=$(BUILD) GHA_BIN=$(GHA_BIN) DATA=$(DATA) FROM=$(FROM) TO=$(TO) \
	MAX_REJECT_RATE=$(MAX_REJECT_RATE) GHA_FETCH_FLAGS="$(GHA_FETCH_FLAGS)"

# one line per step, not the recipes (none with make -s); make -n shows
# the commands
SAY = $(if $(findstring s,$(firstword -$(MAKEFLAGS))),:,echo)

# check_range TARGET: FROM given and FROM..TO a valid range, else exit 64
check_range = test -n "$(FROM)" || { echo "usage: make $(1) FROM=YYYY-MM-DD-H [TO=...] [DATA=dir]" >&2; \
	exit 64; }; $(BIN)/gha-fetch -n $(FROM) $(TO) >/dev/null || exit 64

.PHONY: ingest status ingest-raw ingest-silver ingest-report ingest-status

# Two passes: first every raw hour (a 404 leaves a .missing marker and does
# not fail the range), then bronze and silver of the hours that exist,
# chosen after the first pass has run. An hour that failed (gha-fetch's
# 75, a reject rate too high) fails the run, but only after every other
# hour went through (the passes run with -k). One ingest at a time per
# DATA (flock on DATA/.ingest.lock): two runs would remove each other's
# temporary files. ('+': the sub-makes share the jobserver, so -j works.)
ingest: all
	@$(call check_range,ingest)
	@case "$(DATA)" in *" "*) echo "gha: DATA may not contain spaces (make cannot name such files): '$(DATA)'" >&2; exit 64 ;; esac
	+@mkdir -p $(DATA) || exit 74; exec 9>>$(DATA)/.ingest.lock; flock 9 || exit 75; \
	rc=0; $(INGEST_MAKE) ingest-raw || rc=$$?; \
	$(INGEST_MAKE) ingest-silver || rc=$$?; \
	$(INGEST_MAKE) ingest-report || rc=$$?; \
	exit $$rc

status: all
	@$(call check_range,status)
	@$(INGEST_MAKE) ingest-status

ingest-status:
	@bash $(CURDIR)/pipelines/status.sh "$(DATA)" $(HOURS)

# only in the sub-makes: the top level may not have built gha-fetch yet
ifneq ($(FROM),)
ifeq ($(INGEST_SUB),1)
HOURS := $(shell $(BIN)/gha-fetch -n $(FROM) $(TO))
endif
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
# every output of an hour is a target: a deleted one is made again
BRONZE_FILES = ndjson.gz rejects.ndjson stats.json
SILVER_FILES = events.tsv.gz actors.tsv.gz repos.tsv.gz orgs.tsv.gz commits.tsv.gz stats.json
GOT := $(patsubst $(DATA)/raw/%.json.gz,%,$(wildcard $(PRESENT:%=$(DATA)/raw/%.json.gz)))
ingest-silver: $(foreach f,$(BRONZE_FILES),$(GOT:%=$(DATA)/bronze/%.$(f))) \
	$(foreach f,$(SILVER_FILES),$(GOT:%=$(DATA)/silver/%.$(f)))
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
	@$(SAY) "gha: fetch $*"
	@rc=0; $(BIN)/gha-fetch -q $(GHA_FETCH_FLAGS) -d $(@D) $* >/dev/null || rc=$$?; \
	case $$rc in \
	0) rm -f $(@D)/$*.missing ;; \
	66) echo "$*" > $(@D)/$*.missing.tmp && mv $(@D)/$*.missing.tmp $(@D)/$*.missing ;; \
	*) exit $$rc ;; \
	esac

# Run in $(DATA) so that the file names inside stats and quarantines are
# relative: the same bytes wherever the data directory lives. A pattern
# rule with several targets makes them all in one run. When the reject
# rate is too high, the hour's quarantine stays as H.rejects.failed.ndjson
# (make deletes the targets of a failed recipe).
$(addprefix $(DATA)/bronze/%.,$(BRONZE_FILES)): $(DATA)/raw/%.json.gz
	@mkdir -p $(@D)
	@rm -f $(@D)/$*.ndjson.gz.tmp $(@D)/$*.*.tmp.*
	@$(SAY) "gha: bronze $*"
	@cd $(DATA) && set -o pipefail && { $(BIN)/gha-bronze -q -m $(MAX_REJECT_RATE) \
		-r bronze/$*.rejects.ndjson -s bronze/$*.stats.json raw/$*.json.gz \
		| gzip -n -6 > bronze/$*.ndjson.gz.tmp || { rc=$$?; \
		rm -f bronze/$*.ndjson.gz.tmp; \
		cp bronze/$*.rejects.ndjson bronze/$*.rejects.failed.ndjson 2>/dev/null; \
		exit $$rc; }; }
	@mv $(DATA)/bronze/$*.ndjson.gz.tmp $(DATA)/bronze/$*.ndjson.gz
	@rm -f $(DATA)/bronze/$*.rejects.failed.ndjson

$(addprefix $(DATA)/silver/%.,$(SILVER_FILES)): $(DATA)/bronze/%.ndjson.gz
	@mkdir -p $(@D)
	@rm -f $(@D)/$*.events.tsv.gz.tmp $(@D)/$*.*.tmp.*
	@$(SAY) "gha: silver $*"
	@cd $(DATA) && set -o pipefail && { gzip -dc bronze/$*.ndjson.gz \
		| $(BIN)/gha-silver -q -m $(MAX_REJECT_RATE) \
		-a silver/$*.actors.tsv.gz -R silver/$*.repos.tsv.gz -g silver/$*.orgs.tsv.gz \
		-C silver/$*.commits.tsv.gz -s silver/$*.stats.json \
		| gzip -n -6 > silver/$*.events.tsv.gz.tmp || { rc=$$?; \
		rm -f silver/$*.events.tsv.gz.tmp; exit $$rc; }; }
	@mv $(DATA)/silver/$*.events.tsv.gz.tmp $(DATA)/silver/$*.events.tsv.gz

.DELETE_ON_ERROR:
# make keeps the intermediates (the bronze files are outputs too)
.SECONDARY:

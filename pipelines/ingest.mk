# ingest.mk: incremental per-hour ingest, fetch -> bronze -> silver.
# Included by the top-level Makefile:
#   make ingest FROM=2015-01-01-0 TO=2015-01-01-23 [DATA=data] [GHA_BASE_URL=...]
#   make status FROM=... TO=...
# Layout under $(DATA) (see gha(7)):
#   raw/H.json.gz            the verified hour (gha-fetch), or raw/H.missing
#                            (missing upstream at the base URL it names), or
#                            with KEEP_RAW=0 raw/H.dropped once bronze is
#                            made and read back (not fetched again)
#   bronze/H.ndjson.gz       validated events, with H.rejects.ndjson, H.stats.json;
#                            a hard link to raw/H.json.gz when every record
#                            was kept as it came (nearly every hour)
#   silver/H.events.tsv.gz   the events table, with H.actors.tsv.gz,
#                            H.repos.tsv.gz, H.orgs.tsv.gz, H.commits.tsv.gz
#                            (gzipped too: commits alone would be ~11 GB a
#                            year plain), H.stats.json
# A new or changed raw hour rebuilds only its own bronze and silver.

SHELL := /bin/bash
DATA ?= data
# a relative DATA is the caller's directory (make -C runs here; the shell's
# PWD is where it was called from), as for backfill.sh and hourly.sh
ifneq ($(INGEST_SUB),1)
ifeq ($(words $(DATA)),1)
override DATA := $(abspath $(if $(filter /%,$(DATA)),$(DATA),$(or $(PWD),$(CURDIR))/$(DATA)))
endif
endif
TO ?= $(FROM)
export GHA_BASE_URL
MAX_REJECT_RATE ?= 1%
# KEEP_RAW=0: remove raw/H.json.gz once bronze is made and read back whole
# (pipelines/dropraw.sh); only hours with rejects or duplicates save space
KEEP_RAW ?= 1
GHA_FETCH_FLAGS ?=
GHA_BIN ?= $(CURDIR)/$(BUILD)/bin
BIN = $(abspath $(GHA_BIN))
INGEST_MAKE = $(MAKE) -k --no-print-directory -f $(CURDIR)/pipelines/ingest.mk INGEST_SUB=1 \
	BUILD=$(BUILD) GHA_BIN=$(GHA_BIN) DATA=$(DATA) FROM=$(FROM) TO=$(TO) \
	MAX_REJECT_RATE=$(MAX_REJECT_RATE) GHA_FETCH_FLAGS="$(GHA_FETCH_FLAGS)" KEEP_RAW=$(KEEP_RAW)

# one line per step, not the recipes (none with make -s); make -n shows
# the commands
SAY = $(if $(findstring s,$(firstword -$(MAKEFLAGS))),:,echo)

# check_range TARGET: FROM given and FROM..TO a valid range, else exit 64
check_range = test -n "$(FROM)" || { echo "usage: make $(1) FROM=YYYY-MM-DD-H [TO=...] [DATA=dir]" >&2; \
	exit 64; }; $(BIN)/gha-fetch -n $(FROM) $(TO) >/dev/null || exit 64

.PHONY: ingest status ingest-raw ingest-silver ingest-drop ingest-report

# make cannot name files under a directory with a space: say so before
# make reads rules it would garble (no screen of warnings first)
ifneq ($(words $(DATA)),1)
ingest status:
	@echo "gha: DATA must name one directory, without spaces (make cannot name such files): '$(DATA)'" >&2; exit 64
else

# Two passes: first every raw hour (a 404 leaves a .missing marker and does
# not fail the range), then bronze and silver of the hours that exist,
# chosen after the first pass has run. An hour that failed (gha-fetch's
# 75, a reject rate too high) fails the run, but only after every other
# hour went through (the passes run with -k). One ingest at a time per
# DATA (flock on DATA/.ingest.lock): two runs would remove each other's
# temporary files. ('+': the sub-makes share the jobserver, so -j works.)
# INGEST_LOCK: another lock file, for callers that keep runs apart
# themselves (pipelines/chunk.sh: a cluster run's chunks of disjoint hours)
INGEST_LOCK ?= $(DATA)/.ingest.lock
ingest: all
	@$(call check_range,ingest)
	+@mkdir -p $(DATA) || exit 74; exec 9>>$(INGEST_LOCK); flock 9 || exit 75; \
	rc=0; $(INGEST_MAKE) ingest-raw || rc=$$?; \
	$(INGEST_MAKE) ingest-silver || rc=$$?; \
	if [ "$(KEEP_RAW)" = 0 ]; then $(INGEST_MAKE) ingest-drop || rc=$$?; fi; \
	$(INGEST_MAKE) ingest-report || rc=$$?; \
	exit $$rc

status: all
	@$(call check_range,status)
	@GHA_FETCH=$(BIN)/gha-fetch bash $(CURDIR)/pipelines/status.sh $(DATA) $(FROM) $(TO)

# only in the sub-makes: the top level may not have built gha-fetch yet
ifneq ($(FROM),)
ifeq ($(INGEST_SUB),1)
HOURS := $(shell $(BIN)/gha-fetch -n $(FROM) $(TO))
endif
endif
# One gha-fetch run for the range fetches what is not there, in parallel
# (its -j; GHA_FETCH_FLAGS), and records a 404 as raw/H.missing with the
# base URL: a later run at that URL does not ask again (RETRY_MISSING=1
# does), another URL does. When every hour of the range 404s it records
# nothing and exits 69: a wrong base URL, not a range of gaps.
# hours whose raw file KEEP_RAW=0 removed: done, not fetched again
DROPPED := $(patsubst $(DATA)/raw/%.dropped,%,$(wildcard $(HOURS:%=$(DATA)/raw/%.dropped)))
TODO := $(filter-out $(DROPPED) $(patsubst $(DATA)/raw/%.json.gz,%,$(wildcard $(HOURS:%=$(DATA)/raw/%.json.gz))),$(HOURS))
MARKED := $(patsubst $(DATA)/raw/%.missing,%,$(wildcard $(TODO:%=$(DATA)/raw/%.missing)))
ifeq ($(RETRY_MISSING),1)
NEW := $(TODO)
else
NEW := $(filter-out $(MARKED),$(TODO))
endif

# a marker's temporary a killed gha-fetch left (raw/H.missing.tmp.XXXXXX):
# swept for this run's hours only, under the DATA lock (chunk.sh's
# concurrent chunks hold disjoint hours)
ingest-raw:
	@rm -f $(wildcard $(HOURS:%=$(DATA)/raw/%.*.tmp.*))
ifneq ($(TODO),)
ifeq ($(RETRY_MISSING),1)
	@$(BIN)/gha-fetch -n $(FROM) $(TO) | sed 's|.*|$(DATA)/raw/&.missing|' | xargs -r -d '\n' rm -f
endif
	@mkdir -p $(DATA)/raw
	@$(if $(NEW),$(SAY) "gha: fetch $(words $(NEW)) hours of $(FROM)..$(TO)",:)
	@rc=0; $(BIN)/gha-fetch -q --mark-missing $(GHA_FETCH_FLAGS) -d $(DATA)/raw $(FROM) $(TO) >/dev/null || rc=$$?; \
	case $$rc in 0|66) ;; *) exit $$rc ;; esac
endif
# every output of an hour is a target: a deleted one is made again
BRONZE_FILES = ndjson.gz rejects.ndjson stats.json
SILVER_FILES = events.tsv.gz actors.tsv.gz repos.tsv.gz orgs.tsv.gz commits.tsv.gz stats.json
GOT := $(patsubst $(DATA)/raw/%.json.gz,%,$(wildcard $(HOURS:%=$(DATA)/raw/%.json.gz)))
# a dropped hour's bronze is where silver starts (nothing can remake it)
GOT_SILVER := $(GOT) $(filter-out $(GOT),$(patsubst $(DATA)/bronze/%.ndjson.gz,%,$(wildcard $(DROPPED:%=$(DATA)/bronze/%.ndjson.gz))))
ingest-silver: $(foreach f,$(BRONZE_FILES),$(GOT:%=$(DATA)/bronze/%.$(f))) \
	$(foreach f,$(SILVER_FILES),$(GOT_SILVER:%=$(DATA)/silver/%.$(f)))
	@:

ingest-drop:
	@$(if $(GOT),bash $(CURDIR)/pipelines/dropraw.sh $(DATA) $(GOT),:)

ingest-report:
	@m=$$($(BIN)/gha-fetch -n $(FROM) $(TO) | while read -r h; do \
		[ ! -f $(DATA)/raw/$$h.missing ] || printf ' %s' "$$h"; done); \
	if [ -n "$$m" ]; then \
		echo "gha: missing upstream (recorded in $(DATA)/raw/*.missing; RETRY_MISSING=1 asks again):" $$m >&2; \
		if [ "$(STRICT)" = 1 ]; then echo "gha: STRICT=1: failing on missing hours" >&2; exit 1; fi; \
	fi

# Run in $(DATA) so that the file names inside stats and quarantines are
# relative: the same bytes wherever the data directory lives. A pattern
# rule with several targets makes them all in one run. The tools write
# their outputs themselves, compressed by name (NAME.gz: ISA-L, no gzip
# process) and atomically (a temporary renamed into place on success), so
# a killed recipe leaves no partial file under a final name. gha-bronze
# -L makes an hour whose every record it keeps as it came (nearly all)
# a hard link to its raw file: no second copy, no compression. When the
# reject rate is too high, the hour's quarantine stays as
# H.rejects.failed.ndjson (make deletes the targets of a failed recipe)
# and its bronze events are removed with them.
$(addprefix $(DATA)/bronze/%.,$(BRONZE_FILES)): $(DATA)/raw/%.json.gz
	@mkdir -p $(@D)
	@rm -f $(@D)/$*.ndjson.gz.tmp $(@D)/$*.*.tmp.*
	@$(SAY) "gha: bronze $*"
	@cd $(DATA) && { $(BIN)/gha-bronze -q -L -m $(MAX_REJECT_RATE) -o bronze/$*.ndjson.gz \
		-r bronze/$*.rejects.ndjson -s bronze/$*.stats.json raw/$*.json.gz || { rc=$$?; \
		rm -f bronze/$*.ndjson.gz; \
		cp bronze/$*.rejects.ndjson bronze/$*.rejects.failed.ndjson 2>/dev/null; \
		exit $$rc; }; }
	@rm -f $(DATA)/bronze/$*.rejects.failed.ndjson

# silver from bronze, read with ISA-L in gha-silver's reader thread
$(addprefix $(DATA)/silver/%.,$(SILVER_FILES)): $(DATA)/bronze/%.ndjson.gz
	@mkdir -p $(@D)
	@rm -f $(@D)/$*.events.tsv.gz.tmp $(@D)/$*.*.tmp.*
	@$(SAY) "gha: silver $*"
	@cd $(DATA) && $(BIN)/gha-silver -q -m $(MAX_REJECT_RATE) -o silver/$*.events.tsv.gz \
		-a silver/$*.actors.tsv.gz -R silver/$*.repos.tsv.gz -g silver/$*.orgs.tsv.gz \
		-C silver/$*.commits.tsv.gz -s silver/$*.stats.json bronze/$*.ndjson.gz \
		|| { rc=$$?; rm -f silver/$*.events.tsv.gz; exit $$rc; }

endif

.DELETE_ON_ERROR:
# make keeps the intermediates (the bronze files are outputs too)
.SECONDARY:

# gold.mk: incremental gold tables from silver hours, per day and per window.
# Included by the top-level Makefile:
#   make gold FROM=2015-01-01 [TO=2015-01-07] [DATA=data] [GOLD_TABLES=a,b]
# Layout under $(DATA)/gold (see gha(7)):
#   partial/DAY.part        the day's facts (gha-gold --partial) from every
#                           silver/DAY-H.events.tsv.gz present
#   partial/DAY.hours       the list of those silver hours (a manifest: an
#                           hour added or removed rebuilds the day)
#   day/DAY/TABLE.tsv       the day's tables (trending over the 1d window)
#   window/Nd-DAY/TABLE.tsv tables over the N days ending at TO's day
#                           (N = 1, 7, 30), merged from those days' partials;
#                           trending.tsv there is the window's trending
#   window/Nd-DAY.days      the partials a window merged (a manifest)
#   repos/DAY.tsv           silver's repos table as known at the end of DAY:
#                           the previous silver day's merged with DAY's hours
#                           (gha-silver --merge-entities); the day's tables
#                           and the windows ending at DAY read it with -R, so
#                           a repo with no PR that day still has its language
#   repos/DAY.hours         the repos hours merged in (a manifest)
# Days come from FROM..TO (hours or days, as in make ingest); a day with no
# silver hour is skipped. A window takes every day in it that has silver
# hours, also days before FROM, so its tables do not depend on FROM.
# A changed silver hour rebuilds its day's partial and tables and the
# windows that hold the day, nothing else.

SHELL := /bin/bash
DATA ?= data
TO ?= $(FROM)
GHA_BIN ?= $(CURDIR)/$(BUILD)/bin
BIN ?= $(abspath $(GHA_BIN))
GOLD_WINDOWS ?= 1 7 30
# the tables: all of gha-gold --list unless given (comma-separated)
GOLD_TABLES ?=
GOLD_MAKE = $(MAKE) -k --no-print-directory -f $(CURDIR)/pipelines/gold.mk GOLD_SUB=1 \
	BUILD=$(BUILD) GHA_BIN=$(GHA_BIN) DATA=$(DATA) FROM=$(FROM) TO=$(TO) \
	GOLD_WINDOWS="$(GOLD_WINDOWS)" GOLD_TABLES="$(GOLD_TABLES)"
SAY ?= $(if $(findstring s,$(firstword -$(MAKEFLAGS))),:,echo)

.PHONY: gold gold-build gold-FORCE
gold-FORCE:

# One gold run at a time per DATA (flock on DATA/.gold.lock): two runs
# would remove each other's temporary files. ('+': the sub-make shares the
# jobserver, so -j works.)
# GOLD_LOCK: another lock file, for callers that keep runs apart
# themselves (pipelines/chunk.sh: a cluster run's chunks of disjoint days)
GOLD_LOCK ?= $(DATA)/.gold.lock
gold: all
	@test -n "$(FROM)" || { echo "usage: make gold FROM=YYYY-MM-DD[-H] [TO=...] [DATA=dir]" >&2; exit 64; }
	@$(BIN)/gha-fetch -n $(FROM) $(TO) >/dev/null || exit 64
	@case "$(DATA)" in *" "*) echo "gha: DATA may not contain spaces (make cannot name such files): '$(DATA)'" >&2; exit 64 ;; esac
	+@mkdir -p $(DATA) || exit 74; exec 9>>$(GOLD_LOCK); flock 9 || exit 75; \
	$(GOLD_MAKE) gold-build

ifeq ($(GOLD_SUB),1)
ifneq ($(FROM),)
, := ,
G := $(DATA)/gold
# the days of FROM..TO, and TO's day
DAYS := $(sort $(shell $(BIN)/gha-fetch -n $(FROM) $(TO) | cut -d- -f1-3))
LAST := $(lastword $(DAYS))
TABLES := $(or $(subst $(,), ,$(GOLD_TABLES)),$(shell $(BIN)/gha-gold --list | cut -d' ' -f1))
TLIST := $(subst $(eval) ,$(,),$(strip $(TABLES)))
silver_of = $(sort $(wildcard $(DATA)/silver/$(1)-*.events.tsv.gz))
# window N: its days (the N days ending at LAST) that have silver hours
window_all = $(shell for k in $$(seq $$(($(1) - 1)) -1 0); do date -u -d "$(LAST) - $$k days" +%F; done)
$(foreach n,$(GOLD_WINDOWS),$(eval WDAYS_$(n) := $(foreach d,$(call window_all,$(n)),$(if $(call silver_of,$(d)),$(d)))))
# every day a target needs: FROM..TO and the windows' days, with silver
GDAYS := $(sort $(foreach d,$(DAYS),$(if $(call silver_of,$(d)),$(d))) $(foreach n,$(GOLD_WINDOWS),$(WDAYS_$(n))))
$(foreach d,$(GDAYS),$(eval HOURS_$(d) := $(call silver_of,$(d))))
NOSILVER := $(foreach d,$(DAYS),$(if $(call silver_of,$(d)),,$(d)))
# (a window ends at TO's day: none when that day has no silver)
WINDOWS := $(if $(call silver_of,$(LAST)),$(foreach n,$(GOLD_WINDOWS),$(n)d-$(LAST)))
$(foreach n,$(GOLD_WINDOWS),$(eval WPARTS_$(n)d-$(LAST) := $(WDAYS_$(n):%=$(G)/partial/%.part)))

# -R: every day of DATA/silver with repos tables (hour files H.repos.tsv.gz),
# each chained to the one before it, so a day's table knows every
# language seen up to it (and nothing after it), whatever FROM is
SDAYS := $(shell ls $(DATA)/silver 2>/dev/null | sed -n 's/^\([0-9]*-[0-9]*-[0-9]*\)-[0-9]*\.repos\.tsv\.gz$$/\1/p' | sort -u)
_prev :=
$(foreach d,$(SDAYS),$(eval PREV_$(d) := $(_prev))$(eval _prev := $(d)))
repos_of = $(sort $(wildcard $(DATA)/silver/$(1)-*.repos.tsv.gz))
# the -R table for a day (none when the day has no repos tables)
repos_for = $(if $(filter $(1),$(SDAYS)),$(G)/repos/$(1).tsv)

DAY_OUT = $(foreach d,$(filter $(DAYS),$(GDAYS)),$(TABLES:%=$(G)/day/$(d)/%.tsv))
WIN_OUT = $(foreach w,$(WINDOWS),$(TABLES:%=$(G)/window/$(w)/%.tsv))

gold-build: $(DAY_OUT) $(WIN_OUT)
	@$(if $(strip $(NOSILVER)),echo "gha: gold: no silver hours for $(strip $(NOSILVER)) (make ingest first); skipped" >&2,:)

# A manifest is rewritten only when its text changes, so an unchanged
# list leaves its mtime (and what depends on it) alone.
define manifest
	@mkdir -p $(@D)
	@printf '%s\n' $(1) >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
endef

$(G)/partial/%.hours: gold-FORCE
	$(call manifest,$(HOURS_$*:$(DATA)/%=%))

$(G)/repos/%.hours: gold-FORCE
	$(call manifest,$(patsubst $(DATA)/%,%,$(call repos_of,$*)))

$(G)/window/%.days: gold-FORCE
	$(call manifest,$(WPARTS_$*:$(DATA)/%=%))

.SECONDEXPANSION:
# Run in $(DATA) so that file names in rejects are relative: the same
# bytes wherever the data directory lives.
$(G)/partial/%.part: $$(HOURS_$$*) $(G)/partial/%.hours
	@mkdir -p $(@D)
	@rm -f $@.tmp.*
	@$(SAY) "gha: gold partial $*"
	@cd $(DATA) && $(BIN)/gha-gold -P -q -o gold/partial/$*.part $(HOURS_$*:$(DATA)/%=%)

# (a static pattern rule: make does not chain one implicit rule into
# itself, so a chain of days none of which is made yet had "no rule")
$(SDAYS:%=$(G)/repos/%.tsv): $(G)/repos/%.tsv: $$(call repos_of,$$*) $$(if $$(PREV_$$*),$(G)/repos/$$(PREV_$$*).tsv) $(G)/repos/%.hours
	@mkdir -p $(@D)
	@rm -f $@.tmp.*
	@$(SAY) "gha: gold repos $*"
	@$(BIN)/gha-silver --merge-entities -o $@ $(filter-out %.hours,$^)

# one recipe makes all of a day's (or window's) tables: a pattern rule
# with several targets; gha-gold -d writes each through a temporary name
$(foreach t,$(TABLES),$(G)/day/%/$(t).tsv): $(G)/partial/%.part $$(call repos_for,$$*)
	@mkdir -p $(@D)
	@rm -f $(@D)/*.tmp.*
	@$(SAY) "gha: gold day $*"
	@$(BIN)/gha-gold -M -q -t $(TLIST) -w 1d $(addprefix -R ,$(call repos_for,$*)) -d $(@D) $<

$(foreach t,$(TABLES),$(G)/window/%/$(t).tsv): $$(WPARTS_$$*) $(G)/window/%.days $$(call repos_for,$(LAST))
	@mkdir -p $(@D)
	@rm -f $(@D)/*.tmp.*
	@$(SAY) "gha: gold window $*"
	@w=$*; $(BIN)/gha-gold -M -q -t $(TLIST) -w $${w%%-*} -u $(LAST) \
		$(addprefix -R ,$(call repos_for,$(LAST))) -d $(@D) $(WPARTS_$*)

endif
endif

.DELETE_ON_ERROR:
.SECONDARY:

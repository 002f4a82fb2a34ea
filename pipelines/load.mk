# load.mk: silver into PostgreSQL with gha-load, incrementally.
# Included by the top-level Makefile:
#   make load FROM=2015-01-01-0 TO=2015-01-01-23 [PG=conninfo] [SCHEMA=name] [DATA=data]
# PG is a libpq conninfo string or URI (empty: the PG* variables, the
# service file, .pgpass; keep passwords there, not in PG: a command line
# is visible to every user of the machine). What is loaded, per hour H and
# day D of FROM..TO whose silver files exist under $(DATA)/silver:
#   gha_events    H.events.tsv.gz, source H
#   gha_commits   H.commits.tsv.gz, source H
#   gha_actors, gha_repos, gha_orgs
#                 the entity tables of every hour of day D present in
#                 DATA/silver, merged (gha-silver --merge-entities), source D
# gha-load replaces a source's earlier rows in the same transaction, so a
# rebuilt hour (or a day with more hours) replaces, never adds. The stamp
# $(DATA)/load/KEY/H.TABLE holds the SHA-256 gha-load recorded (KEY: a
# checksum of PG, SCHEMA and the PG* variables, so another database has
# its own stamps): an
# unchanged silver file costs nothing, a touched one one manifest lookup.
#   gha_gold_TABLE  every DATA/gold/day/D/TABLE.tsv that make gold wrote
#                 for a day D of FROM..TO, source day/D (stamp
#                 D.gold.TABLE), and every window ending on such a day,
#                 DATA/gold/window/Nd-D/TABLE.tsv, source window/Nd-D
#                 (stamp Nd-D.goldw.TABLE): the sources gha-load --views
#                 reads (gha.7, VIEWS)
# One make load at a time per DATA (flock on DATA/.load.lock), which
# first removes what a killed run left among the stamps (their .tmp,
# .tmp.XXXXXX and merged .tsv files).

LOAD_DATA = $(or $(DATA),data)
LOAD_TO = $(or $(TO),$(FROM))
LOAD_BIN = $(abspath $(or $(GHA_BIN),$(CURDIR)/$(or $(BUILD),build)/bin))
LOAD_SAY = $(if $(findstring s,$(firstword -$(MAKEFLAGS))),:,echo)
# the conninfo goes to gha-load through the environment, not recipes
export GHA_PG := $(PG)
LOAD_T = $(if $(SCHEMA),$(SCHEMA).)
LOAD_KEY := $(shell printf '%s\n' "$$GHA_PG" "$(SCHEMA)" "$$PGHOST" "$$PGPORT" "$$PGDATABASE" \
	"$$PGUSER" "$$PGSERVICE" | cksum | cut -d' ' -f1)
LOAD_ST = $(LOAD_DATA)/load/$(LOAD_KEY)
LOAD_MAKE = $(MAKE) -k --no-print-directory -f $(CURDIR)/pipelines/load.mk LOAD_SUB=1 \
	GHA_BIN=$(LOAD_BIN) DATA=$(LOAD_DATA) FROM=$(FROM) TO=$(LOAD_TO) SCHEMA=$(SCHEMA)

.PHONY: load load-run

load: all
	@test -n "$(FROM)" || { echo "usage: make load FROM=YYYY-MM-DD-H [TO=...] [PG=conninfo] [SCHEMA=name] [DATA=dir]" >&2; exit 64; }
	@$(LOAD_BIN)/gha-fetch -n $(FROM) $(LOAD_TO) >/dev/null || exit 64
	@case "$(LOAD_DATA)" in *" "*) echo "gha: DATA may not contain spaces: '$(LOAD_DATA)'" >&2; exit 64 ;; esac
	+@mkdir -p $(LOAD_DATA) || exit 74; exec 9>>$(LOAD_DATA)/.load.lock; flock 9 || exit 75; \
	$(LOAD_MAKE) load-run

ifeq ($(LOAD_SUB),1)
# What a killed run left among the stamps, removed before anything runs
# (under the parent's flock). Here, not in the parent: make 4.3 does not
# pass exported variables such as GHA_PG to $(shell), so only the
# sub-make, which has GHA_PG in its environment, computes the stamps' KEY.
LOAD_SWEEP := $(shell test ! -d $(LOAD_ST) || find $(LOAD_ST) -type f \( -name '*.tmp' -o -name '*.tmp.*' -o -name '*.tsv' \) -delete)
LOAD_HOURS := $(shell $(LOAD_BIN)/gha-fetch -n $(FROM) $(LOAD_TO))
LOAD_GOT := $(patsubst $(LOAD_DATA)/silver/%.events.tsv.gz,%,$(wildcard $(LOAD_HOURS:%=$(LOAD_DATA)/silver/%.events.tsv.gz)))
LOAD_DAYS := $(sort $(foreach h,$(LOAD_GOT),$(word 1,$(subst -, ,$h))-$(word 2,$(subst -, ,$h))-$(word 3,$(subst -, ,$h))))
# gold: the day tables of FROM..TO's days that make gold has written
LOAD_ALLDAYS := $(sort $(foreach h,$(LOAD_HOURS),$(word 1,$(subst -, ,$h))-$(word 2,$(subst -, ,$h))-$(word 3,$(subst -, ,$h))))
LOAD_GOLD := $(patsubst $(LOAD_DATA)/gold/day/%.tsv,%,$(wildcard $(LOAD_ALLDAYS:%=$(LOAD_DATA)/gold/day/%/*.tsv)))
LOAD_GOLDW := $(patsubst $(LOAD_DATA)/gold/window/%.tsv,%,$(wildcard $(LOAD_ALLDAYS:%=$(LOAD_DATA)/gold/window/*-%/*.tsv)))
endif

load-run: $(LOAD_GOT:%=$(LOAD_ST)/%.events) $(LOAD_GOT:%=$(LOAD_ST)/%.commits) \
	$(foreach t,actors repos orgs,$(LOAD_DAYS:%=$(LOAD_ST)/%.$(t))) \
	$(foreach g,$(LOAD_GOLD),$(LOAD_ST)/$(subst /,.gold.,$(g))) \
	$(foreach g,$(LOAD_GOLDW),$(LOAD_ST)/$(subst /,.goldw.,$(g)))
	@echo "gha: $(words $(LOAD_GOT)) hour(s) of $(words $(LOAD_HOURS)) in $(FROM)..$(LOAD_TO) have silver;" \
		"they, $(words $(LOAD_DAYS)) day(s) of entity tables, $(words $(LOAD_GOLD)) gold day table(s)" \
		"and $(words $(LOAD_GOLDW)) gold window table(s)" \
		"are loaded in $(if $(PG),the database of PG,libpq's default database)"

ifeq ($(LOAD_SUB),1)
# gha_load TABLE SOURCE FILE: load, then write the stamp (the sha256 from
# --stats) atomically
define gha_load
	@mkdir -p $(@D)
	@$(LOAD_SAY) "gha: load $(2) into $(LOAD_T)$(1)"
	@$(LOAD_BIN)/gha-load -q -d "$$GHA_PG" -t $(LOAD_T)$(1) --create --source $(2) \
		-s $@.stats.tmp $(3)
	@sed -n 's/.*"files":\[{.*"sha256":"\([0-9a-f]*\)".*/\1/p' $@.stats.tmp > $@.tmp
	@test -s $@.tmp && mv $@.tmp $@ && rm -f $@.stats.tmp
endef

$(LOAD_ST)/%.events: $(LOAD_DATA)/silver/%.events.tsv.gz
	$(call gha_load,gha_events,$*,$<)

$(LOAD_ST)/%.commits: $(LOAD_DATA)/silver/%.commits.tsv.gz
	$(call gha_load,gha_commits,$*,$<)

# A day's entity tables: every hour of the day present in silver, merged.
# (one rule per table: a pattern rule with three targets would make all
# three in one run of its recipe)
.SECONDEXPANSION:
define entity_rule
$(LOAD_ST)/%.$(1): $$$$(wildcard $(LOAD_DATA)/silver/$$$$*-*.$(1).tsv.gz)
	@mkdir -p $$(@D)
	@$(LOAD_BIN)/gha-silver --merge-entities -o $$@.tsv $$^
	$$(call gha_load,gha_$(1),$$*,$$@.tsv)
	@rm -f $$@.tsv
endef
$(foreach t,actors repos orgs,$(eval $(call entity_rule,$(t))))

# A gold day table: DATA/gold/day/D/T.tsv into gha_gold_T, source day/D;
# a window's: DATA/gold/window/W/T.tsv, source window/W (one rule per
# table, as for the entities)
define gold_rule
$(LOAD_ST)/%.gold.$(1): $(LOAD_DATA)/gold/day/%/$(1).tsv
	$$(call gha_load,gha_gold_$(1),day/$$*,$$<)
$(LOAD_ST)/%.goldw.$(1): $(LOAD_DATA)/gold/window/%/$(1).tsv
	$$(call gha_load,gha_gold_$(1),window/$$*,$$<)
endef
$(foreach t,$(sort $(notdir $(LOAD_GOLD) $(LOAD_GOLDW))),$(eval $(call gold_rule,$(t))))

.DELETE_ON_ERROR:
endif

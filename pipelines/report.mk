# report.mk: one HTML page from the gold tables, incrementally.
# Included by the top-level Makefile:
#   make report FROM=2015-01-01 [TO=...] [DATA=data]
#   make report-shot FROM=... [TO=...] [DATA=data] [SHOT=file.png]
# make report runs make gold for FROM..TO first, then writes
# $(DATA)/report/index.html with pipelines/report.sh. The page is remade
# when one of its inputs is newer, or when the list of inputs changes
# ($(DATA)/report/inputs, a manifest rewritten only when its text does):
# the day tables of FROM..TO (activity, languages), the 7- and 30-day
# windows ending at TO's day, the bronze and silver stats and the .missing
# markers of the hours, make kmeans' fits for the windows ending at TO's
# day ($(DATA)/kmeans/Nd-DAY/SET.centroids.tsv, .metrics.json), and the
# script itself.

REPORT_DATA = $(or $(DATA),data)
REPORT_TO = $(or $(TO),$(FROM))
REPORT_BIN = $(abspath $(or $(GHA_BIN),$(CURDIR)/$(or $(BUILD),build)/bin))
REPORT_OUT = $(REPORT_DATA)/report/index.html
REPORT_MAKE = $(MAKE) --no-print-directory -f $(CURDIR)/pipelines/report.mk REPORT_SUB=1 \
	GHA_BIN=$(REPORT_BIN) DATA=$(REPORT_DATA) FROM=$(FROM) TO=$(REPORT_TO)
SHOT ?= $(REPORT_DATA)/report/index.png

.PHONY: report report-build report-shot report-FORCE
report-FORCE:

ifeq ($(strip $(FROM)),)
report report-shot:
	@echo "usage: make $@ FROM=YYYY-MM-DD[-H] [TO=...] [DATA=dir]" >&2; exit 64
else
report: gold
	+@$(REPORT_MAKE) report-build
	@echo "gha: report in $(REPORT_OUT)"

# a PNG of the page as headless Chromium draws it
report-shot: report
	@command -v chromium >/dev/null || { echo "gha: report-shot needs chromium (apt-get install chromium)" >&2; exit 69; }
	@mkdir -p $(dir $(SHOT))
	@chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
		--window-size=1000,$(or $(SHOT_HEIGHT),1300) --screenshot=$(abspath $(SHOT)) \
		file://$(abspath $(REPORT_OUT)) 2>/dev/null >/dev/null
	@test -s $(SHOT) && echo "gha: screenshot in $(SHOT)"
endif

ifeq ($(REPORT_SUB),1)
R_HOURS := $(shell $(REPORT_BIN)/gha-fetch -n $(FROM) $(REPORT_TO))
R_DAYS := $(sort $(foreach h,$(R_HOURS),$(word 1,$(subst -, ,$h))-$(word 2,$(subst -, ,$h))-$(word 3,$(subst -, ,$h))))
R_LAST := $(lastword $(R_DAYS))
R_G := $(REPORT_DATA)/gold
R_IN := $(wildcard $(foreach d,$(R_DAYS),$(R_G)/day/$(d)/activity.tsv $(R_G)/day/$(d)/languages.tsv) \
	$(foreach w,7d 30d,$(foreach t,trending regions actor_profiles anomalies prs contributors,$(R_G)/window/$(w)-$(R_LAST)/$(t).tsv)) \
	$(foreach h,$(R_HOURS),$(REPORT_DATA)/bronze/$(h).stats.json $(REPORT_DATA)/silver/$(h).stats.json $(REPORT_DATA)/raw/$(h).missing) \
	$(REPORT_DATA)/kmeans/*-$(R_LAST)/*.centroids.tsv $(REPORT_DATA)/kmeans/*-$(R_LAST)/*.metrics.json)

report-build: $(REPORT_OUT)

$(REPORT_DATA)/report/inputs: report-FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(FROM) $(REPORT_TO) $(R_IN:$(REPORT_DATA)/%=%) >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(REPORT_OUT): $(R_IN) $(REPORT_DATA)/report/inputs $(CURDIR)/pipelines/report.sh
	@echo "gha: report $(FROM)..$(REPORT_TO)"
	@GHA_FETCH=$(REPORT_BIN)/gha-fetch bash $(CURDIR)/pipelines/report.sh $(REPORT_DATA) $(FROM) $(REPORT_TO) $@

.DELETE_ON_ERROR:
endif

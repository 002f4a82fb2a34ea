# kmeans.mk: gha-kmeans over gold's window tables. Included by the
# top-level Makefile:
#   make kmeans FROM=2015-01-01 [TO=2015-01-07] [DATA=data] [KMEANS_WINDOW=7]
#               [KMEANS_K=2..8] [KMEANS_SETS="repos contributors profiles"]
#               [KMEANS_TRACK=dir-or-url]
# Runs make gold first (incremental), then for each ready-made feature set
# of gha-kmeans(1) (repos: repo_daily, contributors: contributors,
# profiles: actor_profiles) fits the window ending at TO's day, k chosen by
# silhouette over KMEANS_K, and writes to $(DATA)/kmeans/Nd-DAY/:
#   SET.clusters.tsv   id, cluster, distance
#   SET.centroids.tsv  centroids in original units
#   SET.metrics.json   inertia, silhouette, Davies-Bouldin, ..., the sweep
#   SET.model          for gha-kmeans predict
# A set is refitted only when its gold table changed. KMEANS_TRACK (or
# MLFLOW_TRACKING_URI) records each fit as an MLflow run.

KMEANS_WINDOW ?= 7
KMEANS_K ?= 2..8
KMEANS_SETS ?= repos contributors profiles
KMEANS_TRACK ?=
KM_DAY = $(shell printf '%s' '$(or $(TO),$(FROM))' | cut -c1-10)
KM_GOLD = $(DATA)/gold/window/$(KMEANS_WINDOW)d-$(KM_DAY)
KM_OUT = $(DATA)/kmeans/$(KMEANS_WINDOW)d-$(KM_DAY)
km_table_repos = repo_daily
km_table_contributors = contributors
km_table_profiles = actor_profiles

.PHONY: kmeans kmeans-build
kmeans: gold
	@case " $(GOLD_WINDOWS) " in *" $(KMEANS_WINDOW) "*) ;; \
		*) echo "gha: KMEANS_WINDOW=$(KMEANS_WINDOW) is not one of make gold's windows ($(GOLD_WINDOWS))" >&2; exit 64 ;; esac
	@$(MAKE) --no-print-directory kmeans-build FROM=$(FROM) TO=$(TO) DATA=$(DATA)

kmeans-build: $(foreach s,$(KMEANS_SETS),$(KM_OUT)/$(s).clusters.tsv)

# one fit writes a set's four files; the clusters file is the target
define km_rule
$(KM_OUT)/$(1).clusters.tsv: $(KM_GOLD)/$(km_table_$(1)).tsv
	@mkdir -p $$(@D)
	@$$(SAY) "gha: kmeans $(1) over $$<"
	@$(BIN)/gha-kmeans fit -q -f $(1) --k-range $(KMEANS_K) $(if $(KMEANS_TRACK),--track $(KMEANS_TRACK)) \
		--run-name $(1)-$(KMEANS_WINDOW)d-$(KM_DAY) -m $$(@D)/$(1).model -C $$(@D)/$(1).centroids.tsv \
		-s $$(@D)/$(1).metrics.json -o $$@ $$<
endef
$(foreach s,$(KMEANS_SETS),$(eval $(call km_rule,$(s))))

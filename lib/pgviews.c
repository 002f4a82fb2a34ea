/* pgviews.c: the views gha-load --views makes over the gold tables, so
 * Metabase, Superset or Grafana chart them without knowing the layout.
 *
 * A gold table holds the files of many days and windows, told apart by
 * gha-load's _source column: the views expect the source to be the file's
 * directory under DATA/gold, as make gold writes it ("day/2015-01-01",
 * "window/7d-2015-01-01": gha-load --source day/2015-01-01 ...). Day
 * tables do not
 * overlap, so the hourly and daily views take every day/ source; a window
 * table is one window, so the windowed views take the latest window of
 * their size (ISO days sort as text). */
#include <stdlib.h>

#include "loadddl.h"
#include "pgconn.h"
#include "pgviews.h"

const char *const pgviews_names[] = {
	"gha_v_trending_7d", "gha_v_trending_30d", "gha_v_activity_hourly",
	"gha_v_languages", "gha_v_regions", "gha_v_anomalies", NULL
};

/* the tables the views read */
static const char *const tables[] = {
	"gha_gold_trending", "gha_gold_activity", "gha_gold_languages",
	"gha_gold_regions", "gha_gold_anomalies", NULL
};

#define TRENDING(n) \
	"CREATE OR REPLACE VIEW gha_v_trending_" n " AS\n" \
	"SELECT right(_source, 10)::date AS window_end, rank, repo_id, repo_name, language, score,\n" \
	"       stars, forks, pushes, prs_opened, contributors, top_contributors, flag\n" \
	"FROM gha_gold_trending\n" \
	"WHERE _source = (SELECT max(_source) FROM gha_gold_trending WHERE _source LIKE 'window/" n "-%')"

static const char *const views_sql[] = {
	TRENDING("7d"),
	TRENDING("30d"),
	"CREATE OR REPLACE VIEW gha_v_activity_hourly AS\n"
	"SELECT hour, event_type, events, actors, repos, bot_events\n"
	"FROM gha_gold_activity WHERE _source LIKE 'day/%'",
	"CREATE OR REPLACE VIEW gha_v_languages AS\n"
	"SELECT day, language, events, repos, actors, pushes, prs_opened, stars\n"
	"FROM gha_gold_languages WHERE _source LIKE 'day/%'",
	/* regions are fitted over a window's days: the 30-day one places most */
	"CREATE OR REPLACE VIEW gha_v_regions AS\n"
	"SELECT right(_source, 10)::date AS window_end, day, region, actors, events\n"
	"FROM gha_gold_regions\n"
	"WHERE _source = (SELECT max(_source) FROM gha_gold_regions WHERE _source LIKE 'window/30d-%')",
	/* a window's anomalies have baselines from its earlier days */
	"CREATE OR REPLACE VIEW gha_v_anomalies AS\n"
	"SELECT right(_source, 10)::date AS window_end, hour, scope, key, name, metric, value,\n"
	"       baseline, mad, score, reason, reason IS NOT NULL AS flagged\n"
	"FROM gha_gold_anomalies\n"
	"WHERE _source = (SELECT max(_source) FROM gha_gold_anomalies WHERE _source LIKE 'window/7d-%')",
	NULL
};

/* pgload_target fills L's per-table fields: drop them before the next */
static void
forget_target(struct pgload *L)
{
	for (int i = 0; i < L->ncols; i++)
		free(L->cols[i]);
	free(L->cols);
	free(L->target);
	free(L->qtarget);
	free(L->qmanifest);
	L->cols = NULL;
	L->ncols = 0;
	L->target = L->qtarget = L->qmanifest = NULL;
}

int
pgviews_create(struct pgload *L, struct gha_err *err)
{
	int i;

	for (i = 0; tables[i]; i++) {
		int e = pgload_target(L, tables[i], 1, load_ddl, err);

		forget_target(L);
		if (e)
			return -1;
	}
	if (pg_run(L, "BEGIN", "begin", err))
		return -1;
	for (i = 0; views_sql[i]; i++) {
		if (pg_run(L, views_sql[i], pgviews_names[i], err)) {
			pg_rollback(L);
			return -1;
		}
	}
	if (pg_run(L, "COMMIT", "commit", err)) {
		pg_rollback(L);
		return -1;
	}
	return 0;
}

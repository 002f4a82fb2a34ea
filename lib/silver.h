/* silver.h: the events table: its columns, and a row built from one
 * validated event. */
#ifndef GHA_SILVER_H
#define GHA_SILVER_H

#include "bots.h"
#include "event.h"
#include "json.h"
#include "schema.h"
#include "tsv.h"

/* The events table's columns, in COL_ order, and the tables (events,
 * commits) in the schema registry. */
extern const struct schema_col silver_columns[];
extern const int silver_ncols;
extern const struct schema_table schema_events, schema_commits;
enum {
	COL_EVENT_ID, COL_EVENT_TYPE, COL_CREATED_AT, COL_HOUR, COL_ERA,
	COL_ACTOR_ID, COL_ACTOR_LOGIN, COL_IS_BOT, COL_REPO_ID, COL_REPO_NAME,
	COL_REPO_OWNER, COL_ORG_ID, COL_ORG_LOGIN, COL_PUBLIC, COL_ACTION, COL_REF,
	COL_REF_TYPE, COL_PUSH_ID, COL_PUSH_SIZE, COL_PUSH_DISTINCT_SIZE,
	COL_COMMIT_COUNT, COL_HEAD, COL_BEFORE, COL_NUMBER, COL_ISSUE_ID, COL_PR_ID,
	COL_COMMENT_ID, COL_TITLE, COL_STATE, COL_MERGED, COL_MERGED_AT,
	COL_ADDITIONS, COL_DELETIONS, COL_CHANGED_FILES, COL_PR_CREATED_AT,
	COL_PR_CLOSED_AT, COL_REVIEW_STATE, COL_AUTHOR_ASSOCIATION, COL_LANGUAGE,
	COL_RELEASE_TAG, COL_MEMBER_LOGIN, COL_FORKEE_REPO_ID, COL_FORKEE_NAME,
	COL_N
};
enum { CELL_NULL, CELL_RAW, CELL_JSTR };	/* RAW: TSV-safe as is; JSTR: a JSON string body */
/* One event's row: its cells point into the scanned record or into the
 * row's own scratch space, valid until the next silver_build. */
struct silver_row;
void silver_paths(const char ***paths, int *n);	/* for ingest_init */
int silver_column(const char *name, size_t len);	/* index, or -1 */
int64_t silver_event_id(const struct event *ev, const struct jscan *js);
struct silver_row *silver_row_new(void);
void silver_row_free(struct silver_row *r);
void silver_build(struct silver_row *r, const struct jscan *js, const struct event *ev,
		  const struct botlist *bots);
const char *silver_cell(const struct silver_row *r, int col, size_t *n);
int silver_cell_kind(const struct silver_row *r, int col);	/* CELL_* */
int64_t silver_row_id(const struct silver_row *r);		/* the event_id written */
int silver_write(struct tsv *t, const struct silver_row *r, const int *cols, int ncols);
const struct jspan *silver_commits(const struct jscan *js);	/* payload.commits or .shas */

#endif

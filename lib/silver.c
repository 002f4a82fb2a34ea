/* silver.c: the events table: one typed row per event, from any era.
 * Each column takes the first of its sources that the event has; what an
 * era lacks is NULL, never an empty string or a zero. */
#include <string.h>

#include "gha.h"
#include "bots.h"
#include "event.h"
#include "json.h"
#include "jsonout.h"
#include "schema.h"
#include "silver.h"

struct silver_cell {
	int kind;
	const char *p;		/* NULL: in scratch at off */
	size_t off, n;
};
struct silver_row {
	struct silver_cell c[COL_N];
	struct buf scratch, tmp;
	int64_t event_id;
	int64_t last_created;		/* a cache of the last formatted times */
	int have_last;
	char created_s[32], hour_s[32];
};
#include "timefmt.h"
#include "tsv.h"

/* Paths after event_keys; S_* index them in jscan.val. */
static const char *const extra_paths[] = {
	"actor.id", "actor.login", "repo.id", "repo.name",
	"repository.id", "repository.name", "repository.owner", "repository.language",
	"repository.organization", "org.id", "org.login",
	"payload.action", "payload.ref", "payload.object_name", "payload.ref_type",
	"payload.object", "payload.push_id", "payload.size", "payload.distinct_size",
	"payload.commits", "payload.shas", "payload.head", "payload.before", "payload.number",
	"payload.issue", "payload.issue.id", "payload.issue.number", "payload.issue.title",
	"payload.issue.state", "payload.issue.author_association", "payload.issue_id",
	"payload.pull_request.id", "payload.pull_request.number", "payload.pull_request.title",
	"payload.pull_request.state", "payload.pull_request.merged",
	"payload.pull_request.merged_at", "payload.pull_request.additions",
	"payload.pull_request.deletions", "payload.pull_request.changed_files",
	"payload.pull_request.created_at", "payload.pull_request.closed_at",
	"payload.pull_request.author_association", "payload.pull_request.base.repo.language",
	"payload.comment.id", "payload.comment_id", "payload.comment.author_association",
	"payload.review.state", "payload.review.author_association",
	"payload.release.tag_name", "payload.member", "payload.member.login",
	"payload.forkee", "payload.forkee.id", "payload.forkee.full_name", "payload.repo",
};
enum {
	S_ACTOR_ID = EK_PUBLIC + 1, S_ACTOR_LOGIN, S_REPO_ID, S_REPO_NAME,
	S_RY_ID, S_RY_NAME, S_RY_OWNER, S_RY_LANGUAGE,
	S_RY_ORG, S_ORG_ID, S_ORG_LOGIN,
	S_ACTION, S_REF, S_OBJECT_NAME, S_REF_TYPE,
	S_OBJECT, S_PUSH_ID, S_SIZE, S_DISTINCT_SIZE,
	S_COMMITS, S_SHAS, S_HEAD, S_BEFORE, S_NUMBER,
	S_ISSUE, S_ISSUE_ID, S_ISSUE_NUMBER, S_ISSUE_TITLE,
	S_ISSUE_STATE, S_ISSUE_AA, S_ISSUE_ID_TL,
	S_PR_ID, S_PR_NUMBER, S_PR_TITLE,
	S_PR_STATE, S_PR_MERGED,
	S_PR_MERGED_AT, S_PR_ADDITIONS,
	S_PR_DELETIONS, S_PR_CHANGED_FILES,
	S_PR_CREATED_AT, S_PR_CLOSED_AT,
	S_PR_AA, S_PR_BASE_LANG,
	S_COMMENT_ID, S_COMMENT_ID_TL, S_COMMENT_AA,
	S_REVIEW_STATE, S_REVIEW_AA,
	S_RELEASE_TAG, S_MEMBER, S_MEMBER_LOGIN,
	S_FORKEE, S_FORKEE_ID, S_FORKEE_NAME, S_PAYLOAD_REPO,
	S_NPATHS
};
_Static_assert(S_NPATHS <= JSCAN_MAXPATHS, "more paths than JSCAN_MAXPATHS");

/* The events table; descriptions in one line (gha-silver(1) says more).
 * The first five columns are never NULL. */
const struct schema_col silver_columns[] = {
	{ "event_id", "bigint", "the event's id; Timeline events get a negative hash of their bytes", 1 },
	{ "event_type", "text", "the event's type, such as PushEvent", 1 },
	{ "created_at", "timestamptz", "when the event happened, UTC", 1 },
	{ "hour", "text", "the GH Archive hour of created_at, YYYY-MM-DD-H", 1 },
	{ "era", "text", "archive2011, timeline, events or trimmed", 1 },
	{ "actor_id", "bigint", "the actor's id; NULL in the Timeline era", 0 },
	{ "actor_login", "text", "the actor's login", 0 },
	{ "is_bot", "boolean", "whether actor_login matches a bot pattern", 0 },
	{ "repo_id", "bigint", "the repo's id", 0 },
	{ "repo_name", "text", "the repo's owner/name (both sides non-empty) or NULL", 0 },
	{ "repo_owner", "text", "the part of repo_name before the slash, or the Timeline's owner", 0 },
	{ "org_id", "bigint", "the organization's id", 0 },
	{ "org_login", "text", "the organization's login", 0 },
	{ "public", "boolean", "whether the event is public", 0 },
	{ "action", "text", "payload.action: opened, closed, created, ...", 0 },
	{ "ref", "text", "the git ref of a push, create or delete", 0 },
	{ "ref_type", "text", "branch, tag or repository", 0 },
	{ "push_id", "bigint", "a PushEvent's push id", 0 },
	{ "push_size", "integer", "commits pushed; NULL since 2025-10-07", 0 },
	{ "push_distinct_size", "integer", "distinct commits pushed", 0 },
	{ "commit_count", "integer", "commits listed in the PushEvent's payload", 0 },
	{ "head", "text", "the sha after a push", 0 },
	{ "before", "text", "the sha before a push", 0 },
	{ "number", "integer", "the issue or pull request number", 0 },
	{ "issue_id", "bigint", "the issue's id", 0 },
	{ "pr_id", "bigint", "the pull request's id", 0 },
	{ "comment_id", "bigint", "the comment's id", 0 },
	{ "title", "text", "the pull request's or issue's title", 0 },
	{ "state", "text", "the pull request's or issue's state", 0 },
	{ "merged", "boolean", "whether the pull request is merged", 0 },
	{ "merged_at", "timestamptz", "when the pull request was merged, UTC", 0 },
	{ "additions", "integer", "lines the pull request adds", 0 },
	{ "deletions", "integer", "lines the pull request deletes", 0 },
	{ "changed_files", "integer", "files the pull request changes", 0 },
	{ "pr_created_at", "timestamptz", "when the pull request was opened, UTC", 0 },
	{ "pr_closed_at", "timestamptz", "when the pull request was closed, UTC", 0 },
	{ "review_state", "text", "the review's state", 0 },
	{ "author_association", "text", "the actor's association with the repo", 0 },
	{ "language", "text", "the repo's language, where the event tells", 0 },
	{ "release_tag", "text", "the release's tag name", 0 },
	{ "member_login", "text", "the login of the member added", 0 },
	{ "forkee_repo_id", "bigint", "the id of the fork made", 0 },
	{ "forkee_name", "text", "the owner/name of the fork made", 0 },
};
const int silver_ncols = SCHEMA_NELEM(silver_columns);
_Static_assert(SCHEMA_NELEM(silver_columns) == COL_N, "silver_columns[] and the COL_ enum differ");
_Static_assert(SCHEMA_NELEM(extra_paths) == S_NPATHS - (EK_PUBLIC + 1),
	       "extra_paths[] and the S_ enum differ");

static const char *const events_key[] = { "event_id", "created_at" };

/* The commits of PushEvents (written by gha-silver -C). */
static const struct schema_col commits_cols[] = {
	{ "sha", "text", "the commit's sha", 1 },
	{ "event_id", "bigint", "the PushEvent that listed it", 1 },
	{ "repo_id", "bigint", "the repo pushed to", 0 },
	{ "author_name", "text", "the commit author's name", 0 },
	{ "author_email", "text", "the commit author's email, as published", 0 },
	{ "message", "text", "the commit message", 0 },
	{ "distinct", "boolean", "whether the commit is new to the repo", 0 },
};
static const char *const commits_key[] = { "event_id", "sha" };

const struct schema_table schema_events = SCHEMA_TABLE("events",
	"one GitHub event, typed, from any era", silver_columns, events_key);
const struct schema_table schema_commits = SCHEMA_TABLE("commits",
	"one commit listed by a PushEvent", commits_cols, commits_key);
const struct schema_table *const silver_tables[] = { &schema_events, &schema_commits, NULL };

void
silver_paths(const char ***paths, int *n)
{
	static const char *all[S_NPATHS];
	int i;

	for (i = 0; i < event_nkeys; i++)
		all[i] = event_keys[i];
	for (i = 0; i < (int)(sizeof(extra_paths) / sizeof(extra_paths[0])); i++)
		all[event_nkeys + i] = extra_paths[i];
	*paths = all;
	*n = S_NPATHS;
}

int
silver_column(const char *name, size_t len)
{
	return schema_col_index(&schema_events, name, len);
}

/* ---- cells ---- */

static void
set(struct silver_row *r, int col, int kind, const char *p, size_t n)
{
	r->c[col].kind = kind;
	r->c[col].p = p;
	r->c[col].n = n;
}

/* The cell is scratch[off..end): a value built in the row's scratch
 * buffer (kept by offset, since the buffer may move as it grows). */
static void
set_span(struct silver_row *r, int col, int kind, size_t off, size_t end)
{
	r->c[col].kind = kind;
	r->c[col].off = off;
	r->c[col].n = end - off;
	r->c[col].p = NULL;
}

/* A computed value kept in the row's scratch buffer. */
static void
set_scratch(struct silver_row *r, int col, int kind, const char *p, size_t n)
{
	size_t off = r->scratch.len;

	buf_add(&r->scratch, p, n);
	set_span(r, col, kind, off, r->scratch.len);
}

static const struct jspan *
V(const struct jscan *js, int slot)
{
	const struct jspan *v = &js->val[slot];

	return v->type == J_NONE || v->type == J_NULL ? NULL : v;
}

/* The first present, non-null source. */
static const struct jspan *
pick(const struct jscan *js, int a, int b)
{
	const struct jspan *v = V(js, a);

	return v ? v : b >= 0 ? V(js, b) : NULL;
}

static void cell_str(struct silver_row *r, int col, const struct jspan *v);

/* repo_name (and repo_owner) from a string that names a repo: only
 * "owner/name" with both sides non-empty, else both stay NULL. */
static void
repo_name(struct silver_row *r, const struct jspan *v)
{
	const char *p = v->p + 1, *slash;
	size_t n = v->len - 2, off;

	if (!memchr(p, '\\', n)) {
		slash = memchr(p, '/', n);
		if (!slash || slash == p || slash == p + n - 1)
			return;
		cell_str(r, COL_REPO_NAME, v);
		set(r, COL_REPO_OWNER, CELL_JSTR, p, (size_t)(slash - p));
		return;
	}
	/* escaped ("own\/name"): split the decoded name, and keep the owner
	 * as a JSON string body again */
	r->tmp.len = 0;
	if (json_unescape(v, &r->tmp) || !(slash = memchr(r->tmp.p, '/', r->tmp.len)) ||
	    slash == r->tmp.p || slash == r->tmp.p + r->tmp.len - 1)
		return;
	cell_str(r, COL_REPO_NAME, v);
	off = r->scratch.len;
	json_addstr_lossy(&r->scratch, r->tmp.p, (size_t)(slash - r->tmp.p));
	set_span(r, COL_REPO_OWNER, CELL_JSTR, off + 1, r->scratch.len - 1);
}

/* Integers: a JSON integer or a string of digits, in the range of the
 * column's type (integer or bigint); anything else NULL, so that one odd
 * record cannot make PostgreSQL refuse a whole COPY. */
static void
cell_int(struct silver_row *r, int col, const struct jspan *v)
{
	const char *p;
	size_t n, i, neg;
	uint64_t x = 0, max;

	if (!v || (v->type != J_NUMBER && v->type != J_STRING))
		return;
	p = v->p;
	n = v->len;
	if (v->type == J_STRING) {
		p++;
		n -= 2;
	}
	neg = p[0] == '-' && v->type == J_NUMBER;
	max = silver_columns[col].type[0] == 'i' ? (uint64_t)INT32_MAX : (uint64_t)INT64_MAX;
	max += neg;
	if (n == neg)
		return;
	for (i = neg; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return;
		if (x > (max - (uint64_t)(p[i] - '0')) / 10)
			return;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	set(r, col, CELL_RAW, p, n);
}

static void
cell_str(struct silver_row *r, int col, const struct jspan *v)
{
	if (v && v->type == J_STRING)
		set(r, col, CELL_JSTR, v->p + 1, v->len - 2);
}

static void
cell_bool(struct silver_row *r, int col, const struct jspan *v)
{
	if (v && v->type == J_TRUE)
		set(r, col, CELL_RAW, "t", 1);
	else if (v && v->type == J_FALSE)
		set(r, col, CELL_RAW, "f", 1);
}

static void
cell_ts(struct silver_row *r, int col, const struct jspan *v)
{
	int64_t t;
	char out[32];

	if (!v || v->type != J_STRING || ts_parse(v->p + 1, v->len - 2, &t))
		return;
	ts_format(t, out);
	set_scratch(r, col, CELL_RAW, out, strlen(out));
}

int64_t
silver_event_id(const struct event *ev, const struct jscan *js)
{
	const struct jspan *id = V(js, EK_ID);

	if (ev->has_id && id) {
		const char *p = id->p + (id->type == J_STRING);
		size_t n = id->len - (id->type == J_STRING ? 2 : 0), i;
		uint64_t v = 0;

		for (i = 0; i < n; i++)
			v = v * 10 + (uint64_t)(p[i] - '0');
		return (int64_t)(v & INT64_MAX);
	}
	/* Timeline events have no id: a negative one from the record's
	 * 128-bit hash, so it never meets a real (positive) id */
	return -(int64_t)(ev->key.lo >> 1) - 1;
}

struct silver_row *
silver_row_new(void)
{
	struct silver_row *r = xcalloc(1, sizeof(*r));

	buf_init(&r->scratch);
	buf_init(&r->tmp);
	return r;
}

void
silver_row_free(struct silver_row *r)
{
	if (!r)
		return;
	buf_free(&r->scratch);
	buf_free(&r->tmp);
	free(r);
}

void
silver_build(struct silver_row *r, const struct jscan *js, const struct event *ev,
	     const struct botlist *bots)
{
	const struct jspan *v, *w;
	char tmp[64];
	int push = json_streq(&ev->type, "PushEvent");
	int i;

	for (i = 0; i < silver_ncols; i++)
		r->c[i].kind = CELL_NULL;
	r->scratch.len = 0;

	r->event_id = silver_event_id(ev, js);
	set_scratch(r, COL_EVENT_ID, CELL_RAW, tmp, fmt_i64(tmp, r->event_id));
	set(r, COL_EVENT_TYPE, CELL_JSTR, ev->type.p + 1, ev->type.len - 2);
	/* events come in time order: most share the previous one's second */
	if (ev->created != r->last_created || !r->have_last) {
		ts_format(ev->created, r->created_s);
		hour_format(ev->created, r->hour_s);
		r->last_created = ev->created;
		r->have_last = 1;
	}
	set(r, COL_CREATED_AT, CELL_RAW, r->created_s, strlen(r->created_s));
	set(r, COL_HOUR, CELL_RAW, r->hour_s, strlen(r->hour_s));
	set(r, COL_ERA, CELL_RAW, era_names[ev->era], strlen(era_names[ev->era]));

	cell_int(r, COL_ACTOR_ID, V(js, S_ACTOR_ID));
	v = V(js, S_ACTOR_LOGIN);
	if (!v && (w = V(js, EK_ACTOR)) && w->type == J_STRING)
		v = w;	/* Timeline: actor is the login */
	cell_str(r, COL_ACTOR_LOGIN, v);
	if (r->c[COL_ACTOR_LOGIN].kind != CELL_NULL) {
		int bot;

		if (memchr(v->p + 1, '\\', v->len - 2)) {
			r->tmp.len = 0;
			json_unescape(v, &r->tmp);
			bot = botlist_match(bots, r->tmp.p, r->tmp.len);
		} else {
			bot = botlist_match(bots, v->p + 1, v->len - 2);
		}
		set(r, COL_IS_BOT, CELL_RAW, bot ? "t" : "f", 1);
	}

	cell_int(r, COL_REPO_ID, pick(js, S_REPO_ID, S_RY_ID));
	/* A repo_name is owner/name or NULL, never with an empty side (made
	 * up). The 2011 archive writes "/" for some repos; a push there
	 * still says which in payload.repo. Timeline records may have an
	 * empty owner. repo_owner: repo_name's owner, else the Timeline's. */
	if ((v = V(js, S_REPO_NAME)) && v->type == J_STRING) {
		if (!json_streq(v, "/"))
			repo_name(r, v);
		else if ((w = V(js, S_PAYLOAD_REPO)) && w->type == J_STRING)
			repo_name(r, w);
	} else if ((v = V(js, S_RY_OWNER)) && v->type == J_STRING && (w = V(js, S_RY_NAME)) &&
		   w->type == J_STRING && v->len > 2 && w->len > 2) {
		/* Timeline: owner and name apart; raw JSON bodies, decoded on output */
		size_t off = r->scratch.len;

		buf_add(&r->scratch, v->p + 1, v->len - 2);
		buf_addc(&r->scratch, '/');
		buf_add(&r->scratch, w->p + 1, w->len - 2);
		set_span(r, COL_REPO_NAME, CELL_JSTR, off, r->scratch.len);
		cell_str(r, COL_REPO_OWNER, v);
	} else if ((v = V(js, S_RY_OWNER)) && v->type == J_STRING && v->len > 2) {
		cell_str(r, COL_REPO_OWNER, v);
	}

	cell_int(r, COL_ORG_ID, V(js, S_ORG_ID));
	cell_str(r, COL_ORG_LOGIN, pick(js, S_ORG_LOGIN, S_RY_ORG));
	cell_bool(r, COL_PUBLIC, V(js, EK_PUBLIC));

	cell_str(r, COL_ACTION, V(js, S_ACTION));
	cell_str(r, COL_REF, pick(js, S_REF, S_OBJECT_NAME));
	cell_str(r, COL_REF_TYPE, pick(js, S_REF_TYPE, S_OBJECT));
	if (push) {
		cell_int(r, COL_PUSH_ID, V(js, S_PUSH_ID));
		cell_int(r, COL_PUSH_SIZE, V(js, S_SIZE));
		cell_int(r, COL_PUSH_DISTINCT_SIZE, V(js, S_DISTINCT_SIZE));
		/* the commits listed (at most 20 in the Events API); NULL when
		 * the payload lists none, as since 2025-10-07 */
		v = pick(js, S_COMMITS, S_SHAS);
		if (v && v->type == J_ARRAY) {
			size_t k = fmt_i64(tmp, (int64_t)v->count);

			set_scratch(r, COL_COMMIT_COUNT, CELL_RAW, tmp, k);
		}
	}
	cell_str(r, COL_HEAD, V(js, S_HEAD));
	cell_str(r, COL_BEFORE, V(js, S_BEFORE));
	v = V(js, S_NUMBER);
	if (!v)
		v = pick(js, S_ISSUE_NUMBER, S_PR_NUMBER);
	cell_int(r, COL_NUMBER, v);
	v = V(js, S_ISSUE_ID);
	if (!v && (w = V(js, S_ISSUE)) && w->type == J_NUMBER)
		v = w;	/* 2011 and Timeline: the issue is its id */
	if (!v)
		v = V(js, S_ISSUE_ID_TL);
	cell_int(r, COL_ISSUE_ID, v);
	cell_int(r, COL_PR_ID, V(js, S_PR_ID));
	cell_int(r, COL_COMMENT_ID, pick(js, S_COMMENT_ID, S_COMMENT_ID_TL));
	cell_str(r, COL_TITLE, pick(js, S_PR_TITLE, S_ISSUE_TITLE));
	cell_str(r, COL_STATE, pick(js, S_PR_STATE, S_ISSUE_STATE));
	cell_bool(r, COL_MERGED, V(js, S_PR_MERGED));
	cell_ts(r, COL_MERGED_AT, V(js, S_PR_MERGED_AT));
	cell_int(r, COL_ADDITIONS, V(js, S_PR_ADDITIONS));
	cell_int(r, COL_DELETIONS, V(js, S_PR_DELETIONS));
	cell_int(r, COL_CHANGED_FILES, V(js, S_PR_CHANGED_FILES));
	cell_ts(r, COL_PR_CREATED_AT, V(js, S_PR_CREATED_AT));
	cell_ts(r, COL_PR_CLOSED_AT, V(js, S_PR_CLOSED_AT));
	cell_str(r, COL_REVIEW_STATE, V(js, S_REVIEW_STATE));
	/* the actor's own association: review, comment, then the PR or issue */
	v = pick(js, S_REVIEW_AA, S_COMMENT_AA);
	if (!v)
		v = pick(js, S_PR_AA, S_ISSUE_AA);
	cell_str(r, COL_AUTHOR_ASSOCIATION, v);
	cell_str(r, COL_LANGUAGE, pick(js, S_PR_BASE_LANG, S_RY_LANGUAGE));
	cell_str(r, COL_RELEASE_TAG, V(js, S_RELEASE_TAG));
	v = V(js, S_MEMBER_LOGIN);
	if (!v && (w = V(js, S_MEMBER)) && w->type == J_STRING)
		v = w;	/* 2011: the member is the login */
	cell_str(r, COL_MEMBER_LOGIN, v);
	v = V(js, S_FORKEE_ID);
	if (!v && (w = V(js, S_FORKEE)) && w->type == J_NUMBER)
		v = w;	/* 2011: the forkee is the repo id */
	cell_int(r, COL_FORKEE_REPO_ID, v);
	cell_str(r, COL_FORKEE_NAME, V(js, S_FORKEE_NAME));
}

int
silver_cell_kind(const struct silver_row *r, int col)
{
	return r->c[col].kind;
}

int64_t
silver_row_id(const struct silver_row *r)
{
	return r->event_id;
}

const char *
silver_cell(const struct silver_row *r, int col, size_t *n)
{
	const struct silver_cell *c = &r->c[col];

	*n = c->n;
	return c->p ? c->p : r->scratch.p + c->off;
}

int
silver_write(struct tsv *t, const struct silver_row *r, const int *cols, int ncols)
{
	int i;

	for (i = 0; i < ncols; i++) {
		const struct silver_cell *c = &r->c[cols[i]];
		size_t n;
		const char *p = silver_cell(r, cols[i], &n);

		switch (c->kind) {
		case CELL_NULL: tsv_null(t); break;
		case CELL_RAW: tsv_raw(t, p, n); break;
		default: tsv_jstr(t, p, n); break;
		}
	}
	return tsv_end(t);
}

const struct jspan *
silver_commits(const struct jscan *js)
{
	return pick(js, S_COMMITS, S_SHAS);
}

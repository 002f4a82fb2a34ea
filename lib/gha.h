/* gha.h: the one public header of libgha, the plumbing shared by the tools. */
#ifndef GHA_H
#define GHA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define GHA_VERSION "0.1.0"

/* Exit statuses, sysexits-style; every man page repeats this table. */
enum gha_exit {
	GHA_OK = 0,		/* success */
	GHA_PARTIAL = 1,	/* done, but some input rejected beyond tolerance */
	GHA_USAGE = 64,		/* bad command line */
	GHA_DATAERR = 65,	/* input is not what it must be */
	GHA_NOINPUT = 66,	/* an input file cannot be opened */
	GHA_UNAVAILABLE = 69,	/* a service or library is unavailable */
	GHA_IOERR = 74,		/* read or write error */
	GHA_TEMPFAIL = 75	/* temporary failure: retrying may succeed */
};

/* Rank exit codes by severity, so "the worst of all files" is one max(). */
int gha_exit_worse(int a, int b);

/* err.c: messages "gha-NAME: ..." on stderr. A format ending in ':'
 * appends strerror(errno). */
extern const char *gha_progname;
void gha_setprog(const char *argv0);
void gha_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An error filled by library code; main decides what to do with it. */
struct gha_err {
	int code;		/* an enum gha_exit value, 0 when none */
	char msg[256];
};
int gha_seterr(struct gha_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* xalloc.c: allocation that aborts with a message when memory runs out. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* fshut.c: flush and check a stream at exit; returns an exit code. EPIPE
 * counts as success: the reader went away, as with head(1). */
int fshut(FILE *fp, const char *name);

/* buf.c: a growable byte buffer. */
struct buf {
	char *p;
	size_t len, cap;
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* jsonout.c: writing JSON text. */
void json_addstr(struct buf *b, const char *s, size_t n); /* quoted; s must be valid UTF-8 */
void json_addstr_lossy(struct buf *b, const char *s, size_t n);	/* bad bytes -> U+FFFD */
void base64_add(struct buf *b, const unsigned char *s, size_t n);

/* utf8.c */
int utf8_valid(const unsigned char *s, size_t n); /* 1 when valid UTF-8 */

/* lineread.c: a streaming line reader over gzip (detected by its magic
 * bytes, not its name) or plain input. Lines may be any length; a missing
 * final newline is fine; a trailing CR is removed (and reported in
 * line.crlf). On a truncated or corrupt gzip stream every complete line
 * is delivered first; then lr_next returns -1 with the damage and its
 * compressed byte offset in err. */
struct line {
	const char *p;		/* not NUL-terminated; valid until the next call */
	size_t len;
	uint64_t lineno;	/* 1-based */
	uint64_t offset;	/* byte offset of the line in the uncompressed stream */
	int crlf;		/* the line ended in CR LF */
	int partial;		/* last line of a damaged stream: may be cut short */
};
struct lineread;
/* path NULL or "-" reads stdin; returns NULL with err filled (66 or 74). */
struct lineread *lr_open(const char *path, struct gha_err *err);
/* 1: a line; 0: end of input; -1: error in err (65 damaged gzip, 74 read). */
int lr_next(struct lineread *lr, struct line *ln, struct gha_err *err);
int lr_is_gzip(const struct lineread *lr);
uint64_t lr_bytes_in(const struct lineread *lr);	/* compressed bytes read */
uint64_t lr_bytes_out(const struct lineread *lr);	/* uncompressed bytes delivered */
void lr_close(struct lineread *lr);

/* json.c: a strict RFC 8259 validator that also notes where the members
 * of the top-level object sit, so callers need not parse twice. */
enum jtype { J_NONE, J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };
struct jspan {
	enum jtype type;
	const char *p;		/* the value's text; for strings, with the quotes */
	size_t len;
	size_t count;		/* arrays captured by json_scan: their elements */
};
/* Members callers ask for by dotted path ("id", "payload.pull_request.id"),
 * captured in the same validating pass. Paths go through objects only,
 * never into arrays. */
#define JSCAN_MAXPATHS 128
struct jnode;
struct jscan {
	struct jspan *val;			/* one per path, filled by json_scan */
	int npaths;
	int dupkey;				/* a captured member appeared twice */
	/* error position and reason when json_scan fails */
	size_t errpos;
	const char *errmsg;
	/* private */
	struct jnode *nodes;
	int nnodes;
	int *kids;				/* children of each node, grouped */
	unsigned char *stack;			/* container per depth */
	int *node, *pend;			/* path node, pending capture per depth */
	size_t stackcap;
};
void jscan_init(struct jscan *js, const char *const *paths, int npaths);
void jscan_free(struct jscan *js);
/* Validate one JSON text in s[0..n). Returns n when the text is valid and
 * fills s (the value itself is s[*vstart..*vend), whitespace around it
 * excluded), or -1 with errpos/errmsg. With allow_trailing, more may
 * follow: returns the offset of the first non-blank byte after the value. */
long json_scan(struct jscan *js, const char *s, size_t n, int allow_trailing, size_t *vstart, size_t *vend);
/* Append valid JSON text without the whitespace between its tokens. */
void json_compact(const char *p, size_t n, struct buf *b);
/* Find a member of an object span (already validated). */
int json_member(const struct jspan *obj, const char *key, struct jspan *out);
/* Decode a string span into b (no quotes). Returns -1 on bad escapes. */
int json_unescape(const struct jspan *s, struct buf *b);
int json_unescape_body(const char *p, size_t n, struct buf *b);	/* appends */
/* The same, but \u0000 becomes U+FFFD: text that C strings or PostgreSQL
 * text must hold (entity names). */
int json_unescape_text(const char *p, size_t n, struct buf *b);
/* Iterate the elements of an array span: *cur starts NULL; 1 while one
 * is returned in elem. */
int json_array_next(const struct jspan *arr, const char **cur, struct jspan *elem);
/* Compare a string span with a plain C string, no escapes considered. */
int json_streq(const struct jspan *s, const char *lit);

/* hash.c: a 128-bit non-cryptographic hash for dedupe keys. */
struct h128 {
	uint64_t lo, hi;
};
struct h128 hash128(const void *p, size_t n, uint64_t seed);

/* dedupe.c: a set of 128-bit keys, 16 bytes each, grown by doubling. */
struct dedupe {
	struct h128 *slot;
	size_t cap, n;
};
void dedupe_init(struct dedupe *d);
void dedupe_free(struct dedupe *d);
/* 1 when key was new (and is now in), 0 when it was already there.
 * The all-zero key stands for an empty slot and is stored as {1, 0}. */
int dedupe_add(struct dedupe *d, struct h128 key);

/* timefmt.c: RFC 3339 timestamps as GitHub writes them. */
/* Decimal digits of v into out (room for 21); returns the length. */
size_t fmt_i64(char *out, int64_t v);
/* Parse "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" to UTC seconds.
 * Returns 0, or -1 when malformed or out of range. */
int ts_parse(const char *s, size_t n, int64_t *utc);
/* Write "YYYY-MM-DDTHH:MM:SSZ" (21 bytes incl. NUL; room for 32) */
void ts_format(int64_t utc, char out[32]);
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* hour.c: GH Archive hours "YYYY-MM-DD-H", hour not zero-padded. An
 * hour is kept as UTC seconds at its start. */
int hour_parse(const char *s, int64_t *t);	/* 0, or -1 */
/* Also accepts "YYYY-MM-DDTHH" and a whole day "YYYY-MM-DD" (first,
 * last hour of the day in *lo, *hi). */
int hour_parse_range(const char *s, int64_t *lo, int64_t *hi);
void hour_format(int64_t t, char out[32]);	/* "2015-01-01-0" */
int64_t hour_of(int64_t utc);			/* start of the hour holding utc */
#define HOUR_SECS 3600

/* tsv.c: PostgreSQL COPY text format writer. */
struct tsv {
	FILE *fp;
	int ncols, col;
	struct buf row;
};
void tsv_init(struct tsv *t, FILE *fp, int ncols);
void tsv_free(struct tsv *t);
int tsv_header(struct tsv *t, const char *const *names);
void tsv_str(struct tsv *t, const char *s, size_t n);	/* escapes \t \n \r \\ */
void tsv_cstr(struct tsv *t, const char *s);		/* NULL s writes \N */
void tsv_null(struct tsv *t);
void tsv_raw(struct tsv *t, const char *s, size_t n);	/* written as is */
/* The body of a JSON string (no quotes), escapes decoded, TSV-escaped;
 * \u0000, which PostgreSQL text cannot hold, becomes U+FFFD. */
void tsv_jstr(struct tsv *t, const char *s, size_t n);
void tsv_int(struct tsv *t, int64_t v);
void tsv_bool(struct tsv *t, int v);			/* t / f */
int tsv_end(struct tsv *t);				/* 0, or -1 on write error */

/* mkdirs.c: mkdir -p PATH; an error when some part is not a directory */
int mkdirs(const char *path, struct gha_err *err);

/* outfile.c: write to NAME.tmp, then rename into place on commit, so a
 * failed run never leaves a plausible-looking partial file. Devices and
 * FIFOs are written in place. */
struct outfile {
	FILE *fp;
	char *path, *tmp;
	int direct;	/* a device or FIFO, written in place */
};
int outfile_open(struct outfile *o, const char *path, struct gha_err *err);
int outfile_commit(struct outfile *o, struct gha_err *err);	/* close + rename */
void outfile_abort(struct outfile *o);				/* close + unlink */
int outfile_distinct(const char *const *paths, int n, struct gha_err *err);	/* -1 on a repeat */

/* event.c: what makes a JSON object a GitHub event, era by era. */
enum era { ERA_NONE, ERA_ARCHIVE2011, ERA_TIMELINE, ERA_EVENTS, ERA_TRIMMED };
extern const char *const era_names[];
/* The top-level members event_check needs, in this order; pass to jscan_init. */
extern const char *const event_keys[];
extern const int event_nkeys;
enum { EK_ID, EK_TYPE, EK_CREATED_AT, EK_ACTOR, EK_REPO, EK_REPOSITORY, EK_PAYLOAD, EK_ORG, EK_PUBLIC };
struct event {
	enum era era;
	int64_t created;		/* UTC seconds */
	struct jspan type;		/* the type string, quotes included */
	struct h128 key;		/* dedupe key: (id, created_at), or the bytes */
	int has_id;
};
/* 0 when js (from a successful json_scan of text[0..n)) holds an event;
 * else -1 with *code (a short stable word) and *why (a sentence). */
int event_check(const struct jscan *js, const char *text, size_t n, struct event *ev,
		const char **code, const char **why);

/* counter.c: counts by name, for stats; at most COUNTER_MAX distinct
 * names, later ones fold into "(other)". Sorted output. */
#define COUNTER_MAX 1000
struct counter {
	struct cnt { char *name; uint64_t n; } *v;
	size_t len, cap;
};
void counter_init(struct counter *c);
void counter_free(struct counter *c);
void counter_add(struct counter *c, const char *name, size_t len, uint64_t n);
void counter_json(const struct counter *c, struct buf *b);	/* {"a":1,...} sorted by name */

/* quarantine.c: rejected records as NDJSON, one per line:
 * {"file","line","offset","code","reason","raw" or "raw_base64"}. */
struct quarantine {
	FILE *fp;		/* NULL: count only */
	struct counter bycode;
	uint64_t n;
	struct buf line;
};
void quarantine_init(struct quarantine *q, FILE *fp);
void quarantine_free(struct quarantine *q);
int quarantine_add(struct quarantine *q, const char *file, uint64_t lineno, uint64_t offset,
		   const char *code, const char *reason, const char *raw, size_t len);

/* jqfilter.c: a libjq program as a record predicate. */
struct jqfilter;
struct jqfilter *jqfilter_new(const char *prog, struct gha_err *err);
/* 1 when the first output is truthy, 0 when false/null/none, -1 on a
 * jq error (message in err). */
int jqfilter_match(struct jqfilter *f, const char *text, size_t n, struct gha_err *err);
void jqfilter_free(struct jqfilter *f);

/* ingest.c: the validating read loop gha-bronze and gha-silver share:
 * lines from files, records split at }{, JSON and era checks, the
 * quarantine, (id, created_at) dedupe. Each valid, new event goes to
 * on_event, which returns 1 when it kept the event and 0 when it
 * filtered it out. */
struct ingest {
	struct jscan js;	/* its first paths are event_keys */
	struct dedupe seen;
	struct quarantine *q;
	int dedupe, quiet;
	int (*on_event)(void *ctx, const struct line *ln, const char *p, size_t n,
			const struct event *ev);
	void *ctx;
	int stop;		/* set by on_event to end the run (a write error) */
	int qerr;		/* the quarantine could not be written */
	uint64_t in, out, dups, filtered, blank, warned;
	uint64_t bytes_in, bytes_raw;
	struct buf files;	/* per-file stats, JSON array members */
	/* the file being read */
	const char *name;
	uint64_t f_in, f_out, f_rej, f_dups, f_filtered, f_blank;
	/* a JSON document spread over lines (a REST API response), gathered */
	struct buf acc, tmp;
	int acc_on, acc_crlf, acc_off, acc_instr, acc_esc, acc_indented, acc_col0;
	long acc_depth;
	struct line acc_ln;		/* its first line */
	size_t acc_first;		/* bytes of the first line, CR included */
	char acc_why[160];
	const char *acc_code;
};
/* paths: event_keys first, then the caller's own (NULL: just event_keys) */
void ingest_init(struct ingest *g, struct quarantine *q, const char *const *paths, int npaths);
void ingest_free(struct ingest *g);
/* Read one file (NULL or "-": stdin); returns an exit code for it. */
int ingest_file(struct ingest *g, const char *path);
/* The run's counts as JSON members ("records_in":..,), for --stats. */
void ingest_stats_json(const struct ingest *g, struct buf *b);

/* bots.c: which logins are bots. Patterns are globs ('*', '?'),
 * case-insensitive; the defaults are "*[bot]" and "*-bot". */
struct botlist {
	char **pat;
	size_t n;
};
void botlist_init(struct botlist *b);	/* the defaults */
void botlist_free(struct botlist *b);
/* One pattern a line; '#' starts a comment. 0, or -1 with err. */
int botlist_load(struct botlist *b, const char *path, struct gha_err *err);
int botlist_match(const struct botlist *b, const char *login, size_t n);
int glob_match(const char *pat, const char *s, size_t n);	/* case-insensitive */

/* silver.c: the events table. */
struct silver_column {
	const char *name, *type;	/* type: a PostgreSQL type */
};
extern const struct silver_column silver_columns[];
extern const int silver_ncols;
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
void silver_paths(const char ***paths, int *n);	/* for ingest_init */
int silver_column(const char *name, size_t len);	/* index, or -1 */
int64_t silver_event_id(const struct event *ev, const struct jscan *js);
void silver_row_init(struct silver_row *r);
void silver_row_free(struct silver_row *r);
void silver_build(struct silver_row *r, const struct jscan *js, const struct event *ev,
		  const struct botlist *bots);
const char *silver_cell(const struct silver_row *r, int col, size_t *n);
int silver_write(struct tsv *t, const struct silver_row *r, const int *cols, int ncols);
const struct jspan *silver_commits(const struct jscan *js);	/* payload.commits or .shas */

/* entity.c: actors, repos, orgs; entmerge.c: merging their tables. */
enum ent_kind { ENT_ACTORS, ENT_REPOS, ENT_ORGS };
struct entity {
	int64_t id;
	int has_id, is_bot;
	char *name, *owner, *language;	/* name: login, or owner/name */
	int64_t lang_at, first, last, events;
	char **names;			/* repos: every name seen */
	size_t nnames;
};
struct entset {
	enum ent_kind kind;
	struct entity *v;
	size_t n, vcap;
	int64_t *slot;			/* hash slots: index in v, or -1 */
	size_t cap;
};
/* One observation: an event's, or a row of an entity table being merged. */
struct ent_obs {
	int has_id, is_bot;
	int64_t id, first, last, events, lang_at;
	const char *name, *owner, *language;
	size_t namelen, ownerlen, langlen;
	char **prev;			/* repos: earlier names */
	size_t nprev;
};
const char *const *ent_columns(enum ent_kind k, int *n);
void entset_init(struct entset *s, enum ent_kind kind);
void entset_free(struct entset *s);
void entset_add(struct entset *s, const struct ent_obs *o);
int entset_write(struct entset *s, FILE *fp);	/* sorted: by id, then name */
/* Add every row of an entity table (kind from its header; *kind is set
 * by the first file and must match after). Returns an exit code. */
int entset_merge_file(struct entset *s, int *kind_set, const char *path);
/* COPY text format field decoding: 0, or -1 on a bad escape. */
int copy_unescape(const char *s, size_t n, struct buf *out);

/* report.c */
int parse_rate(const char *s, double *rate);	/* "0.001" or "0.1%" */
int write_atomic(const char *path, const char *data, size_t n, struct gha_err *err);
/* Warn about rejects; GHA_PARTIAL when over maxrate and ret was OK. */
int finish_run(const struct ingest *g, double maxrate, int ret, int quiet, const char *rejpath);
/* Commit the quarantine file (if any); an exit code. */
int commit_rejects(const struct ingest *g, struct outfile *rej, const char *rejpath);

/* sha256.c */
struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t n;
};
void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_hex(struct sha256 *s, char out[65]);	/* finishes s */

/* gzhdr.c: a gzip member header, fed in pieces. */
struct gzhdr {
	int state;
	unsigned flg, hcrc;
	size_t got, need, xlen;
	unsigned long crc;
	unsigned char fixed[10];
};
void gzhdr_init(struct gzhdr *h);
/* Consume header bytes from p; returns how many, or -1 with *why. */
long gzhdr_feed(struct gzhdr *h, const unsigned char *p, size_t n, const char **why);
int gzhdr_done(const struct gzhdr *h);

/* gzverify.c: is it complete, intact gzip data (every member's CRC and
 * length)? Fed as bytes arrive; finish gives the SHA-256 of all the bytes
 * and the uncompressed size, or -1 with the damage and its offset. */
struct gzcheck {
	void *zs;		/* ISA-L inflate state */
	unsigned char *out;	/* scratch for inflated bytes */
	struct gzhdr hdr;
	struct sha256 sha;
	int state;
	uint64_t in, usize;
	char why[200];
};
void gzcheck_init(struct gzcheck *g);
void gzcheck_reset(struct gzcheck *g);		/* start over, keep the buffers */
int gzcheck_feed(struct gzcheck *g, const void *p, size_t n);	/* -1 once bad */
int gzcheck_finish(struct gzcheck *g, char sha[65], uint64_t *usize, struct gha_err *err);
void gzcheck_free(struct gzcheck *g);
/* The same for a whole file. */
int gz_verify(const char *path, char sha[65], uint64_t *usize, struct gha_err *err);

/* missing.c: hours GH Archive does not have (404 upstream, known). */
int hour_known_missing(int64_t hour);

/* ledger.c: the fetch ledger, DIR/.gha-fetch.log: per attempt the fields
 * hour, time, status, http, bytes, sha256, attempt, etag, last_modified,
 * detail, tab-separated, "-" for none. */
struct ledger_rec {
	const char *hour, *status;
	long http;
	uint64_t bytes;
	int attempt;
	char sha256[65], etag[256], lastmod[64], detail[256];
};
int ledger_append(const char *dir, const struct ledger_rec *r, struct gha_err *err);
int ledger_last_ok(const char *dir, const char *hour, char etag[256], char lastmod[64]);

/* fetch.c: the gha-fetch transfer engine (libcurl multi). */
struct fetch_opts {
	const char *dir, *base, *cacert;
	long jobs, retries, connect_timeout, timeout, stall;
	int quiet, verbose, refresh, no_ledger;
	int mark_missing;	/* skip hours whose DIR/HOUR.missing names this base */
};
enum { FETCH_PENDING, FETCH_ACTIVE, FETCH_DONE };
enum fetch_result {
	FETCH_NONE, FETCH_OK, FETCH_PRESENT, FETCH_NOTMOD, FETCH_MISSING, FETCH_KNOWN,
	FETCH_MARKED,	/* recorded missing against this base URL: not asked again */
	FETCH_TEMP, FETCH_CORRUPT, FETCH_HTTP, FETCH_LIBCURL, FETCH_LOCAL
};
/* One hour of the range: a few bytes, whatever the range's length. The
 * transfer state (paths, libcurl handle, gzip check buffers) lives in
 * fetch.c, for at most o->jobs hours at a time. */
struct fetch_hour {
	int64_t hour;
	double next_at;		/* a retry waits until then */
	int lockfd;		/* DIR/.locks/HOUR, held until done */
	short attempts;		/* requests made */
	unsigned char state, result;
};
char *joinpath(const char *dir, const char *a, const char *b);	/* dir/a b, malloc'd */
void redact(const char *url, char *out, size_t n);	/* hides user:password@ */
void fetch_hours_init(struct fetch_hour *h, size_t n, int64_t first);
void fetch_hours_free(struct fetch_hour *h, size_t n);	/* releases locks */
/* Run every hour to a result; curl_global_init must have been called.
 * 0, or -1 when libcurl cannot start (the hours keep FETCH_NONE). */
int fetch_run(const struct fetch_opts *o, struct fetch_hour *hours, size_t n);

#endif

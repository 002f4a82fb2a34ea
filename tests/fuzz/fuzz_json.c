/* fuzz_json.c: one line as gha-silver reads it: the validating JSON scan
 * with the event and silver paths, records run together as }{, the event
 * checks, the events row built and written as COPY text, the commits
 * list walked, every captured string unescaped, the value compacted.
 * Everything is set up once; an input costs a scan and a row. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gha.h"
#include "bots.h"
#include "event.h"
#include "json.h"
#include "silver.h"
#include "tsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct jscan js;
static struct silver_row *row;
static struct botlist bots;
static struct tsv out;
static struct buf tmp;
static int cols[COL_N];
static char outbuf[1 << 20];
static FILE *outfp;

static void
setup(void)
{
	const char **paths;
	int n, i;

	silver_paths(&paths, &n);
	jscan_init(&js, paths, n);
	row = silver_row_new();
	botlist_init(&bots);
	buf_init(&tmp);
	for (i = 0; i < COL_N; i++)
		cols[i] = i;
	/* rows go to memory; a row too long for it is a write error, fine */
	outfp = fmemopen(outbuf, sizeof(outbuf), "w");
	tsv_init(&out, outfp, COL_N);
}

static void
commits(const struct jspan *list)
{
	const char *cur = NULL;
	struct jspan c, v;

	while (json_array_next(list, &cur, &c)) {
		if (c.type == J_OBJECT) {
			if (json_member(&c, "sha", &v) && v.type == J_STRING)
				json_unescape(&v, &tmp);
			if (json_member(&c, "author", &v) && v.type == J_OBJECT &&
			    json_member(&v, "email", &v) && v.type == J_STRING)
				json_unescape_text(v.p + 1, v.len - 2, &tmp);
		} else if (c.type == J_ARRAY) {
			const char *ac = NULL;

			while (json_array_next(&c, &ac, &v))
				if (v.type == J_STRING)
					tsv_jstr(&out, v.p + 1, v.len - 2);
		}
	}
	out.row.len = 0;
	out.col = 0;
}

static void
record(const char *p, size_t n)
{
	struct event ev;
	const char *code, *why;
	const struct jspan *list;
	int i;

	tmp.len = 0;
	json_compact(p, n, &tmp);
	if (p[0] != '{' || event_check(&js, p, n, &ev, &code, &why))
		return;
	for (i = 0; i < js.npaths; i++)
		if (js.val[i].type == J_STRING) {
			tmp.len = 0;
			json_unescape(&js.val[i], &tmp);
		}
	(void)silver_event_id(&ev, &js);
	silver_build(row, &js, &ev, &bots);
	rewind(outfp);
	clearerr(outfp);
	silver_write(&out, row, cols, COL_N);
	if (json_streq(&ev.type, "PushEvent") && (list = silver_commits(&js)))
		commits(list);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const char *p = (const char *)data;
	size_t off = 0;

	if (!ready) {
		setup();
		ready = 1;
	}
	/* as ingest's do_line: values one after another while they run
	 * together as }{ */
	while (off < size) {
		size_t vs, ve;
		long r = json_scan(&js, p + off, size - off, 1, &vs, &ve);

		if (r < 0)
			break;
		record(p + off + vs, ve - vs);
		if ((size_t)r == size - off || p[off + vs] != '{' || p[off + (size_t)r] != '{')
			break;
		off += (size_t)r;
	}
	return 0;
}

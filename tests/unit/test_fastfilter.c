/* test_fastfilter.c: the fast filter path against libjq, in process.
 *
 * Every program here is compiled by jqfilter_new (libjq first, then the
 * fast recognizer); on every document, whenever the fast path decides,
 * its answer must be libjq's (jq_start/jq_next on the same text, first
 * output's truthiness; a jq error must never be decided fast). Documents:
 * every event of every real sample (tests/data/real, all eras; a sample
 * of them for the generated programs) and synthetic edge cases (escapes,
 * surrogates, NUL, exponents, big numbers, duplicates, deep nesting,
 * members that are not objects). Programs: hand-written ones (the README's
 * and man pages' among them) and thousands generated from the subset's
 * grammar with literals drawn from the data. Then the fallbacks that must
 * be chosen: programs outside the subset, records jq reads differently.
 *
 *   FASTFILTER_GEN=N   generated programs (default 3000; 600 under ASan)
 *   FASTFILTER_SEED=N  their seed (default 13) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>

#include "gha.h"
#include "fastfilter.h"
#include "jqfilter.h"
#include "json.h"
#include "lineread.h"
#include "tap.h"

/* ---- documents ---- */
struct docs {
	char **p;
	size_t *n;
	jv *parsed;	/* libjq's reading, once */
	int count, real;
};

static void
add_doc(struct docs *d, const char *p, size_t n)
{
	d->p = xrealloc(d->p, ((size_t)d->count + 1) * sizeof(*d->p));
	d->n = xrealloc(d->n, ((size_t)d->count + 1) * sizeof(*d->n));
	d->p[d->count] = xmalloc(n + 1);
	memcpy(d->p[d->count], p, n);
	d->p[d->count][n] = '\0';
	d->n[d->count] = n;
	d->count++;
}

/* each object of a file: NDJSON lines (gzip or not), or one JSON text
 * (an array of events, or one event) */
static int
load_file(struct docs *d, const char *path)
{
	struct gha_err err;
	struct lineread *lr = lr_open(path, &err);
	struct line ln;
	struct buf all;
	struct jscan js;
	int r, lines = 0, before = d->count;
	size_t vs, ve;

	if (!lr)
		return -1;
	buf_init(&all);
	jscan_init(&js, NULL, 0);
	while ((r = lr_next(lr, &ln, &err)) > 0) {
		lines++;
		if (ln.len && ln.p[0] == '{' && json_scan(&js, ln.p, ln.len, 0, &vs, &ve) > 0)
			add_doc(d, ln.p + vs, ve - vs);
		buf_add(&all, ln.p, ln.len);
		buf_addc(&all, '\n');
	}
	lr_close(lr);
	if (d->count == before && all.len && json_scan(&js, all.p, all.len, 0, &vs, &ve) > 0) {
		struct jspan whole = { all.p[vs] == '[' ? J_ARRAY : J_OBJECT, all.p + vs, ve - vs, 0 };
		struct jspan el;
		const char *cur = NULL;
		struct buf c;

		buf_init(&c);
		if (whole.type == J_OBJECT) {
			json_compact(whole.p, whole.len, &c);
			add_doc(d, c.p, c.len);
		}
		while (whole.type == J_ARRAY && json_array_next(&whole, &cur, &el)) {
			c.len = 0;
			json_compact(el.p, el.len, &c);
			if (c.len && c.p[0] == '{')
				add_doc(d, c.p, c.len);
		}
		buf_free(&c);
	}
	jscan_free(&js);
	buf_free(&all);
	return d->count - before;
}

/* Edge cases, one object a line. */
static const char *const synthetic[] = {
	"{\"s\":\"PushEvent\",\"n\":1,\"a\":{\"b\":\"x\"}}",
	"{\"s\":\"P\\u0075shEvent\",\"n\":1.0,\"a\":{\"b\":null}}",
	"{\"s\":\"\\u00e9\",\"n\":1e0,\"a\":{\"b\":{\"c\":1}}}",
	"{\"s\":\"\xc3\xa9\",\"n\":10E-1,\"a\":null}",
	"{\"s\":\"a\\u0000b\",\"n\":-0,\"a\":\"str\"}",
	"{\"s\":\"\",\"n\":1e400,\"a\":[1,2]}",
	"{\"s\":\"\\ud83d\\ude00\",\"n\":-1e400,\"a\":{}}",
	"{\"s\":\"\xf0\x9f\x98\x80\",\"n\":-1e-400,\"a\":{\"b\":[]}}",
	"{\"s\":\"\\ud800\",\"n\":0}",
	"{\"s\":\"\\udc00x\",\"n\":0}",
	"{\"s\":\"x\",\"s\":\"y\"}",
	"{\"a\":{\"b\":1},\"a\":{\"c\":2}}",
	"{\"a\":{\"b\":1,\"b\":2}}",
	"{\"n\":100000000000000000001,\"m\":100000000000000000000}",
	"{\"n\":0.1,\"m\":0.30000000000000004}",
	"{\"n\":123456789012345678901234567890e-10,\"m\":12345678901234567890.123}",
	"{\"n\":9007199254740993,\"m\":9007199254740992}",
	"{\"s\":\"Z\",\"t\":\"a\",\"n\":-1}",
	"{\"s\":\"ABC\",\"t\":\"abc\",\"n\":true}",
	"{\"s\":\"AbC\\u0044\",\"t\":\"abcd\",\"n\":false}",
	"{\"s\":\"\\u00C9T\\u00c9\",\"t\":\"\\u00c9t\\u00c9\",\"n\":null}",
	"{\"type\":\"PushEvent\",\"repo\":{\"name\":\"torvalds/linux\"},\"public\":true}",
	"{\"type\":\"PushEvent\",\"repo\":{\"name\":\"Torvalds/Linux\"},\"public\":false}",
	"{\"type\":\"PushEvent\",\"repo\":null}",
	"{\"type\":\"PushEvent\",\"repo\":\"torvalds/linux\"}",
	"{\"type\":\"PushEvent\",\"repo\":7}",
	"{\"type\":null,\"actor\":\"login-string\"}",
	"{\"type\":true,\"actor\":{\"login\":\"dependabot[bot]\"}}",
	"{\"type\":false,\"actor\":{\"login\":\"Dependabot[bot]\"}}",
	"{\"type\":[\"PushEvent\"],\"actor\":{\"login\":[1]}}",
	"{\"type\":{\"x\":1},\"actor\":{\"login\":{\"a\":1}}}",
	"{\"\\u0074ype\":\"PushEvent\",\"re\\u0070o\":{\"name\":\"x/y\"}}",
	"{\"type\":\"Push\\\"Event\",\"s\":\"a\\\\b\"}",
	"{\"type\":\"line\\nbreak\",\"s\":\"tab\\there\",\"t\":\"\\/\"}",
	"{\"a\":{\"b\":{\"c\":{\"d\":\"deep\"}}}}",
	"{}",
	"{\"public\":0,\"payload\":{\"size\":0}}",
	"{\"public\":\"\",\"payload\":{\"size\":1e2}}",
	"{\"public\":null,\"payload\":{\"size\":-3.5}}",
	"{\"payload\":{\"size\":\"3\",\"action\":\"opened\"}}",
	"{\"payload\":[],\"s\":\"x\"}",
	"{ \"s\" : \"spaced\" , \"a\" : { \"b\" : 2 } }",
	"{\"s\":\"abcabc\",\"t\":\"bca\",\"n\":1.5}",
	"{\"s\":\"x\",\"id\":\"007\",\"created_at\":\"2015-01-01T15:00:00Z\"}",
};

/* nested d levels: {"a":[[...{"s":"x"}...]]} */
static void
add_deep(struct docs *d, int depth)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_adds(&b, "{\"s\":\"deep\",\"a\":");
	for (i = 0; i < depth; i++)
		buf_addc(&b, '[');
	for (i = 0; i < depth; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '}');
	add_doc(d, b.p, b.len);
	buf_free(&b);
}

/* ---- libjq, the reference ---- */
struct ref {
	jq_state *jq;
};

static int
ref_init(struct ref *r, const char *prog)
{
	r->jq = jq_init();
	jq_set_input_cb(r->jq, NULL, NULL);
	jq_set_debug_cb(r->jq, NULL, NULL);
	jq_set_attr(r->jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
	jq_set_attr(r->jq, jv_string("JQ_ORIGIN"), jv_string("."));
	return jq_compile(r->jq, prog) ? 0 : -1;
}

/* first output truthy: 1; falsy or none: 0; error or unparsable: -1 */
static int
ref_run(struct ref *r, jv doc)
{
	jv out;
	int res;

	if (!jv_is_valid(doc))
		return -1;
	jq_start(r->jq, jv_copy(doc), 0);
	out = jq_next(r->jq);
	if (jv_is_valid(out)) {
		jv_kind k = jv_get_kind(out);

		res = k != JV_KIND_FALSE && k != JV_KIND_NULL;
	} else {
		res = jv_invalid_has_msg(jv_copy(out)) ? -1 : 0;
	}
	jv_free(out);
	return res;
}

static void
ref_free(struct ref *r)
{
	jq_teardown(&r->jq);
}

/* ---- one program over documents ---- */
struct tally {
	long decided, fellback, agree, wrong, truths, compiled_fast, programs, refused;
	int shown;
};

static void check_strided(const char *prog, struct docs *d, int from, int count, int stride,
			  struct tally *t, int must_be_fast);

/* doc indices from, from + stride, ... (count of them, wrapping), or
 * every stride-th when count < 0 */
static void
check_program(const char *prog, struct docs *d, int from, int count, struct tally *t, int must_be_fast)
{
	check_strided(prog, d, from, count, 1, t, must_be_fast);
}

static void
check_strided(const char *prog, struct docs *d, int from, int count, int stride, struct tally *t,
	      int must_be_fast)
{
	struct gha_err err;
	struct jqfilter *jf;
	struct fastfilter *ff;
	struct jscan js;
	struct ref r;
	const char **paths;
	int *slots, i, k, np;

	t->programs++;
	memset(&err, 0, sizeof(err));
	jf = jqfilter_new(prog, &err);
	if (!jf) {
		printf("# libjq refused %s: %s\n", prog, err.msg);
		t->wrong++;
		return;
	}
	ff = jqfilter_fast(jf);
	if (!ff) {
		t->refused++;
		if (must_be_fast && t->shown++ < 10) {
			struct buf e;

			buf_init(&e);
			jqfilter_explain(jf, &e);
			printf("# not fast: %s: %s\n", prog, e.p);
			buf_free(&e);
		}
		if (must_be_fast)
			t->wrong++;
		jqfilter_free(jf);
		return;
	}
	t->compiled_fast++;
	np = fastfilter_npaths(ff);
	paths = xcalloc((size_t)np + 1, sizeof(*paths));
	slots = xcalloc((size_t)np + 1, sizeof(*slots));
	for (i = 0; i < np; i++) {
		paths[i] = fastfilter_path(ff, i);
		slots[i] = i;
	}
	jscan_init(&js, paths, np);
	fastfilter_bind(ff, slots);
	if (ref_init(&r, prog)) {
		printf("# reference compile failed: %s\n", prog);
		t->wrong++;
	}
	if (count < 0 || count > d->count) {
		from = 0;
		count = (d->count + stride - 1) / stride;
	}
	for (k = 0; k < count; k++) {
		int di = (from + k * stride) % d->count, fast, want;
		size_t vs, ve;

		if (json_scan(&js, d->p[di], d->n[di], 0, &vs, &ve) < 0) {
			printf("# scan failed on doc %d\n", di);
			t->wrong++;
			continue;
		}
		fast = fastfilter_eval(ff, &js, d->p[di], d->n[di]);
		if (fast < 0) {
			t->fellback++;
			continue;
		}
		t->decided++;
		want = ref_run(&r, d->parsed[di]);
		if (fast == want) {
			t->agree++;
			t->truths += fast;
		} else {
			t->wrong++;
			if (t->shown++ < 20)
				printf("# MISMATCH fast %d libjq %d: %s on %.300s\n", fast, want, prog,
				       d->p[di]);
		}
	}
	ref_free(&r);
	jscan_free(&js);
	free(paths);
	free(slots);
	jqfilter_free(jf);
}

/* ---- generated programs ---- */
static unsigned long long rng = 13;

static unsigned
rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static const char *const gpaths[] = {
	".type", ".repo.name", ".repo.id", ".actor", ".actor.login", ".actor.id",
	".payload.action", ".payload.size", ".payload.ref", ".public", ".id", ".created_at",
	".org", ".org.login", ".missing", ".payload.pull_request.merged",
	".payload.issue.number", ".repository.name", ".repository.owner", ".actor_attributes.login",
	".a", ".a.b", ".s", ".n", ".m", ".t", ".[\"repo\"][\"name\"]", ".\"type\"",
	"(.repo | .name)", ".payload.forkee.private", ".payload.commits", ".payload.head",
};
#define NGP ((unsigned)(sizeof(gpaths) / sizeof(gpaths[0])))
static const char *const glits[] = {
	"null", "true", "false", "0", "1", "1.0", "-1", "1e3", "1E+2", "0.1", "2.5e-3",
	"12345678901234567890", "100000000000000000001", "-0", "9007199254740993", "1e400",
	"\"PushEvent\"", "\"WatchEvent\"", "\"opened\"", "\"torvalds/linux\"", "\"\"", "\"a\"",
	"\"\xc3\xa9\"", "\"\\u00e9\"", "\"P\\u0075shEvent\"", "\"refs/heads/master\"",
	"\"2015-01-01T15:00:00Z\"", "\"x\"", "\"abc\"", "\"ABC\"", "\"a\\u0000b\"", "\"\\n\"",
	"\"3\"", "\"007\"", "\"\\\\\"",
};
#define NGL ((unsigned)(sizeof(glits) / sizeof(glits[0])))
static const char *const gstr[] = {
	"\"\"", "\"a\"", "\"Push\"", "\"Event\"", "\"bot\"", "\"[bot]\"", "\"torvalds/\"", "\"/linux\"",
	"\"refs/heads/\"", "\"master\"", "\"\xc3\xa9\"", "\"\\u0000\"", "\"b\"", "\"x\"", "\"2015-\"",
	"\"Z\"", "\"abc\"", "\"dependabot\"",
};
#define NGS ((unsigned)(sizeof(gstr) / sizeof(gstr[0])))
static const char *const gops[] = { "==", "!=", "<", "<=", ">", ">=" };

/* literals seen in the data for each path: real values, so that many
 * generated comparisons are true */
static struct buf seen[NGP];

static void
collect_literals(struct docs *d)
{
	unsigned i;
	int k;

	for (i = 0; i < NGP; i++) {
		struct jqfilter *jf;
		struct fastfilter *ff;
		struct jscan js;
		struct gha_err err;
		const char **paths;
		int np, j, *slots, leaf;

		buf_init(&seen[i]);
		if (!(jf = jqfilter_new(gpaths[i], &err)) || !(ff = jqfilter_fast(jf))) {
			jqfilter_free(jf);
			continue;
		}
		np = fastfilter_npaths(ff);
		paths = xcalloc((size_t)np, sizeof(*paths));
		slots = xcalloc((size_t)np, sizeof(*slots));
		leaf = 0;
		for (j = 0; j < np; j++) {
			paths[j] = fastfilter_path(ff, j);
			slots[j] = j;
			if (strlen(paths[j]) > strlen(paths[leaf]))
				leaf = j;
		}
		jscan_init(&js, paths, np);
		for (k = 0; k < d->count; k += 1 + (int)rnd(97)) {
			size_t vs, ve;
			const struct jspan *v;

			if (json_scan(&js, d->p[k], d->n[k], 0, &vs, &ve) < 0)
				continue;
			v = &js.val[leaf];
			if (v->type == J_NONE || v->type == J_ARRAY || v->type == J_OBJECT || v->len > 60)
				continue;
			buf_add(&seen[i], v->p, v->len);
			buf_addc(&seen[i], '\0');
		}
		jscan_free(&js);
		free(paths);
		free(slots);
		jqfilter_free(jf);
	}
}

/* a literal: from the data for path pi when there are some, else the list */
static void
gen_lit(struct buf *b, unsigned pi)
{
	if (seen[pi].len && rnd(3)) {
		/* the n-th NUL-separated value, n at random */
		size_t off = 0, count = 0, want;
		const char *p;

		for (p = seen[pi].p; p < seen[pi].p + seen[pi].len; p += strlen(p) + 1)
			count++;
		want = rnd((unsigned)count);
		for (p = seen[pi].p; want--; p += strlen(p) + 1)
			;
		off = (size_t)(p - seen[pi].p);
		buf_adds(b, seen[pi].p + off);
		return;
	}
	buf_adds(b, glits[rnd(NGL)]);
}

static void
gen_expr(struct buf *b, int depth)
{
	unsigned pi = rnd(NGP), k = rnd(depth > 0 ? 12 : 8);

	switch (k) {
	case 0: case 1: case 2:
		buf_printf(b, "%s %s ", gpaths[pi], gops[rnd(6)]);
		gen_lit(b, pi);
		break;
	case 3:
		gen_lit(b, pi);
		buf_printf(b, " %s %s", gops[rnd(6)], gpaths[pi]);
		break;
	case 4:
		buf_printf(b, "%s %s %s", gpaths[pi], gops[rnd(6)], gpaths[rnd(NGP)]);
		break;
	case 5:
		buf_printf(b, "(%s | %s(%s))", gpaths[pi],
			   (const char *[]){ "startswith", "endswith", "contains" }[rnd(3)], gstr[rnd(NGS)]);
		break;
	case 6:
		buf_printf(b, "(%s | ascii_downcase %s ", gpaths[pi], gops[rnd(2)]);
		gen_lit(b, pi);
		buf_addc(b, ')');
		break;
	case 7:
		buf_printf(b, "(%s | IN(", gpaths[pi]);
		gen_lit(b, pi);
		for (k = rnd(3); k > 0; k--) {
			buf_adds(b, ", ");
			gen_lit(b, pi);
		}
		buf_adds(b, "))");
		break;
	case 8:
		buf_adds(b, "(");
		gen_expr(b, depth - 1);
		buf_adds(b, " | not)");
		break;
	case 9:
		buf_adds(b, "(");
		gen_expr(b, depth - 1);
		buf_adds(b, " and ");
		gen_expr(b, depth - 1);
		buf_adds(b, ")");
		break;
	case 10:
		buf_adds(b, "(");
		gen_expr(b, depth - 1);
		buf_adds(b, " or ");
		gen_expr(b, depth - 1);
		buf_adds(b, ")");
		break;
	default:
		buf_printf(b, "%s", gpaths[pi]);
		break;
	}
}

/* B generated programs, one libjq compile for all of them (jq 1.6
 * compiles its builtins anew each time: ~20 ms): the reference is an
 * array of first-output verdicts, 1, 0 or -1 for an error */
#define BATCH 100

static void
check_batch(char **progs, int n, struct docs *d, const int *idx, int nidx, struct tally *t)
{
	struct fastfilter *ff[BATCH];
	struct buf all;
	struct ref r;
	char why[200];
	int i, k;

	buf_init(&all);
	buf_adds(&all, "[");
	for (i = 0; i < n; i++) {
		t->programs++;
		ff[i] = fastfilter_new(progs[i], why, sizeof(why));
		if (!ff[i])
			t->refused++;
		buf_printf(&all, "%s(try ([limit(1; %s)] | if length == 0 then 0 elif .[0] then 1 "
			   "else 0 end) catch -1)", i ? ", " : "", progs[i]);
	}
	buf_adds(&all, "]");
	if (ref_init(&r, all.p)) {
		printf("# the batch does not compile: %.500s\n", all.p);
		t->wrong++;
		goto out;
	}
	for (k = 0; k < nidx; k++) {
		int di = idx[k];
		jv verdicts = jv_invalid();

		if (jv_is_valid(d->parsed[di])) {
			jq_start(r.jq, jv_copy(d->parsed[di]), 0);
			verdicts = jq_next(r.jq);
		}
		for (i = 0; i < n; i++) {
			struct jscan js;
			const char *paths[JSCAN_MAXPATHS];
			int slots[JSCAN_MAXPATHS], j, np, fast, want;
			size_t vs, ve;

			if (!ff[i])
				continue;
			np = fastfilter_npaths(ff[i]);
			for (j = 0; j < np; j++) {
				paths[j] = fastfilter_path(ff[i], j);
				slots[j] = j;
			}
			jscan_init(&js, paths, np);
			fastfilter_bind(ff[i], slots);
			json_scan(&js, d->p[di], d->n[di], 0, &vs, &ve);
			fast = fastfilter_eval(ff[i], &js, d->p[di], d->n[di]);
			jscan_free(&js);
			if (fast < 0) {
				t->fellback++;
				continue;
			}
			t->decided++;
			want = jv_is_valid(verdicts) ?
				(int)jv_number_value(jv_array_get(jv_copy(verdicts), i)) : -1;
			if (fast == want) {
				t->truths += fast;
			} else {
				t->wrong++;
				if (t->shown++ < 20)
					printf("# MISMATCH fast %d libjq %d: %s on %.300s\n", fast, want,
					       progs[i], d->p[di]);
			}
		}
		jv_free(verdicts);
	}
	ref_free(&r);
out:
	for (i = 0; i < n; i++)
		fastfilter_free(ff[i]);
	buf_free(&all);
}

static void
gen_program(struct buf *b)
{
	struct buf e;

	b->len = 0;
	buf_init(&e);
	gen_expr(&e, 3);
	switch (rnd(6)) {
	case 0: buf_printf(b, "select(%s)", e.p); break;
	case 1: buf_printf(b, "%s and %s", e.p, gpaths[rnd(NGP)]); break;
	case 2: buf_printf(b, "%s or .type == \"PushEvent\"", e.p); break;
	default: buf_adds(b, e.p);
	}
	buf_free(&e);
}

/* ---- hand-written programs ---- */
static const char *const handwritten[] = {
	/* README and man pages */
	".type == \"PushEvent\"",
	".type == \"PushEvent\" and .repo.name == \"torvalds/linux\"",
	".type == \"WatchEvent\"",
	".type != \"PushEvent\"",
	".repo.name == \"torvalds/linux\"",
	".actor.login | startswith(\"dependabot\")",
	".actor.login | endswith(\"[bot]\")",
	".actor.login | ascii_downcase | contains(\"bot\")",
	".type | IN(\"PushEvent\", \"PullRequestEvent\", \"IssuesEvent\")",
	"select(.type == \"IssuesEvent\" and .payload.action == \"opened\")",
	".payload.size > 2",
	".payload.size >= 1 and .payload.size <= 3",
	".public",
	".public | not",
	".public == false",
	".org",
	".org == null",
	".org != null and .org.login == \"github\"",
	".missing",
	".missing == null",
	".missing.deeper == null",
	"(.type == \"PushEvent\" or .type == \"CreateEvent\") and (.public | not | not)",
	"not",
	".",
	"true",
	"null",
	"1",
	"\"x\"",
	". == null",
	".created_at >= \"2015-01-01T15:30:00Z\"",
	".created_at < \"2014\"",
	".id == \"2489368070\"",
	".id > \"2489395767\"",
	".repo.id == 28688495",
	".repo.id > 1.0e7",
	".actor.id == 665991.0",
	".actor == \"mojombo\"",
	".actor.login == \"mojombo\"",
	".repository.name == \"linux\"",
	".repository.owner | IN(\"torvalds\", \"github\")",
	".[\"type\"] == \"PushEvent\"",
	".\"repo\".\"name\" | startswith(\"a\")",
	".repo[\"name\"] | endswith(\"/linux\")",
	".repo | .name | contains(\"/\")",
	".payload.ref == \"refs/heads/master\"",
	".payload.pull_request.merged == true",
	".payload.issue.number < 100",
	".payload.action | IN(\"opened\", \"closed\", null)",
	"-1 < .payload.size",
	".s == \"PushEvent\"",
	".s == \"\xc3\xa9\"",
	".s == \"\\u00e9\"",
	".s < \"\\u00e9\"",
	".s | contains(\"b\")",
	".s | contains(\"\\u0000\")",
	".s | startswith(\"a\\u0000\")",
	".s | ascii_downcase == \"abcd\"",
	".s | ascii_downcase == .t",
	".s == .t",
	".s < .t",
	".n == 1",
	".n == 1.0",
	".n == .m",
	".n < .m",
	".n > 1e300",
	".n == 100000000000000000000",
	".n | IN(1, 0, -1, 1e400)",
	".a.b == \"x\"",
	".a.b.c == 1",
	".a == .a",
	".type == .actor.login",
	"# a comment\n.type == \"PushEvent\"",
	"( ( .type ) == ( \"PushEvent\" ) )",
	".type==\"PushEvent\"and.public",
};

/* programs that must go to libjq whole */
static const char *const outside[] = {
	".type | test(\"Push\")", ".payload.commits[0].sha == \"x\"", ".payload.commits | length > 1",
	".[\"a.b\"] == 1", ".[\"\"] == 1", ".a?", "..", ".type, .id", ".a // \"x\"",
	"\"\\(.type)\" == \"PushEvent\"", ".type as $t | $t == \"x\"", "def f: .type; f == \"x\"",
	"if .public then true else false end", ".payload.size + 1 > 2", "-.payload.size < 0",
	".s == \"\\ud83d\\ude00\"", "[.type] == [\"PushEvent\"]", "{a: 1} == {}", ".type | not(1)",
	"select(.public) | .type == \"x\"", ".a | select(.b)", "IN(.type; \"x\")",
	".type | IN(.id)", "startswith(.type)", ".type | startswith(\"a\"; \"b\")", "reduce .[] as $x (0; . + 1)",
	".a | .[\"b\"] | .c?", "$__loc__", "env.HOME == \"/\"", "input", ".a.b |= 1", ".type | @base64 == \"x\"",
	"1 - 1 == 0", ".a == {}", ".a.b == []", "(.a | .b) | ascii_downcase | .c",
};

int
main(void)
{
	static const char *const files[] = {
		"2011-02-15-0.json.gz", "2014-02-15-0.json.gz", "2015-01-01-0.json.gz",
		"2015-01-01-1.json.gz", "2015-01-01-15.first1024.json.gz",
		"2025-01-01-15.first2048.json.gz", "api_events_2013-01-10_simdjson.json",
		"api_events_2014-08-05_yggie.json", "api_events_2017-07-15_quicktype.json",
		"api_events_2025-06-03_pulpogato.json", "api_events_2025-09_typemix_evolentDelight.json",
		"single_pushevent_2024-05-21_pretrim_keemgdeok.json",
		"single_pushevent_2025-12-15_posttrim_keemgdeok.json",
		"timeline_2014-06-01-08_gh4j.json.gz", "typecoverage_2011-2016_arfon.json.gz",
	};
	struct docs d, sample;
	struct tally hand, gen, real;
	struct buf prog;
	const char *e;
	int i, ngen = 3000, nsyn;
	char path[512];

#if defined(__SANITIZE_ADDRESS__)
	ngen = 600;	/* about 5x slower under ASan: fewer, still hundreds */
#endif
	if ((e = getenv("FASTFILTER_GEN")))
		ngen = (int)strtol(e, NULL, 10);
	if ((e = getenv("FASTFILTER_SEED")))
		rng = strtoull(e, NULL, 10);
	memset(&d, 0, sizeof(d));
	memset(&sample, 0, sizeof(sample));
	for (i = 0; i < (int)(sizeof(files) / sizeof(files[0])); i++) {
		int got;

		snprintf(path, sizeof(path), "tests/data/real/%s", files[i]);
		got = load_file(&d, path);
		ok(got > 0, "%s: %d events", files[i], got);
	}
	d.real = d.count;
	for (i = 0; i < (int)(sizeof(synthetic) / sizeof(synthetic[0])); i++)
		add_doc(&d, synthetic[i], strlen(synthetic[i]));
	add_deep(&d, 150);
	add_deep(&d, 250);
	add_deep(&d, 300);
	nsyn = d.count - d.real;
	d.parsed = xcalloc((size_t)d.count, sizeof(*d.parsed));
	for (i = 0; i < d.count; i++)
		d.parsed[i] = jv_parse_sized(d.p[i], (int)d.n[i]);
	ok(!jv_is_valid(d.parsed[d.real + 8]), "libjq 1.6 refuses a lone high surrogate (as the fast path assumes)");

	/* hand-written: every 5th real event (a different fifth for each
	 * program) and every synthetic one */
	memset(&hand, 0, sizeof(hand));
	for (i = 0; i < (int)(sizeof(handwritten) / sizeof(handwritten[0])); i++) {
		check_strided(handwritten[i], &d, i % 5, d.real / 5, 5, &hand, 1);
		check_program(handwritten[i], &d, d.real, nsyn, &hand, 1);
	}
	ok(hand.wrong == 0, "hand-written: %d programs, %ld decisions fast, %ld to libjq, "
	   "%ld true; %ld wrong", (int)(sizeof(handwritten) / sizeof(handwritten[0])), hand.decided, hand.fellback, hand.truths, hand.wrong);
	ok(hand.truths > 1000 && hand.decided - hand.truths > 1000, "hand-written: both answers common");

	/* the real events alone: the fast path decides nearly all of them */
	memset(&real, 0, sizeof(real));
	sample.count = d.real;
	sample.p = d.p;
	sample.n = d.n;
	sample.parsed = d.parsed;
	check_program(".type == \"PushEvent\" and .repo.name != \"x\"", &sample, 0, -1, &real, 1);
	check_program("(.actor | IN(\"a\", \"b\")) or .org.login == \"github\"", &sample, 0, -1, &real, 1);
	ok(real.wrong == 0 && real.fellback * 1000 < real.decided,
	   "real events: %ld decided fast, %ld to libjq", real.decided, real.fellback);

	/* generated: in batches, each on 60 real events (a window moving
	 * through all of them) and every synthetic one */
	collect_literals(&d);
	memset(&gen, 0, sizeof(gen));
	buf_init(&prog);
	{
		char *progs[BATCH];
		int *idx = xcalloc((size_t)(60 + nsyn), sizeof(*idx)), b0, j, n;

		for (b0 = 0; b0 < ngen; b0 += BATCH) {
			n = ngen - b0 < BATCH ? ngen - b0 : BATCH;
			for (j = 0; j < n; j++) {
				gen_program(&prog);
				progs[j] = xstrdup(prog.p);
			}
			for (j = 0; j < 60; j++)
				idx[j] = ((b0 / BATCH) * 60 * 7 + j * 7) % d.real;
			for (j = 0; j < nsyn; j++)
				idx[60 + j] = d.real + j;
			check_batch(progs, n, &d, idx, 60 + nsyn, &gen);
			for (j = 0; j < n; j++)
				free(progs[j]);
		}
		free(idx);
	}
	buf_free(&prog);
	ok(gen.wrong == 0, "generated: %d programs, %ld decisions fast, %ld to libjq, %ld true; "
	   "%ld wrong", ngen, gen.decided, gen.fellback, gen.truths, gen.wrong);
	/* refused: literals from the data with surrogate escapes */
	ok(gen.refused * 20 < gen.programs, "generated: %ld of %ld refused by the recognizer",
	   gen.refused, gen.programs);
	ok(gen.truths * 10 > gen.decided && gen.truths * 10 < gen.decided * 9,
	   "generated: between 10%% and 90%% true (%ld of %ld)", gen.truths, gen.decided);

	/* fallbacks that must be chosen */
	{
		int bad = 0;

		for (i = 0; i < (int)(sizeof(outside) / sizeof(outside[0])); i++) {
			struct gha_err err;
			struct jqfilter *jf = jqfilter_new(outside[i], &err);

			if (jf && jqfilter_fast(jf)) {
				printf("# fast but should not be: %s\n", outside[i]);
				bad++;
			}
			jqfilter_free(jf);
		}
		ok(bad == 0, "%d programs outside the subset go to libjq",
		   (int)(sizeof(outside) / sizeof(outside[0])));
	}
	{
		/* records jq reads otherwise: duplicates, lone high surrogate,
		 * nesting past 200 */
		static const int per_record[] = { 8, 10, 11, 12 };
		struct tally t;
		int bad = 0;

		for (i = 0; i < (int)(sizeof(per_record) / sizeof(per_record[0])); i++) {
			memset(&t, 0, sizeof(t));
			check_program(".s == \"x\" or .a.b == 1 or .n == 0", &d, d.real + per_record[i], 1, &t, 1);
			if (t.fellback != 1) {
				printf("# decided fast: %s\n", d.p[d.real + per_record[i]]);
				bad++;
			}
		}
		memset(&t, 0, sizeof(t));
		check_program(".s == \"deep\"", &d, d.count - 2, 2, &t, 1);
		ok(bad == 0 && t.fellback == 2, "duplicates, lone surrogates, deep nesting: to libjq");
		memset(&t, 0, sizeof(t));
		check_program(".s == \"deep\"", &d, d.count - 3, 1, &t, 1);
		ok(t.decided == 1 && t.truths == 1, "nesting of 150: decided fast");
		memset(&t, 0, sizeof(t));
		/* errors: .a.b on a string, startswith on a number */
		check_program(".a.b == 1", &d, d.real + 4, 1, &t, 1);
		check_program(".n | startswith(\"1\")", &d, d.real, 1, &t, 1);
		ok(t.fellback == 2 && t.wrong == 0, "jq errors go to libjq");
	}
	{
		/* jqfilter_match_scan with the scan the fast path is bound to
		 * and without: the same answers, counted where decided */
		struct gha_err err;
		struct jqfilter *jf = jqfilter_new(".s == \"PushEvent\"", &err);
		struct jscan js;
		const char *p = synthetic[1];
		size_t vs, ve;
		uint64_t nf, nl;
		int a, b2;

		jscan_init(&js, NULL, 0);
		json_scan(&js, p, strlen(p), 0, &vs, &ve);
		a = jqfilter_match_scan(jf, &js, p, strlen(p), &err);	/* not bound: libjq */
		jscan_free(&js);
		{
			const char *paths[] = { "s" };
			int slots[] = { 0 };

			jscan_init(&js, paths, 1);
			fastfilter_bind(jqfilter_fast(jf), slots);
			json_scan(&js, p, strlen(p), 0, &vs, &ve);
			b2 = jqfilter_match_scan(jf, &js, p, strlen(p), &err);
			jscan_free(&js);
		}
		jqfilter_counts(jf, &nf, &nl);
		ok(a == 1 && b2 == 1 && nf == 1 && nl == 1, "jqfilter_match_scan: unbound to libjq, "
		   "bound fast (%llu fast, %llu libjq)", (unsigned long long)nf, (unsigned long long)nl);
		jqfilter_free(jf);
	}
	{
		struct gha_err err;
		struct jqfilter *jf;

		setenv("GHA_JQ_FAST", "0", 1);
		jf = jqfilter_new(".type == \"x\"", &err);
		ok(jf && !jqfilter_fast(jf), "GHA_JQ_FAST=0: libjq");
		jqfilter_free(jf);
		unsetenv("GHA_JQ_FAST");
	}

	for (i = 0; i < d.count; i++) {
		jv_free(d.parsed[i]);
		free(d.p[i]);
	}
	for (i = 0; i < (int)NGP; i++)
		buf_free(&seen[i]);
	free(d.p);
	free(d.n);
	free(d.parsed);
	return tap_done();
}

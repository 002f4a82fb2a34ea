/* test_quarantine.c: rejected records as NDJSON lines, raw bytes as a
 * JSON string when valid UTF-8 and as base64 otherwise; counts by code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "counter.h"
#include "json.h"
#include "quarantine.h"
#include "tap.h"
#include "testutil.h"

static const char *const fields[] = { "file", "line", "offset", "code", "reason", "raw", "raw_base64" };
enum { F_FILE, F_LINE, F_OFFSET, F_CODE, F_REASON, F_RAW, F_RAW64 };



static int
str_field(const struct jspan *v, const char *want, size_t wn)
{
	struct buf b;
	int r;

	buf_init(&b);
	r = v->type == J_STRING && json_unescape(v, &b) == 0 && b.len == wn && (wn == 0 || !memcmp(b.p, want, wn));
	buf_free(&b);
	return r;
}

static int
num_field(const struct jspan *v, const char *want)
{
	return v->type == J_NUMBER && v->len == strlen(want) && !memcmp(v->p, want, v->len);
}

int
main(void)
{
	struct quarantine q;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct jscan js;
	static const char bad8[] = "{\"x\":\"\xff\xfe\"}\x80";
	int r = 0;

	quarantine_init(&q, fp);
	r |= quarantine_add(&q, "2015-01-01-0.json.gz", 7, 1234, "json", "invalid JSON at column 3: x",
			    "{\"a\":\t\"b\"\n", 10);
	r |= quarantine_add(&q, "<stdin>", 1, 0, "utf8", "invalid UTF-8", bad8, sizeof(bad8) - 1);
	r |= quarantine_add(&q, "we\"ird\\name", 18446744073709551615ULL, 9007199254740993ULL, "json", "x", "", 0);
	r |= quarantine_add(&q, "f", 2, 3, "nul", "NUL byte", "a\0b", 3);
	fclose(fp);
	ok(r == 0, "quarantine_add returns 0");
	ok(q.n == 4, "four records counted");
	{
		struct buf b;

		buf_init(&b);
		counter_json(&q.bycode, &b);
		ok(!strcmp(b.p, "{\"json\":2,\"nul\":1,\"utf8\":1}"), "counts by code (%s)", b.p);
		buf_free(&b);
	}

	/* four lines, each a JSON object with the fields */
	jscan_init(&js, fields, 7);
	{
		const char *p = out, *end = out + len;
		int line = 0;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), vs, ve;
			long s = json_scan(&js, p, n, 0, &vs, &ve);

			line++;
			ok(nl != NULL && s == (long)n && !js.dupkey, "line %d is one JSON object (%s)", line,
			   s < 0 ? js.errmsg : "ok");
			if (s < 0) {
				p = nl ? nl + 1 : end;
				continue;
			}
			switch (line) {
			case 1:
				ok(str_field(&js.val[F_FILE], "2015-01-01-0.json.gz", 20) &&
				   num_field(&js.val[F_LINE], "7") && num_field(&js.val[F_OFFSET], "1234") &&
				   str_field(&js.val[F_CODE], "json", 4) &&
				   str_field(&js.val[F_REASON], "invalid JSON at column 3: x", 27),
				   "record 1: file, line, offset, code, reason");
				ok(str_field(&js.val[F_RAW], "{\"a\":\t\"b\"\n", 10) &&
				   js.val[F_RAW64].type == J_NONE, "record 1: raw as a string, escapes undone");
				break;
			case 2: {
				unsigned char dec[64];
				long dn = -1;

				if (js.val[F_RAW64].type == J_STRING)
					dn = b64dec(js.val[F_RAW64].p + 1, js.val[F_RAW64].len - 2, dec);
				ok(js.val[F_RAW].type == J_NONE && dn == (long)sizeof(bad8) - 1 &&
				   !memcmp(dec, bad8, sizeof(bad8) - 1), "record 2: invalid UTF-8 as raw_base64");
				break;
			}
			case 3:
				ok(str_field(&js.val[F_FILE], "we\"ird\\name", 11) &&
				   num_field(&js.val[F_LINE], "18446744073709551615") &&
				   num_field(&js.val[F_OFFSET], "9007199254740993") && str_field(&js.val[F_RAW], "", 0),
				   "record 3: a file name with escapes, 64-bit numbers, empty raw");
				break;
			case 4:
				ok(str_field(&js.val[F_RAW], "a\0b", 3), "record 4: a NUL byte survives in raw");
				break;
			}
			p = nl ? nl + 1 : end;
		}
		ok(line == 4, "four lines (%d)", line);
	}
	jscan_free(&js);
	quarantine_free(&q);
	free(out);

	/* a file name is bytes on Linux: one that is not UTF-8 must still
	 * give a line of valid JSON (json_addstr wants valid UTF-8) */
	{
		char *o2 = NULL;
		size_t l2 = 0;
		FILE *f2 = open_memstream(&o2, &l2);
		struct jscan j2;
		size_t vs, ve;

		quarantine_init(&q, f2);
		quarantine_add(&q, "hour-\xff\xfe.json", 1, 0, "json", "r", "x", 1);
		fclose(f2);
		long r2;

		jscan_init(&j2, fields, 7);
		r2 = l2 > 0 ? json_scan(&j2, o2, l2 - 1, 0, &vs, &ve) : -1;
		ok(r2 == (long)l2 - 1, "a file name with invalid UTF-8 still gives valid JSON (%s at %zu)",
		   r2 < 0 && j2.errmsg ? j2.errmsg : "ok", r2 < 0 ? j2.errpos : 0);
		jscan_free(&j2);
		quarantine_free(&q);
		free(o2);
	}

	/* no stream: count only */
	quarantine_init(&q, NULL);
	ok(quarantine_add(&q, "f", 1, 0, "bom", "r", "x", 1) == 0 && q.n == 1, "count only without a stream");
	quarantine_free(&q);

	/* a write error */
	fp = fopen("/dev/full", "w");
	if (fp) {
		setvbuf(fp, NULL, _IONBF, 0);
		quarantine_init(&q, fp);
		ok(quarantine_add(&q, "f", 1, 0, "json", "r", "x", 1) == -1, "a write error gives -1");
		quarantine_free(&q);
		fclose(fp);
	}
	return tap_done();
}

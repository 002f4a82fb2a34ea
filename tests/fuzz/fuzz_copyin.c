/* fuzz_copyin.c: COPY text as gha-gold reads it: the first line a header,
 * the rest rows, split and checked (field count, escapes), every bound
 * field decoded as text, integer, boolean and time, and each good row
 * turned into a fact. A row that splits must decode: copyin_split has
 * checked its escapes, so copy_decode failing after it is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "copyin.h"
#include "gold/gold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct copyin c;
	struct gold_facts f;
	struct botlist bots;
	struct gha_err err;
	struct buf b;
	int first = 1;

	copyin_init(&c, NULL);
	gfacts_init(&f);
	botlist_init(&bots);
	buf_init(&b);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (first) {
			first = 0;
			if (copyin_header(&c, p, n, &err) ||
			    copyin_bind(&c, gold_in_cols, GI_N, NULL, &err))
				break;
		} else if (copyin_split(&c, p, n) == 0) {
			struct gfact x;
			const char *code, *why;
			int i;

			for (i = 0; i < GI_N; i++) {
				size_t tn;
				int64_t v;
				int bv;
				const struct copyin_field *fl = &c.f[i];

				copyin_text(&c, i, &tn);
				copyin_int64(&c, i, &v);
				copyin_bool(&c, i, &bv);
				copyin_time(&c, i, &v);
				if (!fl->null && fl->p && copy_decode(fl->p, fl->n, &b))
					abort();
			}
			if (!gold_event_fact(&f, &c, &bots, &x, &code, &why))
				gfacts_add(&f, &x);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	buf_free(&b);
	botlist_free(&bots);
	gfacts_free(&f);
	copyin_free(&c);
	return 0;
}

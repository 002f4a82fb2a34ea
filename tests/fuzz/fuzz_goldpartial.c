/* fuzz_goldpartial.c: a gold partial read line by line; when it reads,
 * it must write back to bytes that read again to the same bytes (a
 * canonical form), and every table must come out of it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "gold/gold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char out1[1 << 22], out2[1 << 22], tab[1 << 22];

/* read s[0..n) into f; 0 when it is a good partial */
static int
readmem(struct gold_facts *f, const char *s, size_t n)
{
	struct gpart_reader r;
	struct gha_err err;
	const char *end = s + n;
	uint64_t lineno = 0;
	int rc = 0;

	gpart_init(&r, f, "fuzz");
	while (s < end && !rc) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t k = nl ? (size_t)(nl - s) : (size_t)(end - s);

		rc = gpart_line(&r, s, k, ++lineno, &err);
		s = nl ? nl + 1 : end;
	}
	if (!rc)
		rc = gpart_end(&r, &err);
	gpart_free(&r);
	return rc;
}

static size_t
writemem(struct gold_facts *f, char *buf, size_t cap)
{
	FILE *fp = fmemopen(buf, cap, "w");
	long n;

	if (!fp)
		abort();
	if (gfacts_write(f, fp) || fflush(fp)) {
		fclose(fp);
		return (size_t)-1;	/* too big for the buffer: fine */
	}
	n = ftell(fp);
	fclose(fp);
	return (size_t)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gold_facts f, g;
	size_t n1, n2;
	int i;

	gfacts_init(&f);
	if (readmem(&f, (const char *)data, size) == 0 &&
	    (n1 = writemem(&f, out1, sizeof(out1))) != (size_t)-1) {
		gfacts_init(&g);
		if (readmem(&g, out1, n1))
			abort();	/* what we write, we must read */
		n2 = writemem(&g, out2, sizeof(out2));
		if (n2 != n1 || memcmp(out1, out2, n1))
			abort();	/* not canonical */
		if (f.n) {
			struct gold_opts o = { 7, -1, 100, NULL, NULL };
			struct gold_run r;

			gold_run_init(&r, &f, &o);
			for (i = 0; gold_tables[i]; i++) {
				struct gold_out out;
				struct gha_err err;
				FILE *fp = fmemopen(tab, sizeof(tab), "w");

				if (!fp)
					abort();
				gold_out_init(&out, fp, gold_tables[i]);
				gold_tables[i]->emit(&r, &out, &err);
				gold_out_free(&out);
				fclose(fp);
			}
			gold_run_free(&r);
		}
		gfacts_free(&g);
	}
	gfacts_free(&f);
	return 0;
}

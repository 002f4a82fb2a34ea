/* fuzz_loadcsv.c: gha-load's parsers: sf_csv_row (COPY text rows
 * re-encoded as Snowflake CSV) and copy_context (the server's "COPY t,
 * line N, column c" that errors are mapped back with). Oracle: the CSV
 * reads back, strictly, as one record with one field per input field
 * plus the source, a NULL exactly where the input had \N. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "pgload.h"
#include "sfplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fields of one strict CSV record in p[0..n), NULLs noted; -1 if malformed. */
static int
read_back(const char *p, size_t n, int *nulls)
{
	size_t i = 0;
	int f = 0;

	*nulls = 0;
	for (;;) {
		f++;
		if (i < n && p[i] == '"') {
			for (i++;; i++) {
				if (i >= n)
					return -1;
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"') {
						i++;
						continue;
					}
					i++;
					break;
				}
			}
		} else {
			(*nulls)++;
		}
		if (i >= n)
			return -1;
		if (p[i] == '\t') {
			i++;
			continue;
		}
		if (p[i] == '\n' && i + 1 == n)
			return f;
		return -1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf out, ctx;
	int bad, nulls, fields = 1, want_nulls = 0;
	uint64_t line;
	char col[64];

	/* one row: no LF inside (lines are split before) */
	if (memchr(s, '\n', size))
		return 0;
	for (size_t i = 0, start = 0; i <= size; i++) {
		if (i == size || s[i] == '\t') {
			if (i - start == 2 && s[start] == '\\' && s[start + 1] == 'N')
				want_nulls++;
			start = i + 1;
			if (i < size)
				fields++;
		}
	}
	buf_init(&out);
	if (sf_csv_row(s, size, "src\"x", &out, &bad) == 0) {
		if (read_back(out.p, out.len, &nulls) != fields + 1 || nulls != want_nulls)
			abort();
	} else if (bad < 1 || bad > fields) {
		abort();
	}
	buf_free(&out);
	buf_init(&ctx);
	buf_add(&ctx, s, size);
	buf_addc(&ctx, 0);
	if (copy_context(ctx.p, &line, col, sizeof(col)) == 0 && strlen(col) >= sizeof(col))
		abort();
	buf_free(&ctx);
	return 0;
}

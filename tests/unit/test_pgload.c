/* test_pgload.c: the pieces of gha-load that need no server: the source
 * named by a file, the server's COPY context parsed back to a line and a
 * column, and one row re-encoded as Snowflake CSV. */
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "pgload.h"
#include "sfplan.h"
#include "tap.h"

static void
source_is(const char *path, const char *want)
{
	char *s = source_of(path);

	ok(want ? s && !strcmp(s, want) : !s, "source_of(\"%s\") = %s (got %s)", path,
	   want ? want : "NULL", s ? s : "NULL");
	free(s);
}

static void
context_is(const char *ctx, int r, unsigned long long line, const char *col)
{
	uint64_t l = 0;
	char c[16];
	int got = copy_context(ctx, &l, c, sizeof(c));

	ok(got == r && (r < 0 || (l == line && !strcmp(c, col))), "copy_context(\"%s\") = %d, %llu, \"%s\"",
	   ctx ? ctx : "NULL", r, line, col);
}

static void
csv_is(const char *row, const char *extra, const char *want)
{
	struct buf b;
	int bad = 0, r;

	buf_init(&b);
	r = sf_csv_row(row, strlen(row), extra, &b, &bad);
	buf_addc(&b, 0);
	ok(r == 0 && !strcmp(b.p, want), "sf_csv_row(\"%s\") as expected", row);
	buf_free(&b);
}

int
main(void)
{
	source_is("data/silver/2015-01-01-0.events.tsv.gz", "2015-01-01-0");
	source_is("2015-01-01.actors.tsv", "2015-01-01");
	source_is("plain", "plain");
	source_is("dir.d/x.tsv", "x");
	source_is("dir/.hidden.tsv", NULL);
	source_is("dir/", NULL);

	context_is("COPY gha_events, line 4, column event_id: \"12x\"", 0, 4, "event_id");
	context_is("COPY t, line 17: \"a\tb\"", 0, 17, "");
	context_is("COPY t, line 3, column a_very_long_column_name_here: \"x\"", 0, 3, "a_very_long_col");
	context_is("COPY t, line 2, column c", 0, 2, "c");
	context_is("COPY t", -1, 0, "");
	context_is("COPY t, line x", -1, 0, "");
	context_is(NULL, -1, 0, "");

	csv_is("1\ta", NULL, "\"1\"\t\"a\"\n");
	csv_is("\\N\t\t\\\\N", "s", "\t\"\"\t\"\\N\"\t\"s\"\n");	/* NULL, empty, a literal \N */
	csv_is("a\\tb\\nc\\rd", NULL, "\"a\tb\nc\rd\"\n");
	csv_is("say \"hi\" \\\" \\042 \\x22", NULL, "\"say \"\"hi\"\" \"\" \"\" \"\"\"\n");
	csv_is("\\101\\x41\\q", "q\"s", "\"AAq\"\t\"q\"\"s\"\n");
	{
		struct buf b;
		int bad = 0;

		buf_init(&b);
		ok(sf_csv_row("a\tb\\", 4, NULL, &b, &bad) == -1 && bad == 2, "a lone backslash: field 2 is bad");
		ok(sf_csv_row("\\x00", 4, NULL, &b, &bad) == -1 && bad == 1, "\\x00: text cannot hold NUL");
		ok(sf_csv_row("\\000", 4, NULL, &b, &bad) == -1 && bad == 1, "\\000: text cannot hold NUL");
		buf_free(&b);
	}
	return tap_done();
}

/* columns.c: the man pages' column lists, made from the schema registry.
 * Every region of a page between the lines
 *	.\" BEGIN columns TABLE
 *	.\" END columns TABLE
 * is replaced with the registry's columns of TABLE (schema_man). The
 * rewritten page goes to stdout. `make man-columns` rewrites man/ with it;
 * t0340 checks that no page differs from what it makes. */
#include <stdio.h>
#include <string.h>

#include "gha.h"
#include "schema.h"

#define BEGIN ".\\\" BEGIN columns "
#define END ".\\\" END columns "

int
main(int argc, char **argv)
{
	char line[4096], table[sizeof(line)] = "";
	FILE *fp;
	struct buf out;
	unsigned long ln = 0;
	int ret = 0;

	gha_setprog(argv[0]);
	if (argc != 2) {
		fputs("usage: columns MANPAGE\n", stderr);
		return GHA_USAGE;
	}
	if (!(fp = fopen(argv[1], "r"))) {
		gha_warn("%s:", argv[1]);
		return GHA_NOINPUT;
	}
	buf_init(&out);
	while (fgets(line, sizeof(line), fp)) {
		ln++;
		if (!strncmp(line, BEGIN, strlen(BEGIN))) {
			const struct schema_table *t;

			snprintf(table, sizeof(table), "%s", line + strlen(BEGIN));
			table[strcspn(table, "\n")] = 0;
			if (!(t = schema_find(table))) {
				gha_warn("%s:%lu: no table '%s' in the registry", argv[1], ln, table);
				ret = GHA_DATAERR;
				break;
			}
			buf_adds(&out, line);
			schema_man(t, &out);
			continue;
		}
		if (!strncmp(line, END, strlen(END))) {
			if (!*table || strncmp(line + strlen(END), table, strlen(table))) {
				gha_warn("%s:%lu: an END without its BEGIN", argv[1], ln);
				ret = GHA_DATAERR;
				break;
			}
			*table = 0;
		} else if (*table) {
			continue;	/* the old list */
		}
		buf_adds(&out, line);
	}
	if (!ret && *table) {
		gha_warn("%s: BEGIN columns %s without its END", argv[1], table);
		ret = GHA_DATAERR;
	}
	if (!ret && ferror(fp)) {
		gha_warn("%s:", argv[1]);
		ret = GHA_IOERR;
	}
	fclose(fp);
	if (!ret)
		fwrite(out.p, 1, out.len, stdout);
	buf_free(&out);
	return ret ? ret : fshut(stdout, "<stdout>");
}

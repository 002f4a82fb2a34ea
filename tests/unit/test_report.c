/* test_report.c: parse_rate and write_atomic. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "cli.h"
#include "outfile.h"
#include "tap.h"
#include "testutil.h"

static void
rate_ok(const char *s, double want)
{
	double r = -1;

	ok(parse_rate(s, &r) == 0 && r > want - 1e-12 && r < want + 1e-12, "parse_rate \"%s\" = %g (got %g)", s,
	   want, r);
}

static void
rate_bad(const char *s)
{
	double r = 0.5;

	ok(parse_rate(s, &r) == -1 && r == 0.5, "parse_rate rejects \"%s\", leaving the value", s);
}

static int
entries(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	int n = 0;

	if (!dp)
		return -1;
	while ((e = readdir(dp)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(dp);
	return n;
}

int
main(void)
{
	char dir[] = "/tmp/gha-test-report-XXXXXX", p[4200];
	struct gha_err err;

	rate_ok("0", 0);
	rate_ok("1", 1);
	rate_ok("0.001", 0.001);
	rate_ok("0.5", 0.5);
	rate_ok("1e-3", 0.001);
	rate_ok("0.1%", 0.001);
	rate_ok("100%", 1);
	rate_ok("0%", 0);
	rate_ok("50%", 0.5);
	rate_bad("");
	rate_bad("abc");
	rate_bad("1.5");
	rate_bad("-0.1");
	rate_bad("101%");
	rate_bad("-1%");
	rate_bad("0.1%%");
	rate_bad("5%x");
	rate_bad("0.5 ");
	rate_bad("%");
	rate_bad("nan");
	rate_bad("inf");
	rate_bad("0x");

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(p, sizeof(p), "%s/stats.json", dir);
	memset(&err, 0, sizeof(err));
	ok(write_atomic(p, "{\"a\":1}\n", 8, &err) == 0, "write_atomic");
	{
		FILE *fp = fopen(p, "r");
		char b[64] = { 0 };
		size_t n = fp ? fread(b, 1, sizeof(b), fp) : 0;

		if (fp)
			fclose(fp);
		ok(n == 8 && !memcmp(b, "{\"a\":1}\n", 8), "the file holds the data");
	}
	ok(entries(dir) == 1, "and nothing else is in the directory");
	ok(write_atomic(p, "", 0, &err) == 0 && entries(dir) == 1, "an empty write replaces it");
	snprintf(p, sizeof(p), "%s/missing/stats.json", dir);
	memset(&err, 0, sizeof(err));
	ok(write_atomic(p, "x", 1, &err) == -1 && err.code == GHA_IOERR, "a missing directory: -1, 74 (%s)",
	   err.msg);
	rmtree(dir);
	return tap_done();
}

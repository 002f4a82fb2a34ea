/* test_ledger.c: the fetch ledger (append, last good validators), and
 * the small path and URL helpers of fetch.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gha.h"
#include "fetch.h"
#include "ledger.h"
#include "timefmt.h"
#include "tap.h"
#include "testutil.h"

static char dir[] = "/tmp/gha-test-ledger-XXXXXX";

static struct ledger_rec
rec(const char *hour, const char *status, long http, const char *etag, const char *lastmod)
{
	struct ledger_rec r;

	memset(&r, 0, sizeof(r));
	r.hour = hour;
	r.status = status;
	r.http = http;
	r.bytes = 123456789012ULL;
	r.attempt = 2;
	snprintf(r.etag, sizeof(r.etag), "%s", etag);
	snprintf(r.lastmod, sizeof(r.lastmod), "%s", lastmod);
	return r;
}

static void
redact_is(const char *url, const char *want)
{
	char out[200];

	redact(url, out, sizeof(out));
	ok(!strcmp(out, want), "redact %s -> %s (got %s)", url, want, out);
}

int
main(void)
{
	struct ledger_rec r;
	struct gha_err err;
	char etag[256], lastmod[64], path[4200], line[2048];
	FILE *fp;
	int64_t t0 = (int64_t)time(NULL), t;

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	ok(ledger_last_ok(dir, "2015-01-01-1", etag, lastmod) == 0, "no ledger yet: nothing found");

	memset(&err, 0, sizeof(err));
	r = rec("2015-01-01-1", "ok", 200, "\"abc\"", "Thu, 01 Jan 2015 02:00:00 GMT");
	snprintf(r.sha256, sizeof(r.sha256), "%064d", 0);
	snprintf(r.detail, sizeof(r.detail), "first try");
	ok(ledger_append(dir, &r, &err) == 0, "append a good download");
	r = rec("2015-01-01-15", "ok", 200, "\"other hour\"", "x");
	ok(ledger_append(dir, &r, &err) == 0, "append another hour that shares the prefix");
	r = rec("2015-01-01-1", "error", 503, "", "");
	ok(ledger_append(dir, &r, &err) == 0, "append a failure");

	snprintf(path, sizeof(path), "%s/.gha-fetch.log", dir);
	fp = fopen(path, "r");
	ok(fp && fgets(line, sizeof(line), fp), "the ledger file exists");
	if (fp) {
		char *f[12], *s = line;
		int k = 0;

		line[strcspn(line, "\n")] = '\0';
		while (k < 12 && s) {
			f[k++] = s;
			s = strchr(s, '\t');
			if (s)
				*s++ = '\0';
		}
		ok(k == 10, "ten tab-separated fields (%d)", k);
		if (k == 10) {
			ok(!strcmp(f[0], "2015-01-01-1") && !strcmp(f[2], "ok") && !strcmp(f[3], "200") &&
			   !strcmp(f[4], "123456789012") && !strcmp(f[6], "2") && !strcmp(f[7], "\"abc\"") &&
			   !strcmp(f[8], "Thu, 01 Jan 2015 02:00:00 GMT") && !strcmp(f[9], "first try") &&
			   strlen(f[5]) == 64, "the fields in order");
			ok(ts_parse(f[1], strlen(f[1]), &t) == 0 && t >= t0 - 1 && t <= (int64_t)time(NULL) + 1,
			   "the time is now, in RFC 3339 (%s)", f[1]);
		}
		ok(fgets(line, sizeof(line), fp) && fgets(line, sizeof(line), fp) &&
		   !strncmp(line, "2015-01-01-1\t", 13) && strstr(line, "\terror\t503\t") && strstr(line, "\t123456789012\t-\t2\t-\t-\t-\n"),
		   "empty fields are written as -");
		fclose(fp);
	}

	memset(etag, 'X', sizeof(etag));
	ok(ledger_last_ok(dir, "2015-01-01-1", etag, lastmod) == 1 && !strcmp(etag, "\"abc\"") &&
	   !strcmp(lastmod, "Thu, 01 Jan 2015 02:00:00 GMT"), "the last good line's validators, not the failure's");
	ok(ledger_last_ok(dir, "2015-01-01-15", etag, lastmod) == 1 && !strcmp(etag, "\"other hour\""),
	   "a longer hour with the same prefix is its own");
	ok(ledger_last_ok(dir, "2015-01-01", etag, lastmod) == 0, "a prefix of an hour matches nothing");
	r = rec("2015-01-01-1", "not-modified", 304, "", "");
	ledger_append(dir, &r, &err);
	ok(ledger_last_ok(dir, "2015-01-01-1", etag, lastmod) == 1 && !strcmp(etag, "") && !strcmp(lastmod, ""),
	   "a later not-modified line counts; - reads back as empty");
	r = rec("2015-01-01-1", "ok", 200, "\"new\"", "");
	ledger_append(dir, &r, &err);
	ok(ledger_last_ok(dir, "2015-01-01-1", etag, lastmod) == 1 && !strcmp(etag, "\"new\""), "the latest ok wins");

	snprintf(path, sizeof(path), "%s/no/such/dir", dir);
	memset(&err, 0, sizeof(err));
	ok(ledger_append(path, &r, &err) == -1 && err.code == GHA_IOERR, "a missing directory: -1, 74 (%s)", err.msg);

	/* joinpath and redact */
	{
		char *p = joinpath("/data", "2015-01-01-1", ".json.gz");

		ok(!strcmp(p, "/data/2015-01-01-1.json.gz"), "joinpath (%s)", p);
		free(p);
	}
	redact_is("https://user:secret@example.com/path", "https://***@example.com/path");
	redact_is("https://token@example.com/", "https://***@example.com/");
	redact_is("https://example.com/a@b", "https://example.com/a@b");
	redact_is("https://example.com", "https://example.com");
	redact_is("file:///tmp/mirror", "file:///tmp/mirror");
	redact_is("no scheme@host", "no scheme@host");
	{
		struct fetch_job j;
		int64_t h;

		hour_parse("2015-01-01-5", &h);
		fetch_job_init(&j, "/d", h);
		ok(!strcmp(j.name, "2015-01-01-5") && !strcmp(j.final, "/d/2015-01-01-5.json.gz") &&
		   !strcmp(j.part, "/d/2015-01-01-5.json.gz.part"), "fetch_job_init names (%s, %s)", j.final, j.part);
		fetch_job_free(&j);
	}

	rmtree(dir);
	return tap_done();
}

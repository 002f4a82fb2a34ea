/* ledger.c: DIR/.gha-fetch.log, one tab-separated line per download
 * attempt. Each line goes out in a single write(2) on an O_APPEND
 * descriptor, so runs sharing a directory never interleave within a line. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gha.h"
#include "inmem.h"
#include "ledger.h"
#include "timefmt.h"

int
ledger_append(const char *dir, const struct ledger_rec *r, struct gha_err *err)
{
	struct buf path, line;
	char now[32];
	int fd, rc = 0;
	ssize_t n;

	buf_init(&path);
	buf_init(&line);
	buf_printf(&path, "%s/.gha-fetch.log", dir);
	ts_format((int64_t)time(NULL), now);
	buf_printf(&line, "%s\t%s\t%s\t%ld\t%llu\t%s\t%d\t%s\t%s\t%s\n", r->hour, now, r->status,
		   r->http, (unsigned long long)r->bytes, r->sha256[0] ? r->sha256 : "-",
		   r->attempt, r->etag[0] ? r->etag : "-", r->lastmod[0] ? r->lastmod : "-",
		   r->detail[0] ? r->detail : "-");
	fd = open(path.p, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0) {
		rc = gha_seterr(err, GHA_IOERR, "cannot open '%s':", path.p);
	} else {
		do
			n = write(fd, line.p, line.len);
		while (n < 0 && errno == EINTR);
		if (n != (ssize_t)line.len)
			rc = gha_seterr(err, GHA_IOERR, "write error on '%s':", path.p);
		if (close(fd) < 0 && !rc)
			rc = gha_seterr(err, GHA_IOERR, "write error on '%s':", path.p);
	}
	buf_free(&path);
	buf_free(&line);
	return rc;
}

/* One ledger line (NUL-terminated, cut at tabs in place): 1 when it is
 * an "ok" or "not-modified" attempt for hour, its validators copied. */
int
ledger_match(char *line, const char *hour, char etag[256], char lastmod[64])
{
	char *f[10], *s = line;
	size_t hl = strlen(hour);
	int k;

	if (strncmp(line, hour, hl) || line[hl] != '\t')
		return 0;
	for (k = 0; k < 10 && s; k++) {
		f[k] = s;
		s = strchr(s, '\t');
		if (s)
			*s++ = '\0';
	}
	if (k < 9 || (strcmp(f[2], "ok") && strcmp(f[2], "not-modified")))
		return 0;
	snprintf(etag, 256, "%s", strcmp(f[7], "-") ? f[7] : "");
	snprintf(lastmod, 64, "%s", strcmp(f[8], "-") ? f[8] : "");
	return 1;
}

/* The validators of the last "ok" line for hour, for --refresh. */
int
ledger_last_ok(const char *dir, const char *hour, char etag[256], char lastmod[64])
{
	struct buf path;
	FILE *fp;
	char line[2048];
	int found = 0;

	buf_init(&path);
	buf_printf(&path, "%s/.gha-fetch.log", dir);
	fp = fopen(path.p, "r");
	buf_free(&path);
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (ledger_match(line, hour, etag, lastmod))
			found = 1;
	fclose(fp);
	return found;
}

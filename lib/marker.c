/* marker.c: the .missing markers of hours missing upstream (marker.h). */
#include <stdio.h>
#include <string.h>

#include "gha.h"
#include "marker.h"
#include "outfile.h"

int
marker_matches(const char *path, const char *url)
{
	char line[2048];
	FILE *fp = fopen(path, "r");
	int same = 0;

	if (!fp)
		return 0;
	if (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		same = !strcmp(line, url);
	}
	fclose(fp);
	return same;
}

int
marker_write(const char *path, const char *url, struct gha_err *err)
{
	struct buf b;
	int rc;

	buf_init(&b);
	buf_printf(&b, "%s\n", url);
	rc = write_atomic(path, b.p, b.len, err);
	buf_free(&b);
	return rc;
}

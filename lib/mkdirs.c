/* mkdirs.c: mkdir -p, for output directories named by the user. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gha.h"
#include "mkdirs.h"

int
mkdirs(const char *path, struct gha_err *err)
{
	char *p = xstrdup(path), *s;
	struct stat st;
	int rc = 0;

	/* each prefix in turn; EEXIST is fine as long as it is a directory */
	for (s = p + (*p == '/'); ; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (*p && mkdir(p, 0755) < 0 && errno != EEXIST) {
			rc = gha_seterr(err, GHA_IOERR, "cannot create '%s':", p);
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	if (rc == 0 && (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)))
		rc = gha_seterr(err, GHA_IOERR, "'%s' is not a directory", path);
	free(p);
	return rc;
}

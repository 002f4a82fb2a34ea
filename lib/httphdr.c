/* httphdr.c: the few response headers gha-fetch needs, parsed within
 * the bytes libcurl gives (its header lines are not NUL-terminated). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "httphdr.h"

/* "Name:" at the start of p[0..len)? Then the value, blanks skipped and
 * the line end cut, in *v and *vn. */
static int
field(const char *p, size_t len, const char *name, const char **v, size_t *vn)
{
	size_t n = strlen(name), i;

	if (len <= n || strncasecmp(p, name, n) || p[n] != ':')
		return 0;
	for (i = n + 1; i < len && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	*v = p + i;
	*vn = len - i;
	while (*vn && ((*v)[*vn - 1] == '\r' || (*v)[*vn - 1] == '\n'))
		(*vn)--;
	return 1;
}

static void
copy(char *dst, size_t dn, const char *v, size_t vn)
{
	if (dn == 0)
		return;
	if (vn >= dn)
		vn = dn - 1;
	memcpy(dst, v, vn);
	dst[vn] = '\0';
}

/* "bytes FIRST-LAST/SIZE": FIRST, or -1 */
static int64_t
range_first(const char *v, size_t n)
{
	int64_t x = 0;
	size_t i;

	if (n < 7 || strncasecmp(v, "bytes ", 6))
		return -1;
	for (i = 6; i < n && v[i] >= '0' && v[i] <= '9'; i++) {
		if (x > (INT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	return i > 6 && i < n && v[i] == '-' ? x : -1;
}

void
http_header(const char *p, size_t len, char *etag, size_t etagsz, char *lastmod,
	    size_t lmsz, int64_t *range_start)
{
	const char *v;
	size_t vn;

	if (len >= 5 && !memcmp(p, "HTTP/", 5)) {	/* a new response: forget the last */
		copy(etag, etagsz, "", 0);
		copy(lastmod, lmsz, "", 0);
		*range_start = -1;
	} else if (field(p, len, "Content-Range", &v, &vn)) {
		*range_start = range_first(v, vn);
	} else if (field(p, len, "ETag", &v, &vn)) {
		copy(etag, etagsz, v, vn);
	} else if (field(p, len, "Last-Modified", &v, &vn)) {
		copy(lastmod, lmsz, v, vn);
	}
}

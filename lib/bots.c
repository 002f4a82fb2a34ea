/* bots.c: bot logins by glob pattern. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "bots.h"

static const char *const defaults[] = { "*[bot]", "*-bot" };

void
botlist_init(struct botlist *b)
{
	size_t i;

	b->n = sizeof(defaults) / sizeof(defaults[0]);
	b->pat = xmalloc(b->n * sizeof(*b->pat));
	for (i = 0; i < b->n; i++)
		b->pat[i] = xstrdup(defaults[i]);
}

void
botlist_free(struct botlist *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->pat[i]);
	free(b->pat);
	b->pat = NULL;
	b->n = 0;
}

int
botlist_load(struct botlist *b, const char *path, struct gha_err *err)
{
	FILE *fp = fopen(path, "r");
	char line[1024];

	if (!fp)
		return gha_seterr(err, errno == ENOENT ? GHA_NOINPUT : GHA_IOERR,
				  "cannot open '%s':", path);
	while (fgets(line, sizeof(line), fp)) {
		char *s = line, *e;

		if ((e = strchr(s, '#')))
			*e = '\0';
		while (isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (!*s)
			continue;
		b->pat = xrealloc(b->pat, (b->n + 1) * sizeof(*b->pat));
		b->pat[b->n++] = xstrdup(s);
	}
	if (ferror(fp)) {
		fclose(fp);
		return gha_seterr(err, GHA_IOERR, "%s: read error:", path);
	}
	fclose(fp);
	return 0;
}

/* '*' any run, '?' one byte; no classes, so "[bot]" is literal. */
int
glob_match(const char *pat, const char *s, size_t n)
{
	const char *star = NULL, *end = s + n, *resume = NULL;

	while (s < end) {
		if (*pat == '*') {
			star = ++pat;
			resume = s;
		} else if (*pat && (*pat == '?' || tolower((unsigned char)*pat) ==
						   tolower((unsigned char)*s))) {
			pat++;
			s++;
		} else if (star) {
			pat = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

int
botlist_match(const struct botlist *b, const char *login, size_t n)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (glob_match(b->pat[i], login, n))
			return 1;
	return 0;
}

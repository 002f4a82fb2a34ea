/* bots.h: which logins are bots. Patterns are globs ('*', '?'),
 * case-insensitive; the defaults are "*[bot]" and "*-bot". */
#ifndef GHA_BOTS_H
#define GHA_BOTS_H

#include "gha.h"

struct botlist {
	char **pat;
	size_t n;
};
void botlist_init(struct botlist *b);	/* the defaults */
void botlist_free(struct botlist *b);
/* One pattern a line; '#' starts a comment. 0, or -1 with err. */
int botlist_load(struct botlist *b, const char *path, struct gha_err *err);
int botlist_match(const struct botlist *b, const char *login, size_t n);
int glob_match(const char *pat, const char *s, size_t n);	/* case-insensitive */

#endif

/* test_bots.c: glob_match and the bot list (defaults, loading a file). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gha.h"
#include "bots.h"
#include "tap.h"

static void
g(const char *pat, const char *s, int want)
{
	ok(glob_match(pat, s, strlen(s)) == want, "glob \"%s\" %s \"%s\"", pat, want ? "matches" : "does not match", s);
}

int
main(void)
{
	struct botlist b;
	struct gha_err err;
	char path[] = "/tmp/gha-test-bots-XXXXXX";
	int fd;

	g("", "", 1);
	g("", "a", 0);
	g("*", "", 1);
	g("*", "anything", 1);
	g("**", "x", 1);
	g("a", "a", 1);
	g("a", "A", 1);
	g("A", "a", 1);
	g("a", "b", 0);
	g("abc", "ab", 0);
	g("ab", "abc", 0);
	g("a?c", "abc", 1);
	g("a?c", "ac", 0);
	g("a?c", "abbc", 0);
	g("?", "", 0);
	g("a*", "a", 1);
	g("*a", "a", 1);
	g("*a", "ba", 1);
	g("*a", "ab", 0);
	g("*ab", "aab", 1);
	g("*aab", "aaab", 1);
	g("*a*b*", "xxaxxbxx", 1);
	g("*a*b", "ab_ab_a", 0);
	g("a*b*c", "abbbc", 1);
	g("a*b*c", "acb", 0);
	g("*[bot]", "dependabot[bot]", 1);
	g("*[bot]", "Renovate[BOT]", 1);
	g("*[bot]", "[bot]", 1);
	g("*[bot]", "bot", 0);
	g("*[bot]", "b", 0);		/* brackets are literal, not a class */
	g("*[bot]", "dependabot[bot]x", 0);
	g("*-bot", "my-bot", 1);
	g("*-bot", "-bot", 1);
	g("*-bot", "robot", 0);
	g("*-bot", "my-bot-2", 0);
	g("?", "\xc3\xa9", 0);		/* one byte, not one character */
	g("??", "\xc3\xa9", 1);
	g("*\xc3\xa9", "caf\xc3\xa9", 1);

	/* n bounds the subject */
	ok(glob_match("abc", "abcdef", 3) == 1, "n = 3 of abcdef matches abc");
	ok(glob_match("abc", "abcdef", 2) == 0, "n = 2 does not");
	ok(glob_match("*", "xyz", 0) == 1 && glob_match("?", "xyz", 0) == 0, "n = 0 is the empty string");
	{
		/* a subject that is not NUL-terminated, in an exact-size block */
		char *s = malloc(7);

		memcpy(s, "web-bot", 7);
		ok(glob_match("*-bot", s, 7) == 1, "exact-size subject");
		free(s);
	}

	/* a pathological pattern stays quick */
	{
		char s[4001];

		memset(s, 'a', 4000);
		s[4000] = '\0';
		ok(glob_match("*a*a*a*a*a*a*a*a*b", s, 4000) == 0, "many stars against a long subject");
	}

	/* the defaults */
	botlist_init(&b);
	ok(b.n == 2, "two default patterns");
	ok(botlist_match(&b, "dependabot[bot]", 15) && botlist_match(&b, "github-actions[bot]", 19) &&
	   botlist_match(&b, "some-bot", 8), "default patterns match bots");
	ok(!botlist_match(&b, "octocat", 7) && !botlist_match(&b, "robot", 5) &&
	   !botlist_match(&b, "bot", 3) && !botlist_match(&b, "", 0), "and not people");

	/* loading more from a file */
	fd = mkstemp(path);
	if (fd >= 0) {
		static const char text[] =
		    "# bot patterns\n"
		    "\n"
		    "   ci-*   \n"
		    "exact-name # trailing comment\n"
		    "\t\n"
		    "*robot";	/* no final newline */
		ssize_t w = write(fd, text, sizeof(text) - 1);

		close(fd);
		memset(&err, 0, sizeof(err));
		ok(w == (ssize_t)sizeof(text) - 1 && botlist_load(&b, path, &err) == 0, "botlist_load");
		ok(b.n == 5, "three patterns added to the two defaults (%zu)", b.n);
		ok(botlist_match(&b, "CI-runner", 9), "ci-* matches CI-runner");
		ok(botlist_match(&b, "exact-name", 10) && !botlist_match(&b, "exact-name2", 11),
		   "a trailing comment and spaces are not part of the pattern");
		ok(botlist_match(&b, "MyRobot", 7), "the last line without newline");
		ok(!botlist_match(&b, "octocat", 7), "people still are not bots");
		unlink(path);
	}
	memset(&err, 0, sizeof(err));
	ok(botlist_load(&b, "/nonexistent/bots.txt", &err) == -1 && err.code == GHA_NOINPUT,
	   "a missing file: -1, code 66 (%s)", err.msg);
	botlist_free(&b);
	ok(b.n == 0 && b.pat == NULL, "botlist_free");
	return tap_done();
}

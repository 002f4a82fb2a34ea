/* test_counter.c: name -> count tables: adding, sorted JSON output, the
 * COUNTER_MAX cap folding later names into "(other)". Cases that could
 * crash run in a child process so the rest of the plan still runs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gha.h"
#include "counter.h"
#include "json.h"
#include "utf8.h"
#include "tap.h"

static void
json_is(const struct counter *c, const char *want, const char *what)
{
	struct buf b;

	buf_init(&b);
	counter_json(c, &b);
	ok(b.len == strlen(want) && !memcmp(b.p, want, b.len), "%s: %s (got %.*s)", what, want,
	   (int)(b.len > 200 ? 200 : b.len), b.p);
	buf_free(&b);
}

/* COUNTER_MAX + 5 distinct names: the last five fold into "(other)". */
static int
overflow_child(void)
{
	struct counter c;
	char name[32];
	int i;
	uint64_t other = 0, total = 0;
	size_t k;

	counter_init(&c);
	for (i = 0; i < COUNTER_MAX + 5; i++) {
		int n = snprintf(name, sizeof(name), "name%05d", i);

		counter_add(&c, name, (size_t)n, 2);
	}
	counter_add(&c, "name00000", 9, 1);	/* an early name still counts by itself */
	for (k = 0; k < c.len; k++) {
		total += c.v[k].n;
		if (!strcmp(c.v[k].name, "(other)"))
			other = c.v[k].n;
	}
	if (c.len != COUNTER_MAX + 1)
		return 2;	/* not COUNTER_MAX names and "(other)" */
	if (total != 2 * (COUNTER_MAX + 5) + 1)
		return 3;	/* counts lost */
	if (other != 10)
		return 4;	/* the five late names (2 each) are not all in (other) */
	counter_free(&c);
	return 0;
}

int
main(void)
{
	struct counter c;
	struct buf b;

	counter_init(&c);
	json_is(&c, "{}", "empty counter");
	counter_add(&c, "PushEvent", 9, 1);
	counter_add(&c, "IssuesEvent", 11, 2);
	counter_add(&c, "PushEvent", 9, 40);
	counter_add(&c, "CreateEvent", 11, 0);
	json_is(&c, "{\"CreateEvent\":0,\"IssuesEvent\":2,\"PushEvent\":41}", "sorted by name, summed");
	ok(c.len == 3, "three names");

	/* len bounds the name; prefixes are different names */
	counter_add(&c, "PushEventXYZ", 9, 1);
	counter_add(&c, "Push", 4, 5);
	json_is(&c, "{\"CreateEvent\":0,\"IssuesEvent\":2,\"Push\":5,\"PushEvent\":42}",
		"length bounds the name; a prefix is another name");

	/* large counts, byte order for sorting */
	counter_free(&c);
	counter_init(&c);
	counter_add(&c, "b", 1, UINT64_MAX);
	counter_add(&c, "B", 1, 1);
	counter_add(&c, "a", 1, 1);
	counter_add(&c, "", 0, 3);
	json_is(&c, "{\"\":3,\"B\":1,\"a\":1,\"b\":18446744073709551615}", "byte order, 64-bit counts");
	counter_free(&c);

	/* names needing escapes, and invalid UTF-8 */
	counter_init(&c);
	counter_add(&c, "a\"b", 3, 1);
	counter_add(&c, "x\xff", 2, 1);
	buf_init(&b);
	counter_json(&c, &b);
	ok(strstr(b.p, "\"a\\\"b\":1") != NULL, "a quote in a name is escaped");
	ok(utf8_valid((const unsigned char *)b.p, b.len), "output is valid UTF-8 with a bad name");
	{
		struct jscan js;
		size_t vs, ve;

		jscan_init(&js, NULL, 0);
		ok(json_scan(&js, b.p, b.len, 0, &vs, &ve) == (long)b.len, "output is valid JSON");
		jscan_free(&js);
	}
	buf_free(&b);
	counter_free(&c);
	ok(c.len == 0 && c.v == NULL, "counter_free resets");

	/* exactly COUNTER_MAX names fit */
	counter_init(&c);
	{
		char name[32];
		int i;

		for (i = 0; i < COUNTER_MAX; i++) {
			int n = snprintf(name, sizeof(name), "n%d", i);

			counter_add(&c, name, (size_t)n, 1);
		}
	}
	ok(c.len == COUNTER_MAX, "COUNTER_MAX distinct names fit (%zu)", c.len);
	counter_free(&c);

	/* one more folds into "(other)": run it where a crash cannot stop us */
	fflush(stdout);
	{
		pid_t pid = fork();
		int st = 0;

		if (pid == 0) {
			alarm(20);	/* endless recursion may loop instead of crashing */
			_exit(overflow_child());
		}
		waitpid(pid, &st, 0);
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		   "names past COUNTER_MAX fold into (other) (child %s %d)",
		   WIFSIGNALED(st) ? "killed by signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
	return tap_done();
}

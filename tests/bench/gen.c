/* gen.c: a deterministic synthetic GH Archive hour in the 2015+ Events API
 * shape, for make bench: about 200,000 events and 700 MB by default.
 * usage: gen [EVENTS] > hour.json
 * The mix follows a real hour: half pushes (1 to 20 commits), stars,
 * branch creations, comments with markdown, code, CRLF, escapes, emoji and
 * CJK (raw and as \u escapes), and pull requests with large payloads. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
upto(unsigned n)
{
	return (unsigned)(next() % n);
}

static char *buf;
static size_t len, cap;

static void
put(const char *s, size_t n)
{
	if (len + n > cap) {
		cap = (len + n) * 2;
		buf = realloc(buf, cap);
		if (!buf)
			abort();
	}
	memcpy(buf + len, s, n);
	len += n;
}

static void
puts_(const char *s)
{
	put(s, strlen(s));
}

static void
pf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#include <stdarg.h>
static void
pf(const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(tmp, (size_t)n);
}

static const char *const words[] = {
	"fix", "add", "update", "remove", "refactor", "the", "parser", "for", "tests", "build",
	"docs", "README", "api", "handle", "error", "when", "config", "is", "missing", "bump",
	"version", "merge", "branch", "into", "main", "cleanup", "typo", "support", "new",
	"feature", "release", "notes", "CI", "workflow", "dependency", "from", "to", "and",
};
/* raw UTF-8 and JSON escapes, as GitHub writes them */
static const char *const spice[] = {
	"\xf0\x9f\x9a\x80", "\xe2\x9c\xa8", "\xe4\xbf\xae\xe5\xa4\x8d", "\xe6\x9b\xb4\xe6\x96\xb0",
	"\\ud83d\\ude80", "\\u00e9t\\u00e9", "\\\"quoted\\\"", "C:\\\\path\\\\file", "\\r\\n",
	"\\n\\n```js\\nconst a = 1;\\n```\\n", "`code`", "**bold**", "\\t", "&amp;", "<br/>",
};

static void
text(unsigned nwords)
{
	unsigned i;

	for (i = 0; i < nwords; i++) {
		if (i)
			puts_(" ");
		if (upto(12) == 0)
			puts_(spice[upto(sizeof(spice) / sizeof(spice[0]))]);
		else
			puts_(words[upto(sizeof(words) / sizeof(words[0]))]);
	}
}

static void
hex(unsigned n)
{
	static const char h[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < n; i++)
		put(&h[upto(16)], 1);
}

static void
login(uint64_t id)
{
	pf("user%llu", (unsigned long long)id);
}

static void
user(const char *key, uint64_t id)
{
	pf("\"%s\":{\"login\":\"", key);
	login(id);
	pf("\",\"id\":%llu,\"node_id\":\"MDQ6VXNlcj%llu=\",\"avatar_url\":\"https://avatars.githubusercontent.com/u/%llu?v=4\","
	   "\"gravatar_id\":\"\",\"url\":\"https://api.github.com/users/user%llu\","
	   "\"html_url\":\"https://github.com/user%llu\",\"followers_url\":\"https://api.github.com/users/user%llu/followers\","
	   "\"repos_url\":\"https://api.github.com/users/user%llu/repos\",\"type\":\"User\",\"site_admin\":false}",
	   (unsigned long long)id, (unsigned long long)id, (unsigned long long)id,
	   (unsigned long long)id, (unsigned long long)id, (unsigned long long)id,
	   (unsigned long long)id);
}

static void
repo_obj(const char *key, uint64_t rid, uint64_t owner)
{
	static const char *const langs[] = { "JavaScript", "Python", "Go", "Rust", "Java", "C",
					     "TypeScript", "Ruby", "C++", "Shell" };

	pf("\"%s\":{\"id\":%llu,\"name\":\"repo%llu\",\"full_name\":\"user%llu/repo%llu\",\"private\":false,",
	   key, (unsigned long long)rid, (unsigned long long)rid, (unsigned long long)owner,
	   (unsigned long long)rid);
	user("owner", owner);
	pf(",\"html_url\":\"https://github.com/user%llu/repo%llu\",\"description\":\"",
	   (unsigned long long)owner, (unsigned long long)rid);
	text(8 + upto(12));
	pf("\",\"fork\":false,\"url\":\"https://api.github.com/repos/user%llu/repo%llu\","
	   "\"created_at\":\"2014-0%u-1%uT0%u:00:00Z\",\"updated_at\":\"2015-01-01T00:00:00Z\","
	   "\"stargazers_count\":%u,\"watchers_count\":%u,\"language\":\"%s\",\"forks_count\":%u,"
	   "\"open_issues_count\":%u,\"default_branch\":\"master\"}",
	   (unsigned long long)owner, (unsigned long long)rid, 1 + upto(9), upto(10), upto(10),
	   upto(5000), upto(5000), langs[upto(10)], upto(300), upto(100));
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000, i;
	uint64_t id = 2489651045ULL;

	for (i = 0; i < n; i++) {
		unsigned r = upto(100), sec = (unsigned)(i * 3600 / n);
		uint64_t actor = 1000 + upto(150000), rid = 20000000 + upto(400000);
		uint64_t owner = 1000 + upto(150000);
		const char *type;

		len = 0;
		type = r < 50 ? "PushEvent" : r < 62 ? "WatchEvent" : r < 72 ? "CreateEvent"
		     : r < 82 ? "IssueCommentEvent" : r < 88 ? "PullRequestEvent"
		     : r < 93 ? "IssuesEvent" : r < 96 ? "ForkEvent" : r < 98 ? "DeleteEvent"
		     : "PullRequestReviewCommentEvent";
		pf("{\"id\":\"%llu\",\"type\":\"%s\",\"actor\":{\"id\":%llu,\"login\":\"",
		   (unsigned long long)id++, type, (unsigned long long)actor);
		login(actor);
		puts_("\",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/users/");
		login(actor);
		pf("\",\"avatar_url\":\"https://avatars.githubusercontent.com/u/%llu?\"},",
		   (unsigned long long)actor);
		pf("\"repo\":{\"id\":%llu,\"name\":\"user%llu/repo%llu\",\"url\":\"https://api.github.com/repos/user%llu/repo%llu\"},",
		   (unsigned long long)rid, (unsigned long long)owner, (unsigned long long)rid,
		   (unsigned long long)owner, (unsigned long long)rid);
		puts_("\"payload\":{");
		if (r < 50) {
			unsigned k, nc = 1 + (upto(4) ? upto(3) : upto(20));

			pf("\"push_id\":%llu,\"size\":%u,\"distinct_size\":%u,\"ref\":\"refs/heads/master\",\"head\":\"",
			   (unsigned long long)(536740396 + i), nc, nc);
			hex(40);
			puts_("\",\"before\":\"");
			hex(40);
			puts_("\",\"commits\":[");
			for (k = 0; k < nc; k++) {
				if (k)
					puts_(",");
				puts_("{\"sha\":\"");
				hex(40);
				pf("\",\"author\":{\"email\":\"");
				hex(40);
				puts_("@example.com\",\"name\":\"Some Author\"},\"message\":\"");
				text(6 + upto(upto(8) ? 30 : 400));
				pf("\",\"distinct\":true,\"url\":\"https://api.github.com/repos/user%llu/repo%llu/commits/",
				   (unsigned long long)owner, (unsigned long long)rid);
				hex(40);
				puts_("\"}");
			}
			puts_("]");
		} else if (r < 62) {
			puts_("\"action\":\"started\"");
		} else if (r < 72) {
			puts_("\"ref\":\"feature-");
			hex(6);
			puts_("\",\"ref_type\":\"branch\",\"master_branch\":\"master\",\"description\":\"");
			text(10);
			puts_("\",\"pusher_type\":\"user\"");
		} else if (r < 82 || r >= 98) {
			pf("\"action\":\"created\",\"issue\":{\"url\":\"https://api.github.com/repos/user%llu/repo%llu/issues/%u\",\"id\":%u,\"number\":%u,\"title\":\"",
			   (unsigned long long)owner, (unsigned long long)rid, upto(900), 50000000 + upto(9000000),
			   upto(900));
			text(6);
			puts_("\",");
			user("user", actor);
			puts_(",\"state\":\"open\",\"comments\":3,\"body\":\"");
			text(60 + upto(400));
			puts_("\"},\"comment\":{\"id\":");
			pf("%u,", 68000000 + upto(9000000));
			user("user", actor);
			puts_(",\"created_at\":\"2015-01-01T15:00:00Z\",\"body\":\"");
			text(40 + upto(upto(4) ? 200 : 1200));
			puts_("\"}");
		} else if (r < 88) {
			unsigned num = upto(3000);

			pf("\"action\":\"opened\",\"number\":%u,\"pull_request\":{\"url\":\"https://api.github.com/repos/user%llu/repo%llu/pulls/%u\",\"id\":%u,\"number\":%u,\"state\":\"open\",\"locked\":false,\"title\":\"",
			   num, (unsigned long long)owner, (unsigned long long)rid, num, 26000000 + upto(900000), num);
			text(8);
			puts_("\",");
			user("user", actor);
			puts_(",\"body\":\"");
			text(400 + upto(2800));
			pf("\",\"created_at\":\"2015-01-01T14:%02u:00Z\",\"updated_at\":\"2015-01-01T15:00:00Z\",\"closed_at\":null,\"merged_at\":null,\"merge_commit_sha\":null,",
			   upto(60));
			puts_("\"head\":{\"label\":\"x:feature\",\"ref\":\"feature\",\"sha\":\"");
			hex(40);
			puts_("\",");
			user("user", actor);
			puts_(",");
			repo_obj("repo", rid + 1, actor);
			puts_("},\"base\":{\"label\":\"y:master\",\"ref\":\"master\",\"sha\":\"");
			hex(40);
			puts_("\",");
			user("user", owner);
			puts_(",");
			repo_obj("repo", rid, owner);
			pf("},\"merged\":false,\"mergeable\":null,\"comments\":%u,\"review_comments\":%u,\"commits\":%u,\"additions\":%u,\"deletions\":%u,\"changed_files\":%u}",
			   upto(10), upto(10), 1 + upto(20), upto(2000), upto(900), 1 + upto(40));
		} else if (r < 93) {
			pf("\"action\":\"opened\",\"issue\":{\"id\":%u,\"number\":%u,\"title\":\"",
			   50000000 + upto(9000000), upto(900));
			text(7);
			puts_("\",");
			user("user", actor);
			puts_(",\"state\":\"open\",\"body\":\"");
			text(100 + upto(500));
			puts_("\"}");
		} else if (r < 96) {
			repo_obj("forkee", rid + 7, actor);
		} else {
			puts_("\"ref\":\"old-branch\",\"ref_type\":\"branch\",\"pusher_type\":\"user\"");
		}
		puts_("},\"public\":true,");
		pf("\"created_at\":\"2015-01-01T15:%02u:%02uZ\"", sec / 60, sec % 60);
		if (upto(10) < 3)
			pf(",\"org\":{\"id\":%u,\"login\":\"org%u\",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/orgs/org%u\",\"avatar_url\":\"https://avatars.githubusercontent.com/u/%u?\"}",
			   upto(9000), upto(9000), upto(9000), upto(9000));
		puts_("}\n");
		if (fwrite(buf, 1, len, stdout) != len)
			return 1;
	}
	return fclose(stdout) ? 1 : 0;
}

/* gen.c: a deterministic synthetic GH Archive hour in the Events API shape
 * (2015 on; this one is 2024-05-21-15, before the 2025-10 payload trim),
 * NDJSON on stdout, for make bench. About 200,000 events and 700 MB by
 * default.
 *
 * usage: gen [EVENTS]
 *
 * Same output for the same EVENTS on every machine: one splitmix64 stream
 * with a fixed seed, no rand(), no clock, no locale. The mix follows a real
 * hour: half pushes (1 to 20 commits), branch and tag creations, stars,
 * comments and issue bodies in markdown (code fences, tables, CRLF line
 * ends, escaped quotes and backslashes, emoji and CJK both as raw UTF-8
 * and as \u escapes with surrogate pairs), pull requests and reviews that
 * carry full pull_request objects with head and base repositories and
 * every *_url (10 to 40 KB each), forks, deletions, releases, wiki edits.
 * Actors, repositories and organizations come from fixed pools with skewed
 * popularity, so the same login keeps its id, and about 30% of events are
 * on organization repositories (and carry "org").
 *
 * Every line is one valid JSON object in valid UTF-8: the text is built
 * from fragments that are already JSON-escaped, never cut inside one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output: one large buffer, written when full ---- */

#define OUTCAP (1u << 22)
static char out[OUTCAP];
static size_t olen;
static uint64_t ototal;		/* bytes produced so far, for sizing bodies */

static void
flush_out(void)
{
	if (olen && fwrite(out, 1, olen, stdout) != olen) {
		perror("gen: write");
		exit(1);
	}
	olen = 0;
}

static void
put(const char *s, size_t n)
{
	if (n > OUTCAP - olen) {
		flush_out();
		if (n > OUTCAP) {
			if (fwrite(s, 1, n, stdout) != n) {
				perror("gen: write");
				exit(1);
			}
			ototal += n;
			return;
		}
	}
	memcpy(out + olen, s, n);
	olen += n;
	ototal += n;
}

#define S(lit) put("" lit, sizeof(lit) - 1)	/* literals only */

static void
str(const char *s)
{
	put(s, strlen(s));
}

static void
u64(uint64_t v)
{
	char t[24];
	int i = 24;

	do
		t[--i] = (char)('0' + v % 10);
	while (v /= 10);
	put(t + i, (size_t)(24 - i));
}

/* ---- randomness ---- */

static uint64_t rng_state = 0x6a09e667f3bcc909ULL;

static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
next(void)
{
	return mix(rng_state += 0x9e3779b97f4a7c15ULL);
}

static unsigned
upto(unsigned n)	/* 0 .. n-1 */
{
	return (unsigned)(((next() >> 32) * n) >> 32);
}

static int
chance(unsigned permille)
{
	return upto(1000) < permille;
}

/* 0 .. n-1, low values far more likely: u^k of a uniform u */
static uint64_t
skew(uint64_t n, int k)
{
	double u = (double)(next() >> 11) / 9007199254740992.0, v = u;
	int i;

	for (i = 1; i < k; i++)
		v *= u;
	return (uint64_t)(v * (double)n);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a) ((a)[upto(NELEM(a))])
#define HPICK(a, h) ((a)[(h) % NELEM(a)])

/* n random characters of an alphabet of 2^bits, bits at a time */
static void
randchars(const char *a, unsigned bits, unsigned n)
{
	char t[64];
	unsigned i = 0, per = 64 / bits;

	while (i < n) {
		uint64_t r = next();
		unsigned k;

		for (k = 0; k < per && i < n; k++, r >>= bits)
			t[i++] = a[r & ((1u << bits) - 1)];
	}
	put(t, n);
}

static void
hex(unsigned n)
{
	randchars("0123456789abcdef", 4, n);
}

static void
b64rand(unsigned n)	/* the tail of a node_id */
{
	randchars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 6, n);
}

static void
b64(const char *s, size_t n)	/* old-style node ids: base64("04:User123") */
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char t[128];
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)s[i] << 16 |
			     (unsigned)(unsigned char)s[i + 1] << 8 | (unsigned char)s[i + 2];

		t[o++] = a[v >> 18];
		t[o++] = a[(v >> 12) & 63];
		t[o++] = a[(v >> 6) & 63];
		t[o++] = a[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)(unsigned char)s[i] << 16 |
			     (i + 1 < n ? (unsigned)(unsigned char)s[i + 1] << 8 : 0);

		t[o++] = a[v >> 18];
		t[o++] = a[(v >> 12) & 63];
		t[o++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		t[o++] = '=';
	}
	put(t, o);
}

/* ---- time ---- */

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
ts(int64_t t)	/* "YYYY-MM-DDTHH:MM:SSZ", quoted */
{
	int64_t z = t / 86400 + 719468, era;
	unsigned doe, yoe, doy, mp, d, m, y, s = (unsigned)(t % 86400);
	char b[22];

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (unsigned)((int64_t)yoe + era * 400);
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	memcpy(b, "\"0000-00-00T00:00:00Z\"", 22);
	b[1] = (char)('0' + y / 1000 % 10);
	b[2] = (char)('0' + y / 100 % 10);
	b[3] = (char)('0' + y / 10 % 10);
	b[4] = (char)('0' + y % 10);
	b[6] = (char)('0' + m / 10);
	b[7] = (char)('0' + m % 10);
	b[9] = (char)('0' + d / 10);
	b[10] = (char)('0' + d % 10);
	b[12] = (char)('0' + s / 36000);
	b[13] = (char)('0' + s / 3600 % 10);
	b[15] = (char)('0' + s / 60 % 60 / 10);
	b[16] = (char)('0' + s / 60 % 10);
	b[18] = (char)('0' + s % 60 / 10);
	b[19] = (char)('0' + s % 10);
	put(b, 22);
}

static int64_t hour0;	/* 2024-05-21T15:00:00Z */
static int64_t now;	/* the event being written */

static int64_t
past(int64_t maxsecs)	/* a time before now, more likely recent */
{
	return now - 1 - (int64_t)skew((uint64_t)maxsecs, 2);
}

/* ---- vocabulary; every string here is JSON text already ---- */

static const char *const syl[] = {
	"al", "an", "ar", "ba", "be", "bo", "chen", "da", "de", "dev", "di", "el", "en", "er",
	"fa", "fe", "go", "ha", "hi", "ik", "in", "ja", "jo", "ka", "ke", "ki", "ko", "la", "le",
	"li", "lo", "lu", "ma", "me", "mi", "mo", "na", "ne", "ni", "no", "ol", "on", "or", "pa",
	"pe", "ra", "re", "ri", "ro", "sa", "se", "shi", "so", "ta", "te", "ti", "to", "tu", "va",
	"vi", "wa", "xi", "ya", "yu", "za", "zo", "kim", "lee", "park", "wang", "zhang", "liu",
	"max", "sam", "alex", "dan", "tom", "ben", "nick", "code", "hack", "byte", "bit", "net",
	"web", "cloud", "data", "ml", "ai", "sun", "moon", "star", "fox", "wolf", "cat",
};
static const char *const org_suffix[] = {
	"", "", "", "-labs", "-io", "hq", "-dev", "-team", "-org", "-oss", "-inc", "-project",
	"-foundation", "-community", "-systems",
};
static const char *const repo_words[] = {
	"awesome", "my", "simple", "react", "vue", "api", "app", "bot", "cli", "core",
	"dashboard", "demo", "docs", "engine", "example", "framework", "game", "go", "js", "kit",
	"lab", "lib", "mobile", "node", "notes", "parser", "plugin", "portfolio", "project", "py",
	"rust", "sdk", "server", "service", "site", "starter", "store", "template", "test",
	"tools", "tracker", "ui", "utils", "web", "website", "workshop", "ml", "data", "pipeline",
	"config", "infra", "terraform", "k8s", "helm", "chart", "backend", "frontend", "blog",
	"homework", "assignment", "leetcode", "algorithms", "course", "tutorial", "clone",
	"platform", "analytics", "client", "proxy", "scraper", "crawler", "monitor", "agent",
};
static const char *const words[] = {
	"the", "a", "to", "of", "and", "in", "is", "for", "it", "this", "that", "with", "on",
	"not", "be", "we", "are", "when", "if", "should", "can", "but", "from", "as", "after",
	"before", "now", "also", "still", "only", "just", "into", "by", "all", "some", "new",
	"old", "first", "last", "same", "other", "error", "fix", "add", "update", "remove",
	"refactor", "parser", "tests", "build", "docs", "README", "api", "handle", "config",
	"missing", "bump", "version", "merge", "branch", "main", "cleanup", "typo", "support",
	"feature", "release", "notes", "CI", "workflow", "dependency", "function", "method",
	"class", "module", "package", "component", "endpoint", "request", "response", "server",
	"client", "database", "query", "cache", "timeout", "memory", "leak", "crash", "panic",
	"exception", "null", "pointer", "index", "array", "string", "buffer", "file", "path",
	"directory", "permission", "token", "user", "login", "password", "session", "cookie",
	"header", "layout", "button", "modal", "page", "style", "theme", "dark", "mode", "mobile",
	"desktop", "browser", "Linux", "macOS", "Windows", "Docker", "image", "container",
	"deploy", "production", "staging", "environment", "variable", "flag", "option", "default",
	"value", "type", "schema", "migration", "table", "column", "row", "field", "report",
	"issue", "bug", "regression", "performance", "faster", "slower", "works", "fails",
	"broken", "expected", "actual", "behavior", "output", "input", "log", "logs", "trace",
	"stack", "thread", "async", "await", "promise", "callback", "event", "listener", "hook",
	"state", "props", "render", "route", "router", "plugin", "extension", "script", "command",
	"argument", "parameter", "return", "result", "works", "thanks", "please", "maybe",
	"probably", "actually", "already", "again", "here", "there", "something", "nothing",
};
static const char *const verbs[] = {
	"Fix", "Add", "Update", "Remove", "Refactor", "Improve", "Implement", "Use", "Move",
	"Rename", "Bump", "Clean up", "Handle", "Support", "Allow", "Make", "Change", "Replace",
	"Simplify", "Document", "Test", "Revert", "Drop", "Enable", "Disable", "Initial",
};
/* spice in running text: raw UTF-8, \u escapes (surrogate pairs for
 * astral characters), escaped quotes and backslashes, inline markdown */
static const char *const spice[] = {
	"\xf0\x9f\x9a\x80",			/* U+1F680 rocket */
	"\xe2\x9c\xa8",				/* U+2728 sparkles */
	"\xf0\x9f\x91\x8d",			/* U+1F44D thumbs up */
	"\xf0\x9f\x8e\x89",			/* U+1F389 party popper */
	"\xf0\x9f\x98\x85",			/* U+1F605 */
	"\xe2\x9d\xa4\xef\xb8\x8f",		/* U+2764 U+FE0F heart */
	"\xe4\xbf\xae\xe5\xa4\x8d",		/* U+4FEE U+590D "fix" */
	"\xe6\x9b\xb4\xe6\x96\xb0",		/* U+66F4 U+65B0 "update" */
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",	/* U+65E5 U+672C U+8A9E */
	"\xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8",	/* U+D14C U+C2A4 U+D2B8 (Hangul) */
	"\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",	/* Cyrillic */
	"caf\xc3\xa9",				/* U+00E9 */
	"\xe2\x80\x94",				/* em dash */
	"\xe2\x86\x92",				/* arrow */
	"\\ud83d\\ude80",			/* rocket, escaped */
	"\\ud83d\\udc4d",			/* thumbs up, escaped */
	"\\ud83c\\udf89",			/* party popper, escaped */
	"\\ud83d\\ude02",			/* U+1F602, escaped */
	"\\u4fee\\u590d",			/* CJK, escaped */
	"r\\u00e9sum\\u00e9",
	"\\u2014",
	"\\u003cdiv\\u003e",
	"Tom \\u0026 Jerry",
	"\\\"quoted\\\"",
	"\\\"it works\\\"",
	"C:\\\\Users\\\\dev\\\\project",
	"\\\\d+\\\\.\\\\d+",
	"`inline_code()`",
	"`npm install`",
	"**bold**",
	"_emphasis_",
	"~~struck~~",
	"[docs](https://docs.github.com/en/rest)",
	"\\t",
	"<br>",
	"don't",
	"it's",
	"50%",
	"x \\u003e= 0",
};
static const char *const code_c[] = {
	"#include <stdio.h>", "int main(int argc, char **argv) {",
	"\\tprintf(\\\"hello, %s\\\\n\\\", argv[1]);", "\\tif (p == NULL)",
	"\\t\\treturn -1;", "\\treturn 0;", "}", "static size_t len = sizeof(buf) - 1;",
};
static const char *const code_py[] = {
	"def parse(path):", "    with open(path, encoding=\\\"utf-8\\\") as f:",
	"        return json.load(f)", "print(f\\\"{name!r}: {value}\\\")",
	"pattern = re.compile(r\\\"^\\\\d{4}-\\\\d{2}-\\\\d{2}$\\\")", "import numpy as np",
	"for i, row in enumerate(rows):", "    total += row[\\\"count\\\"]",
};
static const char *const code_js[] = {
	"const res = await fetch(`${API}/repos/${owner}`);",
	"console.log(\\\"done\\\", JSON.stringify(obj, null, 2));",
	"if (a !== b) { throw new Error('mismatch'); }", "export default function App() {",
	"  return <div className=\\\"app\\\">{children}</div>;", "}", "npm ERR! code ERESOLVE",
};
static const char *const code_go[] = {
	"func main() {", "\\tf, err := os.Open(path)", "\\tif err != nil {",
	"\\t\\treturn fmt.Errorf(\\\"open %q: %w\\\", path, err)", "\\t}",
	"\\tdefer f.Close()", "}",
};
static const char *const code_sh[] = {
	"$ npm install --save-dev typescript", "export PATH=\\\"$HOME/.local/bin:$PATH\\\"",
	"./configure --prefix=/usr \\u0026\\u0026 make \\u0026\\u0026 sudo make install",
	"docker run --rm -it -v \\\"$(pwd)\\\":/src app:latest", "pip install -r requirements.txt",
	"git rebase -i HEAD~3",
};
static const char *const code_json[] = {
	"{", "  \\\"name\\\": \\\"app\\\",", "  \\\"version\\\": \\\"1.2.3\\\",",
	"  \\\"scripts\\\": { \\\"test\\\": \\\"jest --coverage\\\" },",
	"  \\\"path\\\": \\\"C:\\\\\\\\tools\\\\\\\\bin\\\"", "}",
};
static const char *const code_trace[] = {
	"Traceback (most recent call last):",
	"  File \\\"/usr/lib/python3.11/site-packages/app/main.py\\\", line 42, in \\u003cmodule\\u003e",
	"    main()", "KeyError: 'id'",
	"Error: ENOENT: no such file or directory, open 'C:\\\\Users\\\\dev\\\\app\\\\package.json'",
	"    at Object.openSync (node:fs:596:3)",
	"thread 'main' panicked at src/main.rs:12:5:", "java.lang.NullPointerException",
	"\\tat com.example.App.run(App.java:27)",
};
static const char *const *const codes[] = { code_c, code_py, code_js, code_go, code_sh,
					    code_json, code_trace };
static const unsigned ncodes[] = { NELEM(code_c), NELEM(code_py), NELEM(code_js),
				   NELEM(code_go), NELEM(code_sh), NELEM(code_json),
				   NELEM(code_trace) };
static const char *const code_lang[] = { "c", "python", "js", "go", "bash", "json", "" };
static const char *const headings[] = {
	"Summary", "Description", "Changes", "Steps to reproduce", "Expected behavior",
	"Actual behavior", "Environment", "Checklist", "Screenshots", "Motivation", "Test plan",
	"What does this PR do?", "Related issues", "\xf0\x9f\x93\x9d Notes",
	"\xe2\x9c\x85 Checklist", "\xf0\x9f\x94\x8d \xea\xb0\x9c\xec\x9a\x94",
	"\xe5\x8f\x98\xe6\x9b\xb4\xe5\x86\x85\xe5\xae\xb9",
};
static const char *const first_names[] = {
	"James", "Maria", "Wei", "Anna", "Mohammed", "Yuki", "Olga", "Carlos", "Priya", "Lucas",
	"Sofia", "Ahmed", "Emma", "Jos\xc3\xa9", "Fran\xc3\xa7ois", "J\xc3\xbcrgen", "S\xc3\xb8ren",
	"\xc5\x81ukasz", "Zo\xc3\xab", "Ng\xe1\xbb\x8d\x63", "\xe6\x9d\x8e", "\xe7\x8e\x8b",
	"\xe7\x94\xb0\xe4\xb8\xad", "\xea\xb9\x80",
};
static const char *const last_names[] = {
	"Smith", "Garcia", "Zhang", "Kowalski", "M\xc3\xbcller", "Silva", "Nguyen", "Patel",
	"Ivanov", "Tanaka", "O'Brien", "van der Berg", "Rossi", "Johansson", "Kim", "Dubois",
	"Hern\xc3\xa1ndez", "\xe4\xbc\x9f", "\xe8\x8a\xb3", "\xe5\xa4\xaa\xe9\x83\x8e",
	"\xeb\xaf\xbc\xec\xa4\x80",
};
static const char *const languages[] = {
	"JavaScript", "Python", "TypeScript", "Java", "Go", "C++", "C#", "PHP", "Ruby", "Rust",
	"C", "Shell", "HTML", "CSS", "Kotlin", "Swift", "Dart", "Jupyter Notebook", "Vue", "Lua",
};
static const char *const licenses[] = {
	"{\"key\":\"mit\",\"name\":\"MIT License\",\"spdx_id\":\"MIT\",\"url\":\"https://api.github.com/licenses/mit\",\"node_id\":\"MDc6TGljZW5zZTEz\"}",
	"{\"key\":\"apache-2.0\",\"name\":\"Apache License 2.0\",\"spdx_id\":\"Apache-2.0\",\"url\":\"https://api.github.com/licenses/apache-2.0\",\"node_id\":\"MDc6TGljZW5zZTI=\"}",
	"{\"key\":\"gpl-3.0\",\"name\":\"GNU General Public License v3.0\",\"spdx_id\":\"GPL-3.0\",\"url\":\"https://api.github.com/licenses/gpl-3.0\",\"node_id\":\"MDc6TGljZW5zZTk=\"}",
	"{\"key\":\"bsd-3-clause\",\"name\":\"BSD 3-Clause \\\"New\\\" or \\\"Revised\\\" License\",\"spdx_id\":\"BSD-3-Clause\",\"url\":\"https://api.github.com/licenses/bsd-3-clause\",\"node_id\":\"MDc6TGljZW5zZTU=\"}",
	"{\"key\":\"other\",\"name\":\"Other\",\"spdx_id\":\"NOASSERTION\",\"url\":null,\"node_id\":\"MDc6TGljZW5zZTA=\"}",
};
static const char *const topics[] = {
	"javascript", "python", "react", "machine-learning", "docker", "kubernetes", "api",
	"cli", "hacktoberfest", "nextjs", "typescript", "golang", "rust", "deep-learning",
	"self-hosted", "llm", "game", "android", "ios", "database",
};
static const char *const labels[] = {
	"bug", "enhancement", "documentation", "dependencies", "good first issue",
	"help wanted", "question", "wontfix", "duplicate", "javascript", "size/XS", "size/L",
	"needs-triage", "priority: high",
};
static const char *const label_colors[] = { "d73a4a", "a2eeef", "0075ca", "0366d6",
					    "7057ff", "008672", "d876e3", "ffffff", "cfd3d7" };
static const char *const packages[] = {
	"lodash", "axios", "express", "react-dom", "webpack", "eslint", "@types/node",
	"typescript", "requests", "urllib3", "django", "golang.org/x/net", "serde", "tokio",
	"actions/checkout", "actions/setup-node", "braces", "follow-redirects", "vite", "next",
};

/* ---- text ---- */

static void
word(void)
{
	if (upto(14) == 0)
		str(PICK(spice));
	else
		str(PICK(words));
}

static void
capword(void)	/* a word, first letter upper case */
{
	const char *w = PICK(words);
	char c = w[0];

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	put(&c, 1);
	str(w + 1);
}

static void
sentence(unsigned nw)
{
	unsigned i;

	capword();
	for (i = 1; i < nw; i++) {
		S(" ");
		word();
	}
	str(PICK(((const char *const[]){ ".", ".", ".", "?", "!", ":", "..." })));
}

static void
sentences(unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (i)
			S(" ");
		sentence(4 + upto(16));
	}
}

static void
semver(void)
{
	u64(upto(5));
	S(".");
	u64(upto(30));
	S(".");
	u64(upto(20));
}

static void
bump(const char *pkg, char from[32], char to[32])	/* "Bump PKG from A to B" */
{
	unsigned a = upto(5), b = upto(30), c = upto(20);

	snprintf(from, 32, "%u.%u.%u", a, b, c);
	snprintf(to, 32, "%u.%u.%u", a + !upto(8), b + !upto(3), c + 1);
	S("Bump ");
	str(pkg);
	S(" from ");
	str(from);
	S(" to ");
	str(to);
}

/* forward: a user's login, for @mentions */
static void mention(void);

static void
code_block(const char *nl)
{
	unsigned l = upto(NELEM(codes)), n = 2 + upto(9), i, at = upto(ncodes[l]);

	S("```");
	str(code_lang[l]);
	str(nl);
	for (i = 0; i < n; i++) {
		str(codes[l][(at + i) % ncodes[l]]);
		str(nl);
	}
	S("```");
}

/* A markdown document of about `target` bytes; nl is "\\r\\n" for text
 * typed into GitHub's web forms, "\\n" for text from git or bots. */
static void
markdown(size_t target, const char *nl)
{
	uint64_t start = ototal;
	int first = 1;

	while (first || ototal - start < target) {
		if (!first) {
			str(nl);
			str(nl);
		}
		first = 0;
		switch (upto(20)) {
		case 0:
			S("## ");
			str(PICK(headings));
			break;
		case 1:
		case 2:
			code_block(nl);
			break;
		case 3: {
			unsigned i, n = 2 + upto(5);

			for (i = 0; i < n; i++) {
				if (i)
					str(nl);
				str(PICK(((const char *const[]){ "- ", "* ", "- [x] ", "- [ ] ", "1. " })));
				sentence(3 + upto(10));
			}
			break;
		}
		case 4:
			S("> ");
			sentence(5 + upto(15));
			break;
		case 5: {
			unsigned i, n = 2 + upto(5);

			S("| Name | Before | After |");
			str(nl);
			S("|---|---:|---:|");
			for (i = 0; i < n; i++) {
				str(nl);
				S("| `");
				str(PICK(words));
				S("` | ");
				u64(upto(900));
				S(".");
				u64(upto(10));
				S(" ms | ");
				u64(upto(900));
				S(" ms |");
			}
			break;
		}
		case 6:
			S("![image](https://github.com/user-attachments/assets/");
			hex(8);
			S("-");
			hex(4);
			S("-");
			hex(4);
			S("-");
			hex(4);
			S("-");
			hex(12);
			S(")");
			break;
		case 7:
			S("<!-- Please include a summary of the change and which issue is fixed. "
			  "List any dependencies that are required for this change. -->");
			break;
		case 8:
			S("<details>");
			str(nl);
			S("<summary>Logs</summary>");
			str(nl);
			str(nl);
			code_block(nl);
			str(nl);
			S("</details>");
			break;
		case 9:
			str(PICK(((const char *const[]){ "Fixes #", "Closes #", "Related to #", "See #" })));
			u64(1 + skew(4000, 2));
			break;
		case 10:
			mention();
			S(" ");
			sentences(1 + upto(2));
			break;
		default:
			sentences(1 + upto(5));
			break;
		}
	}
}

/* ---- people, organizations, repositories ---- */

#define NUSERS 600000u
#define NORGS 40000u
#define NREPOS 500000u
#define NBOTS 5u

enum { U_USER, U_BOT, U_ORG };
struct user {
	uint64_t id, h;
	int kind;
	char login[64], display[64], ulogin[72];	/* ulogin: for URLs, [] escaped */
};

static const struct { uint64_t id; const char *name, *app; } bots[NBOTS] = {
	{ 49699333, "dependabot", "29110" },
	{ 41898282, "github-actions", "15368" },
	{ 29139614, "renovate", "2740" },
	{ 66853113, "pre-commit-ci", "68672" },
	{ 136622811, "coderabbitai", "347564" },
};

static size_t
mklogin(char *b, uint64_t h)
{
	unsigned n = 2 + (unsigned)(h % 3 == 0), i;
	size_t len = 0;
	int dash = h % 7 == 0;

	h /= 3;
	for (i = 0; i < n; i++) {
		const char *s = HPICK(syl, h);
		size_t k = strlen(s);

		h /= NELEM(syl);
		if (i && dash)
			b[len++] = '-';
		memcpy(b + len, s, k);
		len += k;
	}
	if (h % 5 < 2)
		len += (size_t)sprintf(b + len, "%u", (unsigned)(h / 5 % (h % 2 ? 100 : 10000)));
	if (h % 11 < 3 && b[0] >= 'a' && b[0] <= 'z')
		b[0] = (char)(b[0] - 'a' + 'A');
	b[len] = 0;
	return len;
}

static void
user_get(struct user *u, uint64_t idx)
{
	memset(u, 0, sizeof(*u));
	u->h = mix(idx * 0x2545f4914f6cdd1dULL + 1);
	if (idx < NBOTS) {
		u->kind = U_BOT;
		u->id = bots[idx].id;
		snprintf(u->login, sizeof(u->login), "%s[bot]", bots[idx].name);
		snprintf(u->display, sizeof(u->display), "%s", bots[idx].name);
		snprintf(u->ulogin, sizeof(u->ulogin), "%s%%5Bbot%%5D", bots[idx].name);
		return;
	}
	u->kind = U_USER;
	u->id = 1 + idx * 300 + u->h % 300;
	mklogin(u->login, u->h >> 8);
	strcpy(u->display, u->login);
	strcpy(u->ulogin, u->login);
}

static void
org_get(struct user *u, uint64_t idx)
{
	size_t n;

	memset(u, 0, sizeof(*u));
	u->h = mix(idx * 0x9e3779b97f4a7c15ULL + 7);
	u->kind = U_ORG;
	u->id = 3 + idx * 4000 + u->h % 4000;
	n = mklogin(u->login, u->h >> 8);
	snprintf(u->login + n, sizeof(u->login) - n, "%s", HPICK(org_suffix, u->h >> 40));
	strcpy(u->display, u->login);
	strcpy(u->ulogin, u->login);
}

static void
mention(void)
{
	struct user u;

	user_get(&u, NBOTS + skew(NUSERS - NBOTS, 2));
	S("@");
	str(u.login);
}

struct repo {
	uint64_t id, h, idx;
	struct user owner;
	char name[96], full[168];
};

static void
repo_get(struct repo *r, uint64_t idx)
{
	uint64_t h = mix(idx * 0xd1b54a32d192ed03ULL + 3);
	size_t n = 0;
	unsigned k, nw;

	memset(r, 0, sizeof(*r));
	r->idx = idx;
	r->h = h;
	r->id = 1000 + idx * 1700 + h % 1700;
	if (h % 100 < 30)
		org_get(&r->owner, (h >> 8) % NORGS);
	else
		user_get(&r->owner, NBOTS + (h >> 8) % (NUSERS - NBOTS));
	h = mix(h);
	if (h % 40 == 0) {
		n = (size_t)snprintf(r->name, sizeof(r->name), "%s.github.io", r->owner.login);
	} else if (h % 40 == 1) {
		n = (size_t)snprintf(r->name, sizeof(r->name), "%s", r->owner.login);
	} else {
		nw = 1 + (unsigned)(h % 3);
		h /= 3;
		for (k = 0; k < nw; k++) {
			const char *w = HPICK(repo_words, h);

			h /= NELEM(repo_words);
			if (k)
				r->name[n++] = h % 5 == 0 ? '_' : '-';
			n += (size_t)snprintf(r->name + n, sizeof(r->name) - n, "%s", w);
		}
		if (h % 9 == 0)
			r->name[0] = (char)(r->name[0] - 'a' + 'A');
	}
	snprintf(r->full, sizeof(r->full), "%s/%s", r->owner.login, r->name);
}

/* ---- JSON objects ---- */

static void
actor_obj(const struct user *u)
{
	S("{\"id\":");
	u64(u->id);
	S(",\"login\":\"");
	str(u->login);
	S("\",\"display_login\":\"");
	str(u->display);
	S("\",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/users/");
	str(u->login);
	S("\",\"avatar_url\":\"https://avatars.githubusercontent.com/u/");
	u64(u->id);
	S("?\"}");
}

static void
org_obj(const struct user *u)
{
	S("{\"id\":");
	u64(u->id);
	S(",\"login\":\"");
	str(u->login);
	S("\",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/orgs/");
	str(u->login);
	S("\",\"avatar_url\":\"https://avatars.githubusercontent.com/u/");
	u64(u->id);
	S("?\"}");
}

static void
uurl(const struct user *u, const char *key, const char *tail)
{
	S(",\"");
	str(key);
	S("\":\"https://api.github.com/users/");
	str(u->ulogin);
	str(tail);
	S("\"");
}

static void
user_obj(const struct user *u)	/* the full user object of the REST API */
{
	char nid[48];
	int n;

	S("{\"login\":\"");
	str(u->login);
	S("\",\"id\":");
	u64(u->id);
	S(",\"node_id\":\"");
	if (u->id < 60000000) {
		n = snprintf(nid, sizeof(nid), "%s%llu", u->kind == U_ORG ? "012:Organization" :
			     u->kind == U_BOT ? "03:Bot" : "04:User", (unsigned long long)u->id);
		b64(nid, (size_t)n);
	} else {
		str(u->kind == U_ORG ? "O_kgDO" : u->kind == U_BOT ? "BOT_kgDO" : "U_kgDO");
		b64rand(6);
	}
	S("\",\"avatar_url\":\"https://avatars.githubusercontent.com/");
	if (u->kind == U_BOT) {
		S("in/");
		str(bots[u->id == bots[0].id ? 0 : u->id == bots[1].id ? 1 : u->id == bots[2].id ? 2
			 : u->id == bots[3].id ? 3 : 4].app);
	} else {
		S("u/");
		u64(u->id);
	}
	S("?v=4\",\"gravatar_id\":\"\",\"url\":\"https://api.github.com/users/");
	str(u->ulogin);
	S("\",\"html_url\":\"https://github.com/");
	if (u->kind == U_BOT) {
		S("apps/");
		str(u->display);
	} else {
		str(u->login);
	}
	S("\"");
	uurl(u, "followers_url", "/followers");
	uurl(u, "following_url", "/following{/other_user}");
	uurl(u, "gists_url", "/gists{/gist_id}");
	uurl(u, "starred_url", "/starred{/owner}{/repo}");
	uurl(u, "subscriptions_url", "/subscriptions");
	uurl(u, "organizations_url", "/orgs");
	uurl(u, "repos_url", "/repos");
	uurl(u, "events_url", "/events{/privacy}");
	uurl(u, "received_events_url", "/received_events");
	S(",\"type\":\"");
	str(u->kind == U_ORG ? "Organization" : u->kind == U_BOT ? "Bot" : "User");
	S("\",\"user_view_type\":\"public\",\"site_admin\":false}");
}

static void
rurl(const struct repo *r, const char *key, const char *tail)
{
	S(",\"");
	str(key);
	S("\":\"https://api.github.com/repos/");
	str(r->full);
	str(tail);
	S("\"");
}

static void
bool_(int v)
{
	if (v)
		S("true");
	else
		S("false");
}

/* The full repository object (pull request heads and bases, forkees). */
static void
repo_obj(const struct repo *r, int fork, int forkee)
{
	uint64_t h = mix(r->h ^ 0x5555), k;
	int64_t created = forkee ? now : hour0 - 86400 - (int64_t)(h % (86400ULL * 365 * 12));
	char nid[48];
	int n;

	S("{\"id\":");
	u64(r->id);
	S(",\"node_id\":\"");
	if (r->id < 200000000) {
		n = snprintf(nid, sizeof(nid), "010:Repository%llu", (unsigned long long)r->id);
		b64(nid, (size_t)n);
	} else {
		S("R_kgDO");
		b64rand(6);
	}
	S("\",\"name\":\"");
	str(r->name);
	S("\",\"full_name\":\"");
	str(r->full);
	S("\",\"private\":false,\"owner\":");
	user_obj(&r->owner);
	S(",\"html_url\":\"https://github.com/");
	str(r->full);
	S("\",\"description\":");
	if (h % 5 == 0) {
		S("null");
	} else {
		S("\"");
		sentence(3 + (unsigned)(h % 13));
		S("\"");
	}
	S(",\"fork\":");
	bool_(fork);
	rurl(r, "url", "");
	rurl(r, "forks_url", "/forks");
	rurl(r, "keys_url", "/keys{/key_id}");
	rurl(r, "collaborators_url", "/collaborators{/collaborator}");
	rurl(r, "teams_url", "/teams");
	rurl(r, "hooks_url", "/hooks");
	rurl(r, "issue_events_url", "/issues/events{/number}");
	rurl(r, "events_url", "/events");
	rurl(r, "assignees_url", "/assignees{/user}");
	rurl(r, "branches_url", "/branches{/branch}");
	rurl(r, "tags_url", "/tags");
	rurl(r, "blobs_url", "/git/blobs{/sha}");
	rurl(r, "git_tags_url", "/git/tags{/sha}");
	rurl(r, "git_refs_url", "/git/refs{/sha}");
	rurl(r, "trees_url", "/git/trees{/sha}");
	rurl(r, "statuses_url", "/statuses/{sha}");
	rurl(r, "languages_url", "/languages");
	rurl(r, "stargazers_url", "/stargazers");
	rurl(r, "contributors_url", "/contributors");
	rurl(r, "subscribers_url", "/subscribers");
	rurl(r, "subscription_url", "/subscription");
	rurl(r, "commits_url", "/commits{/sha}");
	rurl(r, "git_commits_url", "/git/commits{/sha}");
	rurl(r, "comments_url", "/comments{/number}");
	rurl(r, "issue_comment_url", "/issues/comments{/number}");
	rurl(r, "contents_url", "/contents/{+path}");
	rurl(r, "compare_url", "/compare/{base}...{head}");
	rurl(r, "merges_url", "/merges");
	rurl(r, "archive_url", "/{archive_format}{/ref}");
	rurl(r, "downloads_url", "/downloads");
	rurl(r, "issues_url", "/issues{/number}");
	rurl(r, "pulls_url", "/pulls{/number}");
	rurl(r, "milestones_url", "/milestones{/number}");
	rurl(r, "notifications_url", "/notifications{?since,all,participating}");
	rurl(r, "labels_url", "/labels{/name}");
	rurl(r, "releases_url", "/releases{/id}");
	rurl(r, "deployments_url", "/deployments");
	S(",\"created_at\":");
	ts(created);
	S(",\"updated_at\":");
	ts(forkee ? now : created + (now - created) * (int64_t)(h % 1000) / 1000);
	S(",\"pushed_at\":");
	ts(forkee ? now : past(86400 * 30));
	S(",\"git_url\":\"git://github.com/");
	str(r->full);
	S(".git\",\"ssh_url\":\"git@github.com:");
	str(r->full);
	S(".git\",\"clone_url\":\"https://github.com/");
	str(r->full);
	S(".git\",\"svn_url\":\"https://github.com/");
	str(r->full);
	S("\",\"homepage\":");
	if (h % 3 == 0) {
		S("\"https://");
		str(r->owner.login);
		S(".github.io/");
		str(r->name);
		S("\"");
	} else {
		str(h % 3 == 1 ? "null" : "\"\"");
	}
	k = h >> 20;
	S(",\"size\":");
	u64(k % 250000);
	S(",\"stargazers_count\":");
	u64(forkee ? 0 : (k >> 18) % (r->idx < 2000 ? 90000 : 40));
	S(",\"watchers_count\":");
	u64(forkee ? 0 : (k >> 18) % (r->idx < 2000 ? 90000 : 40));
	S(",\"language\":");
	if (forkee || h % 10 == 0) {
		S("null");
	} else {
		S("\"");
		str(HPICK(languages, h >> 8));
		S("\"");
	}
	S(",\"has_issues\":");
	bool_(!forkee);
	S(",\"has_projects\":true,\"has_downloads\":true,\"has_wiki\":");
	bool_(h % 4 != 0);
	S(",\"has_pages\":");
	bool_(h % 6 == 0);
	S(",\"has_discussions\":");
	bool_(h % 9 == 0);
	S(",\"forks_count\":");
	u64(forkee ? 0 : (k >> 30) % (r->idx < 2000 ? 9000 : 8));
	S(",\"mirror_url\":null,\"archived\":false,\"disabled\":false,\"open_issues_count\":");
	u64((k >> 40) % 200);
	S(",\"license\":");
	if (h % 5 < 2)
		S("null");
	else
		str(HPICK(licenses, h >> 12));
	S(",\"allow_forking\":true,\"is_template\":false,\"web_commit_signoff_required\":false,\"topics\":[");
	for (n = 0; n < (int)(h >> 50) % 6; n++) {
		if (n)
			S(",");
		S("\"");
		str(HPICK(topics, (h >> (n * 5)) + (uint64_t)n));
		S("\"");
	}
	S("],\"visibility\":\"public\",\"forks\":");
	u64(forkee ? 0 : (k >> 30) % (r->idx < 2000 ? 9000 : 8));
	S(",\"open_issues\":");
	u64((k >> 40) % 200);
	S(",\"watchers\":");
	u64(forkee ? 0 : (k >> 18) % (r->idx < 2000 ? 90000 : 40));
	S(",\"default_branch\":\"");
	str(h % 4 ? "main" : "master");
	S("\"");
	if (forkee)
		S(",\"public\":true");
	S("}");
}

static const char *
default_branch(const struct repo *r)
{
	return mix(r->h ^ 0x5555) % 4 ? "main" : "master";
}

/* The people who act on a repository: its owner, a few regulars, the world. */
static void
actor_for(const struct repo *r, struct user *u)
{
	unsigned x = upto(100);

	if (x < 45 && r->owner.kind == U_USER)
		*u = r->owner;
	else if (x < 80)
		user_get(u, NBOTS + mix(r->h + upto(6)) % (NUSERS - NBOTS));
	else
		user_get(u, NBOTS + skew(NUSERS - NBOTS, 2));
}

static void
reactions(const struct repo *r, const char *kind, uint64_t id)
{
	unsigned t = chance(900) ? 0 : upto(4);

	S(",\"reactions\":{\"url\":\"https://api.github.com/repos/");
	str(r->full);
	str(kind);
	u64(id);
	S("/reactions\",\"total_count\":");
	u64(t);
	S(",\"+1\":");
	u64(t);
	S(",\"-1\":0,\"laugh\":0,\"hooray\":0,\"confused\":0,\"heart\":0,\"rocket\":0,\"eyes\":0}");
}

static void
labels_arr(const struct repo *r)
{
	unsigned n = chance(600) ? 0 : 1 + upto(3), i;

	S("\"labels\":[");
	for (i = 0; i < n; i++) {
		const char *l = PICK(labels);

		if (i)
			S(",");
		S("{\"id\":");
		u64(1000000000 + next() % 6000000000ULL);
		S(",\"node_id\":\"LA_kwDO");
		b64rand(18);
		S("\",\"url\":\"https://api.github.com/repos/");
		str(r->full);
		S("/labels/");
		str(l);
		S("\",\"name\":\"");
		str(l);
		S("\",\"color\":\"");
		str(PICK(label_colors));
		S("\",\"default\":");
		bool_(upto(2) == 0);
		S(",\"description\":");
		if (upto(3)) {
			S("\"");
			sentence(3 + upto(6));
			S("\"");
		} else {
			S("null");
		}
		S("}");
	}
	S("]");
}

static const char *
assoc(const struct repo *r, const struct user *u)
{
	if (u->id == r->owner.id)
		return "OWNER";
	return PICK(((const char *const[]){ "NONE", "CONTRIBUTOR", "MEMBER", "COLLABORATOR",
					    "FIRST_TIME_CONTRIBUTOR", "NONE" }));
}

/* ---- payloads ---- */

static void
commit_message(const struct repo *r, const struct user *a)
{
	unsigned x = upto(100);

	if (a->kind == U_BOT || x < 6) {
		const char *p = PICK(packages);
		char from[32], to[32];

		bump(p, from, to);
		S("\\n\\nBumps [");
		str(p);
		S("](https://github.com/");
		str(p);
		S(") from ");
		str(from);
		S(" to ");
		str(to);
		S(".\\n- [Release notes](https://github.com/");
		str(p);
		S("/releases)\\n- [Commits](https://github.com/");
		str(p);
		S("/compare/v");
		str(from);
		S("...v");
		str(to);
		S(")\\n\\n---\\nupdated-dependencies:\\n- dependency-name: ");
		str(p);
		S("\\n  dependency-type: direct:production\\n  update-type: version-update:semver-patch\\n...\\n\\nSigned-off-by: dependabot[bot] <support@github.com>");
	} else if (x < 16) {
		struct user u;

		user_get(&u, NBOTS + skew(NUSERS - NBOTS, 2));
		S("Merge pull request #");
		u64(1 + skew(3000, 2));
		S(" from ");
		str(u.login);
		S("/");
		str(PICK(((const char *const[]){ "feature/", "fix/", "patch-", "dev", "main", "" })));
		str(PICK(words));
		S("\\n\\n");
		str(PICK(verbs));
		S(" ");
		str(PICK(words));
		S(" ");
		str(PICK(words));
	} else if (x < 20) {
		S("Merge branch '");
		str(default_branch(r));
		S("' into ");
		str(PICK(words));
	} else if (x < 28) {
		S("Update ");
		str(PICK(((const char *const[]){ "README.md", "index.html", "package.json",
						 "main.py", "style.css", "app.js", "Cargo.toml",
						 ".github/workflows/ci.yml", "src/lib.rs" })));
	} else if (x < 33) {
		str(PICK(spice));
		S(" ");
		str(PICK(verbs));
		S(" ");
		str(PICK(spice));
	} else if (x < 48) {
		unsigned i, n = 1 + upto(4);

		str(PICK(verbs));
		S(" ");
		str(PICK(words));
		S(" ");
		str(PICK(words));
		S("\\n");
		for (i = 0; i < n; i++) {
			S("\\n");
			if (upto(2))
				S("* ");
			sentence(5 + upto(20));
		}
		if (upto(4) == 0) {
			S("\\n\\nSigned-off-by: ");
			str(a->login);
			S(" <");
			str(a->login);
			S("@users.noreply.github.com>");
		}
	} else if (x < 50) {
		str(PICK(verbs));
		S(" ");
		markdown(500 + upto(3000), "\\n");
	} else {
		unsigned i, n = 1 + upto(8);

		str(PICK(verbs));
		for (i = 0; i < n; i++) {
			S(" ");
			word();
		}
	}
}

static void
commit_author(const struct user *a)
{
	unsigned x = upto(100);

	S("{\"email\":\"");
	if (a->kind == U_BOT) {
		u64(a->id);
		S("+");
		str(a->login);
		S("@users.noreply.github.com\",\"name\":\"");
		str(a->login);
		S("\"}");
		return;
	}
	if (x < 40) {
		u64(a->id);
		S("+");
		str(a->login);
		S("@users.noreply.github.com");
	} else if (x < 70) {
		str(a->login);
		str(PICK(((const char *const[]){ "@gmail.com", "@outlook.com", "@163.com",
						 "@qq.com", "@yandex.ru", "@protonmail.com" })));
	} else {
		str(a->login);
		S("@");
		str(PICK(repo_words));
		S(".example.com");
	}
	S("\",\"name\":\"");
	if (a->h % 2) {
		str(HPICK(first_names, a->h >> 10));
		S(" ");
		str(HPICK(last_names, a->h >> 20));
	} else {
		str(a->login);
	}
	S("\"}");
}

static void
push_payload(const struct repo *r, const struct user *a)
{
	unsigned nc, size, i, x = upto(1000), distinct;

	nc = x < 780 ? 1 : x < 880 ? 2 : x < 930 ? 3 : x < 990 ? 4 + upto(9) : 13 + upto(8);
	size = nc == 20 && upto(3) == 0 ? 20 + upto(200) : nc;
	distinct = upto(10) ? size : upto(size + 1);
	S("{\"repository_id\":");
	u64(r->id);
	S(",\"push_id\":");
	u64(18500000000ULL + (uint64_t)(now - hour0) * 3000 + upto(3000));
	S(",\"size\":");
	u64(size);
	S(",\"distinct_size\":");
	u64(distinct);
	S(",\"ref\":\"refs/heads/");
	if (upto(4))
		str(default_branch(r));
	else {
		str(PICK(((const char *const[]){ "feature/", "fix/", "dependabot/npm_and_yarn/",
						 "renovate/", "dev", "gh-pages", "release/" })));
		str(PICK(words));
	}
	S("\",\"head\":\"");
	hex(40);
	S("\",\"before\":\"");
	hex(40);
	S("\",\"commits\":[");
	for (i = 0; i < nc; i++) {
		struct user au = *a;

		if (i)
			S(",");
		if (a->kind != U_BOT && upto(5) == 0)
			user_get(&au, NBOTS + mix(r->h + upto(6)) % (NUSERS - NBOTS));
		S("{\"sha\":\"");
		hex(40);
		S("\",\"author\":");
		commit_author(&au);
		S(",\"message\":\"");
		commit_message(r, &au);
		S("\",\"distinct\":");
		bool_(i >= nc - (distinct < nc ? distinct : nc));
		S(",\"url\":\"https://api.github.com/repos/");
		str(r->full);
		S("/commits/");
		hex(40);
		S("\"}");
	}
	S("]}");
}

static void
create_payload(const struct repo *r, const struct user *a, int del)
{
	unsigned x = upto(100);

	S("{\"ref\":");
	if (!del && x < 40) {
		S("null,\"ref_type\":\"repository\"");
	} else if (x < 85) {
		S("\"");
		if (a->kind == U_BOT)
			S("dependabot/npm_and_yarn/");
		else
			str(PICK(((const char *const[]){ "feature/", "fix/", "", "dev-", "patch-",
							 "copilot/", "release-" })));
		str(PICK(words));
		if (upto(2)) {
			S("-");
			u64(upto(1000));
		}
		S("\",\"ref_type\":\"branch\"");
	} else {
		S("\"v");
		semver();
		S("\",\"ref_type\":\"tag\"");
	}
	if (!del) {
		S(",\"master_branch\":\"");
		str(default_branch(r));
		S("\",\"description\":");
		if (upto(2)) {
			S("\"");
			sentence(3 + upto(12));
			S("\"");
		} else {
			S("null");
		}
	}
	S(",\"pusher_type\":\"user\"}");
}

static unsigned
issue_number(void)
{
	return 1 + (unsigned)skew(6000, 2);
}

static void
issue_obj(const struct repo *r, const struct user *author, unsigned num, int is_pr,
	  const char *state, size_t body)
{
	uint64_t id = 2300000000ULL + next() % 500000000;
	int64_t created = past(86400 * 200);

	S("{\"url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/issues/");
	u64(num);
	S("\"");
	rurl(r, "repository_url", "");
	S(",\"labels_url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/issues/");
	u64(num);
	S("/labels{/name}\",\"comments_url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/issues/");
	u64(num);
	S("/comments\",\"events_url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/issues/");
	u64(num);
	S("/events\",\"html_url\":\"https://github.com/");
	str(r->full);
	str(is_pr ? "/pull/" : "/issues/");
	u64(num);
	S("\",\"id\":");
	u64(id);
	S(",\"node_id\":\"");
	str(is_pr ? "PR_kwDO" : "I_kwDO");
	b64rand(14);
	S("\",\"number\":");
	u64(num);
	S(",\"title\":\"");
	str(PICK(verbs));
	S(" ");
	sentence(2 + upto(10));
	S("\",\"user\":");
	user_obj(author);
	S(",");
	labels_arr(r);
	S(",\"state\":\"");
	str(state);
	S("\",\"locked\":false,\"assignee\":null,\"assignees\":[],\"milestone\":null,\"comments\":");
	u64(skew(40, 2));
	S(",\"created_at\":");
	ts(created);
	S(",\"updated_at\":");
	ts(now);
	S(",\"closed_at\":");
	if (state[0] == 'c')
		ts(now);
	else
		S("null");
	S(",\"author_association\":\"");
	str(assoc(r, author));
	S("\",\"active_lock_reason\":null");
	if (is_pr) {
		S(",\"draft\":false,\"pull_request\":{\"url\":\"https://api.github.com/repos/");
		str(r->full);
		S("/pulls/");
		u64(num);
		S("\",\"html_url\":\"https://github.com/");
		str(r->full);
		S("/pull/");
		u64(num);
		S("\",\"diff_url\":\"https://github.com/");
		str(r->full);
		S("/pull/");
		u64(num);
		S(".diff\",\"patch_url\":\"https://github.com/");
		str(r->full);
		S("/pull/");
		u64(num);
		S(".patch\",\"merged_at\":null}");
	}
	S(",\"body\":");
	if (body) {
		S("\"");
		markdown(body, "\\r\\n");
		S("\"");
	} else {
		S("null");
	}
	reactions(r, "/issues/", num);
	S(",\"timeline_url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/issues/");
	u64(num);
	S("/timeline\",\"performed_via_github_app\":null,\"state_reason\":");
	str(state[0] == 'c' ? "\"completed\"}" : "null}");
}

static size_t
body_size(unsigned small, unsigned large)	/* mostly short, sometimes long */
{
	return upto(10) < 8 ? 20 + upto(small) : 200 + upto(large);
}

static void
pr_url(const struct repo *r, const char *key, unsigned num, const char *tail)
{
	S(",\"");
	str(key);
	S("\":\"https://api.github.com/repos/");
	str(r->full);
	S("/pulls/");
	u64(num);
	str(tail);
	S("\"");
}

static void
link(const char *key, const char *pre, const struct repo *r, const char *mid, unsigned num,
     const char *tail)
{
	S("\"");
	str(key);
	S("\":{\"href\":\"");
	str(pre);
	str(r->full);
	str(mid);
	if (num)
		u64(num);
	str(tail);
	S("\"}");
}

/* The pull_request object. full: as in PullRequestEvent, with the merge
 * state and the counts; review events carry it without them. */
static void
pr_obj(const struct repo *base, const struct user *author, unsigned num, int full,
       const char *action)
{
	struct repo head;
	struct user merger;
	int closed = !strcmp(action, "closed"), merged = closed && upto(4) != 0;
	int samerepo = author->kind == U_BOT || upto(2);
	int64_t created = !strcmp(action, "opened") ? now : past(86400 * 60);
	char sha[41];
	size_t i;

	if (samerepo)
		head = *base;
	else {
		/* a fork of the base, owned by the author */
		repo_get(&head, NREPOS + mix(base->h + author->id) % 1000000);
		head.owner = *author;
		head.id = 500000000 + mix(base->h ^ author->id) % 300000000;
		strcpy(head.name, base->name);
		snprintf(head.full, sizeof(head.full), "%s/%s", author->login, base->name);
	}
	for (i = 0; i < 40; i++)
		sha[i] = "0123456789abcdef"[upto(16)];
	sha[40] = 0;

	S("{\"url\":\"https://api.github.com/repos/");
	str(base->full);
	S("/pulls/");
	u64(num);
	S("\",\"id\":");
	u64(1800000000ULL + next() % 400000000);
	S(",\"node_id\":\"PR_kwDO");
	b64rand(14);
	S("\",\"html_url\":\"https://github.com/");
	str(base->full);
	S("/pull/");
	u64(num);
	S("\",\"diff_url\":\"https://github.com/");
	str(base->full);
	S("/pull/");
	u64(num);
	S(".diff\",\"patch_url\":\"https://github.com/");
	str(base->full);
	S("/pull/");
	u64(num);
	S(".patch\",\"issue_url\":\"https://api.github.com/repos/");
	str(base->full);
	S("/issues/");
	u64(num);
	S("\",\"number\":");
	u64(num);
	S(",\"state\":\"");
	str(closed ? "closed" : "open");
	S("\",\"locked\":false,\"title\":\"");
	if (author->kind == U_BOT) {
		char from[32], to[32];

		bump(PICK(packages), from, to);
	} else {
		str(PICK(verbs));
		S(" ");
		sentence(2 + upto(10));
	}
	S("\",\"user\":");
	user_obj(author);
	S(",\"body\":");
	if (upto(10) < 2) {
		S("null");
	} else {
		S("\"");
		markdown(author->kind == U_BOT ? 1500 + upto(4000) : body_size(600, 9000),
			 author->kind == U_BOT ? "\\n" : "\\r\\n");
		S("\"");
	}
	S(",\"created_at\":");
	ts(created);
	S(",\"updated_at\":");
	ts(now);
	S(",\"closed_at\":");
	if (closed)
		ts(now);
	else
		S("null");
	S(",\"merged_at\":");
	if (merged)
		ts(now);
	else
		S("null");
	S(",\"merge_commit_sha\":");
	if (strcmp(action, "opened")) {
		S("\"");
		hex(40);
		S("\"");
	} else {
		S("null");
	}
	S(",\"assignee\":null,\"assignees\":[],\"requested_reviewers\":[");
	if (upto(4) == 0) {
		struct user rv;

		user_get(&rv, NBOTS + mix(base->h + 1) % (NUSERS - NBOTS));
		user_obj(&rv);
	}
	S("],\"requested_teams\":[],");
	labels_arr(base);
	S(",\"milestone\":null,\"draft\":");
	bool_(upto(10) == 0);
	pr_url(base, "commits_url", num, "/commits");
	pr_url(base, "review_comments_url", num, "/comments");
	rurl(base, "review_comment_url", "/pulls/comments{/number}");
	S(",\"comments_url\":\"https://api.github.com/repos/");
	str(base->full);
	S("/issues/");
	u64(num);
	S("/comments\"");
	S(",\"statuses_url\":\"https://api.github.com/repos/");
	str(base->full);
	S("/statuses/");
	str(sha);
	S("\",\"head\":{\"label\":\"");
	str(head.owner.login);
	S(":");
	str(samerepo ? PICK(((const char *const[]){ "feature/", "fix/", "dependabot/npm_and_yarn/",
						      "dev", "patch-1" }))
		     : "patch-");
	str(PICK(words));
	S("\",\"ref\":\"");
	str(PICK(words));
	S("\",\"sha\":\"");
	str(sha);
	S("\",\"user\":");
	user_obj(&head.owner);
	S(",\"repo\":");
	repo_obj(&head, !samerepo, 0);
	S("},\"base\":{\"label\":\"");
	str(base->owner.login);
	S(":");
	str(default_branch(base));
	S("\",\"ref\":\"");
	str(default_branch(base));
	S("\",\"sha\":\"");
	hex(40);
	S("\",\"user\":");
	user_obj(&base->owner);
	S(",\"repo\":");
	repo_obj(base, 0, 0);
	S("},\"_links\":{");
	link("self", "https://api.github.com/repos/", base, "/pulls/", num, "");
	S(",");
	link("html", "https://github.com/", base, "/pull/", num, "");
	S(",");
	link("issue", "https://api.github.com/repos/", base, "/issues/", num, "");
	S(",");
	link("comments", "https://api.github.com/repos/", base, "/issues/", num, "/comments");
	S(",");
	link("review_comments", "https://api.github.com/repos/", base, "/pulls/", num, "/comments");
	S(",");
	link("review_comment", "https://api.github.com/repos/", base, "/pulls/comments{/number}", 0, "");
	S(",");
	link("commits", "https://api.github.com/repos/", base, "/pulls/", num, "/commits");
	S(",\"statuses\":{\"href\":\"https://api.github.com/repos/");
	str(base->full);
	S("/statuses/");
	str(sha);
	S("\"}},\"author_association\":\"");
	str(assoc(base, author));
	S("\",\"auto_merge\":null,\"active_lock_reason\":null");
	if (full) {
		S(",\"merged\":");
		bool_(merged);
		S(",\"mergeable\":");
		str(closed ? "null" : upto(2) ? "true" : "null");
		S(",\"rebaseable\":");
		str(closed ? "null" : upto(2) ? "true" : "null");
		S(",\"mergeable_state\":\"");
		str(closed ? "unknown" : PICK(((const char *const[]){ "clean", "unstable",
								       "blocked", "unknown" })));
		S("\",\"merged_by\":");
		if (merged) {
			if (base->owner.kind == U_USER)
				merger = base->owner;
			else
				user_get(&merger, NBOTS + mix(base->h + 2) % (NUSERS - NBOTS));
			user_obj(&merger);
		} else {
			S("null");
		}
		S(",\"comments\":");
		u64(skew(30, 3));
		S(",\"review_comments\":");
		u64(skew(30, 3));
		S(",\"maintainer_can_modify\":");
		bool_(!samerepo && upto(2));
		S(",\"commits\":");
		u64(1 + skew(40, 3));
		S(",\"additions\":");
		u64(skew(5000, 3));
		S(",\"deletions\":");
		u64(skew(3000, 3));
		S(",\"changed_files\":");
		u64(1 + skew(80, 3));
	}
	S("}");
}

static void
pr_payload(const struct repo *r, const struct user *a)
{
	unsigned num = issue_number(), x = upto(100);
	const char *action = x < 45 ? "opened" : x < 90 ? "closed" : x < 93 ? "reopened"
			   : x < 97 ? "synchronize" : "ready_for_review";

	S("{\"action\":\"");
	str(action);
	S("\",\"number\":");
	u64(num);
	S(",\"pull_request\":");
	pr_obj(r, a, num, 1, action);
	S("}");
}

static void
comment_obj(const struct repo *r, const struct user *a, unsigned num, const char *kind,
	    size_t body)
{
	uint64_t id = 2100000000ULL + next() % 300000000;

	S("{\"url\":\"https://api.github.com/repos/");
	str(r->full);
	str(kind);
	u64(id);
	S("\",\"html_url\":\"https://github.com/");
	str(r->full);
	S("/issues/");
	u64(num);
	S("#issuecomment-");
	u64(id);
	S("\",\"issue_url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/issues/");
	u64(num);
	S("\",\"id\":");
	u64(id);
	S(",\"node_id\":\"IC_kwDO");
	b64rand(14);
	S("\",\"user\":");
	user_obj(a);
	S(",\"created_at\":");
	ts(now);
	S(",\"updated_at\":");
	ts(now);
	S(",\"author_association\":\"");
	str(assoc(r, a));
	S("\",\"body\":\"");
	markdown(body, a->kind == U_BOT ? "\\n" : "\\r\\n");
	S("\"");
	reactions(r, kind, id);
	S(",\"performed_via_github_app\":null}");
}

static void
issue_comment_payload(const struct repo *r, const struct user *a)
{
	unsigned num = issue_number();
	int is_pr = upto(2) == 0;
	struct user author;

	actor_for(r, &author);
	S("{\"action\":\"created\",\"issue\":");
	issue_obj(r, &author, num, is_pr, upto(5) ? "open" : "closed",
		  upto(4) ? body_size(400, 3000) : 0);
	S(",\"comment\":");
	comment_obj(r, a, num, "/issues/comments/",
		    a->kind == U_BOT ? 800 + upto(6000) : body_size(300, 2500));
	S("}");
}

static void
issues_payload(const struct repo *r, const struct user *a)
{
	unsigned x = upto(100);
	const char *action = x < 50 ? "opened" : x < 85 ? "closed" : x < 90 ? "reopened" : "labeled";

	S("{\"action\":\"");
	str(action);
	S("\",\"issue\":");
	issue_obj(r, a, issue_number(), 0, !strcmp(action, "closed") ? "closed" : "open",
		  upto(8) ? body_size(500, 4000) : 0);
	if (!strcmp(action, "labeled")) {
		const char *l = PICK(labels);

		S(",\"label\":{\"id\":");
		u64(1000000000 + next() % 6000000000ULL);
		S(",\"node_id\":\"LA_kwDO");
		b64rand(18);
		S("\",\"url\":\"https://api.github.com/repos/");
		str(r->full);
		S("/labels/");
		str(l);
		S("\",\"name\":\"");
		str(l);
		S("\",\"color\":\"d73a4a\",\"default\":true,\"description\":null}");
	}
	S("}");
}

static void
diff_hunk(void)
{
	unsigned l = upto(NELEM(codes)), n = 3 + upto(10), i, at = upto(ncodes[l]);
	unsigned line = 1 + upto(400);

	S("@@ -");
	u64(line);
	S(",7 +");
	u64(line);
	S(",8 @@ ");
	str(PICK(words));
	for (i = 0; i < n; i++) {
		S("\\n");
		str(PICK(((const char *const[]){ " ", " ", " ", "+", "-" })));
		str(codes[l][(at + i) % ncodes[l]]);
	}
}

static void
review_comment_payload(const struct repo *r, const struct user *a)
{
	unsigned num = issue_number();
	uint64_t id = 1500000000ULL + next() % 400000000, rid = 2000000000ULL + next() % 600000000;
	struct user author;
	char sha[41];
	int i;

	for (i = 0; i < 40; i++)
		sha[i] = "0123456789abcdef"[upto(16)];
	sha[40] = 0;
	actor_for(r, &author);
	S("{\"action\":\"created\",\"comment\":{\"url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/pulls/comments/");
	u64(id);
	S("\",\"pull_request_review_id\":");
	u64(rid);
	S(",\"id\":");
	u64(id);
	S(",\"node_id\":\"PRRC_kwDO");
	b64rand(14);
	S("\",\"diff_hunk\":\"");
	diff_hunk();
	S("\",\"path\":\"");
	str(PICK(((const char *const[]){ "src/", "lib/", "app/", "", "tests/", "pkg/" })));
	str(PICK(words));
	str(PICK(((const char *const[]){ ".c", ".py", ".ts", ".go", ".rs", ".js", ".md" })));
	S("\",\"commit_id\":\"");
	str(sha);
	S("\",\"original_commit_id\":\"");
	str(sha);
	S("\",\"user\":");
	user_obj(a);
	S(",\"body\":\"");
	markdown(body_size(300, 2000), "\\r\\n");
	S("\",\"created_at\":");
	ts(now);
	S(",\"updated_at\":");
	ts(now);
	S(",\"html_url\":\"https://github.com/");
	str(r->full);
	S("/pull/");
	u64(num);
	S("#discussion_r");
	u64(id);
	S("\"");
	pr_url(r, "pull_request_url", num, "");
	S(",\"author_association\":\"");
	str(assoc(r, a));
	S("\",\"_links\":{\"self\":{\"href\":\"https://api.github.com/repos/");
	str(r->full);
	S("/pulls/comments/");
	u64(id);
	S("\"},\"html\":{\"href\":\"https://github.com/");
	str(r->full);
	S("/pull/");
	u64(num);
	S("#discussion_r");
	u64(id);
	S("\"},");
	link("pull_request", "https://api.github.com/repos/", r, "/pulls/", num, "");
	S("}");
	reactions(r, "/pulls/comments/", id);
	S(",\"start_line\":null,\"original_start_line\":null,\"start_side\":null,\"line\":");
	u64(1 + upto(400));
	S(",\"original_line\":");
	u64(1 + upto(400));
	S(",\"side\":\"");
	str(upto(4) ? "RIGHT" : "LEFT");
	S("\",\"original_position\":");
	u64(1 + upto(40));
	S(",\"position\":");
	u64(1 + upto(40));
	S(",\"subject_type\":\"line\"},\"pull_request\":");
	pr_obj(r, &author, num, 0, "review");
	S("}");
}

static void
review_payload(const struct repo *r, const struct user *a)
{
	unsigned num = issue_number();
	uint64_t rid = 2000000000ULL + next() % 600000000;
	struct user author;
	const char *st = PICK(((const char *const[]){ "approved", "commented", "commented",
						     "changes_requested" }));

	actor_for(r, &author);
	S("{\"action\":\"created\",\"review\":{\"id\":");
	u64(rid);
	S(",\"node_id\":\"PRR_kwDO");
	b64rand(14);
	S("\",\"user\":");
	user_obj(a);
	S(",\"body\":");
	if (upto(2)) {
		S("null");
	} else {
		S("\"");
		markdown(body_size(200, 3000), "\\r\\n");
		S("\"");
	}
	S(",\"commit_id\":\"");
	hex(40);
	S("\",\"submitted_at\":");
	ts(now);
	S(",\"state\":\"");
	str(st);
	S("\",\"html_url\":\"https://github.com/");
	str(r->full);
	S("/pull/");
	u64(num);
	S("#pullrequestreview-");
	u64(rid);
	S("\"");
	pr_url(r, "pull_request_url", num, "");
	S(",\"author_association\":\"");
	str(assoc(r, a));
	S("\",\"_links\":{\"html\":{\"href\":\"https://github.com/");
	str(r->full);
	S("/pull/");
	u64(num);
	S("#pullrequestreview-");
	u64(rid);
	S("\"},");
	link("pull_request", "https://api.github.com/repos/", r, "/pulls/", num, "");
	S("}},\"pull_request\":");
	pr_obj(r, &author, num, 0, "review");
	S("}");
}

static void
fork_payload(const struct repo *r, const struct user *a)
{
	struct repo f = *r;

	f.owner = *a;
	f.id = 790000000 + (uint64_t)(now - hour0) * 30 + upto(30);
	f.h = mix(r->h ^ a->id);
	snprintf(f.full, sizeof(f.full), "%s/%s", a->login, r->name);
	S("{\"forkee\":");
	repo_obj(&f, 1, 1);
	S("}");
}

static void
release_payload(const struct repo *r, const struct user *a)
{
	uint64_t id = 150000000 + next() % 60000000;
	unsigned i, n = 1 + upto(12);
	char tag[40];

	snprintf(tag, sizeof(tag), "v%u.%u.%u", upto(5), upto(30), upto(20));
	S("{\"action\":\"published\",\"release\":{\"url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/releases/");
	u64(id);
	S("\",\"assets_url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/releases/");
	u64(id);
	S("/assets\",\"upload_url\":\"https://uploads.github.com/repos/");
	str(r->full);
	S("/releases/");
	u64(id);
	S("/assets{?name,label}\",\"html_url\":\"https://github.com/");
	str(r->full);
	S("/releases/tag/");
	str(tag);
	S("\",\"id\":");
	u64(id);
	S(",\"author\":");
	user_obj(a);
	S(",\"node_id\":\"RE_kwDO");
	b64rand(14);
	S("\",\"tag_name\":\"");
	str(tag);
	S("\",\"target_commitish\":\"");
	str(default_branch(r));
	S("\",\"name\":\"");
	str(tag);
	S("\",\"draft\":false,\"prerelease\":");
	bool_(upto(5) == 0);
	S(",\"created_at\":");
	ts(past(600));
	S(",\"published_at\":");
	ts(now);
	S(",\"assets\":[],\"tarball_url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/tarball/");
	str(tag);
	S("\",\"zipball_url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/zipball/");
	str(tag);
	S("\",\"body\":\"## What's Changed\\n");
	for (i = 0; i < n; i++) {
		S("* ");
		str(PICK(verbs));
		S(" ");
		sentence(2 + upto(8));
		S(" by ");
		mention();
		S(" in https://github.com/");
		str(r->full);
		S("/pull/");
		u64(issue_number());
		S("\\n");
	}
	S("\\n**Full Changelog**: https://github.com/");
	str(r->full);
	S("/compare/v1.0.0...");
	str(tag);
	S("\",\"short_description_html\":\"\\u003ch2\\u003eWhat's Changed\\u003c/h2\\u003e\\n\\u003cul\\u003e\\n\\u003cli\\u003e");
	sentence(4 + upto(6));
	S("\\u003c/li\\u003e\\n\\u003c/ul\\u003e\",\"is_short_description_html_truncated\":false}}");
}

static void
gollum_payload(const struct repo *r)
{
	unsigned i, n = 1 + (upto(4) == 0);

	S("{\"pages\":[");
	for (i = 0; i < n; i++) {
		const char *w = PICK(words);

		if (i)
			S(",");
		S("{\"page_name\":\"");
		str(w);
		S("\",\"title\":\"");
		str(w);
		S("\",\"summary\":null,\"action\":\"");
		str(upto(2) ? "edited" : "created");
		S("\",\"sha\":\"");
		hex(40);
		S("\",\"html_url\":\"https://github.com/");
		str(r->full);
		S("/wiki/");
		str(w);
		S("\"}");
	}
	S("]}");
}

static void
member_payload(void)
{
	struct user m;

	user_get(&m, NBOTS + skew(NUSERS - NBOTS, 2));
	S("{\"member\":");
	user_obj(&m);
	S(",\"action\":\"added\"}");
}

static void
commit_comment_payload(const struct repo *r, const struct user *a)
{
	uint64_t id = 140000000 + next() % 20000000;
	char sha[41];
	int i;

	for (i = 0; i < 40; i++)
		sha[i] = "0123456789abcdef"[upto(16)];
	sha[40] = 0;
	S("{\"comment\":{\"url\":\"https://api.github.com/repos/");
	str(r->full);
	S("/comments/");
	u64(id);
	S("\",\"html_url\":\"https://github.com/");
	str(r->full);
	S("/commit/");
	str(sha);
	S("#commitcomment-");
	u64(id);
	S("\",\"id\":");
	u64(id);
	S(",\"node_id\":\"CC_kwDO");
	b64rand(14);
	S("\",\"user\":");
	user_obj(a);
	S(",\"position\":null,\"line\":null,\"path\":null,\"commit_id\":\"");
	str(sha);
	S("\",\"created_at\":");
	ts(now);
	S(",\"updated_at\":");
	ts(now);
	S(",\"author_association\":\"");
	str(assoc(r, a));
	S("\",\"body\":\"");
	markdown(body_size(300, 3000), "\\n");
	S("\"");
	reactions(r, "/comments/", id);
	S("}}");
}

/* ---- events ---- */

enum {
	T_PUSH, T_CREATE, T_WATCH, T_PR, T_ICOMMENT, T_DELETE, T_ISSUES, T_REVIEW,
	T_RCOMMENT, T_FORK, T_RELEASE, T_PUBLIC, T_GOLLUM, T_MEMBER, T_CCOMMENT, T_N
};
static const char *const type_names[T_N] = {
	"PushEvent", "CreateEvent", "WatchEvent", "PullRequestEvent", "IssueCommentEvent",
	"DeleteEvent", "IssuesEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent",
	"ForkEvent", "ReleaseEvent", "PublicEvent", "GollumEvent", "MemberEvent",
	"CommitCommentEvent",
};
/* events per thousand, about a real hour's */
static const unsigned type_permille[T_N] = {
	500, 130, 95, 60, 70, 30, 25, 30, 20, 20, 8, 4, 3, 3, 2,
};

static int
pick_type(void)
{
	unsigned x = upto(1000), acc = 0;
	int t;

	for (t = 0; t < T_N; t++) {
		acc += type_permille[t];
		if (x < acc)
			return t;
	}
	return T_PUSH;
}

static void
event(uint64_t id)
{
	int t = pick_type();
	struct repo r;
	struct user a;
	unsigned botp = t == T_PUSH ? 40 : t == T_PR ? 150 : t == T_ICOMMENT ? 120
		      : t == T_RELEASE ? 400 : t == T_CREATE || t == T_DELETE ? 60 : 0;

	repo_get(&r, skew(NREPOS, 3));
	if (chance(botp))
		user_get(&a, t == T_RELEASE ? 1 : t == T_ICOMMENT ? PICK(((const unsigned[]){ 0, 1, 2, 4 }))
			     : upto(3));
	else if (t == T_WATCH || t == T_FORK)
		user_get(&a, NBOTS + skew(NUSERS - NBOTS, 2));
	else
		actor_for(&r, &a);

	S("{\"id\":\"");
	u64(id);
	S("\",\"type\":\"");
	str(type_names[t]);
	S("\",\"actor\":");
	actor_obj(&a);
	S(",\"repo\":{\"id\":");
	u64(r.id);
	S(",\"name\":\"");
	str(r.full);
	S("\",\"url\":\"https://api.github.com/repos/");
	str(r.full);
	S("\"},\"payload\":");
	switch (t) {
	case T_PUSH: push_payload(&r, &a); break;
	case T_CREATE: create_payload(&r, &a, 0); break;
	case T_DELETE: create_payload(&r, &a, 1); break;
	case T_WATCH: S("{\"action\":\"started\"}"); break;
	case T_PR: pr_payload(&r, &a); break;
	case T_ICOMMENT: issue_comment_payload(&r, &a); break;
	case T_ISSUES: issues_payload(&r, &a); break;
	case T_REVIEW: review_payload(&r, &a); break;
	case T_RCOMMENT: review_comment_payload(&r, &a); break;
	case T_FORK: fork_payload(&r, &a); break;
	case T_RELEASE: release_payload(&r, &a); break;
	case T_PUBLIC: S("{}"); break;
	case T_GOLLUM: gollum_payload(&r); break;
	case T_MEMBER: member_payload(); break;
	default: commit_comment_payload(&r, &a); break;
	}
	S(",\"public\":true,\"created_at\":");
	ts(now);
	if (r.owner.kind == U_ORG) {
		S(",\"org\":");
		org_obj(&r.owner);
	}
	S("}\n");
}

int
main(int argc, char **argv)
{
	unsigned long long n = 200000, i;
	uint64_t id = 38512000000ULL;
	char *end;

	if (argc > 2 || (argc == 2 && (argv[1][0] < '0' || argv[1][0] > '9'))) {
		fputs("usage: gen [EVENTS]\n", stderr);
		return 2;
	}
	if (argc == 2) {
		n = strtoull(argv[1], &end, 10);
		if (*end || n == 0) {
			fputs("usage: gen [EVENTS]  (EVENTS a positive integer)\n", stderr);
			return 2;
		}
	}
	hour0 = days_from_civil(2024, 5, 21) * 86400 + 15 * 3600;
	for (i = 0; i < n; i++) {
		now = hour0 + (int64_t)(i * 3600 / n);
		id += 1 + upto(4);
		event(id);
	}
	flush_out();
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout)) {
		perror("gen: write");
		return 1;
	}
	return 0;
}

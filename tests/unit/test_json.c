/* test_json.c: json_scan (RFC 8259 validation, top-level member capture,
 * trailing values, deep nesting), json_member, json_streq, json_unescape.
 * Every input is copied into a heap block of exactly its length so that
 * a sanitizer build catches any read past the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "json.h"
#include "utf8.h"
#include "tap.h"
#include "testutil.h"

#define L(s) s, sizeof(s) - 1	/* a literal and its length, NULs included */

static struct jscan js;

static char *
exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);

	if (!p)
		abort();
	if (n)
		memcpy(p, s, n);
	return p;
}

/* Scan a copy; errmsg/errpos stay in js. */
static long
scan(const char *s, size_t n, int trailing, size_t *vs, size_t *ve)
{
	char *c = exact(s, n);
	long r = json_scan(&js, c, n, trailing, vs, ve);

	free(c);
	return r;
}

static void
show(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, cap - o, "\\x%02X", c);
	}
	if (i < n && o + 4 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static void
valid(const char *s, size_t n)
{
	size_t vs = 99, ve = 99;
	long r = scan(s, n, 0, &vs, &ve);
	char d[200];

	show(s, n, d, sizeof(d));
	ok(r == (long)n, "valid: %s (r=%ld, n=%zu%s%s)", d, r, n, r < 0 ? ", " : "",
	   r < 0 && js.errmsg ? js.errmsg : "");
}

static void
invalid(const char *s, size_t n)
{
	size_t vs, ve;
	long r = scan(s, n, 0, &vs, &ve);
	char d[200];

	show(s, n, d, sizeof(d));
	ok(r == -1 && js.errmsg && *js.errmsg && js.errpos <= n,
	   "invalid: %s (r=%ld, errpos=%zu, errmsg=%s)", d, r, js.errpos,
	   js.errmsg ? js.errmsg : "(null)");
}

/* An invalid text whose error the scanner can see at exactly one byte. */
static void
invalid_at(const char *s, size_t n, size_t lo, size_t hi)
{
	size_t vs, ve;
	long r = scan(s, n, 0, &vs, &ve);
	char d[200];

	show(s, n, d, sizeof(d));
	ok(r == -1 && js.errmsg && js.errpos >= lo && js.errpos <= hi,
	   "invalid: %s, errpos %zu in [%zu,%zu] (%s)", d, js.errpos, lo, hi,
	   js.errmsg ? js.errmsg : "(null)");
}

static void
test_valid(void)
{
	static const struct { const char *s; size_t n; } v[] = {
		{ L("{}") }, { L("[]") }, { L("0") }, { L("-0") }, { L("1e5") },
		{ L("1.5E-3") }, { L("-1.25e+10") }, { L("1E+2") }, { L("0.0") },
		{ L("-0.0e-0") }, { L("123456789012345678901234567890") },
		{ L("9.999e999") }, { L("0e0") }, { L("-0E+00") }, { L("10") },
		{ L("true") }, { L("false") }, { L("null") }, { L("\"\"") },
		{ L("\"abc\"") }, { L(" \t\r\n1 \t\r\n") }, { L("\n\"x\"\n") },
		{ L("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"") },
		{ L("\"\\u0000\\uABCD\\uabcd\\uFfFf\\u12aF\"") },
		{ L("\"\\ud83d\\ude00\"") },	/* a surrogate pair */
		{ L("\"\\ud800\"") },		/* lone surrogate: legal JSON text */
		{ L("\"\xc2\x80\xdf\xbf\"") },	/* U+0080 U+07FF */
		{ L("\"\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\"") },
		{ L("\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"") },	/* U+10000 U+10FFFF */
		{ L("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"") },
		{ L("\"\x7f\"") },		/* DEL is not a control character in JSON */
		{ L("\"/ ' \\/ { } [ ] : ,\"") },
		{ L("[1,2,3]") }, { L("[[],[[]],{}]") }, { L("{\"a\":{}}") },
		{ L("{\"a\":[1,{\"b\":null},[]],\"c\":{\"d\":{\"e\":[true,false]}}}") },
		{ L(" \t\n\r{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \r\n") },
		{ L("{\"\":0}") }, { L("{\"a\":1,\"a\":2}") },
		{ L("[\"a\\\"]\", \"}\"]") },
		{ L("[-1,0.5,-0.5e-5,1E5,2e+3]") },
		{ L("\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\"") },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		valid(v[i].s, v[i].n);
}

static void
test_invalid(void)
{
	static const struct { const char *s; size_t n; } v[] = {
		/* structure */
		{ L("[1,]") }, { L("{\"a\":1,}") }, { L("[,1]") }, { L("{,}") }, { L("[,]") },
		{ L("{\"a\"}") }, { L("{\"a\":}") }, { L("{a:1}") }, { L("{'a':1}") },
		{ L("[1 2]") }, { L("{\"a\":1 \"b\":2}") }, { L("[") }, { L("]") }, { L("{") },
		{ L("}") }, { L("{\"a\":1]") }, { L("[1}") }, { L("[1,2") }, { L("{\"a\":1") },
		{ L("{\"a\"") }, { L("{\"a\":") }, { L("{1:2}") }, { L("{null:1}") },
		{ L("[1]]") }, { L("{}}") }, { L("[[]") }, { L(":") }, { L(",") },
		{ L("{\"a\"::1}") }, { L("{\"a\":1,,\"b\":2}") }, { L("[1,,2]") },
		/* numbers */
		{ L("01") }, { L("-01") }, { L("00") }, { L("[01]") }, { L("-") }, { L("[-]") },
		{ L("1.") }, { L("[1.]") }, { L(".5") }, { L("+1") }, { L("1e") }, { L("1e+") },
		{ L("1E-") }, { L("-a") }, { L("1.e5") }, { L("0x10") }, { L("Infinity") },
		{ L("NaN") }, { L("-Infinity") }, { L("1_000") }, { L("1.5.5") }, { L("--1") },
		{ L("1e5e5") }, { L("[1e]") }, { L("- 1") }, { L("0.") },
		/* literals */
		{ L("tru") }, { L("nul") }, { L("fals") }, { L("True") }, { L("NULL") },
		{ L("nulll") }, { L("truee") }, { L("[tru]") }, { L("[true false]") },
		{ L("t") }, { L("n") }, { L("f") },
		/* escapes */
		{ L("\"\\x\"") }, { L("\"\\a\"") }, { L("\"\\'\"") }, { L("\"\\U0041\"") },
		{ L("\"\\u\"") }, { L("\"\\u12\"") }, { L("\"\\u12G4\"") }, { L("\"\\u 123\"") },
		{ L("\"\\u123\"") }, { L("\"\\0\"") }, { L("\"\\\"") }, { L("\"abc\\") },
		{ L("\"\\\xc3\xa9\"") }, { L("\"\\-\"") },
		/* unescaped control characters */
		{ L("\"\x01\"") }, { L("\"\x1f\"") }, { L("\"a\tb\"") }, { L("\"a\nb\"") },
		{ L("\"\r\"") }, { L("\"\x08\"") },
		/* NUL bytes, in and out of strings */
		{ L("\"a\0b\"") }, { L("\0") }, { L("[1,\0 2]") }, { L("{\"a\":1}\0") },
		{ L("1\0") }, { L("\0 1") }, { L("{\"a\0\":1}") },
		/* invalid UTF-8 */
		{ L("\"\xc0\x80\"") },		/* overlong NUL */
		{ L("\"\xc1\xbf\"") },		/* overlong */
		{ L("\"\xe0\x80\x80\"") },	/* overlong, 3 bytes */
		{ L("\"\xe0\x9f\xbf\"") },	/* overlong U+07FF */
		{ L("\"\xf0\x80\x80\x80\"") },	/* overlong, 4 bytes */
		{ L("\"\xf0\x8f\xbf\xbf\"") },	/* overlong U+FFFF */
		{ L("\"\xed\xa0\x80\"") },	/* surrogate U+D800 */
		{ L("\"\xed\xbf\xbf\"") },	/* surrogate U+DFFF */
		{ L("\"\xed\xa0\xbd\xed\xb8\x80\"") },	/* CESU-8 pair */
		{ L("\"\xf4\x90\x80\x80\"") },	/* U+110000 */
		{ L("\"\xf5\x80\x80\x80\"") }, { L("\"\xf7\xbf\xbf\xbf\"") },
		{ L("\"\xf8\x88\x80\x80\x80\"") }, { L("\"\xfc\x84\x80\x80\x80\x80\"") },
		{ L("\"\xfe\"") }, { L("\"\xff\"") },
		{ L("\"\x80\"") }, { L("\"\xbf\"") },		/* lone continuation */
		{ L("\"\xc3\"") }, { L("\"\xe2\x82\"") }, { L("\"\xf0\x9f\x98\"") },	/* truncated */
		{ L("\"\xc3") }, { L("\"\xe2\x82") }, { L("\"\xf0\x9f\x98") },	/* truncated at end */
		{ L("\"\xc3\x61\"") }, { L("\"\xe2\x28\xa1\"") }, { L("\"\xe2\x82\x28\"") },
		{ L("\"\xf0\x9f\x98\x28\"") }, { L("\"\xc3\xc3\xa9\"") },
		{ L("{\"\xff\":1}") },		/* in a member name */
		{ L("\xc3\xa9") },		/* outside a string */
		/* unterminated strings */
		{ L("\"") }, { L("\"abc") }, { L("{\"a\":\"b") }, { L("[\"abc") }, { L("{\"abc") },
		{ L("\"abc\\\"") },
		/* empty */
		{ L("") }, { L(" ") }, { L("\n\t\r ") },
		/* not JSON whitespace */
		{ L("\f1") }, { L("\v1") }, { L("1\f") }, { L("\xc2\xa0" "1") },
		/* trailing garbage (allow_trailing = 0) */
		{ L("{\"a\":1} x") }, { L("1 2") }, { L("{}{}") }, { L("{\"a\":1}{\"b\":2}") },
		{ L("[]]") }, { L("\"a\"\"b\"") }, { L("null,") },
		/* a byte order mark is not JSON text */
		{ L("\xef\xbb\xbf{}") },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		invalid(v[i].s, v[i].n);
}

/* Where the error is: the first byte that makes the text invalid. */
static void
test_errpos(void)
{
	invalid_at(L("[1,]"), 3, 3);
	invalid_at(L("{\"a\":1,}"), 7, 7);
	invalid_at(L("01"), 1, 1);
	ok(js.errmsg && strstr(js.errmsg, "leading zero"), "01: the reason names the leading zero (%s)",
	   js.errmsg ? js.errmsg : "(null)");
	invalid_at(L("tru"), 0, 3);
	invalid_at(L("[1 2]"), 3, 3);
	invalid_at(L("{\"a\":1} x"), 8, 8);
	invalid_at(L(""), 0, 0);
	invalid_at(L("   "), 0, 3);
	invalid_at(L("["), 1, 1);
	invalid_at(L("[1,2"), 4, 4);
	invalid_at(L("{\"a\" 1}"), 5, 5);
	invalid_at(L("{\"a\":1]"), 6, 6);
	invalid_at(L("[1}"), 2, 2);
	invalid_at(L("{1:2}"), 1, 1);
	invalid_at(L("[-]"), 1, 2);
	invalid_at(L("[1.]"), 1, 3);
	invalid_at(L("  x"), 2, 2);
	invalid_at(L("[1,\0 2]"), 3, 3);
	invalid_at(L("{\"a\":1}\0"), 7, 7);
	invalid_at(L("\"abc"), 0, 4);	/* unterminated: the end is fine */
}

/* String errors should be reported at the offending byte (or at least
 * inside the string), not at the end of the text: gha-bronze turns
 * errpos into the "column" of its quarantine reason. */
static void
test_errpos_strings(void)
{
	/* {"a":"ok\x","b":"................................"} */
	static const char pad[] = "\"b\":\"................................................\"}";
	static const struct { const char *s; size_t n; size_t bad; const char *what; } v[] = {
		{ L("{\"a\":\"ok\\x\","), 8, "bad escape" },
		{ L("{\"a\":\"ok\\u12G4\","), 8, "bad \\u escape" },
		{ L("{\"a\":\"ok\x01\","), 8, "control character" },
		{ L("{\"a\":\"ok\0\","), 8, "NUL" },
		{ L("{\"a\":\"ok\xed\xa0\x80\","), 8, "surrogate in UTF-8" },
		{ L("{\"a\":\"ok\xc0\x80\","), 8, "overlong UTF-8" },
		{ L("{\"ok\xff\":1,"), 4, "invalid UTF-8 in a member name" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = v[i].n + sizeof(pad) - 1, vs, ve;
		char *t = malloc(n);
		long r;

		memcpy(t, v[i].s, v[i].n);
		memcpy(t + v[i].n, pad, sizeof(pad) - 1);
		r = scan(t, n, 0, &vs, &ve);
		ok(r == -1 && js.errpos <= v[i].bad && js.errpos >= (v[i].bad == 4 ? 1 : 5),
		   "%s: errpos %zu points into the string (bad byte at %zu, text length %zu)",
		   v[i].what, js.errpos, v[i].bad, n);
		free(t);
	}
}

/* The error messages carry the kinds gha-bronze sorts rejects by. */
static void
test_errmsg(void)
{
	size_t vs, ve;

	scan(L("\"\xc0\x80\""), 0, &vs, &ve);
	ok(js.errmsg && strstr(js.errmsg, "UTF-8"), "invalid UTF-8 message mentions UTF-8: %s",
	   js.errmsg);
	scan(L("\"a\0\""), 0, &vs, &ve);
	ok(js.errmsg && strstr(js.errmsg, "NUL"), "NUL in a string message mentions NUL: %s",
	   js.errmsg);
	scan(L("{\"a\":1} x"), 0, &vs, &ve);
	ok(js.errmsg && strstr(js.errmsg, "trailing"), "trailing garbage message: %s", js.errmsg);
	scan(L(""), 0, &vs, &ve);
	ok(js.errmsg && strstr(js.errmsg, "empty"), "empty text message: %s", js.errmsg);
	/* a success clears the previous message */
	scan(L("1"), 0, &vs, &ve);
	ok(js.errmsg == NULL, "errmsg cleared after a successful scan");
}

/* Every offset of the 16-byte fast path: a fault at position k of a long
 * string is found, a valid multibyte character at position k is not. */
static void
test_string_offsets(void)
{
	static const struct { const char *s; size_t n; int good; } ins[] = {
		{ L("\\n"), 1 }, { L("\\u00e9"), 1 }, { L("\xc3\xa9"), 1 }, { L("\xe2\x82\xac"), 1 },
		{ L("\xf0\x9f\x98\x80"), 1 }, { L("\x7f"), 1 }, { L("\\\""), 1 }, { L("\\\\"), 1 },
		{ L("\x01"), 0 }, { L("\x1f"), 0 }, { L("\0"), 0 }, { L("\xc0\x80"), 0 },
		{ L("\xed\xa0\x80"), 0 }, { L("\xff"), 0 }, { L("\x80"), 0 }, { L("\\x"), 0 },
		{ L("\\u12"), 0 }, { L("\n"), 0 },
	};
	size_t i, k;
	int bad = 0, checked = 0;

	for (i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
		for (k = 0; k < 48; k++) {
			for (size_t tail = 0; tail < 40; tail += 13) {
				size_t n = 1 + k + ins[i].n + tail + 1, vs, ve;
				char *t = malloc(n);
				long r;

				t[0] = '"';
				memset(t + 1, 'a', k);
				memcpy(t + 1 + k, ins[i].s, ins[i].n);
				memset(t + 1 + k + ins[i].n, 'z', tail);
				t[n - 1] = '"';
				r = json_scan(&js, t, n, 0, &vs, &ve);
				checked++;
				if ((r == (long)n) != ins[i].good) {
					if (bad++ < 5)
						ok(0, "string with insert %zu at offset %zu tail %zu: r=%ld",
						   i, k, tail, r);
				}
				free(t);
			}
		}
	}
	ok(bad == 0, "faults and valid characters at every offset of a long string (%d cases, %d wrong)",
	   checked, bad);

	/* a closing quote at every offset, then the rest must be a new value */
	for (k = 0; k < 40; k++) {
		size_t n = k + 2 + 2, vs, ve;
		char *t = malloc(n);
		long r;

		t[0] = '"';
		memset(t + 1, 'x', k);
		t[k + 1] = '"';
		t[k + 2] = ' ';
		t[k + 3] = '1';
		r = json_scan(&js, t, n, 1, &vs, &ve);
		if (r != (long)(k + 3) || vs != 0 || ve != k + 2)
			bad++;
		free(t);
	}
	ok(bad == 0, "string ends found at every offset");
}

static void
test_spans(void)
{
	size_t vs = 99, ve = 99;
	long r;

	r = scan(L("  [1]  "), 0, &vs, &ve);
	ok(r == 7 && vs == 2 && ve == 5, "whitespace consumed but not in the value: r=%ld vs=%zu ve=%zu",
	   r, vs, ve);
	r = scan(L("\"x\""), 0, &vs, &ve);
	ok(r == 3 && vs == 0 && ve == 3, "string value span includes quotes");
	r = scan(L("\n-12.5e3\n"), 0, &vs, &ve);
	ok(r == 9 && vs == 1 && ve == 8, "number span");
}

static void
test_trailing(void)
{
	static const char two[] = "{\"a\":1}{\"b\":2}";
	size_t vs = 99, ve = 99;
	long r;

	r = scan(L("{\"a\":1}{\"b\":2}"), 1, &vs, &ve);
	ok(r == 7, "allow_trailing: offset of the next value is 7 (got %ld)", r);
	ok(vs == 0 && ve == 7, "allow_trailing: first value spans [0,7) (got [%zu,%zu))", vs, ve);
	r = scan(two + 7, sizeof(two) - 1 - 7, 1, &vs, &ve);
	ok(r == 7 && vs == 0 && ve == 7, "the second value scans to its end (r=%ld)", r);

	r = scan(L(" {\"a\":1}  {\"b\":2} "), 1, &vs, &ve);
	ok(r >= 8 && r <= 10 && vs == 1 && ve == 8,
	   "allow_trailing with spaces: r=%ld in [8,10], value [1,8) (got [%zu,%zu))", r, vs, ve);
	if (r >= 8 && r <= 10) {
		size_t vs2, ve2;
		const char *t = " {\"a\":1}  {\"b\":2} ";
		long r2 = scan(t + r, strlen(t) - (size_t)r, 1, &vs2, &ve2);

		ok(r2 == (long)(strlen(t) - (size_t)r) && t[r + (long)vs2] == '{',
		   "scanning on from r finds the second object");
	}
	r = scan(L("{\"a\":1}   "), 1, &vs, &ve);
	ok(r == 10 && ve == 7, "allow_trailing: whitespace only after the value returns n");
	r = scan(L("[1,2][3]"), 1, &vs, &ve);
	ok(r == 5 && ve == 5, "allow_trailing: arrays too");
	r = scan(L("1 2"), 1, &vs, &ve);
	ok(r == 2 && ve == 1, "allow_trailing: scalars");
	r = scan(L("{\"a\":1,}{}"), 1, &vs, &ve);
	ok(r == -1, "allow_trailing does not excuse an invalid first value");
	r = scan(L("{\"a\":1}{\"b\":2}"), 0, &vs, &ve);
	ok(r == -1 && js.errpos == 7, "without allow_trailing two values fail at 7 (errpos %zu)",
	   js.errpos);
}

static int
span_is(const struct jspan *v, enum jtype t, const char *text)
{
	return v->type == t && v->len == strlen(text) && !memcmp(v->p, text, v->len);
}

static void
test_capture(void)
{
	static const char *const keys[] = { "id", "type", "payload", "x", "list", "missing", "a" };
	static const char text[] =
	    "{\"id\":123,\"type\":\"PushEvent\",\"payload\":{\"id\":5,\"type\":\"inner\",\"x\":[1],"
	    "\"a\":{\"a\":2}},\"other\":{\"x\":1,\"list\":[]},\"x\":null,"
	    "\"list\":[{\"id\":9},[{\"a\":1}]],\"a\":true}";
	struct jscan k;
	char *t = exact(text, sizeof(text) - 1);
	size_t vs, ve;
	long r;

	jscan_init(&k, keys, 7);
	r = json_scan(&k, t, sizeof(text) - 1, 0, &vs, &ve);
	ok(r == (long)sizeof(text) - 1, "capture text is valid");
	ok(span_is(&k.val[0], J_NUMBER, "123"), "id captured as number 123 (not nested id 5 or 9)");
	ok(span_is(&k.val[1], J_STRING, "\"PushEvent\""), "type captured with its quotes");
	ok(span_is(&k.val[2], J_OBJECT,
		   "{\"id\":5,\"type\":\"inner\",\"x\":[1],\"a\":{\"a\":2}}"),
	   "payload captured as the whole nested object");
	ok(span_is(&k.val[3], J_NULL, "null"), "x captured as null, not the nested x");
	ok(span_is(&k.val[4], J_ARRAY, "[{\"id\":9},[{\"a\":1}]]"), "list captured as array");
	ok(k.val[5].type == J_NONE, "missing key is J_NONE");
	ok(span_is(&k.val[6], J_TRUE, "true"), "a captured as true");
	ok(k.dupkey == 0, "nested keys equal to captured ones are not duplicates");

	/* types, with whitespace around values */
	r = json_scan(&k, L("{ \"id\" : -1.5e3 , \"type\" : [ 1 ] ,\"x\":false, \"list\" : \"\" ,"
			   "\"payload\":{ } }"), 0, &vs, &ve);
	ok(r > 0 && span_is(&k.val[0], J_NUMBER, "-1.5e3"), "number span without whitespace");
	ok(span_is(&k.val[1], J_ARRAY, "[ 1 ]"), "array span");
	ok(span_is(&k.val[3], J_FALSE, "false"), "false span");
	ok(span_is(&k.val[4], J_STRING, "\"\""), "empty string span");
	ok(span_is(&k.val[2], J_OBJECT, "{ }"), "empty object span");
	ok(k.val[6].type == J_NONE && k.val[5].type == J_NONE, "absent keys reset to J_NONE");

	/* a second scan resets the captures */
	r = json_scan(&k, L("{\"a\":1}"), 0, &vs, &ve);
	ok(r == 7 && k.val[0].type == J_NONE && k.val[1].type == J_NONE &&
	   span_is(&k.val[6], J_NUMBER, "1"), "captures reset between scans");

	/* duplicates */
	r = json_scan(&k, L("{\"id\":1,\"id\":2}"), 0, &vs, &ve);
	ok(r > 0 && k.dupkey == 1, "duplicate captured key detected");
	r = json_scan(&k, L("{\"id\":1,\"b\":{\"id\":2}}"), 0, &vs, &ve);
	ok(r > 0 && k.dupkey == 0, "dupkey reset; nested same key is no duplicate");
	r = json_scan(&k, L("{\"zz\":1,\"zz\":2}"), 0, &vs, &ve);
	ok(r > 0 && k.dupkey == 0, "duplicates of keys not asked for are not flagged");
	r = json_scan(&k, L("{\"x\":{\"x\":1},\"type\":2,\"x\":3}"), 0, &vs, &ve);
	ok(r > 0 && k.dupkey == 1, "duplicate after a nested same key detected");

	/* prefixes and top-level arrays */
	r = json_scan(&k, L("{\"idx\":1,\"i\":2,\"ID\":3}"), 0, &vs, &ve);
	ok(r > 0 && k.val[0].type == J_NONE, "keys match exactly, not by prefix or case");
	r = json_scan(&k, L("[{\"id\":1}]"), 0, &vs, &ve);
	ok(r > 0 && k.val[0].type == J_NONE, "members of an object inside a top-level array not captured");
	r = json_scan(&k, L("\"id\""), 0, &vs, &ve);
	ok(r > 0 && k.val[0].type == J_NONE, "a top-level string is not a member");
	r = json_scan(&k, L("[\"id\",1]"), 0, &vs, &ve);
	ok(r > 0 && k.val[0].type == J_NONE, "array elements are not members");

	/* the captured span points into the caller's text */
	r = json_scan(&k, t, sizeof(text) - 1, 0, &vs, &ve);
	ok(r > 0 && k.val[0].p == t + 6, "span pointer is into the input");
	jscan_free(&k);
	free(t);

	/* more paths than JSCAN_MAXPATHS are clamped */
	{
		static char names[JSCAN_MAXPATHS + 2][8];
		const char *many[JSCAN_MAXPATHS + 2];
		int i;

		for (i = 0; i < JSCAN_MAXPATHS + 2; i++) {
			snprintf(names[i], sizeof(names[i]), "m%d", i);
			many[i] = names[i];
		}
		jscan_init(&k, many, JSCAN_MAXPATHS + 2);
		ok(k.npaths == JSCAN_MAXPATHS, "npaths clamped to JSCAN_MAXPATHS (%d)", k.npaths);
		r = json_scan(&k, L("{\"m127\":1,\"m0\":2,\"m128\":3}"), 0, &vs, &ve);
		ok(r > 0 && span_is(&k.val[127], J_NUMBER, "1") && span_is(&k.val[0], J_NUMBER, "2"),
		   "the last and first of 128 paths captured");
		jscan_free(&k);
	}

	{
		static const char *const twelve[] = { "k0", "k1", "k2", "k3", "k4", "k5", "k6",
						      "k7", "k8", "k9", "k10", "k11" };
		/* twelve keys, any order */
		static const char tx[] = "{\"k11\":11,\"k10\":10,\"k9\":9,\"k8\":8,\"k7\":7,\"k6\":6,"
					 "\"k5\":5,\"k4\":4,\"k3\":3,\"k2\":2,\"k1\":1,\"k0\":0}";
		int i, good = 1;

		jscan_init(&k, twelve, 12);
		r = json_scan(&k, L(tx), 0, &vs, &ve);
		for (i = 0; i < 12; i++) {
			char num[8];

			snprintf(num, sizeof(num), "%d", i);
			if (!span_is(&k.val[i], J_NUMBER, num))
				good = 0;
		}
		ok(r > 0 && good && !k.dupkey, "twelve keys in any order");
		jscan_free(&k);
	}
}

/* Dotted paths go through objects, never into arrays. */
static void
test_paths(void)
{
	static const char *const paths[] = {
		"payload.action", "payload.pull_request.id", "payload.pull_request", "repo.name",
		"actor", "id", "payload.commits", "payload.commits.sha", "payload.id", "a.b.c.d",
	};
	enum { P_ACTION, P_PRID, P_PR, P_REPONAME, P_ACTOR, P_ID, P_COMMITS, P_SHA, P_PID, P_ABCD };
	static const char text[] =
	    "{\"actor\":{\"login\":\"x\",\"id\":3},\"payload\":{\"action\":\"opened\","
	    "\"pull_request\":{\"id\":7,\"head\":{\"id\":8,\"action\":0},\"action\":1},"
	    "\"commits\":[{\"sha\":\"s1\"},{\"sha\":\"s2\"}],\"id\":9},"
	    "\"repo\":{\"name\":\"a/b\",\"id\":1},\"id\":10,\"name\":\"top\"}";
	struct jscan k;
	size_t vs, ve;
	long r;
	char *t = exact(text, sizeof(text) - 1);

	jscan_init(&k, paths, (int)(sizeof(paths) / sizeof(paths[0])));
	r = json_scan(&k, t, sizeof(text) - 1, 0, &vs, &ve);
	ok(r == (long)sizeof(text) - 1, "path text is valid");
	ok(span_is(&k.val[P_ACTION], J_STRING, "\"opened\""), "payload.action");
	ok(span_is(&k.val[P_PRID], J_NUMBER, "7"), "payload.pull_request.id is 7, not head.id 8");
	ok(span_is(&k.val[P_PR], J_OBJECT,
		   "{\"id\":7,\"head\":{\"id\":8,\"action\":0},\"action\":1}"),
	   "payload.pull_request: an object that is also a path prefix");
	ok(span_is(&k.val[P_REPONAME], J_STRING, "\"a/b\""), "repo.name, not the top-level name");
	ok(span_is(&k.val[P_ACTOR], J_OBJECT, "{\"login\":\"x\",\"id\":3}"), "actor object");
	ok(span_is(&k.val[P_ID], J_NUMBER, "10"), "id is the top-level 10");
	ok(span_is(&k.val[P_PID], J_NUMBER, "9"), "payload.id is 9");
	ok(span_is(&k.val[P_COMMITS], J_ARRAY, "[{\"sha\":\"s1\"},{\"sha\":\"s2\"}]"), "payload.commits array");
	ok(k.val[P_SHA].type == J_NONE, "paths do not go into arrays");
	ok(k.val[P_ABCD].type == J_NONE, "absent deep path");
	ok(k.dupkey == 0, "no duplicates");

	r = json_scan(&k, L("{\"payload\":\"str\",\"repo\":[{\"name\":1}],\"a\":{\"b\":{\"c\":{\"d\":[]}}}}"),
		      0, &vs, &ve);
	ok(r > 0 && k.val[P_ACTION].type == J_NONE && k.val[P_REPONAME].type == J_NONE,
	   "a path through a string or an array captures nothing");
	ok(span_is(&k.val[P_ABCD], J_ARRAY, "[]"), "a.b.c.d four levels down");

	r = json_scan(&k, L("{\"payload\":{\"action\":1,\"x\":{},\"action\":2}}"), 0, &vs, &ve);
	ok(r > 0 && k.dupkey == 1, "a nested captured member twice is a duplicate");
	r = json_scan(&k, L("{\"payload\":{\"action\":1},\"payload\":{\"id\":2}}"), 0, &vs, &ve);
	ok(r > 0 && k.dupkey == 0 && span_is(&k.val[P_ACTION], J_NUMBER, "1") &&
	   span_is(&k.val[P_PID], J_NUMBER, "2"), "members of a repeated parent are each captured once");
	r = json_scan(&k, L("[{\"id\":1,\"payload\":{\"action\":1}}]"), 0, &vs, &ve);
	ok(r > 0 && k.val[P_ID].type == J_NONE && k.val[P_ACTION].type == J_NONE,
	   "nothing is captured inside a top-level array");
	r = json_scan(&k, L("{\"x\":{\"payload\":{\"action\":1}},\"id\":{\"id\":1}}"), 0, &vs, &ve);
	ok(r > 0 && k.val[P_ACTION].type == J_NONE && span_is(&k.val[P_ID], J_OBJECT, "{\"id\":1}"),
	   "paths are anchored at the top level");
	/* captured arrays count their elements */
	{
		static const char *const ap[] = { "payload.commits", "list", "payload" };
		struct jscan c;

		jscan_init(&c, ap, 3);
		r = json_scan(&c, L("{\"payload\":{\"commits\":[{\"sha\":\"a\"},{\"sha\":\"b\"},{\"sha\":\"c\"}]},"
				   "\"list\":[]}"), 0, &vs, &ve);
		ok(r > 0 && c.val[0].type == J_ARRAY && c.val[0].count == 3, "payload.commits has 3 elements (%zu)",
		   c.val[0].count);
		ok(c.val[1].type == J_ARRAY && c.val[1].count == 0, "an empty array has 0 (%zu)", c.val[1].count);
		r = json_scan(&c, L("{\"list\":[[1,2],[3],4,\"x,y\",{\"a\":[1,2,3]},[],null]}"), 0, &vs, &ve);
		ok(r > 0 && c.val[1].count == 7, "nested arrays count as one element each (%zu)", c.val[1].count);
		r = json_scan(&c, L("{\"list\":[ 1 , 2 ] ,\"payload\":{\"x\":[1,2,3,4],\"commits\":[9]}}"), 0,
			      &vs, &ve);
		ok(r > 0 && c.val[1].count == 2 && c.val[0].count == 1,
		   "counts with whitespace; a sibling array is not counted (%zu, %zu)", c.val[1].count,
		   c.val[0].count);
		r = json_scan(&c, L("{\"list\":[1,2,3],\"list\":[1]}"), 0, &vs, &ve);
		ok(r > 0 && c.dupkey && c.val[1].count == 1, "a repeated member counts afresh (%zu)", c.val[1].count);
		jscan_free(&c);
	}

	/* a failed scan may leave captures half set, but the next one is clean */
	r = json_scan(&k, L("{\"id\":1,\"payload\":{\"action\":"), 0, &vs, &ve);
	ok(r == -1, "truncated text fails");
	r = json_scan(&k, L("{\"payload\":{}}"), 0, &vs, &ve);
	ok(r > 0 && k.val[P_ID].type == J_NONE && k.val[P_ACTION].type == J_NONE && !k.dupkey,
	   "a scan after a failed one starts clean");
	jscan_free(&k);
	free(t);
}

static void
test_array_next(void)
{
	static const char arr[] = "[ 1 , \"a,]\" ,{\"k\":[1,2]},[[]],null,true,false,-2.5e1,\"\\\"\"]";
	static const char *const want[] = { "1", "\"a,]\"", "{\"k\":[1,2]}", "[[]]", "null", "true",
					    "false", "-2.5e1", "\"\\\"\"" };
	static const enum jtype wt[] = { J_NUMBER, J_STRING, J_OBJECT, J_ARRAY, J_NULL, J_TRUE,
					 J_FALSE, J_NUMBER, J_STRING };
	struct jspan a = { .type = J_ARRAY, .p = NULL, .len = sizeof(arr) - 1 }, e;
	const char *cur = NULL;
	char *t = exact(arr, sizeof(arr) - 1);
	size_t vs, ve, i = 0;
	int good = 1;

	ok(json_scan(&js, t, sizeof(arr) - 1, 0, &vs, &ve) > 0, "array_next test array is valid");
	a.p = t;
	while (json_array_next(&a, &cur, &e) == 1) {
		if (i >= 9 || !span_is(&e, wt[i], want[i])) {
			good = 0;
			ok(0, "element %zu: type %d, %.*s", i, (int)e.type, (int)e.len, e.p);
		}
		i++;
		if (i > 20)
			break;
	}
	ok(good && i == 9, "json_array_next returns the 9 elements in order (%zu)", i);
	free(t);
	{
		struct jspan em = { .type = J_ARRAY, .p = "[]", .len = 2 };
		struct jspan em2 = { .type = J_ARRAY, .p = "[ \n ]", .len = 5 };
		struct jspan one = { .type = J_ARRAY, .p = "[\"x\"]", .len = 5 };
		struct jspan obj = { .type = J_OBJECT, .p = "{}", .len = 2 };

		cur = NULL;
		ok(json_array_next(&em, &cur, &e) == 0, "empty array");
		cur = NULL;
		ok(json_array_next(&em2, &cur, &e) == 0, "empty array with spaces");
		cur = NULL;
		ok(json_array_next(&one, &cur, &e) == 1 && span_is(&e, J_STRING, "\"x\"") &&
		   json_array_next(&one, &cur, &e) == 0, "one element, then done");
		cur = NULL;
		ok(json_array_next(&obj, &cur, &e) == 0, "an object is not iterated");
	}
}

static void
test_deep(void)
{
	size_t depth = 10000, n = 2 * depth, vs, ve, i;
	char *t = malloc(n);
	long r;

	memset(t, '[', depth);
	memset(t + depth, ']', depth);
	r = json_scan(&js, t, n, 0, &vs, &ve);
	ok(r == (long)n, "10000 nested arrays (the limit) validate (r=%ld)", r);
	r = json_scan(&js, t, n - 1, 0, &vs, &ve);
	ok(r == -1 && js.errpos == n - 1, "one unclosed array fails at the end (errpos %zu)",
	   js.errpos);
	t[depth] = '}';
	r = json_scan(&js, t, n, 0, &vs, &ve);
	ok(r == -1 && js.errpos == depth, "mismatched close at the innermost level fails");
	free(t);
	t = malloc(2 * depth + 2);
	memset(t, '[', depth + 1);
	memset(t + depth + 1, ']', depth + 1);
	r = json_scan(&js, t, 2 * depth + 2, 0, &vs, &ve);
	ok(r == -1 && js.errpos == depth && strstr(js.errmsg, "deeper than 10000"),
	   "10001 nested arrays fail at the 10001st, saying why (errpos %zu)", js.errpos);
	free(t);

	/* objects: {"a":{"a":...1...}} */
	depth = 10000;
	n = depth * 5 + 1 + depth;
	t = malloc(n);
	for (i = 0; i < depth; i++)
		memcpy(t + i * 5, "{\"a\":", 5);
	t[depth * 5] = '1';
	memset(t + depth * 5 + 1, '}', depth);
	r = json_scan(&js, t, n, 0, &vs, &ve);
	ok(r == (long)n, "10000 nested objects validate");
	r = json_scan(&js, t, n - 1, 0, &vs, &ve);
	ok(r == -1, "one unclosed object fails");
	free(t);

	/* alternating, and deep nesting inside a captured member */
	{
		static const char *const keys[] = { "a" };
		struct jscan k;

		depth = 9999;
		n = 5 + 2 * depth + 1;
		t = malloc(n);
		memcpy(t, "{\"a\":", 5);
		for (i = 0; i < depth; i++) {
			t[5 + i] = '[';
			t[5 + depth + i] = ']';
		}
		t[n - 1] = '}';
		jscan_init(&k, keys, 1);
		r = json_scan(&k, t, n, 0, &vs, &ve);
		ok(r == (long)n && k.val[0].type == J_ARRAY && k.val[0].len == 2 * depth,
		   "a deep array as a captured member has the right span");
		jscan_free(&k);
		free(t);
	}
}

static void
test_member(void)
{
	static const char obj[] =
	    "{ \"x\" : [1,{\"y\":\"}\"}] , \"s\":\"a\\\"b,}\",\"n\":-1.5e3 ,\"t\":true,"
	    "\"f\":false,\"z\":null,\"o\":{\"q\":{\"r\":[]}},\"ab\":1,\"a\":2,\"e\":\"\","
	    "\"k\\\"q\":7,\"dup\":1,\"dup\":2,\"last\":{}}";
	struct jspan o = { .type = J_OBJECT, .p = NULL, .len = 0 }, v;
	char *t = exact(obj, sizeof(obj) - 1);
	size_t vs, ve;

	ok(json_scan(&js, t, sizeof(obj) - 1, 0, &vs, &ve) > 0, "member test object is valid");
	o.p = t;
	o.len = sizeof(obj) - 1;
	ok(json_member(&o, "x", &v) == 1 && span_is(&v, J_ARRAY, "[1,{\"y\":\"}\"}]"),
	   "member x: array with a brace inside a string");
	ok(json_member(&o, "s", &v) == 1 && span_is(&v, J_STRING, "\"a\\\"b,}\""),
	   "member s: string with escaped quote, comma and brace");
	ok(json_member(&o, "n", &v) == 1 && span_is(&v, J_NUMBER, "-1.5e3"), "member n: number");
	ok(json_member(&o, "t", &v) == 1 && span_is(&v, J_TRUE, "true"), "member t: true");
	ok(json_member(&o, "f", &v) == 1 && span_is(&v, J_FALSE, "false"), "member f: false");
	ok(json_member(&o, "z", &v) == 1 && span_is(&v, J_NULL, "null"), "member z: null");
	ok(json_member(&o, "o", &v) == 1 && span_is(&v, J_OBJECT, "{\"q\":{\"r\":[]}}"),
	   "member o: nested object");
	ok(json_member(&o, "a", &v) == 1 && span_is(&v, J_NUMBER, "2"), "member a, not its prefix ab");
	ok(json_member(&o, "ab", &v) == 1 && span_is(&v, J_NUMBER, "1"), "member ab");
	ok(json_member(&o, "e", &v) == 1 && span_is(&v, J_STRING, "\"\""), "member e: empty string");
	ok(json_member(&o, "last", &v) == 1 && span_is(&v, J_OBJECT, "{}"), "last member");
	ok(json_member(&o, "dup", &v) == 1 && span_is(&v, J_NUMBER, "1"), "duplicate: the first");
	ok(json_member(&o, "k\\\"q", &v) == 1 && span_is(&v, J_NUMBER, "7"),
	   "name with an escape matches its raw text");
	ok(json_member(&o, "y", &v) == 0, "nested member y not found at top level");
	ok(json_member(&o, "q", &v) == 0, "nested member q not found at top level");
	ok(json_member(&o, "missing", &v) == 0, "missing member");
	ok(json_member(&o, "", &v) == 0, "empty name absent");
	{
		struct jspan nested;

		if (json_member(&o, "o", &v) == 1 && json_member(&v, "q", &nested) == 1)
			ok(span_is(&nested, J_OBJECT, "{\"r\":[]}"), "member of a member");
		else
			ok(0, "member of a member");
	}
	{
		struct jspan e = { .type = J_OBJECT, .p = "{}", .len = 2 };
		struct jspan e2 = { .type = J_OBJECT, .p = "{ \n }", .len = 5 };
		struct jspan a = { .type = J_ARRAY, .p = "[\"x\",1]", .len = 7 };
		struct jspan s = { .type = J_STRING, .p = "\"x\"", .len = 3 };
		struct jspan w = { .type = J_OBJECT, .p = "{\"\":1}", .len = 6 };

		ok(json_member(&e, "x", &v) == 0 && json_member(&e2, "x", &v) == 0,
		   "empty objects have no members");
		ok(json_member(&a, "x", &v) == 0, "an array has no members");
		ok(json_member(&s, "x", &v) == 0, "a string has no members");
		ok(json_member(&w, "", &v) == 1 && span_is(&v, J_NUMBER, "1"), "empty member name");
	}
	free(t);
}

static void
test_streq(void)
{
	struct jspan s = { .type = J_STRING, .p = "\"abc\"", .len = 5 };
	struct jspan e = { .type = J_STRING, .p = "\"\"", .len = 2 };
	struct jspan esc = { .type = J_STRING, .p = "\"a\\u0062c\"", .len = 10 };
	struct jspan num = { .type = J_NUMBER, .p = "123", .len = 3 };
	struct jspan raw = { .type = J_STRING, .p = "\"abc\"xyz", .len = 5 };

	ok(json_streq(&s, "abc"), "streq abc");
	ok(!json_streq(&s, "ab"), "streq shorter");
	ok(!json_streq(&s, "abcd"), "streq longer");
	ok(!json_streq(&s, "abd"), "streq different");
	ok(!json_streq(&s, "ABC"), "streq is case-sensitive");
	ok(json_streq(&e, ""), "streq empty");
	ok(!json_streq(&e, "a"), "streq empty vs a");
	ok(!json_streq(&esc, "abc"), "streq does not decode escapes");
	ok(json_streq(&esc, "a\\u0062c"), "streq compares raw text");
	ok(!json_streq(&num, "123"), "streq of a number span is false");
	ok(json_streq(&raw, "abc"), "streq with a span not NUL-terminated after the quote");
}

static void
unesc_is(const char *lit, const char *want, size_t wn, const char *what)
{
	struct jspan s = { .type = J_STRING, .p = NULL, .len = 0 };
	struct buf b;
	char *t = exact(lit, strlen(lit));
	int r;

	s.p = t;
	s.len = strlen(lit);
	buf_init(&b);
	r = json_unescape(&s, &b);
	ok(r == 0 && b.len == wn && (wn == 0 || !memcmp(b.p, want, wn)), "unescape %s (r=%d len=%zu)",
	   what, r, b.len);
	buf_free(&b);
	free(t);
}

static void
unesc_fails(const char *lit, const char *what)
{
	struct jspan s = { .type = J_STRING, .p = NULL, .len = 0 };
	struct buf b;
	char *t = exact(lit, strlen(lit));
	int r;

	s.p = t;
	s.len = strlen(lit);
	buf_init(&b);
	r = json_unescape(&s, &b);
	ok(r == -1, "unescape rejects %s (r=%d)", what, r);
	buf_free(&b);
	free(t);
}

/* An independent UTF-8 encoder for the round trip below. */
static size_t
enc8(uint32_t cp, unsigned char *o)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 + cp / 64);
		o[1] = (unsigned char)(0x80 + cp % 64);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 + cp / 4096);
		o[1] = (unsigned char)(0x80 + cp / 64 % 64);
		o[2] = (unsigned char)(0x80 + cp % 64);
		return 3;
	}
	o[0] = (unsigned char)(0xF0 + cp / 262144);
	o[1] = (unsigned char)(0x80 + cp / 4096 % 64);
	o[2] = (unsigned char)(0x80 + cp / 64 % 64);
	o[3] = (unsigned char)(0x80 + cp % 64);
	return 4;
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint32_t
rnd(void)
{
	return (uint32_t)(xorshift(&rng) >> 11);
}

static void
test_unescape(void)
{
	struct buf b;
	struct jspan s;
	int i, bad = 0;

	unesc_is("\"\"", "", 0, "empty string");
	unesc_is("\"plain text\"", "plain text", 10, "no escapes");
	unesc_is("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"", "a\"b\\c/d\be\ff\ng\rh\ti", 17,
		 "all short escapes");
	unesc_is("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6, "\\u to 1, 2, 3 bytes");
	unesc_is("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4, "surrogate pair to U+1F600");
	unesc_is("\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80", 4, "surrogate pair, upper-case hex");
	unesc_is("\"\\ud800\\udc00\"", "\xf0\x90\x80\x80", 4, "pair to U+10000");
	unesc_is("\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf", 4, "pair to U+10FFFF");
	unesc_is("\"\\ud800\"", "\xef\xbf\xbd", 3, "lone high surrogate to U+FFFD");
	unesc_is("\"\\udc00\"", "\xef\xbf\xbd", 3, "lone low surrogate to U+FFFD");
	unesc_is("\"\\udfff\"", "\xef\xbf\xbd", 3, "lone U+DFFF to U+FFFD");
	unesc_is("\"\\ud800x\"", "\xef\xbf\xbdx", 4, "high surrogate then a letter");
	unesc_is("\"\\ud800\\u0041\"", "\xef\xbf\xbd" "A", 4, "high surrogate then \\u0041");
	unesc_is("\"\\ud800\\ud800\\udc00\"", "\xef\xbf\xbd\xf0\x90\x80\x80", 7,
		 "high, then a good pair");
	unesc_is("\"\\udc00\\ud800\"", "\xef\xbf\xbd\xef\xbf\xbd", 6, "reversed pair: two U+FFFD");
	unesc_is("\"\\ud800\\n\"", "\xef\xbf\xbd\n", 4, "high surrogate then \\n");
	unesc_is("\"\\u0000\"", "\0", 1, "\\u0000 to one NUL byte");
	unesc_is("\"a\\u0000b\"", "a\0b", 3, "NUL in the middle");
	unesc_is("\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"",
		 "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", 11, "boundaries of each length");
	unesc_is("\"\\ud7ff\\ue000\"", "\xed\x9f\xbf\xee\x80\x80", 6, "around the surrogates");
	unesc_is("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", "caf\xc3\xa9 \xf0\x9f\x98\x80", 10,
		 "raw UTF-8 passes through");
	unesc_is("\"\\\\u0041\"", "\\u0041", 6, "escaped backslash then u");

	/* appends to what b holds */
	buf_init(&b);
	buf_adds(&b, "pre:");
	s.type = J_STRING;
	s.p = "\"\\u0041\"";
	s.len = 8;
	ok(json_unescape(&s, &b) == 0 && b.len == 5 && !memcmp(b.p, "pre:A", 5), "appends to b");
	buf_free(&b);

	/* the body form: no quotes, appends */
	buf_init(&b);
	ok(json_unescape_body("x\\u00e9\\n", 9, &b) == 0 && b.len == 4 && !memcmp(b.p, "x\xc3\xa9\n", 4),
	   "json_unescape_body decodes a body without quotes");
	ok(json_unescape_body("", 0, &b) == 0 && b.len == 4, "json_unescape_body of nothing appends nothing");
	ok(json_unescape_body("\\", 1, &b) == -1, "json_unescape_body: a lone backslash fails");
	buf_free(&b);

	/* not a string, or broken */
	buf_init(&b);
	s.type = J_NUMBER;
	s.p = "12";
	s.len = 2;
	ok(json_unescape(&s, &b) == -1, "a number span is rejected");
	buf_free(&b);
	unesc_fails("\"\\\"", "a trailing backslash");
	unesc_fails("\"\\u12\"", "a short \\u escape");
	unesc_fails("\"abc\\u004\"", "a \\u escape cut by the quote");
	/* header: "Returns -1 on bad escapes" */
	unesc_fails("\"\\x\"", "\\x, not a JSON escape");
	unesc_fails("\"\\u12G4\"", "\\u with a non-hex digit");
	unesc_fails("\"\\ud800\\udcgz\"", "a pair whose low half has non-hex digits");
	unesc_fails("\"\\ud800\\uDCXY\"", "a pair whose low half ends in non-hex digits");

	/* random code points as \u escapes (pairs above the BMP) round trip */
	for (i = 0; i < 2000; i++) {
		char esc[400];
		unsigned char want[400];
		size_t en = 0, wn = 0;
		int j, len = (int)(rnd() % 20);

		esc[en++] = '"';
		for (j = 0; j < len; j++) {
			uint32_t cp;

			do
				cp = rnd() % 0x110000;
			while (cp >= 0xd800 && cp <= 0xdfff);
			if (rnd() % 3 == 0)
				cp %= 0x80;
			if (cp >= 0x10000) {
				uint32_t v = cp - 0x10000;

				en += (size_t)snprintf(esc + en, sizeof(esc) - en, "\\u%04X\\u%04x",
						       (unsigned)(0xd800 + (v >> 10)),
						       (unsigned)(0xdc00 + (v & 0x3ff)));
			} else {
				en += (size_t)snprintf(esc + en, sizeof(esc) - en, "\\u%04x",
						       (unsigned)cp);
			}
			wn += enc8(cp, want + wn);
		}
		esc[en++] = '"';
		buf_init(&b);
		s.type = J_STRING;
		s.p = esc;
		s.len = en;
		if (json_unescape(&s, &b) != 0 || b.len != wn || (wn && memcmp(b.p, want, wn)))
			bad++;
		if (b.len && !utf8_valid((const unsigned char *)b.p, b.len))
			bad++;
		buf_free(&b);
	}
	ok(bad == 0, "2000 random escaped strings decode to the right UTF-8 (%d wrong)", bad);
}

static void
run_all(void)
{
	jscan_init(&js, NULL, 0);
	test_valid();
	test_invalid();
	test_errpos();
	test_errpos_strings();
	test_errmsg();
	test_string_offsets();
	test_spans();
	test_trailing();
	test_capture();
	test_paths();
	test_array_next();
	test_deep();
	test_member();
	test_streq();
	test_unescape();
	jscan_free(&js);
}

/* Every test twice: with the scanner's 16-byte SSE2 fast path (where the
 * CPU has it), then with the portable byte loop alone (GHA_JSON_PORTABLE,
 * read by jscan_init), so both are tested on any CPU. */
int
main(void)
{
	unsetenv("GHA_JSON_PORTABLE");
	printf("# the default path%s\n",
#ifdef __SSE2__
	       " (SSE2)"
#else
	       " (portable: no SSE2 here)"
#endif
	);
	run_all();
	printf("# the portable path (GHA_JSON_PORTABLE=1)\n");
	setenv("GHA_JSON_PORTABLE", "1", 1);
	run_all();
	return tap_done();
}

/* track_yaml.c: the YAML that MLflow's meta.yaml files need, no more: a
 * string scalar written so that yaml.safe_load reads it back unchanged,
 * and a top-level scalar read back from a block mapping as PyYAML's
 * safe_dump writes it (experiments MLflow itself made included: long
 * values folded over indented lines, quoted ones with escapes). */
#include "gha.h"
#include "track_impl.h"
#include "utf8.h"
#include "hex.h"

/* Plain only for a conservative set: a letter or digit or '_' first,
 * then [A-Za-z0-9_./ -], no ": " or " #", no trailing space, and not
 * something YAML 1.1 resolves to another type (numbers, booleans, null,
 * dates and times: any string starting with a digit, or one of those
 * words, is quoted). */
static int
plain_ok(const char *s)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf",
	};
	size_t n = strlen(s), i;

	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return 0;
	if (s[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '/' || c == '-' || c == ' '))
			return 0;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return 0;
	return 1;
}

void
yaml_addstr(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int dq = 0;

	if (plain_ok(s)) {
		buf_adds(b, s);
		return;
	}
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			dq = 1;
	if (!dq) {
		/* single quotes: only ' itself is escaped, by doubling */
		buf_addc(b, '\'');
		for (p = (const unsigned char *)s; *p; p++) {
			if (*p == '\'')
				buf_addc(b, '\'');
			buf_addc(b, (char)*p);
		}
		buf_addc(b, '\'');
		return;
	}
	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p);
		} else if (*p == '\n')
			buf_adds(b, "\\n");
		else if (*p == '\t')
			buf_adds(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\x%02X", *p);
		else
			buf_addc(b, (char)*p);
	}
	buf_addc(b, '"');
}

/* YAML folding: the line breaks inside a scalar become one space (an
 * empty line, a newline); the lines' leading and trailing blanks go. */
static void
fold(const char *p, const char *end, struct buf *out)
{
	int first = 1, empties = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *a = p, *z = le;

		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
			z--;
		if (a == z && !first) {
			empties++;
		} else {
			if (!first) {
				if (empties)
					while (empties--)
						buf_addc(out, '\n');
				else
					buf_addc(out, ' ');
			}
			empties = 0;
			buf_add(out, a, (size_t)(z - a));
			first = 0;
		}
		p = nl ? nl + 1 : end;
	}
}

static int
unquote_double(const char *p, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned cp = 0;
		int k, len;

		if (p[i] != '\\') {
			buf_addc(out, p[i]);
			continue;
		}
		if (++i >= n)
			return -1;
		switch (p[i]) {
		case 'n': buf_addc(out, '\n'); continue;
		case 't': buf_addc(out, '\t'); continue;
		case 'r': buf_addc(out, '\r'); continue;
		case '0': buf_addc(out, '\0'); continue;
		case '\\': case '"': case '/': case ' ': buf_addc(out, p[i]); continue;
		case 'x': len = 2; break;
		case 'u': len = 4; break;
		case 'U': len = 8; break;
		default: return -1;
		}
		if (i + (size_t)len >= n)
			return -1;
		for (k = 1; k <= len; k++) {
			int h = hex_digit((unsigned char)p[i + (size_t)k]);

			if (h < 0)
				return -1;
			cp = cp * 16 + (unsigned)h;
		}
		if (cp > 0x10FFFF)
			return -1;
		utf8_put(out, cp);
		i += (size_t)len;
	}
	return 0;
}

int
yaml_get(const char *text, size_t n, const char *key, char **out)
{
	size_t klen = strlen(key);
	const char *p = text, *end = text + n;

	*out = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *v, *vend;
		struct buf raw, val;
		int rc = 1;

		if ((size_t)(le - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == ':' &&
		    (p + klen + 1 == le || p[klen + 1] == ' ')) {
			v = p + klen + 1;
			/* the value goes on over the lines indented under the key */
			vend = le;
			while (vend < end) {
				const char *q = vend + 1, *qnl;

				if (q >= end || (*q != ' ' && *q != '\t'))
					break;
				qnl = memchr(q, '\n', (size_t)(end - q));
				vend = qnl ? qnl : end;
			}
			buf_init(&raw);
			buf_init(&val);
			fold(v, vend, &raw);
			buf_addc(&raw, '\0');
			if (raw.p[0] == '\'') {
				size_t i, m = strlen(raw.p);

				if (m < 2 || raw.p[m - 1] != '\'')
					rc = 0;
				for (i = 1; rc && i + 1 < m; i++) {
					buf_addc(&val, raw.p[i]);
					if (raw.p[i] == '\'')
						i++;	/* '' is one ' */
				}
			} else if (raw.p[0] == '"') {
				size_t m = strlen(raw.p);

				if (m < 2 || raw.p[m - 1] != '"' ||
				    unquote_double(raw.p + 1, m - 2, &val) < 0)
					rc = 0;
			} else if (raw.p[0] == '\0' || strcmp(raw.p, "null") == 0 ||
				   strcmp(raw.p, "~") == 0 || raw.p[0] == '[' || raw.p[0] == '{' ||
				   raw.p[0] == '|' || raw.p[0] == '>' || raw.p[0] == '&' || raw.p[0] == '*' ||
				   raw.p[0] == '!') {
				rc = 0;
			} else {
				buf_adds(&val, raw.p);
			}
			buf_free(&raw);
			if (rc) {
				buf_addc(&val, '\0');
				*out = val.p;
			} else {
				buf_free(&val);
			}
			return rc;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

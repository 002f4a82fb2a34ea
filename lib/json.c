/* json.c: a strict RFC 8259 validator, iterative so that depth costs
 * memory, not stack, with a fast path over string bodies (most of the
 * bytes of an event) that tests 16 bytes at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gha.h"
#include "json.h"
#include "utf8.h"

#ifdef __SSE2__
/* GHA_JSON_PORTABLE=1 (read by jscan_init) turns the 16-byte fast path
 * off, so that the tests run the portable byte loop alone on any CPU */
static int use_sse2 = 1;
#endif

/* A trie of member names; node 0 is the top-level object. */
struct jnode {
	char *key;
	size_t keylen;
	int parent, slot;	/* slot: index in val[], or -1 */
	int haskids;
	int first, nkids;	/* children: kids[first .. first+nkids) */
};

/* The scanner's working state, kept here so callers see only the results. */
struct jscan_state {
	struct jnode *nodes;
	int nnodes;
	int *kids;				/* children of each node, grouped */
	unsigned char *stack;			/* container per depth */
	int *node, *pend;			/* path node, pending capture per depth */
	size_t stackcap;
};

static int
find_node(const struct jscan *js, int parent, const char *key, size_t len)
{
	int i;

	for (i = 1; i < js->st->nnodes; i++)
		if (js->st->nodes[i].parent == parent && js->st->nodes[i].keylen == len &&
		    !memcmp(js->st->nodes[i].key, key, len))
			return i;
	return -1;
}

void
jscan_init(struct jscan *js, const char *const *paths, int npaths)
{
	int i;

#ifdef __SSE2__
	{
		const char *e = getenv("GHA_JSON_PORTABLE");

		use_sse2 = !(e && *e && strcmp(e, "0"));
	}
#endif
	memset(js, 0, sizeof(*js));
	/* the paths are the program's own, fixed at compile time (and checked
	 * there where they can be): too many is a bug, never a silent cap
	 * that would leave columns empty */
	if (npaths > JSCAN_MAXPATHS) {
		fprintf(stderr, "gha: jscan_init: %d paths, more than JSCAN_MAXPATHS (%d)\n",
			npaths, JSCAN_MAXPATHS);
		abort();
	}
	js->npaths = npaths;
	js->dupfrom = npaths;
	js->val = xcalloc((size_t)npaths + 1, sizeof(*js->val));
	js->st = xcalloc(1, sizeof(*js->st));
	js->st->nodes = xcalloc(1, sizeof(*js->st->nodes));
	js->st->nodes[0].parent = -1;
	js->st->nodes[0].slot = -1;
	js->st->nnodes = 1;
	for (i = 0; i < npaths; i++) {
		const char *p = paths[i];
		int at = 0;

		for (;;) {
			const char *dot = strchr(p, '.');
			size_t len = dot ? (size_t)(dot - p) : strlen(p);
			int k = find_node(js, at, p, len);

			if (k < 0) {
				js->st->nodes = xrealloc(js->st->nodes, ((size_t)js->st->nnodes + 1) * sizeof(*js->st->nodes));
				k = js->st->nnodes++;
				js->st->nodes[k].key = xmalloc(len + 1);
				memcpy(js->st->nodes[k].key, p, len);
				js->st->nodes[k].key[len] = '\0';
				js->st->nodes[k].keylen = len;
				js->st->nodes[k].parent = at;
				js->st->nodes[k].slot = -1;
				js->st->nodes[k].haskids = 0;
			}
			js->st->nodes[at].haskids = 1;
			at = k;
			if (!dot)
				break;
			p = dot + 1;
		}
		js->st->nodes[at].slot = i;
	}
	/* group the children of each node for the lookups in json_scan */
	js->st->kids = xcalloc((size_t)js->st->nnodes, sizeof(int));
	{
		int k = 0, j;

		for (i = 0; i < js->st->nnodes; i++) {
			js->st->nodes[i].first = k;
			js->st->nodes[i].nkids = 0;
			for (j = 1; j < js->st->nnodes; j++)
				if (js->st->nodes[j].parent == i) {
					js->st->kids[k++] = j;
					js->st->nodes[i].nkids++;
				}
		}
	}
	js->st->stackcap = 64;
	js->st->stack = xmalloc(js->st->stackcap);
	js->st->node = xmalloc(js->st->stackcap * sizeof(int));
	js->st->pend = xmalloc((js->st->stackcap + 1) * sizeof(int));
}

void
jscan_free(struct jscan *js)
{
	struct jscan_state *st = js->st;
	int i;

	if (st) {
		for (i = 0; i < st->nnodes; i++)
			free(st->nodes[i].key);
		free(st->nodes);
		free(st->kids);
		free(st->stack);
		free(st->node);
		free(st->pend);
		free(st);
	}
	free(js->val);
	memset(js, 0, sizeof(*js));
}

static int
ishex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static int
ishi(unsigned char c)
{
	return c == '8' || c == '9' || (c | 0x20) == 'a' || (c | 0x20) == 'b';
}

/* p is just past the opening quote; returns just past the closing one,
 * or NULL with *why and *at (the offending byte). *badsur is set on a
 * high-surrogate escape with no low one after it. */
static const char *
scan_string(const char *p, const char *end, const char **why, const char **at, int *badsur)
{
	for (;;) {
		unsigned char c;
#ifdef __SSE2__
		const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
		const __m128i ctl = _mm_set1_epi8(0x20);

		while (use_sse2 && end - p >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			/* signed compare: catches both < 0x20 and >= 0x80 */
			__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
							      _mm_cmpeq_epi8(v, bslash)),
						 _mm_cmplt_epi8(v, ctl));
			int bits = _mm_movemask_epi8(m);

			if (bits) {
				p += __builtin_ctz((unsigned)bits);
				break;
			}
			p += 16;
		}
#endif
		*at = p;
		if (p >= end) {
			*why = "unterminated string";
			return NULL;
		}
		c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c == '\\') {
			if (end - p < 2) {
				*why = "unterminated string";
				return NULL;
			}
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u':
				if (end - p < 6 || !ishex((unsigned char)p[2]) || !ishex((unsigned char)p[3]) ||
				    !ishex((unsigned char)p[4]) || !ishex((unsigned char)p[5])) {
					*why = "invalid \\u escape in string";
					return NULL;
				}
				/* rare: only surrogate escapes pay for this check */
				if ((p[2] | 0x20) == 'd' && ishi((unsigned char)p[3]) &&
				    !(end - p >= 12 && p[6] == '\\' && p[7] == 'u' && (p[8] | 0x20) == 'd' &&
				      ((p[9] | 0x20) >= 'c' && (p[9] | 0x20) <= 'f') &&
				      ishex((unsigned char)p[10]) && ishex((unsigned char)p[11])))
					*badsur = 1;
				p += 6;
				break;
			default:
				*why = "invalid escape in string";
				return NULL;
			}
		} else if (c == 0) {
			*why = "NUL byte in string";
			return NULL;
		} else if (c < 0x20) {
			*why = "unescaped control character in string";
			return NULL;
		} else if (c >= 0x80) {
			size_t k = utf8_seqlen((const unsigned char *)p, (const unsigned char *)end);

			if (!k) {
				*why = "invalid UTF-8 in string";
				return NULL;
			}
			p += k;
		} else {
			p++;
		}
	}
}

static const char *
scan_number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p >= end)
		return NULL;
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	} else {
		return NULL;
	}
	if (p < end && *p == '.') {
		const char *q = ++p;

		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == q)
			return NULL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		const char *q;

		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		q = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == q)
			return NULL;
	}
	return p;
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int
fail(struct jscan *js, const char *s, const char *p, const char *end, const char *why)
{
	js->errpos = (size_t)(p - s);
	if (!why)
		why = p >= end ? "unexpected end of input" : "unexpected character";
	js->errmsg = why;
	return -1;
}

static enum jtype
span_type(char c)
{
	switch (c) {
	case '{': return J_OBJECT;
	case '[': return J_ARRAY;
	case '"': return J_STRING;
	case 't': return J_TRUE;
	case 'f': return J_FALSE;
	case 'n': return J_NULL;
	default: return J_NUMBER;
	}
}

/* RFC 8259 lets a parser limit nesting; this keeps the stacks small
 * (no event comes near: jq 1.6 stops at 256) */
#define JSON_MAX_DEPTH 10000

static void
push(struct jscan *js, size_t depth, unsigned char c, int node)
{
	if (depth + 1 >= js->st->stackcap) {
		js->st->stackcap *= 2;
		js->st->stack = xrealloc(js->st->stack, js->st->stackcap);
		js->st->node = xrealloc(js->st->node, js->st->stackcap * sizeof(int));
		js->st->pend = xrealloc(js->st->pend, (js->st->stackcap + 1) * sizeof(int));
	}
	if (depth + 1 > js->maxdepth)
		js->maxdepth = depth + 1;
	js->st->stack[depth] = c;
	js->st->node[depth] = node;
	js->st->pend[depth + 1] = -1;
}

/* The child of node for member name key[0..len), or -1. */
static int
child(const struct jscan *js, int node, const char *key, size_t len)
{
	const struct jnode *nd;
	int i;

	if (node < 0)
		return -1;
	nd = &js->st->nodes[node];
	for (i = 0; i < nd->nkids; i++) {
		const struct jnode *c = &js->st->nodes[js->st->kids[nd->first + i]];

		if (c->keylen == len && c->key[0] == key[0] && !memcmp(c->key, key, len))
			return js->st->kids[nd->first + i];
	}
	return -1;
}

/* Validate, capturing the members on the paths given to jscan_init.
 * depth counts open containers; stack[d], node[d] describe container d+1
 * levels deep; pend[d] is the capture whose value sits at depth d. */
long
json_scan(struct jscan *js, const char *s, size_t n, int allow_trailing, size_t *vstart, size_t *vend)
{
	const char *p = s, *end = s + n, *q, *why = NULL, *kend;
	size_t depth = 0;
	int next = 0, i;	/* path node of the value about to start */

	for (i = 0; i < js->npaths; i++)
		js->val[i].type = J_NONE;
	js->dupkey = js->dupextra = js->badsur = 0;
	js->maxdepth = 0;
	js->errmsg = NULL;
	js->st->pend[0] = -1;
	p = skip_ws(p, end);
	if (p >= end)
		return fail(js, s, p, end, "empty JSON text");
	*vstart = (size_t)(p - s);

value:
	p = skip_ws(p, end);
	if (p >= end)
		return fail(js, s, p, end, NULL);
	if (next > 0 && js->st->nodes[next].slot >= 0) {
		struct jspan *v = &js->val[js->st->nodes[next].slot];

		if (v->type != J_NONE) {
			if (js->st->nodes[next].slot < js->dupfrom)
				js->dupkey = 1;
			else
				js->dupextra = 1;
		}
		v->p = p;
		v->type = span_type(*p);
		v->count = 0;
		js->st->pend[depth] = js->st->nodes[next].slot;
	} else if (depth && js->st->stack[depth - 1] == '[' && js->st->pend[depth - 1] >= 0) {
		js->val[js->st->pend[depth - 1]].count++;	/* an element of a captured array */
	}
	switch (*p) {
	case '{':
		if (depth >= JSON_MAX_DEPTH)
			return fail(js, s, p, end, "nesting deeper than 10000 levels");
		push(js, depth++, '{', next);
		next = -1;
		p = skip_ws(p + 1, end);
		if (p < end && *p == '}') {
			depth--;
			p++;
			goto after;
		}
		goto key;
	case '[':
		if (depth >= JSON_MAX_DEPTH)
			return fail(js, s, p, end, "nesting deeper than 10000 levels");
		push(js, depth++, '[', -1);
		next = -1;
		p = skip_ws(p + 1, end);
		if (p < end && *p == ']') {
			depth--;
			p++;
			goto after;
		}
		goto value;
	case '"':
		p = scan_string(p + 1, end, &why, &q, &js->badsur);
		if (!p)
			return fail(js, s, q, end, why);
		goto after;
	case 't':
		if (end - p < 4 || memcmp(p, "true", 4))
			return fail(js, s, p, end, "invalid literal");
		p += 4;
		goto after;
	case 'f':
		if (end - p < 5 || memcmp(p, "false", 5))
			return fail(js, s, p, end, "invalid literal");
		p += 5;
		goto after;
	case 'n':
		if (end - p < 4 || memcmp(p, "null", 4))
			return fail(js, s, p, end, "invalid literal");
		p += 4;
		goto after;
	default:
		if (*p != '-' && (*p < '0' || *p > '9'))
			return fail(js, s, p, end, NULL);
		q = scan_number(p, end);
		if (!q)
			return fail(js, s, p, end, "invalid number");
		if (q < end && *q >= '0' && *q <= '9')	/* 01: the 0 scanned alone */
			return fail(js, s, q, end, "leading zero in a number");
		p = q;
		goto after;
	}

key:
	if (p >= end || *p != '"')
		return fail(js, s, p, end, p >= end ? NULL : "expected member name string");
	q = p + 1;
	p = scan_string(q, end, &why, &kend, &js->badsur);
	if (!p)
		return fail(js, s, kend, end, why);
	if (js->st->node[depth - 1] < 0) {
		next = -1;	/* not on a captured path: most keys, no lookup */
	} else if (!memchr(q, '\\', (size_t)(p - 1 - q))) {
		next = child(js, js->st->node[depth - 1], q, (size_t)(p - 1 - q));
	} else {
		/* "\u0069d" is "id" to every other reader: match it decoded
		 * (rare: only names with escapes on a captured path get here) */
		struct buf kb;

		buf_init(&kb);
		next = json_unescape_body(q, (size_t)(p - 1 - q), &kb) < 0 ? -1 :
			child(js, js->st->node[depth - 1], kb.p, kb.len);
		buf_free(&kb);
	}
	p = skip_ws(p, end);
	if (p >= end || *p != ':')
		return fail(js, s, p, end, p >= end ? NULL : "expected ':' after member name");
	p++;
	goto value;

after:
	next = -1;
	if (js->st->pend[depth] >= 0) {
		struct jspan *v = &js->val[js->st->pend[depth]];

		v->len = (size_t)(p - v->p);
		js->st->pend[depth] = -1;
	}
	if (depth == 0) {
		*vend = (size_t)(p - s);
		q = skip_ws(p, end);
		if (q < end) {
			if (allow_trailing)
				return (long)(q - s);
			return fail(js, s, q, end, "trailing characters after JSON value");
		}
		return (long)n;
	}
	p = skip_ws(p, end);
	if (p >= end)
		return fail(js, s, p, end, NULL);
	if (*p == ',') {
		p = skip_ws(p + 1, end);
		if (js->st->stack[depth - 1] == '{')
			goto key;
		goto value;
	}
	if (*p == (js->st->stack[depth - 1] == '{' ? '}' : ']')) {
		depth--;
		p++;
		goto after;
	}
	return fail(js, s, p, end,
		    js->st->stack[depth - 1] == '{' ? "expected ',' or '}' in object" : "expected ',' or ']' in array");
}

/* Skip one valid JSON value; for the helpers below, on checked text. */
static const char *
skip_value(const char *p, const char *end)
{
	int depth = 0;

	do {
		p = skip_ws(p, end);
		if (p >= end)
			return end;
		switch (*p) {
		case '"':
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			p++;
			break;
		case '{': case '[':
			depth++;
			p++;
			break;
		case '}': case ']':
			depth--;
			p++;
			break;
		case ',': case ':':
			p++;
			break;
		default:
			while (p < end && !strchr(",:]} \t\r\n", *p))
				p++;
		}
	} while (depth > 0);
	return p;
}

int
json_member(const struct jspan *obj, const char *key, struct jspan *out)
{
	const char *p, *end;
	size_t klen = strlen(key);

	if (obj->type != J_OBJECT)
		return 0;
	p = obj->p + 1;
	end = obj->p + obj->len - 1;
	for (;;) {
		const char *k, *v;
		size_t n;

		p = skip_ws(p, end);
		if (p >= end || *p != '"')
			return 0;
		k = p + 1;
		p = skip_value(p, end);
		n = (size_t)(p - 1 - k);
		p = skip_ws(p, end);
		p++;	/* ':' */
		v = skip_ws(p, end);
		p = skip_value(v, end);
		if (n == klen && !memcmp(k, key, klen)) {
			out->p = v;
			out->len = (size_t)(p - v);
			out->type = span_type(*v);
			return 1;
		}
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p++;
	}
}

int
json_streq(const struct jspan *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->type == J_STRING && s->len == n + 2 && !memcmp(s->p + 1, lit, n);
}

/* Lone surrogates, which RFC 8259 lets through, become U+FFFD so the
 * result is always valid UTF-8. */
int
json_unescape(const struct jspan *s, struct buf *b)
{
	if (s->type != J_STRING || s->len < 2)
		return -1;
	return json_unescape_body(s->p + 1, s->len - 2, b);
}

/* nul: what \u0000 becomes (0 itself, or U+FFFD for C-string text) */
static int
unescape(const char *p, size_t n, struct buf *b, unsigned nul)
{
	const char *end = p + n;

	buf_reserve(b, n);
	while (p < end) {
		const char *q = memchr(p, '\\', (size_t)(end - p));

		if (!q) {
			buf_add(b, p, (size_t)(end - p));
			break;
		}
		buf_add(b, p, (size_t)(q - p));
		if (end - q < 2)
			return -1;
		switch (q[1]) {
		case 'b': buf_addc(b, '\b'); p = q + 2; break;
		case 'f': buf_addc(b, '\f'); p = q + 2; break;
		case 'n': buf_addc(b, '\n'); p = q + 2; break;
		case 'r': buf_addc(b, '\r'); p = q + 2; break;
		case 't': buf_addc(b, '\t'); p = q + 2; break;
		case 'u': {
			unsigned cp;
			size_t k = json_u_escape(q, end, &cp);

			if (!k)
				return -1;
			utf8_put(b, cp ? cp : nul);
			p = q + k;
			break;
		}
		case '"': case '\\': case '/': buf_addc(b, q[1]); p = q + 2; break;
		default: return -1;
		}
	}
	return 0;
}

int
json_unescape_body(const char *p, size_t n, struct buf *b)
{
	return unescape(p, n, b, 0);
}

int
json_unescape_text(const char *p, size_t n, struct buf *b)
{
	return unescape(p, n, b, 0xfffd);
}

int
json_array_next(const struct jspan *arr, const char **cur, struct jspan *elem)
{
	const char *p, *end = arr->p + arr->len - 1;

	if (arr->type != J_ARRAY)
		return 0;
	p = *cur ? *cur : arr->p + 1;
	p = skip_ws(p, end);
	if (p < end && *p == ',')
		p = skip_ws(p + 1, end);
	if (p >= end)
		return 0;
	elem->p = p;
	elem->type = span_type(*p);
	*cur = skip_value(p, end);
	elem->len = (size_t)(*cur - p);
	return 1;
}

void
json_compact(const char *p, size_t n, struct buf *b)
{
	const char *end = p + n;

	buf_reserve(b, n);
	while (p < end) {
		char c = *p;

		if (c == '"') {
			const char *q = p + 1;

			while (q < end && *q != '"')
				q += *q == '\\' ? 2 : 1;
			if (q < end)
				q++;
			buf_add(b, p, (size_t)(q - p));
			p = q;
		} else {
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
				buf_addc(b, c);
			p++;
		}
	}
}

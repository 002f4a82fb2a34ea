/* fastfilter.c: a small recognizer and evaluator for the jq predicates
 * users write most (see fastfilter.h), so that `-f '.type == "PushEvent"'`
 * costs a few comparisons on spans the validating scan already captured
 * instead of a libjq parse of every event.
 *
 * Exactness over reach: the program has already been compiled by libjq,
 * so only valid jq reaches the parser here; anything it does not know,
 * it refuses (libjq then runs the program, as before). The evaluator
 * follows jq 1.6 (Debian 12's): a missing member is null; values compare
 * by kind first (null < false < true < numbers < strings < arrays <
 * objects), numbers as doubles (strtod rounds as jq's dtoa does), strings
 * by the bytes of their decoded text; and/or short-circuit on truthiness;
 * contains on strings is strstr (jq 1.6 stops at a NUL). Where jq would
 * raise an error, or the record holds what jq parses differently, the
 * record goes to libjq, which then says what jq says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "fastfilter.h"
#include "json.h"
#include "utf8.h"

/* records nested deeper go to libjq (jq 1.6 refuses past 256) */
#define MAX_RECORD_DEPTH 200
/* parentheses deeper than this: libjq (bounded stack here) */
#define MAX_NEST 64

enum nkind {
	N_ROOT, N_PATH, N_LIT, N_CMP, N_AND, N_OR, N_NOT,
	N_STARTS, N_ENDS, N_CONTAINS, N_DOWN, N_IN
};
enum cmpop { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

struct val {
	enum jtype t;
	double d;
	const char *s;		/* strings: decoded text; arrays, objects: the span */
	size_t n;
};

struct node {
	enum nkind kind;
	enum cmpop op;
	struct node *a, *b;	/* a: the input or left side; b: the right side */
	struct val lit;		/* N_LIT; also the argument of N_STARTS.. */
	struct node **list;	/* N_IN: its literals */
	int nlist;
	int npath;		/* N_PATH: keys[0..npath), pidx: index in f->paths */
	char **keys;
	int *pidx;
	struct buf scratch;	/* the value this node made (decoded, downcased) */
	struct node *next;	/* every node, for freeing */
};

struct fastfilter {
	struct node *root, *all;
	char **paths;
	int npaths;
	int *slot;		/* jscan slot of each path */
	int bound;		/* slot[] is filled */
};

/* ---- lexer: jq 1.6's tokens, just those the subset needs ---- */
enum tok { T_END, T_DOT, T_FIELD, T_STR, T_NUM, T_IDENT, T_LP, T_RP, T_LB, T_RB,
	   T_COMMA, T_PIPE, T_CMP, T_MINUS, T_BAD };

struct parser {
	struct fastfilter *f;
	const char *prog, *p, *tp;	/* tp: where the token began */
	enum tok t;
	size_t tn;			/* T_FIELD, T_IDENT: name tp[0..tn) */
	struct buf str;			/* T_STR: decoded */
	double num;
	enum cmpop op;
	int nest;
	char *why;
	size_t whylen;
	int failed;
};

/* the first reason only: column, then what */
static void
refuse(struct parser *ps, const char *what)
{
	if (ps->failed)
		return;
	ps->failed = 1;
	snprintf(ps->why, ps->whylen, "column %zu: %s", (size_t)(ps->tp - ps->prog) + 1, what);
}

static void
refuse_tok(struct parser *ps)
{
	char m[120];
	size_t n = 1;

	if (ps->failed)
		return;
	if (ps->t == T_END) {
		refuse(ps, "the program ends where the fast subset wants more");
		return;
	}
	if (ps->t == T_IDENT || ps->t == T_FIELD)
		n = (size_t)(ps->p - ps->tp);
	if (ps->t == T_STR || (ps->t == T_BAD && ps->tp[0] == '"'))
		snprintf(m, sizeof(m), "this string is not in the fast subset here");
	else
		snprintf(m, sizeof(m), "'%.*s' is not in the fast subset", (int)(n > 40 ? 40 : n), ps->tp);
	refuse(ps, m);
}

static int
isid(int c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

/* four hex digits (a NUL stops it: the program is a C string) */
static int
hex4(const char *p, unsigned *cp)
{
	int i;

	*cp = 0;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		if (c >= '0' && c <= '9')
			*cp = *cp * 16 + (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*cp = *cp * 16 + (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/* a jq string literal, p just past the quote; 0, or -1 when outside
 * the subset (interpolation, surrogate escapes, bytes jq would replace) */
static int
lex_string(struct parser *ps)
{
	const char *p = ps->p;

	ps->str.len = 0;
	for (;;) {
		unsigned cp;

		if (!*p)
			return -1;
		if (*p == '"')
			break;
		if (*p != '\\') {
			buf_addc(&ps->str, *p++);
			continue;
		}
		switch (p[1]) {
		case '"': case '\\': case '/': buf_addc(&ps->str, p[1]); break;
		case 'b': buf_addc(&ps->str, '\b'); break;
		case 'f': buf_addc(&ps->str, '\f'); break;
		case 'n': buf_addc(&ps->str, '\n'); break;
		case 'r': buf_addc(&ps->str, '\r'); break;
		case 't': buf_addc(&ps->str, '\t'); break;
		case 'u':
			if (hex4(p + 2, &cp))
				return -1;
			/* surrogates: leave them to libjq */
			if (cp >= 0xd800 && cp <= 0xdfff)
				return -1;
			utf8_put(&ps->str, cp);
			p += 6;
			continue;
		default:
			return -1;	/* \( interpolation, or what libjq refused */
		}
		p += 2;
	}
	ps->p = p + 1;
	return !ps->str.len || utf8_valid((const unsigned char *)ps->str.p, ps->str.len) ? 0 : -1;
}

static void
lex_number(struct parser *ps)
{
	const char *p = ps->tp;
	char tmp[400];
	size_t n;

	while (isdig(*p))
		p++;
	if (*p == '.')
		for (p++; isdig(*p); p++)
			;
	if ((*p == 'e' || *p == 'E') &&
	    (isdig(p[1]) || ((p[1] == '+' || p[1] == '-') && isdig(p[2])))) {
		p += 2;
		while (isdig(*p))
			p++;
	}
	n = (size_t)(p - ps->tp);
	ps->p = p;
	if (n >= sizeof(tmp)) {
		ps->t = T_BAD;	/* a literal that long: let libjq have it */
		return;
	}
	memcpy(tmp, ps->tp, n);
	tmp[n] = '\0';
	ps->num = strtod(tmp, NULL);
	ps->t = T_NUM;
}

static void
next(struct parser *ps)
{
	const char *p = ps->p;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p != '#')
			break;
		/* a comment; jq 1.7 gives a backslash in one a meaning */
		while (*p && *p != '\n') {
			if (*p == '\\') {
				ps->tp = p;
				ps->p = p + 1;
				ps->t = T_BAD;
				return;
			}
			p++;
		}
	}
	ps->tp = p;
	ps->p = p + 1;
	switch (*p) {
	case '\0': ps->t = T_END; ps->p = p; return;
	case '(': ps->t = T_LP; return;
	case ')': ps->t = T_RP; return;
	case '[': ps->t = T_LB; return;
	case ']': ps->t = T_RB; return;
	case ',': ps->t = T_COMMA; return;
	case '|': ps->t = p[1] == '=' ? T_BAD : T_PIPE; return;
	case '-': ps->t = p[1] == '=' ? T_BAD : T_MINUS; return;
	case '"':
		ps->t = lex_string(ps) ? T_BAD : T_STR;
		return;
	case '=': case '!':
		ps->t = p[1] == '=' ? T_CMP : T_BAD;
		ps->op = *p == '=' ? C_EQ : C_NE;
		ps->p = p + 2;
		return;
	case '<': case '>':
		ps->t = T_CMP;
		if (p[1] == '=') {
			ps->op = *p == '<' ? C_LE : C_GE;
			ps->p = p + 2;
		} else {
			ps->op = *p == '<' ? C_LT : C_GT;
		}
		return;
	case '.':
		if (isdig((unsigned char)p[1])) {
			lex_number(ps);
		} else if (isid((unsigned char)p[1], 1)) {
			for (p += 2; isid((unsigned char)*p, 0); p++)
				;
			ps->t = T_FIELD;
			ps->tn = (size_t)(p - ps->tp) - 1;
			ps->p = p;
		} else {
			ps->t = p[1] == '.' ? T_BAD : T_DOT;
		}
		return;
	default:
		if (isdig((unsigned char)*p)) {
			lex_number(ps);
		} else if (isid((unsigned char)*p, 1)) {
			for (p++; isid((unsigned char)*p, 0); p++)
				;
			ps->t = p[0] == ':' && p[1] == ':' ? T_BAD : T_IDENT;
			ps->tn = (size_t)(p - ps->tp);
			ps->p = p;
		} else {
			ps->t = T_BAD;
		}
	}
}

static int
is_ident(const struct parser *ps, const char *name)
{
	return ps->t == T_IDENT && ps->tn == strlen(name) && !memcmp(ps->tp, name, ps->tn);
}

/* ---- the tree ---- */
static struct node *
mk(struct parser *ps, enum nkind k)
{
	struct node *x = xcalloc(1, sizeof(*x));

	x->kind = k;
	buf_init(&x->scratch);
	x->next = ps->f->all;
	ps->f->all = x;
	return x;
}

/* the index of a dotted path in f->paths, added when new */
static int
path_index(struct fastfilter *f, const char *s, size_t n)
{
	int i;

	for (i = 0; i < f->npaths; i++)
		if (strlen(f->paths[i]) == n && !memcmp(f->paths[i], s, n))
			return i;
	f->paths = xrealloc(f->paths, ((size_t)f->npaths + 1) * sizeof(*f->paths));
	f->paths[f->npaths] = xmalloc(n + 1);
	memcpy(f->paths[f->npaths], s, n);
	f->paths[f->npaths][n] = '\0';
	return f->npaths++;
}

/* in, then one key more: a path node. key[0..n) is decoded text. */
static struct node *
index_key(struct parser *ps, struct node *in, const char *key, size_t n)
{
	struct node *x;
	struct buf dotted;
	int i;

	if (in->kind != N_ROOT && in->kind != N_PATH) {
		refuse(ps, "a member of a computed value is not in the fast subset");
		return NULL;
	}
	/* the scanner's paths are dotted C strings with non-empty names */
	if (!n || memchr(key, '.', n) || memchr(key, '\0', n)) {
		refuse(ps, "a member name that is empty or holds '.' or NUL: libjq reads it");
		return NULL;
	}
	x = mk(ps, N_PATH);
	x->npath = (in->kind == N_PATH ? in->npath : 0) + 1;
	x->keys = xcalloc((size_t)x->npath, sizeof(*x->keys));
	x->pidx = xcalloc((size_t)x->npath, sizeof(*x->pidx));
	buf_init(&dotted);
	for (i = 0; i < x->npath; i++) {
		const char *k = i < x->npath - 1 ? in->keys[i] : key;
		size_t kn = i < x->npath - 1 ? strlen(k) : n;

		x->keys[i] = xmalloc(kn + 1);
		memcpy(x->keys[i], k, kn);
		x->keys[i][kn] = '\0';
		if (i)
			buf_addc(&dotted, '.');
		buf_add(&dotted, k, kn);
		x->pidx[i] = path_index(ps->f, dotted.p, dotted.len);
	}
	buf_free(&dotted);
	return x;
}

static struct node *parse_pipe(struct parser *ps, struct node *in);

static struct node *
lit_string(struct parser *ps)
{
	struct node *x = mk(ps, N_LIT);

	buf_add(&x->scratch, ps->str.p, ps->str.len);
	x->lit.t = J_STRING;
	x->lit.s = x->scratch.p ? x->scratch.p : "";
	x->lit.n = x->scratch.len;
	return x;
}

/* a literal: string, number, -number, true, false, null; NULL otherwise */
static struct node *
parse_literal(struct parser *ps)
{
	struct node *x;
	int neg = 0;

	if (ps->t == T_MINUS) {
		next(ps);
		if (ps->t != T_NUM) {
			refuse_tok(ps);
			return NULL;
		}
		neg = 1;
	}
	if (ps->t == T_STR) {
		x = lit_string(ps);
	} else if (ps->t == T_NUM) {
		x = mk(ps, N_LIT);
		x->lit.t = J_NUMBER;
		x->lit.d = neg ? -ps->num : ps->num;
	} else if (is_ident(ps, "true") || is_ident(ps, "false") || is_ident(ps, "null")) {
		x = mk(ps, N_LIT);
		x->lit.t = ps->tp[0] == 't' ? J_TRUE : ps->tp[0] == 'f' ? J_FALSE : J_NULL;
	} else {
		return NULL;
	}
	next(ps);
	return x;
}

/* name(STRING) */
static struct node *
string_call(struct parser *ps, struct node *in, enum nkind k)
{
	struct node *x;

	next(ps);
	if (ps->t != T_LP)
		return refuse_tok(ps), NULL;
	next(ps);
	if (ps->t != T_STR)
		return refuse_tok(ps), NULL;
	x = mk(ps, k);
	x->a = in;
	x->b = lit_string(ps);
	next(ps);
	if (ps->t != T_RP)
		return refuse_tok(ps), NULL;
	next(ps);
	return x;
}

static struct node *
parse_call(struct parser *ps, struct node *in)
{
	struct node *x;

	if (is_ident(ps, "not") || is_ident(ps, "ascii_downcase")) {
		x = mk(ps, ps->tp[0] == 'n' ? N_NOT : N_DOWN);
		x->a = in;
		next(ps);
		if (ps->t == T_LP)	/* not/1 would be the user's own */
			return refuse_tok(ps), NULL;
		return x;
	}
	if (is_ident(ps, "startswith"))
		return string_call(ps, in, N_STARTS);
	if (is_ident(ps, "endswith"))
		return string_call(ps, in, N_ENDS);
	if (is_ident(ps, "contains"))
		return string_call(ps, in, N_CONTAINS);
	if (is_ident(ps, "IN")) {
		next(ps);
		if (ps->t != T_LP)
			return refuse_tok(ps), NULL;
		x = mk(ps, N_IN);
		x->a = in;
		do {
			struct node *l;

			next(ps);
			if (!(l = parse_literal(ps)))
				return refuse_tok(ps), NULL;
			x->list = xrealloc(x->list, ((size_t)x->nlist + 1) * sizeof(*x->list));
			x->list[x->nlist++] = l;
		} while (ps->t == T_COMMA);
		if (ps->t != T_RP)	/* IN(source; s), or more than literals */
			return refuse_tok(ps), NULL;
		next(ps);
		return x;
	}
	refuse_tok(ps);
	return NULL;
}

/* a term and its suffixes: .a, ."a", .["a"], ["a"] */
static struct node *
parse_term(struct parser *ps, struct node *in)
{
	struct node *x;

	if ((x = parse_literal(ps))) {
		;
	} else if (ps->failed) {
		return NULL;
	} else if (ps->t == T_FIELD) {
		x = index_key(ps, in, ps->tp + 1, ps->tn);
		next(ps);
	} else if (ps->t == T_DOT) {
		x = in;
		next(ps);
		if (ps->t == T_STR) {
			x = index_key(ps, in, ps->str.p, ps->str.len);
			next(ps);
		}
	} else if (ps->t == T_LP) {
		if (++ps->nest > MAX_NEST) {
			refuse(ps, "parentheses nested this deep go to libjq");
			return NULL;
		}
		next(ps);
		x = parse_pipe(ps, in);
		if (!x)
			return NULL;
		if (ps->t != T_RP)
			return refuse_tok(ps), NULL;
		ps->nest--;
		next(ps);
	} else if (ps->t == T_IDENT) {
		x = parse_call(ps, in);
	} else {
		refuse_tok(ps);
		return NULL;
	}
	while (x && !ps->failed) {
		if (ps->t == T_FIELD) {
			x = index_key(ps, x, ps->tp + 1, ps->tn);
			next(ps);
		} else if (ps->t == T_DOT || ps->t == T_LB) {
			int dot = ps->t == T_DOT;

			next(ps);
			if (dot && ps->t == T_STR) {
				x = index_key(ps, x, ps->str.p, ps->str.len);
				next(ps);
				continue;
			}
			if (dot && ps->t != T_LB)
				return refuse_tok(ps), NULL;
			if (dot)
				next(ps);
			/* ["name"] only; [0], [], [1:2] go to libjq */
			if (ps->t != T_STR)
				return refuse_tok(ps), NULL;
			x = index_key(ps, x, ps->str.p, ps->str.len);
			next(ps);
			if (ps->t != T_RB)
				return refuse_tok(ps), NULL;
			next(ps);
		} else {
			break;
		}
	}
	return ps->failed ? NULL : x;
}

static struct node *
parse_cmp(struct parser *ps, struct node *in)
{
	struct node *l = parse_term(ps, in), *x;

	if (!l || ps->t != T_CMP)
		return l;
	x = mk(ps, N_CMP);
	x->op = ps->op;
	x->a = l;
	next(ps);
	x->b = parse_term(ps, in);
	return x->b ? x : NULL;
}

static struct node *
parse_and(struct parser *ps, struct node *in)
{
	struct node *x = parse_cmp(ps, in);

	while (x && is_ident(ps, "and")) {
		struct node *y = mk(ps, N_AND);

		next(ps);
		y->a = x;
		y->b = parse_cmp(ps, in);
		x = y->b ? y : NULL;
	}
	return x;
}

static struct node *
parse_or(struct parser *ps, struct node *in)
{
	struct node *x = parse_and(ps, in);

	while (x && is_ident(ps, "or")) {
		struct node *y = mk(ps, N_OR);

		next(ps);
		y->a = x;
		y->b = parse_and(ps, in);
		x = y->b ? y : NULL;
	}
	return x;
}

/* A | B: B's input is A's output (one output each, in the subset) */
static struct node *
parse_pipe(struct parser *ps, struct node *in)
{
	struct node *x = parse_or(ps, in);

	while (x && ps->t == T_PIPE) {
		next(ps);
		x = parse_or(ps, x);
	}
	if (x && ps->t != T_END && ps->t != T_RP)
		refuse_tok(ps);	/* ',', '//', 'as', '?', arithmetic ... */
	return ps->failed ? NULL : x;
}

/* ---- public ---- */
void
fastfilter_free(struct fastfilter *f)
{
	struct node *x, *nx;
	int i;

	if (!f)
		return;
	for (x = f->all; x; x = nx) {
		nx = x->next;
		for (i = 0; i < x->npath; i++)
			free(x->keys[i]);
		free(x->keys);
		free(x->pidx);
		free(x->list);
		buf_free(&x->scratch);
		free(x);
	}
	for (i = 0; i < f->npaths; i++)
		free(f->paths[i]);
	free(f->paths);
	free(f->slot);
	free(f);
}

struct fastfilter *
fastfilter_new(const char *prog, char *why, size_t whylen)
{
	struct fastfilter *f = xcalloc(1, sizeof(*f));
	struct parser ps;
	struct node *root;

	memset(&ps, 0, sizeof(ps));
	ps.f = f;
	ps.prog = ps.p = prog;
	ps.why = why;
	ps.whylen = whylen;
	buf_init(&ps.str);
	root = mk(&ps, N_ROOT);
	next(&ps);
	/* select(X) as the whole program: its first output is the record
	 * (truthy: an object) when X is truthy, none otherwise */
	if (is_ident(&ps, "select")) {
		next(&ps);
		if (ps.t != T_LP) {
			refuse_tok(&ps);
		} else {
			next(&ps);
			f->root = parse_pipe(&ps, root);
			if (f->root && ps.t != T_RP)
				refuse_tok(&ps);
			next(&ps);
			if (!ps.failed && ps.t != T_END)
				refuse_tok(&ps);
		}
	} else {
		f->root = parse_pipe(&ps, root);
		if (!ps.failed && ps.t != T_END)
			refuse_tok(&ps);
	}
	buf_free(&ps.str);
	if (ps.failed || !f->root) {
		if (!ps.failed)
			snprintf(why, whylen, "not in the fast subset");
		fastfilter_free(f);
		return NULL;
	}
	f->slot = xcalloc((size_t)f->npaths + 1, sizeof(*f->slot));
	return f;
}

int
fastfilter_npaths(const struct fastfilter *f)
{
	return f->npaths;
}

const char *
fastfilter_path(const struct fastfilter *f, int i)
{
	return f->paths[i];
}

void
fastfilter_bind(struct fastfilter *f, const int *slots)
{
	if (f->npaths)
		memcpy(f->slot, slots, (size_t)f->npaths * sizeof(*f->slot));
	f->bound = 1;
}

/* ---- evaluation ---- */
static int
truthy(const struct val *v)
{
	return v->t != J_FALSE && v->t != J_NULL;
}

static void
boolv(struct val *v, int b)
{
	v->t = b ? J_TRUE : J_FALSE;
}

/* jv_cmp's order; *undecided for two arrays or two objects */
static int
cmp(const struct val *a, const struct val *b, int *undecided)
{
	int r;
	size_t n;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	switch (a->t) {
	case J_NUMBER:
		return a->d < b->d ? -1 : a->d == b->d ? 0 : 1;
	case J_STRING:
		n = a->n < b->n ? a->n : b->n;
		r = n ? memcmp(a->s, b->s, n) : 0;
		if (r)
			return r;
		return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
	case J_ARRAY: case J_OBJECT:
		*undecided = 1;
		return 0;
	default:
		return 0;	/* null, false, true: one value each */
	}
}

/* memmem (a GNU extension): is n[0..nn) in h[0..hn)? */
static int
has(const char *h, size_t hn, const char *n, size_t nn)
{
	const char *end = h + hn;

	if (!nn)
		return 1;
	while ((size_t)(end - h) >= nn) {
		const char *q = memchr(h, n[0], (size_t)(end - h) - nn + 1);

		if (!q)
			return 0;
		if (!memcmp(q, n, nn))
			return 1;
		h = q + 1;
	}
	return 0;
}

static int
span_val(struct node *x, const struct jspan *sp, struct val *v)
{
	v->t = sp->type;
	switch (sp->type) {
	case J_NUMBER:
		/* a number inside an object: ',', '}' or a blank ends it */
		v->d = strtod(sp->p, NULL);
		break;
	case J_STRING:
		v->s = sp->p + 1;
		v->n = sp->len - 2;
		if (memchr(v->s, '\\', v->n)) {
			x->scratch.len = 0;
			if (json_unescape_body(v->s, v->n, &x->scratch) < 0)
				return -1;
			v->s = x->scratch.p ? x->scratch.p : "";
			v->n = x->scratch.len;
		}
		break;
	case J_ARRAY: case J_OBJECT:
		v->s = sp->p;
		v->n = sp->len;
		break;
	default:
		break;
	}
	return 0;
}

struct ctx {
	struct fastfilter *f;
	const struct jscan *js;
	const char *text;
	size_t n;
};

static int
eval(const struct ctx *c, struct node *x, struct val *v)
{
	struct val a, b;
	int i, und = 0, r;

	switch (x->kind) {
	case N_ROOT:
		v->t = J_OBJECT;
		v->s = c->text;
		v->n = c->n;
		return 0;
	case N_LIT:
		*v = x->lit;
		return 0;
	case N_PATH:
		for (i = 0; i < x->npath; i++) {
			const struct jspan *sp = &c->js->val[c->f->slot[x->pidx[i]]];

			if (sp->type == J_NONE || sp->type == J_NULL) {
				v->t = J_NULL;	/* null.b is null */
				return 0;
			}
			if (i == x->npath - 1)
				return span_val(x, sp, v);
			if (sp->type != J_OBJECT)
				return -1;	/* "Cannot index T with ...": libjq says it */
		}
		return -1;
	case N_CMP:
		if (eval(c, x->a, &a) || eval(c, x->b, &b))
			return -1;
		r = cmp(&a, &b, &und);
		if (und)
			return -1;
		switch (x->op) {
		case C_EQ: boolv(v, r == 0); break;
		case C_NE: boolv(v, r != 0); break;
		case C_LT: boolv(v, r < 0); break;
		case C_LE: boolv(v, r <= 0); break;
		case C_GT: boolv(v, r > 0); break;
		case C_GE: boolv(v, r >= 0); break;
		}
		return 0;
	case N_AND: case N_OR:
		if (eval(c, x->a, &a))
			return -1;
		if (truthy(&a) == (x->kind == N_OR)) {
			boolv(v, x->kind == N_OR);
			return 0;
		}
		if (eval(c, x->b, &b))
			return -1;
		boolv(v, truthy(&b));
		return 0;
	case N_NOT:
		if (eval(c, x->a, &a))
			return -1;
		boolv(v, !truthy(&a));
		return 0;
	case N_STARTS: case N_ENDS: case N_CONTAINS:
		if (eval(c, x->a, &a))
			return -1;
		if (a.t != J_STRING)
			return -1;	/* jq: an error */
		b = x->b->lit;
		if (x->kind == N_CONTAINS) {
			/* jq 1.6: strstr, so both end at their first NUL */
			const char *z = memchr(a.s, '\0', a.n), *zb = memchr(b.s, '\0', b.n);
			size_t an = z ? (size_t)(z - a.s) : a.n, bn = zb ? (size_t)(zb - b.s) : b.n;

			boolv(v, has(a.s, an, b.s, bn));
		} else if (b.n > a.n) {
			boolv(v, 0);
		} else {
			boolv(v, !memcmp(x->kind == N_STARTS ? a.s : a.s + a.n - b.n, b.s, b.n));
		}
		return 0;
	case N_DOWN:
		if (eval(c, x->a, &a))
			return -1;
		if (a.t != J_STRING)
			return -1;
		{
			size_t k;

			x->scratch.len = 0;
			buf_reserve(&x->scratch, a.n);
			for (k = 0; k < a.n; k++)
				x->scratch.p[k] = a.s[k] >= 'A' && a.s[k] <= 'Z' ? (char)(a.s[k] + ('a' - 'A')) : a.s[k];
			x->scratch.len = a.n;
		}
		v->t = J_STRING;
		v->s = x->scratch.p ? x->scratch.p : "";
		v->n = a.n;
		return 0;
	case N_IN:
		if (eval(c, x->a, &a))
			return -1;
		for (i = 0; i < x->nlist; i++)
			if (cmp(&x->list[i]->lit, &a, &und) == 0 && !und) {
				boolv(v, 1);
				return 0;
			}
		boolv(v, 0);
		return 0;
	}
	return -1;
}

int
fastfilter_eval(struct fastfilter *f, const struct jscan *js, const char *text, size_t n)
{
	struct ctx c;
	struct val v;

	/* what jq would parse otherwise than the scanner's spans say */
	if (!f->bound || js->dupkey || js->dupextra || js->badsur || js->maxdepth > MAX_RECORD_DEPTH)
		return -1;
	c.f = f;
	c.js = js;
	c.text = text;
	c.n = n;
	if (eval(&c, f->root, &v))
		return -1;
	return truthy(&v);
}

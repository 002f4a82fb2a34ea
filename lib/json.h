/* json.h: a strict RFC 8259 validator that also notes where the members
 * of the top-level object sit, so callers need not parse twice. */
#ifndef GHA_JSON_H
#define GHA_JSON_H

#include "gha.h"

enum jtype { J_NONE, J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };
struct jspan {
	enum jtype type;
	const char *p;		/* the value's text; for strings, with the quotes */
	size_t len;
	size_t count;		/* arrays captured by json_scan: their elements */
};
/* Members callers ask for by dotted path ("id", "payload.pull_request.id"),
 * captured in the same validating pass. Paths go through objects only,
 * never into arrays. */
#define JSCAN_MAXPATHS 128
struct jscan_state;
struct jscan {
	struct jspan *val;			/* one per path, filled by json_scan */
	int npaths;
	int dupkey;				/* a captured member appeared twice */
	/* What a filter evaluated on the spans must know to agree with libjq
	 * (fastfilter.c): dupkey counts slots below dupfrom (jscan_init sets
	 * it to npaths; slots from there on set dupextra instead, so that a
	 * caller's extra paths never change which records are rejected);
	 * badsur: a \uD800-\uDBFF escape not followed by a low surrogate
	 * (jq 1.6 refuses the text); maxdepth: deepest nesting seen. */
	int dupfrom, dupextra, badsur;
	size_t maxdepth;
	/* error position and reason when json_scan fails */
	size_t errpos;
	const char *errmsg;
	struct jscan_state *st;			/* private to json.c */
};
/* More than JSCAN_MAXPATHS paths is a bug in the caller: abort(). */
void jscan_init(struct jscan *js, const char *const *paths, int npaths);
void jscan_free(struct jscan *js);
/* Validate one JSON text in s[0..n). Returns n when the text is valid and
 * fills s (the value itself is s[*vstart..*vend), whitespace around it
 * excluded), or -1 with errpos/errmsg. With allow_trailing, more may
 * follow: returns the offset of the first non-blank byte after the value. */
long json_scan(struct jscan *js, const char *s, size_t n, int allow_trailing, size_t *vstart, size_t *vend);
/* Append valid JSON text without the whitespace between its tokens. */
void json_compact(const char *p, size_t n, struct buf *b);
/* Find a member of an object span (already validated). */
int json_member(const struct jspan *obj, const char *key, struct jspan *out);
/* Decode a string span into b (no quotes). Returns -1 on bad escapes. */
int json_unescape(const struct jspan *s, struct buf *b);
int json_unescape_body(const char *p, size_t n, struct buf *b);	/* appends */
/* The same, but \u0000 becomes U+FFFD: text that C strings or PostgreSQL
 * text must hold (entity names). */
int json_unescape_text(const char *p, size_t n, struct buf *b);
/* Iterate the elements of an array span: *cur starts NULL; 1 while one
 * is returned in elem. */
int json_array_next(const struct jspan *arr, const char **cur, struct jspan *elem);
/* Compare a string span with a plain C string, no escapes considered. */
int json_streq(const struct jspan *s, const char *lit);

#endif

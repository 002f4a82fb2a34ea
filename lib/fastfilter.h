/* fastfilter.h: the jq predicates users write most, evaluated on the
 * member spans json_scan captures, with jq 1.6's semantics; libjq
 * (jqfilter.c) stays the judge of the program and runs everything else.
 *
 * The subset: paths through objects (.a.b, ."k", .["k"], .a["k"]), the
 * literals true, false, null, numbers and strings, == != < <= > >=, and,
 * or, not, parentheses, |, startswith/endswith/contains with a string
 * literal, ascii_downcase, IN(literal, ...), and select(...) as the whole
 * program. */
#ifndef GHA_FASTFILTER_H
#define GHA_FASTFILTER_H

#include "gha.h"
#include "json.h"

struct fastfilter;
/* A program libjq has already compiled. NULL when it is outside the
 * subset, with the reason in why. */
struct fastfilter *fastfilter_new(const char *prog, char *why, size_t whylen);
void fastfilter_free(struct fastfilter *f);
/* The dotted member paths the program reads (every prefix of each path
 * included, so a duplicate anywhere on the way is seen), for jscan_init. */
int fastfilter_npaths(const struct fastfilter *f);
const char *fastfilter_path(const struct fastfilter *f, int i);
/* Where each path landed in the jscan's val[] (slots[i] for path i);
 * until this is called, fastfilter_eval returns -1. */
void fastfilter_bind(struct fastfilter *f, const int *slots);
/* On text[0..n), an object json_scan has just scanned into js: 1 when the
 * program's output is truthy, 0 when not, -1 when this record must go to
 * libjq (a jq error, a duplicate member, a text jq 1.6 cannot parse, two
 * arrays or objects compared). */
int fastfilter_eval(struct fastfilter *f, const struct jscan *js, const char *text, size_t n);

#endif

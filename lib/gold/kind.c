/* kind.c: what an event counts as (a push, a star, a merged PR ...), in
 * C and as an SQL condition, side by side so the two cannot drift. */
#include <stdlib.h>
#include <string.h>

#include "gold.h"

static const struct {
	const char *type, *action;	/* action NULL: any */
	int merged;			/* -1 any, 1 merged is true, 0 merged is not true */
	int kind;
} rules[] = {
	{ "PushEvent", NULL, -1, GK_PUSH },
	{ "WatchEvent", NULL, -1, GK_STAR },
	{ "ForkEvent", NULL, -1, GK_FORK },
	{ "PullRequestEvent", "opened", -1, GK_PR_OPENED },
	{ "PullRequestEvent", "closed", 1, GK_PR_MERGED },
	{ "PullRequestEvent", "closed", 0, GK_PR_CLOSED },
	{ "IssuesEvent", "opened", -1, GK_ISSUE_OPENED },
	{ "IssuesEvent", "closed", -1, GK_ISSUE_CLOSED },
	{ "IssueCommentEvent", NULL, -1, GK_COMMENT },
	{ "PullRequestReviewCommentEvent", NULL, -1, GK_COMMENT },
	{ "CommitCommentEvent", NULL, -1, GK_COMMENT },
	{ "PullRequestReviewEvent", NULL, -1, GK_REVIEW },
	{ "ReleaseEvent", NULL, -1, GK_RELEASE },
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

int
gold_kind(const struct gold_facts *f, const struct gfact_key *k)
{
	size_t i;

	for (i = 0; i < NRULES; i++) {
		if (!gsym_is(&f->sy, k->type, rules[i].type))
			continue;
		if (rules[i].action && !gsym_is(&f->sy, k->action, rules[i].action))
			continue;
		if (rules[i].merged >= 0 && (k->merged == GM_TRUE) != rules[i].merged)
			continue;
		return rules[i].kind;
	}
	return GK_OTHER;
}

int
gold_kind_contributes(int kind)
{
	switch (kind) {
	case GK_PUSH: case GK_PR_OPENED: case GK_PR_MERGED: case GK_PR_CLOSED:
	case GK_ISSUE_OPENED: case GK_ISSUE_CLOSED: case GK_COMMENT: case GK_REVIEW:
		return 1;
	default:
		return 0;
	}
}

void
gold_sql_kind(struct buf *b, int kind)
{
	size_t i;
	int n = 0;

	buf_addc(b, '(');
	for (i = 0; i < NRULES; i++) {
		if (rules[i].kind != kind && !(kind == GK_CONTRIB && gold_kind_contributes(rules[i].kind)))
			continue;
		buf_printf(b, "%s(event_type = '%s'", n++ ? " or " : "", rules[i].type);
		if (rules[i].action)
			buf_printf(b, " and action = '%s'", rules[i].action);
		if (rules[i].merged == 1)
			buf_adds(b, " and merged is true");
		else if (rules[i].merged == 0)
			buf_adds(b, " and merged is not true");
		buf_addc(b, ')');
	}
	if (!n)
		buf_adds(b, "false");
	buf_addc(b, ')');
}

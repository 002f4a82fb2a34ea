/* entity.h: actors, repos, orgs (entity.c); merging their tables
 * (entmerge.c). */
#ifndef GHA_ENTITY_H
#define GHA_ENTITY_H

#include "gha.h"
#include "schema.h"

enum ent_kind { ENT_ACTORS, ENT_REPOS, ENT_ORGS };
struct entity {
	int64_t id;
	int has_id, is_bot;
	char *name, *owner, *language;	/* name: login, or owner/name */
	int64_t lang_at, first, last, events;
	char **names;			/* repos: every name seen */
	size_t nnames;
};
struct entset {
	enum ent_kind kind;
	struct entity *v;
	size_t n, vcap;
	int64_t *slot;			/* hash slots: index in v, or -1 */
	size_t cap;
};
/* One observation: an event's, or a row of an entity table being merged. */
struct ent_obs {
	int has_id, is_bot;
	int64_t id, first, last, events, lang_at;
	const char *name, *owner, *language;
	size_t namelen, ownerlen, langlen;
	char **prev;			/* repos: earlier names */
	size_t nprev;
};
/* The tables in the schema registry, in enum ent_kind order. */
extern const struct schema_table schema_actors, schema_repos, schema_orgs;
extern const struct schema_table *const entity_tables[];
const char *const *ent_columns(enum ent_kind k, int *n);	/* column names */
void entset_init(struct entset *s, enum ent_kind kind);
void entset_free(struct entset *s);
void entset_add(struct entset *s, const struct ent_obs *o);
int entset_write(struct entset *s, FILE *fp);	/* sorted: by id, then name */
/* Add every row of an entity table (kind from its header; *kind is set
 * by the first file and must match after). Returns an exit code. */
int entset_merge_file(struct entset *s, int *kind_set, const char *path);

#endif

/* schema_layers.h: the layers whose tables schema.c registers, one line
 * each: SCHEMA_LAYER(array), the array a NULL-terminated list of
 * const struct schema_table * defined in the layer's own file. The
 * order is the order of schema_all() and of gha-silver --ddl. */
SCHEMA_LAYER(silver_tables)	/* silver.c: events, commits */
SCHEMA_LAYER(entity_tables)	/* entity.c: actors, repos, orgs */
SCHEMA_LAYER(gold_schema_tables)	/* gold/tables.c: gha-gold's tables */

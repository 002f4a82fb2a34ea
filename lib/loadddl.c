/* loadddl.c: the CREATE TABLE that gha-load --create runs, from the
 * schema registry (lib/schema.c): the same DDL as gha-silver --ddl and
 * gha-gold --ddl print. */
#include "loadddl.h"
#include "schema.h"

int
load_ddl(const char *table, const char *qname, struct buf *out, struct gha_err *err)
{
	const struct schema_table *t = schema_find(table);

	if (!t)
		return gha_seterr(err, GHA_DATAERR, "--create: no DDL for a table named '%s' "
				  "(gha-silver --ddl lists the known ones); create it yourself", table);
	out->len = 0;
	schema_ddl(t, SQL_POSTGRES, qname, out);
	buf_addc(out, 0);
	return 0;
}

/* pgconn.h: libpq helpers private to pgconn.c and pgload.c. */
#ifndef GHA_PGCONN_H
#define GHA_PGCONN_H

#include <libpq-fe.h>

#include "pgload.h"

static inline PGconn *
pgc(const struct pgload *L)
{
	return (PGconn *)L->conn;
}

void pg_msg(const struct pgload *L, const char *what, struct gha_err *err, int code);
int pg_code(const struct pgload *L, const PGresult *r);
void pg_fail(struct pgload *L, const PGresult *r, const char *what, struct gha_err *err);
PGresult *pg_exec(struct pgload *L, const char *sql, int n, const char *const *params, int rows,
		  const char *what, struct gha_err *err);
int pg_run(struct pgload *L, const char *sql, const char *what, struct gha_err *err);
void pg_rollback(struct pgload *L);

#endif

/* pgconn.c: the libpq side of gha-load: connecting, running statements,
 * and turning server and connection errors into exit codes and messages
 * that never show a password. */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "pgload.h"
#include "pgconn.h"

/* Replace every copy of the password in s (a message) by "***". */
static void
redact_pw(const struct pgload *L, char *s)
{
	size_t n;
	char *p;

	if (!L->password || !(n = strlen(L->password)))
		return;
	while ((p = strstr(s, L->password))) {
		size_t rest = strlen(p + n);

		if (n >= 3) {
			memcpy(p, "***", 3);
			memmove(p + 3, p + n, rest + 1);
		} else {
			memset(p, '*', n);
		}
	}
}

/* The message of the connection, trailing newline cut, password hidden. */
void
pg_msg(const struct pgload *L, const char *what, struct gha_err *err, int code)
{
	const char *m = PQerrorMessage(pgc(L));
	size_t n;

	gha_seterr(err, code, "%s%s%s", what ? what : "", what ? ": " : "", m && *m ? m : "unknown error");
	n = strlen(err->msg);
	while (n > 0 && (err->msg[n - 1] == '\n' || err->msg[n - 1] == ' '))
		err->msg[--n] = 0;
	/* libpq's multi-line messages: keep them on one line */
	for (char *p = err->msg; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	redact_pw(L, err->msg);
}

/* An exit code for a failed result: bad data (22xxx data exception, 23xxx
 * integrity) is 65; a lost connection, a deadlock, an admin shutdown or
 * resources running out are temporary (75); the rest (permissions,
 * missing objects) is 69. */
int
pg_code(const struct pgload *L, const PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(pgc(L)) == CONNECTION_BAD || !st)
		return GHA_TEMPFAIL;
	if (!strncmp(st, "22", 2) || !strncmp(st, "23", 2))
		return GHA_DATAERR;
	if (!strncmp(st, "08", 2) || !strncmp(st, "40", 2) || !strncmp(st, "53", 2) ||
	    !strncmp(st, "57", 2) || !strncmp(st, "58", 2))
		return GHA_TEMPFAIL;
	return GHA_UNAVAILABLE;
}

/* A failed result as err; the connection marked dead when it is. */
void
pg_fail(struct pgload *L, const PGresult *r, const char *what, struct gha_err *err)
{
	const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int code = pg_code(L, r);

	if (PQstatus(pgc(L)) == CONNECTION_BAD) {
		L->dead = 1;
		pg_msg(L, what ? what : "connection lost", err, GHA_TEMPFAIL);
		return;
	}
	if (r && PQresultStatus(r) != PGRES_FATAL_ERROR && PQresultStatus(r) != PGRES_NONFATAL_ERROR) {
		gha_seterr(err, GHA_UNAVAILABLE, "%s: unexpected result %s", what ? what : "query",
			   PQresStatus(PQresultStatus(r)));
	} else if (m) {
		gha_seterr(err, code, "%s%s%s", what ? what : "", what ? ": " : "", m);
		redact_pw(L, err->msg);
	} else {
		pg_msg(L, what, err, code);
	}
}

/* Run a statement with text parameters; expect (tuples when rows). The
 * result, or NULL with err. */
PGresult *
pg_exec(struct pgload *L, const char *sql, int n, const char *const *params, int rows,
	const char *what, struct gha_err *err)
{
	PGresult *r = PQexecParams(pgc(L), sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType want = rows ? PGRES_TUPLES_OK : PGRES_COMMAND_OK;

	if (!r || PQresultStatus(r) != want) {
		pg_fail(L, r, what, err);
		PQclear(r);
		return NULL;
	}
	return r;
}

int
pg_run(struct pgload *L, const char *sql, const char *what, struct gha_err *err)
{
	PGresult *r = pg_exec(L, sql, 0, NULL, 0, what, err);

	PQclear(r);
	return r ? 0 : -1;
}

void
pg_rollback(struct pgload *L)
{
	if (!L->dead && PQstatus(pgc(L)) == CONNECTION_OK)
		PQclear(PQexec(pgc(L), "ROLLBACK"));
}

int
pgload_connect(struct pgload *L, const char *conninfo, struct gha_err *err)
{
	/* expand_dbname: -d may be a conninfo string or a URI, and what it
	 * leaves out comes from PG* variables, the service file, .pgpass */
	const char *keys[] = { "dbname", "client_encoding", "application_name", NULL };
	const char *vals[] = { conninfo, "UTF8", "gha-load", NULL };
	PQconninfoOption *opts;
	PGconn *c;

	memset(L, 0, sizeof(*L));
	/* learn the password the user gave, only to keep it out of messages */
	if (conninfo && (opts = PQconninfoParse(conninfo, NULL))) {
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (!strcmp(o->keyword, "password") && o->val && *o->val)
				L->password = xstrdup(o->val);
		PQconninfoFree(opts);
	}
	if (!L->password && getenv("PGPASSWORD") && *getenv("PGPASSWORD"))
		L->password = xstrdup(getenv("PGPASSWORD"));
	c = PQconnectdbParams(keys, vals, 1);
	L->conn = (struct pg_conn *)c;
	if (!c) {
		gha_seterr(err, GHA_UNAVAILABLE, "cannot connect: out of memory");
		return -1;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		pg_msg(L, "cannot connect", err, GHA_UNAVAILABLE);
		L->dead = 1;
		return -1;
	}
	/* a long load must not be cut by a short statement_timeout */
	/* and NOTICEs ("already exists, skipping") are noise here */
	if (pg_run(L, "SET statement_timeout = 0", "set statement_timeout", err) ||
	    pg_run(L, "SET client_min_messages = warning", "set client_min_messages", err))
		return -1;
	return 0;
}

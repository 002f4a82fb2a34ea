// duckdb.js: DuckDB's side of the gold bench (tests/bench/gold.sh).
//   node duckdb.js NODE_PREFIX THREADS TSV OUTDIR DDL_FILE NAME=SQL_FILE...
// Loads the silver events TSV (COPY text with a header) into a table
// gha_events typed by gha-silver --ddl, then writes each query's rows to
// OUTDIR/NAME.tsv. One process, as a user would run it.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [prefix, threads, tsv, outdir, ddlFile, ...queries] = process.argv.slice(2);
const req = createRequire(path.join(path.resolve(prefix), 'package.json'));
const { DuckDBInstance } = req('@duckdb/node-api');

// "    name    type ..." lines of the gha_events CREATE TABLE -> DuckDB types
function columns(ddl) {
	const body = ddl.split('CREATE TABLE IF NOT EXISTS gha_events (')[1].split(');')[0];
	const map = { bigint: 'BIGINT', integer: 'INTEGER', text: 'VARCHAR', boolean: 'BOOLEAN',
		timestamptz: 'TIMESTAMPTZ' };
	const cols = [];
	for (const line of body.split('\n')) {
		const m = line.trim().match(/^(\w+)\s+(\w+)/);
		if (m)
			cols.push(`'${m[1]}': '${map[m[2]] || 'VARCHAR'}'`);
	}
	return '{' + cols.join(', ') + '}';
}

(async () => {
	const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
	const c = await db.connect();
	const lit = (s) => "'" + s.replace(/'/g, "''") + "'";
	await c.run(`SET TimeZone = 'UTC'`);
	await c.run(`CREATE TABLE gha_events AS SELECT * FROM read_csv(${lit(tsv)}, delim = '\t',
		header = true, nullstr = '\\N', quote = '', escape = '', auto_detect = false,
		columns = ${columns(fs.readFileSync(ddlFile, 'utf8'))})`);
	for (const q of queries) {
		const [name, file] = q.split('=');
		const sql = fs.readFileSync(file, 'utf8').trim().replace(/;$/, '');
		await c.run(`COPY (${sql}) TO ${lit(path.join(outdir, name + '.tsv'))}
			(FORMAT csv, DELIMITER '\t', HEADER, NULLSTR '\\N', QUOTE '')`);
	}
})().catch((e) => {
	console.error('duckdb.js: ' + e.message);
	process.exit(1);
});

// gold_duckdb.js: run gha-gold --sql queries in DuckDB (npm @duckdb/node-api)
//   node gold_duckdb.js NODE_PREFIX DDL_FILE OUTDIR TSV_LIST_FILE NAME=SQL_FILE...
// Loads the silver events TSVs into gha_events typed as gha-silver --ddl
// says (DuckDB's CSV reader: no COPY escapes, so the input must hold none
// in the columns gold reads), then writes each query's rows as COPY-like
// TSV (\N for NULL, header) to OUTDIR/NAME.tsv.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [prefix, ddlFile, outdir, listFile, ...queries] = process.argv.slice(2);
const req = createRequire(path.join(path.resolve(prefix), 'package.json'));
const { DuckDBInstance } = req('@duckdb/node-api');

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
	const db = await DuckDBInstance.create(':memory:', { threads: '2' });
	const c = await db.connect();
	const lit = (s) => "'" + s.replace(/'/g, "''") + "'";
	const files = fs.readFileSync(listFile, 'utf8').split('\n').filter((s) => s);
	await c.run(`SET TimeZone = 'UTC'`);
	await c.run(`CREATE TABLE gha_events AS SELECT * FROM read_csv([${files.map(lit).join(', ')}],
		delim = '\t', header = true, nullstr = '\\N', quote = '', escape = '',
		auto_detect = false, columns = ${columns(fs.readFileSync(ddlFile, 'utf8'))})`);
	for (const q of queries) {
		const [name, file] = q.split('=');
		const sql = fs.readFileSync(file, 'utf8').trim().replace(/;$/, '');
		await c.run(`COPY (${sql}) TO ${lit(path.join(outdir, name + '.tsv'))}
			(FORMAT csv, DELIMITER '\t', HEADER, NULLSTR '\\N', QUOTE '', ESCAPE '')`);
	}
})().catch((e) => {
	console.error('gold_duckdb.js: ' + e.message);
	process.exit(1);
});

#!/usr/bin/python3
"""sf_server.py: a loopback stand-in for Snowflake's SQL API, strict about
the protocol and honest about the data, for gha-load --exec's tests.

  sf_server.py serve DIR --pubkey PEM --account ACCT --user USER
               --stage NAME=OBJDIR [--warehouse W] [--database D] [--delay S]
               [--init SQLFILE]
      Listens on 127.0.0.1 (port written to DIR/port). Every request must
      carry a key-pair JWT (Authorization: Bearer, X-Snowflake-Authorization-
      Token-Type: KEYPAIR_JWT) signed RS256 by the key whose public half is
      PEM, with iss ACCT.USER.SHA256:<fingerprint of that key>, sub ACCT.USER
      (upper case), iat/exp valid now and at most an hour apart. POST
      /api/v2/statements?requestId=UUID[&retry=true] runs the statement in
      the background (DELAY seconds first) and answers 202 with a
      statementHandle; GET /api/v2/statements/HANDLE answers 202 until it
      is done, then 200 (data[0][0]) or 422 (code, sqlState, message). A
      requestId seen before runs nothing again: with retry=true the first
      run's status is answered, without it is an error.
      The statements understood are those of Snowflake that gha-load sends
      (file format, schema, table, and a Snowflake Scripting block with a
      transaction, DELETE, COPY INTO, SELECT COUNT(*) INTO, INSERT); anything
      else is a SQL compilation error. Tables live in DIR/db.sqlite. COPY
      INTO reads the named files from the stage's directory (what the S3
      stand-in stored), gunzips them and parses them by the file format's
      options, and inserts their rows; a missing file, a column count
      mismatch, an unknown column, a NULL in a NOT NULL column or a
      non-number in a number column fails the statement.
      Fault injection: GET /_ctl?post503=N&post429=N&after503=N&expire=N
      (the next N POSTs answer 503 / 429 before running / 503 after
      running / 401 as if the token had expired); retryafter=S: those
      429s carry "Retry-After: S".
      DIR/requests.log: one line per request; DIR/jwt.log: each token;
      DIR/posts.log: the time (seconds since the epoch) of each POST.
  sf_server.py dump DIR TABLE
      The table's rows as JSON lines (column: value), for the tests.
  sf_server.py check DIR TABLE SOURCE TSV
      The rows of SOURCE in TABLE equal the COPY text TSV's rows (decoded
      by tests/sf_decode.py's rules), as a multiset: prints "N rows equal".
"""
import base64
import gzip
import hashlib
import http.server
import json
import os
import re
import sqlite3
import sys
import threading
import time
import urllib.parse
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


class SQLError(Exception):
    def __init__(self, code, state, msg):
        super().__init__(msg)
        self.code, self.state, self.msg = code, state, msg


def compile_error(msg):
    return SQLError("001003", "42000", "SQL compilation error:\n" + msg)


def b64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def ident(s):
    """An identifier as Snowflake resolves it: quoted keeps its case,
    unquoted is upper case."""
    s = s.strip()
    if s.startswith('"') and s.endswith('"') and len(s) >= 2:
        return s[1:-1].replace('""', '"')
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_$]*", s):
        raise compile_error("invalid identifier '%s'" % s)
    return s.upper()


def qname(s):
    parts = [ident(p) for p in split_top(s.strip(), ".")]
    return ".".join(parts)


def split_top(s, sep):
    """Split at sep outside quotes, strings and parentheses."""
    out, cur, depth, q = [], [], 0, None
    i = 0
    while i < len(s):
        c = s[i]
        if q:
            cur.append(c)
            if c == q:
                if i + 1 < len(s) and s[i + 1] == q:
                    cur.append(s[i + 1])
                    i += 1
                else:
                    q = None
            elif c == "\\" and q == "'" and i + 1 < len(s):
                cur.append(s[i + 1])
                i += 1
        elif c in "'\"":
            q = c
            cur.append(c)
        elif c == "(":
            depth += 1
            cur.append(c)
        elif c == ")":
            depth -= 1
            cur.append(c)
        elif c == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    if "".join(cur).strip():
        out.append("".join(cur))
    return out


def sql_string(s):
    """A Snowflake single-quoted literal's value ('' and backslash escapes)."""
    s = s.strip()
    if not (s.startswith("'") and s.endswith("'")):
        raise compile_error("a string literal expected, not %s" % s[:40])
    body, out, i = s[1:-1], [], 0
    esc = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "0": "\0", "'": "'", '"': '"', "\\": "\\"}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(esc.get(body[i + 1], body[i + 1]))
            i += 2
        elif c == "'" and i + 1 < len(body) and body[i + 1] == "'":
            out.append("'")
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class DB:
    def __init__(self, path, stages):
        self.c = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.lock = threading.Lock()
        self.stages = stages
        self.c.execute("create table if not exists _meta (kind text, name text, value text, "
                       "primary key (kind, name))")
        self.c.execute("create table if not exists _loaded (tbl text, file text, primary key (tbl, file))")

    def meta(self, kind, name):
        r = self.c.execute("select value from _meta where kind=? and name=?", (kind, name)).fetchone()
        return json.loads(r[0]) if r else None

    def set_meta(self, kind, name, value):
        self.c.execute("insert or replace into _meta values (?,?,?)", (kind, name, json.dumps(value)))

    def table(self, name):
        t = self.meta("table", name)
        if t is None:
            raise SQLError("002003", "42S02", "SQL compilation error:\nObject '%s' does not exist or not authorized." % name)
        return t

    # ---- top-level statements
    def run(self, sql):
        with self.lock:
            s = sql.strip().rstrip(";").strip()
            m = re.fullmatch(r"(?is)EXECUTE\s+IMMEDIATE\s+\$\$(.*)\$\$", s)
            if m:
                return self.block(m.group(1))
            return self.simple(s)

    def simple(self, s):
        m = re.fullmatch(r"(?is)CREATE\s+FILE\s+FORMAT\s+IF\s+NOT\s+EXISTS\s+(\S+)\s+(.*)", s)
        if m:
            name = qname(m.group(1))
            opts = {}
            rest = m.group(2)
            for om in re.finditer(r"(?is)\s*(\w+)\s*=\s*('(?:[^'\\]|\\.|'')*'|\(\s*\)|\w+)", rest):
                k, v = om.group(1).upper(), om.group(2)
                known = {"TYPE", "COMPRESSION", "FIELD_DELIMITER", "RECORD_DELIMITER",
                         "FIELD_OPTIONALLY_ENCLOSED_BY", "ESCAPE", "ESCAPE_UNENCLOSED_FIELD",
                         "EMPTY_FIELD_AS_NULL", "NULL_IF", "SKIP_HEADER", "ENCODING",
                         "ERROR_ON_COLUMN_COUNT_MISMATCH"}
                if k not in known:
                    raise compile_error("invalid file format option %s" % k)
                opts[k] = sql_string(v) if v.startswith("'") else ([] if v.startswith("(") else v.upper())
            if re.sub(r"(?is)\s*(\w+)\s*=\s*('(?:[^'\\]|\\.|'')*'|\(\s*\)|\w+)", "", rest).strip():
                raise compile_error("syntax error in file format options")
            if self.meta("format", name) is None:
                self.set_meta("format", name, opts)
            return "File format %s successfully created." % name
        m = re.fullmatch(r"(?is)CREATE\s+SCHEMA\s+IF\s+NOT\s+EXISTS\s+(\S+)", s)
        if m:
            self.set_meta("schema", ident(m.group(1)), True)
            return "Schema successfully created."
        m = re.fullmatch(r"(?is)CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+(\S+)\s*\((.*)\)", s)
        if m:
            name = qname(m.group(1))
            if "." in name and not self.meta("schema", name.split(".")[0]):
                raise SQLError("002003", "02000", "SQL compilation error:\nSchema '%s' does not exist or not authorized." % name.split(".")[0])
            cols = []
            for d in split_top(m.group(2), ","):
                d = d.strip()
                if re.match(r"(?i)PRIMARY\s+KEY\s*\(", d):
                    continue	# not enforced by Snowflake
                cm = re.fullmatch(r'(?is)("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s+([A-Za-z_]+(?:\(\d+(?:,\s*\d+)?\))?)(\s+NOT\s+NULL)?', d)
                if not cm:
                    raise compile_error("syntax error in column definition '%s'" % d[:60])
                cols.append([ident(cm.group(1)), cm.group(2).upper(), bool(cm.group(3))])
            if len({c[0] for c in cols}) != len(cols):
                raise compile_error("duplicate column name")
            if self.meta("table", name) is None:
                self.set_meta("table", name, cols)
                self.c.execute('create table "%s" (%s)' % (name, ", ".join('"%s"' % c[0] for c in cols)))
            return "Table %s successfully created." % name
        raise compile_error("syntax error line 1 at position 0 unexpected '%s'" % s[:30])

    # ---- Snowflake Scripting, the subset gha-load writes
    def block(self, text):
        m = re.fullmatch(r"(?is)\s*(?:DECLARE\s+(.*?))?\bBEGIN\b(.*)\bEXCEPTION\s+WHEN\s+OTHER\s+THEN\s+ROLLBACK;\s*RAISE;\s*END;\s*", text)
        if not m:
            raise compile_error("a block DECLARE ... BEGIN ... EXCEPTION WHEN OTHER THEN ROLLBACK; RAISE; END; expected")
        vars_ = {}
        for d in split_top(m.group(1) or "", ";"):
            dm = re.fullmatch(r"(?is)\s*(\w+)\s+INTEGER(?:\s+DEFAULT\s+(-?\d+))?\s*", d)
            if not dm:
                raise compile_error("bad declaration '%s'" % d.strip())
            vars_[dm.group(1).lower()] = int(dm.group(2) or 0)
        stmts = [x.strip() for x in split_top(m.group(2), ";")]
        try:
            r = self.stmts(stmts, vars_)
        except SQLError:
            if self.c.in_transaction:
                self.c.execute("rollback")
            raise
        if self.c.in_transaction:
            # Snowflake: a block that ends with its transaction open is an error
            self.c.execute("rollback")
            raise SQLError("000603", "XX000", "Modifying statements inside a block left a transaction open")
        return r

    def stmts(self, stmts, vars_):
        i = 0
        while i < len(stmts):
            s = stmts[i]
            m = re.fullmatch(r"(?is)IF\s*\((.*)\)\s*THEN\s+(.*)", s)
            if m:
                # the body runs to the matching END IF
                body, depth, j = [m.group(2)], 1, i + 1
                while j < len(stmts):
                    if re.fullmatch(r"(?is)END\s+IF", stmts[j]):
                        depth -= 1
                        if depth == 0:
                            break
                    if re.match(r"(?is)IF\s*\(", stmts[j]):
                        depth += 1
                    body.append(stmts[j])
                    j += 1
                if j == len(stmts):
                    raise compile_error("IF without END IF")
                if self.cond(m.group(1), vars_):
                    r = self.stmts(body, vars_)
                    if r is not None:
                        return r
                i = j + 1
                continue
            r = self.stmt(s, vars_)
            if r is not None:
                return r
            i += 1
        return None

    def cond(self, c, vars_):
        c = c.strip()
        m = re.fullmatch(r"(?is)EXISTS\s*\(\s*SELECT\s+1\s+FROM\s+(\S+)\s+WHERE\s+(.*)\)", c)
        if m:
            t = qname(m.group(1))
            self.table(t)
            w, args = self.where(m.group(2), t)
            return self.c.execute('select 1 from "%s" where %s' % (t, w), args).fetchone() is not None
        m = re.fullmatch(r"(?is)(\w+)\s*(<>|=)\s*(-?\d+)", c)
        if m:
            if m.group(1).lower() not in vars_:
                raise compile_error("undeclared variable %s" % m.group(1))
            v = vars_[m.group(1).lower()]
            return (v != int(m.group(3))) if m.group(2) == "<>" else (v == int(m.group(3)))
        raise compile_error("condition not understood: %s" % c[:60])

    def where(self, w, t):
        cols = {c[0] for c in self.table(t)}
        parts, args = [], []
        for p in re.split(r"(?i)\s+AND\s+", w.strip()):
            pm = re.fullmatch(r"(?s)\s*(\S+)\s*=\s*('.*')\s*", p)
            if not pm:
                raise compile_error("predicate not understood: %s" % p[:60])
            col = ident(pm.group(1))
            if col not in cols:
                raise SQLError("000904", "42000", "SQL compilation error: error line 1 at position 0\ninvalid identifier '%s'" % pm.group(1))
            parts.append('"%s" = ?' % col)
            args.append(sql_string(pm.group(2)))
        return " and ".join(parts), args

    def stmt(self, s, vars_):
        if re.fullmatch(r"(?is)BEGIN\s+TRANSACTION", s):
            self.c.execute("begin")
            return None
        if re.fullmatch(r"(?is)COMMIT", s):
            if self.c.in_transaction:
                self.c.execute("commit")
            return None
        if re.fullmatch(r"(?is)ROLLBACK", s):
            if self.c.in_transaction:
                self.c.execute("rollback")
            return None
        m = re.fullmatch(r"(?is)RETURN\s+('(?:[^']|'')*')(?:\s*\|\|\s*(\w+))?", s)
        if m:
            v = sql_string(m.group(1))
            if m.group(2):
                v += str(vars_[m.group(2).lower()])
            return v
        m = re.fullmatch(r"(?is)DELETE\s+FROM\s+(\S+)\s+WHERE\s+(.*)", s)
        if m:
            t = qname(m.group(1))
            self.table(t)
            w, args = self.where(m.group(2), t)
            self.c.execute('delete from "%s" where %s' % (t, w), args)
            return None
        m = re.fullmatch(r"(?is)SELECT\s+COUNT\(\*\)\s+INTO\s+:(\w+)\s+FROM\s+(\S+)\s+WHERE\s+(.*)", s)
        if m:
            t = qname(m.group(2))
            self.table(t)
            w, args = self.where(m.group(3), t)
            vars_[m.group(1).lower()] = self.c.execute('select count(*) from "%s" where %s' % (t, w), args).fetchone()[0]
            return None
        m = re.fullmatch(r"(?is)INSERT\s+INTO\s+(\S+)\s+VALUES\s*\((.*)\)", s)
        if m:
            t = qname(m.group(1))
            cols = self.table(t)
            vals = []
            for v in split_top(m.group(2), ","):
                v = v.strip()
                if v.startswith("'"):
                    vals.append(sql_string(v))
                elif re.fullmatch(r"-?\d+", v):
                    vals.append(v)
                elif re.fullmatch(r"(?i)CURRENT_TIMESTAMP\(\)", v):
                    vals.append(time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime()))
                else:
                    raise compile_error("value not understood: %s" % v[:40])
            if len(vals) != len(cols):
                raise SQLError("002020", "21S01", "SQL compilation error:\nInsert value list does not match column list expecting %d but got %d" % (len(cols), len(vals)))
            self.c.execute('insert into "%s" values (%s)' % (t, ",".join("?" * len(vals))), vals)
            return None
        m = re.fullmatch(r"(?is)COPY\s+INTO\s+(\S+)\s*\((.*?)\)\s*FROM\s+@(\S+)\s+FILES\s*=\s*\((.*?)\)\s*"
                         r"FILE_FORMAT\s*=\s*\(\s*FORMAT_NAME\s*=\s*(\S+?)\s*\)\s*ON_ERROR\s*=\s*ABORT_STATEMENT"
                         r"(\s+FORCE\s*=\s*TRUE)?", s)
        if m:
            self.copy(qname(m.group(1)), m.group(2), m.group(3), m.group(4), qname(m.group(5)), bool(m.group(6)))
            return None
        raise compile_error("statement not understood: %s" % s[:60])

    def copy(self, t, collist, stage, files, fmt, force):
        cols = self.table(t)
        names = [c[0] for c in cols]
        want = [ident(c) for c in split_top(collist, ",")]
        for w in want:
            if w not in names:
                raise SQLError("000904", "42000", "SQL compilation error: error line 1 at position 0\ninvalid identifier '%s'" % w)
        opts = self.meta("format", fmt)
        if opts is None:
            raise SQLError("002003", "02000", "SQL compilation error:\nFile format '%s' does not exist or not authorized." % fmt)
        if "%" in stage:
            raise SQLError("002003", "02000", "table stage %s: no PUT here (the test stands in for an external stage)" % stage)
        sdir = self.stages.get(qname(stage))
        if sdir is None:
            raise SQLError("002003", "02000", "SQL compilation error:\nStage '%s' does not exist or not authorized." % stage)
        for f in [sql_string(x) for x in split_top(files, ",")]:
            if not force and self.c.execute("select 1 from _loaded where tbl=? and file=?", (t, f)).fetchone():
                continue	# load metadata: a file loaded before is skipped
            path = os.path.join(sdir, f)
            if not os.path.isfile(path):
                raise SQLError("100038", "22000", "Remote file '%s' was not found. There are several potential causes." % f)
            data = open(path, "rb").read()
            if opts.get("COMPRESSION", "AUTO") in ("GZIP", "AUTO"):
                data = gzip.decompress(data)
            rows = parse_csv(data.decode("utf-8"), opts)
            for k, r in enumerate(rows):
                if len(r) != len(want):
                    raise SQLError("100080", "22000", "Number of columns in file (%d) does not match that of the corresponding table (%d), use file format option error_on_column_count_mismatch=false to ignore this error\n  File '%s', line %d" % (len(r), len(want), f, k + 1))
                full = dict(zip(want, r))
                vals = []
                for name, typ, notnull in cols:
                    v = full.get(name)
                    if v is None and notnull:
                        raise SQLError("100072", "22000", "NULL result in a non-nullable column\n  File '%s', line %d, column %s" % (f, k + 1, name))
                    if v is not None and re.match(r"(BIGINT|INTEGER|SMALLINT|INT|NUMBER)", typ) and not re.fullmatch(r"[+-]?\d+(\.\d+)?", v):
                        raise SQLError("100038", "22018", "Numeric value '%s' is not recognized\n  File '%s', line %d, column %s" % (v[:40], f, k + 1, name))
                    vals.append(v)
                self.c.execute('insert into "%s" values (%s)' % (t, ",".join("?" * len(vals))), vals)
            self.c.execute("insert or ignore into _loaded values (?,?)", (t, f))


def parse_csv(data, o):
    """Snowflake's CSV reader for the options gha-load's format sets."""
    fd, rd = o.get("FIELD_DELIMITER", ","), o.get("RECORD_DELIMITER", "\n")
    enc = o.get("FIELD_OPTIONALLY_ENCLOSED_BY", "NONE")
    enc = None if enc in ("NONE", "") else enc
    empty_null = o.get("EMPTY_FIELD_AS_NULL", "TRUE") == "TRUE"
    null_if = o.get("NULL_IF", ["\\N"])
    if o.get("ESCAPE", "NONE") != "NONE" or o.get("ESCAPE_UNENCLOSED_FIELD", "\\") != "NONE":
        raise SQLError("100000", "22000", "this stand-in reads only ESCAPE = NONE ESCAPE_UNENCLOSED_FIELD = NONE")
    rows, i, n = [], 0, len(data)
    skip = int(o.get("SKIP_HEADER", "0"))
    # a field: enclosed (the enclosure doubled inside) or plain, then a
    # field delimiter, a record delimiter or the end
    E, F, R = (re.escape(enc) if enc else None), re.escape(fd), re.escape(rd)
    field = re.compile(("%s((?:[^%s]|%s%s)*)%s|" % (E, E, E, E, E) if enc else "") +
                       "((?:(?!%s|%s).)*)" % (F, R), re.S)
    sep = re.compile("(%s)|(%s)|\\Z" % (F, R))
    while i < n:
        row = []
        while True:
            m = field.match(data, i)
            if enc and m.group(1) is not None:
                row.append(m.group(1).replace(enc + enc, enc))
            else:
                v = m.group(2)
                if enc and enc in v:
                    raise SQLError("100066", "22000", "Found character '%s' instead of field delimiter" % enc)
                row.append(None if (v == "" and empty_null) or v in null_if else v)
            i = m.end()
            m = sep.match(data, i)
            if not m:
                raise SQLError("100066", "22000", "Found character '%s' instead of field delimiter" % data[i])
            i = m.end()
            if m.group(1) is None:
                break
        rows.append(row)
    return rows[skip:]


class State:
    faults = {"post503": 0, "post429": 0, "after503": 0, "expire": 0, "retryafter": 0}
    statements = {}		# handle -> dict(status, value, error, thread)
    requests = {}		# requestId -> handle
    lock = threading.Lock()


def serve(args):
    d = args[0]
    opts = {"--delay": "0.05", "--warehouse": None, "--database": None}
    stages = {}
    k = 1
    while k < len(args):
        if args[k] == "--stage":
            name, path = args[k + 1].split("=", 1)
            stages[qname(name)] = path
        else:
            opts[args[k]] = args[k + 1]
        k += 2
    pub = serialization.load_pem_public_key(open(opts["--pubkey"], "rb").read())
    der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    fp = "SHA256:" + base64.b64encode(hashlib.sha256(der).digest()).decode()
    qual = opts["--account"].upper() + "." + opts["--user"].upper()
    db = DB(os.path.join(d, "db.sqlite"), stages)
    if opts.get("--init"):		# statements a user would have run before (tables of their own)
        for st in open(opts["--init"]).read().split(";\n"):
            if st.strip():
                db.run(st)
    delay = float(opts["--delay"])
    log = open(os.path.join(d, "requests.log"), "a", buffering=1)
    posts = open(os.path.join(d, "posts.log"), "a", buffering=1)
    jwtlog = open(os.path.join(d, "jwt.log"), "a", buffering=1)

    def check_jwt(h):
        if h.headers.get("X-Snowflake-Authorization-Token-Type") != "KEYPAIR_JWT":
            return "X-Snowflake-Authorization-Token-Type is not KEYPAIR_JWT"
        a = h.headers.get("Authorization", "")
        if not a.startswith("Bearer "):
            return "no Bearer token"
        tok = a[7:]
        jwtlog.write(tok + "\n")
        parts = tok.split(".")
        if len(parts) != 3:
            return "not a JWS compact serialization"
        try:
            hdr, claims, sig = json.loads(b64url(parts[0])), json.loads(b64url(parts[1])), b64url(parts[2])
        except ValueError:
            return "bad base64url or JSON"
        if hdr.get("alg") != "RS256":
            return "alg is not RS256"
        try:
            pub.verify(sig, (parts[0] + "." + parts[1]).encode(), padding.PKCS1v15(), hashes.SHA256())
        except Exception:
            return "bad signature"
        now = time.time()
        if claims.get("iss") != qual + "." + fp:
            return "iss %r is not %r" % (claims.get("iss"), qual + "." + fp)
        if claims.get("sub") != qual:
            return "sub %r is not %r" % (claims.get("sub"), qual)
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or iat > now + 60 or exp - iat > 3600:
            return "iat/exp out of bounds"
        if exp <= now:
            return "expired"
        return None

    def run_stmt(handle, sql):
        time.sleep(delay)
        st = State.statements[handle]
        try:
            st["value"] = db.run(sql)
            st["status"] = 200
        except SQLError as e:
            st["error"] = e
            st["status"] = 422
        except Exception as e:		# a bug here, said as such
            st["error"] = SQLError("000603", "XX000", "stand-in failure: %r" % e)
            st["status"] = 422

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def answer(self, code, obj, extra=()):
            body = json.dumps(obj).encode()
            log.write("%s %s %d %s\n" % (self.command, self.path, code, obj.get("code", "")))
            self.send_response(code)
            for k, v in extra:
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def status_of(self, handle):
            st = State.statements[handle]
            if st["status"] == 202:
                return self.answer(202, {"code": "333334", "message": "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
                                         "statementHandle": handle, "statementStatusUrl": "/api/v2/statements/" + handle})
            if st["status"] == 422:
                e = st["error"]
                return self.answer(422, {"code": e.code, "sqlState": e.state, "message": e.msg, "statementHandle": handle,
                                         "statementStatusUrl": "/api/v2/statements/" + handle})
            return self.answer(200, {"resultSetMetaData": {"numRows": 1, "format": "jsonv2",
                                                           "rowType": [{"name": "status", "type": "text", "nullable": True}]},
                                     "data": [[st["value"]]], "code": "090001", "sqlState": "00000",
                                     "statementHandle": handle, "message": "Statement executed successfully.",
                                     "statementStatusUrl": "/api/v2/statements/" + handle})

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            if u.path == "/_ctl":
                for k2, v in urllib.parse.parse_qsl(u.query):
                    State.faults[k2] = int(v)
                return self.answer(200, {"faults": State.faults})
            why = check_jwt(self)
            if why:
                return self.answer(401, {"code": "390144", "message": "JWT token is invalid. [%s]" % why})
            m = re.fullmatch(r"/api/v2/statements/([0-9a-f-]+)", u.path)
            if not m or m.group(1) not in State.statements:
                return self.answer(404, {"code": "333333", "message": "Statement not found"})
            return self.status_of(m.group(1))

        def do_POST(self):
            u = urllib.parse.urlsplit(self.path)
            n = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(n)
            if u.path != "/api/v2/statements":
                return self.answer(404, {"code": "390404", "message": "not found"})
            with State.lock:
                if State.faults["expire"] > 0:
                    State.faults["expire"] -= 1
                    return self.answer(401, {"code": "390318", "message": "The token has expired. [JWT exp]"})
            why = check_jwt(self)
            if why:
                return self.answer(401, {"code": "390144", "message": "JWT token is invalid. [%s]" % why})
            if self.headers.get("Content-Type", "").split(";")[0] != "application/json" or \
               "application/json" not in self.headers.get("Accept", ""):
                return self.answer(400, {"code": "391902", "message": "Unsupported Accept or Content-Type header"})
            q = dict(urllib.parse.parse_qsl(u.query))
            try:
                rid = str(uuid.UUID(q.get("requestId", "")))
            except ValueError:
                return self.answer(400, {"code": "391903", "message": "requestId is not a UUID"})
            with State.lock:
                posts.write("%.3f\n" % time.time())
                for f, code, c in (("post503", 503, "000503"), ("post429", 429, "000429")):
                    if State.faults[f] > 0:
                        State.faults[f] -= 1
                        ra = State.faults["retryafter"] if code == 429 else 0
                        return self.answer(code, {"code": c, "message": "injected %d" % code},
                                           [("Retry-After", str(ra))] if ra else ())
                if rid in State.requests:
                    if q.get("retry") != "true":
                        return self.answer(400, {"code": "391904", "message": "duplicate requestId without retry=true"})
                    return self.status_of(State.requests[rid])
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self.answer(400, {"code": "391900", "message": "the body is not JSON"})
                if not isinstance(body, dict) or not isinstance(body.get("statement"), str):
                    return self.answer(400, {"code": "391901", "message": "no statement"})
                for key, want in (("warehouse", opts["--warehouse"]), ("database", opts["--database"])):
                    if want and str(body.get(key, "")).upper() != want.upper():
                        return self.answer(422, {"code": "000606", "sqlState": "57P03",
                                                 "message": "No active %s selected in the current session." % key})
                handle = str(uuid.uuid4())
                State.requests[rid] = handle
                State.statements[handle] = {"status": 202}
                th = threading.Thread(target=run_stmt, args=(handle, body["statement"]), daemon=True)
                th.start()
                after = State.faults["after503"] > 0
                if after:
                    State.faults["after503"] -= 1
            if after:
                th.join()
                return self.answer(503, {"code": "000503", "message": "injected 503 after running"})
            return self.status_of(handle)

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass	# a client killed mid-request (the kill -9 tests)

    srv = Server(("127.0.0.1", 0), H)
    with open(os.path.join(d, "port.tmp"), "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
    srv.serve_forever()


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        return serve(args)
    db = sqlite3.connect(os.path.join(args[0], "db.sqlite"))
    t = qname(args[1])
    cols = [c[0] for c in json.loads(db.execute("select value from _meta where kind='table' and name=?", (t,)).fetchone()[0])]
    if cmd == "dump":
        for r in db.execute('select * from "%s"' % t):
            print(json.dumps(dict(zip(cols, r)), sort_keys=True))
        return
    if cmd == "check":
        source, tsv = args[2], args[3]
        raw = open(tsv, "rb").read()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        lines = raw.decode("utf-8").split("\n")
        if lines[-1] == "":
            lines.pop()
        hdr = [ident(h) for h in lines[0].split("\t")]
        dec = decoder()
        want = sorted(json.dumps([dec(x) for x in l.split("\t")]) for l in lines[1:])
        got = sorted(json.dumps(list(r)) for r in db.execute(
            'select %s from "%s" where "_SOURCE" = ?' % (", ".join('"%s"' % h for h in hdr), t), (source,)))
        if got != want:
            extra = [g for g in got if g not in set(want)][:2]
            missing = [w for w in want if w not in set(got)][:2]
            raise SystemExit("%d rows, want %d; not wanted: %s; missing: %s" % (len(got), len(want), extra, missing))
        print("%d rows equal" % len(got))


def decoder():
    """tests/sf_decode.py's COPY text field decoder (written from
    PostgreSQL's manual, not from gha-load)."""
    src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sf_decode.py")).read()
    ns = {}
    exec(compile(src.split("\ndef strict_csv")[0], "sf_decode.py", "exec"), ns)
    return ns["copy_field"]


if __name__ == "__main__":
    main()

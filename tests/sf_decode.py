#!/usr/bin/env python3
"""sf_decode.py TSV SOURCE CHUNK.csv.gz...: check gha-load's Snowflake
chunks against the COPY text they came from, independently of its code.

The TSV is decoded by PostgreSQL's COPY text rules (written here from the
PostgreSQL manual); the chunks by a strict reader of the dialect load.sql
declares (TAB between fields, LF after a record, a field either empty and
unquoted: NULL, or in double quotes with a quote doubled: a string), and
again by Python's csv module for the values. Exit 0 when every row is the
TSV's row plus SOURCE, in order."""
import csv
import gzip
import io
import sys


def copy_field(s):
    if s == "\\N":
        return None
    out, i = bytearray(), 0
    b = s.encode("utf-8", "surrogateescape")
    simple = {ord("b"): 8, ord("f"): 12, ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("v"): 11}
    while i < len(b):
        c = b[i]
        if c != 0x5C:
            out.append(c)
            i += 1
            continue
        i += 1
        c = b[i]
        if c in simple:
            out.append(simple[c])
            i += 1
        elif 0x30 <= c <= 0x37:
            j = i
            while j < len(b) and j < i + 3 and 0x30 <= b[j] <= 0x37:
                j += 1
            out.append(int(b[i:j], 8) & 0xFF)
            i = j
        elif c == ord("x") and i + 1 < len(b) and chr(b[i + 1]) in "0123456789abcdefABCDEF":
            j = i + 1
            while j < len(b) and j < i + 3 and chr(b[j]) in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(b[i + 1:j], 16))
            i = j
        else:
            out.append(c)
            i += 1
    return out.decode("utf-8")


def strict_csv(data):
    rows, i, n = [], 0, len(data)
    while i < n:
        row = []
        while True:
            if data[i] == '"':
                i += 1
                v = []
                while True:
                    if data[i] == '"':
                        if i + 1 < n and data[i + 1] == '"':
                            v.append('"')
                            i += 2
                            continue
                        i += 1
                        break
                    v.append(data[i])
                    i += 1
                row.append("".join(v))
            else:
                row.append(None)
            if data[i] == "\t":
                i += 1
                continue
            if data[i] == "\n":
                i += 1
                break
            raise SystemExit("bad CSV at offset %d: %r" % (i, data[i:i + 20]))
        rows.append(row)
    return rows


def main():
    tsv, source, chunks = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(tsv, "rb") as f:
        raw = f.read()
    if tsv.endswith(".gz"):
        raw = gzip.decompress(raw)
    lines = raw.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    want = [[copy_field(x) for x in l.split("\t")] + [source] for l in lines[1:]]
    data = "".join(gzip.decompress(open(c, "rb").read()).decode("utf-8") for c in chunks)
    got = strict_csv(data)
    if got != want:
        for k, (g, w) in enumerate(zip(got, want)):
            if g != w:
                raise SystemExit("row %d differs:\n  got  %r\n  want %r" % (k + 1, g, w))
        raise SystemExit("%d rows, want %d" % (len(got), len(want)))
    viacsv = list(csv.reader(io.StringIO(data, newline=""), delimiter="\t", quotechar='"',
                             doublequote=True, strict=True, lineterminator="\n"))
    if viacsv != [["" if v is None else v for v in r] for r in want]:
        raise SystemExit("python's csv module reads other values")
    print("%d rows equal" % len(got))


main()

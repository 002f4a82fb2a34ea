/* entmerge.c: read entity tables back (COPY text format) and merge them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gha.h"
#include "entity.h"
#include "inmem.h"
#include "lineread.h"
#include "timefmt.h"
#include "tsv.h"

/* {"a","b"} -> a list of strings */
static int
parse_array(const char *s, char ***v, size_t *n)
{
	size_t len = strlen(s), i = 1;
	struct buf b;

	*v = NULL;
	*n = 0;
	if (len < 2 || s[0] != '{' || s[len - 1] != '}')
		return -1;
	buf_init(&b);
	while (i < len - 1) {
		b.len = 0;
		if (s[i] == '"') {
			for (i++; i < len - 1 && s[i] != '"'; i++) {
				if (s[i] == '\\')
					i++;
				buf_addc(&b, s[i]);
			}
			i++;
		} else {
			for (; i < len - 1 && s[i] != ','; i++)
				buf_addc(&b, s[i]);
		}
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = xstrdup(b.len ? b.p : "");
		if (i < len - 1 && s[i] != ',') {
			buf_free(&b);
			return -1;
		}
		i++;
	}
	buf_free(&b);
	return 0;
}

static const char *const ent_kind_names[] = { "an actors table", "a repos table",
					       "an orgs table" };

static int
parse_int(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (!*s)
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (*end || errno == ERANGE)
		return -1;
	*v = x;
	return 0;
}

/* Split a row at tabs; fields decoded into f[], NULL for \N. */
static int
split(const char *p, size_t n, struct buf *f, char **val, int want)
{
	int k = 0;
	const char *end = p + n;

	for (;;) {
		const char *t = memchr(p, '\t', (size_t)(end - p));
		size_t len = t ? (size_t)(t - p) : (size_t)(end - p);

		if (k == want)
			return -1;
		if (len == 2 && p[0] == '\\' && p[1] == 'N') {
			val[k] = NULL;
		} else {
			if (copy_unescape(p, len, &f[k]))
				return -1;
			buf_addc(&f[k], '\0');
			f[k].len--;
			val[k] = f[k].p;
		}
		k++;
		if (!t)
			break;
		p = t + 1;
	}
	return k == want ? 0 : -1;
}

static int
row(struct entset *s, char **v, const char **why)
{
	struct ent_obs o;
	int i = 0, rc = 0;

	memset(&o, 0, sizeof(o));
	if (v[0]) {
		if (parse_int(v[0], &o.id))
			return *why = "bad id", -1;
		o.has_id = 1;
	}
	if (!v[1])
		return *why = "no name", -1;
	o.name = v[1];
	o.namelen = strlen(v[1]);
	i = 2;
	if (s->kind == ENT_REPOS) {
		if ((o.owner = v[2]))
			o.ownerlen = strlen(v[2]);
		if ((o.language = v[3])) {
			o.langlen = strlen(v[3]);
			if (!v[4] || ts_parse(v[4], strlen(v[4]), &o.lang_at))
				return *why = "bad language_seen_at", -1;
		}
		i = 5;
	}
	if (!v[i] || ts_parse(v[i], strlen(v[i]), &o.first) || !v[i + 1] ||
	    ts_parse(v[i + 1], strlen(v[i + 1]), &o.last))
		return *why = "bad first_seen or last_seen", -1;
	if (!v[i + 2] || parse_int(v[i + 2], &o.events) || o.events < 0)
		return *why = "bad events count", -1;
	if (s->kind == ENT_ACTORS) {
		if (!v[i + 3] || (strcmp(v[i + 3], "t") && strcmp(v[i + 3], "f")))
			return *why = "bad is_bot", -1;
		o.is_bot = v[i + 3][0] == 't';
	}
	if (s->kind == ENT_REPOS && v[i + 3] && parse_array(v[i + 3], &o.prev, &o.nprev)) {
		*why = "bad previous_names";
		rc = -1;
	}
	if (!rc)
		entset_add(s, &o);
	while (o.nprev)
		free(o.prev[--o.nprev]);
	free(o.prev);
	return rc;
}

int
entset_merge_file(struct entset *s, int *kind_set, const char *path)
{
	struct gha_err err = { 0, "" };
	struct lineread *lr = lr_open(path, &err);
	int ret;

	if (!lr) {
		gha_warn("%s", err.msg);
		return err.code;
	}
	ret = entset_merge_lr(s, kind_set, lr, path && strcmp(path, "-") ? path : "<stdin>");
	lr_close(lr);
	return ret;
}

int
entset_merge_lr(struct entset *s, int *kind_set, struct lineread *lr, const char *name)
{
	struct gha_err err = { 0, "" };
	struct line ln;
	struct buf f[16], hdr;
	char *v[16];
	int r, i, ncols = 0, ret = GHA_OK;

	for (i = 0; i < 16; i++)
		buf_init(&f[i]);
	buf_init(&hdr);
	while ((r = lr_next(lr, &ln, &err)) > 0) {
		const char *why = NULL;

		if (lr_whole(&ln, name, &err)) {
			r = -1;
			break;
		}
		if (ln.lineno == 1) {
			int k;

			for (k = ENT_ACTORS; k <= ENT_ORGS; k++) {
				const char *const *cols = ent_columns((enum ent_kind)k, &ncols);

				hdr.len = 0;
				for (i = 0; i < ncols; i++) {
					if (i)
						buf_addc(&hdr, '\t');
					buf_adds(&hdr, cols[i]);
				}
				if (hdr.len == ln.len && !memcmp(hdr.p, ln.p, ln.len))
					break;
			}
			if (k > ENT_ORGS) {
				gha_warn("%s:1: not an actors, repos or orgs table header", name);
				ret = GHA_DATAERR;
				break;
			}
			if (*kind_set && (int)s->kind != k) {
				gha_warn("%s:1: %s cannot merge with %s", name,
					 ent_kind_names[k], ent_kind_names[s->kind]);
				ret = GHA_DATAERR;
				break;
			}
			s->kind = (enum ent_kind)k;
			*kind_set = 1;
			ent_columns(s->kind, &ncols);
			continue;
		}
		if (split(ln.p, ln.len, f, v, ncols))
			why = "wrong number of fields or a bad escape";
		else
			row(s, v, &why);
		if (why) {
			gha_warn("%s:%llu: %s", name, (unsigned long long)ln.lineno, why);
			ret = GHA_DATAERR;
			break;
		}
	}
	if (r < 0) {
		gha_warn("%s", err.msg);
		ret = err.code;
	}
	if (!*kind_set && ret == GHA_OK) {
		gha_warn("%s: empty: no header line", name);
		ret = GHA_DATAERR;
	}
	for (i = 0; i < 16; i++)
		buf_free(&f[i]);
	buf_free(&hdr);
	return ret;
}

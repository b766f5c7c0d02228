/* pp_difftab.c: "platprobe diff" of more than two results (several files, or a file of several
 * targets): one row per path that differs anywhere, one column per result, the values that are not
 * the most common one marked; two single results keep pp_diff.c's "path: a -> b" lines. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

/* A path of pp_diff_trees resolved in another tree: objects by key, named arrays ("fields") by
 * name, where a following [k] picks the k-th of that name, plain arrays by position. */
static const pp_jnode *pp_resolve(const pp_jnode *n, const pp_dstep *st, size_t ns)
{
	for (size_t i = 0; i < ns && n; i++) {
		if (st[i].index) {
			if (n->type != PP_J_ARR)
				return NULL;
			const pp_jnode *e = n->child;
			for (size_t k = 0; e && k < st[i].pos; k++)
				e = e->next;
			n = e;
		} else if (n->type == PP_J_OBJ) {
			n = pp_jget(n, st[i].key);
		} else if (n->type == PP_J_ARR) {
			size_t want = i + 1 < ns && st[i + 1].index ? st[i + 1].pos : 0;
			const pp_jnode *e = n->child;
			for (; e; e = e->next) {
				const pp_jnode *nm = e->type == PP_J_OBJ ? pp_jget(e, "name") : NULL;
				if (nm && nm->type == PP_J_STR && !strcmp(nm->str, st[i].key) && want-- == 0)
					break;
			}
			if (i + 1 < ns && st[i + 1].index)
				i++;
			n = e;
		} else {
			return NULL;
		}
	}
	return n;
}

int pp_mark_odd(char *const *cell, size_t n, int *odd)
{
	size_t best = 0, best_n = 0;
	for (size_t i = 0; i < n; i++) {
		size_t c = 0;
		for (size_t k = 0; k < n; k++)
			c += !strcmp(cell[i], cell[k]);
		if (c > best_n) {
			best_n = c;
			best = i;
		}
	}
	int any = 0;
	for (size_t i = 0; i < n; i++)
		any |= odd[i] = strcmp(cell[i], cell[best]) != 0;
	return any;
}

typedef struct pp_trow {
	char *path;
	char **cell;     /* each result's value as JSON text, or "(absent)" */
	int *odd;
} pp_trow;

static int pp_has_results(const pp_jnode *t)
{
	return pp_jget(t, "results") != NULL;
}

int pp_diff_results(const char *const *paths, size_t npaths, const char *format, char **text,
                    pp_diag *d)
{
	*text = NULL;
	int json = format && !strcmp(format, "json");
	if (format && !json && strcmp(format, "text")) {
		pp_diag_add(d, "platprobe: error: diff: unknown format '%s' (text, json)", format);
		return PP_EUSAGE;
	}
	pp_rep rp;
	if (pp_rep_load(&rp, paths, npaths, d) < 0) {
		pp_rep_free(&rp);
		return PP_EUSAGE;
	}
	if (npaths == 2 && rp.ntrees == 2 && !pp_has_results(rp.trees[0]) &&
	    !pp_has_results(rp.trees[1])) {
		int rc = pp_diff_text(rp.trees[0], rp.trees[1], paths[0], paths[1], json, text);
		pp_rep_free(&rp);
		return rc;
	}
	if (rp.n < 2) {
		pp_diag_add(d, "platprobe: error: diff needs two results or more; the files hold %zu",
		            rp.n);
		pp_rep_free(&rp);
		return PP_EUSAGE;
	}
	/* Every path that differs between the first result and any other, first-seen order. */
	pp_trow *rows = NULL;
	size_t nrows = 0, cap = 0;
	for (size_t i = 1; i < rp.n; i++) {
		pp_diffs ds = { 0 };
		pp_diff_trees(rp.r[0], rp.r[i], &ds);
		for (size_t k = 0; k < ds.n; k++) {
			char *path = pp_path_text(ds.v[k].steps, ds.v[k].nsteps);
			size_t j = 0;
			while (j < nrows && strcmp(rows[j].path, path))
				j++;
			if (j < nrows) {
				free(path);
				continue;
			}
			if (nrows == cap) {
				cap = cap ? 2 * cap : 32;
				rows = pp_xrealloc(rows, cap * sizeof *rows);
			}
			pp_trow *row = &rows[nrows++];
			row->path = path;
			row->cell = pp_xcalloc(rp.n, sizeof *row->cell);
			row->odd = pp_xcalloc(rp.n, sizeof *row->odd);
			for (size_t r = 0; r < rp.n; r++) {
				const pp_jnode *v = pp_resolve(rp.r[r], ds.v[k].steps, ds.v[k].nsteps);
				pp_buf b = PP_BUF_INIT;
				if (v)
					pp_jwrite(&b, v);
				else
					pp_buf_adds(&b, json ? "null" : "(absent)");
				row->cell[r] = pp_buf_detach(&b);
			}
			pp_mark_odd(row->cell, rp.n, row->odd);
		}
		pp_diffs_free(&ds);
	}
	pp_buf out = PP_BUF_INIT;
	if (json) {
		pp_buf_adds(&out, "{\n  \"platprobe_diff\": 2,\n  \"results\": [");
		for (size_t r = 0; r < rp.n; r++) {
			pp_buf_adds(&out, r ? ", " : "");
			pp_json_str(&out, rp.label[r], strlen(rp.label[r]));
		}
		pp_buf_adds(&out, "],\n  \"differences\": [");
		for (size_t j = 0; j < nrows; j++) {
			pp_buf_adds(&out, j ? ",\n    {\"path\": " : "\n    {\"path\": ");
			pp_json_str(&out, rows[j].path, strlen(rows[j].path));
			pp_buf_adds(&out, ", \"values\": [");
			for (size_t r = 0; r < rp.n; r++)
				pp_buf_addf(&out, "%s%s", r ? ", " : "", rows[j].cell[r]);
			pp_buf_adds(&out, "], \"odd\": [");
			for (size_t r = 0; r < rp.n; r++)
				pp_buf_addf(&out, "%s%s", r ? ", " : "", rows[j].odd[r] ? "true" : "false");
			pp_buf_adds(&out, "]}");
		}
		pp_buf_addf(&out, "%s],\n  \"same\": %s\n}\n", nrows ? "\n  " : "",
		            nrows ? "false" : "true");
	} else {
		/* Columns as wide as their widest value (at most 40); a marked value ends in '*'. */
		size_t *w = pp_xcalloc(rp.n + 1, sizeof *w);
		w[0] = 4;
		for (size_t j = 0; j < nrows; j++)
			if (strlen(rows[j].path) > w[0])
				w[0] = strlen(rows[j].path);
		for (size_t r = 0; r < rp.n; r++) {
			w[r + 1] = strlen(rp.label[r]);
			for (size_t j = 0; j < nrows; j++)
				if (strlen(rows[j].cell[r]) + 1 > w[r + 1])
					w[r + 1] = strlen(rows[j].cell[r]) + 1;
			if (w[r + 1] > 40)
				w[r + 1] = 40;
		}
		if (w[0] > 60)
			w[0] = 60;
		pp_buf_addf(&out, "%-*s", (int)w[0], "path");
		for (size_t r = 0; r < rp.n; r++)
			pp_buf_addf(&out, "  %-*s", (int)w[r + 1], rp.label[r]);
		while (out.len && out.s[out.len - 1] == ' ')
			out.s[--out.len] = 0;
		pp_buf_addc(&out, '\n');
		for (size_t j = 0; j < nrows; j++) {
			pp_buf_addf(&out, "%-*s", (int)w[0], rows[j].path);
			for (size_t r = 0; r < rp.n; r++) {
				pp_buf_addf(&out, "  %s%s", rows[j].cell[r], rows[j].odd[r] ? "*" : "");
				size_t l = strlen(rows[j].cell[r]) + (size_t)rows[j].odd[r];
				if (r + 1 < rp.n)
					pp_buf_addf(&out, "%*s", (int)(l < w[r + 1] ? w[r + 1] - l : 0), "");
			}
			pp_buf_addc(&out, '\n');
		}
		if (nrows)
			pp_buf_addf(&out, "(%zu paths differ across %zu results; * marks a value that is "
			            "not the most common one)\n", nrows, rp.n);
		free(w);
	}
	for (size_t j = 0; j < nrows; j++) {
		free(rows[j].path);
		for (size_t r = 0; r < rp.n; r++)
			free(rows[j].cell[r]);
		free(rows[j].cell);
		free(rows[j].odd);
	}
	free(rows);
	pp_rep_free(&rp);
	*text = pp_buf_detach(&out);
	return nrows ? 1 : 0;
}

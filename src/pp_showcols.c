/* pp_showcols.c: "platprobe show --target a --target b ...": the show spec probed for every target
 * at once (pp_probe_many), and each name as a table with one column per target: sizes, values,
 * and a struct's members aligned row by row by name, a value unlike the most common one marked. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

typedef struct pp_cols {
	pp_buf *b;
	size_t n;       /* targets */
	int lw, cw;     /* label and cell widths */
	int differs;    /* some row of the name differs */
} pp_cols;

/* One row: the label, then each cell; '*' after a cell unlike the most common one (ties: the
 * first), '!' at the line's start when any differs. */
static void pp_cols_row(pp_cols *c, const char *label, char **cell)
{
	int *odd = pp_xcalloc(c->n, sizeof *odd);
	int odd_any = pp_mark_odd(cell, c->n, odd);
	c->differs |= odd_any;
	pp_buf_addf(c->b, "%s %-*s", odd_any ? "!" : " ", c->lw, label);
	for (size_t i = 0; i < c->n; i++) {
		pp_buf_addf(c->b, "  %s%s", cell[i], odd[i] ? "*" : "");
		int used = (int)strlen(cell[i]) + odd[i];
		if (i + 1 < c->n && used < c->cw)
			pp_buf_addf(c->b, "%*s", c->cw - used, "");
	}
	pp_buf_addc(c->b, '\n');
	free(odd);
	for (size_t i = 0; i < c->n; i++) {
		free(cell[i]);
		cell[i] = NULL;
	}
}

static const pp_eres *pp_col_entry(const pp_result *r, enum pp_section sec, const char *name)
{
	long i = r ? pp_result_find(r, sec, name) : -1;
	return i >= 0 ? &r->e[sec][i] : NULL;
}

static char *pp_tfacts_cell(const pp_eres *e, int what)
{
	if (!e || !e->answered)
		return pp_xstrdup("-");
	if (what == 0)
		return pp_xasprintf("%llu", (unsigned long long)e->t.size);
	if (what == 1)
		return pp_xasprintf("%llu", (unsigned long long)e->t.align);
	return pp_xasprintf("%s%s", pp_kind_names[e->t.kind], e->t.is_signed < 0 ? "" :
	                    e->t.is_signed ? " signed" : " unsigned");
}

static const pp_fres *pp_col_field(const pp_eres *e, const char *name, size_t k)
{
	for (size_t i = 0; e && i < e->nfields; i++)
		if (!strcmp(e->fields[i].name, name) && e->fields[i].answered && k-- == 0)
			return &e->fields[i];
	return NULL;
}

static char *pp_field_cell(const pp_fres *f)
{
	if (!f)
		return pp_xstrdup("-");
	if (f->is_bitfield)
		return pp_xasprintf("%llu:%llu :%llu", (unsigned long long)(f->bit_offset / 8),
		                    (unsigned long long)(f->bit_offset % 8),
		                    (unsigned long long)f->bit_size);
	return pp_xasprintf("%llu +%llu", (unsigned long long)f->offset,
	                    (unsigned long long)f->t.size);
}

/* Members in the order of the first target's layout, then those only others have. */
static void pp_cols_struct(pp_cols *c, pp_result **r, const char *name, char **cell)
{
	const char *rows[] = { "size", "align" };
	for (int w = 0; w < 2; w++) {
		for (size_t i = 0; i < c->n; i++)
			cell[i] = pp_tfacts_cell(pp_col_entry(r[i], PP_STRUCTS, name), w);
		pp_cols_row(c, rows[w], cell);
	}
	pp_strv seen = { 0 };
	for (size_t t = 0; t < c->n; t++) {
		const pp_eres *e = pp_col_entry(r[t], PP_STRUCTS, name);
		for (size_t f = 0; e && f < e->nfields; f++) {
			const pp_fres *fr = &e->fields[f];
			if (!fr->answered)
				continue;
			size_t k = 0; /* anonymous members share the name "": the k-th meets the k-th */
			for (size_t g = 0; g < f; g++)
				k += !strcmp(e->fields[g].name, fr->name) && e->fields[g].answered;
			char *key = pp_xasprintf("%zu %s", k, fr->name);
			int dup = 0;
			for (size_t s = 0; s < seen.n && !dup; s++)
				dup = !strcmp(seen.v[s], key);
			if (dup) {
				free(key);
				continue;
			}
			pp_strv_push_own(&seen, key);
			for (size_t i = 0; i < c->n; i++)
				cell[i] = pp_field_cell(pp_col_field(pp_col_entry(r[i], PP_STRUCTS, name), fr->name, k));
			char *label = pp_xasprintf("  %s", *fr->name ? fr->name : "(anonymous)");
			pp_cols_row(c, label, cell);
			free(label);
		}
	}
	pp_strv_free(&seen);
	for (size_t i = 0; i < c->n; i++) {
		const pp_eres *e = pp_col_entry(r[i], PP_STRUCTS, name);
		cell[i] = e && e->answered && e->fields_complete ?
		          pp_xasprintf("%llu bits", (unsigned long long)e->pad_bits) : pp_xstrdup("-");
	}
	pp_cols_row(c, "padding", cell);
}

static char *pp_const_cell(const pp_eres *e)
{
	if (!e || !e->answered)
		return pp_xstrdup("-");
	pp_buf b = PP_BUF_INIT;
	if (e->cv == PP_CV_INT)
		pp_json_int(&b, e->u, e->neg);
	else if (e->cv == PP_CV_FLOAT)
		pp_json_double(&b, e->d);
	else
		pp_json_str(&b, e->str, e->strlen);
	return pp_buf_detach(&b);
}

/* What a name is: the first target that answers decides, as show does for one. */
static const char *pp_cols_kind(pp_result **r, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const pp_eres *st = pp_col_entry(r[i], PP_STRUCTS, name);
		if (st && st->answered && st->fields_complete)
			return st->t.kind == PP_K_UNION ? "union" : "struct";
	}
	static const struct { enum pp_section sec; const char *kind; } order[] = {
		{ PP_ENUMS, "enum" }, { PP_TYPES, "type" }, { PP_CONSTANTS, "constant" },
		{ PP_FUNCTIONS, "function" }, { PP_DEFINED, "macro" } };
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
		for (size_t i = 0; i < n; i++) {
			const pp_eres *e = pp_col_entry(r[i], order[k].sec, name);
			int need_yes = order[k].sec == PP_FUNCTIONS || order[k].sec == PP_DEFINED;
			if (e && e->answered && (!need_yes || e->yes))
				return order[k].kind;
		}
	return NULL;
}

int pp_show_targets(const pp_spec *base, const char *const *names, size_t n,
                    pp_options *const *opts, size_t nopts, char **text, pp_diag *d)
{
	*text = NULL;
	pp_spec *s = pp_show_spec(base, names, n, d);
	if (!s)
		return PP_EUSAGE;
	pp_result **r = pp_xcalloc(nopts, sizeof *r);
	int rc = pp_probe_many(s, opts, nopts, r, d);
	pp_buf b = PP_BUF_INIT;
	pp_cols c = { &b, nopts, 8, 8, 0 };
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(names[i]) + 11 > c.lw)
			c.lw = (int)strlen(names[i]) + 11; /* room for " (constant)" */
	for (size_t t = 0; t < nopts; t++) {
		const char *tr = r[t] ? pp_result_triple(r[t]) : "(failed)";
		if ((int)strlen(tr) + 1 > c.cw)
			c.cw = (int)strlen(tr) + 1;
		for (size_t k = 0; r[t] && k < s->nentries[PP_STRUCTS]; k++) {
			const pp_eres *e = &r[t]->e[PP_STRUCTS][k];
			for (size_t f = 0; f < e->nfields; f++)
				if ((int)strlen(e->fields[f].name) + 2 > c.lw)
					c.lw = (int)strlen(e->fields[f].name) + 2;
		}
	}
	if (c.lw > 40)
		c.lw = 40;
	if (c.cw < 14)
		c.cw = 14;
	char **cell = pp_xcalloc(nopts, sizeof *cell);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i];
		const char *kind = pp_cols_kind(r, nopts, nm);
		if (!kind) {
			pp_diag_add(d, "platprobe: error: \"%s\": not a type, constant, macro or function "
			            "in the given headers on any target", nm);
			bad = 1;
			continue;
		}
		char *head = pp_xasprintf("%s (%s)", nm, kind);
		pp_buf_addf(&b, "%s  %-*s", i ? "\n" : "", c.lw, head);
		free(head);
		for (size_t t = 0; t < nopts; t++)
			pp_buf_addf(&b, "  %-*s", t + 1 < nopts ? c.cw : 0,
			            r[t] ? pp_result_triple(r[t]) : "(failed)");
		pp_buf_addc(&b, '\n');
		if (!strcmp(kind, "struct") || !strcmp(kind, "union")) {
			pp_cols_struct(&c, r, nm, cell);
		} else if (!strcmp(kind, "enum")) {
			for (size_t t = 0; t < nopts; t++)
				cell[t] = pp_tfacts_cell(pp_col_entry(r[t], PP_ENUMS, nm), 0);
			pp_cols_row(&c, "size", cell);
			const pp_eres *first = NULL;
			for (size_t t = 0; t < nopts && !first; t++) {
				first = pp_col_entry(r[t], PP_ENUMS, nm);
				first = first && first->answered ? first : NULL;
			}
			for (size_t v = 0; first && v < first->nvals; v++) {
				for (size_t t = 0; t < nopts; t++) {
					const pp_eres *e = pp_col_entry(r[t], PP_ENUMS, nm);
					cell[t] = NULL;
					for (size_t w = 0; e && e->answered && w < e->nvals && !cell[t]; w++)
						if (!strcmp(e->vals[w].name, first->vals[v].name)) {
							pp_buf x = PP_BUF_INIT;
							pp_json_int(&x, e->vals[w].u, e->vals[w].neg);
							cell[t] = pp_buf_detach(&x);
						}
					if (!cell[t])
						cell[t] = pp_xstrdup("-");
				}
				char *label = pp_xasprintf("  %s", first->vals[v].name);
				pp_cols_row(&c, label, cell);
				free(label);
			}
		} else if (!strcmp(kind, "type")) {
			const char *rows[] = { "size", "align", "kind" };
			for (int w = 0; w < 3; w++) {
				for (size_t t = 0; t < nopts; t++)
					cell[t] = pp_tfacts_cell(pp_col_entry(r[t], PP_TYPES, nm), w);
				pp_cols_row(&c, rows[w], cell);
			}
		} else if (!strcmp(kind, "constant")) {
			for (size_t t = 0; t < nopts; t++)
				cell[t] = pp_const_cell(pp_col_entry(r[t], PP_CONSTANTS, nm));
			pp_cols_row(&c, "value", cell);
		} else {
			enum pp_section sec = !strcmp(kind, "function") ? PP_FUNCTIONS : PP_DEFINED;
			for (size_t t = 0; t < nopts; t++) {
				const pp_eres *e = pp_col_entry(r[t], sec, nm);
				cell[t] = pp_xstrdup(e && e->answered && e->yes ? "yes" : "no");
			}
			pp_cols_row(&c, sec == PP_FUNCTIONS ? "declared, links" : "defined", cell);
		}
	}
	if (c.differs)
		pp_buf_adds(&b, "\n(! a row that differs; * a value unlike the most common one)\n");
	free(cell);
	for (size_t t = 0; t < nopts; t++)
		pp_result_free(r[t]);
	free(r);
	pp_spec_free(s);
	*text = pp_buf_detach(&b);
	return bad ? PP_EANSWER : rc;
}

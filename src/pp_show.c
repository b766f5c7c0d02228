/* pp_show.c: "platprobe show": asks the compiler what each name is (a type, a struct or union, a
 * constant, a macro, a function) by probing it every way at once as optional entries, in one
 * spec, and prints the facts for a person. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

static long pp_find(const pp_result *r, enum pp_section sec, const char *name)
{
	for (size_t i = 0; i < r->n[sec]; i++)
		if (strcmp(r->e[sec][i].name, name) == 0)
			return (long)i;
	return -1;
}

static void pp_show_type(pp_buf *b, const pp_eres *e)
{
	const pp_tfacts *t = &e->t;
	int agg = t->kind == PP_K_STRUCT || t->kind == PP_K_UNION;
	pp_buf_addf(b, "%-8s size %llu, align %llu", agg ? pp_kind_names[t->kind] : "type",
	            (unsigned long long)t->size, (unsigned long long)t->align);
	if (t->palign != t->align)
		pp_buf_addf(b, " (preferred %llu)", (unsigned long long)t->palign);
	if (!agg)
		pp_buf_addf(b, ", %s", pp_kind_names[t->kind]);
	if (t->is_signed >= 0)
		pp_buf_adds(b, t->is_signed ? ", signed" : ", unsigned");
	if (t->kind == PP_K_ARRAY)
		pp_buf_addf(b, ", %llu elements", (unsigned long long)t->count);
}

static void pp_show_constant(pp_buf *b, const pp_eres *e, int is_macro)
{
	pp_buf_addf(b, "%-8s ", "constant");
	if (e->cv == PP_CV_INT) {
		pp_buf_addf(b, "%s ", e->csigned ? "int" : "unsigned");
		pp_json_int(b, e->u, e->neg);
		if (e->u > 9 && !e->neg)
			pp_buf_addf(b, " (0x%llx)", (unsigned long long)e->u);
	} else if (e->cv == PP_CV_FLOAT) {
		pp_buf_adds(b, "float ");
		pp_json_double(b, e->d);
	} else {
		pp_buf_adds(b, "string ");
		pp_json_str(b, e->str, e->strlen);
	}
	if (is_macro)
		pp_buf_adds(b, " (macro)");
}

int pp_show(const pp_spec *base, const char *const *names, size_t n, const pp_options *opts,
            char **text, pp_diag *d)
{
	*text = NULL;
	pp_spec *s = pp_spec_new(base && base->filename ? base->filename : "show");
	/* With no header named, the ones autoconf includes by default (AC_INCLUDES_DEFAULT). */
	static const char *const defaults[] = { "stddef.h", "stdio.h", "stdlib.h", "string.h",
		"inttypes.h", "stdint.h", "sys/types.h", "sys/stat.h", "unistd.h", NULL };
	if (!base || !base->headers.n)
		for (size_t i = 0; defaults[i]; i++)
			pp_strv_push(&s->headers, defaults[i]);
	if (base) {
		for (size_t i = 0; i < base->headers.n; i++)
			pp_strv_push(&s->headers, base->headers.v[i]);
		for (size_t i = 0; i < base->ndefines; i++)
			pp_spec_add_define(s, base->defines[i].name, base->defines[i].value, d);
		for (size_t i = 0; i < base->cflags.n; i++)
			pp_strv_push(&s->cflags, base->cflags.v[i]);
		for (size_t i = 0; i < base->include_dirs.n; i++)
			pp_strv_push(&s->include_dirs, base->include_dirs.v[i]);
		for (size_t i = 0; i < base->libs.n; i++)
			pp_strv_push(&s->libs, base->libs.v[i]);
	}
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i];
		int any = 0;
		if (pp_name_is_type(nm))
			any |= pp_spec_add_entry(s, PP_TYPES, nm, 1, NULL) == 0;
		if (pp_name_is_const_expr(nm))
			any |= pp_spec_add_entry(s, PP_CONSTANTS, nm, 1, NULL) == 0;
		if (pp_name_is_ident(nm)) {
			any |= pp_spec_add_entry(s, PP_DEFINED, nm, 1, NULL) == 0;
			any |= pp_spec_add_entry(s, PP_FUNCTIONS, nm, 1, NULL) == 0;
		}
		if (!any) {
			pp_diag_add(d, "platprobe: error: \"%s\" is not a C name, type name or constant "
			            "expression", nm);
			bad = 1;
		}
	}
	if (bad) {
		pp_spec_free(s);
		return PP_EUSAGE;
	}
	pp_result *r = NULL;
	int rc = pp_probe(s, opts, &r, d);
	if (!r) {
		pp_spec_free(s);
		return rc;
	}
	size_t width = 0;
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) > width)
			width = strlen(names[i]);
	if (width > 32)
		width = 32;
	pp_buf b = PP_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i];
		long t = pp_find(r, PP_TYPES, nm), c = pp_find(r, PP_CONSTANTS, nm);
		long m = pp_find(r, PP_DEFINED, nm), f = pp_find(r, PP_FUNCTIONS, nm);
		int is_macro = m >= 0 && r->e[PP_DEFINED][m].yes;
		size_t before = b.len;
		pp_buf_addf(&b, "%-*s  ", (int)width, nm);
		if (t >= 0 && r->e[PP_TYPES][t].answered)
			pp_show_type(&b, &r->e[PP_TYPES][t]);
		else if (c >= 0 && r->e[PP_CONSTANTS][c].answered)
			pp_show_constant(&b, &r->e[PP_CONSTANTS][c], is_macro);
		else if (f >= 0 && r->e[PP_FUNCTIONS][f].yes)
			pp_buf_addf(&b, "%-8s declared, links", "function");
		else if (is_macro)
			pp_buf_addf(&b, "%-8s defined; its value is not a compile-time integer, float or "
			            "string constant%s", "macro", opts->mode == PP_MODE_OBJECT ?
			            " (try --mode run)" : "");
		else {
			b.len = before;
			b.s[b.len] = 0;
			pp_diag_add(d, "platprobe: error: \"%s\": not a type, constant, macro or function "
			            "in the given headers", nm);
			bad = 1;
			continue;
		}
		pp_buf_addc(&b, '\n');
	}
	pp_result_free(r);
	pp_spec_free(s);
	*text = pp_buf_detach(&b);
	return bad ? PP_EANSWER : PP_OK;
}

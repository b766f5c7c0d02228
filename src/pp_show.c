/* pp_show.c: "platprobe show": asks the compiler what each name is (a type, a struct or union, an
 * enum, a constant, a macro, a function) by probing it every way at once as optional entries, in
 * one spec, and prints the facts for a person (a struct's whole layout, pahole-like) or as JSON. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

long pp_result_find(const pp_result *r, enum pp_section sec, const char *name)
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

static size_t pp_type_width(const pp_fres *f, size_t n, size_t w)
{
	for (size_t i = 0; i < n; i++) {
		if (f[i].type && strlen(f[i].type) > w)
			w = strlen(f[i].type);
		w = pp_type_width(f[i].sub, f[i].nsub, w);
	}
	return w;
}

/* A gap as "3 bytes 5 bits". */
static void pp_show_bits(pp_buf *b, uint64_t bits)
{
	if (bits >= 8)
		pp_buf_addf(b, "%llu byte%s", (unsigned long long)(bits / 8), bits / 8 == 1 ? "" : "s");
	if (bits % 8)
		pp_buf_addf(b, "%s%llu bit%s", bits >= 8 ? " " : "", (unsigned long long)(bits % 8),
		            bits % 8 == 1 ? "" : "s");
}

/* One row per member: offset (byte:bit for bit-fields), size (:bits), type, name; nested members
 * indented under theirs; holes and padding as rows of their own. */
static void pp_show_rows(pp_buf *b, const pp_fres *f, size_t n, int depth, int tw)
{
	for (size_t i = 0; i < n; i++) {
		const pp_fres *fr = &f[i];
		char off[48], size[32];
		if (fr->is_bitfield) {
			snprintf(off, sizeof off, "%llu:%llu", (unsigned long long)(fr->bit_offset / 8),
			         (unsigned long long)(fr->bit_offset % 8));
			snprintf(size, sizeof size, ":%llu", (unsigned long long)fr->bit_size);
		} else {
			snprintf(off, sizeof off, "%llu", (unsigned long long)fr->offset);
			snprintf(size, sizeof size, "%llu", (unsigned long long)fr->t.size);
		}
		const char *nm = fr->name;
		/* Nested members are named by their path; the row shows the last step. */
		const char *dot = strrchr(nm, '.');
		pp_buf_addf(b, "  %8s %6s  %-*s  %*s%s\n", off, size, tw, fr->type ? fr->type : "",
		            2 * depth, "", *nm ? (dot ? dot + 1 : nm) : "(anonymous)");
		if (fr->has_layout) {
			pp_show_rows(b, fr->sub, fr->nsub, depth + 1, tw);
			if (fr->pad_bits) {
				pp_buf_addf(b, "  %8s %6s  %-*s  %*s(padding: ", "", "", tw, "", 2 * depth + 2, "");
				pp_show_bits(b, fr->pad_bits);
				pp_buf_adds(b, ")\n");
			}
		}
		if (fr->hole_bits) {
			pp_buf_addf(b, "  %8s %6s  %-*s  %*s(hole: ", "", "", tw, "", 2 * depth, "");
			pp_show_bits(b, fr->hole_bits);
			pp_buf_adds(b, ")\n");
		}
	}
}

static void pp_show_layout(pp_buf *b, const pp_eres *e)
{
	pp_show_type(b, e);
	pp_buf_addc(b, '\n');
	int tw = (int)pp_type_width(e->fields, e->nfields, 4);
	if (tw > 48)
		tw = 48;
	pp_buf_addf(b, "  %8s %6s  %-*s  %s\n", "offset", "size", tw, "type", "name");
	pp_show_rows(b, e->fields, e->nfields, 0, tw);
	pp_buf_addf(b, "  %8s %6s  %-*s  (padding: ", "", "", tw, "");
	if (e->pad_bits)
		pp_show_bits(b, e->pad_bits);
	else
		pp_buf_adds(b, "none");
	pp_buf_adds(b, ")");
}

static void pp_show_enum(pp_buf *b, const pp_eres *e)
{
	pp_buf_addf(b, "%-8s size %llu, align %llu, %s", "enum", (unsigned long long)e->t.size,
	            (unsigned long long)e->t.align, e->t.is_signed > 0 ? "signed" : "unsigned");
	for (size_t v = 0; v < e->nvals; v++) {
		pp_buf_addf(b, "\n  %s = ", e->vals[v].name);
		pp_json_int(b, e->vals[v].u, e->vals[v].neg);
	}
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
	return pp_show_format(base, names, n, opts, "text", text, d);
}

/* Keeps the entry of one name in one section for the JSON form; every other one is left out. */
static void pp_keep(enum pp_section sec, long i, unsigned char **keep)
{
	if (i >= 0)
		keep[sec][i] = 1;
}

pp_spec *pp_show_spec(const pp_spec *base, const char *const *names, size_t n, pp_diag *d)
{
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
		if (pp_name_is_type(nm)) {
			any |= pp_spec_add_entry(s, PP_TYPES, nm, 1, NULL) == 0;
			pp_spec_add_entry(s, PP_STRUCTS, nm, 1, NULL);
			pp_spec_add_entry(s, PP_ENUMS, nm, 1, NULL);
		}
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
		return NULL;
	}
	return s;
}

int pp_show_format(const pp_spec *base, const char *const *names, size_t n, const pp_options *opts,
                   const char *format, char **text, pp_diag *d)
{
	int json = format && strcmp(format, "json") == 0;
	*text = NULL;
	pp_spec *s = pp_show_spec(base, names, n, d);
	if (!s)
		return PP_EUSAGE;
	int bad = 0;
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
	unsigned char *keep[PP_NSECTIONS];
	for (int sec = 0; sec < PP_NSECTIONS; sec++)
		keep[sec] = pp_xcalloc(r->n[sec] + 1, 1);
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i];
		long t = pp_result_find(r, PP_TYPES, nm), c = pp_result_find(r, PP_CONSTANTS, nm);
		long m = pp_result_find(r, PP_DEFINED, nm), f = pp_result_find(r, PP_FUNCTIONS, nm);
		long st = pp_result_find(r, PP_STRUCTS, nm), en = pp_result_find(r, PP_ENUMS, nm);
		int is_macro = m >= 0 && r->e[PP_DEFINED][m].yes;
		size_t before = b.len;
		pp_buf_addf(&b, "%-*s  ", (int)width, nm);
		if (st >= 0 && r->e[PP_STRUCTS][st].answered && r->e[PP_STRUCTS][st].fields_complete > 0) {
			pp_show_layout(&b, &r->e[PP_STRUCTS][st]);
			pp_keep(PP_STRUCTS, st, keep);
		} else if (en >= 0 && r->e[PP_ENUMS][en].answered) {
			pp_show_enum(&b, &r->e[PP_ENUMS][en]);
			pp_keep(PP_ENUMS, en, keep);
		} else if (t >= 0 && r->e[PP_TYPES][t].answered) {
			pp_show_type(&b, &r->e[PP_TYPES][t]);
			pp_keep(st >= 0 && r->e[PP_STRUCTS][st].answered ? PP_STRUCTS : PP_TYPES,
			        st >= 0 && r->e[PP_STRUCTS][st].answered ? st : t, keep);
		}
		else if (c >= 0 && r->e[PP_CONSTANTS][c].answered) {
			pp_show_constant(&b, &r->e[PP_CONSTANTS][c], is_macro);
			pp_keep(PP_CONSTANTS, c, keep);
		} else if (f >= 0 && r->e[PP_FUNCTIONS][f].yes) {
			pp_buf_addf(&b, "%-8s declared, links", "function");
			if (r->e[PP_FUNCTIONS][f].proto) {
				pp_buf_adds(&b, ": ");
				pp_proto_text(&b, r->e[PP_FUNCTIONS][f].proto);
			}
			pp_keep(PP_FUNCTIONS, f, keep);
		} else if (is_macro) {
			pp_buf_addf(&b, "%-8s defined; its value is not a compile-time integer, float or "
			            "string constant%s", "macro", opts->mode == PP_MODE_OBJECT ?
			            " (try --mode run)" : "");
			pp_keep(PP_DEFINED, m, keep);
		} else {
			pp_buf_truncate(&b, before);
			pp_diag_add(d, "platprobe: error: \"%s\": not a type, constant, macro or function "
			            "in the given headers", nm);
			bad = 1;
			continue;
		}
		pp_buf_addc(&b, '\n');
	}
	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		for (size_t i = 0; i < r->n[sec]; i++)
			r->e[sec][i].omit = !keep[sec][i];
		free(keep[sec]);
	}
	if (json) {
		pp_buf_free(&b);
		*text = pp_result_format(r, "json", NULL, d);
	} else {
		*text = pp_buf_detach(&b);
	}
	pp_result_free(r);
	pp_spec_free(s);
	return bad ? PP_EANSWER : PP_OK;
}

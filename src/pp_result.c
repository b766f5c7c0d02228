/* pp_result.c: renders a result as the JSON result format (DESIGN.md section 4) or as an
 * autoconf-style C header. Entries keep spec order; fields are already sorted by offset. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

const char *const pp_kind_names[] = { "int", "float", "pointer", "struct", "union", "array", "enum",
	"function", "complex", "void", "other" };

char *pp_macro_name(const char *s)
{
	pp_buf b = PP_BUF_INIT;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '*')
			pp_buf_addc(&b, 'P');
		else if (isalnum(c))
			pp_buf_addc(&b, (char)toupper(c));
		else
			pp_buf_addc(&b, '_');
	}
	return pp_buf_detach(&b);
}

void pp_data_model_sizes(const char *model, unsigned *int_size, unsigned *long_size)
{
	static const struct { const char *model; unsigned i, l; } dm[] = { { "ILP32", 4, 4 },
		{ "LP64", 4, 8 }, { "LLP64", 4, 4 }, { "ILP64", 8, 8 }, { "LP32", 2, 4 } };
	*int_size = *long_size = 0;
	for (size_t i = 0; model && i < sizeof dm / sizeof dm[0]; i++)
		if (!strcmp(model, dm[i].model)) {
			*int_size = dm[i].i;
			*long_size = dm[i].l;
		}
}

void pp_fres_clear(pp_fres *f)
{
	free(f->name);
	free(f->type);
	free(f->dims);
	free(f->elem_type);
	for (size_t i = 0; i < f->nsub; i++)
		pp_fres_clear(&f->sub[i]);
	free(f->sub);
	memset(f, 0, sizeof *f);
}

void pp_eres_clear(pp_eres *e)
{
	free(e->name);
	free(e->as);
	free(e->str);
	free(e->soname);
	free(e->path);
	for (size_t f = 0; f < e->nfields; f++)
		pp_fres_clear(&e->fields[f]);
	free(e->fields);
	for (size_t v = 0; v < e->nvals; v++)
		free(e->vals[v].name);
	free(e->vals);
	pp_proto_free(e->proto);
	memset(e, 0, sizeof *e);
}

/* ---- JSON ---- */

static void pp_json_key(pp_buf *b, const char *k)
{
	pp_json_str(b, k, strlen(k));
	pp_buf_adds(b, ": ");
}

void pp_json_tfacts(pp_buf *b, const pp_tfacts *t, int with_align)
{
	pp_buf_addf(b, "\"size\": %llu", (unsigned long long)t->size);
	if (with_align) {
		pp_buf_addf(b, ", \"align\": %llu", (unsigned long long)t->align);
		if (t->palign != t->align)
			pp_buf_addf(b, ", \"preferred_align\": %llu", (unsigned long long)t->palign);
	}
	pp_buf_addf(b, ", \"kind\": \"%s\"", pp_kind_names[t->kind]);
	if (t->is_signed >= 0)
		pp_buf_addf(b, ", \"signed\": %s", t->is_signed ? "true" : "false");
	if (t->kind == PP_K_ARRAY)
		pp_buf_addf(b, ", \"count\": %llu", (unsigned long long)t->count);
}

/* Unused bits as whole bytes, then the bits left over: what a binding emits as pad members. */
static void pp_json_gap(pp_buf *b, const char *bytes_key, const char *bits_key, uint64_t bits,
                        int always)
{
	if (bits >= 8 || always)
		pp_buf_addf(b, ", \"%s\": %llu", bytes_key, (unsigned long long)(bits / 8));
	if (bits % 8)
		pp_buf_addf(b, ", \"%s\": %llu", bits_key, (unsigned long long)(bits % 8));
}

static void pp_json_fields(pp_buf *b, const pp_fres *f, size_t n, int depth);

void pp_json_fres_type(pp_buf *b, const pp_fres *fr)
{
	pp_json_tfacts(b, &fr->t, 0);
	if (fr->type) {
		pp_buf_adds(b, ", ");
		pp_json_key(b, "type");
		pp_json_str(b, fr->type, strlen(fr->type));
	}
	if (fr->ndims) {
		pp_buf_adds(b, ", \"dims\": [");
		for (size_t i = 0; i < fr->ndims; i++)
			pp_buf_addf(b, "%s%llu", i ? ", " : "", (unsigned long long)fr->dims[i]);
		pp_buf_adds(b, "], \"element\": {");
		pp_json_tfacts(b, &fr->elem, 0);
		if (fr->elem_type) {
			pp_buf_adds(b, ", ");
			pp_json_key(b, "type");
			pp_json_str(b, fr->elem_type, strlen(fr->elem_type));
		}
		pp_buf_addc(b, '}');
		if (!fr->dims[0])
			pp_buf_adds(b, ", \"flexible\": true");
	}
}

static void pp_json_field(pp_buf *b, const pp_fres *fr, int depth)
{
	pp_buf_addc(b, '{');
	pp_json_key(b, "name");
	pp_json_str(b, fr->name, strlen(fr->name));
	pp_buf_addf(b, ", \"offset\": %llu, ", (unsigned long long)fr->offset);
	pp_json_fres_type(b, fr);
	if (fr->is_bitfield)
		pp_buf_addf(b, ", \"bit_offset\": %llu, \"bit_size\": %llu",
		            (unsigned long long)fr->bit_offset, (unsigned long long)fr->bit_size);
	pp_json_gap(b, "hole_after", "bit_hole_after", fr->hole_bits, 0);
	if (fr->has_layout) {
		pp_json_gap(b, "padding", "bit_padding", fr->pad_bits, 1);
		pp_buf_adds(b, ", \"fields\": [");
		pp_json_fields(b, fr->sub, fr->nsub, depth + 1);
		pp_buf_addc(b, ']');
	}
	pp_buf_addc(b, '}');
}

static void pp_json_fields(pp_buf *b, const pp_fres *f, size_t n, int depth)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!f[i].answered)
			continue;
		pp_buf_addf(b, "%s\n%*s", k++ ? "," : "", 6 + 2 * depth, "");
		pp_json_field(b, &f[i], depth);
	}
}

static void pp_json_section_open(pp_buf *b, const char *name, size_t n)
{
	pp_buf_adds(b, ",\n  ");
	pp_json_key(b, name);
	pp_buf_adds(b, n ? "{\n" : "{");
}

static void pp_json_section_close(pp_buf *b, size_t n)
{
	pp_buf_adds(b, n ? "\n  }" : "}");
}

/* The C type of each constant ("constant_types"): what a header needs to spell the value again
 * (U for unsigned) and a binding to declare it, so a saved result can stand in for a probe. */
static void pp_json_constant_types(pp_buf *b, const pp_result *r)
{
	/* The entries the constants section leaves out (show's names of other kinds) too. */
	size_t n = 0, k = 0;
	for (size_t i = 0; i < r->n[PP_CONSTANTS]; i++)
		n += !r->e[PP_CONSTANTS][i].omit;
	pp_json_section_open(b, "constant_types", n);
	for (size_t i = 0; i < r->n[PP_CONSTANTS]; i++) {
		const pp_eres *e = &r->e[PP_CONSTANTS][i];
		if (e->omit)
			continue;
		pp_buf_adds(b, k++ ? ",\n    " : "    ");
		pp_json_key(b, e->name);
		if (!e->answered) {
			pp_buf_adds(b, "null");
			continue;
		}
		pp_tfacts t = { (uint64_t)e->csize, 0, 0, (uint64_t)e->csize, PP_K_INT, -1 };
		if (e->cv == PP_CV_FLOAT)
			t.kind = PP_K_FLOAT;
		else if (e->cv == PP_CV_STRING)
			t.kind = PP_K_ARRAY;
		else if (e->cptr)
			t.kind = PP_K_POINTER;
		else
			t.is_signed = e->csigned;
		pp_buf_addc(b, '{');
		pp_json_tfacts(b, &t, 0);
		pp_buf_addc(b, '}');
	}
	pp_json_section_close(b, n);
}

static void pp_json_opt_str(pp_buf *b, const char *key, const char *s)
{
	pp_buf_adds(b, ", ");
	pp_json_key(b, key);
	if (s)
		pp_json_str(b, s, strlen(s));
	else
		pp_buf_adds(b, "null");
}

/* {"links": bool, "soname": ..., "path": ...}: soname and path null when nothing is loaded. */
static void pp_json_library(pp_buf *b, const pp_eres *e)
{
	pp_buf_addf(b, "{\"links\": %s", e->yes && e->answered ? "true" : "false");
	pp_json_opt_str(b, "soname", e->soname);
	pp_json_opt_str(b, "path", e->path);
	pp_buf_addc(b, '}');
}

void pp_json_result(pp_buf *b, const pp_result *r)
{
	const pp_target *t = &r->target;
	pp_buf_adds(b, "{\n  \"platprobe\": 1,\n  \"target\": {");
	pp_json_key(b, "triple");
	pp_json_str(b, t->triple, strlen(t->triple));
	pp_buf_adds(b, ", ");
	pp_json_key(b, "compiler");
	pp_json_str(b, t->compiler, strlen(t->compiler));
	pp_buf_adds(b, ", ");
	pp_json_key(b, "compiler_version");
	pp_json_str(b, t->compiler_version, strlen(t->compiler_version));
	pp_buf_addf(b, ", \"endian\": \"%s\", \"char_signed\": %s, \"pointer_size\": %u, ",
	            t->big_endian ? "big" : "little", t->char_signed ? "true" : "false",
	            t->pointer_size);
	/* Escaped like every string: from --from it is whatever the saved result said. */
	pp_json_key(b, "data_model");
	pp_json_str(b, t->data_model, strlen(t->data_model));
	pp_buf_addc(b, '}');

	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		size_t n = 0, k = 0;
		for (size_t i = 0; i < r->n[sec]; i++)
			n += !r->e[sec][i].omit;
		pp_json_section_open(b, pp_section_names[sec], n);
		for (size_t i = 0; i < r->n[sec]; i++) {
			const pp_eres *e = &r->e[sec][i];
			if (e->omit)
				continue;
			pp_buf_adds(b, k++ ? ",\n    " : "    ");
			pp_json_key(b, e->name);
			if (sec == PP_DEFINED || sec == PP_FUNCTIONS) {
				pp_buf_adds(b, e->yes && e->answered ? "true" : "false");
				continue;
			}
			if (sec == PP_LIBRARIES) {
				pp_json_library(b, e);
				continue;
			}
			if (!e->answered) {
				pp_buf_adds(b, "null");
				continue;
			}
			if (sec == PP_CONSTANTS) {
				if (e->cv == PP_CV_INT)
					pp_json_int(b, e->u, e->neg);
				else if (e->cv == PP_CV_FLOAT)
					pp_json_double(b, e->d);
				else
					pp_json_str(b, e->str, e->strlen);
				continue;
			}
			pp_buf_addc(b, '{');
			pp_json_tfacts(b, &e->t, 1);
			if (e->fields_complete > 0) {
				pp_buf_adds(b, ", \"fields_complete\": true");
				pp_json_gap(b, "padding", "bit_padding", e->pad_bits, 1);
			} else if (e->fields_complete < 0) {
				pp_buf_adds(b, ", \"fields_complete\": false");
			}
			if (sec == PP_STRUCTS && (e->nfields || e->fields_complete > 0)) {
				pp_buf_adds(b, ", \"fields\": [");
				pp_json_fields(b, e->fields, e->nfields, 0);
				pp_buf_adds(b, "]");
			}
			if (sec == PP_ENUMS) {
				pp_buf_adds(b, ", \"values\": {");
				for (size_t v = 0; v < e->nvals; v++) {
					pp_buf_adds(b, v ? ", " : "");
					pp_json_key(b, e->vals[v].name);
					pp_json_int(b, e->vals[v].u, e->vals[v].neg);
				}
				pp_buf_addc(b, '}');
			}
			pp_buf_addc(b, '}');
		}
		pp_json_section_close(b, n);
	}
	pp_json_constant_types(b, r);
	pp_json_prototypes(b, r);
	pp_buf_adds(b, "\n}\n");
}

/* ---- C header ---- */

void pp_c_string(pp_buf *b, const char *s, size_t n)
{
	pp_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c == '?')
			pp_buf_addf(b, "\\%c", c); /* '?' too: no trigraph may form */
		else if (c < 0x20 || c >= 0x7f)
			pp_buf_addf(b, "\\%03o", c);
		else
			pp_buf_addc(b, (char)c);
	}
	pp_buf_addc(b, '"');
}

void pp_c_int(pp_buf *b, const pp_eres *e)
{
	if (e->neg) {
		long long v = (long long)e->u;
		if (v == INT64_MIN)
			pp_buf_adds(b, "(-9223372036854775807LL-1)");
		else if (v == -2147483647LL - 1)
			pp_buf_adds(b, "(-2147483647-1)");
		else
			pp_buf_addf(b, "(%lld%s)", v, v < -2147483647LL ? "LL" : "");
		return;
	}
	unsigned long long u = (unsigned long long)e->u;
	if (e->csigned)
		pp_buf_addf(b, "%llu%s", u, u > 2147483647ULL ? "LL" : "");
	else
		pp_buf_addf(b, "%lluU%s", u, u > 4294967295ULL ? "LL" : "");
}

static void pp_c_double(pp_buf *b, double d)
{
	if (isnan(d)) {
		pp_buf_adds(b, "(__builtin_nan(\"\"))");
	} else if (isinf(d)) {
		pp_buf_adds(b, d < 0 ? "(-__builtin_inf())" : "(__builtin_inf())");
	} else {
		pp_buf tmp = PP_BUF_INIT;
		pp_json_double(&tmp, d);
		if (d < 0)
			pp_buf_addf(b, "(%s)", pp_buf_str(&tmp));
		else
			pp_buf_adds(b, pp_buf_str(&tmp));
		pp_buf_free(&tmp);
	}
}

/* The header being written, and the macros it already defines: a name asked twice (a type in
 * "types" and "structs", "void *" and the target's SIZEOF_VOID_P) is written once. */
typedef struct pp_hdr {
	pp_buf *b;
	const char *prefix;
	pp_strv seen;
} pp_hdr;

static void pp_h_define(pp_hdr *h, const char *kind, const char *name, const char *value)
{
	char *m = pp_xasprintf("%s%s", kind, name);
	char *macro = pp_macro_name(m);
	free(m);
	for (size_t i = 0; i < h->seen.n; i++)
		if (strcmp(h->seen.v[i], macro) == 0) {
			free(macro);
			return;
		}
	if (value)
		pp_buf_addf(h->b, "#define %s%s %s\n", h->prefix, macro, value);
	else
		pp_buf_addf(h->b, "/* #undef %s%s */\n", h->prefix, macro);
	pp_strv_push_own(&h->seen, macro);
}

static void pp_h_u64(pp_hdr *h, const char *kind, const char *name, uint64_t v)
{
	char num[32];
	snprintf(num, sizeof num, "%llu", (unsigned long long)v);
	pp_h_define(h, kind, name, num);
}

/* One HAVE_ and OFFSETOF_ (BITOFFSETOF_, BITSIZEOF_) per member, nested ones too; an anonymous
 * struct or union has no name to give, only its members. */
static void pp_h_fields(pp_hdr *h, const char *sname, const pp_fres *fs, size_t n)
{
	for (size_t f = 0; f < n; f++) {
		const pp_fres *fr = &fs[f];
		char *full = pp_xasprintf("%s_%s", sname, fr->name);
		if (!*fr->name) {
			/* nothing to name */
		} else if (!fr->answered) {
			pp_h_define(h, "HAVE_", full, NULL);
		} else if (fr->is_bitfield) {
			pp_h_define(h, "HAVE_", full, "1");
			pp_h_u64(h, "BITOFFSETOF_", full, fr->bit_offset);
			pp_h_u64(h, "BITSIZEOF_", full, fr->bit_size);
		} else {
			pp_h_define(h, "HAVE_", full, "1");
			pp_h_u64(h, "OFFSETOF_", full, fr->offset);
		}
		free(full);
		pp_h_fields(h, sname, fr->sub, fr->nsub);
	}
}

/* Text inside a block comment: a backslash goes between '*' and '/' either way round, so nothing
 * a name or a saved result holds can end the comment (and leave the rest of it to the compiler as
 * code) or open one inside it (-Wcomment, an error under -Werror). */
static void pp_c_comment(pp_buf *b, const char *s)
{
	for (; *s; s++) {
		pp_buf_addc(b, *s);
		if ((*s == '*' && s[1] == '/') || (*s == '/' && s[1] == '*'))
			pp_buf_addc(b, '\\');
	}
}

void pp_header_result(pp_buf *b, const pp_result *r, const char *prefix)
{
	char *guard = pp_macro_name(prefix);
	pp_buf_addf(b, "/* Generated by platprobe %s for ", PP_VERSION);
	pp_c_comment(b, r->target.triple);
	pp_buf_adds(b, " (");
	pp_c_comment(b, r->target.compiler);
	pp_buf_adds(b, ", ");
	pp_c_comment(b, r->target.compiler_version);
	pp_buf_adds(b, "). Do not edit. */\n");
	pp_buf_addf(b, "#ifndef %sPLATPROBE_CONFIG_H\n#define %sPLATPROBE_CONFIG_H\n", guard, guard);
	free(guard);
	pp_buf_adds(b, "\n");
	pp_hdr h = { b, prefix, { 0 } };
	pp_h_u64(&h, "SIZEOF_", "void *", r->target.pointer_size);
	pp_buf_addf(b, "#define %sWORDS_BIGENDIAN %d\n", prefix, r->target.big_endian);
	pp_buf_addf(b, "#define %sCHAR_IS_SIGNED %d\n", prefix, r->target.char_signed);
	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		if (r->n[sec])
			pp_buf_addf(b, "\n/* %s */\n", pp_section_names[sec]);
		for (size_t i = 0; i < r->n[sec]; i++) {
			const pp_eres *e = &r->e[sec][i];
			switch (sec) {
			case PP_TYPES:
			case PP_STRUCTS:
			case PP_ENUMS:
				if (!e->answered) {
					/* As autoconf's AC_CHECK_SIZEOF: a missing type has size 0. */
					pp_h_define(&h, "SIZEOF_", e->name, "0");
					pp_h_define(&h, "ALIGNOF_", e->name, NULL);
					break;
				}
				pp_h_u64(&h, "SIZEOF_", e->name, e->t.size);
				pp_h_u64(&h, "ALIGNOF_", e->name, e->t.align);
				pp_h_fields(&h, e->name, e->fields, e->nfields);
				break;
			case PP_CONSTANTS: {
				if (!pp_name_is_ident(e->name)) {
					pp_buf lit = PP_BUF_INIT;
					pp_c_string(&lit, e->name, strlen(e->name));
					pp_buf_adds(b, "/* constant ");
					pp_c_comment(b, pp_buf_str(&lit));
					pp_buf_free(&lit);
					pp_buf_adds(b, " is an expression: no macro */\n");
					break;
				}
				if (!e->answered) {
					pp_h_define(&h, "VALUE_", e->name, NULL);
					break;
				}
				pp_buf v = PP_BUF_INIT;
				if (e->cv == PP_CV_INT)
					pp_c_int(&v, e);
				else if (e->cv == PP_CV_FLOAT)
					pp_c_double(&v, e->d);
				else
					pp_c_string(&v, e->str, e->strlen);
				pp_h_define(&h, "VALUE_", e->name, pp_buf_str(&v));
				pp_buf_free(&v);
				break;
			}
			case PP_DEFINED:
				pp_h_define(&h, "HAVE_DECL_", e->name, e->yes && e->answered ? "1" : "0");
				break;
			case PP_FUNCTIONS:
				pp_h_define(&h, "HAVE_", e->name, e->yes && e->answered ? "1" : NULL);
				break;
			case PP_LIBRARIES: {
				/* autoconf's AC_CHECK_LIB names, and the soname to load */
				pp_h_define(&h, "HAVE_LIB", e->name, e->yes && e->answered ? "1" : NULL);
				pp_buf v = PP_BUF_INIT;
				if (e->soname)
					pp_c_string(&v, e->soname, strlen(e->soname));
				pp_h_define(&h, "SONAME_LIB", e->name, e->soname ? pp_buf_str(&v) : NULL);
				pp_buf_free(&v);
				break;
			}
			}
		}
	}
	pp_buf_adds(b, "\n#endif\n");
	pp_strv_free(&h.seen);
}

char *pp_results_format(pp_result *const *r, size_t n, pp_diag *d)
{
	(void)d;
	pp_buf b = PP_BUF_INIT, one = PP_BUF_INIT;
	pp_buf_adds(&b, "{\n  \"platprobe\": 1,\n  \"results\": [");
	for (size_t i = 0; i < n; i++) {
		pp_buf_reset(&one);
		pp_json_result(&one, r[i]);
		pp_buf_adds(&b, i ? ",\n    " : "\n    ");
		/* Each result as it stands alone, indented one level deeper. */
		for (size_t k = 0; k + 1 < one.len; k++) {
			pp_buf_addc(&b, one.s[k]);
			if (one.s[k] == '\n')
				pp_buf_adds(&b, "    ");
		}
	}
	pp_buf_adds(&b, "\n  ]\n}\n");
	pp_buf_free(&one);
	return pp_buf_detach(&b);
}

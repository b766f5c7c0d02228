/* pp_decode.c: turns an answer table into the result: each live item's slots and values, read
 * by name; then every entry's state into an answer, null, or an error naming it. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pp_job.h"

/* A slot's value; 0 when the item has no such slot. A yes/no answer is read as slot != 0: the
 * table holds C's 0 or 1, and anything else must still mean what the result (true) says. */
static uint64_t pp_slot(const pp_table *t, const pp_item *it, const char *name)
{
	long i = pp_item_slot(it, name);
	return i < 0 ? 0 : pp_table_slot(t, (size_t)i);
}

static void pp_tfacts_read(const pp_table *t, const pp_item *it, pp_tfacts *f, const char *name)
{
	memset(f, 0, sizeof *f);
	f->size = pp_slot(t, it, "size");
	f->align = pp_slot(t, it, "align");
	f->palign = pp_slot(t, it, "palign");
	uint64_t cls = pp_slot(t, it, "class"), shape = pp_slot(t, it, "shape");
	uint64_t elem = pp_slot(t, it, "elem");
	f->is_signed = -1;
	if (shape == 2) {
		f->kind = PP_K_FUNCTION;
	} else if (shape == 1 || cls == 14) {
		f->kind = PP_K_ARRAY;
		f->count = elem ? f->size / elem : 0;
	} else {
		switch (cls) {
		case 0: f->kind = PP_K_VOID; break;
		case 1: case 2: case 4: f->kind = PP_K_INT; break;
		case 3: f->kind = PP_K_ENUM; break;
		case 5: f->kind = PP_K_POINTER; break;
		case 8: f->kind = PP_K_FLOAT; break;
		case 9: f->kind = PP_K_COMPLEX; break;
		case 12: f->kind = PP_K_STRUCT; break;
		case 13: f->kind = PP_K_UNION; break;
		default: f->kind = PP_K_OTHER; break;
		}
	}
	/* GNU C's classifier calls enums integers; a name written "enum TAG" is one for sure. */
	if (f->kind == PP_K_INT && name && strncmp(name, "enum", 4) == 0 &&
	    (name[4] == ' ' || name[4] == '\t'))
		f->kind = PP_K_ENUM;
	if (f->kind == PP_K_INT || f->kind == PP_K_ENUM)
		f->is_signed = pp_slot(t, it, "signed") != 0;
}

static const unsigned char *pp_value_bytes(const pp_table *t, const pp_item *it, const char *name,
                                           size_t *n)
{
	const pp_slotname *v = pp_item_value(it, name);
	if (!v)
		return NULL;
	uint64_t off = pp_table_slot(t, v->slot), size = pp_table_slot(t, v->slot + 1);
	if (off > t->size || size > t->size - off)
		return NULL;
	*n = (size_t)size;
	return t->base + off;
}

/* Fills res from the table for one live item; on a decode-level refusal, fails the item. */
static void pp_decode_item(const pp_table *t, pp_item *it, pp_result *res, enum pp_mode mode)
{
	pp_entry *e = it->entry;
	pp_eres *er = e ? &res->e[e->sec][e->index] : NULL;
	switch (it->kind) {
	case PP_ITEM_TARGET: {
		pp_target *tg = &res->target;
		tg->pointer_size = (unsigned)pp_slot(t, it, "pointer_size");
		tg->int_size = (unsigned)pp_slot(t, it, "int_size");
		tg->long_size = (unsigned)pp_slot(t, it, "long_size");
		tg->llong_size = (unsigned)pp_slot(t, it, "llong_size");
		tg->char_signed = pp_slot(t, it, "char_signed") != 0;
		tg->ldbl_mant = (unsigned)pp_slot(t, it, "ldbl_mant");
		tg->big_endian = t->big_endian;
		uint64_t id = pp_slot(t, it, "cc_id");
		tg->compiler_version = pp_xasprintf("%s %llu.%llu.%llu", id == 2 ? "clang" :
		                                    id == 1 ? "gcc" : "unknown",
		                                    (unsigned long long)pp_slot(t, it, "cc_major"),
		                                    (unsigned long long)pp_slot(t, it, "cc_minor"),
		                                    (unsigned long long)pp_slot(t, it, "cc_patch"));
		unsigned i = tg->int_size, l = tg->long_size, p = tg->pointer_size;
		tg->data_model = pp_xstrdup(i == 4 && l == 4 && p == 4 ? "ILP32" :
		                            i == 4 && l == 8 && p == 8 ? "LP64" :
		                            i == 4 && l == 4 && p == 8 ? "LLP64" :
		                            i == 8 && l == 8 && p == 8 ? "ILP64" :
		                            i == 2 && l == 4 && p == 4 ? "LP32" : "other");
		break;
	}
	case PP_ITEM_TYPE:
	case PP_ITEM_STRUCT:
	case PP_ITEM_ENUM:
		pp_tfacts_read(t, it, &er->t, e->name);
		if (it->kind == PP_ITEM_STRUCT && er->t.kind != PP_K_STRUCT && er->t.kind != PP_K_UNION) {
			char *why = pp_xasprintf("not a struct or union (it is %s %s); list it under "
			                         "\"types\"", er->t.kind == PP_K_INT ||
			                         er->t.kind == PP_K_ARRAY ? "an" : "a",
			                         pp_kind_names[er->t.kind]);
			pp_fail_item(it, PP_FAILED, why);
			free(why);
		}
		break;
	case PP_ITEM_FIELD:
	case PP_ITEM_CFIELD:
	case PP_ITEM_FLEXFIELD: {
		pp_fres *f = &er->fields[it->field];
		pp_tfacts_read(t, it, &f->t, NULL);
		f->offset = pp_slot(t, it, "offset");
		break;
	}
	case PP_ITEM_BITFIELD: {
		pp_fres *f = &er->fields[it->field];
		size_t n;
		const unsigned char *img = pp_value_bytes(t, it, "image", &n);
		long first = -1, last = -1;
		for (size_t byte = 0; img && byte < n; byte++)
			for (int bit = 0; bit < 8; bit++)
				if (img[byte] & (1u << bit)) {
					/* Bit numbers count from the struct's start: from each byte's least
					 * significant bit on little-endian targets, its most significant on big. */
					long pos = (long)byte * 8 + (t->big_endian ? 7 - bit : bit);
					if (first < 0 || pos < first)
						first = pos;
					if (pos > last)
						last = pos;
				}
		if (first < 0) {
			pp_fail_item(it, PP_FAILED, "a zero-width bit-field, or no bits set in its image");
			break;
		}
		f->is_bitfield = 1;
		f->bit_offset = (uint64_t)first;
		f->bit_size = (uint64_t)(last - first + 1);
		f->offset = f->bit_offset / 8;
		f->t.size = (f->bit_offset % 8 + f->bit_size + 7) / 8;
		f->t.kind = PP_K_INT;
		f->t.is_signed = -1;
		break;
	}
	case PP_ITEM_CONSTANT: {
		uint64_t info = pp_slot(t, it, "info"), cls = info & 0xff; /* PP_CINFO, probe.h */
		int is_str = (info >> 8) & 1;
		/* A float whose initializer compiled is a constant: gcc's __builtin_constant_p says 0
		 * for some it folds (0.0/0); an integer or pointer may be an address (a relocation). */
		if (mode == PP_MODE_OBJECT && !((info >> 11) & 1) && cls != 8) {
			pp_fail_item(it, PP_NONCONST, "its value is an address or otherwise known only at "
			             "run time");
			break;
		}
		size_t n;
		const unsigned char *v = pp_value_bytes(t, it, "value", &n);
		if (!v) {
			pp_fail_item(it, PP_FAILED, "its value is missing from the answer table");
			break;
		}
		er->csize = (int)n; /* the constant's own type: constant_types in the result */
		if (is_str) {
			er->cv = PP_CV_STRING;
			er->strlen = n ? n - 1 : 0;
			er->str = pp_xstrndup((const char *)v, er->strlen);
		} else if (cls == 8) {
			int frc = pp_float_decode(v, n, t->big_endian, (info >> 10) & 1,
			                          res->target.ldbl_mant, &er->d);
			if (frc != 0) {
				pp_fail_item(it, PP_FAILED, frc > 0 ? "a long double that a double cannot hold "
				             "exactly" : "a float of a size platprobe cannot read");
				break;
			}
			er->cv = PP_CV_FLOAT;
		} else if (cls == 5 && n != res->target.pointer_size) {
			/* An array decays to a pointer in the type class: one not of plain char (L"ab",
			 * (int[]){1, 2}) is no string, and its bytes no pointer either. */
			pp_fail_item(it, PP_FAILED, "an array that is not of plain char (a wide string?); "
			             "constants must be integers, floats or strings");
		} else if (cls >= 1 && cls <= 5) {
			int sgn = cls != 5 && ((info >> 9) & 1);
			int rc = pp_table_int(t, (size_t)(v - t->base), n, sgn, &er->u, &er->neg);
			if (rc != 0) {
				pp_fail_item(it, PP_FAILED, rc == -2 ? "an integer wider than 64 bits" :
				             "an integer of an unexpected size");
				break;
			}
			er->cv = PP_CV_INT;
			er->csigned = sgn;
			er->cptr = cls == 5;
		} else {
			pp_fail_item(it, PP_FAILED, cls == 9 ? "a complex number; constants must be integers, "
			             "floats or strings" : "not an integer, float or string (a struct, array "
			             "or function?)");
		}
		break;
	}
	case PP_ITEM_DEFINED:
		er->yes = pp_slot(t, it, "defined") != 0;
		if (!er->yes && !e->optional)
			pp_fail_item(it, PP_FAILED, "not defined");
		break;
	case PP_ITEM_FUNCTION:
	case PP_ITEM_DECLARED:
		break;
	}
}

void pp_decode_table(pp_plan *p, const pp_table *t, pp_result *res, enum pp_mode mode)
{
	for (size_t i = 0; i < p->nitems; i++)
		if (p->items[i].state == PP_LIVE)
			pp_decode_item(t, &p->items[i], res, mode);
}

int pp_fres_cmp(const void *a, const void *b)
{
	const pp_fres *x = a, *y = b;
	uint64_t xo = x->is_bitfield ? x->bit_offset : x->offset * 8;
	uint64_t yo = y->is_bitfield ? y->bit_offset : y->offset * 8;
	if (xo != yo)
		return xo < yo ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

pp_result *pp_result_alloc(const pp_spec *spec)
{
	pp_result *r = pp_xcalloc(1, sizeof *r);
	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		r->n[sec] = spec->nentries[sec];
		r->e[sec] = pp_xcalloc(r->n[sec], sizeof(pp_eres));
		for (size_t i = 0; i < r->n[sec]; i++) {
			const pp_entry *e = &spec->entries[sec][i];
			pp_eres *er = &r->e[sec][i];
			er->name = pp_xstrdup(e->name);
			er->as = e->as ? pp_xstrdup(e->as) : NULL;
			er->answered = 1;
			if (e->nfields) {
				er->fields = pp_xcalloc(e->nfields, sizeof(pp_fres));
				er->nfields = e->nfields;
				for (size_t f = 0; f < e->nfields; f++) {
					er->fields[f].name = pp_xstrdup(e->fields[f].name);
					er->fields[f].answered = 1;
					er->fields[f].order = f;
				}
			}
		}
	}
	return r;
}

void pp_result_free(pp_result *r)
{
	if (!r)
		return;
	free(r->target.triple);
	free(r->target.compiler);
	free(r->target.compiler_version);
	free(r->target.data_model);
	pp_strv_free(&r->deps);
	for (int sec = 0; sec < PP_NSECTIONS; sec++) {
		for (size_t i = 0; i < r->n[sec]; i++)
			pp_eres_clear(&r->e[sec][i]);
		free(r->e[sec]);
	}
	free(r);
}

/* Turns item states into answers and errors: a required entry that failed is an error naming it
 * and quoting the compiler; an optional one is null (false); optional fields are left out. */
int pp_settle(pp_plan *p, pp_result *res, enum pp_mode mode, pp_diag *d)
{
	int bad = 0;
	pp_buf label = PP_BUF_INIT;
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		pp_entry *e = it->entry;
		if (!e)
			continue;
		pp_eres *er = &res->e[e->sec][e->index];
		int is_field = pp_item_is_field(it);
		int ok = it->state == PP_LIVE && !(it->kind == PP_ITEM_FUNCTION && it->links == 0);
		if (it->kind == PP_ITEM_FUNCTION || it->kind == PP_ITEM_DECLARED)
			er->yes = ok;
		if (ok)
			continue;
		if (is_field && e->fields[it->field].optional) {
			er->fields[it->field].answered = 0;
			continue;
		}
		if (is_field) {
			/* Find the struct's own item: a struct that failed already said why. */
			pp_item *s = it - 1 - it->field;
			if (s->state != PP_LIVE)
				continue;
		}
		er->answered = 0;
		if (e->optional)
			continue;
		const char *why = it->why ? it->why : "cannot be answered";
		pp_item_label(it, &label);
		if (it->state == PP_NONCONST && mode == PP_MODE_OBJECT)
			pp_diag_add(d, "%s: error: %s: not a compile-time constant, so object mode cannot "
			            "read it (answer it with --mode run): %s", p->spec->filename,
			            pp_buf_str(&label), why);
		else if (it->kind == PP_ITEM_FUNCTION || it->kind == PP_ITEM_DECLARED)
			pp_diag_add(d, "%s: error: %s: not found: %s", p->spec->filename,
			            pp_buf_str(&label), why);
		else
			pp_diag_add(d, "%s: error: %s: %s", p->spec->filename, pp_buf_str(&label), why);
		bad = 1;
	}
	pp_buf_free(&label);
	for (int sec = 0; sec < PP_NSECTIONS; sec++)
		for (size_t i = 0; i < res->n[sec]; i++) {
			pp_eres *er = &res->e[sec][i];
			if (er->nfields)
				qsort(er->fields, er->nfields, sizeof(pp_fres), pp_fres_cmp);
		}
	return bad;
}

/* pp_dwarf.c: reads the DWARF that the probe's own compile (-g) leaves in its output, through
 * elfutils' libdw (pp_reloc.c applies an object's relocations): every member of a struct, enum
 * values, member type names and bit-field signedness. type.c names each asked type pp_dwarf_N. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pp_internal.h"
#include "pp_dwbase.h"
#include "pp_reloc.h"

typedef struct pp_dw {
	pp_elfimg img;
	Dwarf_Die *vars;   /* the type each pp_dwarf_N points to, by item line N */
	unsigned char *found;
	size_t nvars;
	uint64_t addr_size;
	int big_endian;
	char *why;         /* a reason that fails a member (unreadable DWARF); first one kept */
	pp_strv syms;      /* function declarations, in threes: name, the symbol it links as ("" when
	                    * its name), "1" when it does not return ("0") */
} pp_dw;

static void pp_dw_bad(pp_dw *w, const char *why)
{
	if (!w->why)
		w->why = pp_xstrdup(why);
}

/* ---- types ---- */

static int pp_dw_is_qual(int tag)
{
	return tag == DW_TAG_const_type || tag == DW_TAG_volatile_type || tag == DW_TAG_restrict_type ||
	       tag == DW_TAG_atomic_type;
}

static int pp_dw_is_agg(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type;
}

/* A struct or union written in place, with no tag and no typedef name: its members are listed
 * inside the member that has it (as pahole prints them), since nothing else can name them. */
static int pp_dw_untagged(Dwarf_Die *type, Dwarf_Die *agg)
{
	Dwarf_Die t = *type;
	for (;;) {
		int tag = dwarf_tag(&t);
		if (pp_dw_is_qual(tag) || tag == DW_TAG_array_type) {
			if (pp_dw_type(&t, &t) != 0)
				return 0;
			continue;
		}
		*agg = t;
		return pp_dw_is_agg(tag) && !dwarf_diename(&t);
	}
}

static void pp_dw_name(Dwarf_Die *type, const char *inner, pp_buf *out);

/* "T" followed by the declarator inner: "int", "int *p", "int[4]", "void (*)(int)". */
static void pp_dw_join(pp_buf *out, const char *base, const char *inner)
{
	pp_buf_adds(out, base);
	if (*inner && *inner != '[' && *inner != '(' )
		pp_buf_addc(out, ' ');
	else if (*inner == '(' && inner[1] == '*')
		pp_buf_addc(out, ' ');
	pp_buf_adds(out, inner);
}

static void pp_dw_params(Dwarf_Die *fn, pp_buf *b)
{
	Dwarf_Die c;
	int n = 0;
	size_t start = b->len;
	pp_buf_addc(b, '(');
	if (dwarf_child(fn, &c) == 0)
		do {
			int tag = dwarf_tag(&c);
			if (tag == DW_TAG_formal_parameter) {
				Dwarf_Die t;
				if (n++)
					pp_buf_adds(b, ", ");
				pp_dw_name(pp_dw_type(&c, &t) == 0 ? &t : NULL, "", b);
			} else if (tag == DW_TAG_unspecified_parameters) {
				pp_buf_adds(b, n++ ? ", ..." : "...");
			}
		} while (dwarf_siblingof(&c, &c) == 0);
	Dwarf_Attribute a;
	bool proto = false;
	if (dwarf_attr_integrate(fn, DW_AT_prototyped, &a) && dwarf_formflag(&a, &proto) != 0)
		proto = false;
	if (!proto) {
		/* int f(): no prototype, whatever DW_TAG_unspecified_parameters said. */
		pp_buf_truncate(b, start);
		pp_buf_adds(b, "()");
		return;
	}
	if (!n)
		pp_buf_adds(b, "void");
	pp_buf_addc(b, ')');
}

/* A subrange's element count: DW_AT_count, or DW_AT_upper_bound + 1 (C's lower bound is 0); 0 when
 * it has neither (a flexible array member) or says -1 (a zero-length one). */
static uint64_t pp_dw_count(Dwarf_Die *sub)
{
	uint64_t n, ub;
	if (pp_dw_udata(sub, DW_AT_count, &n) == 0)
		return n;
	if (pp_dw_udata(sub, DW_AT_upper_bound, &ub) == 0 && ub != UINT64_MAX)
		return ub + 1;
	return 0;
}

/* The dimensions of an array type: every subrange's count; 0 for a flexible array member. */
static size_t pp_dw_dims(Dwarf_Die *arr, uint64_t **dims)
{
	size_t n = 0;
	*dims = NULL;
	Dwarf_Die c;
	if (dwarf_child(arr, &c) == 0)
		do {
			if (dwarf_tag(&c) != DW_TAG_subrange_type)
				continue;
			uint64_t v = pp_dw_count(&c);
			*dims = pp_xrealloc(*dims, (n + 1) * sizeof(uint64_t));
			(*dims)[n++] = v;
		} while (dwarf_siblingof(&c, &c) == 0);
	return n;
}

/* The C spelling of a type as the headers wrote it (typedef names kept), around declarator inner. */
static void pp_dw_name(Dwarf_Die *type, const char *inner, pp_buf *out)
{
	if (!type) {
		pp_dw_join(out, "void", inner);
		return;
	}
	int tag = dwarf_tag(type);
	const char *nm = dwarf_diename(type);
	Dwarf_Die sub, *subp = pp_dw_type(type, &sub) == 0 ? &sub : NULL;
	pp_buf b = PP_BUF_INIT;
	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_typedef:
	case DW_TAG_unspecified_type:
		pp_dw_join(out, nm ? nm : "<unnamed>", inner);
		break;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
		pp_buf_addf(&b, "%s %s", tag == DW_TAG_union_type ? "union" :
		            tag == DW_TAG_enumeration_type ? "enum" : "struct", nm ? nm : "<anonymous>");
		pp_dw_join(out, pp_buf_str(&b), inner);
		break;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type: {
		/* Parentheses where the target is written as a declarator: int (*)[4], void (*)(int);
		 * a typedef name of either is written as a plain name (handler *). */
		Dwarf_Die target = subp ? *subp : (Dwarf_Die){ 0 };
		while (subp && pp_dw_is_qual(dwarf_tag(&target)) && pp_dw_type(&target, &target) == 0)
			;
		int ttag = subp ? dwarf_tag(&target) : 0;
		int wrap = ttag == DW_TAG_array_type || ttag == DW_TAG_subroutine_type;
		/* A qualifier right under the pointer stays next to the target's name. */
		pp_buf_addf(&b, "%s*%s%s", wrap ? "(" : "", inner, wrap ? ")" : "");
		pp_dw_name(subp, pp_buf_str(&b), out);
		break;
	}
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type: {
		const char *q = tag == DW_TAG_const_type ? "const" : tag == DW_TAG_volatile_type ?
		                "volatile" : tag == DW_TAG_restrict_type ? "restrict" : "_Atomic";
		int ptr = subp && dwarf_tag(subp) == DW_TAG_pointer_type;
		if (ptr) {
			/* char *const p: the qualifier belongs to the pointer, right of its '*'. */
			pp_buf_addf(&b, "%s%s%s", q, *inner ? " " : "", inner);
			pp_dw_name(subp, pp_buf_str(&b), out);
		} else {
			pp_buf_addf(&b, "%s ", q);
			pp_dw_name(subp, inner, &b);
			pp_buf_adds(out, pp_buf_str(&b));
		}
		break;
	}
	case DW_TAG_array_type: {
		pp_buf_adds(&b, inner);
		uint64_t *dims;
		size_t nd = pp_dw_dims(type, &dims);
		/* A zero-length array (GNU char x[0]) is written as a flexible one, [], as pahole
		 * does: neither holds an element. */
		for (size_t i = 0; i < nd; i++)
			if (dims[i])
				pp_buf_addf(&b, "[%llu]", (unsigned long long)dims[i]);
			else
				pp_buf_adds(&b, "[]");
		free(dims);
		pp_dw_name(subp, pp_buf_str(&b), out);
		break;
	}
	case DW_TAG_subroutine_type:
		pp_buf_adds(&b, inner);
		pp_dw_params(type, &b);
		pp_dw_name(subp, pp_buf_str(&b), out);
		break;
	default:
		pp_dw_join(out, nm ? nm : "<unknown>", inner);
		break;
	}
	pp_buf_free(&b);
}

/* Size, kind and signedness of a type (any typedefs and qualifiers), as the generated code
 * classifies them; arrays also get their dimensions and element. Returns -1 if it has no size. */
static int pp_dw_facts(pp_dw *w, Dwarf_Die *type, pp_fres *f)
{
	pp_tfacts *t = &f->t;
	memset(t, 0, sizeof *t);
	t->is_signed = -1;
	Dwarf_Die p;
	if (!type || pp_dw_peel(type, &p) != 0) {
		t->kind = PP_K_VOID;
		return 0;
	}
	int tag = dwarf_tag(&p);
	uint64_t v;
	Dwarf_Word sz;
	switch (tag) {
	case DW_TAG_base_type:
		t->kind = PP_K_INT;
		if (pp_dw_udata(&p, DW_AT_encoding, &v) == 0) {
			if (v == DW_ATE_float || v == DW_ATE_decimal_float)
				t->kind = PP_K_FLOAT;
			else if (v == DW_ATE_complex_float)
				t->kind = PP_K_COMPLEX;
			else
				t->is_signed = v == DW_ATE_signed || v == DW_ATE_signed_char ||
				               v == DW_ATE_signed_fixed;
		}
		break;
	case DW_TAG_enumeration_type:
		t->kind = PP_K_ENUM;
		t->is_signed = pp_dw_enum_signed(&p);
		break;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		t->kind = PP_K_POINTER;
		break;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
		t->kind = PP_K_STRUCT;
		break;
	case DW_TAG_union_type:
		t->kind = PP_K_UNION;
		break;
	case DW_TAG_subroutine_type:
		t->kind = PP_K_FUNCTION;
		t->size = 1; /* GNU C's sizeof of a function type */
		return 0;
	case DW_TAG_array_type: {
		t->kind = PP_K_ARRAY;
		f->ndims = pp_dw_dims(&p, &f->dims);
		Dwarf_Die et;
		pp_fres e;
		memset(&e, 0, sizeof e);
		if (pp_dw_type(&p, &et) != 0 || pp_dw_facts(w, &et, &e) != 0) {
			pp_fres_clear(&e);
			return -1;
		}
		if (e.t.kind == PP_K_ARRAY) {
			/* An array of a typedef'd array (hard_vec4 v[2]): gcc's DWARF writes int[2][4],
			 * clang's hard_vec4[2]; the dimensions and element are the same either way. */
			f->dims = pp_xrealloc(f->dims, (f->ndims + e.ndims) * sizeof(uint64_t));
			memcpy(f->dims + f->ndims, e.dims, e.ndims * sizeof(uint64_t));
			f->ndims += e.ndims;
			f->elem = e.elem;
			f->elem_type = e.elem_type;
			e.elem_type = NULL;
		} else {
			f->elem = e.t;
			pp_buf b = PP_BUF_INIT;
			pp_dw_name(&et, "", &b);
			f->elem_type = pp_buf_detach(&b);
		}
		pp_fres_clear(&e);
		uint64_t n = 1;
		for (size_t i = 0; i < f->ndims; i++)
			n *= f->dims[i];
		t->size = n * f->elem.size;
		t->count = f->ndims ? f->dims[0] : 0;
		return 0;
	}
	default:
		t->kind = PP_K_OTHER;
		break;
	}
	if (tag == DW_TAG_pointer_type && pp_dw_udata(&p, DW_AT_byte_size, &v) != 0) {
		t->size = w->addr_size;
		return 0;
	}
	if (dwarf_aggregate_size(&p, &sz) != 0)
		return -1;
	t->size = sz;
	return 0;
}

/* ---- enums ---- */

/* Reads an enumerator's value exactly: DW_FORM_sdata is signed; every other form holds the bits,
 * which a signed enum of that size sign-extends (a signed enum's positive values never set its
 * top bit, so no form can be misread). */
static int pp_dw_enumerator(Dwarf_Die *c, uint64_t size, int sgn, pp_enumval *v)
{
	Dwarf_Attribute a;
	if (!dwarf_attr_integrate(c, DW_AT_const_value, &a))
		return -1;
	if (dwarf_whatform(&a) == DW_FORM_sdata) {
		Dwarf_Sword s;
		if (dwarf_formsdata(&a, &s) != 0)
			return -1;
		v->u = (uint64_t)s;
		v->neg = s < 0;
		return 0;
	}
	Dwarf_Word u;
	if (dwarf_formudata(&a, &u) != 0)
		return -1;
	if (size > 0 && size < 8)
		u &= (UINT64_C(1) << (size * 8)) - 1;
	v->neg = 0;
	if (sgn && size > 0 && size <= 8 && (u >> (size * 8 - 1)) & 1) {
		if (size < 8)
			u |= ~((UINT64_C(1) << (size * 8)) - 1);
		v->neg = 1;
	}
	v->u = u;
	return 0;
}

static const char *pp_dw_enum(Dwarf_Die *type, pp_eres *er)
{
	Dwarf_Die p;
	if (pp_dw_peel(type, &p) != 0 || dwarf_tag(&p) != DW_TAG_enumeration_type)
		return "not an enum type";
	er->t.kind = PP_K_ENUM;
	Dwarf_Die c;
	if (dwarf_child(&p, &c) == 0)
		do {
			if (dwarf_tag(&c) != DW_TAG_enumerator)
				continue;
			const char *nm = dwarf_diename(&c);
			pp_enumval v;
			memset(&v, 0, sizeof v);
			if (!nm || pp_dw_enumerator(&c, er->t.size, er->t.is_signed > 0, &v) != 0)
				return "an enumerator without a name or value in the debug information";
			er->vals = pp_xrealloc(er->vals, (er->nvals + 1) * sizeof(pp_enumval));
			v.name = pp_xstrdup(nm);
			er->vals[er->nvals++] = v;
		} while (dwarf_siblingof(&c, &c) == 0);
	return NULL;
}

/* ---- members ---- */

/* A member's position in bits from the start of its struct, and its width if a bit-field (0
 * otherwise). Handles DWARF 4+'s DW_AT_data_bit_offset and DWARF 2/3's DW_AT_bit_offset, which
 * counts from the storage unit's most significant bit. */
static int pp_dw_position(pp_dw *w, Dwarf_Die *m, uint64_t *bits, uint64_t *width)
{
	uint64_t byte = 0, v;
	*width = 0;
	pp_dw_udata(m, DW_AT_bit_size, width);
	if (pp_dw_udata(m, DW_AT_data_bit_offset, &v) == 0) {
		*bits = v;
		return 0;
	}
	Dwarf_Attribute a;
	if (dwarf_attr_integrate(m, DW_AT_data_member_location, &a)) {
		Dwarf_Word u;
		Dwarf_Op *ops;
		size_t nops;
		if (dwarf_formudata(&a, &u) == 0)
			byte = u;
		else if (dwarf_getlocation(&a, &ops, &nops) == 0 && nops == 1 &&
		         (ops[0].atom == DW_OP_plus_uconst || ops[0].atom == DW_OP_constu))
			byte = ops[0].number;
		else
			return -1;
	}
	*bits = byte * 8;
	if (*width && pp_dw_udata(m, DW_AT_bit_offset, &v) == 0) {
		uint64_t unit;
		Dwarf_Die t, p;
		Dwarf_Word sz = 0;
		if (pp_dw_udata(m, DW_AT_byte_size, &unit) != 0) {
			if (pp_dw_type(m, &t) != 0 || pp_dw_peel(&t, &p) != 0 || dwarf_aggregate_size(&p, &sz))
				return -1;
			unit = sz;
		}
		*bits += w->big_endian ? v : unit * 8 - v - *width;
	}
	return 0;
}

static void pp_dw_members(pp_dw *w, Dwarf_Die *agg, const char *prefix, uint64_t base,
                          pp_fres **out, size_t *n);

/* Unused bits between members (structs) and after the last one, for members already in order. */
static uint64_t pp_dw_holes(pp_fres *f, size_t n, int is_union, uint64_t start, uint64_t size_bits)
{
	uint64_t end = start;
	for (size_t i = 0; i < n; i++) {
		uint64_t s = f[i].is_bitfield ? f[i].bit_offset : f[i].offset * 8;
		uint64_t e = f[i].is_bitfield ? s + f[i].bit_size : s + f[i].t.size * 8;
		if (!is_union && i > 0 && s > end)
			f[i - 1].hole_bits = s - end;
		if (e > end)
			end = e;
	}
	return size_bits > end ? size_bits - end : 0;
}

/* Fills one member; an untagged struct or union (or an array of one) brings its own members. */
static void pp_dw_member(pp_dw *w, Dwarf_Die *m, const char *prefix, uint64_t base, pp_fres *f)
{
	const char *nm = dwarf_diename(m);
	uint64_t bits, width;
	if (pp_dw_position(w, m, &bits, &width) != 0) {
		pp_dw_bad(w, "a member's position is not a constant in the debug information");
		return;
	}
	bits += base;
	f->name = nm ? pp_xasprintf("%s%s", prefix, nm) : pp_xstrdup("");
	f->answered = 1;
	Dwarf_Die t, *tp = pp_dw_type(m, &t) == 0 ? &t : NULL;
	if (pp_dw_facts(w, tp, f) != 0)
		pp_dw_bad(w, "a member's type has no size in the debug information");
	pp_buf b = PP_BUF_INIT;
	pp_dw_name(tp, "", &b);
	f->type = pp_buf_detach(&b);
	if (width) {
		f->is_bitfield = 1;
		f->bit_offset = bits;
		f->bit_size = width;
		f->offset = bits / 8;
		f->t.size = (bits % 8 + width + 7) / 8;
		f->t.count = 0;
		return;
	}
	f->offset = bits / 8;
	Dwarf_Die p;
	if (!tp || !pp_dw_untagged(tp, &p))
		return;
	char *own = NULL;
	const char *sub_prefix = prefix;
	if (f->t.kind == PP_K_ARRAY) {
		/* An array of an untagged struct: the members of its first element. */
		if (!f->ndims || !f->dims[0])
			return;
		pp_buf idx = PP_BUF_INIT;
		pp_buf_adds(&idx, f->name);
		for (size_t i = 0; i < f->ndims; i++)
			pp_buf_adds(&idx, "[0]");
		pp_buf_addc(&idx, '.');
		own = pp_buf_detach(&idx);
		sub_prefix = own;
	} else if (nm) {
		own = pp_xasprintf("%s.", f->name);
		sub_prefix = own;
	}
	Dwarf_Word agg_size;
	if (dwarf_aggregate_size(&p, &agg_size) != 0)
		agg_size = 0;
	pp_dw_members(w, &p, sub_prefix, bits, &f->sub, &f->nsub);
	f->has_layout = 1;
	f->pad_bits = pp_dw_holes(f->sub, f->nsub, dwarf_tag(&p) == DW_TAG_union_type, bits,
	                          bits + agg_size * 8);
	free(own);
}

static void pp_dw_members(pp_dw *w, Dwarf_Die *agg, const char *prefix, uint64_t base,
                          pp_fres **out, size_t *n)
{
	Dwarf_Die c;
	*out = NULL;
	*n = 0;
	if (dwarf_child(agg, &c) != 0)
		return;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		*out = pp_xrealloc(*out, (*n + 1) * sizeof(pp_fres));
		pp_fres *f = &(*out)[*n];
		memset(f, 0, sizeof *f);
		f->order = (*n)++;
		pp_dw_member(w, &c, prefix, base, f);
	} while (dwarf_siblingof(&c, &c) == 0);
}

/* ---- listed fields: what only DWARF knows (type names, bit-field signedness, enum kinds) ---- */

/* Finds a member path ("a.b", "arr[2].x", a promoted member of an anonymous struct) in agg and
 * fills f with it; -1 if DWARF does not know it by that name (a macro such as sa_handler). */
static int pp_dw_find(pp_dw *w, Dwarf_Die *agg, const char *path, uint64_t base, pp_fres *f)
{
	size_t len = strcspn(path, ".[");
	Dwarf_Die c;
	if (dwarf_child(agg, &c) != 0)
		return -1;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		const char *nm = dwarf_diename(&c);
		uint64_t bits, width;
		Dwarf_Die t, p;
		if (pp_dw_position(w, &c, &bits, &width) != 0 || pp_dw_type(&c, &t) != 0)
			continue;
		if (!nm) {
			if (pp_dw_peel(&t, &p) == 0 && pp_dw_is_agg(dwarf_tag(&p)) &&
			    pp_dw_find(w, &p, path, base + bits, f) == 0)
				return 0;
			continue;
		}
		if (strlen(nm) != len || strncmp(nm, path, len) != 0)
			continue;
		const char *rest = path + len;
		Dwarf_Die cur = t;
		bits += base;
		/* Subscripts step into the array's element type; T[a][b] is one DIE with two
		 * subranges, so it takes all its subscripts at once (fewer leave a type no DIE names). */
		while (*rest == '[') {
			if (pp_dw_peel(&cur, &p) != 0 || dwarf_tag(&p) != DW_TAG_array_type)
				return -1;
			uint64_t *dims, stride;
			size_t nd = pp_dw_dims(&p, &dims);
			Dwarf_Word total;
			int ok = dwarf_aggregate_size(&p, &total) == 0;
			stride = total;
			for (size_t k = 0; ok && k < nd; k++) {
				/* Fewer subscripts than dimensions: rest is at its NUL, and must not be
				 * read past. */
				char *end = NULL;
				ok = *rest == '[' && dims[k] > 0;
				unsigned long long i = ok ? strtoull(rest + 1, &end, 0) : 0;
				ok = ok && *end == ']';
				stride = ok ? stride / dims[k] : 0;
				bits += i * stride * 8;
				rest = ok ? end + 1 : rest;
			}
			free(dims);
			if (!ok || pp_dw_type(&p, &cur) != 0)
				return -1;
		}
		if (*rest == '.') {
			if (pp_dw_peel(&cur, &p) != 0 || !pp_dw_is_agg(dwarf_tag(&p)))
				return -1;
			return pp_dw_find(w, &p, rest + 1, bits, f);
		}
		if (*rest)
			return -1;
		if (pp_dw_facts(w, &cur, f) != 0)
			return -1;
		pp_buf b = PP_BUF_INIT;
		pp_dw_name(&cur, "", &b);
		f->type = pp_buf_detach(&b);
		if (width && cur.addr == t.addr) {
			f->is_bitfield = 1;
			f->bit_offset = bits;
			f->bit_size = width;
		}
		f->offset = bits / 8;
		return 0;
	} while (dwarf_siblingof(&c, &c) == 0);
	return -1;
}

/* ---- opening ---- */

static const char *pp_dw_format(const unsigned char *h, size_t n)
{
	if (n >= 4 && !memcmp(h, "\177ELF", 4))
		return "ELF";
	if (n >= 2 && (!memcmp(h, "MZ", 2) || (h[0] == 0x64 && h[1] == 0x86) ||
	               (h[0] == 0x4c && h[1] == 0x01) || (h[0] == 0x64 && h[1] == 0xaa) ||
	               (h[0] == 0xc4 && h[1] == 0x01)))
		return "COFF/PE";
	if (n >= 4 && ((h[0] == 0xcf || h[0] == 0xce) && h[1] == 0xfa && h[2] == 0xed && h[3] == 0xfe))
		return "Mach-O";
	if (n >= 4 && (h[0] == 0xfe && h[1] == 0xed && h[2] == 0xfa))
		return "Mach-O";
	return "unknown";
}

/* ---- function prototypes (prototype.c names each function's type pp_dwarf_N) ---- */

/* How deep pointers and function pointers are followed: far enough for any real signature
 * (char ***, a callback taking a callback), and a bound on what a binding must spell. */
#define PP_DW_PTYPE_DEPTH 8

static pp_proto *pp_dw_proto(pp_dw *w, Dwarf_Die *fn, int depth);

/* Whether every member of a union is a pointer (a transparent union is declared so: the debug
 * information does not record the attribute); its first member's type in *first. 1 without
 * *first where the union has no members at all: gcc writes none for a transparent union. */
static int pp_dw_first_pointer(Dwarf_Die *un, Dwarf_Die *first)
{
	Dwarf_Die c, t, p;
	int n = 0;
	if (dwarf_child(un, &c) != 0)
		return -1;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		if (pp_dw_type(&c, &t) != 0 || pp_dw_peel(&t, &p) != 0 || dwarf_tag(&p) != DW_TAG_pointer_type)
			return 0;
		if (!n++)
			*first = t;
	} while (dwarf_siblingof(&c, &c) == 0);
	return n > 0;
}

/* A type of a prototype: a member's facts and name; a pointer's pointee, a function's prototype. */
static void pp_dw_ptype(pp_dw *w, Dwarf_Die *type, pp_ptype *out, int depth)
{
	memset(out, 0, sizeof *out);
	if (pp_dw_facts(w, type, &out->f) != 0)
		out->f.t.size = 0; /* an incomplete struct (a pointer's pointee): its kind still holds */
	pp_buf b = PP_BUF_INIT;
	pp_dw_name(type, "", &b);
	out->f.type = pp_buf_detach(&b);
	Dwarf_Die p, t;
	if (!type || pp_dw_peel(type, &p) != 0)
		return;
	int tag = dwarf_tag(&p);
	const char *nm = dwarf_diename(&p);
	if ((pp_dw_is_agg(tag) || tag == DW_TAG_enumeration_type) && nm)
		out->record = pp_xasprintf("%s %s", tag == DW_TAG_union_type ? "union" :
		                           tag == DW_TAG_enumeration_type ? "enum" : "struct", nm);
	if (depth >= PP_DW_PTYPE_DEPTH)
		return;
	int fp = tag == DW_TAG_union_type && out->f.t.size == w->addr_size ?
	         pp_dw_first_pointer(&p, &t) : 0;
	if (fp) {
		/* With no members to read, the first is written as void * (pointer-sized either way). */
		out->first = pp_xcalloc(1, sizeof *out->first);
		if (fp > 0) {
			pp_dw_ptype(w, &t, out->first, depth + 1);
		} else {
			out->first->f.t = (pp_tfacts){ w->addr_size, 0, 0, 0, PP_K_POINTER, -1 };
			out->first->f.type = pp_xstrdup("void *");
			out->first->pointee = pp_xcalloc(1, sizeof *out->first->pointee);
			pp_dw_ptype(w, NULL, out->first->pointee, depth + 2);
		}
	}
	if (tag == DW_TAG_pointer_type) {
		out->pointee = pp_xcalloc(1, sizeof *out->pointee);
		pp_dw_ptype(w, pp_dw_type(&p, &t) == 0 ? &t : NULL, out->pointee, depth + 1);
	} else if (tag == DW_TAG_subroutine_type) {
		out->proto = pp_dw_proto(w, &p, depth + 1);
	}
}

/* A function type's return type, parameters and whether it is variadic or unprototyped (f()). */
static pp_proto *pp_dw_proto(pp_dw *w, Dwarf_Die *fn, int depth)
{
	pp_proto *p = pp_xcalloc(1, sizeof *p);
	Dwarf_Die t, c;
	pp_dw_ptype(w, pp_dw_type(fn, &t) == 0 ? &t : NULL, &p->ret, depth);
	if (dwarf_child(fn, &c) == 0)
		do {
			int tag = dwarf_tag(&c);
			if (tag == DW_TAG_unspecified_parameters)
				p->variadic = 1;
			if (tag != DW_TAG_formal_parameter)
				continue;
			p->params = pp_xrealloc(p->params, (p->nparams + 1) * sizeof *p->params);
			pp_dw_ptype(w, pp_dw_type(&c, &t) == 0 ? &t : NULL, &p->params[p->nparams++], depth);
		} while (dwarf_siblingof(&c, &c) == 0);
	Dwarf_Attribute a;
	bool proto = false;
	if (!dwarf_attr_integrate(fn, DW_AT_prototyped, &a) || dwarf_formflag(&a, &proto) != 0)
		proto = false;
	if (!proto) {
		p->unprototyped = 1;
		p->variadic = 0;
	}
	return p;
}

/* A function's declaration (gcc writes one for the function whose address prototype.c takes):
 * the symbol it links as, which an asm label can change (glibc's stat is stat64 under
 * _FILE_OFFSET_BITS=64 on 32-bit targets), and whether it returns (noreturn is not part of the
 * function type's debug information, though gcc makes it part of the type). */
static void pp_dw_symbol(pp_dw *w, Dwarf_Die *sub)
{
	Dwarf_Attribute a;
	const char *nm = dwarf_diename(sub), *link = NULL;
	bool noreturn = false;
	if (dwarf_attr_integrate(sub, DW_AT_linkage_name, &a) ||
	    dwarf_attr_integrate(sub, DW_AT_MIPS_linkage_name, &a))
		link = dwarf_formstring(&a);
	if (dwarf_attr_integrate(sub, DW_AT_noreturn, &a) && dwarf_formflag(&a, &noreturn) != 0)
		noreturn = false;
	if (!nm || ((!link || !strcmp(nm, link)) && !noreturn))
		return;
	pp_strv_push(&w->syms, nm);
	pp_strv_push(&w->syms, link && strcmp(nm, link) ? link : "");
	pp_strv_push(&w->syms, noreturn ? "1" : "0");
}

/* The prototype of a function item, when its pp_dwarf_N points to a function (not an object). */
static void pp_dw_function(pp_dw *w, Dwarf_Die *type, const pp_item *it, pp_eres *er)
{
	Dwarf_Die p;
	if (pp_dw_peel(type, &p) != 0 || dwarf_tag(&p) != DW_TAG_subroutine_type)
		return;
	pp_proto_free(er->proto);
	er->proto = pp_dw_proto(w, &p, 0);
	for (size_t i = 0; i + 2 < w->syms.n; i += 3)
		if (!strcmp(w->syms.v[i], it->entry->name)) {
			free(er->proto->symbol);
			er->proto->symbol = *w->syms.v[i + 1] ? pp_xstrdup(w->syms.v[i + 1]) : NULL;
			er->proto->noreturn = w->syms.v[i + 2][0] == '1';
		}
}

/* The object format of the file at path, by its first bytes. */
static const char *pp_dw_file_format(const char *path)
{
	unsigned char head[4] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, head, sizeof head) : -1;
	if (fd >= 0)
		close(fd);
	return pp_dw_format(head, got > 0 ? (size_t)got : 0);
}

/* Opens path and indexes every pp_dwarf_N variable; NULL with a reason in *why. */
static pp_dw *pp_dw_open(const char *path, size_t nitems, char **why)
{
	const char *fmt = pp_dw_file_format(path);
	if (strcmp(fmt, "ELF") != 0) {
		*why = pp_xasprintf("the compiler wrote a %s %s, and platprobe reads debug information "
		                    "only from ELF (elfutils)", fmt, "file");
		return NULL;
	}
	pp_dw *w = pp_xcalloc(1, sizeof *w);
	w->nvars = nitems + 1;
	w->vars = pp_xcalloc(w->nvars, sizeof(Dwarf_Die));
	w->found = pp_xcalloc(w->nvars, 1);
	Dwarf *dw = pp_reloc_dwarf(path, &w->img, why);
	if (!dw) {
		free(w->vars);
		free(w->found);
		free(w);
		return NULL;
	}
	const unsigned char *ident = (const unsigned char *)elf_getident(w->img.elf, NULL);
	w->big_endian = ident && ident[EI_DATA] == ELFDATA2MSB;
	w->addr_size = ident && ident[EI_CLASS] == ELFCLASS32 ? 4 : 8;
	Dwarf_Off off = 0, next;
	size_t hsize;
	uint8_t asz;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, &asz, NULL) == 0) {
		Dwarf_Die cu, c;
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &c) == 0) {
			w->addr_size = asz;
			do {
				const char *nm = dwarf_diename(&c);
				if (dwarf_tag(&c) == DW_TAG_subprogram)
					pp_dw_symbol(w, &c);
				if (dwarf_tag(&c) != DW_TAG_variable || !nm || strncmp(nm, "pp_dwarf_", 9))
					continue;
				char *end;
				unsigned long line = strtoul(nm + 9, &end, 10);
				Dwarf_Die t, target;
				if (*end || line >= w->nvars || pp_dw_type(&c, &t) != 0 ||
				    dwarf_tag(&t) != DW_TAG_pointer_type || pp_dw_type(&t, &target) != 0)
					continue;
				w->vars[line] = target;
				w->found[line] = 1;
			} while (dwarf_siblingof(&c, &c) == 0);
		}
		off = next;
	}
	return w;
}

static void pp_dw_close(pp_dw *w)
{
	if (!w)
		return;
	pp_reloc_close(&w->img);
	free(w->vars);
	free(w->found);
	free(w->why);
	pp_strv_free(&w->syms);
	free(w);
}

/* ---- applying ---- */

/* Fills a struct's whole layout; the generated code's size must agree with DWARF's. */
static const char *pp_dw_layout(pp_dw *w, Dwarf_Die *type, pp_eres *er, char **own)
{
	Dwarf_Die p;
	Dwarf_Word size;
	if (pp_dw_peel(type, &p) != 0 || !pp_dw_is_agg(dwarf_tag(&p)))
		return "not a struct or union in the debug information";
	if (dwarf_aggregate_size(&p, &size) != 0)
		return "an incomplete type in the debug information";
	if (size != er->t.size) {
		*own = pp_xasprintf("the debug information says %llu bytes, the compiler's sizeof %llu",
		                    (unsigned long long)size, (unsigned long long)er->t.size);
		return *own;
	}
	for (size_t f = 0; f < er->nfields; f++)
		pp_fres_clear(&er->fields[f]);
	free(er->fields);
	pp_dw_members(w, &p, "", 0, &er->fields, &er->nfields);
	if (w->why)
		return w->why;
	er->pad_bits = pp_dw_holes(er->fields, er->nfields, dwarf_tag(&p) == DW_TAG_union_type, 0,
	                           size * 8);
	er->fields_complete = 1;
	return NULL;
}

/* Adds what DWARF knows to the generated code's answers for listed fields, and checks that the
 * two agree where both answer. */
static int pp_dw_listed(pp_dw *w, Dwarf_Die *type, const pp_item *sit, pp_eres *er,
                        const char *specfile, pp_diag *d)
{
	Dwarf_Die p;
	if (pp_dw_peel(type, &p) != 0 || !pp_dw_is_agg(dwarf_tag(&p)))
		return 0;
	int bad = 0;
	for (size_t i = 0; i < er->nfields; i++) {
		pp_fres *f = &er->fields[i], g;
		if (sit[1 + i].state != PP_LIVE) /* the plan puts a struct's fields right after it */
			continue;
		memset(&g, 0, sizeof g);
		if (pp_dw_find(w, &p, f->name, 0, &g) != 0) {
			pp_fres_clear(&g);
			continue;
		}
		int same = g.offset == f->offset && g.is_bitfield == f->is_bitfield &&
		           (g.is_bitfield ? g.bit_offset == f->bit_offset && g.bit_size == f->bit_size :
		                            g.t.size == f->t.size);
		if (!same) {
			pp_diag_add(d, "%s: error: structs \"%s\" field \"%s\": the debug information (offset "
			            "%llu, size %llu) and the compiler's answers (offset %llu, size %llu) "
			            "disagree", specfile, sit->entry->name, f->name, (unsigned long long)g.offset,
			            (unsigned long long)g.t.size, (unsigned long long)f->offset,
			            (unsigned long long)f->t.size);
			bad = 1;
		} else {
			f->type = g.type;
			g.type = NULL;
			if (f->is_bitfield) {
				f->t.is_signed = g.t.is_signed;
				f->t.kind = g.t.kind == PP_K_ENUM ? PP_K_ENUM : PP_K_INT;
			} else if (g.t.kind == PP_K_ENUM && f->t.kind == PP_K_INT) {
				f->t.kind = PP_K_ENUM; /* the classifier calls an enum an int */
			}
			if (g.ndims) {
				f->dims = g.dims;
				f->ndims = g.ndims;
				g.dims = NULL;
				f->elem = g.elem;
				f->elem_type = g.elem_type;
				g.elem_type = NULL;
			}
		}
		pp_fres_clear(&g);
	}
	return bad ? -1 : 0;
}

int pp_dwarf_apply(pp_plan *p, pp_result *res, const char *path, const char *specfile, pp_diag *d,
                   pp_diag *warn)
{
	char *why = NULL;
	pp_dw *w = pp_dw_open(path, p->nitems, &why);
	int rc = 0, noted = 0;
	for (size_t i = 0; i < p->nitems; i++) {
		pp_item *it = &p->items[i];
		pp_entry *e = it->entry;
		if (it->state == PP_LIVE && it->kind == PP_ITEM_FUNCTION) {
			if (w && it->line < w->nvars && w->found[it->line])
				pp_dw_function(w, &w->vars[it->line], it, &res->e[e->sec][e->index]);
			else if (!w && !noted++)
				pp_diag_add(warn, "%s: note: functions: answered without their prototypes, which "
				            "are read from debug information: %s", specfile, why);
			continue;
		}
		if (it->state != PP_LIVE || (it->kind != PP_ITEM_STRUCT && it->kind != PP_ITEM_ENUM))
			continue;
		pp_eres *er = &res->e[e->sec][e->index];
		int need = it->kind == PP_ITEM_ENUM || e->whole == PP_WHOLE_REQUIRED;
		Dwarf_Die *type = w && it->line < w->nvars && w->found[it->line] ? &w->vars[it->line] : NULL;
		if (!type) {
			if (need) {
				pp_dwarf_unread(it, why ? why : "the compiler left no type named pp_dwarf_N in it");
			} else if (e->whole == PP_WHOLE_WANTED && er->answered) {
				pp_dwarf_opaque(er, e, specfile, path ? pp_dw_file_format(path) : "missing",
				                why ? why : "the compiler left no type named pp_dwarf_N in it",
				                warn);
			}
			continue;
		}
		char *own = NULL;
		const char *bad = NULL;
		if (it->kind == PP_ITEM_ENUM)
			bad = pp_dw_enum(type, er);
		else if (e->whole != PP_WHOLE_NO)
			bad = pp_dw_layout(w, type, er, &own);
		else if (pp_dw_listed(w, type, it, er, specfile, d) < 0)
			rc = -1;
		if (bad)
			pp_fail_item(it, PP_FAILED, bad);
		free(own);
		free(w->why);
		w->why = NULL;
	}
	free(why);
	pp_dw_close(w);
	return rc;
}

int pp_dwarf_readable(const char *path, size_t nitems)
{
	char *why = NULL;
	pp_dw *w = pp_dw_open(path, nitems, &why);
	free(why);
	if (!w)
		return 0;
	pp_dw_close(w);
	return 1;
}

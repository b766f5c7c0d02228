/* pp_dwvalues.c: what each constant is (class, sign, string, long double) and where its value
 * lies in the answer table, read from the DWARF of the table's own members instead of asked of
 * the compiler in slots (constant_dw.c): debug information costs the compiler less than the
 * per-constant expressions it replaces. The slots are written into the table's bytes, so the
 * decoder, the cache and every output see the same table as with constant.c. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>
#include <string.h>

#include "pp_dwbase.h"
#include "pp_internal.h"
#include "pp_reloc.h"

int pp_dwvalues_possible(void)
{
	return 1;
}

/* A member's byte offset: a constant (DWARF 3+) or a DW_OP_plus_uconst expression (DWARF 2). */
static int pp_dv_location(Dwarf_Die *m, uint64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Word u;
	Dwarf_Op *ops;
	size_t nops;
	if (!dwarf_attr_integrate(m, DW_AT_data_member_location, &a)) {
		*off = 0; /* a union's members, and some producers' first member */
		return 0;
	}
	if (dwarf_formudata(&a, &u) == 0) {
		*off = u;
		return 0;
	}
	if (dwarf_getlocation(&a, &ops, &nops) == 0 && nops == 1 &&
	    (ops[0].atom == DW_OP_plus_uconst || ops[0].atom == DW_OP_constu)) {
		*off = ops[0].number;
		return 0;
	}
	return -1;
}

/* Whether a base type's encoding is signed. */
static int pp_dv_enc_signed(uint64_t enc)
{
	return enc == DW_ATE_signed || enc == DW_ATE_signed_char || enc == DW_ATE_signed_fixed;
}

/* The bits PP_CINFO (probe.h) would give a value of this type, but the constant bit: GNU C's
 * type class in bits 0-7 (an array decays: a pointer's), a plain char array (8), signed (9),
 * long double (10); and its size. -1 when the type cannot be read. */
static int pp_dv_info(Dwarf_Die *type, uint64_t addr_size, uint64_t *info, uint64_t *size)
{
	Dwarf_Die p;
	Dwarf_Word sz;
	uint64_t enc, v;
	if (dwarf_peel_type(type, &p) != 0)
		return -1;
	*info = 0;
	switch (dwarf_tag(&p)) {
	case DW_TAG_base_type: {
		if (pp_dw_udata(&p, DW_AT_encoding, &enc) != 0)
			return -1;
		const char *nm = dwarf_diename(&p);
		if (enc == DW_ATE_float || enc == DW_ATE_decimal_float)
			*info = 8 | (uint64_t)(nm && !strcmp(nm, "long double")) << 10;
		else if (enc == DW_ATE_complex_float)
			*info = 9;
		else if (enc == DW_ATE_boolean)
			*info = 4;
		else
			*info = 1 | (uint64_t)pp_dv_enc_signed(enc) << 9;
		break;
	}
	case DW_TAG_enumeration_type:
		*info = 3 | (uint64_t)pp_dw_enum_signed(&p) << 9;
		break;
	case DW_TAG_pointer_type:
		*info = 5;
		if (pp_dw_udata(&p, DW_AT_byte_size, &v) != 0) {
			*size = addr_size;
			return 0;
		}
		break;
	case DW_TAG_array_type: {
		Dwarf_Die et, ep;
		if (dwarf_hasattr(&p, DW_AT_GNU_vector))
			break; /* a vector type: not an integer, float or string */
		*info = 5;
		if (pp_dw_type(&p, &et) == 0 && dwarf_peel_type(&et, &ep) == 0 &&
		    dwarf_tag(&ep) == DW_TAG_base_type && dwarf_diename(&ep) &&
		    !strcmp(dwarf_diename(&ep), "char"))
			*info |= 1u << 8;
		break;
	}
	case DW_TAG_structure_type:
		*info = 12;
		break;
	case DW_TAG_union_type:
		*info = 13;
		break;
	default:
		break;
	}
	if (dwarf_aggregate_size(&p, &sz) != 0)
		return -1;
	*size = sz;
	return 0;
}

static void pp_dv_put64(unsigned char *p, uint64_t v, int big_endian)
{
	for (int i = 0; i < 8; i++)
		p[big_endian ? 7 - i : i] = (unsigned char)(v >> (8 * i));
}

/* The struct pp_values DIE among the compile unit's top-level entries. */
static int pp_dv_find_values(Dwarf *dw, Dwarf_Die *out, uint64_t *addr_size)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	uint8_t asz;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, &asz, NULL) == 0) {
		Dwarf_Die cu, c;
		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &c) == 0)
			do {
				const char *nm = dwarf_diename(&c);
				if (dwarf_tag(&c) == DW_TAG_structure_type && nm && !strcmp(nm, "pp_values") &&
				    !dwarf_hasattr(&c, DW_AT_declaration)) {
					*out = c;
					*addr_size = asz;
					return 0;
				}
			} while (dwarf_siblingof(&c, &c) == 0);
		off = next;
	}
	return -1;
}

/* One value member pp_vLINE_value at byte off of the table: its item's slots. */
static int pp_dv_member(const pp_plan *p, Dwarf_Die *m, uint64_t off, uint64_t addr_size,
                        const pp_table *t, unsigned char *slots, size_t *filled)
{
	const char *nm = dwarf_diename(m);
	char *end;
	if (!nm || strncmp(nm, "pp_v", 4))
		return 0;
	unsigned long line = strtoul(nm + 4, &end, 10);
	if (strcmp(end, "_value") || line == 0 || line > p->nitems)
		return 0;
	const pp_item *it = &p->items[line - 1];
	if (it->kind != PP_ITEM_CONSTANT || it->state != PP_LIVE)
		return 0;
	const pp_slotname *v = pp_item_value(it, "value");
	long info_slot = pp_item_slot(it, "info");
	if (!v || info_slot < 0 || v->slot + 1 >= t->count || (uint64_t)info_slot >= t->count)
		return -1;
	Dwarf_Die type;
	uint64_t info, size = 0;
	if (pp_dw_type(m, &type) != 0 || pp_dv_info(&type, addr_size, &info, &size) != 0)
		return -1;
	info |= pp_table_slot(t, (size_t)info_slot) & (1u << 11); /* constant_dw.c's own bit */
	pp_dv_put64(slots + 8 * v->slot, off, t->big_endian);
	pp_dv_put64(slots + 8 * (v->slot + 1), size, t->big_endian);
	pp_dv_put64(slots + 8 * (size_t)info_slot, info, t->big_endian);
	(*filled)++;
	return 0;
}

int pp_dwvalues_fill(const pp_plan *p, const char *path, const pp_table *t, unsigned char *base,
                     char **why)
{
	size_t want = pp_plan_live(p, PP_ITEM_CONSTANT), filled = 0;
	if (!want)
		return 0;
	pp_elfimg img;
	memset(&img, 0, sizeof img);
	Dwarf *dw = pp_reloc_dwarf(path, &img, why);
	if (!dw)
		return -1;
	Dwarf_Die values, c;
	uint64_t addr_size = 8;
	int rc = -1;
	unsigned char *slots = base + 32; /* table.h: magic, marker, count, then the slots */
	if (pp_dv_find_values(dw, &values, &addr_size) != 0) {
		*why = pp_xstrdup("its debug information has no struct pp_values");
		goto out;
	}
	if (dwarf_child(&values, &c) == 0)
		do {
			const char *nm = dwarf_diename(&c);
			Dwarf_Die ct, m;
			uint64_t coff, moff;
			if (dwarf_tag(&c) != DW_TAG_member || !nm || strncmp(nm, "pp_c", 4))
				continue;
			if (pp_dv_location(&c, &coff) != 0 || pp_dw_type(&c, &ct) != 0 ||
			    dwarf_child(&ct, &m) != 0)
				continue;
			do {
				if (dwarf_tag(&m) != DW_TAG_member || pp_dv_location(&m, &moff) != 0)
					continue;
				if (pp_dv_member(p, &m, t->values_off + coff + moff, addr_size, t, slots,
				                 &filled) != 0) {
					*why = pp_xasprintf("its debug information does not describe %s",
					                    dwarf_diename(&m));
					goto out;
				}
			} while (dwarf_siblingof(&m, &m) == 0);
		} while (dwarf_siblingof(&c, &c) == 0);
	if (filled != want)
		*why = pp_xasprintf("its debug information describes %zu of %zu constants", filled, want);
	else
		rc = 0;
out:
	pp_reloc_close(&img);
	return rc;
}

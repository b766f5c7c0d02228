/* pp_dwbase.c: the few libdw readings pp_dwarf.c (layouts, enums, prototypes) and pp_dwvalues.c
 * (constants) both make. */
#include <dwarf.h>

#include "pp_dwbase.h"

int pp_dw_type(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	return dwarf_attr_integrate(die, DW_AT_type, &a) && dwarf_formref_die(&a, out) ? 0 : -1;
}

int pp_dw_udata(Dwarf_Die *die, unsigned name, uint64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Word w;
	if (!dwarf_attr_integrate(die, name, &a) || dwarf_formudata(&a, &w) != 0)
		return -1;
	*v = w;
	return 0;
}

int pp_dw_peel(Dwarf_Die *type, Dwarf_Die *peeled)
{
	if (!type)
		return -1;
	return dwarf_peel_type(type, peeled) == 0 ? 0 : -1;
}

/* An enum's signedness: its DW_AT_encoding or underlying type's, else whether a value is negative. */
int pp_dw_enum_signed(Dwarf_Die *en)
{
	uint64_t enc = 0;
	Dwarf_Die u, up;
	if (pp_dw_udata(en, DW_AT_encoding, &enc) != 0 && pp_dw_type(en, &u) == 0 &&
	    pp_dw_peel(&u, &up) == 0 && dwarf_tag(&up) == DW_TAG_base_type &&
	    pp_dw_udata(&up, DW_AT_encoding, &enc) != 0)
		enc = 0;
	if (enc)
		return enc == DW_ATE_signed || enc == DW_ATE_signed_char;
	Dwarf_Die c;
	if (dwarf_child(en, &c) == 0)
		do {
			Dwarf_Attribute a;
			Dwarf_Sword s;
			if (dwarf_tag(&c) == DW_TAG_enumerator &&
			    dwarf_attr_integrate(&c, DW_AT_const_value, &a) &&
			    dwarf_whatform(&a) == DW_FORM_sdata && dwarf_formsdata(&a, &s) == 0 && s < 0)
				return 1;
		} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

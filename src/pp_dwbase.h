/* pp_dwbase.h: libdw readings shared by pp_dwarf.c and pp_dwvalues.c (pp_dwbase.c). */
#ifndef PP_DWBASE_H
#define PP_DWBASE_H

#include <elfutils/libdw.h>
#include <stdint.h>

/* The DIE a DIE's DW_AT_type names; -1 when it has none (void). */
int pp_dw_type(Dwarf_Die *die, Dwarf_Die *out);
/* An unsigned attribute; -1 when absent or not a constant. */
int pp_dw_udata(Dwarf_Die *die, unsigned name, uint64_t *v);
/* A type with its typedefs and qualifiers removed; -1 when there is none. */
int pp_dw_peel(Dwarf_Die *type, Dwarf_Die *peeled);
/* An enum's signedness as C sees it: its encoding or underlying type's, else whether a value is
 * negative. */
int pp_dw_enum_signed(Dwarf_Die *en);

#endif

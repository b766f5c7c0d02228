/* constant_dw.c: constant.c where the object's debug information is read (pp_dwvalues.c): what
 * @X@ is and where its value lies come from the DWARF of its member, so the compiler is asked
 * only whether it is a constant (bit 11 of the info slot, as PP_CINFO has it). The slots are
 * constant.c's, in the same order. */
PP_VALUE(value, __typeof__(@X@), @X@)
PP_SLOT(info, __builtin_constant_p(@X@) << 11)

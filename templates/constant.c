/* constant.c: what platprobe asks about a constant @X@. Its value is stored with its own type, so
 * nothing is rounded (platprobe reads a float of any width from its bytes); its kind (integer,
 * float, string) and signedness are asked of that stored member, so @X@ is written only where
 * it must be: the member's type, its initializer, and __builtin_constant_p. A float whose
 * initializer compiles is a constant (gcc's __builtin_constant_p says 0 for 0.0/0, which it
 * folds); an integer or a pointer may be an address the object holds only as a relocation. */
PP_VALUE(value, __typeof__(@X@), @X@)
PP_SLOT(class, PP_CLASS(PP_VALUE_OF(pp_v@ID@_value)))
PP_SLOT(string, __builtin_types_compatible_p(PP_T(PP_VALUE_OF(pp_v@ID@_value)), char[]))
PP_SLOT(signed, PP_SIGNED(PP_VALUE_OF(pp_v@ID@_value)))
PP_SLOT(constant, __builtin_constant_p(@X@) || PP_CLASS(PP_VALUE_OF(pp_v@ID@_value)) == 8)
PP_SLOT(ldouble, __builtin_types_compatible_p(PP_T(PP_VALUE_OF(pp_v@ID@_value)), long double))

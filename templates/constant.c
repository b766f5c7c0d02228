/* constant.c: what platprobe asks about a constant @X@. Its value is stored with its own type, so
 * nothing is rounded (platprobe reads a float of any width from its bytes). What it is comes in
 * one slot asked of that stored member (PP_CINFO, probe.h), so @X@ is written only where it
 * must be: the member's type, its initializer, and __builtin_constant_p. A float whose
 * initializer compiles is a constant (gcc's __builtin_constant_p says 0 for 0.0/0, which it
 * folds); an integer or a pointer may be an address the object holds only as a relocation. */
PP_VALUE(value, __typeof__(@X@), @X@)
PP_SLOT(info, PP_CINFO(PP_VALUE_OF(@VALUE@), __builtin_constant_p(@X@)))

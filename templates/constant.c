/* constant.c: what platprobe asks about a constant @X@. Its kind (integer, float, string) is
 * the compiler's answer, and its value is stored with its own type, so nothing is rounded. A float
 * whose initializer compiles is a constant (gcc's __builtin_constant_p says 0 for 0.0/0 it folds);
 * an integer or pointer may be an address the object only holds as a relocation, so it must say 1. */
PP_SLOT(class, PP_XCLASS(@X@))
PP_SLOT(string, __builtin_types_compatible_p(__typeof__(@X@), char[]))
PP_SLOT(size, sizeof(@X@))
PP_SLOT(signed, PP_XSIGNED(@X@))
PP_SLOT(constant, __builtin_constant_p(@X@) || PP_XCLASS(@X@) == 8)
PP_SLOT(inexact, PP_XINEXACT(@X@))
PP_VALUE(value, __typeof__(@X@), @X@)
PP_VALUE(double, double, PP_XDOUBLE(@X@))

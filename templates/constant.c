/* constant.c: what platprobe asks about a constant @X@. Its kind (integer, float, string) is
 * the compiler's answer, and its value is stored with its own type, so nothing is rounded. */
PP_SLOT(class, PP_XCLASS(@X@))
PP_SLOT(string, __builtin_types_compatible_p(__typeof__(@X@), char[]))
PP_SLOT(size, sizeof(@X@))
PP_SLOT(signed, PP_XSIGNED(@X@))
PP_SLOT(constant, __builtin_constant_p(@X@))
PP_SLOT(inexact, PP_XINEXACT(@X@))
PP_VALUE(value, __typeof__(@X@), @X@)
PP_VALUE(double, double, PP_XDOUBLE(@X@))

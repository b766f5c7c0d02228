/* probe.h: helpers for the questions in type.c, field.c and constant.c, pasted into every probe.
 * GNU C builtins (gcc, clang) classify a type with no run. Each expression must stay valid for
 * every kind of type, since __builtin_choose_expr type-checks the branch it does not choose too. */
#define PP_T(T) __typeof__(T)
#define PP_OBJ(T) (*(PP_T(T) *)0)
#define PP_CLASS(T) __builtin_classify_type(PP_OBJ(T))
/* An array or a function decays in (0, x); nothing else changes type there. */
#define PP_DECAYS(T) (!__builtin_types_compatible_p(__typeof__((0, PP_OBJ(T))), PP_T(T)))
#define PP_ISFUNC(T) __builtin_types_compatible_p(__typeof__((0, PP_OBJ(T))), __typeof__(&PP_OBJ(T)))
#define PP_SHAPE(T) (PP_ISFUNC(T) ? 2 : PP_DECAYS(T) ? 1 : 0)
#define PP_ELEMSIZE(T) sizeof(*__builtin_choose_expr(PP_DECAYS(T) && !PP_ISFUNC(T), (0, PP_OBJ(T)), (char *)0))
#define PP_INTLIKE(T) (!PP_DECAYS(T) && PP_CLASS(T) >= 1 && PP_CLASS(T) <= 4)
#define PP_SIGNED(T) ((__typeof__(__builtin_choose_expr(PP_INTLIKE(T), PP_OBJ(T), 0)))-1 < 0)
#define PP_MEMBER_T(S, F) __typeof__(((PP_T(S) *)0)->F)
/* Whether expression X is a function designator (prototype.c takes only a function's address). */
#define PP_XISFUNC(X) __builtin_types_compatible_p(__typeof__((0, (X))), __typeof__(&(X)))
/* A stored value (constant.c), as an expression of its type (never evaluated; a short one, as
 * it is written five times for each constant). */
struct pp_values;
__attribute__((unused)) static const struct pp_values *const pp_vp;
#define PP_VALUE_OF(V) (pp_vp->V)
/* What a constant is, from its stored value V (K: __builtin_constant_p of it), in one integer:
 * GNU C's type class in bits 0-7, then a string (char[]), signed, long double, constant (K; the
 * decoder takes a float whose initializer compiled as one, class 8, whatever K says). _Generic drops qualifiers; a plain char is signed as the
 * target's char is; an enum matches the integer type it is compatible with. */
#ifdef __SIZEOF_INT128__
#define PP_I128 , __int128: 1
#else
#define PP_I128
#endif
#define PP_CINFO(V, K) (__builtin_classify_type(V) | \
	__builtin_types_compatible_p(__typeof__(V), char[]) << 8 | \
	_Generic((V), char: (char)-1 < 0, signed char: 1, short: 1, int: 1, long: 1, long long: 1 \
	         PP_I128, default: 0) << 9 | \
	__builtin_types_compatible_p(__typeof__(V), long double) << 10 | (K) << 11)

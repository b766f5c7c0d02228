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
/* Constants: the same questions asked of an expression instead of a type. */
#define PP_XCLASS(X) __builtin_classify_type(X)
#define PP_XINT(X) (PP_XCLASS(X) >= 1 && PP_XCLASS(X) <= 4)
#define PP_XSIGNED(X) ((__typeof__(__builtin_choose_expr(PP_XINT(X), (X), 0)))-1 < 0)
#define PP_XF(X) __builtin_choose_expr(PP_XCLASS(X) == 8, (X), 0.0)
#define PP_XDOUBLE(X) ((double)PP_XF(X))
/* A long double that a double cannot hold exactly is refused rather than rounded silently. */
#define PP_XINEXACT(X) (PP_XF(X) == PP_XF(X) && PP_XF(X) != (__typeof__(PP_XF(X)))(double)PP_XF(X))
#define PP_XISFUNC(X) __builtin_types_compatible_p(__typeof__((0, (X))), __typeof__(&(X)))

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
/* A stored value (constant.c), as an expression of its type. */
#define PP_VALUE_OF(V) (((struct pp_table *)0)->pp_values.V)

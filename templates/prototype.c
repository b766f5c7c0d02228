/* prototype.c: puts function @N@'s type in the debug information under a name platprobe looks up
 * (pp_dwarf_N, as type.c does), for its prototype. Its address (a function's only: an object's may
 * not be a constant) makes gcc record the declaration itself, with the symbol an asm label gives it. */
PP_DECL(__attribute__((used)) static __typeof__(@N@) *pp_dwarf_@ID@ = __builtin_choose_expr(PP_XISFUNC(@N@), &(@N@), 0);)

/* declared.c: whether @N@ compiles as a statement ("link": false), as in the main() of
 * ctypes_configure's Has: a function, an object, an enum constant, a macro of an expression or
 * of nothing, a typedef name (an empty declaration). A static function nothing calls, so its
 * statement refers to no symbol and needs no link (gcc and clang drop it); a function of its
 * own, so an error in it (undeclared, a function-like macro alone) is reported and ends there. */
PP_DECL(__attribute__((unused)) static void pp_declared_@ID@(void) { @N@; })

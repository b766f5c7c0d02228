/* declared.c: whether @N@ compiles as an expression, as (void)(@N@); would ("link": false): a
 * function, an object, an enum constant or a macro of an expression. Under sizeof nothing is
 * evaluated, so nothing refers to its symbol and no link is needed. */
PP_SLOT(declared, sizeof((void)(@N@), 0) != 0)

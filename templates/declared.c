/* declared.c: whether @N@ compiles as an expression, as (void)(@N@); would ("link": false): a
 * function, an object, an enum constant or a macro of an expression. Under sizeof nothing is
 * evaluated, so nothing refers to its symbol and no link is needed. A declaration of its own, so
 * that a name that is no expression (an empty macro, a type) ends at its ';' and leaves the
 * table's initializer whole; the item compiling is the answer. An enum, as gcc reports a syntax
 * error in each of several in a row (after one in a typedef or an array's size, it skipped the
 * next). */
PP_DECL(enum { pp_declared_@ID@ = sizeof((void)(@N@), 0) };)

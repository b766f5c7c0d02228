/* flexfield.c: a flexible array member @F@ of @S@ (sizeof refuses its incomplete type): its
 * offset, no size, and the size of one element (a count of 0). */
PP_SLOT(offset, __builtin_offsetof(@S@, @F@))
PP_SLOT(size, 0)
PP_SLOT(shape, 1)
PP_SLOT(elem, sizeof(((PP_T(@S@) *)0)->@F@[0]))

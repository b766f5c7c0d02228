/* field.c: what platprobe asks about member @F@ of struct or union @S@ (a path: a.b[2].c). The
 * member's type is named once (a typedef: 'typeof' refuses a bit-field there, and sizeof then
 * refuses a flexible array member's incomplete type); every question asks about that name. */
PP_DECL(typedef PP_MEMBER_T(@S@, @F@) pp_m@ID@;)
PP_SLOT(offset, __builtin_offsetof(@S@, @F@))
PP_SLOT(size, sizeof(pp_m@ID@))
PP_SLOT(class, PP_CLASS(pp_m@ID@))
PP_SLOT(shape, PP_SHAPE(pp_m@ID@))
PP_SLOT(elem, PP_ELEMSIZE(pp_m@ID@))
PP_SLOT(signed, PP_SIGNED(pp_m@ID@))

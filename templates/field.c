/* field.c: what platprobe asks about member @F@ of struct or union @S@ (a path: a.b[2].c). */
PP_SLOT(offset, __builtin_offsetof(@S@, @F@))
PP_SLOT(size, sizeof(PP_MEMBER_T(@S@, @F@)))
PP_SLOT(class, PP_CLASS(PP_MEMBER_T(@S@, @F@)))
PP_SLOT(shape, PP_SHAPE(PP_MEMBER_T(@S@, @F@)))
PP_SLOT(elem, PP_ELEMSIZE(PP_MEMBER_T(@S@, @F@)))
PP_SLOT(signed, PP_SIGNED(PP_MEMBER_T(@S@, @F@)))

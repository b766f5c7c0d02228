/* type.c: what platprobe asks about a type or a struct/union @T@. One answer per PP_SLOT line,
 * read back by its name; every expression is an integer constant expression. sizeof and
 * __typeof__ take expressions too, so the PP_DECL line makes sure @T@ names a type. */
PP_DECL(typedef char pp_is_a_type_@ID@[__builtin_types_compatible_p(@T@, @T@)];)
PP_SLOT(size, sizeof(@T@))
PP_SLOT(align, _Alignof(@T@))
PP_SLOT(palign, __alignof__(@T@))
PP_SLOT(class, PP_CLASS(@T@))
PP_SLOT(shape, PP_SHAPE(@T@))
PP_SLOT(elem, PP_ELEMSIZE(@T@))
PP_SLOT(signed, PP_SIGNED(@T@))

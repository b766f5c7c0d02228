/* type.c: what platprobe asks about a type or a struct/union @T@. One answer per PP_SLOT line,
 * read back by its name; every expression is an integer constant expression. sizeof and
 * __typeof__ take expressions too, so the first PP_DECL line makes sure @T@ names a type. The
 * second puts @T@ in the object's debug information under a name platprobe looks up (pp_dwarf.c):
 * every member of a struct, an enum's values, without another compile. */
PP_DECL(typedef char pp_is_a_type_@ID@[__builtin_types_compatible_p(@T@, @T@)];)
PP_DECL(__attribute__((used)) static __typeof__(@T@) *pp_dwarf_@ID@;)
PP_SLOT(size, sizeof(@T@))
PP_SLOT(align, _Alignof(@T@))
PP_SLOT(palign, __alignof__(@T@))
PP_SLOT(class, PP_CLASS(@T@))
PP_SLOT(shape, PP_SHAPE(@T@))
PP_SLOT(elem, PP_ELEMSIZE(@T@))
PP_SLOT(signed, PP_SIGNED(@T@))

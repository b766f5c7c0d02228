/* type.c: what platprobe asks about a type or a struct/union @T@. One answer per PP_SLOT line,
 * read back by its name; every expression is an integer constant expression. @T@ is written
 * twice: once in a typedef every question then asks about, once where only a type name compiles
 * (__builtin_types_compatible_p, at file scope: a syntax error there ends at its ';' and does not
 * derail the table's initializer), since sizeof and __typeof__ take expressions too. The PP_DWARF
 * line puts @T@ in the object's debug information under a name platprobe looks up (pp_dwarf.c):
 * every member of a struct, an enum's values, without another compile. */
PP_DECL(typedef __typeof__(@T@) pp_t@ID@;)
PP_DECL(typedef char pp_is_a_type_@ID@[__builtin_types_compatible_p(@T@, pp_t@ID@)];)
PP_DWARF(__attribute__((used)) static pp_t@ID@ *pp_dwarf_@ID@;)
PP_SLOT(size, sizeof(pp_t@ID@))
PP_SLOT(align, _Alignof(pp_t@ID@))
PP_SLOT(palign, __alignof__(pp_t@ID@))
PP_SLOT(class, PP_CLASS(pp_t@ID@))
PP_SLOT(shape, PP_SHAPE(pp_t@ID@))
PP_SLOT(elem, PP_ELEMSIZE(pp_t@ID@))
PP_SLOT(signed, PP_SIGNED(pp_t@ID@))

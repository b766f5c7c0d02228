/* link_ref.c: one reference to @N@ in the link test (link.c, run.c). */
	pp_sink ^= (__UINTPTR_TYPE__)&(@N@);

/* defined.c: whether @N@ is a defined macro. */
#ifdef @N@
PP_SLOT(defined, 1)
#else
PP_SLOT(defined, 0)
#endif

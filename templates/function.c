/* function.c: whether @N@ is declared (compile), and a function rather than an object. */
PP_SLOT(declared, sizeof(&(@N@)) != 0)
PP_SLOT(function, PP_XISFUNC(@N@))

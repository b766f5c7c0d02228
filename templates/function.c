/* function.c: whether @N@ is declared (compile; &(@N@) also refuses what is not an lvalue). */
PP_SLOT(declared, sizeof(&(@N@)) != 0)

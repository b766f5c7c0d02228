/* target.c: the target's own facts, asked in every probe (the result's "target" block). */
PP_SLOT(pointer_size, sizeof(void *))
PP_SLOT(int_size, sizeof(int))
PP_SLOT(long_size, sizeof(long))
PP_SLOT(llong_size, sizeof(long long))
PP_SLOT(char_signed, (char)-1 < 0)
/* how to read a long double constant's bytes: 53 a double, 64 x87, 106 double-double, 113 quad */
#ifdef __LDBL_MANT_DIG__
PP_SLOT(ldbl_mant, __LDBL_MANT_DIG__)
#else
PP_SLOT(ldbl_mant, 0)
#endif
#if defined(__clang__)
PP_SLOT(cc_id, 2)
PP_SLOT(cc_major, __clang_major__)
PP_SLOT(cc_minor, __clang_minor__)
PP_SLOT(cc_patch, __clang_patchlevel__)
#elif defined(__GNUC__)
PP_SLOT(cc_id, 1)
PP_SLOT(cc_major, __GNUC__)
PP_SLOT(cc_minor, __GNUC_MINOR__)
PP_SLOT(cc_patch, __GNUC_PATCHLEVEL__)
#else
PP_SLOT(cc_id, 0)
PP_SLOT(cc_major, 0)
PP_SLOT(cc_minor, 0)
PP_SLOT(cc_patch, 0)
#endif

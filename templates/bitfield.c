/* bitfield.c: a bit-field @F@ of @S@ has no address or size to ask for, so platprobe stores an
 * image of @S@ with only that field set to all ones and reads its bits (exact on every ABI). */
PP_BITS(image, @S@, @F@)
PP_SLOT(size, sizeof(@S@))

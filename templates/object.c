/* object.c: compile-only probe. Every answer is a constant expression in one static table that
 * platprobe reads back from the object file (DESIGN.md, "Object scan"); nothing is linked or run. */
@PRELUDE@
@PROBE_H@
@CHECKS@
#line 1 "platprobe-frame"
@TABLE_H@
__attribute__((used)) static const struct pp_table pp_table = {
	{ @MAGIC@ },
	0x0102030405060708ULL,
	@NSLOTS@,
	{
		[0] = __builtin_offsetof(struct pp_table, pp_values),
		[1] = __builtin_offsetof(struct pp_table, pp_end),
@SLOTS@
#line 1 "platprobe-frame"
	},
	{
		0,
@VALUE_INITS@
#line 1 "platprobe-frame"
	},
	{ @MAGIC_END@ },
};

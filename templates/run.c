/* run.c: probe by running. The same table as object.c, filled at run time (so values that are not
 * compile-time constants, like glibc's SIGRTMIN, can be answered) and printed in hex. Each item
 * fills its slots in a function of its own (pp_fill_N), called in order from main. */
@PRELUDE@
@PROBE_H@
@CHECKS@
#line 1 "platprobe-frame"
@TABLE_H@
#include <stdio.h>
#include <string.h>
static struct pp_table pp_table; /* static: zeroed, padding included, before anything is stored */
static volatile __UINTPTR_TYPE__ pp_sink;
static const unsigned char pp_magic_start[16] = { @MAGIC@ };
static const unsigned char pp_magic_end[16] = { @MAGIC_END@ };
@FILLS@
#line 20 "platprobe-frame"
int main(void)
{
	memcpy(pp_table.pp_magic, pp_magic_start, 16);
	memcpy(pp_table.pp_end, pp_magic_end, 16);
	pp_table.pp_marker = 0x0102030405060708ULL;
	pp_table.pp_count = @NSLOTS@;
	pp_table.pp_slot[0] = __builtin_offsetof(struct pp_table, pp_values);
	pp_table.pp_slot[1] = __builtin_offsetof(struct pp_table, pp_end);
@SLOTS@
#line 40 "platprobe-frame"
	const unsigned char *p = (const unsigned char *)&pp_table;
	for (size_t i = 0; i < sizeof pp_table; i++)
		printf("%02x", p[i]);
	printf("\n");
	return pp_sink == 1 && ferror(stdout);
}

/* link.c: object mode's one link: takes the address of every function and symbol asked for, so
 * the linker says which ones the spec's libraries do not provide. */
@PRELUDE@
#line 1 "platprobe-frame"
static volatile __UINTPTR_TYPE__ pp_sink;
int main(void)
{
@REFS@
#line 10 "platprobe-frame"
	return (int)(pp_sink & 0);
}

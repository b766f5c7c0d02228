/* table.h: the answer table. One struct: a 16-byte magic, an endianness marker, the slot count,
 * the integer answers, the typed values (strings, floats, bitfield images) and an end magic, so
 * platprobe can find and validate it in an object file of any format without a format parser. */
struct pp_values {
	char pp_first;
@VALUE_DECLS@
#line 1 "platprobe-frame"
};
struct pp_table {
	unsigned char pp_magic[16];
	unsigned long long pp_marker;
	unsigned long long pp_count;
	unsigned long long pp_slot[@NSLOTS@ + 1];
	struct pp_values pp_values;
	unsigned char pp_end[16];
};

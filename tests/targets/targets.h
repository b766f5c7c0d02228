/* The targets matrix's own types (tests/targets/check_targets.py): an enum, bit-fields, a packed
 * struct, and one member of each scalar kind, whose alignments differ between targets. */
#include <stddef.h>

enum tgt_e { TGT_NEG = -2, TGT_ONE = 1, TGT_BIG = 0x7fffffff };

struct tgt_bits {
	unsigned a : 3;
	signed b : 5;
	unsigned c : 9;
	char d;
	unsigned short e : 7;
	unsigned long f : 20;
	int g;
};

struct tgt_packed {
	char c;
	int i;
	short s;
	long long ll;
	void *p;
} __attribute__((packed));

struct tgt_mix {
	char c;
	short s;
	char c2;
	int i;
	char c3;
	long l;
	char c4;
	long long ll;
	char c5;
	double d;
	char c6;
	long double ld;
	char c7;
	void *p;
};

/* scan_seed.h: the declarations tests/fuzz/seeds/scan.json asks about: one of every kind of answer
 * the object scan decodes (bit-fields, strings with odd bytes, wide and negative integers, floats
 * that do and do not fit a double, a complex constant it must refuse). */
#ifndef SCAN_SEED_H
#define SCAN_SEED_H

struct seed_inner {
	short x;
	char y;
};

struct seed {
	unsigned char tag;
	unsigned bits : 5;
	int neg : 3;
	long long wide;
	struct seed_inner inner;
	char arr[3];
	double d;
};

union seed_u {
	int i;
	float f;
};

typedef int seed_arr[4];
typedef int seed_fn(int);
enum seed_e { SEED_A = -2, SEED_B = 7 };

#define SEED_STR "tab\there \"q\" \377\001 end"
#define SEED_EMPTY ""
#define SEED_NEG (-42)
#define SEED_BIG 0xfedcba9876543210ULL
#define SEED_FLOAT 0.1f
#define SEED_LDBL 0.5L
#define SEED_I128 ((__int128)1 << 40)
#define SEED_NAN __builtin_nan("")
#define SEED_INF (-__builtin_inf())
#define SEED_CPLX (1.0 + 2.0i)
#define SEED_CHAR 'a'

#endif

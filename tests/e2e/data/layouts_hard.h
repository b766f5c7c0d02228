/* layouts_hard.h: structs written for the hard cases of whole layouts (test_layouts.py): bit-fields
 * (unnamed, zero-width, signed, spanning units, of every width), packed and over-aligned structs,
 * #pragma pack, anonymous and untagged nesting, arrays, flexible array members, function pointers,
 * qualifiers, typedef chains and enums of every size and sign. */
#include <stdint.h>

typedef int hard_int;
typedef hard_int hard_int2;
typedef struct { int quot, rem; } hard_div;
typedef int hard_vec4[4];
typedef void hard_handler(int);

struct hard_bits {
	unsigned a : 3;
	int : 0;
	signed b : 5;
	unsigned : 4;
	char c;
	long long d : 40;
	int e : 2;
	_Bool f : 1;
	unsigned g : 1;
	hard_int2 h : 7;
	unsigned long long wide : 63;
	signed char sc : 3;
	unsigned short us : 9;
};

struct hard_unit_edges {
	unsigned char a : 7;
	unsigned char b : 2;   /* does not fit the first byte: starts the next */
	unsigned short c : 15;
	unsigned short d : 2;
	unsigned int e : 31;
	unsigned : 0;
	unsigned int f : 1;
	long long g : 33;
	long long h : 33;
};

struct hard_nest {
	int x;
	union {
		struct { short a, b; };
		long l;
		struct { unsigned lo : 4, hi : 4; } nib;
	};
	struct { char q[3][2]; double z; } named;
	struct { int k; char t; } rows[3];
	hard_div div;
	struct { union { int deep; float fdeep; }; } deep2;
	int fam[];
};

struct __attribute__((packed)) hard_packed {
	char c;
	int i;
	short s;
	long long ll;
	struct { char c2; int i2; } inner;
};

struct hard_packed_member {
	char c;
	int i __attribute__((packed));
	char d;
	long long l __attribute__((aligned(16)));
};

struct hard_aligned {
	char c;
	_Alignas(16) int x;
	_Alignas(64) char y;
	short z;
};

struct __attribute__((aligned(32))) hard_aligned_struct {
	int a;
	char b;
};

#pragma pack(push, 2)
struct hard_pack2 {
	char c;
	long l;
	int i;
	char d;
	unsigned bits : 20;
	double g;
};
#pragma pack(pop)

#pragma pack(push, 1)
struct hard_pack1 {
	char c;
	short s;
	unsigned x : 3;
	unsigned y : 12;
	double d;
};
#pragma pack(pop)

enum hard_e { HE_NEG = -1, HE_POS = 5, HE_MAX = 0x7fffffff };
enum hard_u { HU_BIG = 0xffffffffu, HU_ONE = 1 };
enum hard_l { HL_BIG = 0x100000000LL, HL_NEG = -5 };
enum hard_ul { HUL_TOP = 0xffffffffffffffffULL, HUL_ZERO = 0 };
enum hard_ll { HLL_MIN = -0x7fffffffffffffffLL - 1, HLL_MAX = 0x7fffffffffffffffLL };
enum __attribute__((packed)) hard_p { HP_A, HP_B = 200 };
enum __attribute__((packed)) hard_ps { HPS_A = -100, HPS_B = 100 };
enum __attribute__((packed)) hard_p16 { HP16_A = 0, HP16_B = 0xfffe };
typedef enum { HT_A = 3, HT_B = -3 } hard_typedef_enum;

struct hard_types {
	void (*cb)(int, char *);
	const volatile hard_int *cvp;
	char *const *cpp;
	hard_handler *h;
	hard_vec4 v4;
	hard_vec4 vv[2];
	enum hard_e e;
	enum hard_p pe;
	hard_typedef_enum te;
	enum hard_e ebits : 3;
	hard_typedef_enum tebits : 4;
	_Complex double cd;
	long double ld;
	__int128 i128;
	unsigned __int128 u128;
	int *restrict rp;
	struct hard_bits *next;
	union hard_u_fwd *fwd;
	uint8_t u8;
	int (*varargs)(const char *, ...);
	const struct hard_packed *cpk;
};

/* Declarators that pahole 1.24 prints wrongly or not at all (it drops _Atomic members, writes
 * int (*)[4] as int *): checked against the compiler only. */
struct hard_exotic {
	int (*(*fpfp)(void))(long);
	const char *const ccp;
	int (*parr)[4];
	void (*handlers[4])(int);
	_Atomic int ai;
	int (*noproto)();
	char (*(*matrix)[2])[3];
};

union hard_union {
	char c;
	int i;
	struct hard_bits bits;
	struct { unsigned x : 5, y : 27; };
	double d[3];
};

struct hard_empty_tail {
	long l;
	char c;
	char fam[];
};

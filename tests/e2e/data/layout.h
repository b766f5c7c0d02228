/* Hand-written layouts for the end-to-end tests (tests/e2e/test_types.py).
   Each struct exercises one hard case of struct layout. */
#ifndef PPTEST_LAYOUT_H
#define PPTEST_LAYOUT_H

/* a signed enum (has a negative enumerator) */
enum TESTENUM { TE_NEG = -3, TE_ZERO = 0, TE_BIG = 1000 };
/* an enum that needs 64 bits and has no negative value */
enum TESTENUM_WIDE { TW_ONE = 1, TW_HUGE = 0x100000000ULL };

struct inner { char c; int x; short s; };
union mix { int i; double d; char bytes[12]; };
struct pt { int x; long y; char tag; };

/* nested struct, union inside, array of structs, 2-D array,
   a char then a double, an over-aligned member, a long double */
struct hard {
    char c0;
    struct inner in;
    union mix u;
    struct pt arr[4];
    short grid[3][5];
    char c1;
    double d;
    _Alignas(16) int a16;
    unsigned char uc;
    signed char sc;
    long double ld;
    void *p;
    int (*fp)(void);
    enum TESTENUM e;
    unsigned long long ull;
    _Bool flag;
    float f;
};

struct __attribute__((packed)) packed_s { char c; int i; double d; short s; long long ll; };

struct cd { char c; double d; };

struct withld { char c; long double ld; int tail; };

struct alignas_s { char c; _Alignas(16) char buf[3]; int after; };

/* a struct that itself contains a packed struct and an array of unions */
struct outer2 { short s; struct packed_s pk; union mix um[2]; char last; };

#endif

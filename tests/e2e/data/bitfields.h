/* Bit-field layouts for tests/e2e/test_python.py and test_rust.py: bitfields_fill() (in the test's
   helper library) stores the values BF_* below, bitfields_get() reads one member back. */
#ifndef PPTEST_BITFIELDS_H
#define PPTEST_BITFIELDS_H

struct bf {
    unsigned char tag;            /* a byte, then bit-fields sharing one int after it */
    unsigned a : 3;
    unsigned b : 5;
    unsigned c : 12;
    unsigned char after;          /* a plain byte inside the int the bit-fields use */
    unsigned long long big : 40;  /* 64-bit storage */
    unsigned long long rest : 24;
    short s;
    int neg : 6;                  /* signed, read back as unsigned bits until the result says */
    unsigned x : 20;              /* three bytes, then a plain byte in the same int */
    unsigned char y;
    unsigned char lone : 1;       /* a one-bit field alone in its byte */
};

#define BF_TAG 0xa5
#define BF_A 5
#define BF_B 17
#define BF_C 3000
#define BF_AFTER 0x7e
#define BF_BIG 0xfedcba9876ULL
#define BF_REST 0xabcdef
#define BF_S (-1234)
#define BF_NEG (-5)
#define BF_X 0xabcde
#define BF_Y 0xc3
#define BF_LONE 1

void bitfields_fill(struct bf *p);
/* Member i (in the order above) of *p, as a 64-bit integer; -1 for a bad i. */
long long bitfields_get(const struct bf *p, int i);

#endif

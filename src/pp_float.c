/* pp_float.c: a float constant's value from the bytes the target stored it in (IEEE half, single,
 * double, quad; x87 extended; double-double), as a double, exactly or not at all. */
#include <math.h>
#include <string.h>

#include "pp_internal.h"

/* The bytes as an unsigned integer of up to 128 bits, most significant word first. */
static void pp_float_words(const unsigned char *p, size_t n, int big_endian, uint64_t *hi,
                           uint64_t *lo)
{
	*hi = *lo = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[big_endian ? i : n - 1 - i]; /* most significant byte first */
		*hi = (*hi << 8) | (*lo >> 56);
		*lo = (*lo << 8) | c;
	}
}

/* (-1)^neg * (mhi:mlo) * 2^exp as a double: 0 when exact, 1 when a double cannot hold it. */
static int pp_float_exact(int neg, uint64_t mhi, uint64_t mlo, long exp, double *out)
{
	if (!mhi && !mlo) {
		*out = neg ? -0.0 : 0.0;
		return 0;
	}
	while (!(mlo & 1)) { /* drop trailing zeros */
		mlo = (mlo >> 1) | (mhi << 63);
		mhi >>= 1;
		exp++;
	}
	if (mhi || mlo >> 53)
		return 1; /* more than 53 significant bits */
	int width = 0;
	for (uint64_t m = mlo; m; m >>= 1)
		width++;
	long top = exp + width - 1; /* exponent of the leading bit */
	if (top > 1023 || exp < -1074)
		return 1; /* past DBL_MAX, or bits below the smallest subnormal */
	*out = ldexp((double)mlo, (int)exp);
	if (neg)
		*out = -*out;
	return 0;
}

/* An IEEE binary format of ebits exponent bits and fbits fraction bits (implicit leading bit). */
static int pp_float_ieee(uint64_t hi, uint64_t lo, int ebits, int fbits, double *out)
{
	int total = 1 + ebits + fbits;
	int neg = total > 64 ? (int)(hi >> (total - 65)) & 1 : (int)(lo >> (total - 1)) & 1;
	uint64_t e, fhi, flo;
	if (total > 64) {
		e = (hi >> (fbits - 64)) & ((1ULL << ebits) - 1);
		fhi = hi & ((1ULL << (fbits - 64)) - 1);
		flo = lo;
	} else {
		e = (lo >> fbits) & ((1ULL << ebits) - 1);
		fhi = 0;
		flo = lo & ((1ULL << fbits) - 1);
	}
	long bias = (1L << (ebits - 1)) - 1;
	if (e == (1ULL << ebits) - 1) {
		*out = (fhi || flo) ? NAN : neg ? -INFINITY : INFINITY;
		return 0;
	}
	if (e) { /* the implicit bit */
		if (fbits >= 64)
			fhi |= 1ULL << (fbits - 64);
		else
			flo |= 1ULL << fbits;
	}
	return pp_float_exact(neg, fhi, flo, (e ? (long)e : 1) - bias - fbits, out);
}

int pp_float_decode(const unsigned char *p, size_t n, int big_endian, int is_ldouble,
                    unsigned ldbl_mant, double *out)
{
	uint64_t hi, lo;
	if (is_ldouble && ldbl_mant == 64 && n >= 10) {
		/* x87 extended: sign and exponent, then a 64-bit significand whose integer bit is
		 * explicit; in the first 10 bytes (little-endian), or m68k's 12 (big: 2 bytes unused) */
		uint64_t se;
		if (big_endian) {
			pp_float_words(p, 2, 1, &hi, &se);
			pp_float_words(p + 4, 8, 1, &hi, &lo);
		} else {
			pp_float_words(p + 8, 2, 0, &hi, &se);
			pp_float_words(p, 8, 0, &hi, &lo);
		}
		int neg = (int)(se >> 15) & 1;
		long e = (long)(se & 0x7fff);
		if (e == 0x7fff) {
			*out = (lo << 1) ? NAN : neg ? -INFINITY : INFINITY;
			return 0;
		}
		return pp_float_exact(neg, 0, lo, (e ? e : 1) - 16383 - 63, out);
	}
	if (is_ldouble && ldbl_mant == 106 && n == 16) {
		/* double-double: the value is hi + lo, exact as a double when lo is zero */
		double a, b;
		pp_float_words(p, 8, big_endian, &hi, &lo);
		if (pp_float_ieee(0, lo, 11, 52, &a) != 0)
			return 1;
		pp_float_words(p + 8, 8, big_endian, &hi, &lo);
		if (pp_float_ieee(0, lo, 11, 52, &b) != 0)
			return 1;
		*out = a;
		return isfinite(a) && b != 0;
	}
	pp_float_words(p, n > 16 ? 16 : n, big_endian, &hi, &lo);
	switch (n) {
	case 2: return pp_float_ieee(hi, lo, 5, 10, out);
	case 4: return pp_float_ieee(hi, lo, 8, 23, out);
	case 8: return pp_float_ieee(hi, lo, 11, 52, out);
	case 16: return pp_float_ieee(hi, lo, 15, 112, out);
	}
	return -1;
}

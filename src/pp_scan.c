/* pp_scan.c: finds the answer table in an object file (ELF, COFF, Mach-O alike) or a run's hex
 * dump, by scanning for every copy of the magic and keeping only a copy whose endianness marker,
 * slot count and end magic all check out (LTO or debug sections can hold stray copies). */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

static uint64_t pp_get64(const unsigned char *p, int big)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[big ? i : 7 - i] << (8 * (7 - i));
	return v;
}

uint64_t pp_table_slot(const pp_table *t, size_t i)
{
	return pp_get64(t->base + 32 + 8 * i, t->big_endian);
}

int pp_table_int(const pp_table *t, size_t off, size_t n, int sgn, uint64_t *v, int *neg)
{
	if (n == 0 || n > 16 || off > t->size || n > t->size - off)
		return -1;
	const unsigned char *p = t->base + off;
	/* Values wider than 8 bytes (__int128) must fit 64 bits after sign extension to be exact. */
	uint64_t x = 0;
	for (size_t i = 0; i < n && i < 8; i++) {
		size_t byte = t->big_endian ? n - 1 - i : i;
		x |= (uint64_t)p[byte] << (8 * i);
	}
	int negative = 0;
	if (sgn) {
		size_t top = t->big_endian ? 0 : n - 1;
		negative = (p[top] & 0x80) != 0;
		if (n < 8 && negative)
			x |= ~(uint64_t)0 << (8 * n);
	}
	for (size_t i = 8; i < n; i++) {
		size_t byte = t->big_endian ? n - 1 - i : i;
		if (p[byte] != (negative ? 0xff : 0x00))
			return -2; /* does not fit 64 bits */
	}
	/* A negative value must keep its sign in 64 bits; a positive one may use all 64. */
	if (sgn && n > 8 && negative && !((x >> 63) & 1))
		return -2;
	*v = x;
	*neg = negative;
	return 0;
}

/* Checks the copy of the magic at p; fills t when it is a whole, valid table. */
static int pp_try(const unsigned char *data, size_t len, size_t at, uint64_t expected, pp_table *t)
{
	const uint64_t marker = 0x0102030405060708ULL;
	if (len - at < 32 + 16)
		return 0;
	const unsigned char *p = data + at;
	int big;
	if (pp_get64(p + 16, 0) == marker)
		big = 0;
	else if (pp_get64(p + 16, 1) == marker)
		big = 1;
	else
		return 0;
	uint64_t count = pp_get64(p + 24, big);
	if (count != expected || count < 2 || count > (len - at) / 8)
		return 0;
	uint64_t values = pp_get64(p + 32, big), end = pp_get64(p + 40, big);
	if (values < 32 + 8 * (count + 1) || end < values || end > len - at - 16)
		return 0;
	if (memcmp(p + end, pp_magic_end, 16) != 0)
		return 0;
	t->base = p;
	t->size = (size_t)end + 16;
	t->big_endian = big;
	t->count = count;
	t->values_off = (size_t)values;
	return 1;
}

int pp_scan(const unsigned char *data, size_t len, uint64_t expected_count, pp_table *t, char **why)
{
	size_t found = 0, copies = 0;
	pp_table first;
	memset(&first, 0, sizeof first);
	const unsigned char *p = data;
	while (len >= 16 && (size_t)(p - data) <= len - 16) {
		const unsigned char *hit = memmem(p, len - (size_t)(p - data), pp_magic, 16);
		if (!hit)
			break;
		copies++;
		pp_table cand;
		if (pp_try(data, len, (size_t)(hit - data), expected_count, &cand)) {
			if (found == 0)
				first = cand;
			else if (cand.size != first.size || memcmp(cand.base, first.base, cand.size) != 0) {
				*why = pp_xstrdup("two different valid-looking answer tables in the compiler's "
				                  "output; refusing to guess which one is real");
				return -1;
			}
			found++;
		}
		p = hit + 1;
	}
	if (!found) {
		*why = copies ? pp_xasprintf("the compiler's output holds %zu copies of the answer table's "
		                             "magic but none is a valid table (LTO bytecode or a changed "
		                             "layout?)", copies)
		              : pp_xstrdup("no answer table in the compiler's output (was it really "
		                           "compiled from platprobe's file?)");
		return -1;
	}
	*t = first;
	return 0;
}

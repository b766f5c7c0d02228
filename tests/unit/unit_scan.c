/* unit_scan.c: pp_scan.c, which finds the answer table in an object file's bytes. The buffers are
 * assembled by hand here in the layout pp_scan.c and templates/table.h describe:
 *     magic[16]  marker u64 (0x0102030405060708)  count u64  slot[count + 1] (u64)
 *     values ...  end magic[16]
 * where slot[0] is the offset of the values and slot[1] the offset of the end magic, both from the
 * start of the table, and every u64 is in the target's byte order. Each finished buffer is copied
 * into a heap block of exactly its size, so AddressSanitizer catches any read past its end. */
#include <stdlib.h>

#include "pp_internal.h"
#include "unit.h"

#define MARKER 0x0102030405060708ULL

static void put64(unsigned char *p, uint64_t v, int big)
{
	for (int i = 0; i < 8; i++)
		p[big ? 7 - i : i] = (unsigned char)(v >> (8 * i));
}

/* A byte string being assembled. */
typedef struct bytes {
	unsigned char *p;
	size_t len;
} bytes;

static unsigned char *grow(bytes *b, size_t n)
{
	b->p = realloc(b->p, b->len + n);
	unsigned char *at = b->p + b->len;
	b->len += n;
	return at;
}

/* Bytes that hold no 0x89 (the magic's first byte). */
static void add_junk(bytes *b, size_t n, unsigned seed)
{
	unsigned char *p = grow(b, n);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((seed + i * 37) % 0x89);
}

/* The magic with its last byte wrong: must not count as a copy at all. */
static void add_near_miss(bytes *b)
{
	unsigned char *p = grow(b, 16);
	memcpy(p, pp_magic, 16);
	p[15] ^= 0x40;
}

static size_t table_size(uint64_t count, size_t nvalues)
{
	return 32 + 8 * ((size_t)count + 1) + nvalues + 16;
}

/* Appends a valid table (slot i >= 2 holds 1000 + i + tweak, value byte i is 0xa0 + i) and returns
 * its offset in b. */
static size_t add_table(bytes *b, int big, uint64_t count, size_t nvalues, uint64_t tweak)
{
	size_t at = b->len;
	unsigned char *p = grow(b, table_size(count, nvalues));
	uint64_t values = 32 + 8 * (count + 1), end = values + nvalues;
	memcpy(p, pp_magic, 16);
	put64(p + 16, MARKER, big);
	put64(p + 24, count, big);
	put64(p + 32, values, big);
	put64(p + 40, end, big);
	for (uint64_t i = 2; i <= count; i++)
		put64(p + 32 + 8 * i, 1000 + i + tweak, big);
	for (size_t i = 0; i < nvalues; i++)
		p[values + i] = (unsigned char)(0xa0 + i);
	memcpy(p + end, pp_magic_end, 16);
	return at;
}

/* Moves the assembled bytes into a block of exactly their size. */
static unsigned char *exact(bytes *b)
{
	unsigned char *e = malloc(b->len ? b->len : 1);
	if (b->len)
		memcpy(e, b->p, b->len);
	free(b->p);
	b->p = NULL;
	b->len = 0;
	return e;
}

typedef struct scan_out {
	int rc;
	pp_table t;
	char *why;
} scan_out;

static scan_out scan(bytes *b, uint64_t expected, unsigned char **data, size_t *len)
{
	scan_out o;
	memset(&o, 0, sizeof o);
	*len = b->len;
	*data = exact(b);
	o.rc = pp_scan(*data, *len, expected, &o.t, &o.why);
	return o;
}

/* Checks that a scan found the table at offset at, in byte order big, with count and nvalues. */
static void expect_found(const char *what_in, const scan_out *o, const unsigned char *data,
                         size_t at, int big, uint64_t count, size_t nvalues, uint64_t tweak)
{
	char what[200]; /* what_in may be a UNIT_NAME buffer, which later names reuse */
	snprintf(what, sizeof what, "%s", what_in);
	if (!CHECK(UNIT_NAME("%s: found", what), o->rc == 0)) {
		printf("# why: %s\n", o->why ? o->why : "(none)");
		return;
	}
	CHECK_U64(UNIT_NAME("%s: base", what), (size_t)(o->t.base - data), at);
	CHECK_U64(UNIT_NAME("%s: size", what), o->t.size, table_size(count, nvalues));
	CHECK_U64(UNIT_NAME("%s: endianness", what), o->t.big_endian, big);
	CHECK_U64(UNIT_NAME("%s: count", what), o->t.count, count);
	CHECK_U64(UNIT_NAME("%s: values offset", what), o->t.values_off, 32 + 8 * (count + 1));
	CHECK_U64(UNIT_NAME("%s: slot 0", what), pp_table_slot(&o->t, 0), 32 + 8 * (count + 1));
	CHECK_U64(UNIT_NAME("%s: slot 1", what), pp_table_slot(&o->t, 1), 32 + 8 * (count + 1) + nvalues);
	CHECK_U64(UNIT_NAME("%s: last slot", what), pp_table_slot(&o->t, count), 1000 + count + tweak);
	if (nvalues)
		CHECK_U64(UNIT_NAME("%s: first value byte", what), o->t.base[o->t.values_off], 0xa0);
}

static void expect_refused(const char *what, const scan_out *o, const char *says)
{
	CHECK(UNIT_NAME("%s: refused", what), o->rc == -1);
	CHECK_CONTAINS(UNIT_NAME("%s: says why", what), o->why, says);
}

static void test_scan(void)
{
	unsigned char *data;
	size_t len, at;
	scan_out o;
	bytes b = { NULL, 0 };

	for (int big = 0; big <= 1; big++) {
		const char *e = big ? "BE" : "LE";
		at = add_table(&b, big, 4, 24, 0);
		o = scan(&b, 4, &data, &len);
		expect_found(UNIT_NAME("%s table alone", e), &o, data, at, big, 4, 24, 0);
		free(o.why);
		free(data);

		/* Junk before (with a near miss, at an odd offset) and after. */
		add_junk(&b, 13, 1);
		add_near_miss(&b);
		at = add_table(&b, big, 7, 13, 0);
		add_junk(&b, 29, 2);
		o = scan(&b, 7, &data, &len);
		CHECK(UNIT_NAME("%s junk around: table at an odd offset", e), at % 2 == 1);
		expect_found(UNIT_NAME("%s junk around", e), &o, data, at, big, 7, 13, 0);
		free(o.why);
		free(data);

		/* The smallest table: only slots 0 and 1, no values. */
		at = add_table(&b, big, 2, 0, 0);
		o = scan(&b, 2, &data, &len);
		expect_found(UNIT_NAME("%s minimal table", e), &o, data, at, big, 2, 0, 0);
		free(o.why);
		free(data);
	}

	/* A truncated copy (cut inside its slots) followed by a valid one. */
	add_table(&b, 0, 4, 8, 0);
	b.len = 44;
	at = add_table(&b, 0, 4, 8, 0);
	o = scan(&b, 4, &data, &len);
	expect_found("truncated copy then a valid one", &o, data, at, 0, 4, 8, 0);
	free(o.why);
	free(data);

	/* A valid copy followed by a copy cut off by the end of the data. */
	at = add_table(&b, 1, 4, 8, 0);
	add_table(&b, 1, 4, 8, 0);
	b.len -= 20;
	o = scan(&b, 4, &data, &len);
	expect_found("valid copy then one cut by the end", &o, data, at, 1, 4, 8, 0);
	free(o.why);
	free(data);

	/* Only the magic and a few bytes at the very end. */
	add_junk(&b, 5, 3);
	grow(&b, 16);
	memcpy(b.p + b.len - 16, pp_magic, 16);
	add_junk(&b, 20, 4);
	o = scan(&b, 4, &data, &len);
	expect_refused("magic near the end with no room for a table", &o, "none is a valid table");
	free(o.why);
	free(data);

	/* A copy with the wrong count. */
	add_table(&b, 0, 5, 8, 0);
	o = scan(&b, 4, &data, &len);
	expect_refused("wrong count", &o, "none is a valid table");
	free(o.why);
	free(data);

	/* ...followed by the right one. */
	add_table(&b, 0, 5, 8, 0);
	at = add_table(&b, 0, 4, 8, 0);
	o = scan(&b, 4, &data, &len);
	expect_found("wrong count then the right one", &o, data, at, 0, 4, 8, 0);
	free(o.why);
	free(data);

	/* Two identical valid copies (an object holding the table twice): accepted. */
	at = add_table(&b, 0, 4, 8, 0);
	add_junk(&b, 3, 5);
	add_table(&b, 0, 4, 8, 0);
	o = scan(&b, 4, &data, &len);
	expect_found("two identical copies", &o, data, at, 0, 4, 8, 0);
	free(o.why);
	free(data);

	/* Two different valid copies: refuse to guess. */
	add_table(&b, 0, 4, 8, 0);
	add_table(&b, 0, 4, 8, 1);
	o = scan(&b, 4, &data, &len);
	expect_refused("two different copies", &o, "two different");
	free(o.why);
	free(data);

	/* Same values, different byte order: different bytes, so also refused. */
	add_table(&b, 0, 4, 8, 0);
	add_table(&b, 1, 4, 8, 0);
	o = scan(&b, 4, &data, &len);
	expect_refused("an LE and a BE copy", &o, "two different");
	free(o.why);
	free(data);

	/* No magic at all. */
	add_junk(&b, 300, 6);
	add_near_miss(&b);
	o = scan(&b, 4, &data, &len);
	expect_refused("no magic", &o, "no answer table");
	free(o.why);
	free(data);

	/* Nothing at all, and less than a magic. */
	o = scan(&b, 4, &data, &len);
	expect_refused("empty data", &o, "no answer table");
	free(o.why);
	free(data);
	grow(&b, 15);
	memcpy(b.p, pp_magic, 15);
	o = scan(&b, 4, &data, &len);
	expect_refused("15 bytes of magic", &o, "no answer table");
	free(o.why);
	free(data);

	/* Damaged copies, each alone: refused as "none is a valid table". */
	static const struct {
		const char *what;
		size_t off;      /* the u64 at this offset of the table is replaced */
		uint64_t value;  /* by this; SIZE_MAX in off: damage the end magic instead */
	} damage[] = {
		{ "bad marker", 16, 0x0102030405060709ULL },
		{ "marker 0 (LTO bytecode after a raw magic)", 16, 0 },
		{ "values offset inside the slots", 32, 32 + 8 * 4 },
		{ "end before the values", 40, 32 + 8 * 5 - 1 },
		{ "end offset beyond the data", 40, 32 + 8 * 5 + 8 + 16 + 1 },
		{ "end offset 2^64-1", 40, UINT64_MAX },
		{ "values offset 2^64-1", 32, UINT64_MAX },
		{ "count 2^62", 24, 1ULL << 62 },
		{ "count 2^64-1", 24, UINT64_MAX },
		{ "damaged end magic", SIZE_MAX, 0 },
	};
	for (size_t i = 0; i < sizeof damage / sizeof damage[0]; i++) {
		at = add_table(&b, 0, 4, 8, 0);
		if (damage[i].off == SIZE_MAX)
			b.p[at + table_size(4, 8) - 1] ^= 1;
		else
			put64(b.p + at + damage[i].off, damage[i].value, 0);
		/* The expected count follows a damaged count, so only the bound can refuse it. */
		uint64_t expected = damage[i].off == 24 ? damage[i].value : 4;
		o = scan(&b, expected, &data, &len);
		expect_refused(damage[i].what, &o, "none is a valid table");
		free(o.why);
		free(data);
	}

	/* A table at offset 0 followed by nothing is fine; the same with the end magic cut by one
	 * byte is not (end + 16 must lie inside the data). */
	add_table(&b, 0, 4, 8, 0);
	b.len--;
	o = scan(&b, 4, &data, &len);
	expect_refused("end magic cut by one byte", &o, "none is a valid table");
	free(o.why);
	free(data);
}

/* ---- pp_table_int: n-byte integers in either byte order ---- */

/* Writes the n-byte two's complement integer whose bits 0..63 are lo and 64..127 are hi. */
static void put_int(unsigned char *p, size_t n, int big, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char byte = (unsigned char)(i < 8 ? lo >> (8 * i) : hi >> (8 * (i - 8)));
		p[big ? n - 1 - i : i] = byte;
	}
}

typedef struct int_case {
	size_t n;
	int sgn;
	uint64_t lo, hi;
	int rc;
	uint64_t v;
	int neg;
} int_case;

static const int_case ints[] = {
	{ 1, 0, 0xff, 0, 0, 255, 0 },
	{ 1, 1, 0xff, 0, 0, UINT64_MAX, 1 },                      /* -1 */
	{ 1, 1, 0x80, 0, 0, (uint64_t)-128, 1 },
	{ 1, 1, 0x7f, 0, 0, 127, 0 },
	{ 2, 0, 0x1234, 0, 0, 0x1234, 0 },
	{ 2, 0, 0x8000, 0, 0, 32768, 0 },
	{ 2, 1, 0x8000, 0, 0, (uint64_t)-32768, 1 },
	{ 2, 1, 0xfffe, 0, 0, (uint64_t)-2, 1 },
	{ 4, 0, 0x80000000, 0, 0, 2147483648u, 0 },
	{ 4, 1, 0x80000000, 0, 0, (uint64_t)INT32_MIN, 1 },
	{ 4, 1, 0x7fffffff, 0, 0, INT32_MAX, 0 },
	{ 4, 1, 0xfffffffe, 0, 0, (uint64_t)-2, 1 },
	{ 4, 0, 0xdeadbeef, 0, 0, 0xdeadbeef, 0 },
	{ 8, 1, 0x8000000000000000, 0, 0, (uint64_t)INT64_MIN, 1 },
	{ 8, 1, 0x7fffffffffffffff, 0, 0, INT64_MAX, 0 },
	{ 8, 1, UINT64_MAX, 0, 0, UINT64_MAX, 1 },                /* -1 */
	{ 8, 0, UINT64_MAX, 0, 0, UINT64_MAX, 0 },
	{ 8, 0, 0x0102030405060708, 0, 0, 0x0102030405060708, 0 },
	/* 16 bytes (__int128): exact when the value fits 64 bits, else -2. */
	{ 16, 1, 5, 0, 0, 5, 0 },
	{ 16, 1, UINT64_MAX, UINT64_MAX, 0, UINT64_MAX, 1 },      /* -1 */
	{ 16, 1, 0x8000000000000000, UINT64_MAX, 0, (uint64_t)INT64_MIN, 1 },
	{ 16, 0, UINT64_MAX, 0, 0, UINT64_MAX, 0 },               /* 2^64 - 1 */
	{ 16, 0, 0x0102030405060708, 0, 0, 0x0102030405060708, 0 },
	{ 16, 1, 0x7fffffffffffffff, UINT64_MAX, -2, 0, 0 },      /* -2^63 - 1 */
	{ 16, 0, 0, 1, -2, 0, 0 },                                /* 2^64 */
	{ 16, 1, 0, 1, -2, 0, 0 },                                /* 2^64 */
	{ 16, 0, 0, 0x8000000000000000, -2, 0, 0 },               /* 2^127 */
	{ 16, 1, 0, 0x8000000000000000, -2, 0, 0 },               /* -2^127 */
	{ 16, 1, 1, 0xfffffffffffffffe, -2, 0, 0 },               /* -2^64 + 1 */
	/* A signed __int128 holding 2^64 - 1 fits the result model (uint64, not negative); the
	 * contract promises integers exact over the whole uint64 range. */
	{ 16, 1, UINT64_MAX, 0, 0, UINT64_MAX, 0 },
};

static void test_int(void)
{
	unsigned char buf[40];
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		const int_case *c = &ints[i];
		for (int big = 0; big <= 1; big++) {
			/* At offset 3, between bytes that would show if they were read. */
			memset(buf, 0x5a, sizeof buf);
			put_int(buf + 3, c->n, big, c->lo, c->hi);
			pp_table t;
			memset(&t, 0, sizeof t);
			t.base = buf;
			t.size = sizeof buf;
			t.big_endian = big;
			uint64_t v = 0xcccccccccccccccc;
			int neg = 7;
			int rc = pp_table_int(&t, 3, c->n, c->sgn, &v, &neg);
			const char *name = UNIT_NAME("pp_table_int %s %zu-byte %s 0x%016" PRIx64 "%016" PRIx64,
			                             big ? "BE" : "LE", c->n, c->sgn ? "signed" : "unsigned",
			                             c->hi, c->lo);
			char nm[600];
			snprintf(nm, sizeof nm, "%s", name);
			if (!CHECK_I64(UNIT_NAME("%s: status", nm), rc, c->rc) || c->rc != 0)
				continue;
			CHECK_U64(UNIT_NAME("%s: value", nm), v, c->v);
			CHECK_U64(UNIT_NAME("%s: negative", nm), neg, c->neg);
		}
	}

	/* Sizes and bounds. */
	pp_table t;
	memset(&t, 0, sizeof t);
	memset(buf, 0x11, sizeof buf);
	t.base = buf;
	t.size = sizeof buf;
	uint64_t v;
	int neg;
	CHECK_I64("pp_table_int: size 0 refused", pp_table_int(&t, 0, 0, 0, &v, &neg), -1);
	CHECK_I64("pp_table_int: size 17 refused", pp_table_int(&t, 0, 17, 0, &v, &neg), -1);
	CHECK_I64("pp_table_int: value crossing the end refused",
	          pp_table_int(&t, sizeof buf - 1, 2, 0, &v, &neg), -1);
	CHECK_I64("pp_table_int: offset past the end refused",
	          pp_table_int(&t, sizeof buf + 1, 1, 0, &v, &neg), -1);
	CHECK_I64("pp_table_int: offset 2^64-1 refused", pp_table_int(&t, SIZE_MAX, 8, 0, &v, &neg), -1);
	if (CHECK_I64("pp_table_int: value ending at the end read",
	              pp_table_int(&t, sizeof buf - 8, 8, 0, &v, &neg), 0))
		CHECK_U64("pp_table_int: value ending at the end", v, 0x1111111111111111);
}

int main(void)
{
	test_scan();
	test_int();
	return unit_done();
}

/* pp_json.c: JSON text output with the result format's exactness rules: integers over the whole
 * int64/uint64 range, floats that round-trip, strings byte for byte. */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

size_t pp_utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		min = 0x80;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		min = 0x800;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

void pp_json_str(pp_buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	pp_buf_addc(b, '"');
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c == '"' || c == '\\') {
			pp_buf_addc(b, '\\');
			pp_buf_addc(b, (char)c);
			i++;
		} else if (c == '\n') {
			pp_buf_adds(b, "\\n");
			i++;
		} else if (c == '\t') {
			pp_buf_adds(b, "\\t");
			i++;
		} else if (c == '\r') {
			pp_buf_adds(b, "\\r");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			pp_buf_addf(b, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			pp_buf_addc(b, (char)c);
			i++;
		} else {
			size_t len = pp_utf8_len(s + i, n - i);
			if (len) {
				pp_buf_add(b, s + i, len);
				i += len;
			} else {
				/* Not UTF-8: keep the byte's value as the code point of the same number. */
				pp_buf_addf(b, "\\u%04x", c);
				i++;
			}
		}
	}
	pp_buf_addc(b, '"');
}

void pp_json_double(pp_buf *b, double d)
{
	if (isnan(d)) {
		pp_buf_adds(b, "\"nan\"");
		return;
	}
	if (isinf(d)) {
		pp_buf_adds(b, d < 0 ? "\"-inf\"" : "\"inf\"");
		return;
	}
	/* The shortest of %.15g..%.17g that reads back as the same double, in the C locale whatever
	 * the program's LC_NUMERIC says (JSON's decimal point is always '.'). */
	char tmp[40];
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	if (c) {
		uselocale(old);
		freelocale(c);
	}
	pp_buf_adds(b, tmp);
	if (!strpbrk(tmp, ".eE"))
		pp_buf_adds(b, ".0"); /* stays a float for readers that keep the distinction */
}

void pp_json_int(pp_buf *b, uint64_t u, int neg)
{
	if (neg)
		pp_buf_addf(b, "%lld", (long long)(int64_t)u);
	else
		pp_buf_addf(b, "%llu", (unsigned long long)u);
}

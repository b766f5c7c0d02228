/* pp_jdom.c: a strict JSON reader for platprobe's own results (diff, check, --from, the cache).
 * cJSON stores numbers as doubles, which cannot hold every 64-bit integer, so this keeps each
 * number as its text. The same pass, without building, is the spec's syntax check: it gives exact
 * positions and refuses invalid UTF-8, raw NULs and \u0000. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

typedef struct pp_jp {
	const unsigned char *s;
	size_t len, i;
	const char *what;
	int build;
} pp_jp;

static void pp_jp_ws(pp_jp *v)
{
	while (v->i < v->len && (v->s[v->i] == ' ' || v->s[v->i] == '\t' || v->s[v->i] == '\n' ||
	                         v->s[v->i] == '\r'))
		v->i++;
}

static int pp_jp_fail(pp_jp *v, const char *what)
{
	if (!v->what)
		v->what = what;
	return -1;
}

static unsigned pp_hex4(const unsigned char *p)
{
	unsigned u = 0;
	for (int k = 0; k < 4; k++) {
		unsigned c = p[k];
		u = u * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return u;
}

static void pp_put_utf8(pp_buf *b, unsigned cp)
{
	char o[4];
	size_t n;
	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	pp_buf_add(b, o, n);
}

/* A string at v->i (its opening quote); decoded into out when out is not NULL. A result's string
 * values are C bytes, written by pp_json_str: a NUL byte as \u0000 and a byte that is not UTF-8 as
 * \u0080..\u00ff (it writes valid UTF-8 as it is). So in a value (is_value) \u0000 is a NUL, and in
 * a tree being built \u0080..\u00ff is the byte it stands for: read as U+0080..U+00FF, a string
 * constant with such bytes would come back from --from with other bytes. A spec's names and a
 * key never hold a NUL (it would cut them short). */
static int pp_jp_string(pp_jp *v, pp_buf *out, int is_value)
{
	size_t start = v->i;
	v->i++;
	while (v->i < v->len) {
		unsigned c = v->s[v->i];
		if (c == '"') {
			v->i++;
			return 0;
		}
		if (c < 0x20)
			return pp_jp_fail(v, c ? "control character in a string" : "NUL byte in the spec");
		if (c == '\\') {
			if (v->i + 1 >= v->len)
				break;
			unsigned e = v->s[v->i + 1];
			if (e == 'u') {
				if (v->i + 6 > v->len)
					break;
				for (int k = 2; k < 6; k++)
					if (!v->s[v->i + (size_t)k] ||
					    !strchr("0123456789abcdefABCDEF", v->s[v->i + (size_t)k]))
						return pp_jp_fail(v, "bad \\u escape");
				unsigned cp = pp_hex4(v->s + v->i + 2);
				if (cp == 0 && !(is_value && v->build))
					return pp_jp_fail(v, v->build ? "\\u0000 (NUL) is not allowed in a key"
					                              : "\\u0000 (NUL) is not allowed in a spec");
				v->i += 6;
				int paired = 0;
				if (cp >= 0xd800 && cp <= 0xdbff && v->i + 6 <= v->len && v->s[v->i] == '\\' &&
				    v->s[v->i + 1] == 'u') {
					unsigned lo = pp_hex4(v->s + v->i + 2);
					if (lo >= 0xdc00 && lo <= 0xdfff) {
						cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
						v->i += 6;
						paired = 1;
					}
				}
				/* A spec's text must be characters (cJSON, which reads it next, agrees); a
				 * result's string is bytes, and its lone surrogate stays what it decodes to. */
				if (!paired && cp >= 0xd800 && cp <= 0xdfff && !v->build) {
					v->i -= 6;
					return pp_jp_fail(v, "a lone surrogate in a \\u escape (not a character)");
				}
				if (out && cp >= 0x80 && cp <= 0xff)
					pp_buf_addc(out, (char)cp);
				else if (out)
					pp_put_utf8(out, cp);
			} else if (e && strchr("\"\\/bfnrt", (int)e)) {
				if (out) {
					static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
					pp_buf_addc(out, to[strchr(from, (int)e) - from]);
				}
				v->i += 2;
			} else {
				return pp_jp_fail(v, "bad escape in a string");
			}
			continue;
		}
		size_t n = c < 0x80 ? 1 : pp_utf8_len(v->s + v->i, v->len - v->i);
		if (!n)
			return pp_jp_fail(v, "invalid UTF-8");
		if (out)
			pp_buf_add(out, v->s + v->i, n);
		v->i += n;
	}
	v->i = start; /* point at where the string began, not at the end of the file */
	return pp_jp_fail(v, "unterminated string");
}

static int pp_jp_digits(pp_jp *v)
{
	size_t d = v->i;
	while (v->i < v->len && v->s[v->i] >= '0' && v->s[v->i] <= '9')
		v->i++;
	return v->i > d;
}

static int pp_jp_number(pp_jp *v)
{
	size_t st = v->i;
	if (v->s[v->i] == '-')
		v->i++;
	size_t d = v->i;
	if (!pp_jp_digits(v) || (v->s[d] == '0' && v->i - d > 1)) {
		v->i = st;
		return pp_jp_fail(v, "bad number");
	}
	if (v->i < v->len && v->s[v->i] == '.') {
		v->i++;
		if (!pp_jp_digits(v))
			return pp_jp_fail(v, "bad number");
	}
	if (v->i < v->len && (v->s[v->i] == 'e' || v->s[v->i] == 'E')) {
		v->i++;
		if (v->i < v->len && (v->s[v->i] == '+' || v->s[v->i] == '-'))
			v->i++;
		if (!pp_jp_digits(v))
			return pp_jp_fail(v, "bad number");
	}
	return 0;
}

static pp_jnode *pp_jnew(pp_jp *v, enum pp_jtype t)
{
	if (!v->build)
		return NULL;
	pp_jnode *n = pp_xcalloc(1, sizeof *n);
	n->type = t;
	n->off = v->i;
	return n;
}

static int pp_key_cmp(const void *a, const void *b)
{
	const pp_jnode *x = *(const pp_jnode *const *)a, *y = *(const pp_jnode *const *)b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->key_off < y->key_off ? -1 : x->key_off > y->key_off;
}

/* An object's keys are unique: with two, pp_jget sees only the first, so --from would read one
 * answer while diff and check compared the other (a document would even differ from itself).
 * Sorted, so a result's thousands of entries cost n log n. On a duplicate, v->i is its key. */
static int pp_jp_unique(pp_jp *v, const pp_jnode *obj)
{
	size_t n = 0;
	for (const pp_jnode *c = obj->child; c; c = c->next)
		n++;
	if (n < 2)
		return 0;
	const pp_jnode **keys = pp_xcalloc(n, sizeof *keys);
	n = 0;
	for (const pp_jnode *c = obj->child; c; c = c->next)
		keys[n++] = c;
	qsort(keys, n, sizeof *keys, pp_key_cmp);
	size_t first = (size_t)-1;
	for (size_t i = 1; i < n; i++)
		if (!strcmp(keys[i - 1]->key, keys[i]->key) && keys[i]->key_off < first)
			first = keys[i]->key_off;
	free(keys);
	if (first == (size_t)-1)
		return 0;
	v->i = first;
	return pp_jp_fail(v, "duplicate key in an object");
}

static int pp_jp_value(pp_jp *v, int depth, pp_jnode **out)
{
	pp_jp_ws(v);
	if (v->i >= v->len)
		return pp_jp_fail(v, "unexpected end of input");
	if (depth > 200)
		return pp_jp_fail(v, "nested too deeply (more than 200 levels)");
	unsigned c = v->s[v->i];
	if (c == '"') {
		pp_jnode *n = pp_jnew(v, PP_J_STR);
		pp_buf b = PP_BUF_INIT;
		int rc = pp_jp_string(v, n ? &b : NULL, 1);
		if (n) {
			n->len = b.len;
			n->str = pp_buf_detach(&b);
		}
		*out = n;
		return rc;
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		pp_jnode *n = pp_jnew(v, PP_J_NUM);
		size_t st = v->i;
		int rc = pp_jp_number(v);
		if (n) {
			n->len = v->i - st;
			n->str = pp_xstrndup((const char *)v->s + st, n->len);
		}
		*out = n;
		return rc;
	}
	static const char *const words[] = { "true", "false", "null" };
	for (int k = 0; k < 3; k++) {
		size_t len = strlen(words[k]);
		if (v->len - v->i >= len && !memcmp(v->s + v->i, words[k], len)) {
			pp_jnode *n = pp_jnew(v, k == 2 ? PP_J_NULL : PP_J_BOOL);
			if (n)
				n->b = k == 0;
			*out = n;
			v->i += len;
			return 0;
		}
	}
	if (c != '{' && c != '[')
		return pp_jp_fail(v, c ? "unexpected character" : "NUL byte in the spec");
	pp_jnode *n = pp_jnew(v, c == '{' ? PP_J_OBJ : PP_J_ARR);
	*out = n;
	pp_jnode **tail = n ? &n->child : NULL;
	unsigned close = c == '{' ? '}' : ']';
	v->i++;
	pp_jp_ws(v);
	if (v->i < v->len && v->s[v->i] == close) {
		v->i++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		size_t key_off = 0;
		if (c == '{') {
			pp_jp_ws(v);
			if (v->i >= v->len)
				return pp_jp_fail(v, "unexpected end of input");
			if (v->s[v->i] != '"')
				return pp_jp_fail(v, "expected a key (a string)");
			key_off = v->i;
			pp_buf kb = PP_BUF_INIT;
			if (pp_jp_string(v, n ? &kb : NULL, 0) < 0) {
				pp_buf_free(&kb);
				return -1;
			}
			key = n ? pp_buf_detach(&kb) : NULL;
			pp_jp_ws(v);
			if (v->i >= v->len || v->s[v->i] != ':') {
				free(key);
				return pp_jp_fail(v, v->i >= v->len ? "unexpected end of input" : "expected ':'");
			}
			v->i++;
		}
		pp_jnode *child = NULL;
		int rc = pp_jp_value(v, depth + 1, &child);
		if (child) {
			child->key = key;
			child->key_off = key_off;
			*tail = child;
			tail = &child->next;
		} else {
			free(key);
		}
		if (rc < 0)
			return -1;
		pp_jp_ws(v);
		if (v->i >= v->len)
			return pp_jp_fail(v, "unexpected end of input");
		if (v->s[v->i] == close) {
			v->i++;
			return n && c == '{' ? pp_jp_unique(v, n) : 0;
		}
		if (v->s[v->i] != ',')
			return pp_jp_fail(v, c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
		v->i++;
	}
}

static pp_jnode *pp_jrun(const char *text, size_t len, int build, size_t *err_off, const char **what)
{
	pp_jp v = { (const unsigned char *)text, len, 0, NULL, build };
	pp_jnode *root = NULL;
	if (pp_jp_value(&v, 0, &root) == 0) {
		pp_jp_ws(&v);
		if (v.i == len) {
			*what = NULL;
			return root;
		}
		v.what = "garbage after the end of the document";
	}
	pp_jfree(root);
	*err_off = v.i;
	*what = v.what;
	return NULL;
}

pp_jnode *pp_jparse(const char *text, size_t len, size_t *err_off, const char **what)
{
	return pp_jrun(text, len, 1, err_off, what);
}

int pp_jcheck(const char *text, size_t len, size_t *err_off, const char **what)
{
	pp_jrun(text, len, 0, err_off, what);
	return *what ? -1 : 0;
}

void pp_jfree(pp_jnode *n)
{
	while (n) {
		pp_jnode *next = n->next;
		pp_jfree(n->child);
		free(n->key);
		free(n->str);
		free(n);
		n = next;
	}
}

const pp_jnode *pp_jget(const pp_jnode *obj, const char *key)
{
	if (!obj || obj->type != PP_J_OBJ)
		return NULL;
	for (const pp_jnode *c = obj->child; c; c = c->next)
		if (c->key && strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

void pp_jwrite(pp_buf *b, const pp_jnode *n)
{
	switch (n->type) {
	case PP_J_NULL: pp_buf_adds(b, "null"); break;
	case PP_J_BOOL: pp_buf_adds(b, n->b ? "true" : "false"); break;
	case PP_J_NUM: pp_buf_add(b, n->str, n->len); break;
	case PP_J_STR: pp_json_str(b, n->str, n->len); break;
	case PP_J_ARR:
	case PP_J_OBJ:
		pp_buf_addc(b, n->type == PP_J_OBJ ? '{' : '[');
		for (const pp_jnode *c = n->child; c; c = c->next) {
			if (c != n->child)
				pp_buf_adds(b, ", ");
			if (n->type == PP_J_OBJ) {
				pp_json_str(b, c->key, strlen(c->key));
				pp_buf_adds(b, ": ");
			}
			pp_jwrite(b, c);
		}
		pp_buf_addc(b, n->type == PP_J_OBJ ? '}' : ']');
		break;
	}
}

/* pp_bind.c: what the Go and cdecl formats add to pp_emit.c's data tree. Both lay a record out by
 * rules that are not the target C compiler's -- gc's (int64 aligned to 4 on 32-bit targets) and a
 * C FFI's natural alignment (cffi, LuaJIT) -- so each member gets the spelling that keeps C's
 * offset under those rules: explicit padding, or a byte array where the rules would misplace it. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

static uint64_t pp_jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? strtoull(v->valuestring, NULL, 10) : 0;
}

static const cJSON *pp_jobj(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsObject(v) ? v : NULL;
}

static const char *pp_jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The two rule sets: gc's, and a C FFI's natural alignment. */
enum pp_lang { PP_GO, PP_CDECL };

typedef struct pp_bctx {
	enum pp_lang lang;
	unsigned ptr;
	cJSON *records;  /* the tree's records, looked up by ident */
	const pp_strv *funcs; /* cdecl: the functions' names, which a record's typedef yields to */
} pp_bctx;

static int pp_is_pow2_size(uint64_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

static const cJSON *pp_find_record(const pp_bctx *c, const char *ident)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, c->records)
		if (!strcmp(pp_jstr(r, "ident"), ident))
			return r;
	return NULL;
}

/* The alignment the language gives a type: gc aligns a scalar to at most the register size. */
static uint64_t pp_nat1(const pp_bctx *c, const cJSON *ty);

/* A type's natural alignment in the language: at least 1, whatever a saved result says (a size
 * or alignment of 0 is read from a damaged table too, and the caller divides by it). */
static uint64_t pp_nat(const pp_bctx *c, const cJSON *ty)
{
	uint64_t n = pp_nat1(c, ty);
	return n ? n : 1;
}

static uint64_t pp_nat1(const pp_bctx *c, const cJSON *ty)
{
	const cJSON *a;
	uint64_t size = pp_jnum(ty, "size");
	if (pp_jobj(ty, "int") || pp_jobj(ty, "f32") || pp_jobj(ty, "f64"))
		return c->lang == PP_GO && size > c->ptr ? c->ptr : size;
	if (pp_jobj(ty, "pointer"))
		return c->ptr;
	if ((a = pp_jobj(ty, "array")))
		return pp_nat(c, pp_jobj(a, "elem"));
	if ((a = pp_jobj(ty, "record"))) {
		const cJSON *r = pp_find_record(c, pp_jstr(a, "ident"));
		const cJSON *b = r ? pp_jobj(r, c->lang == PP_GO ? "go" : "cdecl") : NULL;
		return b ? pp_jnum(b, "align") : 1;
	}
	return 1; /* fext: bytes */
}

/* The name the language's file gives a record bound already (cdecl: "struct stat" where the
 * function stat takes its typedef). */
static const char *pp_name_of(const pp_bctx *c, const char *ident)
{
	const cJSON *r = pp_find_record(c, ident);
	const cJSON *g = r ? pp_jobj(r, c->lang == PP_GO ? "go" : "cdecl") : NULL;
	return g ? pp_jstr(g, "name") : ident;
}

/* A type's spelling: Go's whole ("[2]uint64"), or C's base with the array suffix apart. */
static void pp_spell(const pp_bctx *c, const cJSON *ty, pp_buf *base, pp_buf *dims)
{
	const cJSON *k;
	if ((k = pp_jobj(ty, "int"))) {
		int sgn = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k, "signed"));
		pp_buf_addf(base, c->lang == PP_GO ? "%sint%s" : "%sint%s_t", sgn ? "" : "u",
		            pp_jstr(k, "bits"));
	} else if (pp_jobj(ty, "f32")) {
		pp_buf_adds(base, c->lang == PP_GO ? "float32" : "float");
	} else if (pp_jobj(ty, "f64")) {
		pp_buf_adds(base, c->lang == PP_GO ? "float64" : "double");
	} else if (pp_jobj(ty, "pointer")) {
		pp_buf_adds(base, c->lang == PP_GO ? "uintptr" : "void *");
	} else if ((k = pp_jobj(ty, "array"))) {
		pp_buf_addf(c->lang == PP_GO ? base : dims, "[%s]", pp_jstr(k, "count"));
		pp_spell(c, pp_jobj(k, "elem"), base, dims);
	} else if ((k = pp_jobj(ty, "record"))) {
		pp_buf_adds(base, pp_name_of(c, pp_jstr(k, "ident")));
	} else if (c->lang == PP_GO) {
		pp_buf_addf(base, "[%llu]byte", (unsigned long long)pp_jnum(ty, "size"));
	} else {
		pp_buf_adds(base, "uint8_t");
		pp_buf_addf(dims, "[%llu]", (unsigned long long)pp_jnum(ty, "size"));
	}
}

/* A member's name without the '_' pp_emit.c adds to Python's and Rust's keywords. */
static char *pp_plain_name(const cJSON *m)
{
	const char *id = pp_jstr(m, "ident"), *cn = pp_jstr(m, "c");
	size_t n = strlen(id);
	if (cn && n > 1 && id[n - 1] == '_' && cn[strlen(cn) - 1] != '_')
		n--;
	return pp_xstrndup(id, n);
}

/* Go's exported spelling: first letter capitalised; "X" before a name that has no letter first. */
static char *pp_go_export(const char *s)
{
	if (*s >= 'a' && *s <= 'z') {
		char *t = pp_xstrdup(s);
		t[0] = (char)(t[0] - 'a' + 'A');
		return t;
	}
	return *s >= 'A' && *s <= 'Z' ? pp_xstrdup(s) : pp_xasprintf("X%s", s);
}

/* cgo's rule: when every named member starts with one prefix ending in '_' (st_), it goes. */
static size_t pp_common_prefix(const cJSON *members)
{
	const cJSON *m;
	const char *first = NULL;
	size_t len = 0;
	cJSON_ArrayForEach(m, members) {
		const char *id = pp_jstr(m, "ident");
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "pad")) || !pp_jstr(m, "c") ||
		    id[0] == '_')
			continue;
		const char *us = strchr(id, '_');
		size_t n = us ? (size_t)(us - id) + 1 : 0;
		if (!first) {
			first = id;
			len = n;
		} else if (n != len || strncmp(id, first, n)) {
			return 0;
		}
		if (!n || !id[n] || (id[n] >= '0' && id[n] <= '9'))
			return 0;
	}
	return first ? len : 0;
}

/* The record given out (before this one) for a member's C type (struct timespec -> Timespec),
 * when the language lays it out to the member's size, at the member's offset, without aligning
 * the outer record more than C (cdecl) or past its size (gc). */
static const cJSON *pp_record_of(const pp_bctx *c, const cJSON *m, uint64_t outer, uint64_t calign)
{
	const char *ct = pp_jstr(m, "ctype");
	const cJSON *r;
	if (!ct)
		return NULL;
	uint64_t size = pp_jnum(cJSON_GetObjectItemCaseSensitive(m, "type"), "size");
	cJSON_ArrayForEach(r, c->records) {
		const char *rc = pp_jstr(r, "c");
		const cJSON *g = pp_jobj(r, c->lang == PP_GO ? "go" : "cdecl");
		uint64_t a = g ? pp_jnum(g, "align") : 0;
		if (rc && g && a && !strcmp(rc, ct) && pp_jnum(r, "size") == size &&
		    pp_jnum(m, "offset") % a == 0 &&
		    (c->lang == PP_GO ? outer % a == 0 : !calign || a <= calign))
			return g;
	}
	return NULL;
}

/* A name the declarations may typedef: one identifier, neither a keyword (int, __int128) nor a
 * type cffi and LuaJIT know already, which both refuse to see declared again (size_t, int8_t). */
static int pp_c_typedef_name(const char *s)
{
	static const char *const kw[] = { "char", "short", "int", "long", "signed", "unsigned",
		"float", "double", "void", "_Bool", "_Complex", "bool", "__int128", "__int128_t",
		"__uint128_t", "__float128", "__ibm128", "__float80", "_Float16", "_Float32", "_Float64",
		"_Float128", "_Float32x", "_Float64x", "_Float128x", "_Decimal32", "_Decimal64",
		"_Decimal128", "wchar_t", "char16_t", "char32_t", "intptr_t", "uintptr_t", "intmax_t",
		"uintmax_t", "ptrdiff_t", "size_t", "ssize_t", "FILE", "va_list", NULL };
	if (!s || !pp_name_is_ident(s))
		return 0;
	for (size_t i = 0; kw[i]; i++)
		if (!strcmp(s, kw[i]))
			return 0;
	/* [u]int{,_least,_fast}N_t */
	const char *p = s + (s[0] == 'u');
	if (strncmp(p, "int", 3))
		return 1;
	p += 3;
	if (!strncmp(p, "_least", 6) || !strncmp(p, "_fast", 5))
		p += p[1] == 'l' ? 6 : 5;
	size_t nd = strspn(p, "0123456789");
	return !(nd && !strcmp(p + nd, "_t"));
}

/* Every integer of a type gets a flag for each fixed-width name, true for its own (int32), so a
 * template can spell it without comparing numbers: {{#int32}}int{{/int32}}. */
static void pp_int_flags(cJSON *ty)
{
	static const char *const names[] = { "int8", "uint8", "int16", "uint16", "int32", "uint32",
		"int64", "uint64", NULL };
	cJSON *k = cJSON_GetObjectItemCaseSensitive(ty, "int");
	if (cJSON_IsObject(k) && !cJSON_GetObjectItemCaseSensitive(k, "int8")) {
		char mine[16];
		snprintf(mine, sizeof mine, "%sint%s",
		         cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k, "signed")) ? "" : "u",
		         pp_jstr(k, "bits"));
		for (size_t i = 0; names[i]; i++)
			cJSON_AddBoolToObject(k, names[i], !strcmp(mine, names[i]));
	}
	cJSON *a = cJSON_GetObjectItemCaseSensitive(ty, "array");
	if (cJSON_IsObject(a))
		pp_int_flags(cJSON_GetObjectItemCaseSensitive(a, "elem"));
}

typedef struct pp_line {
	char *name, *type, *cname;   /* cname: the member's C name for cdecl */
	cJSON *m;
} pp_line;

/* One record in one language: its members' spellings, the record's alignment under the
 * language's rules, and what keeps that alignment C's where the members alone would not. */
static void pp_bind_record(pp_bctx *c, cJSON *rec)
{
	int go = c->lang == PP_GO, is_union = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "union"));
	uint64_t calign = pp_jnum(rec, "align"), size = pp_jnum(rec, "size"), align = 1;
	cJSON *members = cJSON_GetObjectItemCaseSensitive(rec, "members"), *m;
	cJSON *out = cJSON_CreateObject(), *lines = cJSON_CreateArray(), *checks = cJSON_CreateArray();
	size_t strip = go ? pp_common_prefix(members) : 0, nl = 0, width = 0;
	pp_line *l = pp_xcalloc((size_t)cJSON_GetArraySize(members) + 2, sizeof *l);
	/* ident is the spec's "as" where it has one */
	char *rname = go ? pp_go_export(pp_jstr(rec, "ident")) : pp_xstrdup(pp_jstr(rec, "ident"));
	if (go && is_union) {
		/* gc has no unions: the bytes, named after the first member, as C initialises it. */
		const cJSON *first = NULL;
		cJSON_ArrayForEach(m, members)
			if (!first && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "pad")))
				first = m;
		char *nm = first ? pp_plain_name(first) : pp_xstrdup("raw");
		l[nl].name = pp_go_export(nm[0] == '_' ? "raw" : nm);
		l[nl++].type = pp_xasprintf("[%llu]byte", (unsigned long long)size);
		free(nm);
	}
	cJSON_ArrayForEach(m, members) {
		cJSON *ty = cJSON_GetObjectItemCaseSensitive(m, "type");
		uint64_t msize = pp_jnum(ty, "size"), off = pp_jnum(m, "offset");
		int pad = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "pad"));
		int unit = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(m, "unit"));
		if (go)
			cJSON_AddBoolToObject(m, "sized", msize != 0);
		if (!unit)
			pp_int_flags(ty);
		if (msize == 0 || (go && is_union)) {
			cJSON_AddFalseToObject(m, go ? "go" : "cdecl"); /* a flexible array: dropped */
			continue;
		}
		uint64_t nat = unit || pad ? 1 : pp_nat(c, ty);
		/* Where the language would place it elsewhere (a packed member), or align the whole
		 * record more than C does (cffi's alignof would differ; gc's size would grow past C's),
		 * the member is its bytes. */
		int bytes = unit || pad || off % nat ||
		            (go ? size % nat != 0 : calign && nat > calign);
		char *plain = pp_plain_name(m);
		const cJSON *ref = !bytes ? pp_record_of(c, m, size, calign) : NULL;
		if (ref && pp_jnum(ref, "align"))
			nat = pp_jnum(ref, "align");
		pp_buf base = PP_BUF_INIT, dims = PP_BUF_INIT;
		if (bytes && go)
			pp_buf_addf(&base, "[%llu]byte", (unsigned long long)msize);
		else if (bytes)
			pp_buf_addf(&base, "uint8_t");
		else if (ref)
			pp_buf_adds(&base, pp_jstr(ref, "name"));
		else
			pp_spell(c, ty, &base, &dims);
		if (bytes && !go)
			pp_buf_addf(&dims, "[%llu]", (unsigned long long)msize);
		if (!bytes && nat > align)
			align = nat;
		if (bytes && !unit && !pad && !go) {
			/* a comment naming the type the bytes hold */
			pp_buf t = PP_BUF_INIT, d = PP_BUF_INIT;
			pp_spell(c, ty, &t, &d);
			pp_buf_addf(&dims, "; /* %s%s at offset %llu, as bytes: packed */",
			            pp_buf_str(&t), pp_buf_str(&d), (unsigned long long)off);
			pp_buf_free(&t);
			pp_buf_free(&d);
		} else if (!go) {
			pp_buf_addc(&dims, ';');
		}
		if (go) {
			l[nl].name = pad || unit || plain[0] == '_' ? pp_xstrdup("_") :
			             pp_go_export(strlen(plain) > strip ? plain + strip : plain);
			l[nl].type = pp_buf_detach(&base);
		} else {
			l[nl].name = pp_xasprintf("%s %s", pp_buf_str(&base), plain);
			l[nl].type = pp_buf_detach(&dims);
		}
		l[nl].cname = plain;
		l[nl++].m = m;
		pp_buf_free(&base);
		pp_buf_free(&dims);
	}
	/* C aligns it more than the members do: a zero-length leading array carries the alignment. */
	uint64_t want = calign > 8 ? 8 : calign;
	if (go && want > c->ptr)
		want = c->ptr;
	int lead = want > align;
	if (lead)
		align = want;
	/* Names made equal by capitalising or by the prefix's removal ("a" and "A") get a '_' more. */
	for (size_t i = 0; go && i < nl; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(l[i].name, "_") && !strcmp(l[i].name, l[j].name)) {
				char *t = pp_xasprintf("%s_", l[i].name);
				free(l[i].name);
				l[i].name = t;
				j = (size_t)-1; /* compare the new name with all again */
			}
	for (size_t i = 0; i < nl; i++)
		if (go && strlen(l[i].name) > width)
			width = strlen(l[i].name);
	if (lead) {
		cJSON *o = cJSON_CreateObject();
		char *t = go ? pp_xasprintf("_%*s[0]uint%llu", (int)(width ? width : 1), "",
		                            (unsigned long long)want * 8) :
		          pp_xasprintf("uint%llu_t _align[0];", (unsigned long long)want * 8);
		cJSON_AddStringToObject(o, "line", t);
		free(t);
		cJSON_AddItemToArray(lines, o);
	}
	for (size_t i = 0; i < nl; i++) {
		cJSON *o = cJSON_CreateObject();
		char *t = go ? pp_xasprintf("%-*s %s", (int)width, l[i].name, l[i].type) :
		          pp_xasprintf("%s%s", l[i].name, l[i].type);
		cJSON_AddStringToObject(o, "line", t);
		free(t);
		cJSON_AddItemToArray(lines, o);
		if (l[i].m) {
			cJSON *mo = cJSON_CreateObject();
			cJSON_AddStringToObject(mo, "name", go ? l[i].name : l[i].cname);
			cJSON_AddItemToObject(l[i].m, go ? "go" : "cdecl", mo);
		}
		if (go && strcmp(l[i].name, "_") && l[i].m) {
			cJSON *k = cJSON_CreateObject();
			char *e = pp_xasprintf("unsafe.Offsetof(%s{}.%s)", rname, l[i].name);
			cJSON_AddStringToObject(k, "expr", e);
			cJSON_AddStringToObject(k, "value", pp_jstr(l[i].m, "offset"));
			cJSON_AddItemToArray(checks, k);
			free(e);
		}
		free(l[i].name);
		free(l[i].type);
		free(l[i].cname);
	}
	free(l);
	/* C keeps tags apart from ordinary names, the FFIs too: a function of the record's name
	 * (stat, sigaction) takes the typedef, and the record is its tag, as in C. */
	int td = go || !pp_strv_has(c->funcs, rname);
	if (!td) {
		char *t = pp_xasprintf("%s %s", is_union ? "union" : "struct", rname);
		free(rname);
		rname = t;
	}
	cJSON_AddStringToObject(out, "name", rname);
	if (!go)
		cJSON_AddBoolToObject(out, "typedef", td);
	char num[24];
	snprintf(num, sizeof num, "%llu", (unsigned long long)align);
	cJSON_AddStringToObject(out, "align", num);
	cJSON_AddBoolToObject(out, "short_align", calign > align);
	cJSON_AddItemToObject(out, "lines", lines);
	if (go) {
		char *hex = pp_xasprintf("0x%llx", (unsigned long long)size);
		cJSON_AddStringToObject(out, "size_hex", hex);
		free(hex);
		cJSON_AddItemToObject(out, "checks", checks);
	} else {
		cJSON_Delete(checks);
	}
	free(rname);
	cJSON_AddItemToObject(rec, go ? "go" : "cdecl", out);
}

/* GOOS and GOARCH from a GNU triple; NULL when Go has none. */
static const char *pp_goarch(const char *triple)
{
	static const char *const map[][2] = { { "x86_64", "amd64" }, { "i386", "386" },
		{ "i486", "386" }, { "i586", "386" }, { "i686", "386" }, { "aarch64", "arm64" },
		{ "mips", "mips" }, { "mipsel", "mipsle" }, { "mipsisa32r6", "mips" },
		{ "mipsisa32r6el", "mipsle" }, { "mips64", "mips64" }, { "mips64el", "mips64le" },
		{ "mipsisa64r6", "mips64" }, { "mipsisa64r6el", "mips64le" },
		{ "powerpc64", "ppc64" }, { "powerpc64le", "ppc64le" }, { "riscv64", "riscv64" },
		{ "s390x", "s390x" }, { "loongarch64", "loong64" }, { NULL, NULL } };
	size_t n = strcspn(triple, "-");
	if (strstr(triple, "gnux32"))
		return NULL;
	for (size_t i = 0; map[i][0]; i++)
		if (strlen(map[i][0]) == n && !strncmp(triple, map[i][0], n))
			return map[i][1];
	if (!strncmp(triple, "arm", 3) && strncmp(triple, "armeb", 5) && strncmp(triple, "arm64", 5))
		return "arm";
	return NULL;
}

static const char *pp_goos(const char *triple)
{
	static const char *const map[][2] = { { "android", "android" }, { "linux", "linux" },
		{ "mingw", "windows" }, { "windows", "windows" }, { "darwin", "darwin" },
		{ "apple", "darwin" }, { "freebsd", "freebsd" }, { "netbsd", "netbsd" },
		{ "openbsd", "openbsd" }, { "dragonfly", "dragonfly" }, { "solaris", "solaris" },
		{ "illumos", "illumos" }, { NULL, NULL } };
	for (size_t i = 0; map[i][0]; i++)
		if (strstr(triple, map[i][0]))
			return map[i][1];
	return NULL;
}

/* Go's constant spelling, as x/sys writes it: integers in hex, strings with Go's escapes. */
static void pp_go_constant(cJSON *k)
{
	const cJSON *v;
	pp_buf b = PP_BUF_INIT;
	if ((v = pp_jobj(k, "int"))) {
		const char *s = pp_jstr(v, "value");
		int neg = s[0] == '-';
		pp_buf_addf(&b, "%s0x%llx", neg ? "-" : "", strtoull(s + neg, NULL, 10));
	} else if ((v = pp_jobj(k, "float"))) {
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "finite"))) {
			cJSON_AddFalseToObject(k, "go");
			return; /* Go has no constant infinity or NaN */
		}
		pp_buf_adds(&b, pp_jstr(v, "value"));
	} else if ((v = pp_jobj(k, "string"))) {
		const char *hex = pp_jstr(v, "hex");
		pp_buf_addc(&b, '"');
		for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
			unsigned c = (unsigned)strtoul((char[3]){ hex[i], hex[i + 1], 0 }, NULL, 16);
			if (c == '"' || c == '\\')
				pp_buf_addf(&b, "\\%c", c);
			else if (c < 0x20 || c >= 0x7f)
				pp_buf_addf(&b, "\\x%02x", c);
			else
				pp_buf_addc(&b, (char)c);
		}
		pp_buf_addc(&b, '"');
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "value", pp_buf_str(&b));
	cJSON_AddItemToObject(k, "go", o);
	pp_buf_free(&b);
}

/* cdecl: integer constants up to 32 bits as static const (LuaJIT takes no wider ones). */
static void pp_cdecl_constant(cJSON *k)
{
	const cJSON *v = pp_jobj(k, "int");
	uint64_t bits = v ? pp_jnum(v, "bits") : 0;
	if (!v || bits > 32 || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "pointer"))) {
		cJSON_AddFalseToObject(k, "cdecl");
		return;
	}
	int sgn = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "signed"));
	cJSON *o = cJSON_CreateObject();
	char *d = pp_xasprintf("static const %sint32_t %s = %s%s;", sgn ? "" : "u", pp_jstr(k, "ident"),
	                       pp_jstr(v, "value"), sgn ? "" : "U");
	cJSON_AddStringToObject(o, "decl", d);
	free(d);
	cJSON_AddItemToObject(k, "cdecl", o);
}

/* gofmt aligns the '=' of consecutive constants: the padded name goes into the tree. */
static void pp_go_align(cJSON *arr, const char *obj, const char *namekey)
{
	size_t width = 0;
	cJSON *x;
	cJSON_ArrayForEach(x, arr) {
		const cJSON *g = pp_jobj(x, obj);
		const char *n = g ? pp_jstr(namekey[0] == '.' ? x : g, namekey + (namekey[0] == '.')) : NULL;
		if (n && strlen(n) > width)
			width = strlen(n);
	}
	cJSON_ArrayForEach(x, arr) {
		cJSON *g = cJSON_GetObjectItemCaseSensitive(x, obj);
		const char *n = cJSON_IsObject(g) ? pp_jstr(namekey[0] == '.' ? x : g,
		                                          namekey + (namekey[0] == '.')) : NULL;
		if (!n)
			continue;
		char *p = pp_xasprintf("%-*s", (int)width, n);
		cJSON_AddStringToObject(g, "padded", p);
		free(p);
	}
}

static int pp_name_taken(const cJSON *arr, const char *key, const char *name)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, arr) {
		const char *n = pp_jstr(x, key);
		if (n && !strcmp(n, name))
			return 1;
	}
	return 0;
}

/* The enums section: each enum a fixed-width integer type and its enumerators as constants of it
 * (a name the constants section has already, as glibc's SOCK_STREAM, is left to that one). */
static cJSON *pp_bind_enums(const pp_result *r, const cJSON *constants)
{
	cJSON *out = cJSON_CreateArray(), *seen = cJSON_CreateArray();
	for (size_t i = 0; i < r->n[PP_ENUMS]; i++) {
		const pp_eres *e = &r->e[PP_ENUMS][i];
		const char *tag = e->name;
		if (!strncmp(tag, "enum ", 5))
			tag += 5 + strspn(tag + 5, " ");
		const char *id = e->as ? e->as : tag;
		if (!e->answered || !pp_name_is_ident(id) || !pp_is_pow2_size(e->t.size))
			continue;
		cJSON *o = cJSON_CreateObject(), *vals = cJSON_CreateArray();
		int sgn = e->t.is_signed > 0;
		unsigned bits = (unsigned)e->t.size * 8;
		char *ty = pp_xasprintf("%sint%u", sgn ? "" : "u", bits);
		char *gn = pp_go_export(id);
		cJSON_AddStringToObject(o, "c", e->name);
		cJSON_AddStringToObject(o, "ident", id);
		cJSON *g = cJSON_CreateObject();
		cJSON_AddStringToObject(g, "name", gn);
		cJSON_AddStringToObject(g, "type", ty);
		cJSON_AddItemToObject(o, "go", g);
		if (pp_c_typedef_name(id)) {
			cJSON *c = cJSON_CreateObject();
			char *d = pp_xasprintf("typedef %s_t %s;", ty, id);
			cJSON_AddStringToObject(c, "decl", d);
			free(d);
			cJSON_AddItemToObject(o, "cdecl", c);
		} else {
			cJSON_AddFalseToObject(o, "cdecl");
		}
		for (size_t k = 0; k < e->nvals; k++) {
			const pp_enumval *v = &e->vals[k];
			if (pp_name_taken(constants, "ident", v->name) || pp_name_taken(seen, "name", v->name))
				continue;
			cJSON *s = cJSON_CreateObject();
			cJSON_AddStringToObject(s, "name", v->name);
			cJSON_AddItemToArray(seen, cJSON_Duplicate(s, 1));
			uint64_t mag = v->neg ? ~v->u + 1 : v->u;
			pp_buf b = PP_BUF_INIT;
			pp_json_int(&b, v->u, v->neg);
			cJSON_AddStringToObject(s, "value", pp_buf_str(&b));
			cJSON *gv = cJSON_CreateObject();
			char *hex = pp_xasprintf("%s0x%llx", v->neg ? "-" : "", (unsigned long long)mag);
			cJSON_AddStringToObject(gv, "value", hex);
			cJSON_AddStringToObject(gv, "type", gn);
			free(hex);
			cJSON_AddItemToObject(s, "go", gv);
			/* cdecl: static const of 32 bits at most (LuaJIT), where the value fits */
			int fits = v->neg ? mag <= 0x80000000ULL : v->u <= (sgn ? 0x7fffffffULL : 0xffffffffULL);
			if (fits) {
				cJSON *c = cJSON_CreateObject();
				char *d = pp_xasprintf("static const %sint32_t %s = %s%s;", sgn ? "" : "u", v->name,
				                       pp_buf_str(&b), sgn ? "" : "U");
				cJSON_AddStringToObject(c, "decl", d);
				free(d);
				cJSON_AddItemToObject(s, "cdecl", c);
			} else {
				cJSON_AddFalseToObject(s, "cdecl");
			}
			pp_buf_free(&b);
			cJSON_AddItemToArray(vals, s);
		}
		pp_go_align(vals, "go", ".name");
		cJSON_AddItemToObject(o, "values", vals);
		cJSON_AddItemToArray(out, o);
		free(ty);
		free(gn);
	}
	cJSON_Delete(seen);
	return out;
}

/* The ordinary names the cdecl file declares besides functions: typedefs, constants,
 * enumerators. */
static void pp_cdecl_names(const cJSON *m, const cJSON *enums, pp_strv *out)
{
	const cJSON *x, *v;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, "aliases"))
		if (pp_c_typedef_name(pp_jstr(x, "c")))
			pp_strv_push(out, pp_jstr(x, "ident"));
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, "constants"))
		if (pp_jobj(x, "cdecl"))
			pp_strv_push(out, pp_jstr(x, "ident"));
	cJSON_ArrayForEach(x, enums) {
		if (pp_jobj(x, "cdecl"))
			pp_strv_push(out, pp_jstr(x, "ident"));
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x, "values"))
			if (pp_jobj(v, "cdecl"))
				pp_strv_push(out, pp_jstr(v, "name"));
	}
}

void pp_bind_decorate(cJSON *m, const pp_result *r)
{
	cJSON *records = cJSON_GetObjectItemCaseSensitive(m, "records"), *x;
	cJSON *aliases = cJSON_GetObjectItemCaseSensitive(m, "aliases");
	cJSON *constants = cJSON_GetObjectItemCaseSensitive(m, "constants");
	cJSON_ArrayForEach(x, constants) {
		pp_go_constant(x);
		pp_cdecl_constant(x);
	}
	pp_go_align(constants, "go", ".ident");
	cJSON *enums = pp_bind_enums(r, constants);
	/* cdecl's functions first: a record whose typedef a function's name would be has none */
	pp_strv taken = { 0 }, funcs = { 0 };
	pp_cdecl_names(m, enums, &taken);
	pp_cdecl_prototypes(m, r, &taken);
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(m, "prototypes")) {
		const char *n = pp_jstr(pp_jobj(x, "cdecl"), "name");
		if (n)
			pp_strv_push(&funcs, n);
	}
	pp_strv_free(&taken);
	for (int lang = PP_GO; lang <= PP_CDECL; lang++) {
		pp_bctx c = { (enum pp_lang)lang, r->target.pointer_size, records, &funcs };
		cJSON_ArrayForEach(x, records)
			pp_bind_record(&c, x);
		cJSON_ArrayForEach(x, aliases) {
			pp_buf base = PP_BUF_INIT, dims = PP_BUF_INIT;
			pp_int_flags(cJSON_GetObjectItemCaseSensitive(x, "type"));
			pp_spell(&c, cJSON_GetObjectItemCaseSensitive(x, "type"), &base, &dims);
			cJSON *o = cJSON_CreateObject();
			if (lang == PP_GO) {
				char *n = pp_go_export(pp_jstr(x, "ident"));
				cJSON_AddStringToObject(o, "name", n);
				free(n);
				cJSON_AddStringToObject(o, "type", pp_buf_str(&base));
			} else if (pp_c_typedef_name(pp_jstr(x, "c"))) {
				char *d = pp_xasprintf("typedef %s %s%s;", pp_buf_str(&base), pp_jstr(x, "ident"),
				                       pp_buf_str(&dims));
				cJSON_AddStringToObject(o, "decl", d);
				free(d);
			} else {
				cJSON_Delete(o);
				o = cJSON_CreateFalse(); /* int, unsigned long: C's own names, not redeclared */
			}
			cJSON_AddItemToObject(x, lang == PP_GO ? "go" : "cdecl", o);
			pp_buf_free(&base);
			pp_buf_free(&dims);
		}
	}
	pp_strv_free(&funcs);
	cJSON_AddItemToObject(m, "enums", enums);
	pp_go_align(records, "go", "name");
	const char *os = pp_goos(r->target.triple), *arch = pp_goarch(r->target.triple);
	/* The tree's version: a template can check the one it was written for (README): model_vN
	 * stays true for as long as the tree keeps what version N had. */
	cJSON_AddStringToObject(m, "model_version", "1");
	cJSON_AddTrueToObject(m, "model_v1");
	cJSON *g = cJSON_CreateObject();
	cJSON_AddStringToObject(g, "goos", os ? os : "");
	cJSON_AddStringToObject(g, "goarch", arch ? arch : "");
	cJSON_AddBoolToObject(g, "known", os && arch);
	cJSON_AddBoolToObject(g, "unsafe", cJSON_GetArraySize(records) > 0);
	cJSON_AddItemToObject(m, "go", g);
}

/* pp_render.c: a small logic-less template engine (a subset of mustache) that renders the output
 * formats of templates/ from a data tree (cJSON). No C template library is packaged in Debian. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

/* Syntax (README, "Output templates"):
 *   {{name}}  {{a.b}}  {{.}}   a string of the data, as it is
 *   {{name:esc}}               a byte string (given in hex) as a literal of a language (c, py, rust)
 *   {{#name}}..{{/name}}       each element of an array, an object once, true once; false, null,
 *                              missing or [] not at all
 *   {{^name}}..{{/name}}       once when {{#name}} would not render
 *   {{<name}}..{{/name}}       defines a partial of this template; {{>name}} renders it here
 *   {{! comment }}
 *   -first, -last, -index      inside an array section: its position
 * A line holding only a section, partial or comment tag is dropped whole, so templates can be
 * indented like code. A variable that is missing is an error (a typo would otherwise vanish). */

enum pp_tk { PP_TK_TEXT, PP_TK_VAR, PP_TK_SECTION, PP_TK_INVERTED, PP_TK_DEFINE, PP_TK_PARTIAL };

typedef struct pp_tnode {
	enum pp_tk kind;
	const char *s;   /* text, or the tag's name */
	size_t len;
	const char *esc; /* VAR: escaper name, or NULL */
	size_t esclen;
	unsigned line;   /* of the tag, for messages */
	struct pp_tnode *kids;
	size_t nkids;
} pp_tnode;

typedef struct pp_tparse {
	const char *name, *text, *p;
	unsigned line;
	pp_diag *d;
	int bad;
} pp_tparse;

static void pp_tnode_free(pp_tnode *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		pp_tnode_free(&n->kids[i]);
	free(n->kids);
}

static pp_tnode *pp_tnode_add(pp_tnode *parent, enum pp_tk kind, const char *s, size_t len,
                              unsigned line)
{
	if (kind == PP_TK_TEXT && len == 0)
		return NULL;
	parent->kids = pp_xrealloc(parent->kids, (parent->nkids + 1) * sizeof(pp_tnode));
	pp_tnode *n = &parent->kids[parent->nkids++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->s = s;
	n->len = len;
	n->line = line;
	return n;
}

static void pp_tbad(pp_tparse *t, unsigned line, const char *what, const char *s, size_t len)
{
	if (!t->bad)
		pp_diag_add(t->d, "platprobe: error: template %s:%u: %s '%.*s'", t->name, line, what,
		            (int)len, s);
	t->bad = 1;
}

static unsigned pp_count_lines(const char *a, const char *b)
{
	unsigned n = 0;
	for (; a < b; a++)
		n += *a == '\n';
	return n;
}

/* Parses until the closing tag of close (or the end when close is NULL) into parent. */
static void pp_tparse_into(pp_tparse *t, pp_tnode *parent, const char *close, size_t closelen,
                           unsigned openline)
{
	while (!t->bad) {
		const char *open = strstr(t->p, "{{");
		if (!open) {
			pp_tnode_add(parent, PP_TK_TEXT, t->p, strlen(t->p), t->line);
			t->p += strlen(t->p);
			if (close)
				pp_tbad(t, openline, "section not closed:", close, closelen);
			return;
		}
		unsigned tagline = t->line + pp_count_lines(t->p, open);
		const char *end = strstr(open + 2, "}}");
		if (!end) {
			pp_tbad(t, tagline, "tag not closed:", open, strcspn(open, "\n"));
			return;
		}
		char sigil = open[2];
		int block = strchr("#^/!<>", sigil) != NULL;
		const char *nm = open + 2 + (block || sigil == '&');
		const char *nmend = end;
		while (nm < nmend && (*nm == ' ' || *nm == '\t'))
			nm++;
		while (nmend > nm && (nmend[-1] == ' ' || nmend[-1] == '\t'))
			nmend--;
		/* A block tag alone on its line takes the whole line with it. */
		const char *text_end = open, *after = end + 2;
		const char *ls = open;
		while (ls > t->p && (ls[-1] == ' ' || ls[-1] == '\t'))
			ls--;
		int line_start = ls == t->text || ls[-1] == '\n';
		if (block) {
			const char *le = after;
			while (*le == ' ' || *le == '\t' || *le == '\r')
				le++;
			if (line_start && (*le == '\n' || !*le)) {
				text_end = ls;
				after = *le ? le + 1 : le;
			}
		}
		pp_tnode_add(parent, PP_TK_TEXT, t->p, (size_t)(text_end - t->p), t->line);
		t->line = tagline + pp_count_lines(open, after);
		t->p = after;
		size_t nlen = (size_t)(nmend - nm);
		if (sigil == '!')
			continue;
		if (nlen == 0) {
			pp_tbad(t, tagline, "empty tag", open, (size_t)(end + 2 - open));
			return;
		}
		if (sigil == '/') {
			if (!close || nlen != closelen || memcmp(nm, close, nlen) != 0)
				pp_tbad(t, tagline, close ? "closes another section than the open one:" :
				        "closes a section that is not open:", nm, nlen);
			return;
		}
		if (sigil == '#' || sigil == '^' || sigil == '<') {
			pp_tnode *n = pp_tnode_add(parent, sigil == '#' ? PP_TK_SECTION : sigil == '^' ?
			                           PP_TK_INVERTED : PP_TK_DEFINE, nm, nlen, tagline);
			pp_tnode kids = { 0 };
			pp_tparse_into(t, &kids, nm, nlen, tagline);
			n->kids = kids.kids;
			n->nkids = kids.nkids;
			/* A partial defined on a line of its own leaves no blank line behind. */
			const char *le = t->p;
			while (*le == ' ' || *le == '\t' || *le == '\r')
				le++;
			if (sigil == '<' && line_start && (*le == '\n' || !*le)) {
				t->p = *le ? le + 1 : le;
				t->line += *le == '\n';
			}
		} else if (sigil == '>') {
			pp_tnode_add(parent, PP_TK_PARTIAL, nm, nlen, tagline);
		} else {
			pp_tnode *n = pp_tnode_add(parent, PP_TK_VAR, nm, nlen, tagline);
			const char *colon = memchr(nm, ':', nlen);
			if (colon) {
				n->len = (size_t)(colon - nm);
				n->esc = colon + 1;
				n->esclen = (size_t)(nmend - colon - 1);
			}
		}
	}
}

/* ---- rendering ---- */

typedef struct pp_frame {
	const cJSON *node;
	long index, count;   /* in an array section; -1 otherwise */
} pp_frame;

typedef struct pp_trender {
	pp_tparse *t;
	const pp_tnode *root;
	pp_frame stack[64];
	size_t depth;
	pp_buf *out;
} pp_trender;

static const cJSON *pp_child(const cJSON *obj, const char *s, size_t len)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	for (const cJSON *c = obj->child; c; c = c->next)
		if (strlen(c->string) == len && memcmp(c->string, s, len) == 0)
			return c;
	return NULL;
}

/* Looks a name up from the innermost frame out; dotted names descend from the first part's hit.
 * Positions (-first, -last, -index) are answered by a static true/false or the fake *num. */
static const cJSON *pp_lookup(pp_trender *r, const char *s, size_t len, cJSON *scratch)
{
	if (len == 1 && s[0] == '.')
		return r->stack[r->depth - 1].node;
	if (len && s[0] == '-') {
		for (size_t i = r->depth; i-- > 0;) {
			const pp_frame *f = &r->stack[i];
			if (f->index < 0)
				continue;
			if (len == 6 && !memcmp(s, "-first", 6))
				scratch->type = f->index == 0 ? cJSON_True : cJSON_False;
			else if (len == 5 && !memcmp(s, "-last", 5))
				scratch->type = f->index == f->count - 1 ? cJSON_True : cJSON_False;
			else if (len == 6 && !memcmp(s, "-index", 6)) {
				scratch->type = cJSON_String;
				snprintf(scratch->valuestring, 24, "%ld", f->index);
			} else
				return NULL;
			return scratch;
		}
		return NULL;
	}
	const char *dot = memchr(s, '.', len);
	size_t first = dot ? (size_t)(dot - s) : len;
	const cJSON *hit = NULL;
	for (size_t i = r->depth; i-- > 0 && !hit;)
		hit = pp_child(r->stack[i].node, s, first);
	while (hit && dot) {
		const char *next = dot + 1;
		dot = memchr(next, '.', len - (size_t)(next - s));
		size_t n = dot ? (size_t)(dot - next) : len - (size_t)(next - s);
		hit = pp_child(hit, next, n);
	}
	return hit;
}

static int pp_truthy(const cJSON *v)
{
	if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return 0;
	if (cJSON_IsArray(v))
		return cJSON_GetArraySize(v) > 0;
	if (cJSON_IsString(v))
		return v->valuestring[0] != 0;
	return 1;
}

static int pp_hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes the hex of a byte string; -1 if it is not hex. */
static int pp_unhex(const char *hex, pp_buf *out)
{
	size_t n = strlen(hex);
	if (n % 2)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int a = pp_hexval(hex[i]), b = pp_hexval(hex[i + 1]);
		if (a < 0 || b < 0)
			return -1;
		pp_buf_addc(out, (char)(a << 4 | b));
	}
	return 0;
}

int pp_utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : pp_utf8_len((const unsigned char *)s + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* Python and Rust alike: a str literal when the bytes are UTF-8, else a bytes literal (b"..."),
 * with the escapes both read the same way (\x only below 0x80 in a str, as Rust wants). */
static void pp_lit_script(pp_buf *b, const char *s, size_t n)
{
	int text = pp_utf8_valid(s, n);
	pp_buf_adds(b, text ? "\"" : "b\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			pp_buf_addf(b, "\\%c", c);
		else if (c == '\n')
			pp_buf_adds(b, "\\n");
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !text))
			pp_buf_addf(b, "\\x%02x", c);
		else
			pp_buf_addc(b, (char)c);
	}
	pp_buf_addc(b, '"');
}

static int pp_escape(pp_buf *b, const char *esc, size_t esclen, const char *hex)
{
	pp_buf raw = PP_BUF_INIT;
	if (pp_unhex(hex, &raw) < 0) {
		pp_buf_free(&raw);
		return -1;
	}
	const char *s = raw.s ? raw.s : "";
	int rc = 0;
	if (esclen == 1 && *esc == 'c')
		pp_c_string(b, s, raw.len);
	else if ((esclen == 2 && !memcmp(esc, "py", 2)) || (esclen == 4 && !memcmp(esc, "rust", 4)))
		pp_lit_script(b, s, raw.len);
	else
		rc = -2;
	pp_buf_free(&raw);
	return rc;
}

static const pp_tnode *pp_find_partial(const pp_tnode *n, const char *s, size_t len)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const pp_tnode *k = &n->kids[i];
		if (k->kind == PP_TK_DEFINE && k->len == len && !memcmp(k->s, s, len))
			return k;
		const pp_tnode *hit = pp_find_partial(k, s, len);
		if (hit)
			return hit;
	}
	return NULL;
}

static void pp_render_nodes(pp_trender *r, const pp_tnode *n);

static void pp_push(pp_trender *r, const cJSON *node, long index, long count, const pp_tnode *n)
{
	if (r->depth == sizeof r->stack / sizeof r->stack[0]) {
		pp_tbad(r->t, n->line, "nested too deeply (a partial that renders itself?) at", n->s,
		        n->len);
		return;
	}
	r->stack[r->depth++] = (pp_frame){ node, index, count };
	pp_render_nodes(r, n);
	r->depth--;
}

static void pp_render_nodes(pp_trender *r, const pp_tnode *parent)
{
	char num[24];
	cJSON scratch;
	for (size_t i = 0; i < parent->nkids && !r->t->bad; i++) {
		const pp_tnode *n = &parent->kids[i];
		memset(&scratch, 0, sizeof scratch);
		scratch.valuestring = num;
		switch (n->kind) {
		case PP_TK_TEXT:
			pp_buf_add(r->out, n->s, n->len);
			break;
		case PP_TK_DEFINE:
			break;
		case PP_TK_VAR: {
			const cJSON *v = pp_lookup(r, n->s, n->len, &scratch);
			if (!v || !cJSON_IsString(v)) {
				pp_tbad(r->t, n->line, v ? "not a string:" : "no such name:", n->s, n->len);
				break;
			}
			if (!n->esc) {
				pp_buf_adds(r->out, v->valuestring);
				break;
			}
			int rc = pp_escape(r->out, n->esc, n->esclen, v->valuestring);
			if (rc == -2)
				pp_tbad(r->t, n->line, "unknown escaper (c, py, rust):", n->esc, n->esclen);
			else if (rc < 0)
				pp_tbad(r->t, n->line, "an escaper takes a byte string in hex, not", n->s,
				        n->len);
			break;
		}
		case PP_TK_SECTION:
		case PP_TK_INVERTED: {
			const cJSON *v = pp_lookup(r, n->s, n->len, &scratch);
			int yes = pp_truthy(v);
			if (n->kind == PP_TK_INVERTED) {
				if (!yes)
					pp_push(r, r->stack[r->depth - 1].node, -1, 0, n);
			} else if (yes && cJSON_IsArray(v)) {
				long count = cJSON_GetArraySize(v), k = 0;
				for (const cJSON *e = v->child; e && !r->t->bad; e = e->next, k++)
					pp_push(r, e, k, count, n);
			} else if (yes) {
				pp_push(r, cJSON_IsObject(v) ? v : r->stack[r->depth - 1].node, -1, 0, n);
			}
			break;
		}
		case PP_TK_PARTIAL: {
			const pp_tnode *def = pp_find_partial(r->root, n->s, n->len);
			if (!def)
				pp_tbad(r->t, n->line, "no such partial:", n->s, n->len);
			else
				pp_push(r, r->stack[r->depth - 1].node, -1, 0, def);
			break;
		}
		}
	}
}

char *pp_render_template(const char *name, const char *text, const struct cJSON *data, pp_diag *d)
{
	pp_tparse t = { name, text, text, 1, d, 0 };
	pp_tnode root = { 0 };
	pp_tparse_into(&t, &root, NULL, 0, 1);
	pp_buf out = PP_BUF_INIT;
	if (!t.bad) {
		pp_trender r;
		memset(&r, 0, sizeof r);
		r.t = &t;
		r.root = &root;
		r.out = &out;
		r.stack[0] = (pp_frame){ data, -1, 0 };
		r.depth = 1;
		pp_render_nodes(&r, &root);
	}
	pp_tnode_free(&root);
	if (t.bad) {
		pp_buf_free(&out);
		return NULL;
	}
	return pp_buf_detach(&out);
}

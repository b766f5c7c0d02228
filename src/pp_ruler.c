/* pp_ruler.c: a struct's layout on one target as an inline SVG byte ruler for the HTML report:
 * members as blocks named in place, holes and padding hatched, bit-fields at bit precision, and a
 * member whose offset or size is not the same on every target (or that some lack) highlighted. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

#define RULER_X0 52      /* room for the row's offset label */
#define RULER_W 896      /* drawing width of one row of bytes */
#define LANE_H 22
#define ROW_GAP 6

/* A member as a span of bits; flexible arrays have no bits but still get a thin block. */
typedef struct pp_span {
	const char *name, *type;
	uint64_t start, bits;
	int bitfield, lane, changed;
} pp_span;

static uint64_t pp_ju64(const pp_jnode *obj, const char *key, uint64_t dflt)
{
	const pp_jnode *n = obj ? pp_jget(obj, key) : NULL;
	return n && n->type == PP_J_NUM && n->str[0] != '-' ? strtoull(n->str, NULL, 10) : dflt;
}

/* Top-level members only: nested ones ("st_mtim.tv_nsec") and elements ("sa_data[2]") that a spec
 * asked for by path lie inside a member already drawn. */
static int pp_top_member(const pp_jnode *f)
{
	const pp_jnode *nm = pp_jget(f, "name");
	return nm && nm->type == PP_J_STR && !strpbrk(nm->str, ".[");
}

static void pp_member_span(const pp_jnode *f, uint64_t *start, uint64_t *bits, int *bitfield)
{
	*bitfield = pp_jget(f, "bit_size") != NULL;
	if (*bitfield) {
		*start = pp_ju64(f, "bit_offset", 0);
		*bits = pp_ju64(f, "bit_size", 0);
	} else {
		*start = pp_ju64(f, "offset", 0) * 8;
		*bits = pp_ju64(f, "size", 0) * 8;
	}
}

/* The k-th member named name: anonymous members all have the name "", and meet in their order. */
static const pp_jnode *pp_member(const pp_jnode *st, const char *name, size_t k)
{
	const pp_jnode *fs = st ? pp_jget(st, "fields") : NULL;
	for (const pp_jnode *f = fs && fs->type == PP_J_ARR ? fs->child : NULL; f; f = f->next) {
		const pp_jnode *nm = pp_jget(f, "name");
		if (nm && nm->type == PP_J_STR && !strcmp(nm->str, name) && k-- == 0)
			return f;
	}
	return NULL;
}

int pp_member_changed(const pp_jnode *const *all, size_t n, const char *name, size_t k)
{
	int seen = 0;
	uint64_t s0 = 0, b0 = 0;
	for (size_t i = 0; i < n; i++) {
		if (!all[i] || all[i]->type != PP_J_OBJ)
			continue;
		const pp_jnode *f = pp_member(all[i], name, k);
		if (!f)
			return 1;
		uint64_t s, b;
		int bf;
		pp_member_span(f, &s, &b, &bf);
		if (seen && (s != s0 || b != b0))
			return 1;
		seen = 1;
		s0 = s;
		b0 = b;
	}
	return 0;
}

unsigned pp_ruler_bytes_per_row(const pp_jnode *const *all, size_t n)
{
	uint64_t max = 1;
	for (size_t i = 0; i < n; i++)
		if (all[i] && pp_ju64(all[i], "size", 0) > max)
			max = pp_ju64(all[i], "size", 0);
	unsigned bpr = 16;
	/* Rows of 16 bytes read best; a big struct gets wider ones rather than a tall picture. */
	while (bpr < (1u << 20) && (max + bpr - 1) / bpr > 12)
		bpr *= 2;
	return bpr;
}

static void pp_html_text(pp_buf *b, const char *s, size_t max)
{
	size_t n = 0;
	for (; *s && n < max; s++, n++) {
		switch (*s) {
		case '<': pp_buf_adds(b, "&lt;"); break;
		case '>': pp_buf_adds(b, "&gt;"); break;
		case '&': pp_buf_adds(b, "&amp;"); break;
		case '"': pp_buf_adds(b, "&quot;"); break;
		default: pp_buf_addc(b, *s);
		}
	}
	if (*s)
		pp_buf_adds(b, "\xe2\x80\xa6"); /* an ellipsis: the <title> holds the whole name */
}

void pp_html_escape(pp_buf *b, const char *s)
{
	pp_html_text(b, s, (size_t)-1);
}

typedef struct pp_geom {
	unsigned bpr, lanes;
	double ppbit;
} pp_geom;

/* One block over bits [start, start+bits), split at row ends. */
static void pp_block(pp_buf *b, const pp_geom *g, uint64_t start, uint64_t bits, int lane,
                     const char *cls, const char *label, const char *title)
{
	uint64_t row_bits = (uint64_t)g->bpr * 8, end = start + (bits ? bits : 1);
	for (uint64_t s = start; s < end;) {
		uint64_t row = s / row_bits, e = (row + 1) * row_bits < end ? (row + 1) * row_bits : end;
		double x = RULER_X0 + (double)(s - row * row_bits) * g->ppbit;
		double w = bits ? (double)(e - s) * g->ppbit : 2;
		double y = 16 + (double)row * (g->lanes * LANE_H + ROW_GAP) + lane * LANE_H;
		pp_buf_addf(b, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\">"
		            "<title>", cls, x, y, w > 1 ? w - 0.5 : w, LANE_H - 2);
		pp_html_escape(b, title);
		pp_buf_adds(b, "</title></rect>");
		/* The name in every piece wide enough: a member that wraps is named on each row, in
		 * grey past its first. */
		if (label && w >= 14) {
			size_t fit = (size_t)((w - 4) / 6.6);
			pp_buf_addf(b, "<text%s x=\"%.2f\" y=\"%.1f\">", s == start ? "" : " class=\"cont\"",
			            x + 3, y + 14);
			pp_html_text(b, label, fit > 1 ? fit - 1 : 1);
			pp_buf_adds(b, "</text>");
		}
		s = e;
	}
}

static int pp_span_cmp(const void *a, const void *b)
{
	const pp_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

static void pp_gap_title(pp_buf *t, const char *what, uint64_t start, uint64_t bits)
{
	pp_buf_reset(t);
	pp_buf_addf(t, "%s at %llu", what, (unsigned long long)(start / 8));
	if (start % 8)
		pp_buf_addf(t, ":%llu", (unsigned long long)(start % 8));
	if (bits % 8)
		pp_buf_addf(t, ", %llu bits", (unsigned long long)bits);
	else
		pp_buf_addf(t, ", %llu bytes", (unsigned long long)(bits / 8));
}

void pp_ruler_svg(pp_buf *b, const pp_jnode *st, const pp_jnode *const *all, size_t n,
                  unsigned bpr)
{
	uint64_t size = pp_ju64(st, "size", 0), total = size * 8;
	const pp_jnode *fs = pp_jget(st, "fields");
	const pp_jnode *fc = pp_jget(st, "fields_complete");
	int complete = fc && fc->type == PP_J_BOOL && fc->b;
	size_t ns = 0;
	for (const pp_jnode *f = fs && fs->type == PP_J_ARR ? fs->child : NULL; f; f = f->next)
		ns += pp_top_member(f);
	pp_span *sp = pp_xcalloc(ns + 1, sizeof *sp);
	ns = 0;
	for (const pp_jnode *f = fs && fs->type == PP_J_ARR ? fs->child : NULL; f; f = f->next) {
		if (!pp_top_member(f))
			continue;
		pp_span *s = &sp[ns++];
		const pp_jnode *ty = pp_jget(f, "type");
		s->name = pp_jget(f, "name")->str;
		s->type = ty && ty->type == PP_J_STR ? ty->str : "";
		pp_member_span(f, &s->start, &s->bits, &s->bitfield);
		size_t k = 0;
		for (size_t j = 0; j + 1 < ns; j++)
			k += !strcmp(sp[j].name, s->name);
		s->changed = n > 1 && pp_member_changed(all, n, s->name, k);
	}
	qsort(sp, ns, sizeof *sp, pp_span_cmp);
	/* Lanes: a member goes in the first lane free at its start, so union members stack. */
	uint64_t lane_end[8] = { 0 };
	pp_geom g = { bpr, 1, (double)RULER_W / (bpr * 8.0) };
	for (size_t i = 0; i < ns; i++) {
		int l = 0;
		while (l < 7 && lane_end[l] > sp[i].start)
			l++;
		sp[i].lane = l;
		uint64_t e = sp[i].start + (sp[i].bits ? sp[i].bits : 1);
		if (e > lane_end[l])
			lane_end[l] = e;
		if ((unsigned)l + 1 > g.lanes)
			g.lanes = (unsigned)l + 1;
	}
	uint64_t rows = (size + bpr - 1) / bpr;
	if (!rows)
		rows = 1;
	double h = 16 + (double)rows * (g.lanes * LANE_H + ROW_GAP);
	pp_buf_addf(b, "<svg class=\"layout\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	            "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\">", RULER_X0 + RULER_W + 4, h,
	            RULER_X0 + RULER_W + 4, h);
	/* Byte ticks along the top, labelled every 4 bytes (every 8 when narrow). */
	double ppbyte = g.ppbit * 8;
	unsigned every = ppbyte >= 14 ? 4 : ppbyte >= 6 ? 8 : bpr / 4;
	for (unsigned k = 0; k <= bpr; k++) {
		double x = RULER_X0 + k * ppbyte;
		if (ppbyte >= 4 || k % every == 0)
			pp_buf_addf(b, "<line class=\"tick\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.0f\"/>",
			            x, k % every ? 12 : 8, x, h - ROW_GAP);
		if (k % every == 0 && k < bpr)
			pp_buf_addf(b, "<text class=\"tickl\" x=\"%.2f\" y=\"7\">+%u</text>", x + 1, k);
	}
	for (uint64_t r = 0; r < rows; r++)
		pp_buf_addf(b, "<text class=\"rowl\" x=\"%d\" y=\"%.1f\">%llu</text>", RULER_X0 - 6,
		            16 + (double)r * (g.lanes * LANE_H + ROW_GAP) + 14,
		            (unsigned long long)(r * bpr));
	/* What no member covers: holes and tail padding when the layout is whole, else bytes the
	 * result says nothing about (its spec asked for some members only). */
	pp_buf t = PP_BUF_INIT;
	uint64_t covered = 0;
	for (size_t i = 0; i <= ns; i++) {
		uint64_t s = i < ns ? sp[i].start : total;
		if (s > covered && covered < total) {
			uint64_t e = s < total ? s : total;
			const char *what = !complete ? "not probed" : i < ns ? "hole" : "padding";
			pp_gap_title(&t, what, covered, e - covered);
			pp_block(b, &g, covered, e - covered, 0, complete ? "gap hole" : "gap unknown",
			         complete && e - covered >= 8 ? what : NULL, pp_buf_str(&t));
		}
		if (i < ns && sp[i].start + sp[i].bits > covered)
			covered = sp[i].start + sp[i].bits;
	}
	for (size_t i = 0; i < ns; i++) {
		const pp_span *s = &sp[i];
		pp_buf_reset(&t);
		pp_buf_addf(&t, "%s %s: ", s->type, s->name);
		if (s->bitfield)
			pp_buf_addf(&t, "bit %llu, %llu bits", (unsigned long long)s->start,
			            (unsigned long long)s->bits);
		else
			pp_buf_addf(&t, "offset %llu, size %llu", (unsigned long long)(s->start / 8),
			            (unsigned long long)(s->bits / 8));
		if (s->changed)
			pp_buf_adds(&t, " (differs across targets)");
		pp_buf_adds(b, "<g class=\"member\" data-member=\"");
		pp_html_escape(b, s->name);
		pp_buf_addf(b, "\"%s>", s->changed ? " data-changed=\"true\"" : "");
		char cls[48];
		snprintf(cls, sizeof cls, "m m%zu%s%s", i % 2, s->bitfield ? " bf" : "",
		         s->changed ? " chg" : "");
		pp_block(b, &g, s->start, s->bits, s->lane, cls, *s->name ? s->name : "(anonymous)",
		         pp_buf_str(&t));
		pp_buf_adds(b, "</g>");
	}
	pp_buf_free(&t);
	pp_buf_adds(b, "</svg>");
	free(sp);
}

/* pp_report.c: "platprobe report": several results (targets, or versions) side by side, as one
 * self-contained HTML page (inline CSS and SVG byte rulers from pp_ruler.c, no script, nothing
 * fetched) or as Markdown for a CI job summary: what differs first, then every table. */
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"

/* The names a section holds in any result, first-seen order. */
static void pp_rep_names(const pp_rep *rp, const char *sec, pp_strv *out)
{
	for (size_t i = 0; i < rp->n; i++) {
		const pp_jnode *s = pp_jget(rp->r[i], sec);
		for (const pp_jnode *e = s && s->type == PP_J_OBJ ? s->child : NULL; e; e = e->next) {
			size_t k = 0;
			while (k < out->n && strcmp(out->v[k], e->key))
				k++;
			if (k == out->n)
				pp_strv_push(out, e->key);
		}
	}
}

static const pp_jnode *pp_rep_get(const pp_jnode *r, const char *sec, const char *name)
{
	const pp_jnode *s = pp_jget(r, sec);
	return s && s->type == PP_J_OBJ ? pp_jget(s, name) : NULL;
}

static void pp_jnum_text(pp_buf *b, const pp_jnode *obj, const char *key)
{
	const pp_jnode *v = pp_jget(obj, key);
	if (v)
		pp_jwrite(b, v);
	else
		pp_buf_adds(b, "?");
}

/* One cell: what a section says of a name in one result, short enough for a table. */
static char *pp_cell(const pp_jnode *v, const char *sec)
{
	pp_buf b = PP_BUF_INIT;
	if (!v) {
		pp_buf_adds(&b, "(absent)");
	} else if (v->type == PP_J_NULL) {
		pp_buf_adds(&b, "not found");
	} else if (v->type == PP_J_STR && !strcmp(sec, "target")) {
		pp_buf_adds(&b, v->str);
	} else if (v->type == PP_J_BOOL) {
		pp_buf_adds(&b, v->b ? "yes" : "no");
	} else if (v->type == PP_J_OBJ && !strcmp(sec, "libraries")) {
		const pp_jnode *l = pp_jget(v, "links"), *so = pp_jget(v, "soname");
		pp_buf_adds(&b, l && l->type == PP_J_BOOL && l->b ? "links" : "no");
		if (so && so->type == PP_J_STR)
			pp_buf_addf(&b, " (%s)", so->str);
	} else if (v->type == PP_J_OBJ) {
		const pp_jnode *kind = pp_jget(v, "kind"), *sg = pp_jget(v, "signed");
		pp_jnum_text(&b, v, "size");
		pp_buf_adds(&b, "/");
		pp_jnum_text(&b, v, "align");
		if (kind && kind->type == PP_J_STR && strcmp(kind->str, "struct") &&
		    strcmp(kind->str, "enum"))
			pp_buf_addf(&b, " %s", kind->str);
		if (sg && sg->type == PP_J_BOOL && !sg->b)
			pp_buf_adds(&b, " unsigned");
		const pp_jnode *vals = pp_jget(v, "values");
		for (const pp_jnode *e = vals ? vals->child : NULL; e; e = e->next) {
			pp_buf_addf(&b, "%s%s=", e == vals->child ? ": " : ", ", e->key);
			pp_jwrite(&b, e);
		}
	} else {
		pp_jwrite(&b, v);
	}
	return pp_buf_detach(&b);
}

/* The cells of a row, and which differ from the most common one (ties: the earliest). */
typedef struct pp_row {
	char **cell;
	int *odd;
	int differs;
} pp_row;

static void pp_row_mark(const pp_rep *rp, pp_row *row)
{
	row->differs = pp_mark_odd(row->cell, rp->n, row->odd);
}

static void pp_row_new(const pp_rep *rp, pp_row *row)
{
	row->cell = pp_xcalloc(rp->n, sizeof *row->cell);
	row->odd = pp_xcalloc(rp->n, sizeof *row->odd);
	row->differs = 0;
}

static void pp_row_make(const pp_rep *rp, const char *sec, const char *name, pp_row *row)
{
	pp_row_new(rp, row);
	for (size_t i = 0; i < rp->n; i++)
		row->cell[i] = pp_cell(pp_rep_get(rp->r[i], sec, name), sec);
	pp_row_mark(rp, row);
}

static void pp_row_free(const pp_rep *rp, pp_row *row)
{
	for (size_t i = 0; i < rp->n; i++)
		free(row->cell[i]);
	free(row->cell);
	free(row->odd);
}

typedef void pp_row_fn(pp_buf *b, const pp_rep *rp, const char *name, const pp_row *row);

/* The targets' own facts, a row each. */
static void pp_target_rows(pp_buf *b, const pp_rep *rp, pp_row_fn *emit)
{
	static const char *const facts[] = { "compiler", "compiler_version", "endian",
		"pointer_size", "data_model", "char_signed" };
	for (size_t f = 0; f < sizeof facts / sizeof facts[0]; f++) {
		pp_row row;
		pp_row_new(rp, &row);
		for (size_t i = 0; i < rp->n; i++) {
			const pp_jnode *t = pp_jget(rp->r[i], "target");
			row.cell[i] = pp_cell(t ? pp_jget(t, facts[f]) : NULL, "target");
		}
		pp_row_mark(rp, &row);
		emit(b, rp, facts[f], &row);
		pp_row_free(rp, &row);
	}
}


/* Whether a struct differs anywhere: its own cell, or a member's place or size. */

static int pp_struct_differs(const pp_rep *rp, const char *name, const pp_jnode **all)
{
	pp_row row;
	pp_row_make(rp, "structs", name, &row);
	int differs = row.differs;
	pp_row_free(rp, &row);
	for (size_t i = 0; i < rp->n && !differs; i++) {
		const pp_jnode *fs = all[i] ? pp_jget(all[i], "fields") : NULL;
		for (const pp_jnode *f = fs && fs->type == PP_J_ARR ? fs->child : NULL; f && !differs;
		     f = f->next) {
			const pp_jnode *nm = pp_jget(f, "name");
			size_t k = 0;
			for (const pp_jnode *g = fs->child; g != f && nm; g = g->next) {
				const pp_jnode *gn = pp_jget(g, "name");
				k += gn && gn->type == PP_J_STR && !strcmp(gn->str, nm->str);
			}
			differs = nm && nm->type == PP_J_STR && pp_member_changed(all, rp->n, nm->str, k);
		}
	}
	return differs;
}

static const char *const pp_rep_sections[] = { "types", "structs", "enums", "constants", "defined",
	"functions", "libraries" };
#define PP_REP_NSEC (sizeof pp_rep_sections / sizeof pp_rep_sections[0])

static void pp_md_cell(pp_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`' || *s == '<')
			pp_buf_addc(b, '\\');
		pp_buf_addc(b, *s == '\n' ? ' ' : *s);
	}
}

static void pp_md_header(pp_buf *b, const pp_rep *rp, const char *first)
{
	pp_buf_addf(b, "| %s |", first);
	for (size_t i = 0; i < rp->n; i++) {
		pp_buf_adds(b, " ");
		pp_md_cell(b, rp->label[i]);
		pp_buf_adds(b, " |");
	}
	pp_buf_adds(b, "\n|---|");
	for (size_t i = 0; i < rp->n; i++)
		pp_buf_adds(b, "---|");
	pp_buf_adds(b, "\n");
}

static void pp_md_row(pp_buf *b, const pp_rep *rp, const char *name, const pp_row *row)
{
	pp_buf_adds(b, "| ");
	pp_md_cell(b, name);
	pp_buf_adds(b, " |");
	for (size_t i = 0; i < rp->n; i++) {
		pp_buf_adds(b, row->odd[i] ? " **" : " ");
		pp_md_cell(b, row->cell[i]);
		pp_buf_adds(b, row->odd[i] ? "** |" : " |");
	}
	pp_buf_adds(b, "\n");
}

/* A member's place in one result: "offset+size" or "bit+bits b". */
static char *pp_member_cell(const pp_jnode *st, const char *name)
{
	const pp_jnode *fs = st ? pp_jget(st, "fields") : NULL;
	for (const pp_jnode *f = fs && fs->type == PP_J_ARR ? fs->child : NULL; f; f = f->next) {
		const pp_jnode *nm = pp_jget(f, "name");
		if (!nm || nm->type != PP_J_STR || strcmp(nm->str, name))
			continue;
		pp_buf b = PP_BUF_INIT;
		if (pp_jget(f, "bit_size")) {
			pp_buf_adds(&b, "bit ");
			pp_jnum_text(&b, f, "bit_offset");
			pp_buf_adds(&b, " :");
			pp_jnum_text(&b, f, "bit_size");
		} else {
			pp_jnum_text(&b, f, "offset");
			pp_buf_adds(&b, " +");
			pp_jnum_text(&b, f, "size");
		}
		return pp_buf_detach(&b);
	}
	return pp_xstrdup("(absent)");
}

static void pp_struct_members(const pp_rep *rp, const pp_jnode **all, pp_strv *names)
{
	for (size_t i = 0; i < rp->n; i++) {
		const pp_jnode *fs = all[i] ? pp_jget(all[i], "fields") : NULL;
		for (const pp_jnode *f = fs && fs->type == PP_J_ARR ? fs->child : NULL; f; f = f->next) {
			const pp_jnode *nm = pp_jget(f, "name");
			if (!nm || nm->type != PP_J_STR || !*nm->str)
				continue;
			size_t k = 0;
			while (k < names->n && strcmp(names->v[k], nm->str))
				k++;
			if (k == names->n)
				pp_strv_push(names, nm->str);
		}
	}
}

static void pp_struct_nodes(const pp_rep *rp, const char *name, const pp_jnode **all)
{
	for (size_t i = 0; i < rp->n; i++) {
		const pp_jnode *v = pp_rep_get(rp->r[i], "structs", name);
		all[i] = v && v->type == PP_J_OBJ ? v : NULL;
	}
}

/* Rows of a struct's members whose place differs; the members table of the HTML too. */
static size_t pp_member_rows(const pp_rep *rp, const pp_jnode **all, int only_changed,
                             pp_row_fn *emit, pp_buf *b)
{
	size_t rows = 0;
	pp_strv names = { 0 };
	pp_struct_members(rp, all, &names);
	for (size_t m = 0; m < names.n; m++) {
		int changed = pp_member_changed((const pp_jnode *const *)all, rp->n, names.v[m], 0);
		if (only_changed && !changed)
			continue;
		pp_row row;
		pp_row_new(rp, &row);
		for (size_t i = 0; i < rp->n; i++)
			row.cell[i] = pp_member_cell(all[i], names.v[m]);
		pp_row_mark(rp, &row);
		row.differs = changed;
		emit(b, rp, names.v[m], &row);
		pp_row_free(rp, &row);
		rows++;
	}
	pp_strv_free(&names);
	return rows;
}

static void pp_summary_counts(const pp_rep *rp, size_t *total, size_t *differ)
{
	const pp_jnode **all = pp_xcalloc(rp->n + 1, sizeof *all);
	for (size_t s = 0; s < PP_REP_NSEC; s++) {
		pp_strv names = { 0 };
		pp_rep_names(rp, pp_rep_sections[s], &names);
		total[s] = names.n;
		differ[s] = 0;
		for (size_t k = 0; k < names.n; k++) {
			if (!strcmp(pp_rep_sections[s], "structs")) {
				pp_struct_nodes(rp, names.v[k], all);
				differ[s] += pp_struct_differs(rp, names.v[k], all);
			} else {
				pp_row row;
				pp_row_make(rp, pp_rep_sections[s], names.v[k], &row);
				differ[s] += row.differs;
				pp_row_free(rp, &row);
			}
		}
		pp_strv_free(&names);
	}
	free(all);
}

/* ---- Markdown ---- */

static void pp_report_md(pp_buf *b, const pp_rep *rp)
{
	size_t total[PP_REP_NSEC], differ[PP_REP_NSEC], sum = 0, all_n = 0;
	pp_summary_counts(rp, total, differ);
	for (size_t s = 0; s < PP_REP_NSEC; s++) {
		sum += differ[s];
		all_n += total[s];
	}
	pp_buf_adds(b, "## platprobe report\n\n");
	pp_md_header(b, rp, "target");
	pp_target_rows(b, rp, pp_md_row);
	pp_buf_addf(b, "\n**%zu of %zu entries differ** across %zu results", sum, all_n, rp->n);
	for (size_t s = 0, k = 0; s < PP_REP_NSEC; s++)
		if (total[s])
			pp_buf_addf(b, "%s%s %zu/%zu", k++ ? ", " : ": ", pp_rep_sections[s], differ[s],
			            total[s]);
	pp_buf_adds(b, ". Entries the same everywhere are left out; a value that is not the most "
	            "common one is **bold**.\n");
	const pp_jnode **all = pp_xcalloc(rp->n + 1, sizeof *all);
	for (size_t s = 0; s < PP_REP_NSEC; s++) {
		if (!differ[s])
			continue;
		const char *sec = pp_rep_sections[s];
		int is_struct = !strcmp(sec, "structs");
		pp_buf_addf(b, "\n### %s\n\n", sec);
		pp_md_header(b, rp, is_struct ? "struct (size/align)" : "name");
		pp_strv names = { 0 };
		pp_rep_names(rp, sec, &names);
		pp_buf members = PP_BUF_INIT;
		for (size_t k = 0; k < names.n; k++) {
			pp_row row;
			pp_row_make(rp, sec, names.v[k], &row);
			int show = row.differs;
			if (is_struct) {
				pp_struct_nodes(rp, names.v[k], all);
				show = pp_struct_differs(rp, names.v[k], all);
			}
			if (show)
				pp_md_row(b, rp, names.v[k], &row);
			pp_row_free(rp, &row);
			pp_buf rows = PP_BUF_INIT;
			if (is_struct && show && pp_member_rows(rp, all, 1, pp_md_row, &rows)) {
				pp_buf_addf(&members, "\n#### ");
				pp_md_cell(&members, names.v[k]);
				pp_buf_adds(&members, ": members that moved or resized (offset +size)\n\n");
				pp_md_header(&members, rp, "member");
				pp_buf_add(&members, rows.s, rows.len);
			}
			pp_buf_free(&rows);
		}
		pp_buf_adds(b, pp_buf_str(&members));
		pp_buf_free(&members);
		pp_strv_free(&names);
	}
	free(all);
}

/* ---- HTML ---- */

static const char pp_css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1000px;color:#1d1d1d;"
	"padding:0 1em}\n"
	"h1{font-size:1.6em}h2{border-bottom:2px solid #ccc;margin-top:1.6em}h3{margin:.2em 0}\n"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
	"text-align:left;vertical-align:top;font-family:ui-monospace,monospace;font-size:12.5px}\n"
	"th{background:#f0f0f0;font-family:system-ui,sans-serif}\n"
	"td.diff{background:#ffd7a8;font-weight:bold}tr.differs>th:first-child{"
	"border-left:4px solid #d9480f}\n"
	"section.struct{border:1px solid #ddd;border-radius:4px;padding:.5em .8em;margin:1em 0;"
	"break-inside:avoid}\n"
	"section.struct.differs{border-left:5px solid #d9480f}\n"
	".ruler{margin:.3em 0}.ruler .tgt{font:bold 12px ui-monospace,monospace;color:#444}\n"
	"svg.layout{max-width:100%;height:auto;display:block}\n"
	"svg text{font:11px ui-monospace,monospace;fill:#111}svg text.rowl{text-anchor:end;fill:#666}"
	"\nsvg text.cont{fill:#777}svg text.tickl{font-size:8px;fill:#888}line.tick{stroke:#e3e3e3;stroke-width:.5}\n"
	"rect.m{stroke:#34495e;stroke-width:1}rect.m0{fill:#cfe3f7}rect.m1{fill:#dcefd9}\n"
	"rect.bf{fill:#efe0fa;stroke-dasharray:3 2}rect.chg{fill:#ffc48a;stroke:#d9480f;"
	"stroke-width:2}\n"
	"rect.hole{fill:url(#pp-hatch);stroke:#b00;stroke-width:.6}rect.unknown{fill:#f4f4f4;"
	"stroke:#ccc;stroke-dasharray:2 2}\n"
	".legend i.sw{display:inline-block;width:18px;height:11px;margin:0 3px 0 10px;"
	"border:1px solid #34495e;vertical-align:middle}.legend i.m0{background:#cfe3f7}"
	".legend i.bf{background:#efe0fa;border-style:dashed}.legend i.chg{background:#ffc48a;"
	"border:2px solid #d9480f}.legend i.hole{background:repeating-linear-gradient(45deg,#fff 0 2px,"
	"#c0392b 2px 4px)}.legend i.unknown{background:#f4f4f4;border:1px dashed #ccc}"
	"\n"
	"nav ol{columns:3;font-size:12.5px}\n"
	"@media print{body{max-width:none;margin:0;font-size:10pt}nav{display:none}"
	"section.struct{break-inside:avoid;page-break-inside:avoid}h2{break-before:auto}"
	"td.diff,rect.chg,rect.m0,rect.m1,rect.bf{-webkit-print-color-adjust:exact;"
	"print-color-adjust:exact}}\n";

static void pp_html_row(pp_buf *b, const pp_rep *rp, const char *name, const pp_row *row)
{
	pp_buf_addf(b, "<tr%s><th>", row->differs ? " class=\"differs\"" : "");
	pp_html_escape(b, name);
	pp_buf_adds(b, "</th>");
	for (size_t i = 0; i < rp->n; i++) {
		pp_buf_addf(b, "<td%s>", row->odd[i] ? " class=\"diff\"" : "");
		pp_html_escape(b, row->cell[i]);
		pp_buf_adds(b, "</td>");
	}
	pp_buf_adds(b, "</tr>\n");
}

static void pp_html_thead(pp_buf *b, const pp_rep *rp, const char *first)
{
	pp_buf_addf(b, "<table><thead><tr><th>%s</th>", first);
	for (size_t i = 0; i < rp->n; i++) {
		pp_buf_adds(b, "<th>");
		pp_html_escape(b, rp->label[i]);
		pp_buf_adds(b, "</th>");
	}
	pp_buf_adds(b, "</tr></thead><tbody>\n");
}

static void pp_html_struct(pp_buf *b, const pp_rep *rp, const char *name, size_t idx,
                           const pp_jnode **all)
{
	int differs = pp_struct_differs(rp, name, all);
	pp_buf_addf(b, "<section class=\"struct%s\" id=\"struct-%zu\" data-name=\"",
	            differs ? " differs" : "", idx);
	pp_html_escape(b, name);
	pp_buf_addf(b, "\" data-differs=\"%s\"><h3>", differs ? "true" : "false");
	pp_html_escape(b, name);
	pp_buf_adds(b, "</h3>\n");
	pp_html_thead(b, rp, "");
	pp_row row;
	pp_row_make(rp, "structs", name, &row);
	pp_html_row(b, rp, "size/align", &row);
	pp_row_free(rp, &row);
	pp_buf_adds(b, "</tbody></table>\n");
	unsigned bpr = pp_ruler_bytes_per_row(all, rp->n);
	for (size_t i = 0; i < rp->n; i++) {
		pp_buf_adds(b, "<div class=\"ruler\" data-target=\"");
		pp_html_escape(b, rp->label[i]);
		pp_buf_adds(b, "\"><div class=\"tgt\">");
		pp_html_escape(b, rp->label[i]);
		if (all[i])
			pp_buf_adds(b, "</div>");
		else
			pp_buf_adds(b, ": not found</div>");
		if (all[i])
			pp_ruler_svg(b, all[i], all, rp->n, bpr);
		pp_buf_adds(b, "</div>\n");
	}
	pp_buf rows = PP_BUF_INIT;
	if (differs && pp_member_rows(rp, all, 1, pp_html_row, &rows)) {
		pp_buf_adds(b, "<details><summary>members that moved or resized</summary>");
		pp_html_thead(b, rp, "member (offset +size)");
		pp_buf_add(b, rows.s, rows.len);
		pp_buf_adds(b, "</tbody></table></details>\n");
	}
	pp_buf_free(&rows);
	pp_buf_adds(b, "</section>\n");
}

static void pp_report_html(pp_buf *b, const pp_rep *rp)
{
	size_t total[PP_REP_NSEC], differ[PP_REP_NSEC], sum = 0, all_n = 0;
	pp_summary_counts(rp, total, differ);
	for (size_t s = 0; s < PP_REP_NSEC; s++) {
		sum += differ[s];
		all_n += total[s];
	}
	pp_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width\">\n"
	            "<title>platprobe report</title>\n<style>\n");
	pp_buf_adds(b, pp_css);
	pp_buf_adds(b, "</style></head><body>\n"
	            "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\">"
	            "<defs><pattern id=\"pp-hatch\" width=\"6\" height=\"6\" "
	            "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	            "<rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
	            "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c0392b\" stroke-width=\"2\"/>"
	            "</pattern></defs></svg>\n<h1>platprobe report</h1>\n");
	pp_buf_adds(b, "<section id=\"targets\">");
	pp_html_thead(b, rp, "target");
	pp_target_rows(b, rp, pp_html_row);
	pp_buf_adds(b, "</tbody></table></section>\n<section id=\"summary\"><h2>Summary</h2>\n");
	pp_buf_addf(b, "<p><strong id=\"differ-count\">%zu</strong> of %zu entries differ across "
	            "%zu results.</p>\n<table><thead><tr><th>section</th><th>entries</th>"
	            "<th>differ</th><th>which</th></tr></thead><tbody>\n", sum, all_n, rp->n);
	const pp_jnode **all = pp_xcalloc(rp->n + 1, sizeof *all);
	for (size_t s = 0; s < PP_REP_NSEC; s++) {
		if (!total[s])
			continue;
		const char *sec = pp_rep_sections[s];
		pp_buf_addf(b, "<tr%s><th>%s</th><td>%zu</td><td>%zu</td><td>",
		            differ[s] ? " class=\"differs\"" : "", sec, total[s], differ[s]);
		pp_strv names = { 0 };
		pp_rep_names(rp, sec, &names);
		size_t k = 0;
		for (size_t j = 0; j < names.n; j++) {
			int d;
			if (!strcmp(sec, "structs")) {
				pp_struct_nodes(rp, names.v[j], all);
				d = pp_struct_differs(rp, names.v[j], all);
			} else {
				pp_row row;
				pp_row_make(rp, sec, names.v[j], &row);
				d = row.differs;
				pp_row_free(rp, &row);
			}
			if (!d)
				continue;
			pp_buf_adds(b, k++ ? ", " : "");
			if (!strcmp(sec, "structs"))
				pp_buf_addf(b, "<a href=\"#struct-%zu\">", j);
			pp_html_escape(b, names.v[j]);
			if (!strcmp(sec, "structs"))
				pp_buf_adds(b, "</a>");
		}
		pp_buf_adds(b, "</td></tr>\n");
		pp_strv_free(&names);
	}
	pp_buf_adds(b, "</tbody></table>\n<p class=\"legend\">Rulers: "
	            "<i class=\"sw m0\"></i>member <i class=\"sw bf\"></i>bit-field "
	            "<i class=\"sw chg\"></i>moved or resized across results "
	            "<i class=\"sw hole\"></i>hole or padding <i class=\"sw unknown\"></i>not probed. "
	            "Tables: a cell that is not the most common value "
	            "is <span style=\"background:#ffd7a8;font-weight:bold\">marked</span>.</p></section>\n");

	pp_strv names = { 0 };
	pp_rep_names(rp, "structs", &names);
	if (names.n) {
		pp_buf_adds(b, "<nav><h2>Structs and unions</h2><ol>");
		for (size_t j = 0; j < names.n; j++) {
			pp_buf_addf(b, "<li><a href=\"#struct-%zu\">", j);
			pp_html_escape(b, names.v[j]);
			pp_buf_adds(b, "</a></li>");
		}
		pp_buf_adds(b, "</ol></nav>\n<section id=\"structs\">\n");
		for (size_t j = 0; j < names.n; j++) {
			pp_struct_nodes(rp, names.v[j], all);
			pp_html_struct(b, rp, names.v[j], j, all);
		}
		pp_buf_adds(b, "</section>\n");
	}
	pp_strv_free(&names);
	free(all);
	for (size_t s = 0; s < PP_REP_NSEC; s++) {
		const char *sec = pp_rep_sections[s];
		if (!strcmp(sec, "structs") || !total[s])
			continue;
		pp_buf_addf(b, "<section id=\"%s\" class=\"table\"><h2>%s</h2>\n", sec, sec);
		pp_html_thead(b, rp, !strcmp(sec, "types") || !strcmp(sec, "enums") ?
		              "name (size/align)" : "name");
		pp_strv nm = { 0 };
		pp_rep_names(rp, sec, &nm);
		for (size_t j = 0; j < nm.n; j++) {
			pp_row row;
			pp_row_make(rp, sec, nm.v[j], &row);
			pp_html_row(b, rp, nm.v[j], &row);
			pp_row_free(rp, &row);
		}
		pp_strv_free(&nm);
		pp_buf_adds(b, "</tbody></table></section>\n");
	}
	pp_buf_adds(b, "<footer><p>Written by platprobe " PP_VERSION ".</p></footer>\n"
	            "</body></html>\n");
}

void pp_rep_free(pp_rep *rp)
{
	for (size_t i = 0; i < rp->ntrees; i++)
		pp_jfree(rp->trees[i]);
	for (size_t i = 0; i < rp->n; i++)
		free(rp->label[i]);
	free(rp->trees);
	free(rp->r);
	free(rp->label);
}

int pp_rep_load(pp_rep *rp, const char *const *paths, size_t n, pp_diag *d)
{
	memset(rp, 0, sizeof *rp);
	rp->trees = pp_xcalloc(n + 1, sizeof *rp->trees);
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		pp_jnode *t = pp_result_read(paths[i], d);
		if (!t)
			return -1;
		rp->trees[rp->ntrees++] = t;
		const pp_jnode *many = pp_jget(t, "results");
		const pp_jnode *one = many && many->type == PP_J_ARR ? many->child : t;
		for (; one; one = many && many->type == PP_J_ARR ? one->next : NULL) {
			if (one->type != PP_J_OBJ) {
				pp_diag_add(d, "%s: error: \"results\" holds something that is not a result",
				            paths[i]);
				return -1;
			}
			if (rp->n == cap) {
				cap = cap ? 2 * cap : 8;
				rp->r = pp_xrealloc(rp->r, cap * sizeof *rp->r);
				rp->label = pp_xrealloc(rp->label, cap * sizeof *rp->label);
			}
			const pp_jnode *tg = pp_jget(one, "target");
			const pp_jnode *tr = tg && tg->type == PP_J_OBJ ? pp_jget(tg, "triple") : NULL;
			rp->r[rp->n] = one;
			rp->label[rp->n++] = pp_xstrdup(tr && tr->type == PP_J_STR ? tr->str : paths[i]);
		}
	}
	for (size_t i = 0; i < rp->n; i++) {
		int dup = 0;
		for (size_t k = 0; k < rp->n; k++)
			dup |= k != i && !strcmp(rp->label[i], rp->label[k]);
		if (dup) {
			/* The file the result came from: the tree it lies in. */
			size_t f = 0;
			for (size_t t = 0; t < rp->ntrees; t++) {
				const pp_jnode *many = pp_jget(rp->trees[t], "results");
				int in = rp->trees[t] == rp->r[i];
				for (const pp_jnode *e = many ? many->child : NULL; e && !in; e = e->next)
					in = e == rp->r[i];
				if (in)
					f = t;
			}
			char *l = pp_xasprintf("%s (%s)", rp->label[i], paths[f]);
			free(rp->label[i]);
			rp->label[i] = l;
		}
	}
	if (!rp->n) {
		pp_diag_add(d, "platprobe: error: report: the files hold no result");
		return -1;
	}
	return 0;
}

int pp_report_files(const char *const *paths, size_t n, const char *format, char **text,
                    pp_diag *d)
{
	*text = NULL;
	int md = format && !strcmp(format, "markdown");
	if (format && !md && strcmp(format, "html")) {
		pp_diag_add(d, "platprobe: error: report: unknown format '%s' (html, markdown)", format);
		return PP_EUSAGE;
	}
	pp_rep rp;
	if (pp_rep_load(&rp, paths, n, d) < 0) {
		pp_rep_free(&rp);
		return PP_EUSAGE;
	}
	pp_buf b = PP_BUF_INIT;
	if (md)
		pp_report_md(&b, &rp);
	else
		pp_report_html(&b, &rp);
	pp_rep_free(&rp);
	*text = pp_buf_detach(&b);
	return PP_OK;
}

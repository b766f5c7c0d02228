/* pp_reloc.c: opens an ELF file's DWARF for libdw without elfutils' machine backends: a relocatable
 * object's debug sections get their relocations applied here, in a copy of the file in memory. */
#include <elf.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "pp_internal.h"
#include "pp_reloc.h"

/* What one relocation type does to its place: the absolute values and address differences that
 * compilers write into debug sections (RISC-V's linker relaxation needs the differences). SH's
 * DIR32 adds to what is in place although its section is RELA (GNU as leaves the addend there). */
enum pp_rop { PP_R_SET, PP_R_ADD, PP_R_SUB, PP_R_SET6, PP_R_SUB6 };

typedef struct pp_rtype {
	unsigned machine, type;
	unsigned char op, width;
} pp_rtype;

static const pp_rtype pp_rtypes[] = {
	{ EM_X86_64, R_X86_64_32, PP_R_SET, 4 },   { EM_X86_64, R_X86_64_32S, PP_R_SET, 4 },
	{ EM_X86_64, R_X86_64_64, PP_R_SET, 8 },   { EM_386, R_386_32, PP_R_SET, 4 },
	{ EM_AARCH64, R_AARCH64_ABS32, PP_R_SET, 4 }, { EM_AARCH64, R_AARCH64_ABS64, PP_R_SET, 8 },
	{ EM_ARM, R_ARM_ABS32, PP_R_SET, 4 },      { EM_MIPS, R_MIPS_32, PP_R_SET, 4 },
	{ EM_MIPS, R_MIPS_64, PP_R_SET, 8 },       { EM_PPC, R_PPC_ADDR32, PP_R_SET, 4 },
	{ EM_PPC, R_PPC_UADDR32, PP_R_SET, 4 },    { EM_PPC64, R_PPC64_ADDR32, PP_R_SET, 4 },
	{ EM_PPC64, R_PPC64_UADDR32, PP_R_SET, 4 }, { EM_PPC64, R_PPC64_ADDR64, PP_R_SET, 8 },
	{ EM_PPC64, R_PPC64_UADDR64, PP_R_SET, 8 }, { EM_S390, R_390_32, PP_R_SET, 4 },
	{ EM_S390, R_390_64, PP_R_SET, 8 },        { EM_SPARCV9, R_SPARC_32, PP_R_SET, 4 },
	{ EM_SPARCV9, R_SPARC_UA32, PP_R_SET, 4 }, { EM_SPARCV9, R_SPARC_64, PP_R_SET, 8 },
	{ EM_SPARCV9, R_SPARC_UA64, PP_R_SET, 8 }, { EM_SPARC, R_SPARC_32, PP_R_SET, 4 },
	{ EM_SPARC, R_SPARC_UA32, PP_R_SET, 4 },   { EM_SPARC32PLUS, R_SPARC_32, PP_R_SET, 4 },
	{ EM_SPARC32PLUS, R_SPARC_UA32, PP_R_SET, 4 }, { EM_ALPHA, R_ALPHA_REFLONG, PP_R_SET, 4 },
	{ EM_ALPHA, R_ALPHA_REFQUAD, PP_R_SET, 8 }, { EM_PARISC, R_PARISC_DIR32, PP_R_SET, 4 },
	{ EM_PARISC, R_PARISC_DIR64, PP_R_SET, 8 }, { EM_PARISC, R_PARISC_SECREL32, PP_R_SET, 4 },
	{ EM_68K, R_68K_32, PP_R_SET, 4 },         { EM_SH, R_SH_DIR32, PP_R_ADD, 4 },
	{ EM_RISCV, R_RISCV_32, PP_R_SET, 4 },     { EM_RISCV, R_RISCV_64, PP_R_SET, 8 },
	{ EM_RISCV, R_RISCV_ADD8, PP_R_ADD, 1 },   { EM_RISCV, R_RISCV_ADD16, PP_R_ADD, 2 },
	{ EM_RISCV, R_RISCV_ADD32, PP_R_ADD, 4 },  { EM_RISCV, R_RISCV_ADD64, PP_R_ADD, 8 },
	{ EM_RISCV, R_RISCV_SUB8, PP_R_SUB, 1 },   { EM_RISCV, R_RISCV_SUB16, PP_R_SUB, 2 },
	{ EM_RISCV, R_RISCV_SUB32, PP_R_SUB, 4 },  { EM_RISCV, R_RISCV_SUB64, PP_R_SUB, 8 },
	{ EM_RISCV, R_RISCV_SET8, PP_R_SET, 1 },   { EM_RISCV, R_RISCV_SET16, PP_R_SET, 2 },
	{ EM_RISCV, R_RISCV_SET32, PP_R_SET, 4 },  { EM_RISCV, R_RISCV_SET6, PP_R_SET6, 1 },
	{ EM_RISCV, R_RISCV_SUB6, PP_R_SUB6, 1 },
};

/* RISC-V marks relaxable places with a second relocation that writes nothing. */
static int pp_rel_noop(unsigned machine, unsigned type)
{
	return type == 0 || (machine == EM_RISCV && (type == R_RISCV_RELAX || type == R_RISCV_ALIGN));
}

static uint64_t pp_rel_get(const unsigned char *p, unsigned width, int big)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)p[big ? i : width - 1 - i] << (8 * (width - 1 - i));
	return v;
}

static void pp_rel_put(unsigned char *p, unsigned width, int big, uint64_t v)
{
	for (unsigned i = 0; i < width; i++)
		p[big ? width - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* A relocation's symbol and type. MIPS n64 packs three types and a special symbol into r_info
 * (r_sym, r_ssym, r_type3, r_type2, r_type in file order), which libelf reads as one word. */
static void pp_rel_info(const GElf_Ehdr *eh, uint64_t info, uint64_t *sym, unsigned *type,
                        unsigned *extra)
{
	*extra = 0;
	if (eh->e_ident[EI_CLASS] == ELFCLASS32) {
		*sym = GELF_R_SYM(info); /* gelf gives a 32-bit file's r_info in the 64-bit layout */
		*type = (unsigned)GELF_R_TYPE(info);
	} else if (eh->e_machine == EM_MIPS && eh->e_ident[EI_DATA] == ELFDATA2LSB) {
		*sym = info & 0xffffffff;
		*type = (unsigned)(info >> 56);
		*extra = (unsigned)(info >> 32) & 0xffffff;
	} else if (eh->e_machine == EM_MIPS) {
		*sym = info >> 32;
		*type = (unsigned)info & 0xff;
		*extra = (unsigned)(info >> 8) & 0xffffff;
	} else {
		*sym = ELF64_R_SYM(info);
		/* SPARC's R_SPARC_OLO10 keeps an addend above the type's low byte. */
		*type = (unsigned)ELF64_R_TYPE(info) & (eh->e_machine == EM_SPARCV9 ? 0xff : ~0u);
	}
}

static const pp_rtype *pp_rel_type(unsigned machine, unsigned type)
{
	for (size_t i = 0; i < sizeof pp_rtypes / sizeof pp_rtypes[0]; i++)
		if (pp_rtypes[i].machine == machine && pp_rtypes[i].type == type)
			return &pp_rtypes[i];
	return NULL;
}

/* Applies the relocations of one SHT_REL or SHT_RELA section to img, when they are for a debug
 * section; NULL, or why it cannot. Symbols count from address 0 of their own section, as in a
 * relocatable object, which is right for the references between debug sections and leaves code
 * addresses (which type layouts never need) section-relative. */
static char *pp_rel_section(Elf *elf, const GElf_Ehdr *eh, Elf_Scn *rs, const GElf_Shdr *rh,
                            unsigned char *img, size_t len, size_t shstrndx)
{
	Elf_Scn *ts = elf_getscn(elf, rh->sh_info);
	GElf_Shdr th, sh;
	if (!ts || !gelf_getshdr(ts, &th))
		return NULL;
	const char *tname = elf_strptr(elf, shstrndx, th.sh_name);
	if (!tname || strncmp(tname, ".debug_", 7) != 0)
		return NULL;
	if (th.sh_flags & SHF_COMPRESSED)
		return pp_xasprintf("%s is compressed and has relocations", tname);
	if (th.sh_type == SHT_NOBITS || th.sh_offset > len || th.sh_size > len - th.sh_offset)
		return pp_xasprintf("%s lies outside the file", tname);
	Elf_Scn *ss = elf_getscn(elf, rh->sh_link);
	Elf_Data *syms = ss && gelf_getshdr(ss, &sh) ? elf_getdata(ss, NULL) : NULL;
	Elf_Data *rels = elf_getdata(rs, NULL);
	if (!syms || !rels || !rh->sh_entsize)
		return pp_xasprintf("the relocations of %s cannot be read (%s)", tname, elf_errmsg(-1));
	int rela = rh->sh_type == SHT_RELA, big = eh->e_ident[EI_DATA] == ELFDATA2MSB;
	size_t n = rh->sh_size / rh->sh_entsize;
	unsigned char *base = img + th.sh_offset;
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		GElf_Rel rl;
		if (rela ? !gelf_getrela(rels, (int)i, &r) : !gelf_getrel(rels, (int)i, &rl))
			return pp_xasprintf("relocation %zu of %s cannot be read", i, tname);
		if (!rela) {
			r.r_offset = rl.r_offset;
			r.r_info = rl.r_info;
			r.r_addend = 0;
		}
		uint64_t symi;
		unsigned type, extra;
		pp_rel_info(eh, r.r_info, &symi, &type, &extra);
		if (pp_rel_noop(eh->e_machine, type) && !extra)
			continue;
		const pp_rtype *rt = extra ? NULL : pp_rel_type(eh->e_machine, type);
		if (!rt)
			return pp_xasprintf("relocation type %u (machine %u) in %s is not one platprobe "
			                    "applies", type, eh->e_machine, tname);
		GElf_Sym s;
		if (symi && !gelf_getsym(syms, (int)symi, &s))
			return pp_xasprintf("relocation %zu of %s names no symbol (%s)", i, tname, elf_errmsg(-1));
		uint64_t sv = symi ? s.st_value : 0;
		if (r.r_offset > th.sh_size || rt->width > th.sh_size - r.r_offset)
			return pp_xasprintf("relocation %zu of %s lies outside it", i, tname);
		unsigned char *p = base + r.r_offset;
		uint64_t old = pp_rel_get(p, rt->width, big);
		uint64_t add = rela ? (uint64_t)r.r_addend : old, v = sv + add;
		switch (rt->op) {
		case PP_R_ADD: v = old + sv + (uint64_t)r.r_addend; break;
		case PP_R_SUB: v = old - sv - (uint64_t)r.r_addend; break;
		case PP_R_SET6: v = (old & 0xc0) | (v & 0x3f); break;
		case PP_R_SUB6: v = (old & 0xc0) | ((old - sv - (uint64_t)r.r_addend) & 0x3f); break;
		default: break;
		}
		pp_rel_put(p, rt->width, big, v);
	}
	return NULL;
}

/* Applies every debug section's relocations in img (an ET_REL file); NULL, or why not. */
static char *pp_rel_apply(unsigned char *img, size_t len)
{
	Elf *elf = elf_memory((char *)img, len);
	GElf_Ehdr eh;
	size_t shstrndx;
	char *why = NULL;
	if (!elf || !gelf_getehdr(elf, &eh) || elf_getshdrstrndx(elf, &shstrndx) != 0) {
		why = pp_xasprintf("unreadable ELF (%s)", elf_errmsg(-1));
	} else {
		for (Elf_Scn *s = NULL; !why && (s = elf_nextscn(elf, s));) {
			GElf_Shdr h;
			if (gelf_getshdr(s, &h) && (h.sh_type == SHT_REL || h.sh_type == SHT_RELA))
				why = pp_rel_section(elf, &eh, s, &h, img, len, shstrndx);
		}
	}
	elf_end(elf);
	return why;
}

Dwarf *pp_reloc_dwarf(const char *path, pp_elfimg *img, char **why)
{
	memset(img, 0, sizeof *img);
	if (elf_version(EV_CURRENT) == EV_NONE) {
		*why = pp_xstrdup("libelf is unusable");
		return NULL;
	}
	pp_buf b = PP_BUF_INIT;
	if (pp_buf_read_file(&b, path) < 0) {
		pp_buf_free(&b);
		*why = pp_xasprintf("cannot read %s", path);
		return NULL;
	}
	img->len = b.len;
	img->bytes = (unsigned char *)pp_buf_detach(&b);
	Elf *probe = elf_memory((char *)img->bytes, img->len);
	GElf_Ehdr eh;
	int rel = probe && gelf_getehdr(probe, &eh) && eh.e_type == ET_REL;
	elf_end(probe);
	char *bad = rel ? pp_rel_apply(img->bytes, img->len) : NULL;
	if (bad) {
		*why = pp_xasprintf("the debug information in %s cannot be relocated: %s", path, bad);
		free(bad);
		pp_reloc_close(img);
		return NULL;
	}
	img->elf = elf_memory((char *)img->bytes, img->len);
	img->dw = img->elf ? dwarf_begin_elf(img->elf, DWARF_C_READ, NULL) : NULL;
	if (!img->dw) {
		*why = pp_xasprintf("no DWARF debug information in %s (%s)", path, dwarf_errmsg(-1));
		pp_reloc_close(img);
		return NULL;
	}
	return img->dw;
}

void pp_reloc_close(pp_elfimg *img)
{
	if (img->dw)
		dwarf_end(img->dw);
	if (img->elf)
		elf_end(img->elf);
	free(img->bytes);
	memset(img, 0, sizeof *img);
}

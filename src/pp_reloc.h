/* pp_reloc.h: an ELF file's DWARF opened for libdw with its debug relocations applied in memory
 * (pp_reloc.c), so no elfutils machine backend is needed. */
#ifndef PP_RELOC_H
#define PP_RELOC_H

#include <elfutils/libdw.h>
#include <libelf.h>
#include <stddef.h>

typedef struct pp_elfimg {
	unsigned char *bytes; /* the file, relocated */
	size_t len;
	Elf *elf;
	Dwarf *dw;
} pp_elfimg;

/* The DWARF of path (img owns it until pp_reloc_close); NULL with a reason in *why. */
Dwarf *pp_reloc_dwarf(const char *path, pp_elfimg *img, char **why);
void pp_reloc_close(pp_elfimg *img);

#endif

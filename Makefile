# platprobe: libplatprobe (shared + static, through libtool) and the platprobe program.
#   make                 build into build/
#   make check           unit and end-to-end tests, then the same suite under ASan+UBSan
#   make check-valgrind  the same suite with every platprobe run under valgrind memcheck
#   make install         PREFIX=/usr/local DESTDIR= (program, library, header, platprobe.pc, the
#                        build-system glue: platprobe.mk, the CMake package, a Meson example;
#                        the spec catalogue probe/*.json)
#   make bench           platprobe against autoconf, CMake, Meson and one cc -c (README: Speed)
#   make fuzz            each libFuzzer target for FUZZ_TIME seconds (default 60), FUZZ_JOBS at
#                        once (default 2), built with clang into build-fuzz/ (README: Fuzzing)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DATADIR ?= $(PREFIX)/share
CMAKEDIR ?= $(LIBDIR)/cmake/platprobe
DESTDIR ?=
VERSION := $(shell sed -n 's/^\#define PP_VERSION "\(.*\)"/\1/p' src/platprobe.h)

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
LIBTOOL ?= libtool
PKG_CONFIG ?= pkg-config
CJSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcjson)
CJSON_LIBS := $(shell $(PKG_CONFIG) --libs libcjson)
LIBELF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libelf)
LIBELF_LIBS := $(shell $(PKG_CONFIG) --libs libelf)
DW_CFLAGS := $(shell $(PKG_CONFIG) --cflags libdw)
DW_LIBS := $(shell $(PKG_CONFIG) --libs libdw)

# SANITIZE=1 builds everything into build-asan/ with AddressSanitizer and UBSan.
ifeq ($(SANITIZE),1)
B ?= build-asan
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
B ?= build
SAN :=
endif

PP_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra $(WERROR) -Isrc $(CJSON_CFLAGS) $(LIBELF_CFLAGS) $(DW_CFLAGS) $(SAN) $(CFLAGS)
PP_LDFLAGS = -pthread $(SAN) $(LDFLAGS)
LT = $(LIBTOOL) --quiet --tag=CC

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_LOS := $(patsubst src/%.c,$(B)/%.lo,$(LIB_SRCS)) $(B)/pp_templates.lo
HEADERS := $(wildcard src/*.h)
UNIT_SRCS := $(wildcard tests/unit/unit_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))

all: $(B)/platprobe $(B)/platprobe.pc $(B)/platprobeConfig.cmake $(B)/platprobeConfigVersion.cmake

$(B) $(B)/tests:
	mkdir -p $@

$(B)/pp_templates.c: $(wildcard templates/*) src/embed.sh | $(B)
	sh src/embed.sh templates > $@.tmp && mv $@.tmp $@

$(B)/pp_templates.lo: $(B)/pp_templates.c
	@echo "  CC      $@"
	@$(LT) --mode=compile $(CC) $(PP_CFLAGS) -c $< -o $@

$(B)/%.lo: src/%.c $(HEADERS) | $(B)
	@echo "  CC      $@"
	@$(LT) --mode=compile $(CC) $(PP_CFLAGS) -c $< -o $@

$(B)/libplatprobe.la: $(LIB_LOS) $(B)/paths.stamp
	@echo "  LINK    $@"
	@$(LT) --mode=link $(CC) $(PP_LDFLAGS) -o $@ $(LIB_LOS) $(CJSON_LIBS) $(LIBELF_LIBS) $(DW_LIBS) -rpath $(LIBDIR) \
		-version-info 0:0:0

# The program links the library's static archive (-static: libtool's, for uninstalled libtool
# libraries only; libc, cJSON and elfutils stay shared): build/platprobe is then the real binary,
# not libtool's wrapper script, whose sh, sed and ls cost about 40 ms on every run.
$(B)/platprobe: $(B)/main.lo $(B)/libplatprobe.la $(B)/paths.stamp
	@echo "  LINK    $@"
	@$(LT) --mode=link $(CC) $(PP_LDFLAGS) -static -o $@ $(B)/main.lo $(B)/libplatprobe.la

# The install paths go into the .pc file and the library's rpath: rebuild both when they change.
PATHS := $(PREFIX) $(BINDIR) $(LIBDIR) $(INCLUDEDIR) $(DATADIR) $(CMAKEDIR)
$(B)/paths.stamp: FORCE | $(B)
	@echo '$(PATHS)' | cmp -s - $@ || echo '$(PATHS)' > $@

$(B)/platprobe.pc: platprobe.pc.in src/platprobe.h $(B)/paths.stamp | $(B)
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@BINDIR@|$(BINDIR)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@DATADIR@|$(DATADIR)|; s|@VERSION@|$(VERSION)|' $< > $@

# The CMake package finds the program relative to itself, so an installed tree can move.
$(B)/%.cmake: glue/%.cmake.in src/platprobe.h $(B)/paths.stamp | $(B)
	@echo "  GEN     $@"
	@sed -e 's|@RELBINDIR@|$(shell realpath -m --relative-to=$(CMAKEDIR) $(BINDIR))|; s|@VERSION@|$(VERSION)|' $< > $@

# Unit tests link the static library: they reach private functions through src/pp_internal.h.
$(B)/tests/%: tests/unit/%.c tests/unit/unit.h $(B)/libplatprobe.la | $(B)/tests
	@echo "  TEST    $@"
	@$(LT) --mode=link $(CC) $(PP_CFLAGS) -Itests/unit $(PP_LDFLAGS) -static -o $@ $< \
		$(B)/libplatprobe.la $(CJSON_LIBS) $(LIBELF_LIBS) $(DW_LIBS)

# The fuzz targets (tests/fuzz/fuzz_*.c) replayed over their seed corpus and regression inputs,
# with gcc like the unit tests (and under ASan+UBSan in the second round): a program each, named
# unit_fuzz_TARGET so tests/run.sh runs it with the unit tests.
FUZZ_TARGETS := spec scan result dep
FUZZ_REPLAYS := $(patsubst %,$(B)/tests/unit_fuzz_%,$(FUZZ_TARGETS))
FUZZ_HDRS := tests/fuzz/fuzz.h $(HEADERS)

# scan.json, the spec fuzz_scan decodes objects for, as a C string literal.
define pp_embed_spec
	@sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp && mv $@.tmp $@
endef
$(B)/fuzz:
	mkdir -p $@
$(B)/fuzz/scan_spec.inc: tests/fuzz/seeds/scan.json | $(B)/fuzz
	$(pp_embed_spec)

$(B)/tests/unit_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_HDRS) $(B)/fuzz/scan_spec.inc \
		$(B)/libplatprobe.la | $(B)/tests
	@echo "  TEST    $@"
	@$(LT) --mode=link $(CC) $(PP_CFLAGS) -Itests/fuzz -I$(B)/fuzz -DFUZZ_TARGET='"$*"' $(PP_LDFLAGS) \
		-static -o $@ $< tests/fuzz/replay.c $(B)/libplatprobe.la $(CJSON_LIBS) $(LIBELF_LIBS) $(DW_LIBS)

check: all $(UNIT_BINS) $(FUZZ_REPLAYS)
	@PP_SANITIZE=$(SANITIZE) PLATPROBE=$(CURDIR)/$(B)/platprobe BUILD=$(CURDIR)/$(B) bash tests/run.sh
ifneq ($(SANITIZE),1)
	@echo "== the same suite under AddressSanitizer + UBSan"
	@$(MAKE) --no-print-directory SANITIZE=1 check
endif

# The whole suite once more with every platprobe run and unit program under valgrind memcheck
# (CI runs it after make check; about 12 minutes here).
check-valgrind: all $(UNIT_BINS) $(FUZZ_REPLAYS)
	@PP_VALGRIND=1 BUILD=$(CURDIR)/$(B) bash tests/run.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(DATADIR)/platprobe/probe $(DESTDIR)$(DATADIR)/platprobe/meson
	$(LT) --mode=install install -m 644 $(B)/libplatprobe.la $(DESTDIR)$(LIBDIR)/
	$(LT) --mode=install install -m 755 $(B)/platprobe $(DESTDIR)$(BINDIR)/
	install -m 644 src/platprobe.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(B)/platprobe.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 644 $(B)/platprobeConfig.cmake $(B)/platprobeConfigVersion.cmake $(DESTDIR)$(CMAKEDIR)/
	install -m 644 glue/platprobe.mk $(DESTDIR)$(DATADIR)/platprobe/
	install -m 644 glue/meson/meson.build $(DESTDIR)$(DATADIR)/platprobe/meson/
	install -m 644 probe/*.json $(DESTDIR)$(DATADIR)/platprobe/probe/
	rm -f $(DESTDIR)$(LIBDIR)/libplatprobe.la

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/platprobe $(DESTDIR)$(INCLUDEDIR)/platprobe.h \
		$(DESTDIR)$(PKGCONFIGDIR)/platprobe.pc $(DESTDIR)$(LIBDIR)/libplatprobe.*
	rm -rf $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(DATADIR)/platprobe

bench: all
	bash tests/bench.sh

# libFuzzer: the library built again with clang, instrumented for coverage (fuzzer-no-link) and
# with ASan+UBSan (any UB aborts); each target links it with libFuzzer's own main.
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_JOBS ?= 2
FZ := build-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra $(WERROR) -Isrc $(CJSON_CFLAGS) \
	$(LIBELF_CFLAGS) $(DW_CFLAGS) -O1 -g $(FUZZ_SAN)
FUZZ_OBJS := $(patsubst src/%.c,$(FZ)/obj/%.o,$(LIB_SRCS)) $(FZ)/obj/pp_templates.o
FUZZ_BINS := $(patsubst %,$(FZ)/fuzz_%,$(FUZZ_TARGETS))

$(FZ)/obj:
	mkdir -p $@
$(FZ)/pp_templates.c: $(wildcard templates/*) src/embed.sh | $(FZ)/obj
	sh src/embed.sh templates > $@.tmp && mv $@.tmp $@
$(FZ)/obj/pp_templates.o: $(FZ)/pp_templates.c
	@echo "  CC      $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(FZ)/obj/%.o: src/%.c $(HEADERS) | $(FZ)/obj
	@echo "  CC      $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(FZ)/scan_spec.inc: tests/fuzz/seeds/scan.json | $(FZ)/obj
	$(pp_embed_spec)
$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_HDRS) $(FUZZ_OBJS) $(FZ)/scan_spec.inc
	@echo "  LINK    $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/fuzz -I$(FZ) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) \
		$(CJSON_LIBS) $(LIBELF_LIBS) $(DW_LIBS)

# Made through the pattern rule for the targets, but kept: each target links them all.
.SECONDARY: $(FUZZ_OBJS) $(FZ)/pp_templates.c $(FZ)/scan_spec.inc

fuzz: $(FUZZ_BINS)
	@FZ=$(FZ) FUZZ_TIME=$(FUZZ_TIME) FUZZ_JOBS=$(FUZZ_JOBS) bash tests/fuzz/run.sh $(FUZZ_TARGETS)

clean:
	rm -rf build build-asan $(FZ)

FORCE:
.PHONY: all check check-valgrind install uninstall bench fuzz clean FORCE

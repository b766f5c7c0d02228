# platprobe: libplatprobe (shared + static, through libtool) and the platprobe program.
#   make                 build into build/
#   make check           unit and end-to-end tests, then the same suite under ASan+UBSan
#   make check-valgrind  the same suite with every platprobe run under valgrind memcheck
#   make check-targets   whole layouts on every installed cross target, run mode under qemu-user
#   make check-bindings  -f go built and run (qemu-user) for each GOARCH of GO_TARGETS
#   make install         PREFIX=/usr/local DESTDIR= (program, library, header, platprobe.pc, the
#                        build-system glue: platprobe.mk, the CMake package, a Meson example;
#                        the spec catalogue probe/*.json; the Python package, into PYTHONDIR;
#                        the man pages, bash and zsh completion)
#                        PYTHON=python3 picks the interpreter whose site directory it goes to
#   make dist            platprobe-VERSION.tar.gz; make distcheck builds, tests, installs it afresh
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
MANDIR ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
DESTDIR ?=
# The Python package goes where PYTHON looks under PREFIX (Debian's python3 reads
# PREFIX/lib/python3.X/dist-packages), else into PREFIX/lib/python3.X/site-packages.
PYTHON ?= python3
PYTHONDIR ?= $(shell $(PYTHON) -c 'import os, sys; p = os.path.abspath(sys.argv[1]); \
	v = os.path.join(p, "lib", "python%d.%d" % sys.version_info[:2]); \
	c = [d for d in sys.path if os.path.dirname(d) == v and d.endswith("-packages")]; \
	print(c[0] if c else os.path.join(v, "site-packages"))' '$(PREFIX)' 2>/dev/null)
PY_PKG := $(wildcard python/platprobe/*.py)
PY_CC := $(wildcard python/platprobe/ctypes_configure/*.py)
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
# elfutils' libdw reads whole layouts and enum values from debug information; without it
# (WITH_LIBDW=0, the default where pkg-config finds no libdw) pp_nodwarf.c stands in for
# pp_dwarf.c (and pp_reloc.c, which hands libdw a relocated image) and those entries fail with
# that reason (README: Dependencies and why).
WITH_LIBDW ?= $(shell $(PKG_CONFIG) --exists libdw && echo 1 || echo 0)
ifeq ($(WITH_LIBDW),1)
DW_CFLAGS := $(shell $(PKG_CONFIG) --cflags libdw)
DW_LIBS := $(shell $(PKG_CONFIG) --libs libdw)
DW_SKIP := src/pp_nodwarf.c
else
DW_CFLAGS := -DPP_NO_LIBDW
DW_LIBS :=
DW_SKIP := src/pp_dwarf.c src/pp_reloc.c src/pp_dwvalues.c src/pp_dwbase.c
endif

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

LIB_SRCS := $(filter-out src/main.c $(DW_SKIP),$(wildcard src/*.c))
LIB_LOS := $(patsubst src/%.c,$(B)/%.lo,$(LIB_SRCS)) $(B)/pp_templates.lo
HEADERS := $(wildcard src/*.h)
UNIT_SRCS := $(wildcard tests/unit/unit_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))

all: $(B)/platprobe $(B)/platprobe.pc $(B)/platprobeConfig.cmake $(B)/platprobeConfigVersion.cmake

$(B) $(B)/tests:
	mkdir -p $@

$(B)/pp_templates.c: $(wildcard templates/*.*) src/embed.sh | $(B)
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

# main.c says in --version whether it was built without libdw.
$(B)/main.lo: $(B)/paths.stamp

# The program links the library's static archive (-static: libtool's, for uninstalled libtool
# libraries only; libc, cJSON and elfutils stay shared): build/platprobe is then the real binary,
# not libtool's wrapper script, whose sh, sed and ls cost about 40 ms on every run.
$(B)/platprobe: $(B)/main.lo $(B)/libplatprobe.la $(B)/paths.stamp
	@echo "  LINK    $@"
	@$(LT) --mode=link $(CC) $(PP_LDFLAGS) -static -o $@ $(B)/main.lo $(B)/libplatprobe.la

# The install paths go into the .pc file and the library's rpath: rebuild both when they change
# (and the library when WITH_LIBDW changes which sources it holds).
PATHS := $(PREFIX) $(BINDIR) $(LIBDIR) $(INCLUDEDIR) $(DATADIR) $(CMAKEDIR) libdw=$(WITH_LIBDW)
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
FUZZ_TARGETS := spec scan result dep cache
FUZZ_REPLAYS := $(patsubst %,$(B)/tests/unit_fuzz_%,$(FUZZ_TARGETS))
FUZZ_HDRS := tests/fuzz/fuzz.h tests/fuzz/scan_spec.h $(HEADERS)

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

# -f go for every GOARCH of tests/bindings/xsys.json: Go builds and qemu-user runs, too slow for
# the thrice-run suite (make check runs the native one); CI runs it once (.ci/run).
GO_TARGETS ?= aarch64-linux-gnu arm-linux-gnueabihf s390x-linux-gnu mips-linux-gnu
check-bindings: all
	@PP_GO_TARGETS="$(GO_TARGETS)" PLATPROBE=$(CURDIR)/$(B)/platprobe BUILD=$(CURDIR)/$(B) TOP=$(CURDIR) \
		python3 tests/e2e/test_go.py

# The whole suite once more with every platprobe run and unit program under valgrind memcheck
# (CI runs it after make check; about 12 minutes here).
check-valgrind: all $(UNIT_BINS) $(FUZZ_REPLAYS)
	@PP_VALGRIND=1 BUILD=$(CURDIR)/$(B) bash tests/run.sh

# Every ELF target whose cross compiler is installed (tests/targets/check_targets.py): whole
# layouts against each compiler's _Static_assert, run mode under qemu-user; once, from .ci/run.
check-targets: all
	@XDG_CACHE_HOME=$$(mktemp -d) PLATPROBE=$(CURDIR)/$(B)/platprobe BUILD=$(CURDIR)/$(B) TOP=$(CURDIR) \
		python3 tests/targets/check_targets.py
# The build without libdw (WITH_LIBDW=0) into build-nodw/, and the tests that hold there: whole
# layouts and enums fail with the reason (test_nolibdw.py), the rest is unchanged. .ci/run runs it.
NODW_TESTS := test_nolibdw test_types test_constants test_output test_isolation test_show
check-nolibdw:
	@$(MAKE) --no-print-directory WITH_LIBDW=0 B=build-nodw all
	@fail=0; cache=$$(mktemp -d); for t in $(NODW_TESTS); do echo "== $$t (without libdw)"; \
		XDG_CACHE_HOME=$$cache PLATPROBE=$(CURDIR)/build-nodw/platprobe BUILD=$(CURDIR)/build-nodw \
		python3 tests/e2e/$$t.py > $$cache/log 2>&1 || fail=1; cat $$cache/log; \
		grep -q '^FAIL' $$cache/log && fail=1; done; \
		rm -rf $$cache; exit $$fail

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
	mkdir -p $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 man/platprobe.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/platprobe-spec.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 completion/platprobe.bash $(DESTDIR)$(BASHCOMPDIR)/platprobe
	install -m 644 completion/_platprobe $(DESTDIR)$(ZSHCOMPDIR)/
	rm -f $(DESTDIR)$(LIBDIR)/libplatprobe.la
	@if [ -z "$(PYTHONDIR)" ]; then echo "no $(PYTHON): the Python package is not installed (PYTHON=, PYTHONDIR=)"; else \
	  set -x; mkdir -p $(DESTDIR)$(PYTHONDIR)/platprobe/ctypes_configure && \
	  install -m 644 $(PY_PKG) $(DESTDIR)$(PYTHONDIR)/platprobe/ && \
	  install -m 644 $(PY_CC) $(DESTDIR)$(PYTHONDIR)/platprobe/ctypes_configure/ && \
	  $(PYTHON) -m compileall -q -d $(PYTHONDIR)/platprobe $(DESTDIR)$(PYTHONDIR)/platprobe; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/platprobe $(DESTDIR)$(INCLUDEDIR)/platprobe.h \
		$(DESTDIR)$(PKGCONFIGDIR)/platprobe.pc $(DESTDIR)$(LIBDIR)/libplatprobe.*
	rm -f $(DESTDIR)$(MANDIR)/man1/platprobe.1 $(DESTDIR)$(MANDIR)/man5/platprobe-spec.5 \
		$(DESTDIR)$(BASHCOMPDIR)/platprobe $(DESTDIR)$(ZSHCOMPDIR)/_platprobe
	rm -rf $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(DATADIR)/platprobe
	if [ -n "$(PYTHONDIR)" ]; then rm -rf $(DESTDIR)$(PYTHONDIR)/platprobe; fi

# ---- releases ----
# make dist: platprobe-VERSION.tar.gz, the top files and every file under DIST_DIRS (what a build,
# make check, the fuzz and bench targets and .ci need). In a git checkout it first checks that
# this is exactly what git tracks (less .gitignore), so nothing is forgotten and no scratch file
# ships.
DISTNAME := platprobe-$(VERSION)
DIST_DIRS := src templates glue probe man completion tests .ci python docs
DIST_FILES = Makefile README.md NEWS.md platprobe.pc.in \
	$(shell find $(DIST_DIRS) -type f ! -name '*.pyc' ! -path '*/__pycache__/*' | LC_ALL=C sort)

dist-listcheck:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		t=$$(mktemp -d); printf '%s\n' $(DIST_FILES) | LC_ALL=C sort > $$t/dist; \
		git ls-files | grep -vx '.gitignore' | LC_ALL=C sort > $$t/git; \
		a=$$(comm -13 $$t/dist $$t/git); b=$$(comm -23 $$t/dist $$t/git); rm -rf $$t; \
		[ -z "$$a" ] || echo "make dist: tracked by git but not in the tarball (add its directory to DIST_DIRS): $$a"; \
		[ -z "$$b" ] || echo "make dist: in the tarball but not tracked by git (git add it, or remove it): $$b"; \
		[ -z "$$a$$b" ] || exit 1; \
	fi

dist: dist-listcheck
	@grep -q '^## $(VERSION)\b' NEWS.md || { echo "make dist: NEWS.md has no '## $(VERSION)' section"; exit 1; }
	@tar --transform 's,^,$(DISTNAME)/,' --sort=name --owner=0 --group=0 --numeric-owner \
		-czf $(DISTNAME).tar.gz.tmp $(DIST_FILES) && mv $(DISTNAME).tar.gz.tmp $(DISTNAME).tar.gz
	@echo "wrote $(DISTNAME).tar.gz"

# make distcheck: the tarball unpacked in a fresh directory builds and passes DISTCHECK_CHECK
# (default: check, the whole suite), installs with DESTDIR, the installed program runs and says
# the tarball's version, make clean leaves the tree as unpacked, and make uninstall leaves no file.
DISTCHECK_CHECK ?= check
distcheck: dist
	@set -e; d=$$(mktemp -d "$${TMPDIR:-/tmp}/platprobe-distcheck-XXXXXX"); trap 'rm -rf "$$d"' EXIT; \
	tar -xzf $(DISTNAME).tar.gz -C "$$d"; src="$$d/$(DISTNAME)"; inst="$$d/inst"; \
	(cd "$$src" && find . -type f | LC_ALL=C sort) > "$$d/unpacked.list"; \
	echo "== distcheck: build and $(DISTCHECK_CHECK) in $$src"; \
	$(MAKE) -C "$$src" -j2 all; \
	$(MAKE) -C "$$src" $(DISTCHECK_CHECK); \
	echo "== distcheck: install with DESTDIR"; \
	$(MAKE) -C "$$src" install DESTDIR="$$inst" PREFIX=/usr/local; \
	v=$$(LD_LIBRARY_PATH="$$inst/usr/local/lib" "$$inst/usr/local/bin/platprobe" --version | head -1); \
	[ "$$v" = "platprobe $(VERSION)" ] || { echo "distcheck: installed --version says '$$v', the tarball $(VERSION)"; exit 1; }; \
	(cd / && LD_LIBRARY_PATH="$$inst/usr/local/lib" TMPDIR="$$d" "$$inst/usr/local/bin/platprobe" probe \
		"$$inst/usr/local/share/platprobe/probe/posix.json" --no-cache -o "$$d/posix.result.json"); \
	grep -q '"platprobe": 1' "$$d/posix.result.json"; \
	echo "== distcheck: uninstall"; \
	$(MAKE) -C "$$src" uninstall DESTDIR="$$inst" PREFIX=/usr/local; \
	left=$$(find "$$inst" -type f -o -type l); \
	[ -z "$$left" ] || { echo "distcheck: make uninstall left: $$left"; exit 1; }; \
	$(MAKE) -C "$$src" clean; \
	(cd "$$src" && find . -type f ! -name '*.pyc' ! -path '*/__pycache__/*' | LC_ALL=C sort) > "$$d/clean.list"; \
	cmp -s "$$d/unpacked.list" "$$d/clean.list" || { echo "distcheck: after make clean the tree differs:"; \
		diff "$$d/unpacked.list" "$$d/clean.list"; exit 1; }; \
	echo "distcheck: $(DISTNAME).tar.gz is ready"

bench: all
	PYTHON='$(PYTHON)' bash tests/bench.sh

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
	rm -rf build build-asan build-nodw $(FZ)

FORCE:
.PHONY: all check check-valgrind check-targets check-bindings check-nolibdw dist dist-listcheck distcheck install uninstall bench fuzz clean FORCE

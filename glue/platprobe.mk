# platprobe.mk: GNU make rules that generate a C header from a platprobe spec (config.json ->
# config.h) with a depfile, so make reruns platprobe only when the spec or a header the compiler
# read changes. Set PLATPROBE_HEADERS to the headers you generate, then include this file:
#
#     PLATPROBE_HEADERS = config.h
#     include $(shell pkg-config --variable=platprobe_mk platprobe)
#
# The probe uses the project's compiler and flags: $(CC), $(CPPFLAGS), $(CFLAGS). PLATPROBE names
# the program (default: platprobe on PATH); PLATPROBE_FLAGS adds options (--prefix P, --target T,
# --pkg NAME, --from saved.json, ...).

PLATPROBE ?= platprobe
PLATPROBE_FLAGS ?=

# One shell word whatever the value holds: single quotes, each ' written '\''.
platprobe_quote = '$(subst ','\'',$(1))'

%.h: %.json
	CPPFLAGS=$(call platprobe_quote,$(CPPFLAGS)) CFLAGS=$(call platprobe_quote,$(CFLAGS)) \
	$(PLATPROBE) probe $< -f header -o $@ --depfile $@.d --cc $(call platprobe_quote,$(CC)) $(PLATPROBE_FLAGS)

# The depfiles name targets; they must not become the makefile's default goal.
platprobe_default_goal := $(.DEFAULT_GOAL)
-include $(PLATPROBE_HEADERS:=.d)
.DEFAULT_GOAL := $(platprobe_default_goal)

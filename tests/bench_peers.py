"""The bench's peers: one workload (a platprobe spec) turned into an autoconf configure.ac, a
CMakeLists.txt and a meson.build that ask the same questions, and the answers read back.

Used by tests/bench.py. Every tool writes its answers as `#define NAME VALUE` lines (config.h)
under the same names, so the bench can check that all of them (and platprobe) agree:
    SIZEOF_<T>, ALIGNOF_<T>        each type of the spec's "types"
    OFFSETOF_<S>_<F>               each field of the spec's "structs"
    VALUE_<C>                      each of the spec's "constants" (non-negative integers)
    HAVE_<F>                       each of the spec's "functions" (defined when it links)
What each tool uses, and why:
  autoconf  AC_CHECK_SIZEOF, AC_CHECK_ALIGNOF, AC_COMPUTE_INT (offsetof, constants),
            AC_CHECK_FUNCS: its documented idioms. Natively AC_COMPUTE_INT compiles, links and
            runs one program per answer; cross-compiling it bisects with compile-only tests.
  CMake     check_type_size for sizes; CMake has no alignof or compute_int, so alignment is
            check_type_size("char[_Alignof(T)]") (the expression trick: one try_compile, the
            number is read from the binary) and offsets and constants are try_run of a program
            printing the value (the trick cannot: CheckTypeSize reads only five decimal digits,
            too few for O_CLOEXEC, and reads 0 as "no such type"); check_function_exists for
            functions. Ninja generator (the faster one), native only.
  Meson     cc.sizeof, cc.alignment, cc.compute_int, cc.has_function; natively each runs a
            program (has_function links); with a cross file each bisects with compiles.
"""
import os
import re

WORKLOAD_KEYS = ("headers", "defines", "types", "structs", "constants", "functions")


class Question:
    """One answer every tool gives: KIND is size, align, offset, const or func."""

    def __init__(self, kind, macro, subject, member=None):
        self.kind, self.macro, self.subject, self.member = kind, macro, subject, member


def cpp_name(text):
    """autoconf's AS_TR_CPP: '*' becomes P, anything else not alphanumeric becomes _."""
    return re.sub(r"[^A-Za-z0-9]", "_", text.replace("*", "P")).upper()


def entry_name(e):
    return e["name"] if isinstance(e, dict) else e


def questions(spec):
    qs = []
    for t in map(entry_name, spec.get("types") or []):
        qs.append(Question("size", "SIZEOF_" + cpp_name(t), t))
        qs.append(Question("align", "ALIGNOF_" + cpp_name(t), t))
    for s in spec.get("structs") or []:
        for f in map(entry_name, s.get("fields") or []):
            qs.append(Question("offset", "OFFSETOF_" + cpp_name(s["name"] + "_" + f), s["name"], f))
    for c in map(entry_name, spec.get("constants") or []):
        qs.append(Question("const", "VALUE_" + c, c))
    for f in map(entry_name, spec.get("functions") or []):
        qs.append(Question("func", "HAVE_" + cpp_name(f), f))
    return qs


def expression(q):
    """The C integer expression that answers Q (for size, offset and const)."""
    if q.kind == "size":
        return f"sizeof ({q.subject})"
    if q.kind == "align":
        return f"_Alignof ({q.subject})"
    if q.kind == "offset":
        return f"offsetof ({q.subject}, {q.member})"
    return q.subject


def prologue(spec):
    """What every test program of a peer starts with: the spec's defines and headers, and
    stddef.h for offsetof."""
    lines = [f"#define {k} {v}" for k, v in (spec.get("defines") or {}).items()]
    lines += [f"#include <{h}>" for h in list(spec.get("headers") or []) + ["stddef.h"]]
    return "\n".join(lines) + "\n"


def expected(q, result):
    """Q's answer in a platprobe result (JSON), as the peers write it: an int, or True/None
    for functions (a peer leaves HAVE_ undefined when a function does not link)."""
    if q.kind in ("size", "align"):
        return result["types"][q.subject]["size" if q.kind == "size" else "align"]
    if q.kind == "offset":
        fields = result["structs"][q.subject]["fields"]
        return next(f["offset"] for f in fields if f["name"] == q.member)
    if q.kind == "const":
        return result["constants"][q.subject]
    return True if result["functions"][q.subject] else None


def read_config_h(path, qs):
    """The answers in a config.h, one per question: an int, True for a defined HAVE_ with a
    non-zero value, None when undefined."""
    defs = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*#\s*define\s+(\w+)\s+(.*?)\s*$", line)
            if m:
                defs[m.group(1)] = m.group(2)
    out = {}
    for q in qs:
        v = defs.get(q.macro)
        if q.kind == "func":
            out[q.macro] = True if v not in (None, "0") else None
        else:
            try:
                out[q.macro] = int(v, 0) if v is not None else None
            except ValueError:
                out[q.macro] = v
    return out


def m4_quote(text):
    """TEXT as one m4 argument: quoted twice, so autoconf pastes it verbatim. The workload's
    text holds no brackets (checked), which m4 would take for quotes."""
    if "[" in text or "]" in text:
        raise ValueError(f"cannot quote for m4: {text!r}")
    return "[[" + text + "]]"


def configure_ac(spec):
    qs = questions(spec)
    inc = m4_quote(prologue(spec))
    out = ["AC_INIT([ppbench], [1])", "AC_CONFIG_HEADERS([config.h])", "AC_PROG_CC"]
    for q in qs:
        if q.kind == "size":
            out.append(f"AC_CHECK_SIZEOF([{q.subject}], [], {inc})")
        elif q.kind == "align":
            out.append(f"AC_CHECK_ALIGNOF([{q.subject}], {inc})")
        elif q.kind in ("offset", "const"):
            expr = expression(q)
            out += [f"AC_MSG_CHECKING([{expr}])",
                    f"AC_COMPUTE_INT([pp_v], [{expr}], {inc},"
                    f" [AC_MSG_ERROR([cannot compute {expr}])])",
                    "AC_MSG_RESULT([$pp_v])",
                    f"AC_DEFINE_UNQUOTED([{q.macro}], [$pp_v], [{expr}])"]
    funcs = [q.subject for q in qs if q.kind == "func"]
    if funcs:
        out.append(f"AC_CHECK_FUNCS([{' '.join(funcs)}])")
    out.append("AC_OUTPUT")
    return "\n".join(out) + "\n"


def cmake_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def cmake_project(spec, srcdir):
    """Writes CMakeLists.txt (and one C file per try_run) into SRCDIR."""
    qs = questions(spec)
    defs = [f"-D{k}={v}" for k, v in (spec.get("defines") or {}).items()]
    headers = list(spec.get("headers") or []) + ["stddef.h"]
    out = ["cmake_minimum_required(VERSION 3.13)",
           "project(ppbench C)",
           "include(CheckTypeSize)",
           "include(CheckFunctionExists)",
           f"set(CMAKE_REQUIRED_DEFINITIONS {' '.join(defs)})",
           f"set(CMAKE_EXTRA_INCLUDE_FILES {' '.join(headers)})",
           'set(PP_OUT "")']
    for i, q in enumerate(qs):
        if q.kind == "size":
            out += [f"check_type_size({cmake_quote(q.subject)} {q.macro})"]
        elif q.kind == "align":
            out += [f"check_type_size({cmake_quote('char[' + expression(q) + ']')} {q.macro})"]
        elif q.kind in ("offset", "const"):
            src = os.path.join(srcdir, f"q{i}.c")
            with open(src, "w") as f:
                f.write(prologue(spec) + "#include <stdio.h>\nint main(void) {\n"
                        f'  printf("%lld", (long long) ({expression(q)}));\n'
                        "  return 0;\n}\n")
            out += [f"try_run(PP_RUN_{i} PP_COMPILE_{i} ${{CMAKE_BINARY_DIR}}/q{i}"
                    f" ${{CMAKE_SOURCE_DIR}}/q{i}.c RUN_OUTPUT_VARIABLE {q.macro})",
                    f"if(NOT PP_COMPILE_{i} OR NOT PP_RUN_{i} EQUAL 0)",
                    f'  message(FATAL_ERROR "cannot compute {expression(q)}")',
                    "endif()",
                    f'message(STATUS "{expression(q)}: ${{{q.macro}}}")']
        else:
            out += [f"check_function_exists({q.subject} {q.macro})"]
        if q.kind == "func":
            out += [f"if({q.macro})", f'  string(APPEND PP_OUT "#define {q.macro} 1\\n")',
                    "endif()"]
        else:
            out += [f'string(APPEND PP_OUT "#define {q.macro} ${{{q.macro}}}\\n")']
    out.append('file(WRITE ${CMAKE_BINARY_DIR}/config.h "${PP_OUT}")')
    with open(os.path.join(srcdir, "CMakeLists.txt"), "w") as f:
        f.write("\n".join(out) + "\n")


def meson_str(text):
    if "'''" in text:
        raise ValueError(f"cannot quote for meson: {text!r}")
    return "'''" + text + "'''"


def meson_build(spec):
    qs = questions(spec)
    defs = [f"'-D{k}={v}'" for k, v in (spec.get("defines") or {}).items()]
    out = ["project('ppbench', 'c')",
           "cc = meson.get_compiler('c')",
           f"pp_args = [{', '.join(defs)}]",
           f"pp_prefix = {meson_str(prologue(spec))}",
           "cdata = configuration_data()"]
    for q in qs:
        if q.kind == "size":
            call = f"cc.sizeof({meson_str(q.subject)}, prefix: pp_prefix, args: pp_args)"
        elif q.kind == "align":
            call = f"cc.alignment({meson_str(q.subject)}, prefix: pp_prefix, args: pp_args)"
        elif q.kind in ("offset", "const"):
            call = f"cc.compute_int({meson_str(expression(q))}, prefix: pp_prefix, args: pp_args)"
        else:
            out += [f"if cc.has_function({meson_str(q.subject)}, args: pp_args)",
                    f"  cdata.set('{q.macro}', 1)", "endif"]
            continue
        out.append(f"cdata.set('{q.macro}', {call})")
    out.append("configure_file(output: 'config.h', configuration: cdata)")
    return "\n".join(out) + "\n"


def meson_cross_file(path, cc):
    """A Meson cross file for the host x86_64-pc-linux-gnu whose compiler is CC (argv)."""
    with open(path, "w") as f:
        f.write("[binaries]\n"
                f"c = [{', '.join(meson_str(w) for w in cc)}]\n"
                "[host_machine]\n"
                "system = 'linux'\ncpu_family = 'x86_64'\ncpu = 'x86_64'\nendian = 'little'\n")

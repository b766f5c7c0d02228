"""The bench's scale spec: every integer macro and every struct and union that the compiler
finds in a set of libc and Linux headers, as one platprobe spec with every entry optional.

Used by tests/bench.py (make bench); also `python3 tests/bench_scale.py [CC]` prints the spec.

- Macros come from `cc -dM -E`: every object-like macro whose name is an identifier (not a
  keyword) and whose full expansion (one more `cc -E` run over all of them at once) reads as an
  integer expression: integer and character literals, operators, parentheses, casts, sizeof,
  and identifiers that are not called (enum constants, typedef names). Floating, string,
  type-name and function-call macros are left out; the few that pass the filter and still are
  not constants (a variable such as stdin) are what platprobe's isolation then drops.
- Structs and unions: every `struct TAG {` and `union TAG {` in the preprocessed headers, as
  types (size and alignment).
- Subsets of N entries take the first N of one fixed shuffle, so every size has the same mix;
  the headers are the same at every size.
"""
import json
import random
import re
import subprocess
import sys

SCALE_HEADERS = [
    "sys/types.h", "sys/stat.h", "sys/socket.h", "sys/ioctl.h", "sys/mman.h", "sys/wait.h",
    "sys/resource.h", "sys/time.h", "sys/epoll.h", "sys/inotify.h", "sys/prctl.h",
    "sys/ptrace.h", "sys/mount.h", "sys/syscall.h", "netinet/in.h", "netinet/tcp.h",
    "arpa/inet.h", "netdb.h", "fcntl.h", "unistd.h", "errno.h", "signal.h", "termios.h",
    "limits.h", "stdint.h", "stdio.h", "stdlib.h", "elf.h",
    "linux/input.h", "linux/netlink.h", "linux/rtnetlink.h", "linux/if_ether.h",
    "linux/if_packet.h", "linux/perf_event.h", "linux/bpf.h", "linux/videodev2.h",
    "linux/usbdevice_fs.h", "linux/kvm.h", "linux/ethtool.h", "linux/fb.h", "linux/audit.h",
    "linux/capability.h", "linux/seccomp.h", "linux/vt.h", "linux/kd.h", "linux/cdrom.h",
    "linux/hdreg.h", "sound/asound.h",
]
SCALE_DEFINES = {"_GNU_SOURCE": "1"}

C_KEYWORDS = set("""auto break case char const continue default do double else enum extern float
for goto if inline int long register restrict return short signed sizeof static struct switch
typedef union unsigned void volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic
_Imaginary _Noreturn _Static_assert _Thread_local""".split())
# Words that may stand before '(' in an integer constant expression, and words of type names.
NOT_CALLS = {"sizeof", "_Alignof", "__alignof__", "int", "unsigned", "signed", "long", "short",
             "char", "_Bool", "struct", "union", "const", "volatile", "__extension__"}
TOKEN = re.compile(r"""\s*(?:
      (?P<num>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
    | (?P<chr>[LuU]?'(?:\\.|[^'\\])+')
    | (?P<id>[A-Za-z_]\w*)
    | (?P<op><<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>?:()])
    )""", re.X)
INTEGER = re.compile(r"(?:0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)"
                     r"(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?")
IDENT = re.compile(r"[A-Za-z_]\w*")


def prologue(headers, defines):
    return ("".join(f"#define {k} {v}\n" for k, v in defines.items())
            + "".join(f"#include <{h}>\n" for h in headers))


def run_cpp(cc, flags, text):
    p = subprocess.run(cc + flags + ["-E", "-P", "-x", "c", "-"], input=text, capture_output=True,
                       text=True)
    if p.returncode != 0:
        raise RuntimeError(f"`{' '.join(cc + flags)} -E` failed:\n{p.stderr[-2000:]}")
    return p.stdout


def is_integer_expression(text):
    """True when TEXT (a macro's full expansion) reads as an integer constant expression."""
    pos, tokens = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            return False
        pos = m.end()
        kind = m.lastgroup
        if kind == "num" and not INTEGER.fullmatch(m.group(kind)):
            return False
        tokens.append((kind, m.group(kind)))
    if not tokens:
        return False
    literal = any(k in ("num", "chr") for k, _ in tokens)
    for i, (k, v) in enumerate(tokens):
        if k == "id" and v not in NOT_CALLS and i + 1 < len(tokens) and tokens[i + 1][1] == "(":
            return False
    if literal:
        return True
    # No literal: only an enum constant (one identifier that is no keyword) counts.
    return len(tokens) == 1 and tokens[0][0] == "id" and tokens[0][1] not in C_KEYWORDS


def integer_macros(cc, flags, text):
    names = []
    for line in run_cpp(cc, flags + ["-dM"], text).splitlines():
        m = re.match(r"#define ([A-Za-z_]\w*)(\(?)", line)
        if m and not m.group(2) and m.group(1) not in C_KEYWORDS:
            names.append(m.group(1))
    names = sorted(set(names))
    # One more preprocessor run expands every macro fully, one marked line each (the name in
    # quotes, which the preprocessor leaves alone).
    probe = text + "".join(f'\n@pp@ "{n}" {n}\n' for n in names)
    out = []
    for line in run_cpp(cc, flags, probe).splitlines():
        m = re.match(r'@pp@ "(\w+)" (.*)$', line)
        if m and is_integer_expression(m.group(2)):
            out.append(m.group(1))
    return out


def struct_tags(cc, flags, text):
    tags = set()
    for m in re.finditer(r"\b(struct|union)\s+([A-Za-z_]\w*)\s*\{", run_cpp(cc, flags, text)):
        tags.add(f"{m.group(1)} {m.group(2)}")
    return sorted(tags)


def scale_entries(cc, flags=()):
    """([constant names], [struct/union type names]) found in SCALE_HEADERS."""
    text = prologue(SCALE_HEADERS, SCALE_DEFINES)
    return integer_macros(cc, list(flags), text), struct_tags(cc, list(flags), text)


def scale_spec(constants, types, n=None, seed=7):
    """A platprobe spec of the first N entries (all when None) of one fixed shuffle."""
    entries = [("constants", c) for c in constants] + [("types", t) for t in types]
    random.Random(seed).shuffle(entries)
    if n is not None:
        entries = entries[:n]
    spec = {"headers": SCALE_HEADERS, "defines": SCALE_DEFINES, "constants": [], "types": []}
    for key, name in entries:
        spec[key].append({"name": name, "optional": True})
    return spec


def main(argv):
    cc = argv[1].split() if len(argv) > 1 else ["cc"]
    constants, types = scale_entries(cc)
    print(f"{len(constants)} integer macros, {len(types)} structs and unions", file=sys.stderr)
    json.dump(scale_spec(constants, types), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

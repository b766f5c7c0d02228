"""Struct layouts of probe/posix.json against pahole (dwarves) reading the DWARF of the same
structs compiled with -g: an independent reader of what the compiler laid out."""
import json, os, re, subprocess, tempfile
import pptest
from pptest import check

spec = json.load(open(os.path.join(pptest.TOP, "probe", "posix.json")))
p, doc = pptest.probe(spec)
check("posix.json probes", p.returncode == 0 and doc, p.stderr[-1500:])
p_run, doc_run = pptest.probe(spec, ["--mode", "run"])
check("posix.json probes in run mode", p_run.returncode == 0 and doc_run, p_run.stderr[-1500:])

structs = [s if isinstance(s, dict) else {"name": s} for s in spec.get("structs", [])]
with tempfile.TemporaryDirectory(prefix="pppahole-") as d:
    src = os.path.join(d, "layouts.c")
    with open(src, "w") as f:
        for k, v in spec.get("defines", {}).items():
            f.write(f"#define {k} {v}\n")
        for h in spec.get("headers", []):
            f.write(f"#include <{h}>\n")
        for i, s in enumerate(structs):
            if doc and doc["structs"].get(s["name"]) is not None:
                f.write(f"{s['name']} pp_var_{i};\n")
    obj = os.path.join(d, "layouts.o")
    subprocess.run(["cc", "-g", "-c", src, "-o", obj], check=True)
    tags = [s["name"].split()[-1] for s in structs]
    out = subprocess.run(["pahole", "-C", ",".join(tags), obj], capture_output=True, text=True).stdout

# Split pahole's output into blocks: name -> (size, {member: (offset, size, bit)}) at depth one.
blocks = {}
member = re.compile(r"^\t[^\t].*?\b(\w+)(?:\[[\d\]\[]*\])?(?::(\d+))?;\s*/\*\s*(\d+)(?::\s*(\d+))?\s+(\d+)\s*\*/")
cur = None
for line in out.splitlines():
    m = re.match(r"^(?:typedef )?(?:struct|union) (\w+)? ?\{", line)
    if m and not line.startswith("\t"):
        cur = {"name": m.group(1), "members": {}, "size": None}
        continue
    if cur is None:
        continue
    m = member.match(line)
    if m:
        name, bits, off, bit, size = m.groups()
        cur["members"][name] = (int(off), int(size), int(bit) if bit is not None else None, bits)
    m = re.search(r"/\* size: (\d+)", line)
    if m:
        cur["size"] = int(m.group(1))
    m = re.match(r"^\}\s*(\w*);", line)
    if m:
        blocks[m.group(1) or cur["name"]] = cur
        cur = None

compared = 0
for s in structs:
    name = s["name"]
    got = doc["structs"].get(name) if doc else None
    if got is None:
        continue  # optional and absent on this platform
    tag = name.split()[-1]
    blk = blocks.get(tag)
    if not check(f"pahole knows {name}", blk is not None, f"pahole -C {tag} printed nothing"):
        continue
    if blk["size"] is not None:  # pahole prints no size line for unions
        check(f"{name}: size {blk['size']} (pahole)", got["size"] == blk["size"], f"platprobe {got['size']}")
    for fld in got.get("fields", []):
        fname = fld["name"]
        if not re.fullmatch(r"\w+", fname) or fname not in blk["members"]:
            continue  # nested paths and members of anonymous parts: pahole nests them
        off, size, bit, bits = blk["members"][fname]
        compared += 1
        if "bit_size" in fld:
            check(f"{name}.{fname}: bitfield {off}:{bit} width {bits} (pahole)",
                  fld["bit_offset"] == off * 8 + bit and fld["bit_size"] == int(bits),
                  f"platprobe bit_offset {fld['bit_offset']} bit_size {fld['bit_size']}")
        else:
            check(f"{name}.{fname}: offset {off} size {size} (pahole)",
                  fld["offset"] == off and fld["size"] == size,
                  f"platprobe offset {fld['offset']} size {fld['size']}")
check(f"compared at least 100 fields with pahole ({compared})", compared >= 100, str(compared))
check("object and run mode agree on every struct", doc and doc_run and doc["structs"] == doc_run["structs"], "")
pptest.done()

"""Shared helpers for the package's tests: expected values come from the C compiler through a
hand-written program (run here, or under qemu for a cross compiler), never from platprobe."""
import os
import subprocess
import tempfile
from typing import Dict, Optional, Sequence

import pytest


def c_values(header: str, exprs: Dict[str, str], cc: str = "cc",
             wrapper: Optional[Sequence[str]] = None) -> Dict[str, int]:
    """Compiles a program that includes header (C text) and prints each expression (cast to
    long long, or unsigned long long when it starts with 'u:'), runs it; {key: int}."""
    body = []
    for key, expr in exprs.items():
        if expr.startswith("u:"):
            body.append('printf("%%s %%llu\\n", "%s", (unsigned long long)(%s));' % (key, expr[2:]))
        else:
            body.append('printf("%%s %%lld\\n", "%s", (long long)(%s));' % (key, expr))
    src = ("%s\n#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n"
           "int main(void) {\n%s\nreturn 0;\n}\n" % (header, "\n".join(body)))
    with tempfile.TemporaryDirectory(prefix="pptest-c-") as d:
        path = os.path.join(d, "check.c")
        exe = os.path.join(d, "check")
        with open(path, "w") as f:
            f.write(src)
        subprocess.run([cc, path, "-o", exe], check=True)
        out = subprocess.run(list(wrapper or ()) + [exe], check=True, capture_output=True,
                             text=True).stdout
    return {k: int(v) for k, v in (line.split() for line in out.splitlines())}


@pytest.fixture
def cvals():
    """c_values as a fixture."""
    return c_values


@pytest.fixture
def tmp_header(tmp_path):
    """Writes a header into tmp_path; returns (directory, name)."""
    def make(text: str, name: str = "pptest.h"):
        (tmp_path / name).write_text(text)
        return str(tmp_path), name
    return make

"""pyproject.toml's build backend (stdlib only, so `pip install ./python` works offline): the
wheel holds every module of the package with a RECORD that verifies, and imports from a
directory it is unpacked into."""
import base64
import hashlib
import os
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)
import _pp_build  # noqa: E402


def test_wheel(tmp_path):
    name = _pp_build.build_wheel(str(tmp_path))
    assert name == "platprobe-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(tmp_path / name) as z:
        names = set(z.namelist())
        want = {os.path.relpath(os.path.join(r, n), HERE).replace(os.sep, "/")
                for r, _, ns in os.walk(os.path.join(HERE, "platprobe")) for n in ns
                if n.endswith(".py")}
        assert want <= names and "platprobe/ctypes_configure/configure.py" in want
        record = z.read("platprobe-0.1.0.dist-info/RECORD").decode().splitlines()
        for line in record:
            path, digest, size = line.rsplit(",", 2)
            if not digest:
                continue
            data = z.read(path)
            h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == ("sha256=" + h, len(data)), path
        z.extractall(tmp_path / "site")
    out = subprocess.run([sys.executable, "-c", "import platprobe.ctypes_configure.configure, "
                          "platprobe; print(platprobe.__file__)"],
                         env=dict(os.environ, PYTHONPATH=str(tmp_path / "site")),
                         capture_output=True, text=True, cwd=str(tmp_path))
    assert out.stdout.strip() == str(tmp_path / "site" / "platprobe" / "__init__.py"), out.stderr
    sdist = _pp_build.build_sdist(str(tmp_path))
    assert os.path.getsize(tmp_path / sdist) > 0


def test_import_is_cheap():
    """Importing the package (and ctypes_configure) loads no module that only a probe needs:
    subprocess, json (and re), tempfile, shutil come when a probe runs, so that a program that
    imports platprobe but answers from its cache file or not at all pays nothing for them."""
    heavy = ("subprocess", "json", "re", "tempfile", "shutil")
    code = ("import sys; import platprobe, platprobe.ctypes_configure.configure, "
            "platprobe.ctypes_configure.dumpcache; "
            "print(' '.join(m for m in %r if m in sys.modules))" % (heavy,))
    # -S: no site module, whose .pth files may import any of these first.
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=HERE))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [], out.stdout

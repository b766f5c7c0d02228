"""A PEP 517 build backend in the standard library alone, so that `pip install ./python` needs
no download: it zips the package into a wheel (and an sdist) with the metadata of
pyproject.toml."""
import base64
import hashlib
import io
import os
import tarfile
import zipfile
from typing import Any, Dict, List, Optional

NAME = "platprobe"
HERE = os.path.dirname(os.path.abspath(__file__))


def _version() -> str:
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("version = "):
                return line.split('"')[1]
    raise RuntimeError("pyproject.toml has no version")


def _files() -> List[str]:
    out = []
    for root, _, names in os.walk(os.path.join(HERE, NAME)):
        out += [os.path.relpath(os.path.join(root, n), HERE) for n in names if n.endswith(".py")]
    return sorted(out)


def _metadata() -> str:
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\nRequires-Python: >=3.9\n"
            "Summary: The facts of a C platform from its compiler; a ctypes_configure drop-in\n"
            % (NAME, _version()))


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    """Nothing to install before building."""
    return []


get_requires_for_build_sdist = get_requires_for_build_wheel


def build_wheel(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None,
                metadata_directory: Optional[str] = None) -> str:
    """Writes the pure-Python wheel; its file name."""
    dist = "%s-%s" % (NAME, _version())
    name = dist + "-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        def add(arc: str, data: bytes) -> None:
            z.writestr(arc, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            records.append("%s,sha256=%s,%d" % (arc, digest.decode(), len(data)))
        for path in _files():
            with open(os.path.join(HERE, path), "rb") as f:
                add(path.replace(os.sep, "/"), f.read())
        add(dist + ".dist-info/METADATA", _metadata().encode())
        add(dist + ".dist-info/WHEEL", b"Wheel-Version: 1.0\nGenerator: _pp_build\n"
            b"Root-Is-Purelib: true\nTag: py3-none-any\n")
        records.append(dist + ".dist-info/RECORD,,")
        z.writestr(dist + ".dist-info/RECORD", "\n".join(records) + "\n")
    return name


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    """Writes the source archive; its file name."""
    dist = "%s-%s" % (NAME, _version())
    name = dist + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for path in _files() + ["pyproject.toml", "_pp_build.py", "README.md"]:
            t.add(os.path.join(HERE, path), arcname=dist + "/" + path)
        info = tarfile.TarInfo(dist + "/PKG-INFO")
        data = _metadata().encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return name

"""README's Python example runs as written (its asserts compare with Python's errno and os)."""
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_readme_example(tmp_path):
    with open(os.path.join(TOP, "README.md"), encoding="utf-8") as f:
        blocks = re.findall(r"<!-- python-example -->\n```python\n(.*?)```", f.read(), re.S)
    assert len(blocks) == 1
    (tmp_path / "example.py").write_text(blocks[0])
    env = dict(os.environ, PYTHONPATH=os.path.join(TOP, "python"))
    p = subprocess.run([sys.executable, str(tmp_path / "example.py")], capture_output=True,
                       text=True, cwd=str(tmp_path), env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "True <class 'ctypes.c_int'> True\n"

"""A drop-in for PyPy's ctypes_configure: `from ctypes_configure import configure` becomes
`from platprobe.ctypes_configure import configure` (dumpcache likewise) and the rest of the code
runs unchanged, with platprobe answering (one compile for a whole CConfig class, the CLI's
cache, cross targets through configure(..., target=...))."""

/* names.h: member and type names the bindings must rename (tests/e2e/test_go.py, test_cdecl.py):
 * two that capitalise alike, keywords of Go, Python or Rust, a leading '_'. */
struct names_case {
	int a;
	int A;
	int type;
	int func;
	int _hidden;
	char range[3];
	long go;
};
union names_union {
	long long l;
	char c[12];
};
struct type { int struct_; int map; };

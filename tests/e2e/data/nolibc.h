/* nolibc.h: test structs that need no system header, so any clang target can compile them. */
struct pp_s {
	char c;
	double d;
	short s[3];
	long long ll;
	void *p;
	unsigned bits : 5;
	int sbits : 3;
};
union pp_u {
	char c[3];
	int i;
};

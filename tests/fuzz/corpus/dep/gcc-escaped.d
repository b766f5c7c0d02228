t.o: t.c /usr/include/stdc-predef.h inc\ dir\#1$$x/h.h
/usr/include/stdc-predef.h:
inc\ dir\#1$$x/h.h:

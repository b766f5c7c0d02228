/* The helper library of the bit-field tests: fills a struct bf and reads its members back, as
   the C compiler lays them out. */
#include "bitfields.h"

void bitfields_fill(struct bf *p)
{
    struct bf v = { 0 };
    v.tag = BF_TAG; v.a = BF_A; v.b = BF_B; v.c = BF_C; v.after = BF_AFTER; v.big = BF_BIG;
    v.rest = BF_REST; v.s = BF_S; v.neg = BF_NEG; v.x = BF_X; v.y = BF_Y; v.lone = BF_LONE;
    *p = v;
}

long long bitfields_get(const struct bf *p, int i)
{
    switch (i) {
    case 0: return p->tag;
    case 1: return p->a;
    case 2: return p->b;
    case 3: return p->c;
    case 4: return p->after;
    case 5: return (long long)p->big;
    case 6: return (long long)p->rest;
    case 7: return p->s;
    case 8: return p->neg;
    case 9: return p->x;
    case 10: return p->y;
    case 11: return p->lone;
    }
    return -1;
}

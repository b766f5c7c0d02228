/* Hand-written string and number macros for tests/e2e/test_constants.py and test_header.py.
   Expected values live in the tests as Python literals. */
#ifndef PPTEST_STRMACROS_H
#define PPTEST_STRMACROS_H

#define STR_PLAIN "hello, world"
#define STR_ESC "line1\nline2\tcol \"quoted\" back\\slash"
#define STR_NUL "a\0b"
#define STR_HIGH "\x80\xff"
#define STR_UTF8 "\xc3\xa9t\xc3\xa9"
#define STR_EMPTY ""
#define STR_CONCAT "ab" "cd"
#define STR_CTRL "\x01\x1f\x7f"
#define STR_MIXED "x\xc3\xa9\xff/"

#define NUM_NEG (-42)
#define NUM_HEX 0xdeadbeefUL
#define NUM_FLOAT 0.1
#define NUM_FLOATF 0.1f

#endif

/* Tests for jpos_strict (src/base/jsonpos.c): what cJSON accepts but
 * RFC 8259 does not, found at the right byte.  Every expected offset below
 * is counted by hand on the literal next to it (0-based byte offsets). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/jsonpos.h"

/* Expect a violation at `off` whose message holds `frag`. */
static void S_bad(const char *txt, size_t off, const char *frag)
{
    char msg[256] = "";
    size_t at = 12345;
    int r = jpos_strict(txt, strlen(txt), JPOS_MAX_DEPTH, &at, msg, sizeof msg);
    if (r != -1 || at != off || !strstr(msg, frag))
        fprintf(stderr, "text %s: r=%d at=%zu msg=%s (expected %zu, %s)\n", txt, r, at, msg,
                off, frag);
    assert_int_equal(r, -1);
    assert_int_equal(at, off);
    assert_non_null(strstr(msg, frag));
}

static void S_good(const char *txt)
{
    char msg[256] = "";
    size_t at = 0;
    int r = jpos_strict(txt, strlen(txt), JPOS_MAX_DEPTH, &at, msg, sizeof msg);
    if (r != 0)
        fprintf(stderr, "text %s: r=%d at=%zu msg=%s\n", txt, r, at, msg);
    assert_int_equal(r, 0);
}

static void test_numbers(void **state)
{
    (void)state;
    S_good("[0, -0, 2, 2.5, -2.5e-3, 1E+9, 0.0, 10]");
    S_bad("[02]", 1, "leading zero in the number '02'");
    S_bad("[1, -02.5]", 4, "leading zero");
    S_bad("[2.]", 1, "ends with '.'");
    S_bad("[2.e5]", 1, "ends with '.'");
    S_bad("[1e]", 1, "incomplete exponent");
    S_bad("[1e+]", 1, "incomplete exponent");
    S_bad("[-]", 1, "'-' must be followed by a digit");
    S_bad("[.5]", 1, "must start with a digit");
    S_bad("[+1]", 1, "must start with a digit");
    /* inside strings nothing is a number */
    S_good("{\"02\": \"2.\"}");
}

static void test_strings(void **state)
{
    (void)state;
    S_good("[\"a\\u00e9\\n\\\"\\\\\\/\\b\\f\\r\\t\", \"\\ud83d\\ude00\", \"\xc3\xa9\"]");
    /* "the\u0000evil": the escape starts at byte 5 */
    S_bad("[\"the\\u0000evil\"]", 5, "\\u0000 in a string");
    S_bad("[\"a\\ud800\"]", 3, "unpaired surrogate \\uD800");
    S_bad("[\"a\\ud800\\u0041\"]", 3, "unpaired surrogate");
    S_bad("[\"a\\udc00\"]", 3, "unpaired surrogate \\uDC00");
    S_bad("[\"a\\x\"]", 3, "invalid escape");
    S_bad("[\"a\\u12G4\"]", 3, "four hex digits");
    S_bad("[\"a\tb\"]", 3, "control character 0x09 inside a string");
    S_bad("[\"a\xff\"]", 3, "invalid UTF-8 byte 0xFF");
    S_bad("[\"a\xc0\xaf\"]", 3, "invalid UTF-8"); /* overlong '/' */
    S_bad("[\"a\xed\xa0\x80\"]", 3, "invalid UTF-8"); /* encoded surrogate */
}

static void test_bytes_between_tokens(void **state)
{
    (void)state;
    S_good(" \t\r\n[ 1 ,\n2 ] \n");
    S_bad("[1,\x01 2]", 3, "control byte 0x01 between tokens");
    S_bad("[1,\f2]", 3, "control byte 0x0C");
    /* a NUL (the text has an explicit length) */
    char msg[256];
    size_t at = 0;
    const char nul[] = "[1, \0 2]";
    assert_int_equal(jpos_strict(nul, sizeof nul - 1, JPOS_MAX_DEPTH, &at, msg, sizeof msg), -1);
    assert_int_equal(at, 4);
    assert_non_null(strstr(msg, "NUL byte"));
    /* only `stop` bytes are looked at */
    assert_int_equal(jpos_strict("[1] 02", 3, JPOS_MAX_DEPTH, &at, msg, sizeof msg), 0);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    S_good("{\"a\": 1, \"b\": {\"a\": 2}, \"c\": [{\"a\": 3}, {\"a\": 4}]}");
    /* {"a": 1, "a": 2}: the second "a" opens at byte 9 */
    S_bad("{\"a\": 1, \"a\": 2}", 9, "duplicate key \"a\" (already at line 1, column 2;");
    /* the same name spelled with an escape is the same key */
    S_bad("{\"targets\": 1, \"t\\u0061rgets\": 2}", 15, "duplicate key \"targets\"");
    /* three times: the second occurrence is reported */
    S_bad("{\"k\": 1, \"k\": 2, \"k\": 3}", 9, "duplicate key \"k\"");
    /* an inner object's duplicate comes later in the text than the outer
     * one's: the earliest is reported though the inner closes first */
    S_bad("{\"x\": 1, \"x\": {\"y\": 1, \"y\": 2}}", 9, "duplicate key \"x\"");
    /* the other way round */
    S_bad("{\"o\": {\"y\": 1, \"y\": 2}, \"o\": 1}", 15, "duplicate key \"y\"");
    /* keys that only share a prefix are different */
    S_good("{\"ab\": 1, \"a\": 2, \"abc\": 3}");
    /* a duplicate found by the flush of still-open objects at a later
     * violation: {"a": 1, "a": 02 -> the key (byte 9) comes before the 02 */
    S_bad("{\"a\": 1, \"a\": 02}", 9, "duplicate key");
    /* line:column of the first one on another line */
    S_bad("{\n  \"n\": 1,\n  \"n\": 2\n}", 14, "already at line 2, column 3");
}

static void test_depth(void **state)
{
    (void)state;
    char buf[400];
    memset(buf, '[', 64);
    memset(buf + 64, ']', 64);
    buf[128] = '\0';
    S_good(buf); /* exactly JPOS_MAX_DEPTH levels */
    memset(buf, '[', 65);
    memset(buf + 65, ']', 65);
    buf[130] = '\0';
    S_bad(buf, 64, "nested deeper than 64 levels");
    /* deep objects too, counted the same way */
    size_t k = 0;
    for (int i = 0; i < 65; i++)
        k += (size_t)sprintf(buf + k, "{\"a\":");
    S_bad(buf, 64 * 5, "nested deeper than 64 levels");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_bytes_between_tokens),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_depth),
    };
    return cmocka_run_group_tests_name("jsonpos", tests, NULL, NULL);
}

/* test_bytebuf — base/bytebuf: appends land in order across many regrowths,
 * a zero-length append is a no-op, a failed buffer ignores appends, and
 * bbuf_free empties it.  Expected bytes are built independently with a
 * fixed-size array here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/bytebuf.h"

/* 3000 appends of lengths 0..9 (a byte pattern that changes per piece)
 * cross the 4096-byte first capacity and several doublings. */
static void test_appends_in_order(void **state)
{
    (void)state;
    static unsigned char want[3000 * 9];
    size_t wn = 0;
    bbuf b = {0};
    for (int i = 0; i < 3000; i++) {
        unsigned char piece[9];
        size_t n = (size_t)(i % 10 == 9 ? 0 : i % 10);
        for (size_t k = 0; k < n; k++)
            piece[k] = (unsigned char)(i * 7 + (int)k);
        memcpy(want + wn, piece, n);
        wn += n;
        bbuf_put(&b, piece, n);
    }
    assert_false(b.failed);
    assert_int_equal(b.len, wn);
    assert_true(b.cap >= b.len);
    assert_memory_equal(b.p, want, wn);
    bbuf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

static void test_puts_and_failed(void **state)
{
    (void)state;
    bbuf b = {0};
    bbuf_puts(&b, "1 0 obj\n");
    bbuf_puts(&b, "");
    bbuf_puts(&b, "endobj\n");
    assert_int_equal(b.len, 15);
    assert_memory_equal(b.p, "1 0 obj\nendobj\n", 15);
    /* after a failure nothing is appended, so a writer checks once */
    b.failed = 1;
    bbuf_puts(&b, "more");
    assert_int_equal(b.len, 15);
    bbuf_free(&b);
    assert_false(b.failed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends_in_order),
        cmocka_unit_test(test_puts_and_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

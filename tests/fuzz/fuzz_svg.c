/* fuzz_svg — libFuzzer target for the SVG reader (issue 7).
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -iquote src \
 *        tests/fuzz/fuzz_svg.c src/svg*.c src/err.c -lexpat -lm
 * Seeds: tests/fuzz/svg/ (small gnuplot-style SVGs). */
#include <stddef.h>
#include <stdint.h>
#include "svg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_buffer((const char *)data, size, "fuzz.svg", &e);
    if (d) {
        /* touch everything the drawer reads */
        volatile double sink = svg_doc_width(d) + svg_doc_height(d);
        for (size_t i = 0; i < svg_doc_count(d); i++) {
            const svg_item *it = svg_doc_item(d, i);
            if (it->kind == SVG_ITEM_PATH) {
                for (size_t k = 0; k < it->path.nsegs; k++)
                    sink += it->path.segs[k].x;
                for (size_t k = 0; k < it->path.ndash; k++)
                    sink += it->path.dash[k];
            } else {
                for (size_t k = 0; k < it->text.nspans; k++)
                    sink += (double)it->text.spans[k].text[0] +
                            (double)it->text.spans[k].family[0];
            }
            const svg_clip *c = svg_doc_clip(d, it->clip);
            if (c)
                for (size_t k = 0; k < c->nsegs; k++)
                    sink += c->segs[k].y;
        }
        (void)sink;
        svg_doc_free(d);
    }
    return 0;
}

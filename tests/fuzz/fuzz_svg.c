/* Fuzz target: the SVG reader of the vector-figure path (svg_parse_buffer).
 * Inputs are SVG/XML text; the seeds are gnuplot 5.4 svg-terminal output
 * (01-12) and hand-made cases (h5-*); the walk also checks the error
 * contract (one line, exit code 1 or 2). */
#include "fuzz.h"
#include "svg/svg.h"

int fz_svg_init(void);
int fz_svg_one(const uint8_t *data, size_t size);

int fz_svg_init(void)
{
    return 0;
}

int fz_svg_one(const uint8_t *data, size_t size)
{
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_buffer((const char *)data, size, "fuzz.svg", &e);
    if (!d) {
        fz_check_err(&e);
        return 0;
    }
    /* Walk everything a drawer would read, so that a dangling or short
     * array shows up under ASan here rather than in the PDF writer. */
    double sum = svg_doc_width(d) + svg_doc_height(d);
    size_t n = svg_doc_count(d);
    for (size_t i = 0; i < n; i++) {
        const svg_item *it = svg_doc_item(d, i);
        FZ_CHECK(it != NULL, "svg_doc_item(i < count) returned NULL");
        if (it->kind == SVG_ITEM_PATH) {
            for (size_t k = 0; k < it->path.nsegs; k++)
                sum += it->path.segs[k].x + it->path.segs[k].y;
            for (size_t k = 0; k < it->path.ndash; k++)
                sum += it->path.dash[k];
        } else {
            for (size_t k = 0; k < it->text.nspans; k++)
                sum += (double)strlen(it->text.spans[k].text) + it->text.spans[k].size +
                       (it->text.spans[k].family ? (double)strlen(it->text.spans[k].family) : 0);
        }
        if (it->clip >= 0)
            FZ_CHECK(svg_doc_clip(d, it->clip) != NULL, "item refers to a missing clip");
    }
    for (size_t i = 0; i < svg_doc_clip_count(d); i++) {
        const svg_clip *cl = svg_doc_clip(d, (int)i);
        for (size_t k = 0; k < cl->nsegs; k++)
            sum += cl->segs[k].x;
    }
    volatile double sink = sum; /* keep the reads */
    (void)sink;
    svg_doc_free(d);
    return 0;
}

FZ_TARGET(svg)

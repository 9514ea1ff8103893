/* test_svg — the SVG reader on small fixtures (tests/fixtures/svg) and on
 * hostile buffers.  Expected numbers are worked out by hand from the
 * fixture text (comments show how), never copied from program output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testkit.h"
#include "svg/svg.h"

static svg_doc *load(const char *name, lb_err *e)
{
    err_clear(e);
    return svg_parse_file(tk_path("%s/tests/fixtures/svg/%s", tk_root(), name), e);
}

static svg_doc *load_ok(const char *name)
{
    lb_err e;
    svg_doc *d = load(name, &e);
    if (!d)
        fail_msg("%s", e.msg);
    return d;
}

#define SEG(s, k, X, Y) do { \
    assert_int_equal((s).kind, (k)); \
    assert_true(fabs((s).x - (X)) < 1e-9); \
    assert_true(fabs((s).y - (Y)) < 1e-9); } while (0)

static void test_path_segments(void **st)
{
    (void)st;
    svg_doc *d = load_ok("path.svg");
    assert_true(svg_doc_width(d) == 100 && svg_doc_height(d) == 50);
    assert_int_equal(svg_doc_count(d), 3);
    /* d="M10,20 L30,20 h5 v-10 l-5,-5 H10 z m 2,3 l1,1 V30":
     * h5 -> (35,20); v-10 -> (35,10); l-5,-5 -> (30,5); H10 -> (10,5);
     * z returns to (10,20); m2,3 is relative to that -> (12,23);
     * l1,1 -> (13,24); V30 -> (13,30). */
    const svg_path *p = &svg_doc_item(d, 0)->path;
    assert_int_equal(p->nsegs, 10);
    SEG(p->segs[0], SVG_SEG_MOVE, 10, 20);
    SEG(p->segs[1], SVG_SEG_LINE, 30, 20);
    SEG(p->segs[2], SVG_SEG_LINE, 35, 20);
    SEG(p->segs[3], SVG_SEG_LINE, 35, 10);
    SEG(p->segs[4], SVG_SEG_LINE, 30, 5);
    SEG(p->segs[5], SVG_SEG_LINE, 10, 5);
    SEG(p->segs[6], SVG_SEG_CLOSE, 10, 20);
    SEG(p->segs[7], SVG_SEG_MOVE, 12, 23);
    SEG(p->segs[8], SVG_SEG_LINE, 13, 24);
    SEG(p->segs[9], SVG_SEG_LINE, 13, 30);
    assert_false(p->has_fill);
    assert_true(p->has_stroke && p->stroke_width == 1);
    /* A10,10 0 0,1 20,0 from (0,0): half circle about (10,0); sweep=1 runs
     * through angle 3pi/2, i.e. the top point (10,-10) in y-down space:
     * two quarter cubics, the first ending at (10,-10), the second at
     * (20,0).  First control point: (0,0) + k*10*(0,-1), k = 4/3 tan(pi/8)
     * = 0.5522847498... */
    p = &svg_doc_item(d, 1)->path;
    assert_int_equal(p->nsegs, 3);
    SEG(p->segs[1], SVG_SEG_CUBIC, 10, -10);
    assert_true(fabs(p->segs[1].x1 - 0) < 1e-9);
    assert_true(fabs(p->segs[1].y1 - (-5.522847498307933)) < 1e-9);
    SEG(p->segs[2], SVG_SEG_CUBIC, 20, 0);
    /* "M1 2 3 4 5 6": pairs after a moveto are implicit linetos */
    p = &svg_doc_item(d, 2)->path;
    assert_int_equal(p->nsegs, 3);
    SEG(p->segs[0], SVG_SEG_MOVE, 1, 2);
    SEG(p->segs[1], SVG_SEG_LINE, 3, 4);
    SEG(p->segs[2], SVG_SEG_LINE, 5, 6);
    svg_doc_free(d);
}

static void test_use_instance(void **st)
{
    (void)st;
    svg_doc *d = load_ok("use.svg");
    assert_int_equal(svg_doc_count(d), 2);
    /* translate(50,40) scale(3), then the use's x/y = translate(1,2):
     * (-1,0) -> (0,2) -> (0,6) -> (50,46); (1,0) -> (2,2) -> (6,6) -> (56,46).
     * stroke-width 0.5 scaled by 3 = 1.5; stroke currentColor = the use's
     * color rgb(0,158,115). */
    const svg_path *p = &svg_doc_item(d, 0)->path;
    assert_int_equal(p->nsegs, 2);
    SEG(p->segs[0], SVG_SEG_MOVE, 50, 46);
    SEG(p->segs[1], SVG_SEG_LINE, 56, 46);
    assert_true(fabs(p->stroke_width - 1.5) < 1e-12);
    assert_true(p->has_stroke && p->stroke.r == 0);
    assert_true(fabs(p->stroke.g - 158 / 255.0) < 1e-12);
    assert_true(fabs(p->stroke.b - 115 / 255.0) < 1e-12);
    /* #pt2 is a <use> of #pt with stroke='none': #pt's own stroke attribute
     * wins over the inherited none (CSS cascade), so it is still stroked,
     * in the inherited color black, at (9,10)-(11,10). */
    p = &svg_doc_item(d, 1)->path;
    SEG(p->segs[0], SVG_SEG_MOVE, 9, 10);
    SEG(p->segs[1], SVG_SEG_LINE, 11, 10);
    assert_true(p->has_stroke && p->stroke.r == 0 && p->stroke.g == 0);
    svg_doc_free(d);
}

static void test_inherited_style_and_text(void **st)
{
    (void)st;
    svg_doc *d = load_ok("style.svg");
    assert_int_equal(svg_doc_count(d), 4);
    /* path 1: stroke + width from the outer <g>, dasharray "5,3,1" (odd:
     * repeated to 5,3,1,5,3,1), cap round from style="" (wins over the
     * outer butt), join bevel from the inner presentation attribute. */
    const svg_path *p = &svg_doc_item(d, 0)->path;
    assert_true(p->has_stroke && !p->has_fill);
    assert_true(p->stroke_width == 2);
    assert_int_equal(p->ndash, 6);
    double want[6] = {5, 3, 1, 5, 3, 1};
    for (int i = 0; i < 6; i++)
        assert_true(p->dash[i] == want[i]);
    assert_int_equal(p->linecap, SVG_CAP_ROUND);
    assert_int_equal(p->linejoin, SVG_JOIN_BEVEL);
    /* path 2: currentColor -> color="red"; opacity 0.5 multiplies */
    p = &svg_doc_item(d, 1)->path;
    assert_true(p->stroke.r == 1 && p->stroke.g == 0 && p->stroke.b == 0);
    assert_true(p->stroke_opacity == 0.5);
    assert_int_equal(p->ndash, 2);
    assert_int_equal(p->linecap, SVG_CAP_BUTT);
    /* polygon: fill with 'attr = value' spacing, 3 points + close */
    p = &svg_doc_item(d, 2)->path;
    assert_true(p->has_fill && !p->has_stroke);
    assert_true(fabs(p->fill_opacity - 0.3) < 1e-12);
    assert_int_equal(p->nsegs, 4);
    SEG(p->segs[3], SVG_SEG_CLOSE, 1, 1);
    /* text: translate(14.39,123.66) rotate(270) -> matrix
     * [cos 270, sin 270, -sin 270, cos 270] = [0 -1 1 0], e/f = translate */
    const svg_text *t = &svg_doc_item(d, 3)->text;
    assert_int_equal(svg_doc_item(d, 3)->kind, SVG_ITEM_TEXT);
    assert_true(t->m[0] == 0 && t->m[1] == -1 && t->m[2] == 1 && t->m[3] == 0);
    assert_true(t->m[4] == 14.39 && t->m[5] == 123.66);
    assert_int_equal(t->anchor, SVG_ANCHOR_MIDDLE);
    assert_int_equal(t->nspans, 3);
    /* leading space of the element stripped, trailing space stripped */
    assert_string_equal(t->spans[0].text, "-log p");
    assert_string_equal(t->spans[1].text, "target");
    assert_string_equal(t->spans[0].family, "Latin Modern Roman");
    assert_true(t->spans[0].size == 9 && t->spans[1].size == 7.2);
    assert_true(t->spans[1].dy == 2.7 && t->spans[2].dy == -2.7);
    assert_true(t->spans[0].visible && t->spans[0].fill.r == 0);
    svg_doc_free(d);
    /* no font-family anywhere: SVG's initial "serif"; no font-size: 16;
     * default xml:space collapses the run of spaces and drops the newline */
    const char *plain = "<svg width='9' height='9'><text>a \n  b</text></svg>";
    lb_err e;
    err_clear(&e);
    d = svg_parse_buffer(plain, strlen(plain), "plain.svg", &e);
    assert_non_null(d);
    t = &svg_doc_item(d, 0)->text;
    assert_string_equal(t->spans[0].family, "serif");
    assert_string_equal(t->spans[0].text, "a b");
    assert_true(t->spans[0].size == 16);
    svg_doc_free(d);
}

static void test_boxed_label(void **st)
{
    (void)st;
    /* gnuplot's `set label ... boxed`: the text group carries
     * style='filter:url(#textbox)', a feFlood (white) + feComposite atop */
    const char *b = "<svg width='100' height='100'><defs>"
        "<filter id='textbox' filterUnits='objectBoundingBox' x='0' y='0' height='1' width='1'>"
        "<feFlood flood-color='lightgrey' flood-opacity='1' result='bgnd'/>"
        "<feComposite in='SourceGraphic' in2='bgnd' operator='atop'/></filter></defs>"
        "<g transform='translate(20,30)' style='filter:url(#textbox)'><text>boxed</text></g>"
        "<text>plain</text></svg>";
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_buffer(b, strlen(b), "box.svg", &e);
    if (!d)
        fail_msg("%s", e.msg);
    assert_int_equal(svg_doc_count(d), 2);
    const svg_text *t = &svg_doc_item(d, 0)->text;
    assert_true(t->boxed);
    /* lightgrey = #d3d3d3 = 211/255 */
    assert_true(fabs(t->box_color.r - 211 / 255.0) < 1e-12);
    assert_true(t->box_opacity == 1);
    assert_false(svg_doc_item(d, 1)->text.boxed);
    svg_doc_free(d);
}

static void test_clip(void **st)
{
    (void)st;
    svg_doc *d = load_ok("clip.svg");
    assert_int_equal(svg_doc_count(d), 2);
    assert_int_equal(svg_doc_clip_count(d), 1);
    assert_int_equal(svg_doc_item(d, 0)->clip, 0);
    assert_int_equal(svg_doc_item(d, 1)->clip, -1);
    /* the clip rect lives in the user space of the referencing <g>:
     * translate(5,5) moves its corner (0,0) to (5,5), (10,10) to (15,15) */
    const svg_clip *c = svg_doc_clip(d, 0);
    assert_int_equal(c->nsegs, 5);
    SEG(c->segs[0], SVG_SEG_MOVE, 5, 5);
    SEG(c->segs[2], SVG_SEG_LINE, 15, 15);
    assert_int_equal(c->parent, -1);
    svg_doc_free(d);
}

static void test_errors_with_position(void **st)
{
    (void)st;
    lb_err e;
    /* <image> is on line 4, its '<' in column 3 (two spaces before) */
    assert_null(load("unsupported.svg", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "unsupported.svg:4:3: unsupported SVG element <image>"));
    /* <g> opened on line 3 is never closed: </svg> on line 5 mismatches */
    assert_null(load("malformed.svg", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "malformed.svg:5:"));
    assert_non_null(strstr(e.msg, "mismatched tag"));
    /* a filter other than gnuplot's text box matters: error, not ignored;
     * located at the primitive: line 2, after "<defs>" (6 bytes) and
     * "<filter id='blur'>" (18 bytes) -> column 25 */
    const char *f = "<svg width='10' height='10'>\n<defs><filter id='blur'>"
                    "<feGaussianBlur stdDeviation='2'/></filter></defs>\n"
                    "<g style='filter:url(#blur)'/></svg>";
    err_clear(&e);
    assert_null(svg_parse_buffer(f, strlen(f), "f.svg", &e));
    assert_non_null(strstr(e.msg, "f.svg:2:25: unsupported filter primitive <feGaussianBlur>"));
    const char *f2 = "<svg width='10' height='10'>\n<g style='filter:url(#nope)'/></svg>";
    err_clear(&e);
    assert_null(svg_parse_buffer(f2, strlen(f2), "f2.svg", &e));
    assert_non_null(strstr(e.msg, "f2.svg:2:1: filter references unknown id 'nope'"));
    /* bad path data names the offset: in "M0,0 L1" the missing y of the
     * lineto should start at offset 7 (the end of the 7-byte string); the
     * <path> '<' is column 29 of line 1 */
    const char *b = "<svg width='10' height='10'><path d='M0,0 L1'/></svg>";
    err_clear(&e);
    assert_null(svg_parse_buffer(b, strlen(b), "b.svg", &e));
    assert_non_null(strstr(e.msg, "b.svg:1:29: bad path data at offset 7"));
    /* missing size */
    const char *s = "<svg><path d='M0,0 L1,1'/></svg>";
    err_clear(&e);
    assert_null(svg_parse_buffer(s, strlen(s), "s.svg", &e));
    assert_non_null(strstr(e.msg, "width and height"));
}

static void test_hostile(void **st)
{
    (void)st;
    lb_err e;
    /* 100 000 nested groups: stopped at depth 65 (SVG_MAX_DEPTH = 64) */
    size_t n = 100000;
    char *buf = malloc(n * 7 + 64);
    assert_non_null(buf);
    size_t o = (size_t)sprintf(buf, "<svg width='1' height='1'>");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(buf + o, "<g>");
    err_clear(&e);
    assert_null(svg_parse_buffer(buf, o, "deep.svg", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "nested deeper than 64"));
    free(buf);
    /* entity expansion is refused outright */
    const char *lol = "<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY a 'aaaaaaaa'>"
                      "<!ENTITY b '&a;&a;&a;&a;'>]><svg width='1' height='1'>"
                      "<text>&b;</text></svg>";
    err_clear(&e);
    assert_null(svg_parse_buffer(lol, strlen(lol), "lol.svg", &e));
    assert_non_null(strstr(e.msg, "entity"));
    /* a <use> cycle stops at SVG_MAX_USE_DEPTH */
    const char *cyc = "<svg width='1' height='1' xmlns:xlink='http://www.w3.org/1999/xlink'>"
                      "<g id='a'><use xlink:href='#a'/></g></svg>";
    err_clear(&e);
    assert_null(svg_parse_buffer(cyc, strlen(cyc), "cyc.svg", &e));
    assert_non_null(strstr(e.msg, "nested deeper than 8"));
    /* exponential <use> fan-out (10 uses per level, 7 levels = 10^7
     * paths, more than SVG_MAX_ITEMS = 10^6) is stopped by the item/visit bounds, not by memory */
    char fan[4096];
    o = (size_t)sprintf(fan, "<svg width='1' height='1' xmlns:xlink='x'><defs>"
                        "<path id='l0' d='M0,0 L1,1' stroke='black'/>");
    for (int l = 1; l <= 7; l++) {
        o += (size_t)sprintf(fan + o, "<g id='l%d'>", l);
        for (int k = 0; k < 10; k++)
            o += (size_t)sprintf(fan + o, "<use xlink:href='#l%d'/>", l - 1);
        o += (size_t)sprintf(fan + o, "</g>");
    }
    o += (size_t)sprintf(fan + o, "</defs><use xlink:href='#l7'/></svg>");
    err_clear(&e);
    assert_null(svg_parse_buffer(fan, o, "fan.svg", &e));
    assert_non_null(strstr(e.msg, "too large"));
    /* coordinates far outside any page (libharu would clamp silently) */
    const char *far = "<svg width='1' height='1'>\n<path d='M1e300,0 L1,1' stroke='black'/></svg>";
    err_clear(&e);
    assert_null(svg_parse_buffer(far, strlen(far), "far.svg", &e));
    assert_non_null(strstr(e.msg, "far.svg:2:1: coordinate beyond"));
    /* a font size libharu cannot set is an input error */
    const char *big = "<svg width='1' height='1'><text font-size='601'>x</text></svg>";
    err_clear(&e);
    assert_null(svg_parse_buffer(big, strlen(big), "big.svg", &e));
    assert_non_null(strstr(e.msg, "font-size"));
    /* empty input, binary garbage */
    err_clear(&e);
    assert_null(svg_parse_buffer("", 0, "empty.svg", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    const char garbage[] = {'\x89', 'P', 'N', 'G', 0, 1, 2, '<', '>'};
    err_clear(&e);
    assert_null(svg_parse_buffer(garbage, sizeof garbage, "g.svg", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
}

static void test_gnuplot_output(void **st)
{
    (void)st;
    /* gnuplot_lines.svg: `plot [0.01:1] ... x**2 with linespoints pt 7`
     * draws its 100 samples (gnuplot's default `set samples 100`) as
     * <use xlink:href='#gpPt6' ... scale(3.38)> plus one in the key = 101;
     * gpPt6 = <use> of the circle gpPt5 (r=1) with fill currentColor, so
     * each is a filled circle (move + 4 cubics + close) in rgb(0,158,115). */
    svg_doc *d = load_ok("gnuplot_lines.svg");
    size_t circles = 0, texts = 0;
    const svg_text *key_ex = NULL, *key_alpha = NULL;
    for (size_t i = 0; i < svg_doc_count(d); i++) {
        const svg_item *it = svg_doc_item(d, i);
        if (it->kind == SVG_ITEM_PATH && it->path.nsegs == 6 &&
            it->path.segs[1].kind == SVG_SEG_CUBIC && it->path.has_fill &&
            fabs(it->path.fill.g - 158 / 255.0) < 1e-12) {
            circles++;
            /* radius 1 x scale 3.38: the circle starts at (cx + 3.38, cy);
             * the first data point is translate(54.45,206.80) */
            if (circles == 1)
                SEG(it->path.segs[0], SVG_SEG_MOVE, 54.45 + 3.38, 206.80);
        }
        if (it->kind == SVG_ITEM_TEXT) {
            texts++;
            if (!strcmp(it->text.spans[0].text, "e"))
                key_ex = &it->text;
            if (!strcmp(it->text.spans[0].family, "Symbol"))
                key_alpha = &it->text;
        }
    }
    assert_int_equal(circles, 101);
    /* 11 y tick labels (0..5 by 0.5), 10 x labels (0.1..1), title, ylabel,
     * xlabel and three key entries */
    assert_int_equal(texts, 11 + 10 + 3 + 3);
    assert_non_null(key_ex);
    /* e^{x}: "x" at font-size 7.2, raised by dy -4.50px, then the closing
     * empty span restores 4.50 */
    assert_int_equal(key_ex->nspans, 3);
    assert_string_equal(key_ex->spans[1].text, "x");
    assert_true(key_ex->spans[1].size == 7.2 && key_ex->spans[1].dy == -4.5);
    assert_true(key_ex->spans[2].dy == 4.5);
    assert_int_equal(key_ex->anchor, SVG_ANCHOR_END);
    assert_non_null(key_alpha);
    assert_string_equal(key_alpha->spans[0].text, "a");
    assert_string_equal(key_alpha->spans[1].text, " b");
    svg_doc_free(d);
    d = load_ok("gnuplot_fill.svg");
    assert_true(svg_doc_count(d) > 100);
    svg_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_segments),
        cmocka_unit_test(test_use_instance),
        cmocka_unit_test(test_inherited_style_and_text),
        cmocka_unit_test(test_boxed_label),
        cmocka_unit_test(test_clip),
        cmocka_unit_test(test_errors_with_position),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_gnuplot_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

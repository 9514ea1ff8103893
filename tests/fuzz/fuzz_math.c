/* Fuzz target: the LaTeX math parser and TeX layout (math_layout).
 * Input: first byte's low bit selects display (1) or text (0) style, the
 * rest is the formula (the text between the dollars). */
#include "fuzz.h"
#include "math/math.h" /* src/math/math.h (lossbook), not libm's: see S_finite */

int fz_math_init(void);
int fz_math_one(const uint8_t *data, size_t size);

/* Loaded once: reading the AFM/TFM files per input would dominate. */
static math_fonts *S_fonts;

/* With -Isrc, <math.h> would find src/math/math.h; the builtin needs no header. */
#define S_finite(x) __builtin_isfinite(x)

int fz_math_init(void)
{
    lb_err e;
    err_clear(&e);
    if (!(S_fonts = math_fonts_new(NULL, &e))) {
        fprintf(stderr, "fuzz_math: %s\n", e.msg);
        return -1;
    }
    return 0;
}

int fz_math_one(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *tex = fz_strndup(data + 1, size - 1);
    if (!tex)
        return 0;
    lb_err e;
    err_clear(&e);
    int col = -1;
    math_box *b = math_layout(S_fonts, tex, data[0] & 1 ? MATH_DISPLAY : MATH_TEXT, 10.0,
                              &col, &e);
    if (!b) {
        fz_check_err(&e);
        FZ_CHECK(col >= 0, "err_col not set on failure");
    } else {
        /* A box that reaches the PDF must have finite, sane geometry. */
        FZ_CHECK(S_finite(b->width) && S_finite(b->height) && S_finite(b->depth),
                 "non-finite box size");
        for (size_t i = 0; i < b->nglyphs; i++) {
            const math_glyph *g = &b->glyphs[i];
            FZ_CHECK(S_finite(g->x) && S_finite(g->y) && S_finite(g->size) && g->size > 0,
                     "non-finite glyph position or size");
            FZ_CHECK(g->font >= 0 && g->font < MATH_F_COUNT, "glyph font id out of range");
        }
        for (size_t i = 0; i < b->nrules; i++) {
            const math_rule *r = &b->rules[i];
            FZ_CHECK(S_finite(r->x) && S_finite(r->y) && S_finite(r->w) && S_finite(r->h),
                     "non-finite rule");
        }
        math_box_free(b);
    }
    free(tex);
    return 0;
}

FZ_TARGET(math)

/* test_tfm — TFM/enc reader.  Expected values: the fontdimen table in
 * shared/notes/math-layout.md (equal to cmsy10/cmex10 in TeX's own fonts, and
 * re-derived with a 10-line python struct parse of the fix_words), and the
 * cmex10 charlist/extensible layout documented in TFtoPL of cmex10. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "math/tfm.h"

#define TFMDIR "/usr/share/texmf/fonts/tfm/public/lm/"

static void t_lmsy10(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    tfm_font *f = tfm_load(TFMDIR "lmsy10.tfm", &e);
    assert_non_null(f);
    assert_float_equal(tfm_design_size(f), 10, 1e-9);
    assert_int_equal(tfm_nparams(f), 22);
    assert_float_equal(tfm_param(f, 8), .676508, 1e-6);   /* num1 */
    assert_float_equal(tfm_param(f, 13), .412892, 1e-6);  /* sup1 */
    assert_float_equal(tfm_param(f, 17), .247217, 1e-6);  /* sub2 */
    assert_float_equal(tfm_param(f, 20), 2.39, 1e-6);     /* delim1 */
    assert_float_equal(tfm_param(f, 22), .25, 1e-6);      /* axis */
    assert_float_equal(tfm_param(f, 23), 0, 0);
    /* minus (code 0): TFM height .583 depth .083 (notes; cmsy10 same) */
    assert_float_equal(tfm_height(f, 0), .583333, 1e-5);
    assert_float_equal(tfm_depth(f, 0), .083333, 1e-5);
    tfm_free(f);
}

static void t_lmmi10(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    tfm_font *f = tfm_load(TFMDIR "lmmi10.tfm", &e);
    assert_non_null(f);
    /* f: italic correction .10764 em (cmmi10: 0.10764) */
    assert_float_equal(tfm_italic(f, 'f'), .10764, 1e-4);
    assert_true(tfm_has(f, 27));
    assert_false(tfm_has(f, 300));
    tfm_free(f);
    tfm_enc *enc = tfm_enc_load("/usr/share/texmf/fonts/enc/dvips/lm/lm-mathit.enc", &e);
    assert_non_null(enc);
    assert_string_equal(tfm_enc_name(enc, 27), "sigma");
    assert_int_equal(tfm_enc_code(enc, "sigma"), 27);
    tfm_enc_free(enc);
}

static void t_lmex10(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    tfm_font *f = tfm_load(TFMDIR "lmex10.tfm", &e);
    assert_non_null(f);
    assert_float_equal(tfm_param(f, 8), .04, 1e-5);   /* default_rule_thickness */
    assert_float_equal(tfm_param(f, 13), .1, 1e-5);   /* big_op_spacing5 */
    /* ( : '000 -> '020 -> '022 -> '040 -> '060 (extensible) */
    assert_int_equal(tfm_next_larger(f, 0), 020);
    assert_int_equal(tfm_next_larger(f, 020), 022);
    assert_int_equal(tfm_next_larger(f, 022), 040);
    assert_int_equal(tfm_next_larger(f, 040), 060);
    int top, mid, bot, rep;
    assert_true(tfm_extensible(f, 060, &top, &mid, &bot, &rep));
    assert_int_equal(top, 060);
    assert_int_equal(mid, 0);
    assert_int_equal(bot, 0100);
    assert_int_equal(rep, 0102);
    assert_false(tfm_extensible(f, 0, NULL, NULL, NULL, NULL));
    /* \sum text '120 -> display '130; display is 1.5 em deep, .1 high */
    assert_int_equal(tfm_next_larger(f, 0120), 0130);
    assert_float_equal(tfm_depth(f, 0130), 1.5, 1e-4);
    tfm_free(f);
}

/* lmri10's ligatures (\mathit, \emph): expected from `tftopl
 * rm-lmri10.tfm` (TeX Live's TFtoPL, not our reader): (LABEL C f) (LIG C f
 * O 13) (LIG C i O 14) (LIG C l O 15); (LABEL O 13) (LIG C i O 16) (LIG C l
 * O 17); (LABEL O 55) (LIG O 55 O 173) -- to the en dash; and f before x
 * has none.  Its kern f ")" is +0.051111 em (KRN O 51 R 0.051111). */
static void t_lmri10_lig(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    tfm_font *f = tfm_load(TFMDIR "rm-lmri10.tfm", &e);
    assert_non_null(f);
    assert_int_equal(tfm_lig(f, 'f', 'f'), 013);
    assert_int_equal(tfm_lig(f, 'f', 'i'), 014);
    assert_int_equal(tfm_lig(f, 'f', 'l'), 015);
    assert_int_equal(tfm_lig(f, 013, 'i'), 016);
    assert_int_equal(tfm_lig(f, 013, 'l'), 017);
    assert_int_equal(tfm_lig(f, 055, 055), 0173);
    assert_int_equal(tfm_lig(f, 'f', 'x'), -1);
    assert_int_equal(tfm_lig(f, 'x', 'f'), -1);
    assert_float_equal(tfm_kern(f, 'f', 051), .051111, 1e-5);
    tfm_free(f);
}

static void t_errors(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    assert_null(tfm_load("/nonexistent.tfm", &e));
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    err_clear(&e);
    assert_null(tfm_load("/usr/share/texmf/fonts/afm/public/lm/lmr10.afm", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_lmsy10),
        cmocka_unit_test(t_lmmi10),
        cmocka_unit_test(t_lmex10),
        cmocka_unit_test(t_lmri10_lig),
        cmocka_unit_test(t_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

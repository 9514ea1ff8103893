/* test_afm — AFM parser against values read by hand from the installed
 * Latin Modern AFM files (grep of the .afm lines quoted in each comment). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <dirent.h>
#include <cmocka.h>
#include "math/afm.h"

#define AFMDIR "/usr/share/texmf/fonts/afm/public/lm/"

static void t_lmr10(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    afm_font *f = afm_load(AFMDIR "lmr10.afm", &e);
    assert_non_null(f);
    assert_string_equal(afm_font_name(f), "LMRoman10-Regular");
    /* "C 65 ; WX 750 ; N A ; B 32 0 717 716 ;" */
    int a = afm_find(f, "A");
    assert_true(a >= 0);
    const afm_glyph *g = afm_glyph_at(f, a);
    assert_int_equal(g->code, 65);
    assert_float_equal(g->wx, 750, 1e-9);
    assert_float_equal(g->bbox[0], 32, 1e-9);
    assert_float_equal(g->bbox[3], 716, 1e-9);
    assert_int_equal(afm_find_code(f, 65), a);
    /* "C 173 ; WX 777.77777 ; N minus ;" */
    assert_float_equal(afm_width_of_code(f, 173), 777.77777, 1e-9);
    assert_float_equal(afm_width_of_name(f, "minus"), 777.77777, 1e-9);
    /* "C -1 ; WX 583.33333 ; N ff ;" : uncoded glyph is found by name */
    int ff = afm_find(f, "ff");
    assert_true(ff >= 0);
    assert_int_equal(afm_glyph_at(f, ff)->code, -1);
    /* "KPX A V -111.111", "KPX L T -83.333"; no pair A A */
    assert_float_equal(afm_kern_names(f, "A", "V"), -111.111, 1e-9);
    assert_float_equal(afm_kern_names(f, "L", "T"), -83.333, 1e-9);
    assert_float_equal(afm_kern_names(f, "A", "A"), 0, 0);
    assert_float_equal(afm_kern_names(f, "nosuchglyph", "A"), 0, 0);
    assert_int_equal(afm_find(f, "nosuchglyph"), -1);
    assert_float_equal(afm_x_height(f), 430.55556, 1e-9);
    /* WinAnsi 0x92 is quoteright (C 146 ; WX 277.77777), 0x96 endash (WX 500) */
    assert_string_equal(afm_winansi_name(0x92), "quoteright");
    assert_null(afm_winansi_name(0x81));
    assert_float_equal(afm_glyph_at(f, afm_winansi_index(f, 0x96))->wx, 500, 1e-9);
    /* "AV" at 10 pt: (750 + 750(V) - 111.111) / 100 ; V is "C 86 ; WX 750" */
    assert_float_equal(afm_winansi_text_width(f, "AV", 2, 10, 1),
                       (750 + afm_width_of_name(f, "V") - 111.111) / 100, 1e-9);
    assert_float_equal(afm_width_of_name(f, "V"), 750, 1e-9);
    assert_float_equal(afm_winansi_text_width(f, "AV", 2, 10, 0), 15, 1e-9);
    afm_free(f);
}

/* AFM_KERN_LAZY (issue 15): the KPX lines read on the first kern asked
 * for give the same pairs as at load.  Values from lmr10.afm's own lines
 * ("KPX A V -111.111", "KPX L T -83.333", no pair A A); then every pair
 * of glyph indices agrees with an eager load of the same file. */
static void t_lazy_kerns(void **state)
{
    (void)state;
    const char *path = "/usr/share/texmf/fonts/afm/public/lm/lmr10.afm";
    lb_err e;
    err_clear(&e);
    afm_font *lz = afm_load_opt(path, AFM_KERN_LAZY, &e);
    afm_font *eg = afm_load(path, &e);
    assert_non_null(lz);
    assert_non_null(eg);
    assert_float_equal(afm_kern_names(lz, "A", "V"), -111.111, 1e-9);
    assert_float_equal(afm_kern_names(lz, "L", "T"), -83.333, 1e-9);
    assert_float_equal(afm_kern_names(lz, "A", "A"), 0, 0);
    assert_int_equal(afm_count(lz), afm_count(eg));
    long pairs = 0;
    for (int l = 0; l < afm_count(eg); l++)
        for (int r = 0; r < afm_count(eg); r++) {
            double k = afm_kern(eg, l, r);
            pairs += k != 0;
            if (afm_kern(lz, l, r) != k)
                fail_msg("pair %d %d: lazy %.17g, eager %.17g", l, r, afm_kern(lz, l, r), k);
        }
    assert_true(pairs > 9000);   /* lmr10 has 9230 KPX lines */
    afm_free(lz);
    afm_free(eg);
}

static void t_lmmi10(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    afm_font *f = afm_load(AFMDIR "lmmi10.afm", &e);
    assert_non_null(f);
    /* "C 224 ; WX 571.414 ; N sigma ; B 38 -11 567 431 ;" */
    const afm_glyph *g = afm_glyph_at(f, afm_find(f, "sigma"));
    assert_non_null(g);
    assert_int_equal(g->code, 224);
    assert_float_equal(g->wx, 571.414, 1e-9);
    assert_float_equal(g->bbox[1], -11, 1e-9);
    afm_free(f);
}

static void t_errors(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    assert_null(afm_load("/nonexistent/x.afm", &e));
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "/nonexistent/x.afm"));
    char path[] = "/tmp/test_afm_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs("StartFontMetrics 2.0\nFontName X\nC 65 ; WX 500 ; N A ; B 1 2 ;\n", fp);
    fclose(fp);
    err_clear(&e);
    assert_null(afm_load(path, &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, ":3:"));
    remove(path);
}

/* The hand-written number reader (afm.c, S_num) against strtod on every
 * WX and KPX value of every Latin Modern AFM: the same bits, so layouts do
 * not move.  strtod and the file's own text are the reference. */
static void t_numbers_equal_strtod(void **state)
{
    (void)state;
    const char *dir = "/usr/share/texmf/fonts/afm/public/lm";
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int files = 0, widths = 0, kerns = 0;
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, ".afm"))
            continue;
        char path[1024], line[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        lb_err e;
        err_clear(&e);
        afm_font *f = afm_load(path, &e);
        assert_non_null(f);
        FILE *fp = fopen(path, "r");
        assert_non_null(fp);
        while (fgets(line, sizeof line, fp)) {
            char a[128], b[128];
            double v;
            const char *wx = strstr(line, "WX "), *nm = strstr(line, " N ");
            if (!strncmp(line, "C ", 2) && wx && nm && sscanf(nm + 3, "%127s", a) == 1) {
                v = strtod(wx + 3, NULL);
                if (afm_width_of_name(f, a) != v)
                    fail_msg("%s %s: %.17g, strtod %.17g", path, a, afm_width_of_name(f, a), v);
                widths++;
            } else if (!strncmp(line, "KPX ", 4) && sscanf(line + 4, "%127s %127s %lf", a, b, &v) == 3
                       && afm_find(f, a) >= 0 && afm_find(f, b) >= 0) {
                if (afm_kern_names(f, a, b) != v)
                    fail_msg("%s KPX %s %s: %.17g, strtod %.17g", path, a, b,
                             afm_kern_names(f, a, b), v);
                kerns++;
            }
        }
        fclose(fp);
        afm_free(f);
        files++;
    }
    closedir(d);
    assert_true(files > 50 && widths > 40000 && kerns > 100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_lmr10),
        cmocka_unit_test(t_lazy_kerns),
        cmocka_unit_test(t_lmmi10),
        cmocka_unit_test(t_errors),
        cmocka_unit_test(t_numbers_equal_strtod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

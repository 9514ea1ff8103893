/* Tests for src/compute/catalog.c.
 *
 * Expected display strings are the reference values of
 * tests/ref/h1_reference.py (python3 decimal) rounded by hand, e.g.
 * mean 0.767914180791753863... -> "0.7679" (4), "0.767914" (6),
 * "0.7679141808" (10); sumexp of position 4 17.16757310294106... -> "17.1676";
 * gd change 0.64508945001842525 - 0.76791418079175386 = -0.12282473077332861
 * -> "-0.1228"; e^{2.3} = 9.97418245481471896818689305330 -> "9.9742";
 * loss change at position 6 1.426900410392870290 - 1.756324384949341917 =
 * -0.329423974556471627 -> "-0.3294". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testkit.h"
#include "compute/catalog.h"
#include "compute/catalog_build.h"

static ex_model *S_model(void)
{
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load(tk_src("templates/examples/llm-batch.json"), &e);
    if (!m)
        fail_msg("%s", e.msg);
    assert_int_equal(ex_compute(m, &e), 0);
    return m;
}

static int setup(void **state)
{
    lb_err e;
    err_clear(&e);
    ex_model *m = S_model();
    cat *c = cat_new(m, &e);
    if (!c) {
        ex_free(m);
        return -1;
    }
    void **pair = malloc(2 * sizeof *pair);
    pair[0] = m;
    pair[1] = c;
    *state = pair;
    return 0;
}

static int teardown(void **state)
{
    void **pair = *state;
    cat_free(pair[1]);
    ex_free(pair[0]);
    free(pair);
    return 0;
}

#define CAT(state) ((cat *)((void **)*(state))[1])

static const char *S_val(const cat *c, const char *spec)
{
    static char buf[256];
    lb_err e;
    err_clear(&e);
    if (cat_value_format(c, spec, buf, sizeof buf, &e) != 0)
        fail_msg("%s: %s", spec, e.msg);
    return buf;
}

static void test_values(void **state)
{
    const cat *c = CAT(state);
    static const char *const want[][2] = {
        {"loss.mean", "0.7679"}, {"loss.mean?digits=6", "0.767914"},
        {"loss.mean?digits=10", "0.7679141808"}, {"loss.mean?digits=0", "1"},
        {"loss.sum", "4.6075"},
        {"loss/1", "0.5321"}, {"loss/2", "0.4230"}, {"loss/3", "0.5921"},
        {"loss/4", "0.5430"}, {"loss/5", "0.7609"}, {"loss/6", "1.7563"},
        {"loss.after/6", "1.4269"},
        {"sumexp/4", "17.1676"}, {"sumexp/1", "12.5804"},
        {"ptarget/6", "0.1727"}, {"lse/1", "2.5321"}, {"maxlogit/4", "2.3"},
        {"target/6", "1"}, {"token/6", "cat"}, {"tokenname/4", "mat"},
        {"z/2/1", "2.1"}, {"z/1/4", "-1.0"}, {"expz/4/2", "9.9742"},
        {"p/6/1", "0.1727"}, {"grad/6/1", "-0.8273"}, {"grad/6/0", "0.5733"},
        {"shape.B", "2"}, {"shape.T", "3"}, {"shape.V", "5"}, {"shape.N", "6"},
        {"gd.lr", "2"}, {"gd.lr?digits=1", "2.0"}, {"gd.loss.before", "0.7679"},
        {"gd.loss.after", "0.6451"}, {"gd.loss.drop", "0.1228"},
        /* confidence scenarios at position 1: tests/ref/examples_reference.py */
        {"scen.lead.p", "0.9132"}, {"scen.lead.loss", "0.0908"}, {"scen.lead.z", "4.0"},
        {"scen.given.p", "0.5873"}, {"scen.given.loss", "0.5321"},
        {"scen.level.p", "0.3437"}, {"scen.trail.p", "0.1615"}, {"scen.trail.loss", "1.8232"},
        {"scen.trail.z", "0.0"}, {"scen.rival.z", "1.0"}, {"scen.pos", "1"},
        /* by hand from the logits: position 6 = [2.2, 1.0, 0.5, 0.3, 0.0], target 1:
         * favourite 0 (p 0.5733, as grad/6/0), one token ahead, rank 2; position 1
         * = [2.0, 1.0, 0.1, 0.0, -1.0], target 0 leads token 1 by 1.0 */
        {"nll/6", "1.7563"}, {"argmax/6", "0"}, {"favtoken/6", "the"}, {"pmax/6", "0.5733"},
        {"rank/6", "2"}, {"ahead/6", "1"}, {"correct/6", "0"}, {"correct/1", "1"},
        {"rival/6", "0"}, {"rivaltoken/6", "the"}, {"margin/1", "1.0"}, {"nmax/1", "1"},
        {"ignored/1", "0"}, {"weight/1", "1"},
        /* positions by p_target (h1_reference.py): highest at 2, lowest at 6;
         * p_target >= 1/2 at positions 1..4 */
        {"pos.first", "1"}, {"pos.best", "2"}, {"pos.worst", "6"}, {"loss/worst", "1.7563"},
        {"ptarget/best", "0.6551"}, {"count.correct", "5"}, {"count.half", "4"},
        {"count.active", "6"}, {"count.ignored", "0"},
        {"lnv", "1.6094"}, {"shape.btv", "[2, 3, 5]"}, {"shape.nv", "[6, 5]"},
        {"shape.bt", "[2, 3]"}, {"shape.n", "[6]"}, {"shape.N?unit=position,positions", "6 positions"},
        {"shape.V?digits=1&unit=token,tokens", "5.0 tokens"},
        {"tokens.list", "0 = the, 1 = cat, 2 = sat, 3 = on, 4 = mat"}, {"tokens.named", "1"},
        {"example.source", "1"}, {"opt.plain", "1"}, {"opt.reduction", "mean"},
        {"opt.ignore_index", "-100"}, {"steps.all", "1"}, {"points.shown", "6"},
        {"points.sub", "0"}, {"rand.big.V", "50257"}, {"rand.big.lnv", "10.8249"},
        {"logp.p/1", "0.01"}, {"logp/1", "-4.6052"}, {"neglogp/1", "4.6052"},
        {"logp/4", "-1.2040"}, {"logp/8", "0.0000"}, {"neglogp/8", "0.0000"},
        {"bce/1", "0.3567"}, {"bce/2", "0.1054"}, {"bce/3", "1.6094"}, {"bce.q/2", "0.9"},
        {"multiclass/2", "0.3567"}, {"multiclass/0", "2.3026"},
        {"multiclass.q/2", "0.7"}, {"multiclass.q/0", "0.1"},
        /* width of the gradient table, by hand: column n 1 + 3, y_n 2 + 3
         * ("$y_n$": y and n), five token columns whose widest cell is the
         * marked (bold, x 1.15) target entry "-0.4127" etc.: 5 x (7 x 1.15
         * + 3) = 55.25, the sum column 6 + 3 ("0.0000"): 73.25, shown as 73 */
        {"width/grad", "73"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *got = S_val(c, want[i][0]);
        if (strcmp(got, want[i][1]) != 0)
            fail_msg("%s = '%s', want '%s'", want[i][0], got, want[i][1]);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(want[i][0], "?"), want[i][0]);
        assert_true(cat_has_value(c, name));
    }
    double v;
    assert_int_equal(cat_value_get(c, "loss.mean", &v), 0);
    assert_true(fabs(v - 0.767914180791753863644440132479312426271) < 1e-15);
    assert_int_equal(cat_value_get(c, "token/1", &v), -1);
}

static void test_value_errors(void **state)
{
    const cat *c = CAT(state);
    static const char *const unknown[] = {"loss/7", "loss/0", "loss/01", "loss/", "z/1/5",
                                          "z/7/0", "step/1", "bogus", "", "conf.huge.p",
                                          "multiclass/1", "tokenname/5", "bce/4"};
    char buf[64];
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        lb_err e;
        err_clear(&e);
        assert_int_equal(cat_value_format(c, unknown[i], buf, sizeof buf, &e), -1);
        assert_int_equal(e.code, LB_EXIT_INPUT);
        char want[128];
        snprintf(want, sizeof want, "unknown value '%s' (known: shape.B, ", unknown[i]);
        if (strncmp(e.msg, want, strlen(want)) != 0)
            fail_msg("%s: %s", unknown[i], e.msg);
        assert_non_null(strstr(e.msg, "loss/1..6"));
    }
    static const char *const badq[] = {"loss.mean?digits=18", "loss.mean?digits=",
                                       "loss.mean?precision=3", "loss.mean?digits=-1",
                                       "loss.mean?digits=4&x=1", "loss.mean?"};
    for (size_t i = 0; i < sizeof badq / sizeof badq[0]; i++) {
        lb_err e;
        err_clear(&e);
        assert_int_equal(cat_value_format(c, badq[i], buf, sizeof buf, &e), -1);
        assert_int_equal(e.code, LB_EXIT_INPUT);
        if (strncmp(e.msg, "bad query '", 11) != 0 ||
            !strstr(e.msg, "(expected digits=N with N = 0..17, or unit=SINGULAR,PLURAL"))
            fail_msg("%s: %s", badq[i], e.msg);
    }
    lb_err e;
    err_clear(&e);
    assert_int_equal(cat_value_format(c, "width/bogus", buf, sizeof buf, &e), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "unknown value 'width/bogus': no table 'bogus' (known: "));
    assert_false(cat_has_value(c, "width/bogus"));
    err_clear(&e);
    assert_int_equal(cat_value_format(c, "token/1?digits=2", buf, sizeof buf, &e), -1);
    assert_string_equal(e.msg, "value 'token/1' is text and takes no ?digits");
    /* integers accept ?digits (a template author may write it) */
    err_clear(&e);
    assert_int_equal(cat_value_format(c, "shape.N?digits=0", buf, sizeof buf, &e), 0);
    assert_string_equal(buf, "6");
    assert_int_equal(cat_value_format(c, "shape.N?digits=2", buf, sizeof buf, &e), 0);
    assert_string_equal(buf, "6.00");
    /* too small a buffer is an error, not a truncated number */
    char tiny[4];
    err_clear(&e);
    assert_int_equal(cat_value_format(c, "loss.mean", tiny, sizeof tiny, &e), -1);
}

static void test_table_names(void **state)
{
    const cat *c = CAT(state);
    static const char *const names[] = {"logits", "reshape", "summary", "confidence", "logp",
                                        "bce", "multiclass", "grad", "gdstep", "randce", "step/1",
                                        "step/2", "step/3", "step/4", "step/5", "step/6"};
    assert_int_equal(cat_table_count(c), 16);
    for (size_t i = 0; i < 16; i++) {
        char buf[32];
        assert_int_equal(cat_table_name(c, i, buf, sizeof buf), 0);
        assert_string_equal(buf, names[i]);
        assert_true(cat_has_table(c, names[i]));
        const tbl *t = cat_table(c, names[i]);
        assert_non_null(t);
        assert_string_equal(t->name, names[i]);
        assert_true(t->caption[0] != '\0');
    }
    char buf[32];
    assert_int_equal(cat_table_name(c, 16, buf, sizeof buf), -1);
    static const char *const bad[] = {"step/0", "step/7", "step/", "step/01", "Step/1", "logit", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(cat_has_table(c, bad[i]));
        assert_null(cat_table(c, bad[i]));
    }
    lb_err e;
    err_clear(&e);
    assert_null(cat_table_build(c, "stpe/4", &e));
    assert_string_equal(e.msg,
                        "unknown table 'stpe/4' (known: logits, reshape, step/1..step/6, summary, "
                        "confidence, logp, bce, multiclass, grad, gdstep, randce)");
    /* lazily built once, then cached */
    assert_ptr_equal(cat_table(c, "step/3"), cat_table(c, "step/3"));
    tbl *copy = cat_table_build(c, "step/3", &e);
    assert_non_null(copy);
    assert_ptr_not_equal(copy, cat_table(c, "step/3"));
    tbl_free(copy);
}

static const char *S_cell(const tbl *t, size_t r, size_t col)
{
    const tbl_cell *c = tbl_cell_at(t, r, col);
    if (!c)
        fail_msg("%s: no cell (%zu, %zu)", t->name, r, col);
    return c->text;
}

static void test_step_table(void **state)
{
    const cat *c = CAT(state);
    const tbl *t = cat_table(c, "step/4");
    assert_int_equal(t->ncols, 7);
    assert_int_equal(t->nrows, 6);
    assert_string_equal(t->header[2], "$z_j$");
    assert_string_equal(t->header[4], "$e^{z_j}$");
    assert_string_equal(t->header[6], "$p_j$");
    assert_int_equal(t->align[4], TBL_DECIMAL);
    assert_non_null(strstr(t->caption, "Position 4"));
    assert_non_null(strstr(t->caption, "= 0.5430$"));
    /* position 4 = logits [1.5, -0.5, 2.3, 0.0, 0.1], target 2 ("sat") */
    assert_string_equal(S_cell(t, 2, 1), "sat");
    assert_string_equal(S_cell(t, 2, 2), "2.3");
    assert_string_equal(S_cell(t, 0, 3), "-0.8");
    assert_string_equal(S_cell(t, 2, 4), "9.9742");
    assert_string_equal(S_cell(t, 2, 5), "1.0000");
    assert_string_equal(S_cell(t, 2, 6), "0.5810");
    assert_true(t->rows[2].mark && tbl_cell_at(t, 2, 6)->mark);
    assert_false(t->rows[1].mark);
    assert_true(fabs(tbl_cell_at(t, 2, 4)->value - 9.97418245481471896818689305330) < 1e-14);
    /* the sum row: 17.1676 (not the 16.1676 of a widely copied hand calculation) */
    assert_true(t->rows[5].total);
    assert_string_equal(S_cell(t, 5, 0), "$\\sum$");
    assert_string_equal(S_cell(t, 5, 4), "17.1676");
    assert_string_equal(S_cell(t, 5, 6), "1.0000");
    assert_non_null(strstr(t->note, "m = \\max_j z_j = 2.3"));
}

static void test_other_tables(void **state)
{
    const cat *c = CAT(state);
    const tbl *t = cat_table(c, "summary");
    assert_int_equal(t->nrows, 7);
    static const char *const loss[6] = {"0.5321", "0.4230", "0.5921", "0.5430", "0.7609", "1.7563"};
    for (size_t r = 0; r < 6; r++)
        assert_string_equal(S_cell(t, r, 7), loss[r]);
    assert_string_equal(S_cell(t, 3, 5), "17.1676");
    assert_string_equal(S_cell(t, 5, 4), "cat");
    assert_string_equal(S_cell(t, 6, 0), "mean");
    assert_string_equal(S_cell(t, 6, 7), "0.7679");
    assert_true(t->rows[6].total);

    t = cat_table(c, "logp");
    assert_int_equal(t->nrows, 8);
    assert_string_equal(S_cell(t, 0, 0), "0.01");
    assert_string_equal(S_cell(t, 0, 1), "-4.6052");
    assert_string_equal(S_cell(t, 0, 2), "4.6052");
    assert_string_equal(S_cell(t, 3, 1), "-1.2040");
    assert_string_equal(S_cell(t, 7, 0), "1.00");
    assert_string_equal(S_cell(t, 7, 1), "0.0000");
    assert_string_equal(S_cell(t, 7, 2), "0.0000");

    /* the scenarios change position 1's target logit 2.0 against the
     * strongest other, 1.0 (tests/ref/examples_reference.py) */
    t = cat_table(c, "confidence");
    assert_int_equal(t->nrows, 4);
    assert_string_equal(S_cell(t, 0, 0), "as given");
    assert_string_equal(S_cell(t, 0, 1), "2.0");
    assert_string_equal(S_cell(t, 0, 2), "1.0");
    assert_string_equal(S_cell(t, 0, 4), "0.5321");
    assert_string_equal(S_cell(t, 1, 0), "leads by 3");
    assert_string_equal(S_cell(t, 1, 1), "4.0");
    assert_string_equal(S_cell(t, 1, 3), "0.9132");
    assert_string_equal(S_cell(t, 3, 1), "0.0");
    assert_string_equal(S_cell(t, 3, 4), "1.8232");

    t = cat_table(c, "bce");
    assert_string_equal(S_cell(t, 0, 0), "0.7");
    assert_string_equal(S_cell(t, 0, 1), "1");
    assert_string_equal(S_cell(t, 0, 2), "0.3567");
    assert_string_equal(S_cell(t, 2, 2), "1.6094");

    t = cat_table(c, "multiclass");
    assert_string_equal(S_cell(t, 0, 0), "$[0.1, 0.2, 0.7]$");
    assert_string_equal(S_cell(t, 0, 1), "2");
    assert_string_equal(S_cell(t, 0, 3), "0.3567");
    assert_string_equal(S_cell(t, 1, 1), "0");
    assert_string_equal(S_cell(t, 1, 2), "0.1");
    assert_string_equal(S_cell(t, 1, 3), "2.3026");

    t = cat_table(c, "grad");
    assert_non_null(strstr(t->note, "divides by $N = 6$"));
    assert_string_equal(S_cell(t, 5, 3), "-0.8273");
    assert_true(tbl_cell_at(t, 5, 3)->mark);
    assert_string_equal(S_cell(t, 5, 7), "0.0000");   /* row sum, no "-0" */

    t = cat_table(c, "gdstep");
    assert_int_equal(t->nrows, 7);
    assert_non_null(strstr(t->caption, "$\\eta = 2$"));
    assert_string_equal(S_cell(t, 6, 2), "0.7679");
    assert_string_equal(S_cell(t, 6, 3), "0.6451");
    assert_string_equal(S_cell(t, 6, 4), "-0.1228");
    assert_string_equal(S_cell(t, 5, 3), "1.4269");

    t = cat_table(c, "logits");
    assert_int_equal(t->ncols, 9);
    assert_string_equal(t->header[3], "$z_{0}$");
    assert_string_equal(S_cell(t, 0, 3), "2.0");
    assert_string_equal(S_cell(t, 1, 7), "0.0");
    assert_string_equal(S_cell(t, 3, 1), "2");   /* n = 4 is b = 2, t = 1 */
    assert_string_equal(S_cell(t, 3, 2), "1");
    assert_string_equal(S_cell(t, 3, 8), "2");
    assert_true(tbl_cell_at(t, 3, 5)->mark);

    t = cat_table(c, "reshape");
    assert_int_equal(t->nrows, 6);
    assert_string_equal(S_cell(t, 3, 0), "2");
    assert_string_equal(S_cell(t, 3, 1), "1");
    assert_string_equal(S_cell(t, 3, 2), "4");
    assert_string_equal(S_cell(t, 3, 3), "3");
    assert_string_equal(S_cell(t, 3, 5), "sat");
}

/* Values added with the declared catalog (the table cells that were
 * computed inline before).  Position 4 = logits [1.5, -0.5, 2.3, 0.0, 0.1]
 * (b = 2, t = 1), m = 2.3: z_0 - m = -0.8, e^{z_2 - m} = e^0 = 1. */
static void test_declared_values(void **state)
{
    const cat *c = CAT(state);
    static const char *const want[][2] = {
        {"pos.b/4", "2"}, {"pos.t/4", "1"}, {"pos.index/4", "3"}, {"pos.index/1", "0"},
        {"z.shift/4/0", "-0.8"}, {"z.shift/4/2", "0.0"}, {"expz.shift/4/2", "1.0000"},
        {"loss.change/6", "-0.3294"}, {"gd.loss.change", "-0.1228"},
        {"multiclass.dist/2", "$[0.1, 0.2, 0.7]$"}, {"bce.y/3", "1"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *got = S_val(c, want[i][0]);
        if (strcmp(got, want[i][1]) != 0)
            fail_msg("%s = '%s', want '%s'", want[i][0], got, want[i][1]);
    }
    /* the error list spells every argument's range */
    const char *known = cat_known_values(c);
    static const char *const ranges[] = {"z/1..6/0..4", "tokenname/0..4", "logp.p/1..8",
                                         "scen.{given,lead,level,trail}.z", "bce.q/1..3",
                                         "multiclass/{2,0}", "gd.loss.change"};
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (!strstr(known, ranges[i]))
            fail_msg("known values lack '%s': %s", ranges[i], known);
    assert_false(cat_has_value(c, "scen.high.p"));   /* not a scenario */
    assert_false(cat_has_value(c, "pos.b/7"));
}

/* Expected column count of a declaration, counted from the declaration
 * alone: one per column, or one per element (at most CAT_MAX_EACH) of a
 * repeated one. */
static size_t S_decl_cols(const ex_model *m, const cat_table_decl *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->ncols; i++) {
        if (d->cols[i].when && !d->cols[i].when(m))
            continue;
        if (!d->cols[i].each) {
            n++;
            continue;
        }
        assert_int_equal(d->cols[i].each, 'J');   /* the only repeat the tables use */
        n += m->V < CAT_MAX_EACH ? m->V : CAT_MAX_EACH;
    }
    return n;
}

/* Every declared table: the declarations pass the check, and the built
 * table has the declared columns, a header each, a filled cell wherever the
 * declaration names a source, and a total row exactly when declared. */
static void S_check_decls(const ex_model *m)
{
    lb_err e;
    err_clear(&e);
    if (cat_build_check(m, cat_decl_tables, cat_decl_ntables, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(cat_decl_ntables, 11);
    for (size_t i = 0; i < cat_decl_ntables; i++) {
        const cat_table_decl *d = &cat_decl_tables[i];
        tbl *t = cat_build_table(m, d, 0, NULL, &e);
        if (!t)
            fail_msg("%s: %s", d->name, e.msg);
        assert_int_equal(t->ncols, S_decl_cols(m, d));
        for (size_t c = 0; c < t->ncols; c++)
            if (!t->header[c][0])
                fail_msg("%s: column %zu has no header", d->name, c + 1);
        assert_true(t->nrows >= 1 + (size_t)!!d->total);
        for (size_t r = 0; r < t->nrows; r++) {
            /* a cut in a picked list: "..." alone in the first column */
            if (d->pick && !strcmp(t->rows[r].cells[0].text, "\xe2\x80\xa6")) {
                for (size_t k = 1; k < t->ncols; k++)
                    assert_string_equal(t->rows[r].cells[k].text, "");
                continue;
            }
            int is_total = d->total && r == t->nrows - 1;
            int is_rest = d->rest && t->rows[r].total && !is_total;
            assert_int_equal(t->rows[r].total, is_total || is_rest);
            size_t c = 0;
            for (size_t k = 0; k < d->ncols; k++) {
                const cat_col *col = &d->cols[k];
                if (col->when && !col->when(m))
                    continue;
                const cat_cell *cl = is_total ? &col->total : is_rest ? &col->rest : &col->cell;
                size_t reps = col->each ? S_decl_cols(m, &(cat_table_decl){.cols = col, .ncols = 1}) : 1;
                for (size_t x = 0; x < reps; x++, c++) {
                    int has_source = cl->value || cl->arg || (cl->text && cl->text[0]);
                    if (has_source != (t->rows[r].cells[c].text[0] != '\0'))
                        fail_msg("%s: row %zu column %zu: cell '%s' does not match its declaration",
                                 d->name, r + 1, c + 1, t->rows[r].cells[c].text);
                }
            }
            assert_int_equal(c, t->ncols);
        }
        tbl_free(t);
    }
}

static void test_declarations(void **state)
{
    S_check_decls(((void **)*state)[0]);
}

/* A table added by declaration alone: rows over positions (cut to 4), the
 * argument, two values, a total row, placeholders in caption and note. */
static const cat_col S_top_cols[] = {
    {.head = "$n$", .align = TBL_RIGHT, .cell = {.arg = 'K'}, .total = {.text = "mean"}},
    {.head = "token", .align = TBL_LEFT, .cell = {.value = "token/{K}"}},
    {.head = "loss", .align = TBL_DECIMAL, .cell = {.value = "loss/{K}", .fmt = CAT_CELL_DIGITS(2)},
     .total = {.value = "loss.mean", .mark = CAT_MARK_ALWAYS}},
};
static const cat_table_decl S_top = {
    .name = "top", .caption = "Losses of $N = %{shape.N}$ positions, mean %{loss.mean:2}",
    .note = "Position %{loss/1:1} first.", .rows = 'K', .rows_max = 4, .total = 1,
    .cols = S_top_cols, .ncols = 3,
};

static void test_new_table(void **state)
{
    const ex_model *m = ((void **)*state)[0];
    lb_err e;
    err_clear(&e);
    assert_int_equal(cat_build_check(m, &S_top, 1, &e), 0);
    tbl *t = cat_build_table(m, &S_top, 0, NULL, &e);
    assert_non_null(t);
    assert_string_equal(t->name, "top");
    assert_string_equal(t->caption, "Losses of $N = 6$ positions, mean 0.77");
    /* loss/1 = 0.53214 -> "0.5" with :1; then the generic cut remark */
    assert_string_equal(t->note, "Position 0.5 first. The first 4 of 6 positions are shown.");
    assert_int_equal(t->nrows, 5);
    assert_string_equal(S_cell(t, 3, 0), "4");
    assert_string_equal(S_cell(t, 3, 1), "sat");
    assert_string_equal(S_cell(t, 3, 2), "0.54");   /* 0.54302 at 2 digits */
    assert_true(tbl_cell_at(t, 3, 0)->is_int);
    assert_string_equal(S_cell(t, 4, 0), "mean");
    assert_string_equal(S_cell(t, 4, 2), "0.7679");
    assert_true(tbl_cell_at(t, 4, 2)->mark && t->rows[4].total);
    tbl_free(t);
}

/* Inconsistent declarations are refused, naming table and column. */
static void test_bad_declarations(void **state)
{
    const ex_model *m = ((void **)*state)[0];
    static const cat_col undeclared[] = {{.head = "x", .cell = {.value = "lossx/{K}"}}};
    static const cat_col unbound[] = {{.head = "x", .cell = {.value = "loss/{K}"}}};
    static const cat_col target[] = {{.head = "x", .cell = {.value = "loss/{K}", .mark = CAT_MARK_TARGET}}};
    static const cat_col total[] = {{.head = "x", .cell = {.arg = 'K'}, .total = {.text = "sum"}}};
    static const cat_col sum_bound[] = {{.head = "x", .cell = {.value = "p/{K}/{J}", .sum = 'J'}}};
    static const cat_col two[] = {{.head = "x", .cell = {.arg = 'K'}, .total = {.text = "a", .arg = 'K'}}};
    static const cat_col head[] = {{.head = "$z_{%{J}}$", .cell = {.arg = 'K'}}};
    static const cat_col fine[] = {{.head = "x", .cell = {.arg = 'K'}}};
    static const cat_col head_each[] = {{.head = "$z_{%{J}}$", .cell = {.arg = 'K'}, .each = 'J'}};
    static const struct { cat_table_decl d; const char *want; } bad[] = {
        {{.name = "a", .caption = "c", .note = "", .rows = 'K', .cols = undeclared, .ncols = 1},
         "table 'a': column 1: value 'lossx/{K}' is not declared"},
        {{.name = "b", .caption = "c", .note = "", .rows = 'L', .cols = unbound, .ncols = 1},
         "slot {K} of 'loss/{K}' is not bound"},
        {{.name = "c", .caption = "c", .note = "", .rows = 'K', .cols = target, .ncols = 1},
         "marked at the target but K and J are not both bound"},
        {{.name = "d", .caption = "c", .note = "", .rows = 'K', .cols = total, .ncols = 1},
         "column 1 has a total cell but the table no total row"},
        {{.name = "e/{K}", .caption = "c", .note = "", .rows = 'J', .cols = sum_bound, .ncols = 1},
         "sums over {J}"},
        {{.name = "f", .caption = "c", .note = "", .rows = 'K', .total = 1, .cols = two, .ncols = 1},
         "names 2 sources"},
        {{.name = "g", .caption = "c", .note = "", .rows = 'K', .cols = head, .ncols = 1},
         "%{J}: argument J is not bound here"},
        {{.name = "h/{K}/{J}", .caption = "c", .note = "", .rows = 'K', .cols = fine, .ncols = 1},
         "at most one slot"},
        {{.name = "i", .caption = "%{nope}", .note = "", .rows = 'K', .cols = fine, .ncols = 1},
         "%{nope}: no such value"},
        {{.name = "j", .caption = "c", .note = "%{loss.mean:x}", .rows = 'K', .cols = fine, .ncols = 1},
         "bad format ':x'"},
        {{.name = "k", .caption = "c", .note = "%{loss/{K}", .rows = 'K', .cols = fine, .ncols = 1},
         "unclosed %{"},
        {{.name = "l", .caption = "c", .note = "", .rows = 'Z', .cols = fine, .ncols = 1},
         "rows run over 'Z'"},
        {{.name = "m", .caption = "c", .note = "", .rows = 'K', .mark_row = CAT_MARK_TARGET,
          .cols = fine, .ncols = 1}, "needs rows over J and the argument K"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lb_err e;
        err_clear(&e);
        assert_int_equal(cat_build_check(m, &bad[i].d, 1, &e), -1);
        assert_int_equal(e.code, LB_EXIT_RUNTIME);
        if (strncmp(e.msg, "catalog declaration: table '", 28) != 0 || !strstr(e.msg, bad[i].want))
            fail_msg("%s: got '%s', want '%s'", bad[i].d.name, e.msg, bad[i].want);
    }
    /* the same shapes, made consistent, pass */
    static const cat_table_decl good[] = {
        {.name = "b", .caption = "c", .note = "", .rows = 'K', .cols = unbound, .ncols = 1},
        {.name = "d", .caption = "c", .note = "", .rows = 'K', .total = 1, .cols = total, .ncols = 1},
        {.name = "e/{K}", .caption = "%{K}", .note = "", .rows = 'L', .cols = sum_bound, .ncols = 1},
        {.name = "g", .caption = "c", .note = "", .rows = 'K', .cols = head_each, .ncols = 1},
    };
    lb_err e;
    err_clear(&e);
    if (cat_build_check(m, good, sizeof good / sizeof good[0], &e) != 0)
        fail_msg("%s", e.msg);
    /* duplicates are refused too */
    static const cat_table_decl twice[] = {
        {.name = "b", .caption = "c", .note = "", .rows = 'K', .cols = fine, .ncols = 1},
        {.name = "b", .caption = "c", .note = "", .rows = 'K', .cols = fine, .ncols = 1},
    };
    assert_int_equal(cat_build_check(m, twice, 2, &e), -1);
    assert_non_null(strstr(e.msg, "declared twice"));
}

/* A larger, unnamed example: N = 2000, V = 20 (tables capped, step tables lazy). */
static void test_large(void **state)
{
    (void)state;
    size_t cap = 2000 * 20 * 4 + 20000;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t len = 0;
    len += (size_t)snprintf(buf + len, cap - len, "{\"logits\": [");
    for (int b = 0; b < 20; b++) {
        len += (size_t)snprintf(buf + len, cap - len, "%s[", b ? "," : "");
        for (int t = 0; t < 100; t++) {
            len += (size_t)snprintf(buf + len, cap - len, "%s[", t ? "," : "");
            for (int j = 0; j < 20; j++)
                len += (size_t)snprintf(buf + len, cap - len, "%s%d", j ? "," : "", j % 3);
            len += (size_t)snprintf(buf + len, cap - len, "]");
        }
        len += (size_t)snprintf(buf + len, cap - len, "]");
    }
    len += (size_t)snprintf(buf + len, cap - len, "], \"targets\": [");
    for (int b = 0; b < 20; b++) {
        len += (size_t)snprintf(buf + len, cap - len, "%s[", b ? "," : "");
        for (int t = 0; t < 100; t++)
            len += (size_t)snprintf(buf + len, cap - len, "%s%d", t ? "," : "", 19);
        len += (size_t)snprintf(buf + len, cap - len, "]");
    }
    len += (size_t)snprintf(buf + len, cap - len, "]}");
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load_buf(buf, len, "large", &e);
    free(buf);
    if (!m)
        fail_msg("%s", e.msg);
    assert_int_equal(ex_compute(m, &e), 0);
    cat *c = cat_new(m, &e);
    assert_non_null(c);
    assert_int_equal(cat_table_count(c), 10 + 2000);
    /* the first 12 positions and the mean: the 3 with the highest -log
     * p_target are among them (every row is the same: the first ones win) */
    const tbl *t = cat_table(c, "summary");
    assert_int_equal(t->nrows, 12 + 1);
    assert_non_null(strstr(t->note, "Positions 13 to 2000 are left out (the 3 with the highest"));
    t = cat_table(c, "summary?first=2&worst=0");
    assert_int_equal(t->nrows, 2 + 1);
    assert_non_null(strstr(t->note, "Positions 3 to 2000 are left out"));
    t = cat_table(c, "logits");
    assert_int_equal(t->ncols, 3 + 12 + 1);
    assert_non_null(strstr(t->note, "The first 12 of 20 tokens are shown."));
    /* V = 20 > 10: the five most probable tokens (logit 2: j = 2, 5, 8, 11,
     * 14), the target 19 after them, the rest, the sum */
    t = cat_table(c, "step/2000");
    assert_non_null(t);
    assert_int_equal(t->nrows, 5 + 1 + 1 + 1);
    assert_string_equal(S_cell(t, 0, 0), "2");
    assert_string_equal(S_cell(t, 4, 0), "14");
    /* unnamed tokens: no token column, the index says it all */
    assert_int_equal(t->ncols, 6);
    assert_string_equal(S_cell(t, 5, 0), "19");
    assert_string_equal(S_cell(t, 6, 0), "others");
    /* the others: one logit 2, six 1s, seven 0s of the row's seven 0s, seven
     * 1s and six 2s, so p = (e^2 + 6e + 7) / (7 + 7e + 6e^2)
     * = 0.436295331045905974652048998224 (mpmath) */
    assert_string_equal(S_cell(t, 6, 5), "0.4363");
    assert_non_null(strstr(t->note, "The 5 most probable tokens and the target are listed"));
    assert_non_null(strstr(cat_known_tables(c), "step/1..step/2000"));
    /* every row is [0,1,2,0,1,2,...] (j % 3), target 19 (logit 1): by hand the
     * loss is ln(7 + 7e + 6e^2) - 1 (7 zeros, 7 ones, 6 twos) = python3
     * decimal 3.253657741854832078027113206755140350873 */
    char v[64];
    assert_int_equal(cat_value_format(c, "loss.mean?digits=6", v, sizeof v, &e), 0);
    assert_string_equal(v, "3.253658");
    S_check_decls(m);   /* V = 20: token columns cut to CAT_MAX_EACH */
    cat_free(c);
    ex_free(m);
}

static void test_uncomputed(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    const char txt[] = "{\"logits\": [[[0, 0]]], \"targets\": [[1]]}";
    ex_model *m = ex_load_buf(txt, sizeof txt - 1, "mem", &e);
    assert_non_null(m);
    assert_null(cat_new(m, &e));
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    ex_free(m);
    cat_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declared_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declarations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_declarations, setup, teardown),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_uncomputed),
    };
    return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}

/* Fuzz target: the JSON example reader (ex_load_buf), then everything that
 * consumes a loaded example: ex_compute and the catalog (tables, values).
 * Inputs are JSON text. */
#include "fuzz.h"
#include "compute/catalog.h"
#include "compute/example.h"
#include "compute/table.h"

int fz_example_init(void);
int fz_example_one(const uint8_t *data, size_t size);

int fz_example_init(void)
{
    return 0;
}

/* Values whose formatting walks the per-position records (first and last
 * position, a token name, a query). */
static const char *const S_values[] = {
    "loss.mean", "loss.sum", "loss/1", "ptarget/1", "token/1", "tokenname/0",
    "z/1/1", "grad/1/1", "gd.loss.after", "loss.mean?digits=17", "shape.N",
};

int fz_example_one(const uint8_t *data, size_t size)
{
    lb_err e;
    err_clear(&e);
    cat *c = NULL;
    ex_model *m = ex_load_buf((const char *)data, size, "fuzz.json", &e);
    if (!m) {
        fz_check_err(&e);
        return 0;
    }
    if (ex_compute(m, &e) != 0) {
        fz_check_err(&e);
        goto out;
    }
    if (!(c = cat_new(m, &e))) {
        fz_check_err(&e);
        goto out;
    }
    char buf[256], name[64];
    for (size_t i = 0; i < sizeof S_values / sizeof S_values[0]; i++) {
        lb_err ve;
        err_clear(&ve);
        if (cat_value_format(c, S_values[i], buf, sizeof buf, &ve) != 0)
            fz_check_err(&ve);
    }
    /* The fixed tables and the first and last step table (building all of
     * them is the data writer's job and would only slow fuzzing down). */
    size_t nt = cat_table_count(c);
    for (size_t i = 0; i < nt; i++) {
        if (i > 16 && i + 1 < nt)
            continue;
        if (cat_table_name(c, i, name, sizeof name) != 0)
            continue;
        lb_err te;
        err_clear(&te);
        tbl *t = cat_table_build(c, name, &te);
        if (!t)
            fz_check_err(&te);
        tbl_free(t);
    }
out:
    cat_free(c);
    ex_free(m);
    return 0;
}

FZ_TARGET(example)

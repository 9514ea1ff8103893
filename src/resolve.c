/* resolve — directive names checked against the catalog (see resolve.h). */
#include <stdio.h>
#include "figures.h"
#include "resolve.h"

int res_error_at(const doc *d, const doc_node *n, const lb_err *tmp,
                 lb_err *e)
{
    int code = tmp->code ? tmp->code : LB_EXIT_INPUT;
    return err_at(e, code, d->path, n->line, n->col, "%s",
                  tmp->msg[0] ? tmp->msg : "bad directive");
}

int res_check(const doc *d, const cat *c, lb_err *e)
{
    if (!d || !c)
        return err_set(e, LB_EXIT_RUNTIME, "res_check: no document or "
                       "catalog");
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
        switch (n->type) {
        case DOC_FIGURE:
            /* the figure catalogue (h2) is the one source of names */
            if (!fig_find(n->name))
                return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                              "unknown figure '%s' (known: %s)", n->name,
                              fig_known_names());
            break;
        case DOC_GENTABLE:
            if (!cat_has_table(c, n->name))
                return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                              "unknown table '%s' (known: %s)", n->name,
                              cat_known_tables(c));
            break;
        case DOC_VALUE: {
            char buf[256];
            lb_err tmp;
            err_clear(&tmp);
            if (cat_value_format(c, n->spec, buf, sizeof buf, &tmp) < 0)
                return res_error_at(d, n, &tmp, e);
            break;
        }
        default:
            break;
        }
    }
    return 0;
}

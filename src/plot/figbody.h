/* figbody — the built-in figures' own gnuplot code (figbody.c), one entry
 * per figure of the catalogue (figures.c): figures.c writes the common
 * settings and the three-pass loop, and calls `setup` before the loop and
 * `plot` inside it.  Nothing here allocates for the caller.
 */
#ifndef LB_PLOT_FIGBODY_H
#define LB_PLOT_FIGBODY_H

#include <stdio.h>
#include "plot/figures.h"

typedef struct figbody {
    const char *name;
    /* Script lines before the loop; o may be NULL.  0, or -1: out of memory. */
    int (*setup)(FILE *f, const fig_opts *o);
    /* The plot command(s), indented for the loop's body. */
    void (*plot)(FILE *f);
} figbody;

/* The built-in figure `name`, or NULL (borrowed, static). */
const figbody *figbody_find(const char *name);

#endif

/* figbody — the built-in figures' own gnuplot code, declared in one table:
 * for each figure what it sets up (labels, ranges, arrows, the points
 * figure's callouts) and the plot command that runs inside the three-pass
 * loop figures.c writes around it.  See figbody.h.
 *
 * Ownership: writes to the caller's FILE*; quoted strings from gpquote_string are
 * freed before returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/figbody.h"
#include "plot/gnuplot.h"
#include "plot/gpquote.h"

/* Labels of the points figure: at most this many get a callout (more would
 * not fit; the handout shows a summary for big examples). */
#define S_MAX_CALLOUTS 12

static int S_exp(FILE *f, const fig_opts *o)
{
    (void)o;
    fputs("set xlabel '{/:Italic x}'\n"
          "set ylabel '{/:Italic y}'\n"
          "set xrange [-2:2]\n"
          "set yrange [-0.8:8]\n"
          "set xtics 0.5\n"
          "set ytics 1\n"
          "set key top left\n"
          "set arrow 1 from -2,0 to 2,0 nohead ls 9\n"
          "set label 1 'asymptote {/:Italic y} = 0:  e^{/:Italic x} > 0 for "
          "every {/:Italic x},  e^{/:Italic x} \xe2\x86\x92 0 as "
          "{/:Italic x} \xe2\x86\x92 \xe2\x88\x92\xe2\x88\x9e' "
          "at 1.95,-0.38 right font ',8'\n"
          "set label 2 '(0, 1):  e^0 = 1' at 0,1 right offset char -0.8,0.9 "
          "point ls 10\n"
          "set label 3 sprintf('(1, e):  e^1 = e = %.4f\xe2\x80\xa6', exp(1)) "
          "at 1,exp(1) right offset char -0.8,0.9 point ls 10\n",
          f);
    return 0;
}

static void S_exp_plot(FILE *f)
{
    fputs("    plot data using 1:2 with lines ls 1 "
          "title '{/:Italic y} = e^{/:Italic x}'\n",
          f);
}

static int S_softmax3(FILE *f, const fig_opts *o)
{
    (void)o;
    fputs("set xlabel '{/:Italic z}   (logit of class 3; "
          "the logits are [2, 1, {/:Italic z}])'\n"
          "set ylabel 'probability'\n"
          "set xrange [-2:2]\n"
          "set yrange [0:1]\n"
          "set xtics 0.5\n"
          "set ytics 0.2\n"
          "set key top center horizontal maxrows 1 width 1\n"
          "# where curves cross: p2 = p3 at z = 1, p1 = p3 at z = 2\n"
          "c23 = exp(1) / (exp(2) + 2*exp(1))\n"
          "c13 = exp(2) / (2*exp(2) + exp(1))\n"
          "set arrow 1 from 1,0 to 1,c23 nohead ls 9\n"
          "set label 1 '{/:Italic p}_2 = {/:Italic p}_3 at {/:Italic z} = 1' "
          "at 1,c23 left offset char 0.6,-1.1 point ls 10 font ',8'\n"
          "set label 2 '{/:Italic p}_1 = {/:Italic p}_3 at {/:Italic z} = 2' "
          "at 1.95,0.66 right font ',8'\n"
          "set arrow 2 from 1.96,0.635 to 2,c13 head size char 0.5,20 "
          "lc rgb '#555555' lw 0.7\n"
          "set object 2 circle at 2,c13 size char 0.3 fs solid fc ls 10 "
          "front\n"
          "set label 3 '{/:Italic p}_1 + {/:Italic p}_2 + {/:Italic p}_3 = 1 "
          "for every {/:Italic z}' at -1.9,0.47 left font ',8'\n",
          f);
    return 0;
}

static void S_softmax3_plot(FILE *f)
{
    fputs("    plot data using 1:2 with lines ls 1 "
          "title '{/:Italic p}_1  ({/:Italic z}_1 = 2)', \\\n"
          "         '' using 1:3 with lines ls 2 "
          "title '{/:Italic p}_2  ({/:Italic z}_2 = 1)', \\\n"
          "         '' using 1:4 with lines ls 3 "
          "title '{/:Italic p}_3  ({/:Italic z}_3 = {/:Italic z})'\n",
          f);
}

static int S_softmax4(FILE *f, const fig_opts *o)
{
    (void)o;
    fputs("set xlabel '{/:Italic z}   (logit of classes 3 and 4; "
          "the logits are [2, 1, {/:Italic z}, {/:Italic z}])'\n"
          "set ylabel 'probability'\n"
          "set xrange [-2:2]\n"
          "set yrange [0:1]\n"
          "set xtics 0.5\n"
          "set ytics 0.2\n"
          "set key top left horizontal maxrows 2 width 1\n"
          "c234 = exp(1) / (exp(2) + 3*exp(1))\n"
          "set arrow 1 from 1,0 to 1,c234 nohead ls 9\n"
          "set label 1 '{/:Italic p}_2 = {/:Italic p}_3 = {/:Italic p}_4 at "
          "{/:Italic z} = 1' at -0.6,0.38 left font ',8'\n"
          "set arrow 2 from 0.45,0.355 to 1,c234 head size char 0.5,20 "
          "lc rgb '#555555' lw 0.7\n"
          "set object 2 circle at 1,c234 size char 0.3 fs solid fc ls 10 "
          "front\n"
          "set label 2 '{/:Italic z}_3 = {/:Italic z}_4, so "
          "{/:Italic p}_3 = {/:Italic p}_4: the two curves coincide' "
          "at -1.9,0.49 left font ',8'\n"
          "set arrow 3 from -1.45,0.465 to -1.2,0.04 head size char 0.5,20 "
          "lc rgb '#555555' lw 0.7\n",
          f);
    return 0;
}

static void S_softmax4_plot(FILE *f)
{
    /* p3 as a wide light band, p4 as a dark dash-dot line with open circles
     * on top of it: both stay visible although they coincide. */
    fputs("    plot data using 1:2 with lines ls 1 "
          "title '{/:Italic p}_1  ({/:Italic z}_1 = 2)', \\\n"
          "         '' using 1:3 with lines ls 2 "
          "title '{/:Italic p}_2  ({/:Italic z}_2 = 1)', \\\n"
          "         '' using 1:4 with lines ls 8 "
          "title '{/:Italic p}_3  ({/:Italic z}_3 = {/:Italic z})', \\\n"
          "         '' using 1:5 with linespoints ls 4 pointinterval 25 "
          "title '{/:Italic p}_4  ({/:Italic z}_4 = {/:Italic z})'\n",
          f);
}

static int S_logp(FILE *f, const fig_opts *o)
{
    (void)o;
    fputs("set xlabel '{/:Italic p}'\n"
          "set ylabel 'value'\n"
          "set xrange [0:1]\n"
          "set yrange [-5:5]\n"
          "set xtics 0.1\n"
          "set ytics 1\n"
          "set key top right\n"
          "set arrow 1 from 0,0 to 1,0 nohead ls 9\n"
          "set label 1 '{/:Italic p} = 1:  log 1 = 0' at 1,0 right "
          "offset char -0.8,-1.0 point ls 10 font ',8'\n"
          "set label 2 'log {/:Italic p} < 0 for {/:Italic p} < 1' "
          "at 0.3,log(0.3) left offset char 1.0,-0.8 font ',8'\n"
          "set label 3 '\xe2\x88\x92log {/:Italic p} > 0: the loss' "
          "at 0.3,-log(0.3) left offset char 1.0,0.8 font ',8'\n",
          f);
    return 0;
}

static void S_logp_plot(FILE *f)
{
    fputs("    plot data using 1:2 with lines ls 1 "
          "title 'log {/:Italic p}', \\\n"
          "         '' using 1:3 with lines ls 2 "
          "title '\xe2\x88\x92log {/:Italic p}'\n",
          f);
}

static int S_neglogp(FILE *f, const fig_opts *o)
{
    (void)o;
    fputs("set xlabel '{/:Italic p}   (probability of the target)'\n"
          "set ylabel '\xe2\x88\x92log {/:Italic p}'\n"
          "set xrange [0:1]\n"
          "set yrange [0:10]\n"
          "set xtics 0.1\n"
          "set ytics 2\n"
          "set key top right\n"
          "# a few values, computed here from the function itself\n"
          "do for [k = 1:4] {\n"
          "    pk = word('0.9 0.5 0.1 0.01', k) + 0\n"
          "    set label k sprintf('{/:Italic p} = %g:  %.2f', pk, -log(pk)) "
          "at pk,-log(pk) left offset char 0.9,0.6 point ls 10 font ',8'\n"
          "}\n"
          "set label 1 right offset char -0.4,0.8\n"
          "set label 2 offset char 0.9,1.1\n"
          "set label 5 'steep near {/:Italic p} = 0:' "
          "at graph 0.16,0.74 left font ',8'\n"
          "set label 6 'a confident wrong prediction costs a lot' "
          "at graph 0.16,0.68 left font ',8'\n"
          "set arrow 2 from graph 0.155,0.72 to 0.006,-log(0.006) "
          "head size char 0.5,20 lc rgb '#555555' lw 0.7\n",
          f);
    return 0;
}

static void S_neglogp_plot(FILE *f)
{
    fputs("    plot data using 1:2 with lines ls 1 "
          "title '\xe2\x88\x92log {/:Italic p}'\n",
          f);
}

/* points: callouts are laid out by the script itself from the data, so the
 * script stays standalone: points sorted by loss, labels stacked in a column
 * at the upper right (the free region above the falling curve), each joined
 * to its point by a thin leader line. */
static int S_points(FILE *f, const fig_opts *o)
{
    size_t nl = (o && o->point_labels) ? o->n_point_labels : 0;
    if (nl > 0) {
        fprintf(f, "nlab = %zu\narray L[%zu] = [", nl, nl);
        for (size_t i = 0; i < nl; i++) {
            const char *s = o->point_labels[i] ? o->point_labels[i] : "";
            char *q = gpquote_string(s, GPQUOTE_ENHANCED);
            if (!q)
                return -1;
            fprintf(f, "%s%s", i ? ", " : "", q);
            free(q);
        }
        fputs("]\n", f);
    } else {
        fputs("nlab = 0\narray L[1] = ['']\n", f);
    }
    fprintf(f, "T = %zu\n", o ? o->seq_len : 0);
    /* before any range is set: stats leaves out values outside it */
    fputs("# the mean of every position is column 4 (the data may be a sample);\n"
          "# a file with three columns has them all\n"
          "stats data using (valid(4) ? $4 : $3) name 'M' nooutput\n", f);
    fprintf(f,
            "set xlabel '{/:Italic p}_{target}'\n"
            "set ylabel '\xe2\x88\x92log {/:Italic p}_{target}'\n"
            "set xrange [0:1]\n"
            "set xtics 0.1\n"
            "set key bottom left width 0.5\n"
            "stats data using 3 name 'S' nooutput\n"
            "ymax = (S_max == S_max && S_max < 24) ? S_max : 24\n"
            "ymax = ymax * 1.3 < 2 ? 2 : ymax * 1.3\n"
            "set yrange [0:ymax]\n"

            "# callouts for the first few points only (the sort below is\n"
            "# quadratic, and more labels would not fit)\n"
            "N = S_records < %d ? S_records : %d\n"
            "if (N >= 1) {\n"
            "    array X[N]\n"
            "    array Y[N]\n"
            "    array K[N]\n"
            "    array O[N]\n"
            "    i = 0\n"
            "    stats data every ::0::(N - 1) using (i = i + 1, X[i] = $2, Y[i] = $3, "
            "K[i] = int($1), 0) nooutput\n"
            "    do for [j = 1:N] { O[j] = j }\n"
            "    # sort by loss, largest first\n"
            "    do for [a = 1:N-1] {\n"
            "        do for [b = 1:N-a] {\n"
            "            if (Y[O[b]] < Y[O[b+1]]) { t = O[b]; O[b] = O[b+1]; "
            "O[b+1] = t }\n"
            "        }\n"
            "    }\n"
            "    ptname(k) = (K[k] >= 1 && K[k] <= nlab) ? L[K[k]] : "
            "(T > 0 ? sprintf('b%%d,t%%d', (K[k] - 1) / T + 1, "
            "(K[k] - 1) %% T + 1) : sprintf('%%d', K[k]))\n"
            "    pfmt(x) = (x > 0 && x < 0.001) ? sprintf('%%.1e', x) : "
            "sprintf('%%.3f', x)\n"
            "    ptlabel(k) = ptname(k) . '  (' . pfmt(X[k]) . "
            "sprintf(', %%.3f)', Y[k])\n"
            "    # the column starts where its longest label still fits\n"
            "    # (8 pt text: about 0.0135 of the plot width per character)\n"
            "    wmax = 0\n"
            "    do for [k = 1:N] { wmax = strlen(ptlabel(k)) > wmax ? "
            "strlen(ptlabel(k)) : wmax }\n"
            "    colx = 0.985 - 0.0135 * wmax\n"
            "    colx = colx > 0.69 ? 0.69 : (colx < 0.2 ? 0.2 : colx)\n"
            "    step = N > 1 ? (0.92 - 0.45) / (N - 1) : 0\n"
            "    step = step > 0.075 ? 0.075 : step\n"
            "    do for [j = 1:N] {\n"
            "        k = O[j]\n"
            "        yl = 0.92 - (j - 1) * step\n"
            "        if (Y[k] == Y[k] && abs(Y[k]) < 1e300) {\n"
            "            set label 100+j ptlabel(k) "
            "at graph colx, graph yl left offset char 0.3,0 font ',8'\n"
            "            set arrow 100+j from first X[k], first Y[k] "
            "to graph colx, graph yl nohead lc rgb '#9a9a9a' lw 0.5\n"
            "        } else {\n"
            "            # p = 0: the loss is +inf, off the chart; say so\n"
            "            set label 100+j ptname(k) . '  (' . pfmt(X[k]) . "
            "', +\xe2\x88\x9e)' "
            "at graph colx, graph yl left offset char 0.3,0 font ',8'\n"
            "            set arrow 100+j from graph colx, graph yl "
            "to first X[k], graph 1 head size char 0.5,20 "
            "lc rgb '#9a9a9a' lw 0.5\n"
            "        }\n"
            "    }\n"
            "}\n",
            S_MAX_CALLOUTS, S_MAX_CALLOUTS);
    return 0;
}

/* losshist: bars of the histogram, the mean and ln V as vertical lines
 * (constant columns 4 and 5 of the data). */
static int S_losshist(FILE *f, const fig_opts *o)
{
    (void)o;
    fputs("set xlabel '\xe2\x88\x92log {/:Italic p}_{target}'\n"
          "set ylabel 'positions'\n"
          "set key top right\n"
          "stats data using 4 name 'M' nooutput\n"
          "stats data using 5 name 'L' nooutput\n"
          "stats data using 2 name 'X' nooutput\n"
          "stats data using 3 name 'C' nooutput\n"
          "xr = X_max > L_min * 1.08 ? X_max : L_min * 1.08\n"
          "set xrange [0:xr]\n"
          "set yrange [0:C_max * 1.25 + 1]\n"
          "set style fill solid 1.0 border lc rgb '#1b4f9c'\n"
          "set arrow 1 from first M_min, graph 0 to first M_min, graph 1 nohead front ls 2\n"
          "set arrow 2 from first L_min, graph 0 to first L_min, graph 1 nohead front ls 3\n",
          f);
    return 0;
}

static void S_losshist_plot(FILE *f)
{
    fputs("    plot data using (($1 + $2) / 2):3:($2 - $1) with boxes lc rgb '#9cc3e6' "
          "title 'positions', \\\n"
          "         NaN with lines ls 2 title sprintf('mean %.4f', M_min), \\\n"
          "         NaN with lines ls 3 title sprintf('ln {/:Italic V} = %.4f', L_min)\n",
          f);
}

/* randce: loss of random logits against V, logarithmic V axis. */
static int S_randce(FILE *f, const fig_opts *o)
{
    (void)o;
    fputs("set logscale x 10\n"
          "set format x '10^{%L}'\n"
          "set xlabel 'vocabulary size {/:Italic V}'\n"
          "set ylabel 'loss (nats)'\n"
          "set key top left\n"
          "stats data using 1 name 'V' nooutput\n"
          "set xrange [1.5:V_max * 1.6]\n"
          "set yrange [0:*]\n",
          f);
    return 0;
}

static void S_randce_plot(FILE *f)
{
    fputs("    plot data using 1:2 with linespoints ls 1 pt 7 ps 0.45 "
          "title 'ln {/:Italic V} (uniform guess)', \\\n"
          "         data using 1:3 with linespoints ls 2 pt 5 ps 0.45 "
          "title 'random logits, {/:Italic \xcf\x83} = 1', \\\n"
          "         data using 1:4 with linespoints ls 4 pt 9 ps 0.5 "
          "title 'random logits, {/:Italic \xcf\x83} = 2', \\\n"
          "         data using 1:5 with lines ls 9 "
          "title 'ln {/:Italic V} + {/:Italic \xcf\x83}^2/2', \\\n"
          "         data using 1:6 with lines ls 9 notitle\n",
          f);
}

static void S_points_plot(FILE *f)
{
    /* sampled in t = log p so the curve reaches the top of any y range */
    fputs("    plot sample [t=-ymax:0] '+' using (exp($1)):(-$1) "
          "with lines ls 1 title '\xe2\x88\x92log {/:Italic p}', \\\n"
          "         M_mean with lines ls 2 lw 1.0 "
          "title (M_mean < 1e300 ? sprintf('mean %.4f', M_mean) : "
          "'mean +\xe2\x88\x9e'), \\\n"
          "         data using 2:3 with points pt 7 ps 0.75 "
          "lc rgb '#c0392b' title 'positions'\n",
          f);
}

static const figbody S_BODIES[] = {
    {"exp", S_exp, S_exp_plot},
    {"softmax3", S_softmax3, S_softmax3_plot},
    {"softmax4", S_softmax4, S_softmax4_plot},
    {"logp", S_logp, S_logp_plot},
    {"neglogp", S_neglogp, S_neglogp_plot},
    {"points", S_points, S_points_plot},
    {"losshist", S_losshist, S_losshist_plot},
    {"randce", S_randce, S_randce_plot},
};

const figbody *figbody_find(const char *name)
{
    for (size_t i = 0; i < sizeof S_BODIES / sizeof S_BODIES[0]; i++)
        if (strcmp(S_BODIES[i].name, name) == 0)
            return &S_BODIES[i];
    return NULL;
}

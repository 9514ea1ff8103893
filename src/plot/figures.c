/* figures — the figure catalogue and its gnuplot scripts.  See figures.h.
 *
 * Each script sets everything it needs (it must also run on its own), then
 * renders twice in a loop: pass 1 pngcairo 1600x1000 with fontscale 3,
 * linewidth 4 and pointscale 3 (measured: pngcairo sets fonts for 96 dpi, so
 * fontscale 3 gives 9 pt text at 4 px per pt; pointscale 3 makes points the size the
 * svg terminal draws them), pass 2 svg 400x250 at 9 pt.  Margins are fixed
 * in screen fractions so both outputs have the same layout (the terminals
 * measure text differently, automatic margins would differ).
 *
 * Ownership: scripts are written through a FILE* owned by S_write_one; all
 * quoted strings are malloc'd by gp_quote and freed before returning.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fcheck.h"
#include "plot/figures.h"
#include "plot/gnuplot.h"

/* Titles are gnuplot enhanced text (our own constants, quoted anyway);
 * captions are for the document and may hold $TeX$. */
static const fig_info S_FIGS[] = {
    {"exp", "The exponential function {/:Italic y} = e^{/:Italic x}",
     "The exponential $y = e^x$ on $[-2, 2]$: always positive, $e^0 = 1$, "
     "and $e^x \\to 0$ as $x \\to -\\infty$ without ever reaching it."},
    {"softmax3",
     "softmax([2, 1, {/:Italic z}]): three classes share probability 1",
     "Softmax probabilities of the logits $[2, 1, z]$ as $z$ varies: raising "
     "one logit takes probability from all the others; $p_2 = p_3$ at "
     "$z = 1$ and $p_1 = p_3$ at $z = 2$."},
    {"softmax4",
     "softmax([2, 1, {/:Italic z}, {/:Italic z}]): equal logits, equal "
     "probabilities",
     "Softmax of $[2, 1, z, z]$: classes 3 and 4 have the same logit, so "
     "their probabilities coincide for every $z$."},
    {"logp", "log {/:Italic p} and \xe2\x88\x92log {/:Italic p} on (0, 1]",
     "$\\log p$ (never positive) and its mirror image $-\\log p$ (never "
     "negative) for $p \\in (0, 1]$; both are 0 at $p = 1$."},
    {"neglogp",
     "\xe2\x88\x92log {/:Italic p}: the loss grows without bound as "
     "{/:Italic p} \xe2\x86\x92 0",
     "The loss $-\\log p$ on $[10^{-4}, 1]$: small for confident correct "
     "predictions, steep near $p = 0$."},
    {"points",
     "Worked example: the loss of each position on \xe2\x88\x92log "
     "{/:Italic p}",
     "Each position of the worked example at $(p_{\\text{target}}, "
     "-\\log p_{\\text{target}})$ on the curve $-\\log p$; the dashed line "
     "is the mean loss."},
    {"losshist",
     "Worked example: how the losses are spread",
     "Histogram of $-\\log p_{\\text{target}}$ over the positions of the "
     "example, with the mean and $\\ln V$ marked."},
    {"randce",
     "Random logits against the uniform guess ln {/:Italic V}",
     "The loss of random logits $z_j \\sim \\mathcal{N}(0, \\sigma^2)$ against the "
     "vocabulary size $V$, with the uniform guess $\\ln V$ and the bounds "
     "$\\ln V + \\sigma^2/2$."},
};

#define S_NFIGS (sizeof S_FIGS / sizeof S_FIGS[0])

/* Labels of the points figure: at most this many get a callout (more would
 * not fit; the handout shows a summary for big examples). */
#define S_MAX_CALLOUTS 12

size_t fig_count(void)
{
    return S_NFIGS;
}

const fig_info *fig_at(size_t i)
{
    return i < S_NFIGS ? &S_FIGS[i] : NULL;
}

const fig_info *fig_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < S_NFIGS; i++)
        if (strcmp(S_FIGS[i].name, name) == 0)
            return &S_FIGS[i];
    return NULL;
}

const char *fig_known_names(void)
{
    return "exp, softmax3, softmax4, logp, neglogp, points, losshist, randce";
}

/* ---- script text -------------------------------------------------------- */

/* Settings shared by every figure: fonts, margins, grid, line styles.
 * Line styles differ in dash pattern and lightness as well as hue, so they
 * read in grey print. */
static const char S_COMMON[] =
    "set encoding utf8\n"
    "set minussign\n"
    "set samples 500\n"
    "set lmargin at screen 0.115\n"
    "set rmargin at screen 0.975\n"
    "set bmargin at screen 0.175\n"
    "set tmargin at screen 0.875\n"
    "set border 3 lw 0.8 lc rgb '#333333'\n"
    "set tics nomirror out scale 0.5 textcolor rgb '#222222'\n"
    "set grid xtics ytics back lt 1 lw 0.4 lc rgb '#d8d8d8'\n"
    "set key opaque box lc rgb '#c8c8c8' lw 0.5 reverse Left samplen 2.5 "
    "spacing 1.1 width 0.5 height 0.3\n"
    "set title offset 0,-0.7 font ',10.5'\n"
    "set xlabel offset 0,0.6\n"
    "set ylabel offset 1.2,0\n"
    "# 1: dark blue solid, 2: orange dashed, 3: green dotted,\n"
    "# 4: dark red dash-dot, 8: thick light underlay, 9: grey helper lines\n"
    "set style line 1 lc rgb '#1b4f9c' lw 1.6 dt solid\n"
    "set style line 2 lc rgb '#d9541e' lw 1.6 dt (7,3)\n"
    "set style line 3 lc rgb '#2a8a3a' lw 2.0 dt (1,2.5)\n"
    "set style line 4 lc rgb '#7a1f3d' lw 1.3 dt (7,2,1.5,2) pt 6 ps 0.55\n"
    "set style line 8 lc rgb '#9cc3e6' lw 5.0 dt solid\n"
    "set style line 9 lc rgb '#8c8c8c' lw 0.7 dt (3,3)\n"
    "set style line 10 lc rgb '#222222' pt 7 ps 0.55\n";

/* Opening of the three-pass loop; the figure's plot command follows.
 * PNG passes use butt line caps: with round caps (`rounded`) each dash
 * grows by the line width at both ends and, at 4x line widths, the gaps of
 * every dash pattern closed up (the PNGs showed solid lines).  The dash
 * lengths are the SVG's times 4 (22.4 px + 9.6 px for dt (7,3) at lw 1.6),
 * so the PNG and SVG patterns match: measured, pngcairo scales a pattern by
 * the plot's lw only (7 x 1.6 = 11.2 px), not the terminal's linewidth 4,
 * hence `dashlength 2`.  Pass 1 says `notransparent`: the terminal keeps
 * that option from pass 3 of the previous figure in the same gnuplot.
 * Pass 3, NAME.dark.png, is for dark documentation themes: a transparent
 * background, light text, axes and grid, lighter curve colours (labels are
 * re-coloured by tag; an unused tag only makes an empty label; the marker
 * dots are objects filled with `fc ls 10`, which gnuplot resolves when it
 * draws, so the pass's ls 10 colours them). */
static int S_loop_begin(FILE *f, const char *png_q, const char *svg_q,
                        const char *dark_q)
{
    return fprintf(
        f,
        "\n# pass 1: PNG, the same layout at 4x; pass 2: SVG, 1 unit = 1 pt;\n"
        "# pass 3: PNG with a transparent background for dark pages.\n"
        "# `gnuplot NAME.gp` draws all three; lossbook draws the SVG first\n"
        "# (`call 'NAME.gp' '2'`) and the PNGs in a second gnuplot ('1 3').\n"
        "passes = '1 2 3'\n"
        "if (exists(\"ARGC\") && ARGC >= 1) { passes = ARG1 }\n"
        "do for [p in passes] {\n"
        "    pass = p + 0\n"
        "    if (pass == 1) {\n"
        "        set terminal pngcairo size 1600,1000 enhanced notransparent "
        "font 'Latin Modern Roman,9' fontscale 3 linewidth 4 pointscale 3 "
        "butt dashlength 2\n"
        "        set output %s\n"
        "    } else {\n"
        "    if (pass == 2) {\n"
        "        set terminal svg size 400,250 enhanced "
        "font 'Latin Modern Roman,9' linewidth 1 rounded "
        "background '#ffffff'\n"
        "        set output %s\n"
        "    } else {\n"
        "        set terminal pngcairo size 1600,1000 enhanced transparent "
        "font 'Latin Modern Roman,9' fontscale 3 linewidth 4 pointscale 3 "
        "butt dashlength 2\n"
        "        set output %s\n"
        "        ink = '#e6e6e6'\n"
        "        set border lc rgb '#bdbdbd'\n"
        "        set tics textcolor rgb ink\n"
        "        set grid lc rgb '#4d4d4d'\n"
        "        set key noopaque textcolor rgb ink box lc rgb '#777777'\n"
        "        set title textcolor rgb ink\n"
        "        set xlabel textcolor rgb ink\n"
        "        set ylabel textcolor rgb ink\n"
        "        do for [i = 1:120] { set label i textcolor rgb ink }\n"
        "        set style line 1 lc rgb '#7fb0ff'\n"
        "        set style line 2 lc rgb '#ff9a5c'\n"
        "        set style line 3 lc rgb '#6fd37f'\n"
        "        set style line 4 lc rgb '#f08cb0'\n"
        "        set style line 8 lc rgb '#3d6d9e'\n"
        "        set style line 9 lc rgb '#a0a0a0'\n"
        "        set style line 10 lc rgb ink\n"
        "    }\n"
        "    }\n",
        png_q, svg_q, dark_q);
}

static int S_loop_end(FILE *f)
{
    return fputs("    unset output\n}\n", f);
}

static void S_exp(FILE *f)
{
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
}

static void S_exp_plot(FILE *f)
{
    fputs("    plot data using 1:2 with lines ls 1 "
          "title '{/:Italic y} = e^{/:Italic x}'\n",
          f);
}

static void S_softmax3(FILE *f)
{
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

static void S_softmax4(FILE *f)
{
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

static void S_logp(FILE *f)
{
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
}

static void S_logp_plot(FILE *f)
{
    fputs("    plot data using 1:2 with lines ls 1 "
          "title 'log {/:Italic p}', \\\n"
          "         '' using 1:3 with lines ls 2 "
          "title '\xe2\x88\x92log {/:Italic p}'\n",
          f);
}

static void S_neglogp(FILE *f)
{
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
            char *q = gp_quote(s, GP_QUOTE_ENHANCED);
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
static void S_losshist(FILE *f)
{
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
static void S_randce(FILE *f)
{
    fputs("set logscale x 10\n"
          "set format x '10^{%L}'\n"
          "set xlabel 'vocabulary size {/:Italic V}'\n"
          "set ylabel 'loss (nats)'\n"
          "set key top left\n"
          "stats data using 1 name 'V' nooutput\n"
          "set xrange [1.5:V_max * 1.6]\n"
          "set yrange [0:*]\n",
          f);
}

static void S_randce_plot(FILE *f)
{
    fputs("    plot data using 1:2 with linespoints ls 1 pt 7 ps 0.45 "
          "title 'ln {/:Italic V} (uniform guess)', \\\n"
          "         data using 1:3 with linespoints ls 2 pt 5 ps 0.45 "
          "title 'random logits, {/:Italic \xcf\x83} = 1', \\\n"
          "         data using 1:5 with linespoints ls 4 pt 9 ps 0.5 "
          "title 'random logits, {/:Italic \xcf\x83} = 2', \\\n"
          "         data using 1:7 with lines ls 9 "
          "title 'ln {/:Italic V} + {/:Italic \xcf\x83}^2/2', \\\n"
          "         data using 1:8 with lines ls 9 notitle\n",
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

/* ---- writing ------------------------------------------------------------ */

static char *S_join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

int fig_write_script(const char *figdir, const char *datadir_rel,
                     const fig_info *fig, const fig_opts *opts, lb_err *e)
{
    int rc = -1, fd = -1;
    FILE *f = NULL;
    char *path = NULL, *dat = NULL, *dat_q = NULL, *png = NULL, *png_q = NULL;
    char *svg = NULL, *svg_q = NULL, *title_q = NULL, *stem = NULL;
    char *dark = NULL, *dark_q = NULL;

    if (!figdir || !fig || !fig->name) {
        err_set(e, LB_EXIT_RUNTIME, "fig_write_script: no folder or figure");
        goto out;
    }
    /* Only catalogue names: they become file names and appear unquoted in
     * comments and messages. */
    if (!fig_find(fig->name)) {
        err_set(e, LB_EXIT_RUNTIME, "unknown figure (known: %s)",
                fig_known_names());
        goto out;
    }
    stem = S_join("/", fig->name, ".gp");
    path = stem ? S_join(figdir, stem, "") : NULL;
    dat = S_join(datadir_rel ? datadir_rel : "../data", "/", fig->name);
    char *dat2 = dat ? S_join(dat, ".dat", "") : NULL;
    free(dat);
    dat = dat2;
    png = S_join(fig->name, ".png", "");
    svg = S_join(fig->name, ".svg", "");
    dark = S_join(fig->name, ".dark.png", "");
    if (!path || !dat || !png || !svg || !dark) {
        err_nomem(e);
        goto out;
    }
    dat_q = gp_quote(dat, GP_QUOTE_PLAIN);
    png_q = gp_quote(png, GP_QUOTE_PLAIN);
    svg_q = gp_quote(svg, GP_QUOTE_PLAIN);
    dark_q = gp_quote(dark, GP_QUOTE_PLAIN);
    title_q = gp_quote(fig->title, GP_QUOTE_PLAIN); /* keeps its markup */
    if (!dat_q || !png_q || !svg_q || !dark_q || !title_q) {
        err_nomem(e);
        goto out;
    }

    /* O_NOFOLLOW: never write through a symlink planted in the output. */
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
              0644);
    if (fd < 0) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot write %s: %s",
                fig->name, path, strerror(errno));
        goto out;
    }
    f = fdopen(fd, "w");
    if (!f) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot write %s: %s",
                fig->name, path, strerror(errno));
        goto out;
    }
    fd = -1; /* owned by f now */

    /* No raw caller text in comments either: a newline in it would end
     * the comment and start a command. */
    fprintf(f,
            "# %s.gp -- written by lossbook (src/figures.c).\n"
            "# Run it from this folder:  gnuplot %s.gp\n"
            "# Reads the file named by `data` below; writes %s (1600x1000\n"
            "# px), %s (400x250; one SVG unit = 1 pt at print size) and\n"
            "# %s (transparent, light ink, for dark pages).\n\n",
            fig->name, fig->name, png, svg, dark);
    fputs(S_COMMON, f);
    fprintf(f, "\ndata = %s\nset title %s\n", dat_q, title_q);

    const char *n = fig->name;
    void (*plot)(FILE *) = NULL;
    if (strcmp(n, "exp") == 0) {
        S_exp(f);
        plot = S_exp_plot;
    } else if (strcmp(n, "softmax3") == 0) {
        S_softmax3(f);
        plot = S_softmax3_plot;
    } else if (strcmp(n, "softmax4") == 0) {
        S_softmax4(f);
        plot = S_softmax4_plot;
    } else if (strcmp(n, "logp") == 0) {
        S_logp(f);
        plot = S_logp_plot;
    } else if (strcmp(n, "neglogp") == 0) {
        S_neglogp(f);
        plot = S_neglogp_plot;
    } else if (strcmp(n, "points") == 0) {
        if (S_points(f, opts) < 0) {
            err_nomem(e);
            goto out;
        }
        plot = S_points_plot;
    } else if (strcmp(n, "losshist") == 0) {
        S_losshist(f);
        plot = S_losshist_plot;
    } else if (strcmp(n, "randce") == 0) {
        S_randce(f);
        plot = S_randce_plot;
    } else {
        /* unreachable: fig_find checked the name */
        err_set(e, LB_EXIT_RUNTIME, "unknown figure '%s'", n);
        goto out;
    }
    S_loop_begin(f, png_q, svg_q, dark_q);
    plot(f);
    S_loop_end(f);

    if (ferror(f)) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': %s: write failed: %s",
                fig->name, path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (f && fclose(f) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "figure '%s': %s: write failed: %s",
                     fig->name, path, strerror(errno));
    if (fd >= 0)
        close(fd);
    free(path);
    free(stem);
    free(dat);
    free(dat_q);
    free(png);
    free(png_q);
    free(svg);
    free(svg_q);
    free(dark);
    free(dark_q);
    free(title_q);
    return rc;
}

int fig_write_user_script(const char *figdir, const char *datadir_rel, const fig_user *u,
                          int *code_line, lb_err *e)
{
    int rc = -1, fd = -1;
    FILE *f = NULL;
    char *path = NULL, *png = NULL, *svg = NULL, *dark = NULL, *dd = NULL;
    char *png_q = NULL, *svg_q = NULL, *dark_q = NULL, *dd_q = NULL, *buf = NULL;
    size_t blen = 0;
    *code_line = 0;
    path = S_join(figdir, "/", u->name);
    char *p2 = path ? S_join(path, ".gp", "") : NULL;
    free(path);
    path = p2;
    png = S_join(u->name, ".png", "");
    svg = S_join(u->name, ".svg", "");
    dark = S_join(u->name, ".dark.png", "");
    dd = S_join(datadir_rel ? datadir_rel : "../data", "", "");
    if (!path || !png || !svg || !dark || !dd || !(png_q = gp_quote(png, GP_QUOTE_PLAIN)) ||
        !(svg_q = gp_quote(svg, GP_QUOTE_PLAIN)) || !(dark_q = gp_quote(dark, GP_QUOTE_PLAIN)) ||
        !(dd_q = gp_quote(dd, GP_QUOTE_PLAIN))) {
        err_nomem(e);
        goto out;
    }
    /* the head goes to memory first: its line count says where the code
     * starts, for mapping gnuplot's line numbers back to the template */
    FILE *m = open_memstream(&buf, &blen);
    if (!m) {
        err_nomem(e);
        goto out;
    }
    fprintf(m,
            "# %s.gp -- written by lossbook from a ```gnuplot block of the template\n"
            "# (line %d).  Run it from this folder:  gnuplot %s.gp\n"
            "# Writes %s, %s and %s; the data files are in `datadir`.\n\n",
            u->name, u->src_line, u->name, png, svg, dark);
    fputs(S_COMMON, m);
    fprintf(m, "\ndatadir = %s\n", dd_q);
    S_loop_begin(m, png_q, svg_q, dark_q);
    fputs("# ---- the template's code ----\n", m);
    if (fclose(m) != 0) {
        err_nomem(e);
        goto out;
    }
    int lines = 0;
    for (size_t i = 0; i < blen; i++)
        lines += buf[i] == '\n';
    *code_line = lines + 1;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot write %s: %s", u->name, path,
                strerror(errno));
        goto out;
    }
    fd = -1;
    fwrite(buf, 1, blen, f);
    fputs(u->code, f);
    fputs("\n# ---- end of the template's code ----\n", f);
    S_loop_end(f);
    if (ferror(f)) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': writing %s failed", u->name, path);
        goto out;
    }
    rc = 0;
out:
    if (f && fclose(f) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "figure '%s': writing %s: %s", u->name, path,
                     strerror(errno));
    if (fd >= 0)
        close(fd);
    free(buf);
    free(path);
    free(png);
    free(svg);
    free(dark);
    free(dd);
    free(png_q);
    free(svg_q);
    free(dark_q);
    free(dd_q);
    return rc;
}

/* A gnuplot error in a template figure, moved to the template's line:
 * '... gnuplot: "NAME.gp" line K: msg' -> 'SRC:LINE:1: gnuplot figure
 * 'NAME': msg'. */
int fig_user_error(const fig_user *u, int code_line, lb_err *e)
{
    char msg[sizeof e->msg];
    snprintf(msg, sizeof msg, "%s", e->msg);
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s.gp\" line ", u->name);
    const char *at = strstr(msg, pat);
    /* a figure that never ends or floods the pipe is the code's fault too:
     * at the block's line, exit 2 (other failures -- gnuplot missing, a
     * full disk -- stay ours) */
    static const char tmo[] = "gnuplot did not finish within ", fld[] = "gnuplot printed ";
    const char *t = strstr(msg, tmo), *f = strstr(msg, fld);
    if (!at && t) {
        err_clear(e);
        return err_at(e, LB_EXIT_INPUT, u->src_path, u->src_line, 1,
                      "gnuplot figure '%s' did not finish within %s (expected code that ends: "
                      "a loop that never stops, or a wait? --timeout SECONDS sets the limit)",
                      u->name, t + strlen(tmo));
    }
    if (!at && f) {
        err_clear(e);
        return err_at(e, LB_EXIT_INPUT, u->src_path, u->src_line, 1,
                      "gnuplot figure '%s': %s (expected code that draws without printing "
                      "that much)", u->name, f + strlen("gnuplot "));
    }
    if (!at)
        return -1;   /* not a line-numbered gnuplot message: keep it */
    int k = atoi(at + strlen(pat));
    const char *text = strchr(at + strlen(pat), ':');
    int line = k >= code_line ? u->src_line + (k - code_line) : u->src_line;
    err_clear(e);
    return err_at(e, LB_EXIT_INPUT, u->src_path, line, 1, "gnuplot figure '%s': %s", u->name,
                  text ? text + 2 : msg);
}

/* gnuplot does not report a full disk or a file-size limit: an output that
 * is missing, empty or cut off fails the figure, naming the file and, when
 * it can be told, the reason (fcheck.h).  For a template's own figure (u)
 * a missing or empty file with no such reason means its script drew
 * nothing: the template's error. */
int fig_check_output(const char *figdir, const char *name, const char *ext,
                     const fig_user *u, lb_err *e)
{
    char *mid = S_join("/", name, ext);
    char *path = mid ? S_join(figdir, mid, "") : NULL;
    char why[256], cause[160];
    struct stat st;
    int rc = 0;
    if (!path)
        rc = err_nomem(e);
    else if (fcheck_complete(path, why, sizeof why))
        rc = 0;
    else if (!u || fcheck_cause(path, cause, sizeof cause) ||
             (stat(path, &st) == 0 && st.st_size > 0))
        rc = err_set(e, LB_EXIT_RUNTIME, "figure '%s': %s: gnuplot's output is %s", name, path,
                     why);
    else
        rc = err_at(e, LB_EXIT_INPUT, u->src_path, u->src_line, 1,
                    "gnuplot figure '%s' drew nothing (expected a plot, splot or multiplot "
                    "command)", name);
    free(mid);
    free(path);
    return rc;
}

static int S_complete(const char *figdir, const char *name, const char *ext, lb_err *e)
{
    return fig_check_output(figdir, name, ext, NULL, e);
}

static int S_user_complete(const char *figdir, const fig_user *u, lb_err *e)
{
    return fig_check_output(figdir, u->name, ".png", u, e) != 0 ||
                   fig_check_output(figdir, u->name, ".svg", u, e) != 0 ||
                   fig_check_output(figdir, u->name, ".dark.png", u, e) != 0
               ? -1
               : 0;
}

int fig_render_all(const char *figdir, const char *datadir_rel, int quiet,
                   lb_err *e)
{
    return fig_render_all_opts(figdir, datadir_rel, NULL, quiet, e);
}

int fig_render_all_opts(const char *figdir, const char *datadir_rel,
                        const fig_opts *opts, int quiet, lb_err *e)
{
    int rc = -1;
    gp *g = NULL;
    struct stat st;

    if (!figdir || stat(figdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        err_set(e, LB_EXIT_RUNTIME, "figures folder '%s' does not exist",
                figdir ? figdir : "(null)");
        goto out;
    }
    for (size_t i = 0; i < S_NFIGS; i++)
        if (fig_write_script(figdir, datadir_rel, &S_FIGS[i], opts, e) < 0)
            goto out;

    /* One gnuplot for all figures, working in the figures folder so each
     * script runs exactly as it would by hand. */
    g = gp_new_in(figdir, e);
    if (!g)
        goto out;
    if (opts && opts->timeout_ms > 0)
        gp_set_timeout(g, opts->timeout_ms);
    for (size_t i = 0; i < S_NFIGS; i++) {
        const char *name = S_FIGS[i].name;
        char *script = S_join(name, ".gp", "");
        if (!script) {
            err_nomem(e);
            goto out;
        }
        int r = gp_load(g, script, name, e);
        free(script);
        if (r < 0)
            goto out;
        if (S_complete(figdir, name, ".png", e) != 0 ||
            S_complete(figdir, name, ".svg", e) != 0 ||
            S_complete(figdir, name, ".dark.png", e) != 0)
            goto out;
        if (!quiet)
            fprintf(stderr, "lossbook: figure %-8s -> %s/%s.png, %s.svg\n",
                    name, figdir, name, name);
    }
    /* the template's own figures, after the built-in ones */
    for (size_t i = 0; opts && i < opts->n_user; i++) {
        const fig_user *u = &opts->user[i];
        int code_line = 0;
        if (fig_write_user_script(figdir, datadir_rel, u, &code_line, e) < 0)
            goto out;
        char *script = S_join(u->name, ".gp", "");
        if (!script) {
            err_nomem(e);
            goto out;
        }
        int r = gp_load(g, script, u->name, e);
        free(script);
        if (r < 0) {
            fig_user_error(u, code_line, e);
            goto out;
        }
        if (S_user_complete(figdir, u, e) != 0)
            goto out;
        if (!quiet)
            fprintf(stderr, "lossbook: figure %-8s -> %s/%s.png, %s.svg\n", u->name, figdir,
                    u->name, u->name);
    }
    rc = 0;
out:
    gp_free(g);
    return rc;
}

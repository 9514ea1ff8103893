/* mathbox — print lossbook's box metrics of formulas, one per input line.
 *
 * Input records, each ended by a NUL byte (a formula may span lines):
 * "D<TAB>tex" (display style) or "T<TAB>tex" (text style).  Output, one line per formula:
 * "N W H D" in pt (10 pt body), or "N ERR message".  A development tool of
 * bench/mathcmp/compare.sh (side by side with pdflatex); not built by make. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "math/math.h"

int main(void)
{
    lb_err e = { 0 };
    math_fonts *mf = math_fonts_new(NULL, &e);
    if (!mf) {
        fprintf(stderr, "mathbox: %s\n", e.msg);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int n = 0;
    while ((len = getdelim(&line, &cap, '\0', stdin)) >= 0) {
        if (len > 0 && line[len - 1] == '\0')
            len--;
        n++;
        if (len < 2 || line[1] != '\t') {
            printf("%d ERR bad record\n", n);
            continue;
        }
        int col = 0;
        err_clear(&e);
        math_box *b = math_layout(mf, line + 2, line[0] == 'D' ? MATH_DISPLAY : MATH_TEXT, 10,
                                  &col, &e);
        if (!b) {
            printf("%d ERR col %d: %s\n", n, col, e.msg);
            continue;
        }
        printf("%d %.5f %.5f %.5f\n", n, b->width, b->height, b->depth);
        math_box_free(b);
    }
    free(line);
    math_fonts_free(mf);
    return 0;
}

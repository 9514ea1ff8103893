/* figbench — the PDF half of bench/figures.sh: put figures on PDF pages
 * either as PNG images (the old path) or as vectors from gnuplot's SVG
 * (pdf_svg), and print the wall time in ms.
 * usage: figbench png|svg OUT.pdf FILE... */
#include <hpdf.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "svg/svg.h"
#include "pdf/pdf_svg.h"
#include "pdf/pdf_fonts.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void eh(HPDF_STATUS a, HPDF_STATUS b, void *u)
{
    (void)u;
    fprintf(stderr, "libharu error 0x%04lX (%lu)\n", (unsigned long)a,
            (unsigned long)b);
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "png") && strcmp(argv[1], "svg"))) {
        fprintf(stderr, "usage: figbench png|svg OUT.pdf FILE...\n");
        return 2;
    }
    int svg = argv[1][0] == 's';
    double t0 = now_ms();
    lb_err e;
    err_clear(&e);
    HPDF_Doc pdf = HPDF_New(eh, NULL);
    if (!pdf)
        return 1;
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    pdf_fonts *pf = pdf_fonts_new(pdf, NULL, &e);
    int rc = 0;
    for (int i = 3; i < argc && !rc; i++) {
        HPDF_Page pg = HPDF_AddPage(pdf);
        HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        double w = 400, x = 97, top = 760;
        if (svg) {
            svg_doc *d = svg_parse_file(argv[i], &e);
            pdf_svg_opts o = {0, NULL, pdf};
            if (!d || pdf_svg_draw_opts(pf, pg, d, x, top, w, &o, &e)) {
                fprintf(stderr, "%s\n", e.msg);
                rc = 1;
            }
            svg_doc_free(d);
        } else {
            HPDF_Image im = HPDF_LoadPngImageFromFile(pdf, argv[i]);
            if (!im) {
                rc = 1;
                break;
            }
            double h = w * HPDF_Image_GetHeight(im) / HPDF_Image_GetWidth(im);
            HPDF_Page_DrawImage(pg, im, (HPDF_REAL)x, (HPDF_REAL)(top - h),
                                (HPDF_REAL)w, (HPDF_REAL)h);
        }
    }
    if (!rc && HPDF_SaveToFile(pdf, argv[2]) != HPDF_OK)
        rc = 1;
    pdf_fonts_free(pf);
    HPDF_Free(pdf);
    printf("%.1f\n", now_ms() - t0);
    return rc;
}

/* tfm — TeX Font Metric reader, plus dvips .enc reader.
 *
 * TeX lays math out with TFM metrics: per character width, height, depth and
 * italic correction; the font parameters (fontdimens: sigma 1..22 of a math
 * symbol font, xi 1..13 of the extension font); for lmex10 the charlists
 * (successively larger variants) and extensible recipes (top/mid/bot/rep).
 * All dimensions are returned in em of the design size (multiply by the
 * point size used).  TFM codes are TeX's positions, which differ from the
 * Type 1 codes: map them to glyph NAMES with an .enc file (tfm_enc_load), then
 * to the AFM (afm.h).
 *
 * Ownership: tfm_load returns a font freed with tfm_free; tfm_enc_load
 * returns an encoding freed with tfm_enc_free; returned strings point into it.
 */
#ifndef LB_TFM_H
#define LB_TFM_H

#include <stddef.h>
#include "base/err.h"

typedef struct tfm_font tfm_font;

/* NULL + error (file name and what is wrong) on failure. */
tfm_font *tfm_load(const char *path, lb_err *e);
void tfm_free(tfm_font *f);

double tfm_design_size(const tfm_font *f);        /* points */
int tfm_nparams(const tfm_font *f);
/* Fontdimen n (1-based, as in \fontdimen n).  Param 1 (slant) is unitless;
 * the others are em.  0 if n is out of range. */
double tfm_param(const tfm_font *f, int n);

int tfm_has(const tfm_font *f, int code);         /* 1 if the char exists */
double tfm_width(const tfm_font *f, int code);    /* em; 0 if absent */
double tfm_height(const tfm_font *f, int code);
double tfm_depth(const tfm_font *f, int code);
double tfm_italic(const tfm_font *f, int code);

/* Next larger variant in the charlist, -1 if none. */
int tfm_next_larger(const tfm_font *f, int code);
/* 1 if `code` is extensible; pieces are TFM codes, 0 = absent (rep always
 * present).  Any out pointer may be NULL. */
int tfm_extensible(const tfm_font *f, int code, int *top, int *mid, int *bot,
                   int *rep);
/* The ligature the lig/kern program makes of left and right when it is a
 * plain one (LIG, "=:": both characters replaced by it, as every ligature
 * of the OT1 text fonts), its code; -1 if none (or another kind). */
int tfm_lig(const tfm_font *f, int left, int right);
/* Kern from the lig/kern program between left and right (em), 0 if none. */
double tfm_kern(const tfm_font *f, int left, int right);

/* dvips encoding vector: 256 glyph names ("/.notdef" -> NULL). */
typedef struct tfm_enc tfm_enc;
tfm_enc *tfm_enc_load(const char *path, lb_err *e);
void tfm_enc_free(tfm_enc *enc);
const char *tfm_enc_name(const tfm_enc *enc, int code);   /* NULL if none */
int tfm_enc_code(const tfm_enc *enc, const char *name);  /* -1 if absent */

#endif

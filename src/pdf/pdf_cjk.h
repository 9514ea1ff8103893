/* pdf_cjk — the rules of Chinese line breaking and spacing, as pure
 * functions of code points (no fonts, no libharu), so tests drive them with
 * crafted strings.
 *
 * Classes follow Unicode's line-breaking algorithm (UAX #14) where Chinese
 * typesetting (W3C "Requirements for Chinese Text Layout", GB/T 15834)
 * agrees with it:
 *   ID  ideographs, kana, hangul, full-width letters and digits: a line
 *       may break before and after each;
 *   OP  opening punctuation （「『《〈【〔〖［｛“‘ : never at a line's end;
 *   CL  closing punctuation and stops ，。、；：！？）」』》〉】〕〗］｝”’ :
 *       never at a line's start (UAX #14 CL, CP, EX, IS and the closing
 *       quotation marks, which Chinese text uses as QU-closing);
 *   NS  other non-starters (々 〻 ー ゝ small kana, ・ ～): never at a line's
 *       start;
 *   IN  inseparable: the halves of —— and …… never break apart;
 *   OTHER  anything set in the Latin fonts: letters, digits, math.
 * And the spacing between two neighbours a, b (see pdf_cjk_join):
 *   - between two CJK characters: no space, whatever the source had (a
 *     Markdown line break inside a Chinese paragraph is not a space), and
 *     inter-character glue that only stretches, so lines without spaces
 *     justify;
 *   - full-width punctuation carries its own space: nothing is added on
 *     either side of it, and a source space next to it is dropped;
 *   - between an ideograph and Latin text, digits or a formula: a quarter em
 *     (a source space there becomes that quarter em, not a word space);
 *   - ASCII closing punctuation sticks to what precedes it, ASCII opening
 *     punctuation to what follows.
 *
 * Ownership: pure functions, no state.
 */
#ifndef LB_PDF_CJK_H
#define LB_PDF_CJK_H

enum {
    PDF_CJK_OTHER = 0,   /* set in the Latin fonts */
    PDF_CJK_ID,
    PDF_CJK_OP,
    PDF_CJK_CL,
    PDF_CJK_NS,
    PDF_CJK_IN
};

/* A pseudo code point for a formula or other non-text box next to text
 * (behaves like a Latin letter). */
#define PDF_CJK_BOX 0x110000u

/* The class of `u`.  The quotation marks ‘’“”, the dash — and the
 * ellipsis … get their Chinese (full-width) class here; whether they are
 * full-width depends on their neighbours (pdf_cjk_ambiguous). */
int pdf_cjk_class(unsigned u);
/* 1 when `u` is set in the CJK font (any class but OTHER, ambiguous marks
 * included). */
int pdf_cjk_wide(unsigned u);
/* For the marks whose width depends on the text around them (‘’“”—…):
 * 1 when `u` is full-width between `prev` and `next` (0 = none): an
 * opening quote when the text it opens is CJK, a closing one when the text
 * it closes is, a dash or ellipsis when either neighbour is.  0 for a mark
 * set in the Latin fonts, -1 for any other character. */
int pdf_cjk_ambiguous(unsigned u, unsigned prev, unsigned next);
/* The Latin stand-in of an ambiguous mark set narrow, for pdf_cjk_join_of:
 * an opening quote acts as '(', a closing one as ')', the dash as '-', the
 * ellipsis as '.'.  Other characters are returned unchanged. */
unsigned pdf_cjk_narrow(unsigned u);

/* What goes between two neighbours. */
enum {
    PDF_CJK_J_NONE = 0,  /* nothing (inside a word, or space dropped) */
    PDF_CJK_J_SPACE,     /* an ordinary word space (Latin text) */
    PDF_CJK_J_INTER,     /* inter-character glue: 0 plus stretch */
    PDF_CJK_J_QUARTER    /* a quarter em between CJK and Latin */
};

typedef struct pdf_cjk_join {
    int kind;            /* PDF_CJK_J_* */
    int breakable;       /* 1: a line may end between a and b */
} pdf_cjk_join;

/* The join between `a` (0 at the start of a paragraph) and `b`; `space`
 * is 1 when the source had white space (or a soft line break) between
 * them. */
pdf_cjk_join pdf_cjk_join_of(unsigned a, unsigned b, int space);

/* Punctuation compression between adjacent full-width marks (clreq 3.1.6:
 * "）。" or "，「" take a half em less): 1 when `a` gives up its trailing
 * half (a closing mark followed by a mark), 2 when `b` gives up its
 * leading half (an opening mark after an opening mark), 0 otherwise.
 * The caller compresses only when the glyph's ink fits in the half kept. */
int pdf_cjk_squeeze(unsigned a, unsigned b);

#endif

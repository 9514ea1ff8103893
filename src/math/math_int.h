/* math_int — private interfaces shared by math_fonts.c, math_symbols.c,
 * math_parse.c, math_layout.c and math_array.c.  Not for other modules.
 *
 * Ownership: noad lists belong to their parent (math_mlist_free frees the whole
 * tree); strings in msym/mdelim are static (symbol table) and never freed;
 * N_TEXT text is owned by the noad.
 */
#ifndef LB_MATH_INT_H
#define LB_MATH_INT_H

#include <stddef.h>
#include "math/math.h"

#define MATH_MAX_DEPTH 200   /* nesting bound: deep input cannot blow the stack */

/* Families (TeX's \fam), each available in 3 sizes except EX and BB. */
enum { FAM_RM, FAM_MI, FAM_SY, FAM_EX, FAM_BF, FAM_BMI, FAM_BB, FAM_IT, FAM_SF, FAM_TT,
       FAM_FRAK, FAM_SCR, FAM_COUNT };
/* Families set in a text font (TeX: \fontdimen2 space != 0): no italic
 * correction inside a word, ligatures and kerns between letters. */
#define FAM_IS_TEXT(f) ((f) == FAM_RM || (f) == FAM_BF || (f) == FAM_IT || (f) == FAM_SF \
                        || (f) == FAM_TT)
/* Families in a TrueType font (math_fonts' own metrics; codes are Unicode). */
#define FAM_IS_TTF(f) ((f) == FAM_BB || (f) == FAM_FRAK || (f) == FAM_SCR)

/* Metrics of one glyph, in em of its font (multiply by the font's size). */
typedef struct mgm {
    int font;       /* MATH_F_* */
    int code;       /* PDF code (built-in, an extra slot, or Unicode for BB) */
    double wd, ht, dp, ic;
} mgm;

/* MATH_F_* id for a family at size index 0 (text) / 1 (script) / 2 (sscript). */
int math_fam_font(int fam, int size_index);
/* Design size of a font in pt (10, 7, 5). */
double math_font_design(const math_fonts *mf, int font);
/* Glyph `name` of `font`: 0 and *out filled, or -1 if the font lacks it. */
int math_font_glyph(const math_fonts *mf, int font, const char *name, mgm *out);
/* \fontdimen n of the font, em. */
double math_font_param(const math_fonts *mf, int font, int n);
/* Next larger charlist variant of `name` (static name string or NULL). */
const char *math_font_next(const math_fonts *mf, int font, const char *name);
/* Extensible recipe of `name`: 1 and pieces (top, mid, bot, rep; NULL when
 * absent) or 0. */
int math_font_ext(const math_fonts *mf, int font, const char *name,
                  const char *pieces[4]);
/* Skew (kern with the skewchar) for accent placement, em. */
double math_font_skew(const math_fonts *mf, int font, const char *name);
/* Kern between two glyphs of the font (TFM lig/kern program), em. */
double math_font_kern(const math_fonts *mf, int font, const char *l, const char *r);
/* The ligature glyph the TFM makes of l and r ("ff" of "f" "f"; static
 * name), NULL if none. */
const char *math_font_lig(const math_fonts *mf, int font, const char *l, const char *r);

/* ---- symbols ---------------------------------------------------------- */

/* Atom classes, in TeX's spacing-table order. */
enum { C_ORD, C_OP, C_BIN, C_REL, C_OPEN, C_CLOSE, C_PUNCT, C_INNER };

typedef struct msym { int fam; const char *name; } msym;

/* A delimiter: small variant (fam, name) and large variant in lmex (name).
 * All NULL = the null delimiter "." (width \nulldelimiterspace). */
typedef struct mdelim { int fam; const char *small; const char *large; } mdelim;

enum {
    SK_NONE,        /* not a symbol command */
    SK_SYM,         /* math char: class + sym */
    SK_OP,          /* big operator char (lmex), limits flag in aux */
    SK_OPNAME,      /* \log etc.: name typeset upright, aux = limits */
    SK_DELIM,       /* delimiter usable with \left: class + delim */
    SK_GREEK_UP,    /* uppercase Greek: upright roman, ord */
    SK_DOTS         /* \ldots etc., aux = kind */
};

typedef struct msymdef {
    const char *cmd;     /* without backslash, or the single character */
    int kind;            /* SK_* */
    int cls;             /* C_* */
    msym sym;
    mdelim delim;        /* for SK_DELIM */
    int aux;
} msymdef;

/* Lookup of a control-sequence name (no backslash) or a 1-char string. */
const msymdef *math_sym_find(const char *name, size_t len);
/* The command a UTF-8 character (len bytes) stands for ("α" -> \alpha),
 * or NULL. */
const msymdef *math_sym_unicode(const char *s, size_t len);
/* The glyph name of an ASCII letter/digit ("a", "zero"), static. */
const char *math_sym_char_name(int c);
/* The same for a TrueType family, where a glyph is named by its character
 * ("a", "0"). */
const char *math_sym_char_name_ttf(int c);
/* Number of commands in the table and the i-th (for gallery tests). */
size_t math_sym_count(void);
const msymdef *math_sym_at(size_t i);

/* ---- noads ------------------------------------------------------------ */

enum {
    N_ATOM,      /* class in cls, nucleus in nk */
    N_FRAC,      /* num/den; fstyle */
    N_RAD,       /* sqrt of list */
    N_ACC,       /* accent over list */
    N_LR,        /* \left d0 seg0 \middle d1 seg1 ... \right dn */
    N_SPACE,     /* kern: amount in mu (mu != 0) or em of text font */
    N_ARRAY,     /* environment */
    N_UBRACE,    /* \underbrace{list} / \overbrace: op with limits */
    N_STYLE,     /* \displaystyle etc.: style in aux */
    /* constructions of math_build.c, each around `list` */
    N_BOXED,     /* \boxed: \fbox of the list in display style */
    N_PHANTOM,   /* aux: PH_* (\phantom \hphantom \vphantom \smash) */
    N_UNDERLINE, /* \underline (rule 10) */
    N_OVERARROW, /* \overrightarrow etc.: aux 0 right, 1 left, 2 both */
    N_XARROW,    /* \xrightarrow[den]{list}: aux 0 right, 1 left */
    N_PMB,       /* \pmb: three offset copies */
    N_PENALTY,   /* \allowbreak (0), \nobreak (10000): penalty in `space` */
    N_VEREQ,     /* \cong: list[0] over list[1] (plain TeX's \@vereq) */
    N_CANCEL     /* \cancel{list}: a stroke across it, the box unchanged */
};

enum { PH_FULL, PH_H, PH_V, PH_SMASH, PH_SMASH_T, PH_SMASH_B };

enum { NK_EMPTY, NK_SYM, NK_LIST, NK_TEXT, NK_DELIM,
       NK_BOX };  /* empty box of bw x (bh + bd) pt at 10 pt (\strut) */

enum { ENV_MATRIX, ENV_PMATRIX, ENV_BMATRIX, ENV_VMATRIX, ENV_CASES,
       ENV_ALIGNED, ENV_ARRAY, ENV_BBMATRIX, ENV_VVMATRIX, ENV_SMALLMATRIX,
       ENV_GATHERED };

typedef struct mlist mlist;

typedef struct mnoad {
    int type;            /* N_* */
    int cls;             /* C_* used for spacing */
    int col;             /* 1-based column in the source */
    int nk;              /* nucleus kind (N_ATOM) */
    msym sym;            /* NK_SYM */
    mlist *list;         /* NK_LIST; N_RAD/N_ACC/N_UBRACE body; N_FRAC num */
    mlist *den;          /* N_FRAC */
    char *text;          /* NK_TEXT (owned), UTF-8; N_ARRAY: array's
                            column types ("lcr|") */
    int text_fam;        /* NK_TEXT: FAM_RM, FAM_BF, FAM_IT ... */
    int text_icr;        /* NK_TEXT: ends with its last character's
                            italic correction (LaTeX's \check@icr) */
    int text_src;        /* NK_TEXT: text is the source from col on */
    mdelim delim;        /* NK_DELIM (\big...) */
    double big;          /* NK_DELIM: plain TeX box height at 10 pt */
    mlist *sup, *sub;
    int limits;          /* 0 default, 1 \limits, 2 \nolimits */
    int op_limits;       /* default: limits in display style */
    int fstyle;          /* N_FRAC: -1 current, 0 display, 2 text */
    msym acc;            /* N_ACC */
    int acc_wide;
    int nseg;            /* N_LR: segments */
    mlist **segs;
    mdelim *delims;      /* nseg + 1 */
    double space;        /* N_SPACE */
    int space_mu;
    int env;             /* N_ARRAY */
    int rows, cols;
    mlist **cells;       /* rows * cols, NULL = empty cell */
    int aux;
    int primed;          /* sup holds only primes so far (x'^2) */
    int boxed;           /* NK_LIST set in an \hbox (\boldsymbol): not a char */
    int textmath;        /* NK_LIST: math inside \text, laid out in text
                            style at the size of the style around it */
    int as_op;           /* laid out as an Op with limits whatever its class
                            (\overset, \underset, \stackrel) */
    int smash;           /* nucleus box gets height and depth 0 (\relbar) */
    double space2;       /* N_SPACE aux 2: amount outside display style */
    double space_st, space_sh; /* N_SPACE: stretch and shrink, same unit as
                            `space` (\: \; are TeX's stretchable mu glue) */
    double bw, bh, bd;   /* NK_BOX */
    int frac_norule;     /* N_FRAC: 1 no bar (\atop, \binom) */
    mdelim fdl, fdr;     /* N_FRAC: delimiters (\binom); .small NULL = none */
    int has_fdelim;
    const char *actual;  /* static: the atom's linear text (composites: "⟶") */
    unsigned color;      /* \color: 0 or MATH_RGB_SET | 0xRRGGBB (math.h) */
} mnoad;

struct mlist {
    mnoad *v;
    int n, cap;
};

void math_mlist_free(mlist *l);

/* Parse `tex` into a noad list.  NULL + LB_EXIT_INPUT error + *err_col.
 * `display`: \tag, \label, \notag and the equation environment are
 * allowed, and recorded in *meta (zeroed first; may be NULL); refs
 * resolves \eqref / \ref (may be NULL). */
mlist *math_parse(const char *tex, int display, math_meta *meta, const math_refs *refs,
                  int *err_col, lb_err *e);

/* The formula's linear Unicode text (math_text.c), malloc'd; NULL on out
 * of memory. */
char *math_text_linear(const mlist *l, int display);
/* The linear text of noads [from, to) of l, read in `style` (0 display, 2
 * text, ... as math_hlist): a piece of a formula broken across lines.
 * `lead`: an operand precedes the piece (a Bin it starts with is binary:
 * "+ b", not "+b"); `trail`: one follows it ("a +", not "a+"). */
char *math_text_sub(const mlist *l, int from, int to, int style, int lead, int trail);

/* ---- boxes ------------------------------------------------------------ */

typedef struct mitem {
    int kind;            /* 0 glyph, 1 rule */
    int font, code;
    double x, y, w, h, size;  /* glyph: x,y,size; rule: x,y,w,h */
    double slant;        /* rule: top edge shifted right (math_rule) */
    unsigned color;      /* 0 or MATH_RGB_SET | 0xRRGGBB */
} mitem;

typedef struct mbox {
    double w, h, d;
    mitem *it;
    int n, cap;
    double ic;           /* italic correction when the box is one char */
    int is_char;         /* one character: script rule 18a uses u = v = 0 */
    const char *chname;  /* that character's glyph name (for skew) */
    int chfont;
} mbox;

mbox *math_mbox_new(void);
void math_mbox_free(mbox *b);
/* Append b's items shifted by (dx, dy) to a; -1 on out of memory. */
int math_mbox_put(mbox *a, const mbox *b, double dx, double dy);
int math_mbox_glyph(mbox *a, int font, int code, double x, double y, double size);
int math_mbox_rule(mbox *a, double x, double y, double w, double h);

/* Layout context shared by math_layout.c, math_box.c and math_array.c. */
typedef struct mctx mctx;
/* Converts a cell's math list to a box (math_hlist_lead in math_layout.c).
 * math_array.c reaches it through mctx.hlist, not by name: arrays hold math
 * lists and math lists hold arrays, but the files stay one above the other
 * (math_layout.c calls math_array.c, never the reverse). */
typedef mbox *(*math_hlist_fn)(mctx *c, const mlist *l, int style, int lead_ord);

/* The top level of a formula as math_hlist_lead lays it out (TeX's hlist
 * after mlist_to_hlist): boxes (mitem ranges of the result), inter-atom
 * and explicit glue, and breakpoint penalties.  math_layout turns it into
 * math_item (math.h). */
typedef struct mtopit {
    int kind;            /* MATH_I_* */
    double x, w, h, d, st, sh, pen;
    int it0, it1;        /* box: mitems [it0, it1) of the result */
    int noad;            /* box: index of its noad in the top-level list */
} mtopit;

typedef struct mtop {
    mtopit *v;
    int n, cap;
    int display;         /* breaks before Bin/Rel (display) or after (inline) */
    int oom;
} mtop;

struct mctx {
    const math_fonts *mf;
    math_hlist_fn hlist; /* set by math_layout; used for array cells */
    double scale;        /* size_pt / 10 */
    lb_err *e;
    int *err_col;
    int depth;
    mtop *top;           /* records the outermost list (NULL: do not) */
};

/* Styles: D=0 D'=1 T=2 T'=3 S=4 S'=5 SS=6 SS'=7 */
mbox *math_hlist(mctx *c, const mlist *l, int style);
/* Same, spaced as if an Ord atom preceded the list (aligned cells "{}=") */
mbox *math_hlist_lead(mctx *c, const mlist *l, int style, int lead_ord);
/* Delimiter of total size >= `size` pt (TeX's var_delimiter), centred on
 * the axis unless `nocenter`. */
mbox *math_delim(mctx *c, const mdelim *d, int style, double size, int nocenter);
/* Sigma parameter n of the symbol font at the style's size, in pt. */
double math_sigma(mctx *c, int style, int n);
/* Xi parameter n of lmex10 scaled, pt. */
double math_xi(mctx *c, int n);
/* Size index of a style: 0 text, 1 script, 2 scriptscript. */
int math_si(int style);
/* Point size of family `fam` in `style` (lmex and the TTF included). */
double math_fsize(mctx *c, int fam, int style);
/* Error helpers: "glyph 'x' is not available" (LB_EXIT_INPUT at col) and
 * out of memory; both return NULL. */
mbox *math_fail_glyph(mctx *c, int col, const char *what, const char *name);
mbox *math_nomem(mctx *c);
/* One-glyph boxes (TFM height/depth/italic, AFM width). */
mbox *math_glyph_box(mctx *c, int font, const char *name, double size, int col);
mbox *math_char_box(mctx *c, msym s, int style, int col);
/* Move the contents of b up by dy (adjusting h and d); b is no char any more. */
mbox *math_mbox_shift(mbox *b, double dy);
/* One noad (not N_STYLE, N_SPACE, N_PENALTY) in `style` (math_noad.c):
 * its box with scripts and limits.  NULL + error (*c->err_col set). */
mbox *math_noad(mctx *c, const mnoad *q, int style);
/* Lay out an environment noad (math_array.c). */
mbox *math_array(mctx *c, const mnoad *q, int style);
/* Lay out a construction noad (N_BOXED .. N_PMB) or dots / braces
 * (math_build.c).  NULL + error. */
mbox *math_build(mctx *c, const mnoad *q, int style);
mbox *math_build_dots(mctx *c, const mnoad *q, int style);
mbox *math_build_brace(mctx *c, const mnoad *q);
/* Text (\text) in roman at the style's size.  fam: FAM_RM, FAM_BF or -1
 * (italic), | MATH_TEXT_OPNAME for \operatorname (spaces ignored), |
 * MATH_TEXT_ICR to end with the last character's italic correction (also
 * when spaces follow it: LaTeX's \sw@slant puts it before the space). */
#define MATH_TEXT_OPNAME 0x100
#define MATH_TEXT_ICR 0x200
/* | MATH_TEXT_SRC: `text` is the formula's own source from column `col` on
 * (a run of nested \text), so an error points at its character. */
#define MATH_TEXT_SRC 0x400
mbox *math_text(mctx *c, const char *text, int fam, int style, int col);

#endif

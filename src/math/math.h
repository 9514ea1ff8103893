/* math — LaTeX math subset -> TeX-style boxes (The TeXbook, Appendix G).
 *
 * math_fonts loads the metrics of the math fonts (AFM for codes, widths and
 * kerns; TFM for heights, depths, italic corrections and the sigma/xi font
 * parameters; a TrueType blackboard-bold font for \mathbb).  math_layout
 * parses one formula (no surrounding $) and lays it out in display or text
 * style at a given body size; the result is a flat list of positioned glyphs
 * and rules that pdf_math_draw (pdf_math.h) draws.  No libharu here.
 *
 * Coordinates: points, relative to the left end of the formula's baseline,
 * y pointing UP.  A glyph's (x, y) is its reference point (origin on the
 * baseline); a rule's (x, y) is its lower-left corner.
 *
 * The subset (everything the handout writes): letters (math italic) and
 * digits (roman); ^ _ and primes '; \frac \dfrac \tfrac \sqrt; \sum \prod
 * \int \oint \coprod \bigcup \bigcap \bigoplus \bigotimes \bigodot \bigvee
 * \bigwedge with \limits/\nolimits; \log \ln \exp \max \min \arg \lim \sup
 * \inf \det \Pr \gcd \limsup \liminf \argmax \argmin \sin \cos \tan ...,
 * \operatorname{..} and \operatorname*{..}; Greek (lower, upper, \var...);
 * fonts \mathcal \mathbb \mathbf \boldsymbol/\bm \mathrm \mathit \mathsf
 * \mathtt (Latin Modern's lmri, lmss, lmtt with TeX's ligatures and kerns:
 * \mathit{diff} forms the ff) \mathfrak \mathscr (KaTeX's TrueType fonts
 * with the eufm and rsfs metrics); text \text \textrm \textbf \textit
 * \textsf \texttt \textup \textnormal \emph \mbox, nested (with LaTeX's
 * italic corrections, \check@icl/\check@icr), with $...$ or \(...\)
 * inside (not yet: series and shape as separate axes, so \textbf inside
 * \textit is upright bold where LaTeX takes bold italic); accents \hat \bar \tilde \vec \dot \ddot \check \breve \acute
 * \grave \widehat \widetilde \overline; relations, binary operators and
 * symbols of math_symbols.c (incl. \neq \notin \not \mapsto \odot \top
 * \nabla \partial \infty \ldots \cdots \vdots \ddots) and amssymb's
 * (\lesssim \gtrsim \varnothing \nleq \triangleq \intercal \checkmark
 * \square \hbar \subsetneq \leqq ... from KaTeX_AMS, math_amssym.inc);
 * \cong (plain TeX's \@vereq); delimiters ( ) [ ] \{ \} | \| \langle
 * \rangle \lvert \rvert \lVert \rVert \lfloor \rfloor \lceil \rceil / with
 * \left \middle \right and \big \Big \bigg \Bigg (+l/r/m); spaces \, \: \;
 * \! \quad \qquad \  ~; \displaystyle etc.; \mathord..\mathinner;
 * environments matrix pmatrix bmatrix vmatrix cases aligned align* (& and
 * \\); \underbrace \overbrace; common Unicode math characters (α, ≈, ∞,
 * −, ...).
 * amsmath and LaTeX (math_pcmd.c, math_penv.c, math_build.c): \binom
 * \dbinom \tbinom \cfrac; \overset \underset \stackrel; \xrightarrow
 * \xleftarrow [below]{above}; \boxed \phantom \hphantom \vphantom
 * \smash[t|b] \underline \overrightarrow \overleftarrow
 * \overleftrightarrow \pmb \mathring; \implies \impliedby \iff
 * \longrightarrow \longleftarrow \longleftrightarrow \Longrightarrow
 * \Longleftarrow \Longleftrightarrow \longmapsto \hookrightarrow
 * \hookleftarrow \coloneqq \leqslant \geqslant \preceq \succeq \models
 * \Uparrow \Downarrow \nearrow ...; \dag \ddag; \bmod \pmod \mod \pod;
 * \iint \iiint; \arcsin \arccos \arctan \sec \csc \cot \coth; \hspace{}
 * \kern \hskip \mkern \mskip; amsmath's dots (\dots \dotsc \dotsb \dotsm
 * \dotso \dotsi); \left< \right>; environments array{lcr|} Bmatrix Vmatrix
 * smallmatrix gathered split alignedat; '%' comments to the end of the
 * line; TeX's infix \over \atop \choose \brack \brace.
 * Colour: \color{name}{...} (MathJax's reading: the argument only, its
 * spacing unchanged), \color{name} (the rest of the group),
 * \textcolor{name}{...} (a group), xcolor's base colour names; \cancel{..}
 * (cancel.sty: a stroke across the box, its size unchanged).
 *
 * Line breaking: \allowbreak and \nobreak; the top level as TeX's line
 * breaker sees it in math_box.items (below).  Equation numbers (displays
 * only): \tag{} \tag*{} \notag \nonumber \label{}, the equation and
 * equation* environments; \eqref{} \ref{} through math_layout_refs.
 *
 * Every box carries its linear Unicode text (math_box.text, math_text.c)
 * for copy and search.
 *
 * Ownership: math_fonts_new -> math_fonts_free; math_layout -> math_box_free.
 * The math_fonts must outlive every pdf_fonts built from it; math_box is
 * independent of the fonts once built.  Strings returned by math_font_* point
 * into the math_fonts.
 */
#ifndef LB_MATH_H
#define LB_MATH_H

#include <stddef.h>
#include "base/err.h"
#include "math/afm.h"
#include "math/tfm.h"

enum { MATH_TEXT = 0, MATH_DISPLAY = 1 };

/* Font ids used in math_glyph.font.  Sizes 10/7/5 are design sizes for the
 * text, script and scriptscript styles (all scaled by size_pt / 10). */
enum {
    MATH_F_LMR10, MATH_F_LMR7, MATH_F_LMR5,       /* upright roman (OT1) */
    MATH_F_LMMI10, MATH_F_LMMI7, MATH_F_LMMI5,    /* math italic */
    MATH_F_LMSY10, MATH_F_LMSY7, MATH_F_LMSY5,    /* symbols, \mathcal */
    MATH_F_LMEX10,                                /* big ops, delimiters */
    MATH_F_LMBX10, MATH_F_LMBX7, MATH_F_LMBX5,    /* \mathbf */
    MATH_F_LMMIB10, MATH_F_LMMIB7, MATH_F_LMMIB5, /* \boldsymbol */
    MATH_F_LMRI10, MATH_F_LMRI7, MATH_F_LMRI5,    /* \mathit \textit \emph (lmri7 at 5) */
    MATH_F_LMSS10, MATH_F_LMSS7, MATH_F_LMSS5,    /* \mathsf \textsf (lmss8 at 7, 5) */
    MATH_F_LMTT10, MATH_F_LMTT7, MATH_F_LMTT5,    /* \mathtt \texttt (lmtt8 at 7, 5) */
    /* TrueType (fonts-katex), drawn in UTF-8, laid out with the TeX metrics
     * of msbm/msam, eufm and rsfs at 10, 7 and 5 pt (math_ttfmetrics.inc) */
    MATH_F_BB, MATH_F_BB7, MATH_F_BB5,            /* \mathbb, amssymb: KaTeX_AMS */
    MATH_F_FRAK, MATH_F_FRAK7, MATH_F_FRAK5,      /* \mathfrak: KaTeX_Fraktur */
    MATH_F_SCR, MATH_F_SCR7, MATH_F_SCR5,         /* \mathscr: KaTeX_Script */
    MATH_F_COUNT
};

typedef struct math_fonts math_fonts;

/* `fontdir` is the texmf fonts root (contains afm/ tfm/ type1/ enc/), NULL
 * for /usr/share/texmf/fonts.  The \mathbb TrueType font is read from
 * $LB_BBFONT or /usr/share/fonts/truetype/katex/KaTeX_AMS-Regular.ttf (also
 * amssymb's symbols), \mathfrak and \mathscr from KaTeX_Fraktur-Regular.ttf
 * and KaTeX_Script-Regular.ttf there (Debian fonts-katex).
 * NULL + error naming the missing/bad file on failure. */
math_fonts *math_fonts_new(const char *fontdir, lb_err *e);
void math_fonts_free(math_fonts *mf);

/* The same load, started in a thread so that the caller can go on (issue
 * 15): math_fonts_start returns at once (NULL + error only when out of
 * memory); math_fonts_finish waits, doing the files not yet begun on the
 * calling thread, and returns what math_fonts_new(fontdir) would, with the
 * same error.  `more` names further AFMs (file bases, as for
 * math_fonts_afm_file, copied) to have ready for math_fonts_afm_file; they
 * may still be loading when math_fonts_finish returns (the first
 * math_fonts_afm_file or math_fonts_free waits for them), and one that
 * cannot be read is reported when asked for.  Every load started must be
 * finished (math_fonts_finish frees the load); between the two calls the
 * load belongs to the worker and nothing of it may be used.  A math_fonts
 * is used on one thread. */
typedef struct math_fonts_load math_fonts_load;
math_fonts_load *math_fonts_start(const char *fontdir, const char *const *more, size_t nmore,
                                  lb_err *e);
math_fonts *math_fonts_finish(math_fonts_load *ld, lb_err *e);

/* The texmf fonts root in use (for pdf_fonts). */
const char *math_fonts_dir(const math_fonts *mf);
/* File base name of font `id` ("lmmi10"), or for MATH_F_BB the TTF path. */
const char *math_font_file(const math_fonts *mf, int id);
int math_font_is_ttf(const math_fonts *mf, int id);
/* AFM of font `id` (NULL for the TTF). */
const afm_font *math_font_afm(const math_fonts *mf, int id);

/* The AFM of the Latin Modern file `base` ("lmr10", "lmtt9", ...) in the
 * fonts folder, parsed at most once per math_fonts: a math font's own AFM
 * when `base` is one, else loaded on first use and kept.  The PDF
 * renderer's text fonts come from here, so no AFM is parsed twice in a run.
 * Owned by mf (valid until math_fonts_free).  NULL + error if unreadable. */
const afm_font *math_fonts_afm_file(const math_fonts *mf, const char *base, lb_err *e);

/* Glyph name behind `code` of Type 1 font `id` as math_glyph uses it (the
 * built-in encoding, or an extra slot 1..31 that pdf_fonts maps to an
 * uncoded glyph with /Differences), NULL if unused or for the TTF. */
const char *math_font_code_name(const math_fonts *mf, int id, int code);
/* Advance of `code` (1/1000 em) for any font id incl. the TTF; 0 if unused. */
double math_font_code_width(const math_fonts *mf, int id, int code);

/* Colours (\color, \textcolor): 0 the page's text colour, else
 * MATH_RGB_SET | 0xRRGGBB. */
#define MATH_RGB_SET 0x1000000u

typedef struct math_glyph {
    int font;        /* MATH_F_* */
    int code;        /* byte in the Type 1 font's built-in encoding; for the
                        TrueType fonts (MATH_F_BB ...) a Unicode code point */
    double x, y;     /* reference point, pt, y up */
    double size;     /* font size in pt */
    unsigned color;  /* 0 or MATH_RGB_SET | 0xRRGGBB */
} math_glyph;

typedef struct math_rule {
    double x, y, w, h;   /* lower-left corner, width, height; pt, y up */
    double slant;        /* the top edge is this much right of the bottom
                            one: a parallelogram (\cancel's stroke); 0 */
    unsigned color;      /* as math_glyph */
} math_rule;

/* The formula's top level as TeX's line breaker sees it (The TeXbook,
 * ch. 18; tex.web §760-767): a sequence of boxes, glue and penalties.
 * Glue: the spaces between atoms (thin 3mu; medium 4mu plus 2mu minus 4mu;
 * thick 5mu plus 5mu; none in script styles where TeX puts none) and the
 * explicit spaces (\, \: \; \quad \kern ..., \: and \; stretching like
 * medium and thick).  Glue inside a formula is never a breakpoint (TeX's
 * auto_breaking is off in math); the penalties are: in text style after a
 * binary operator (\binoppenalty 700) or a relation (\relpenalty 500)
 * unless a relation or a penalty follows; in display style BEFORE a binary
 * operator or relation, the same values (a broken display starts its
 * continuation line with the operator); \allowbreak 0, \nobreak 10000.
 * Nothing inside braces, \left...\right, fractions or environments is
 * split: each top-level atom is one box. */
enum { MATH_I_BOX, MATH_I_GLUE, MATH_I_PENALTY };

typedef struct math_item {
    int kind;                /* MATH_I_* */
    double x;                /* box: left edge at natural width, pt */
    double w, h, d;          /* box; glue: natural width in w */
    double stretch, shrink;  /* glue, pt */
    double penalty;          /* penalty */
    size_t g0, ng;           /* box: its glyphs [g0, g0 + ng) */
    size_t r0, nr;           /* box: its rules [r0, r0 + nr) */
    int col;                 /* box: 1-based column of its source in tex */
    char *text;              /* owned; non-NULL on the first box after a
                                breakpoint: the linear text of the boxes up
                                to the next breakpoint (for /ActualText) */
} math_item;

typedef struct math_box {
    double width, height, depth;   /* pt; depth is positive below baseline */
    math_glyph *glyphs;            /* owned by the box */
    size_t nglyphs;
    math_rule *rules;              /* owned by the box */
    size_t nrules;
    char *text;                    /* owned: the formula as a person types it
                                      in Unicode ("σ(z) = 1/(1 + e^(−z))"),
                                      for the PDF's /ActualText */
    math_item *items;              /* owned: the top level (above), in order;
                                      the boxes' glyph and rule ranges cover
                                      every glyph and rule exactly once */
    size_t nitems;
} math_box;

/* Equation numbers (amsmath): what a display formula says about its own
 * number.  A display is numbered when it is \begin{equation} ...
 * \end{equation}, or holds \label{NAME} or \tag{TEXT}, unless it holds
 * \notag or \nonumber (an explicit \tag is shown all the same).  \tag*
 * prints TEXT without the parentheses.  These commands, \begin{equation}
 * and \begin{equation*} are errors in inline math. */
typedef struct math_meta {
    int numbered;
    char *tag;        /* owned: \tag{...}'s text (text mode, $..$ allowed);
                         NULL: the number is automatic */
    int tag_star;     /* \tag*{...} */
    char *label;      /* owned: \label{...}, NULL when none */
    int label_col;    /* its 1-based column in tex */
} math_meta;

/* The meta of display formula `tex` (parsed, not laid out).  0, or -1 +
 * LB_EXIT_INPUT error + *err_col as math_layout. */
int math_meta_get(const char *tex, math_meta *out, int *err_col, lb_err *e);
void math_meta_clear(math_meta *m);

/* \eqref{NAME} ("(3)") and \ref{NAME} ("3") in a formula: the number the
 * display labelled NAME got, from the document (number(ctx, NAME), NULL
 * when no display has that label: an error at the command). */
typedef struct math_refs {
    const char *(*number)(void *ctx, const char *name);
    void *ctx;
} math_refs;

/* Lay out `tex` (UTF-8, the text between $...$ or $$...$$) in display
 * (MATH_DISPLAY) or text (MATH_TEXT) style with body size `size_pt`.
 * On bad input returns NULL, sets an LB_EXIT_INPUT error whose message
 * names the offending command but carries NO position ("unknown command
 * \foo", "\frac: missing argument", "unbalanced '{'") and sets *err_col
 * (may be NULL) to the 1-based column (UTF-8 characters) of the offending
 * command inside `tex`, so the caller can prefix "FILE:LINE:COL: " (e.g.
 * err_at with the formula's start column + *err_col - 1).  *err_col is 0 for
 * non-input errors (LB_EXIT_RUNTIME, out of memory). */
math_box *math_layout(const math_fonts *mf, const char *tex, int display,
                      double size_pt, int *err_col, lb_err *e);
/* The same with the document's equation labels (refs may be NULL: then
 * every \eqref reads "(??)", as LaTeX prints an unknown reference). */
math_box *math_layout_refs(const math_fonts *mf, const char *tex, int display,
                           double size_pt, const math_refs *refs, int *err_col, lb_err *e);
void math_box_free(math_box *b);

#endif

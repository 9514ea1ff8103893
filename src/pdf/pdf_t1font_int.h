/* pdf_t1font_int.h — the parsed program, shared by pdf_t1font.c (parse,
 * closure) and pdf_t1out.c (writing the subset).  Not for other modules.
 * All offsets index f->plain (the decrypted eexec part) or f->clear. */
#ifndef LB_PDF_T1FONT_INT_H
#define LB_PDF_T1FONT_INT_H

#include <stddef.h>
#include "pdf/pdf_t1font.h"

#define PDF_T1_ROLE_SUBR 1      /* a literal consumed by callsubr */
#define PDF_T1_ROLE_OTHER 2     /* ... by anything else */

typedef struct pdf_t1entry {   /* one Subrs or CharStrings entry of the Private part */
    size_t start, end;     /* its text [start, end) in plain, terminator included */
    size_t rd, rd_len;     /* the RD-like token ("RD", "-|") */
    size_t bin, bin_len;   /* the encrypted charstring */
    size_t term;           /* where the terminator (" NP\n", " ND\n") starts */
    size_t name, name_len; /* CharStrings: the glyph name (without '/') */
    long index;            /* Subrs: the entry's index */
    int keep, walked;
} pdf_t1entry;

struct pdf_t1font {
    unsigned char *clear, *plain, *trailer;   /* one allocation, three views */
    size_t clear_len, plain_len, trailer_len;
    int leniv;
    size_t subrs_num, subrs_num_len;          /* the count after /Subrs */
    pdf_t1entry *subrs;
    size_t nsubrs, subrs_first, subrs_end;
    long subr_max;                            /* largest index, -1 if none */
    long *subr_at;                            /* index -> entry, -1 if absent */
    size_t cs_num, cs_num_len;
    pdf_t1entry *cs;
    size_t ncs, cs_first, cs_end;
    size_t *hash;                             /* glyph name -> cs entry + 1 */
    size_t hash_size;
    const char *enc[256];                     /* built-in encoding, into names */
    char *names;                              /* the encoding's names, NUL-separated */
    int keep_all_subrs;                       /* a callsubr we could not follow */
    int no_renumber;                          /* a subr number we cannot rewrite */
    unsigned long long *role_key;             /* literal prov + 1 -> role bits */
    unsigned char *role;
    size_t role_cap, role_n;
    char fontname[128];
};

/* PostScript lexing of the cleartext and the Private part (pdf_t1font.c). */
int pdf_t1font_space(unsigned char c);
/* The token at *i after white space: [*start, *i); a name keeps its '/'.
 * Returns its length, 0 at the end. */
size_t pdf_t1font_token(const unsigned char *p, size_t n, size_t *i, size_t *start);
int pdf_t1font_is(const unsigned char *p, size_t start, size_t len, const char *word);
const unsigned char *pdf_t1font_find(const unsigned char *p, size_t n, size_t from, const char *s);
/* The next `dup CODE /NAME put` entry of a built-in /Encoding from p[*i]
 * (other tokens skipped): 1 with *start (where `dup` begins), *code,
 * *name / *name_len (without the '/') and *i just after `put`; 0 at the
 * encoding's end ("def") or the text's. */
int pdf_t1font_enc_next(const unsigned char *p, size_t n, size_t *i, size_t *start, long *code,
                        size_t *name, size_t *name_len);
/* Index of glyph `name` in f->cs, -1 if none. */
long pdf_t1font_glyph(const pdf_t1font *f, const char *name);
/* Close the kept set over seac and Subrs (marks entries' keep); -1 when a
 * callsubr could not be followed (the caller keeps every subr). */
int pdf_t1font_close(pdf_t1font *f);

#endif

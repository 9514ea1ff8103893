/* pdf_t1cs — Type 1 charstrings: the two ciphers, the number encoding, and
 * a walker that reports what a charstring calls (Adobe, "Type 1 Font
 * Format", chapters 6 and 7).  Knows nothing of a font's layout: the caller
 * (pdf_t1font.c) answers `callsubr` and `seac` through callbacks.
 * No allocation except the walker's scratch copy. */
#ifndef LB_PDF_T1CS_H
#define LB_PDF_T1CS_H

#include <stddef.h>

#define PDF_T1CS_KEY 4330u      /* charstrings and Subrs */
#define PDF_T1CS_EEXEC 55665u   /* the eexec part of a font program */

/* r-keyed decryption / encryption of n bytes (in and out may not overlap). */
void pdf_t1cs_decrypt(const unsigned char *in, size_t n, unsigned key, unsigned char *out);
void pdf_t1cs_encrypt(const unsigned char *in, size_t n, unsigned key, unsigned char *out);

/* The interpreter state that matters for finding calls: the operand stack
 * with, for each value, where it was written (prov: id << 24 | byte offset
 * of its literal, -1 when computed or unknown; value NaN when unknown), and
 * the PostScript stack that othersubrs hand values back on.  Start zeroed
 * with sp = psp = 0. */
typedef struct pdf_t1cs_vm {
    double st[64], ps[32];
    long long prov[64], pprov[32];
    int sp, psp;
} pdf_t1cs_vm;

typedef struct pdf_t1cs_calls {
    void *ctx;
    /* `x callsubr`: the callee walks the subr on the same vm (depth + 1).
     * Returns 0, or -1 when it cannot follow (x unknown or no such subr). */
    int (*subr)(void *ctx, double x, long long prov, pdf_t1cs_vm *vm, int depth);
    /* `seac` with these base and accent codes (StandardEncoding). */
    void (*seac)(void *ctx, double bchar, double achar);
    /* A literal consumed by anything but callsubr. */
    void (*other)(void *ctx, double x, long long prov);
} pdf_t1cs_calls;

/* Walk decrypted charstring plain[skip..n) (skip = lenIV) with identity
 * `id` (for prov).  Stops at return or endchar.  Returns 0, or -1 when a
 * callback refused or the depth passed 16. */
int pdf_t1cs_walk(const unsigned char *plain, size_t n, size_t skip, long long id,
                  pdf_t1cs_vm *vm, const pdf_t1cs_calls *c, int depth);

/* Encode integer v as a charstring number into out; returns 1, 2 or 5. */
size_t pdf_t1cs_number(long v, unsigned char out[5]);

/* Read the number at b[0..n): its value in *v; returns its length, 0 if
 * b[0] is not a number byte or the number is cut short. */
size_t pdf_t1cs_number_read(const unsigned char *b, size_t n, long *v);

/* Bytes taken by the number whose first byte is b (1, 2 or 5; 0 if b is
 * not a number byte). */
size_t pdf_t1cs_number_len(unsigned char b);

#endif

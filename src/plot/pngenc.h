/* pngenc — which PNG encoder the gnuplots that draw PNGs use.
 *
 * gnuplot's pngcairo terminal leaves libpng at its defaults (the adaptive
 * row-filter heuristic, zlib level 6): most of a PNG's CPU time.  lossbook
 * ships lossbook-pngshim.so (src/preload/pngshim.c), which gnuplot loads
 * through LD_PRELOAD and which makes libpng use row filter None and
 * compresses the image data with libdeflate instead of zlib's streaming
 * deflate: the same pixels, a smaller file for plots, about 60 % less CPU
 * per PNG.  When it cannot
 * be found, gnuplot's own encoder writes the PNGs (same pixels, slower).
 * The shim keeps zlib's deflate when libdeflate.so.0 cannot be loaded or
 * $LOSSBOOK_PNGSHIM_ZLIB is set and not empty (filter None still: the
 * same pixels, other bytes).
 *
 * Where it is looked for, in this order (nothing is compiled in):
 *   1. $LOSSBOOK_PNGSHIM when set: that file; set and empty: none (gnuplot's
 *      own encoder);
 *   2. EXEDIR/lossbook-pngshim.so (the build folder: build/lossbook);
 *   3. EXEDIR/../lib/lossbook/lossbook-pngshim.so (make install: PREFIX/bin
 *      -> PREFIX/lib/lossbook, also under a DESTDIR staging root);
 *   4. EXEDIR/../lossbook-pngshim.so (a test program in build/tests/);
 * EXEDIR being the folder of the running binary (base/datadir.h).  A
 * candidate is used when it is a readable regular file; its absolute path
 * (gnuplot runs in the figures folder) must hold no ' ' or ':', which
 * separate LD_PRELOAD's entries.
 *
 * The PNG bytes depend on the encoder, so the figure cache keys it
 * (figcache_env): its path and file identity and its deflate, or "none".
 *
 * Ownership: results in the caller's struct; nothing retained.
 */
#ifndef LB_PNGENC_H
#define LB_PNGENC_H

#define PNGENC_FILE "lossbook-pngshim.so"

typedef struct pngenc {
    char path[4096];   /* absolute path of the shim; "" = gnuplot's own encoder */
    const char *deflater;   /* with the shim: "libdeflate", or "zlib (why)"
                               (static text); "" without it */
    char says[8192];   /* one line for --verbose (no "lossbook: " prefix):
                          "PNG encoder: libpng row filter None, deflate by DEFLATER (PATH)", or
                          "PNG encoder: gnuplot's own (same pixels, slower):
                          " and why (the variable, or every path tried) */
} pngenc;

/* Decide the encoder (see above) into *p.  Never fails: the fallback is
 * gnuplot's own encoder. */
void pngenc_find(pngenc *p);

#endif

/* testkit — the one helper module of the test suite (tests/testkit.c and
 * testkit_fs.c, linked into every tests/test_*.c binary by the Makefile;
 * tests/README.md has the overview, tests/test_testkit.c its own tests).
 *
 * What a test needs around the code under test, written once:
 *   where things are   tk_bin tk_root tk_src tk_path tk_need_bin tk_sanitized
 *   running programs   tk_lb (the lossbook binary) tk_cmd tk_run tk_sh
 *                      tk_capture, results in a tk_result
 *   files              tk_read_file tk_write_file tk_file_size tk_pdf_read
 *   folders            tk_scratch (+ _setup/_teardown) tk_tmpdir_new/_free
 *                      tk_mkdirs tk_rmtree tk_copy
 *                      tk_diff tk_find tk_list_dir/tk_list_free
 *   text               tk_squeeze tk_one_line tk_count tk_contains
 *   PDFs (poppler)     tk_pdftotext tk_pdfinfo tk_pdf_pages tk_pdffonts
 *                      tk_pdf_images tk_pdf_same_pages tk_render_fixture
 *   PNGs (libpng)      tk_png_rgba tk_png_diff
 *   assertions         tk_assert_exit tk_assert_same
 *
 * A typical end-to-end test:
 *
 *     char *dir = tk_tmpdir_new("mytest");
 *     tk_result r = {0};
 *     tk_lb(&r, NULL, "--quiet", "--out", tk_path("%s/out", dir), NULL);
 *     tk_assert_exit(&r, 0);
 *     char *text = tk_pdftotext(tk_path("%s/out/report.pdf", dir), 0, 0);
 *     assert_non_null(strstr(text, "0.7679"));
 *     free(text);
 *     tk_result_free(&r);
 *     tk_tmpdir_free(dir);
 *
 * Programs run without a shell (fork + execvp, an argv vector), stdin from
 * /dev/null, stdout and stderr captured separately, in their own process
 * group; the whole group is killed at the time limit and whatever the
 * program leaves running when it exits is killed too.  `make test` sets
 * LB_BIN (the binary under test) and LB_ROOT (the repository root).
 *
 * Ownership: a `char *` or `char **` returned is the caller's (free, or
 * tk_list_free); a `const char *` is the kit's (tk_path's buffers are reused
 * after TK_PATH_SLOTS later calls: never keep one).  Failures return
 * NULL / -1 and never end the test by themselves, except tk_path (a path
 * too long for its buffer fails the running test) and the tk_assert_*
 * macros. */
#ifndef LB_TESTKIT_H
#define LB_TESTKIT_H

#include <stddef.h>

#define TK_TIMEOUT 300.0        /* seconds, when tk_opts.timeout is 0 */
#define TK_PATH_SLOTS 32        /* tk_path / tk_src buffers in rotation */

/* ---- where things are ------------------------------------------------- */

/* $LB_BIN, the lossbook binary under test; NULL when unset or empty. */
const char *tk_bin(void);
/* $LB_ROOT, the repository root; "." when unset or empty. */
const char *tk_root(void);
/* 0 when $LB_BIN names an executable; otherwise prints "WHO: set LB_BIN
 * and LB_ROOT (make test does)" to stderr and returns -1 (for a group
 * setup: `if (tk_need_bin("test_x") != 0) return -1;`). */
int tk_need_bin(const char *who);
/* 1 when $LB_BIN is the ASan+UBSan build (make test SANITIZE=1). */
int tk_sanitized(void);
/* printf into one of TK_PATH_SLOTS static buffers, for the arguments of
 * the call at hand: TK_PATH_SLOTS calls later the buffer is reused, so a
 * path kept (in a variable, a tk_opts, a loop) goes in a buffer of your
 * own (snprintf).  A path too long for the buffer fails the test. */
const char *tk_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* tk_path("%s/%s", tk_root(), rel): a file of the repository. */
const char *tk_src(const char *rel);

/* ---- running programs ------------------------------------------------- */

typedef struct tk_opts {
    const char *cwd;          /* working folder; NULL: tk_lb uses $LB_ROOT,
                                 the others the current folder */
    const char *const *env;   /* NULL-terminated additions to the
                                 environment: "NAME=value" sets, "NAME"
                                 unsets; NULL: none */
    double timeout;           /* seconds before the process group is
                                 killed; 0: TK_TIMEOUT */
    const char *in;           /* file read as stdin; NULL: /dev/null */
} tk_opts;

typedef struct tk_result {
    int status;               /* exit code 0..255; -1 when it did not exit
                                 (signal, time limit, could not start) */
    int signo;                /* the signal that ended it, else 0 */
    int timed_out;            /* killed at the time limit */
    double seconds;           /* wall time */
    long maxrss_kb;           /* peak resident memory of the process and of
                                 the children it waited for */
    char *out;                /* stdout, NUL-terminated (owned by r) */
    size_t out_len;
    char *err;                /* stderr, NUL-terminated (owned by r) */
    size_t err_len;
} tk_result;

/* Run argv[0] (searched in PATH) with argv; fill *r (start it as
 * `tk_result r = {0};`: a reused r has its old buffers freed); returns
 * r->status.  r may be NULL: the output is dropped, and printed to stderr
 * when the program fails.  o may be NULL (all defaults). */
int tk_run(tk_result *r, const tk_opts *o, const char *const argv[]);
/* tk_run with the arguments listed, NULL after the last. */
int tk_cmd(tk_result *r, const tk_opts *o, const char *prog, ...)
    __attribute__((sentinel));
/* The lossbook binary ($LB_BIN) with the arguments listed, NULL after the
 * last; the working folder is $LB_ROOT unless o->cwd says otherwise. */
int tk_lb(tk_result *r, const tk_opts *o, ...) __attribute__((sentinel));
/* `/bin/sh -c TEXT` with TEXT made by printf: only for data that is shell
 * syntax by design (the case files of tests/bad/); use tk_cmd otherwise. */
int tk_sh(tk_result *r, const tk_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Frees r's buffers and zeroes it (r may be NULL). */
void tk_result_free(tk_result *r);
/* stdout of a program (arguments listed, NULL after the last) when it exits
 * 0; NULL otherwise, with its stderr printed.  Caller frees. */
char *tk_capture(const char *prog, ...) __attribute__((sentinel));

/* ---- files ------------------------------------------------------------ */

/* The whole file, NUL-terminated (it may hold NULs: *len says how long);
 * NULL with errno set when it cannot be read.  len may be NULL. */
char *tk_read_file(const char *path, size_t *len);
/* A PDF as tk_read_file reads it, followed by every object that lossbook
 * packed into an object stream (issue 15) written out as "N 0 obj\n...\n
 * endobj\n", so that a search of the raw bytes finds dictionaries again
 * (testkit_pdf.c).  NULL when the file cannot be read. */
char *tk_pdf_read(const char *path, size_t *len);
/* Creates or truncates PATH and writes TEXT; 0, or -1 with errno. */
int tk_write_file(const char *path, const char *text);
/* Size of a regular file (symlinks followed); -1 for anything else. */
long long tk_file_size(const char *path);

/* ---- folders ---------------------------------------------------------- */

/* A new empty folder $TMPDIR/lb-TAG-XXXXXX (TMPDIR defaults to /tmp);
 * NULL on failure.  tk_tmpdir_free removes it with all it holds (unless
 * $LB_KEEP is set: then it says where it is) and frees the string. */
char *tk_tmpdir_new(const char *tag);
void tk_tmpdir_free(char *dir);
/* The usual fixture: one scratch folder for a whole test binary (or one
 * test), $TMPDIR/lb-PROGRAM-XXXXXX, made by tk_scratch_setup and removed
 * by tk_scratch_teardown (cmocka setup/teardown functions; they may also
 * be called from a test's own ones).  tk_scratch() is its path, NULL
 * outside. */
int tk_scratch_setup(void **state);
int tk_scratch_teardown(void **state);
const char *tk_scratch(void);
/* A cmocka test of its own fresh tk_scratch() folder. */
#define tk_unit_test_scratch(f) \
    cmocka_unit_test_setup_teardown(f, tk_scratch_setup, tk_scratch_teardown)
/* mkdir -p (mode 0777 & ~umask); 0 or -1 with errno. */
int tk_mkdirs(const char *path);
/* rm -rf that also empties read-only folders; symlinks are removed, never
 * followed.  0 when PATH is gone (or never existed), -1 otherwise. */
int tk_rmtree(const char *path);
/* cp -a of a file, symlink or folder tree: modes and modification times
 * kept, symlinks copied as symlinks.  TO must not exist yet.  0 or -1. */
int tk_copy(const char *from, const char *to);
/* Compares two files or two trees byte by byte (diff -r --no-dereference:
 * names, kinds, file contents, symlink targets).  NULL when identical;
 * otherwise the first difference in words (caller frees), e.g.
 * "A/data/x.csv and B/data/x.csv differ at byte 120 (line 4)". */
char *tk_diff(const char *a, const char *b);
/* The first path under DIR (DIR itself excluded, sorted walk) whose name
 * matches the fnmatch(3) PATTERN, e.g. ".staging-*"; NULL when none.
 * Caller frees. */
char *tk_find(const char *dir, const char *pattern);
/* Sorted names in DIR matching PATTERN (NULL: every name not starting with
 * '.'), NULL-terminated; *n (may be NULL) gets the count.  NULL when DIR
 * cannot be read.  Free with tk_list_free. */
char **tk_list_dir(const char *dir, const char *pattern, size_t *n);
void tk_list_free(char **names);

/* ---- text ------------------------------------------------------------- */

/* Every run of white space becomes one space; none at either end. */
void tk_squeeze(char *s);
/* 1 when S is exactly one non-empty line ending in '\n'. */
int tk_one_line(const char *s);
/* Non-overlapping occurrences of NEEDLE in HAY. */
size_t tk_count(const char *hay, const char *needle);
/* 1 when NEEDLE occurs in the N bytes at HAY (which may hold NULs). */
int tk_contains(const void *hay, size_t n, const char *needle);

/* ---- PDFs (poppler-utils) --------------------------------------------- */

/* Text of pages FIRST..LAST (0, 0: all) in UTF-8; NULL on failure. */
char *tk_pdftotext(const char *pdf, int first, int last);
/* pdfinfo's report; NULL on failure. */
char *tk_pdfinfo(const char *pdf);
/* Number of pages (pdfinfo); -1 on failure. */
int tk_pdf_pages(const char *pdf);
/* pdffonts' table; NULL on failure. */
char *tk_pdffonts(const char *pdf);
/* Number of images (pdfimages -list rows); -1 on failure. */
int tk_pdf_images(const char *pdf);
/* NULL when the PDFs A and B rasterise (pdftoppm -r DPI) to the same
 * number of pages with identical pixels and extract (pdftotext) to the
 * same, non-empty text; otherwise a malloc'd line saying what differs
 * (testkit_pdf.c). */
char *tk_pdf_same_pages(const char *a, const char *b, int dpi);
/* The fixture document (tests/fixtures/pdf/rich.md with the llm-batch
 * example and tests/fixtures/pdf/figures, dated 1700000000) rendered by
 * pdf_render into OUT with OPTS (NULL: pdf_opts_default; its figures
 * folder and date are the fixture's).  Fails the test on an error. */
struct pdf_opts;
#define tk_render_fixture(opts, out) tk_render_fixture_((opts), (out), __FILE__, __LINE__)
void tk_render_fixture_(const struct pdf_opts *opts, const char *out, const char *file,
                        int line);

/* ---- PNGs (libpng; testkit_png.c) ------------------------------------- */

/* The PNG file at path as 8-bit RGBA rows (libpng's simplified API), *w
 * by *h pixels; NULL when it cannot be read or decoded.  Caller frees. */
unsigned char *tk_png_rgba(const char *path, unsigned *w, unsigned *h);
/* NULL when the PNG files A and B decode to the same size and the same
 * RGBA pixels (their bytes may differ: another row filter or zlib level);
 * otherwise a malloc'd line saying what differs (a size, the first pixel
 * that differs, a file that is not a PNG). */
char *tk_png_diff(const char *a, const char *b);

/* ---- assertions (cmocka) ---------------------------------------------- */

/* Fails the test unless r->status == CODE, showing the status, signal or
 * time-out and the first 2000 bytes of stderr. */
#define tk_assert_exit(r, code) tk_assert_exit_((r), (code), __FILE__, __LINE__)
/* Fails the test unless tk_diff(A, B) finds no difference, showing it. */
#define tk_assert_same(a, b) tk_assert_same_((a), (b), __FILE__, __LINE__)

void tk_assert_exit_(const tk_result *r, int code, const char *file, int line);
void tk_assert_same_(const char *a, const char *b, const char *file, int line);

#endif

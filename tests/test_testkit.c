/* test_testkit — the test helper module itself (tests/testkit.c): exit
 * codes and signals, separate stdout/stderr capture without deadlock, the
 * time limit killing the whole process group, environment and working
 * folder, and the file, tree and PDF helpers.  Uses only /bin/sh, coreutils
 * and poppler-utils; expected values are set by each case itself. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <png.h>
#include "testkit.h"

/* Waits (up to 3 s) until PID no longer runs: gone, or a zombie (dead,
 * waiting for PID 1 to reap it; /proc/PID/stat's third field is Z). */
static int S_gone(pid_t pid)
{
    for (int i = 0; i < 300; i++) {
        if (kill(pid, 0) != 0 && errno == ESRCH)
            return 1;
        char *st = tk_read_file(tk_path("/proc/%ld/stat", (long)pid), NULL);
        const char *paren = st ? strrchr(st, ')') : NULL;
        int zombie = paren && paren[1] == ' ' && paren[2] == 'Z';
        free(st);
        if (zombie)
            return 1;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static void test_exit_codes(void **state)
{
    (void)state;
    tk_result r = {0};
    assert_int_equal(tk_cmd(&r, NULL, "true", NULL), 0);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.signo, 0);
    assert_int_equal(r.timed_out, 0);
    assert_int_equal(tk_sh(&r, NULL, "exit %d", 3), 3);
    assert_int_equal(tk_cmd(&r, NULL, "sh", "-c", "exit 255", NULL), 255);
    /* killed by a signal: status -1, the signal kept */
    assert_int_equal(tk_sh(&r, NULL, "kill -TERM $$"), -1);
    assert_int_equal(r.signo, SIGTERM);
    assert_int_equal(r.timed_out, 0);
    /* a program that does not exist: 127 and a message on its stderr */
    assert_int_equal(tk_cmd(&r, NULL, "/nonexistent/tk-no-such-program", NULL), 127);
    assert_non_null(strstr(r.err, "cannot run /nonexistent/tk-no-such-program"));
    /* r may be NULL: only the status */
    assert_int_equal(tk_cmd(NULL, NULL, "false", NULL), 1);
    tk_result_free(&r);
    assert_null(r.out);
}

static void test_capture_separate(void **state)
{
    (void)state;
    tk_result r = {0};
    /* argv goes through untouched: no shell, no word splitting */
    assert_int_equal(tk_cmd(&r, NULL, "printf", "%s|%s", "a b", "'$HOME'", NULL), 0);
    assert_string_equal(r.out, "a b|'$HOME'");
    assert_int_equal(r.out_len, 11);
    assert_string_equal(r.err, "");
    assert_int_equal(tk_sh(&r, NULL, "printf 'to out'; printf 'to err\\n' >&2; exit 4"), 4);
    assert_string_equal(r.out, "to out");
    assert_string_equal(r.err, "to err\n");
    assert_true(tk_one_line(r.err));
    /* NUL bytes are kept; the length says how many */
    assert_int_equal(tk_cmd(&r, NULL, "printf", "a\\000b", NULL), 0);
    assert_int_equal(r.out_len, 3);
    assert_memory_equal(r.out, "a\0b", 3);
    tk_result_free(&r);
}

/* 3 MB to stderr first, then 3 MB to stdout: a reader that waited for
 * stdout's end before reading stderr would hang with the pipe full. */
static void test_large_output_no_deadlock(void **state)
{
    (void)state;
    tk_result r = {0};
    tk_opts o = {.timeout = 60};
    int rc = tk_sh(&r, &o,
                   "head -c 3000000 /dev/zero | tr '\\0' e >&2; "
                   "head -c 3000001 /dev/zero | tr '\\0' o");
    assert_int_equal(r.timed_out, 0);
    assert_int_equal(rc, 0);
    assert_int_equal(r.err_len, 3000000);
    assert_int_equal(r.out_len, 3000001);
    assert_int_equal(r.out[0], 'o');
    assert_int_equal(r.out[3000000], 'o');
    assert_int_equal(r.out[3000001], '\0');
    assert_int_equal(r.err[2999999], 'e');
    assert_int_equal(tk_count(r.err, "e"), 3000000);
    tk_result_free(&r);
}

/* The time limit kills the program and everything it started (its process
 * group), and returns soon after the limit. */
static void test_timeout_kills_group(void **state)
{
    (void)state;
    const char *pidf = tk_path("%s/bg.pid", tk_scratch());
    tk_result r = {0};
    tk_opts o = {.timeout = 0.5};
    int rc = tk_sh(&r, &o, "sleep 30 & echo $! > '%s'; echo started; wait", pidf);
    assert_int_equal(rc, -1);
    assert_int_equal(r.timed_out, 1);
    assert_int_equal(r.signo, SIGKILL);
    assert_true(r.seconds >= 0.5);
    assert_true(r.seconds < 5);
    assert_string_equal(r.out, "started\n"); /* what came before is kept */
    char *pid = tk_read_file(pidf, NULL);
    assert_non_null(pid);
    assert_true(atoi(pid) > 0);
    assert_true(S_gone((pid_t)atoi(pid)));
    free(pid);
    tk_result_free(&r);
}

/* A program that exits leaving a child behind (holding its stdout) is not
 * waited for: the leftover is killed, the run returns at once. */
static void test_leftover_killed(void **state)
{
    (void)state;
    const char *pidf = tk_path("%s/left.pid", tk_scratch());
    tk_result r = {0};
    int rc = tk_sh(&r, NULL, "sleep 30 & echo $! > '%s'; exit 5", pidf);
    assert_int_equal(rc, 5);
    assert_int_equal(r.timed_out, 0);
    assert_true(r.seconds < 5);
    char *pid = tk_read_file(pidf, NULL);
    assert_non_null(pid);
    assert_true(S_gone((pid_t)atoi(pid)));
    free(pid);
    tk_result_free(&r);
}

static void test_env_cwd_stdin(void **state)
{
    (void)state;
    tk_result r = {0};
    const char *env[] = {"TK_A=one two", "TK_GONE", NULL};
    setenv("TK_GONE", "still here", 1);
    tk_opts o = {.env = env, .cwd = tk_scratch()};
    assert_int_equal(tk_sh(&r, &o, "printf '%%s|%%s|' \"$TK_A\" \"${TK_GONE-unset}\"; pwd"),
                     0);
    char want[4200];
    char *real = realpath(tk_scratch(), NULL);
    assert_non_null(real);
    snprintf(want, sizeof want, "one two|unset|%s\n", real);
    free(real);
    assert_string_equal(r.out, want);
    /* the test's own environment is unchanged */
    assert_string_equal(getenv("TK_GONE"), "still here");
    assert_null(getenv("TK_A"));
    unsetenv("TK_GONE");
    /* a working folder that does not exist: the child says so, exit 126 */
    tk_opts bad = {.cwd = "/nonexistent-tk-dir"};
    assert_int_equal(tk_cmd(&r, &bad, "true", NULL), 126);
    assert_non_null(strstr(r.err, "/nonexistent-tk-dir"));
    /* stdin: /dev/null by default, or a file */
    assert_int_equal(tk_cmd(&r, NULL, "wc", "-c", NULL), 0);
    assert_int_equal(atoi(r.out), 0);
    const char *in = tk_path("%s/in.txt", tk_scratch());
    assert_int_equal(tk_write_file(in, "12345"), 0);
    tk_opts oi = {.in = in};
    assert_int_equal(tk_cmd(&r, &oi, "wc", "-c", NULL), 0);
    assert_int_equal(atoi(r.out), 5);
    tk_result_free(&r);
}

/* tk_lb runs $LB_BIN from $LB_ROOT: point them at /bin/sh and a folder. */
static void test_lb(void **state)
{
    (void)state;
    char *old_bin = tk_bin() ? strdup(tk_bin()) : NULL;
    char *old_root = strdup(tk_root());
    assert_non_null(old_root);
    setenv("LB_BIN", "/bin/sh", 1);
    setenv("LB_ROOT", tk_scratch(), 1);
    tk_result r = {0};
    int rc = tk_lb(&r, NULL, "-c", "pwd; echo \"$1\"", "sh", "arg", NULL);
    char *real = realpath(tk_scratch(), NULL);
    if (old_bin)
        setenv("LB_BIN", old_bin, 1);
    else
        unsetenv("LB_BIN");
    setenv("LB_ROOT", old_root, 1);
    free(old_bin);
    free(old_root);
    assert_int_equal(rc, 0);
    assert_non_null(real);
    char want[4200];
    snprintf(want, sizeof want, "%s\narg\n", real);
    free(real);
    assert_string_equal(r.out, want);
    tk_result_free(&r);
}

static void test_files(void **state)
{
    (void)state;
    const char *p = tk_path("%s/f.bin", tk_scratch());
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (int i = 0; i < 200000; i++)
        fputc(i % 251, f); /* NULs included, longer than one read */
    assert_int_equal(fclose(f), 0);
    size_t n = 0;
    unsigned char *b = (unsigned char *)tk_read_file(p, &n);
    assert_non_null(b);
    assert_int_equal(n, 200000);
    assert_int_equal(b[0], 0);
    assert_int_equal(b[199999], 199999 % 251);
    assert_int_equal(b[n], 0);
    free(b);
    assert_int_equal(tk_file_size(p), 200000);
    assert_int_equal(tk_file_size(tk_scratch()), -1);
    assert_int_equal(tk_file_size(tk_path("%s/none", tk_scratch())), -1);
    errno = 0;
    assert_null(tk_read_file(tk_path("%s/none", tk_scratch()), NULL));
    assert_int_equal(errno, ENOENT);
    assert_int_equal(tk_write_file(tk_path("%s/none/x", tk_scratch()), "x"), -1);
}

/* Builds a small tree: a/x, a/sub/deep.txt, a/sub/empty, a/link -> x,
 * a/.hidden, a/ro (a read-only folder holding one file). */
static void S_tree(const char *a)
{
    assert_int_equal(tk_mkdirs(tk_path("%s/sub", a)), 0);
    assert_int_equal(tk_mkdirs(tk_path("%s/ro", a)), 0);
    assert_int_equal(tk_write_file(tk_path("%s/x", a), "hello\n"), 0);
    assert_int_equal(tk_write_file(tk_path("%s/sub/deep.txt", a), "line 1\nline 2\nline 3\n"),
                     0);
    assert_int_equal(tk_write_file(tk_path("%s/sub/empty", a), ""), 0);
    assert_int_equal(tk_write_file(tk_path("%s/.hidden", a), "h"), 0);
    assert_int_equal(tk_write_file(tk_path("%s/ro/in", a), "r"), 0);
    assert_int_equal(symlink("x", tk_path("%s/link", a)), 0);
    assert_int_equal(chmod(tk_path("%s/sub/deep.txt", a), 0640), 0);
    assert_int_equal(chmod(tk_path("%s/ro", a), 0555), 0);
}

static void S_expect_diff(const char *a, const char *b, const char *frag)
{
    char *d = tk_diff(a, b);
    if (!d)
        fail_msg("no difference found between %s and %s (expected \"%s\")", a, b, frag);
    if (!strstr(d, frag)) {
        print_error("%s\n", d);
        free(d);
        fail_msg("the difference does not mention \"%s\"", frag);
    }
    free(d);
}

static void test_trees(void **state)
{
    (void)state;
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/a", tk_scratch());
    snprintf(b, sizeof b, "%s/b", tk_scratch());
    assert_int_equal(tk_rmtree(a), 0);
    assert_int_equal(tk_rmtree(b), 0);
    S_tree(a);
    assert_int_equal(tk_copy(a, b), 0);
    tk_assert_same(a, b);
    /* cp -a: mode, symlink, time kept */
    struct stat sa, sb;
    assert_int_equal(stat(tk_path("%s/sub/deep.txt", b), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    assert_int_equal(stat(tk_path("%s/sub/deep.txt", a), &sa), 0);
    assert_int_equal(sa.st_mtim.tv_sec, sb.st_mtim.tv_sec);
    assert_int_equal(lstat(tk_path("%s/link", b), &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_int_equal(stat(tk_path("%s/ro", b), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0555);
    /* copying onto an existing folder is refused */
    assert_int_equal(tk_copy(a, b), -1);

    /* one byte changed, deep down: found, with file, byte and line */
    char *t = tk_read_file(tk_path("%s/sub/deep.txt", b), NULL);
    assert_non_null(t);
    t[12] = 'X'; /* "line 1\nline 2" : byte 13 (1-based) is on line 2 */
    assert_int_equal(tk_write_file(tk_path("%s/sub/deep.txt", b), t), 0);
    free(t);
    S_expect_diff(a, b, "sub/deep.txt differ at byte 13 (line 2)");
    /* same size, one byte: also as two files */
    S_expect_diff(tk_path("%s/sub/deep.txt", a), tk_path("%s/sub/deep.txt", b), "byte 13");
    assert_int_equal(tk_write_file(tk_path("%s/sub/deep.txt", b), "line 1\nline 2\nline 3\n"),
                     0);
    tk_assert_same(a, b);
    /* one byte longer */
    assert_int_equal(tk_write_file(tk_path("%s/sub/empty", b), "\n"), 0);
    S_expect_diff(a, b, "0 and 1 bytes");
    assert_int_equal(tk_write_file(tk_path("%s/sub/empty", b), ""), 0);
    /* an extra file, a hidden one missing, a kind changed, a link retargeted */
    assert_int_equal(tk_write_file(tk_path("%s/sub/new", b), ""), 0);
    S_expect_diff(a, b, "only in ");
    S_expect_diff(a, b, "sub: new");
    assert_int_equal(unlink(tk_path("%s/sub/new", b)), 0);
    assert_int_equal(unlink(tk_path("%s/.hidden", b)), 0);
    S_expect_diff(a, b, ": .hidden");
    assert_int_equal(tk_write_file(tk_path("%s/.hidden", b), "h"), 0);
    tk_assert_same(a, b);
    assert_int_equal(unlink(tk_path("%s/link", b)), 0);
    assert_int_equal(symlink("sub", tk_path("%s/link", b)), 0);
    S_expect_diff(a, b, "symlinks");
    assert_int_equal(unlink(tk_path("%s/link", b)), 0);
    assert_int_equal(tk_mkdirs(tk_path("%s/link", b)), 0);
    S_expect_diff(a, b, "is a symlink");
    S_expect_diff(a, tk_path("%s/none", tk_scratch()), "No such file");

    /* find and list */
    char *hit = tk_find(a, "deep.*");
    assert_non_null(hit);
    assert_string_equal(hit, tk_path("%s/sub/deep.txt", a));
    free(hit);
    assert_null(tk_find(a, ".staging-*"));
    size_t n = 0;
    char **names = tk_list_dir(a, NULL, &n);
    assert_non_null(names);
    assert_int_equal(n, 4); /* link ro sub x, sorted; .hidden left out */
    assert_string_equal(names[0], "link");
    assert_string_equal(names[3], "x");
    assert_null(names[4]);
    tk_list_free(names);
    names = tk_list_dir(tk_path("%s/sub", a), "*.txt", &n);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "deep.txt");
    tk_list_free(names);
    assert_null(tk_list_dir(tk_path("%s/none", tk_scratch()), NULL, NULL));

    /* rm -rf, read-only folders included; a missing path is fine */
    assert_int_equal(tk_rmtree(a), 0);
    assert_int_equal(tk_rmtree(b), 0);
    assert_int_equal(access(a, F_OK), -1);
    assert_int_equal(access(b, F_OK), -1);
    assert_int_equal(tk_rmtree(a), 0);
}

static void test_text(void **state)
{
    (void)state;
    char s[] = "  one\n two\t\tthree \f\n";
    tk_squeeze(s);
    assert_string_equal(s, "one two three");
    assert_true(tk_one_line("x: error\n"));
    assert_false(tk_one_line("x\ny\n"));
    assert_false(tk_one_line("no newline"));
    assert_false(tk_one_line("\n"));
    assert_false(tk_one_line(""));
    assert_int_equal(tk_count("aaaa", "aa"), 2);
    assert_int_equal(tk_count("abc", "d"), 0);
    assert_true(tk_contains("x\0needle", 8, "needle"));
    assert_false(tk_contains("x\0needl", 7, "needle"));
    assert_false(tk_contains("need", 4, "needle"));
    const char *p1 = tk_path("%d", 1);
    for (int i = 0; i < TK_PATH_SLOTS - 1; i++)
        tk_path("%d", i + 2);
    assert_string_equal(p1, "1"); /* still valid after TK_PATH_SLOTS - 1 calls */
    assert_string_equal(tk_src("a/b"), tk_path("%s/a/b", tk_root()));
}

/* A two-page PDF written by hand (Helvetica, one line of text per page),
 * byte offsets of the cross-reference table counted as it is written. */
static void S_write_pdf(const char *path)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    long off[8];
    int n = 0;
    fputs("%PDF-1.4\n", f);
    static const char *const obj[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 5 0 R "
        "/Resources << /Font << /F1 7 0 R >> >> >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 6 0 R "
        "/Resources << /Font << /F1 7 0 R >> >> >>",
        NULL, NULL,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    static const char *const text[] = {"BT /F1 12 Tf 20 100 Td (Hello testkit) Tj ET",
                                       "BT /F1 12 Tf 20 100 Td (Second page) Tj ET"};
    for (int i = 0; i < 7; i++) {
        off[n++] = ftell(f);
        fprintf(f, "%d 0 obj\n", i + 1);
        if (obj[i])
            fprintf(f, "%s\n", obj[i]);
        else
            fprintf(f, "<< /Length %zu >>\nstream\n%s\nendstream\n", strlen(text[i - 4]) + 1,
                    text[i - 4]);
        fputs("endobj\n", f);
    }
    long xref = ftell(f);
    fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 0; i < n; i++)
        fprintf(f, "%010ld 00000 n \n", off[i]);
    fprintf(f, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", n + 1, xref);
    assert_int_equal(fclose(f), 0);
}

static void test_pdf(void **state)
{
    (void)state;
    const char *pdf = tk_path("%s/t.pdf", tk_scratch());
    S_write_pdf(pdf);
    char *t = tk_pdftotext(pdf, 0, 0);
    assert_non_null(t);
    assert_non_null(strstr(t, "Hello testkit"));
    assert_non_null(strstr(t, "Second page"));
    free(t);
    t = tk_pdftotext(pdf, 2, 2);
    assert_non_null(t);
    assert_null(strstr(t, "Hello testkit"));
    assert_non_null(strstr(t, "Second page"));
    free(t);
    assert_null(tk_pdftotext(pdf, 3, 3)); /* no such page: pdftotext fails */
    assert_int_equal(tk_pdf_pages(pdf), 2);
    char *info = tk_pdfinfo(pdf);
    assert_non_null(info);
    assert_non_null(strstr(info, "Page size:       300 x 200 pts"));
    free(info);
    char *fonts = tk_pdffonts(pdf);
    assert_non_null(fonts);
    assert_non_null(strstr(fonts, "Helvetica"));
    free(fonts);
    assert_int_equal(tk_pdf_images(pdf), 0);
    const char *notpdf = tk_path("%s/not.pdf", tk_scratch());
    assert_int_equal(tk_write_file(notpdf, "not a pdf\n"), 0);
    assert_int_equal(tk_pdf_pages(notpdf), -1);
}

/* Write a W x H PNG of `format` (PNG_FORMAT_RGB / _RGBA) from px. */
static void S_write_png(const char *path, unsigned w, unsigned h, png_uint_32 format,
                        const unsigned char *px)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = w;
    im.height = h;
    im.format = format;
    assert_true(png_image_write_to_file(&im, path, 0, px, 0, NULL));
}

/* tk_png_diff: pixels, not bytes.  The same 2x2 picture as RGB and as RGBA
 * with alpha 255 (different files, the same RGBA pixels) is "same"; one
 * channel of pixel (1, 1) changed, another size, or a file that is not a
 * PNG is a difference, named. */
static void test_png(void **state)
{
    (void)state;
    const unsigned char rgb[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    unsigned char rgba[16];
    for (int i = 0; i < 4; i++) {
        memcpy(rgba + 4 * i, rgb + 3 * i, 3);
        rgba[4 * i + 3] = 255;
    }
    char a[600], b[600], c[600], d[600], e[600];
    snprintf(a, sizeof a, "%s/a.png", tk_scratch());
    snprintf(b, sizeof b, "%s/b.png", tk_scratch());
    snprintf(c, sizeof c, "%s/c.png", tk_scratch());
    snprintf(d, sizeof d, "%s/d.png", tk_scratch());
    snprintf(e, sizeof e, "%s/e.png", tk_scratch());
    S_write_png(a, 2, 2, PNG_FORMAT_RGB, rgb);
    S_write_png(b, 2, 2, PNG_FORMAT_RGBA, rgba);
    char *m = tk_diff(a, b);   /* the bytes differ */
    assert_non_null(m);
    free(m);
    assert_null(tk_png_diff(a, b));
    rgba[4 * 3 + 2] ^= 1;
    S_write_png(c, 2, 2, PNG_FORMAT_RGBA, rgba);
    m = tk_png_diff(a, c);
    assert_non_null(m);
    assert_non_null(strstr(m, "differ at pixel (1, 1)"));
    free(m);
    S_write_png(d, 1, 2, PNG_FORMAT_RGB, rgb);
    m = tk_png_diff(a, d);
    assert_non_null(m);
    assert_non_null(strstr(m, "is 2x2"));
    assert_non_null(strstr(m, "is 1x2"));
    free(m);
    assert_int_equal(tk_write_file(e, "not a PNG"), 0);
    m = tk_png_diff(a, e);
    assert_non_null(m);
    assert_non_null(strstr(m, "not a readable PNG"));
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_capture_separate),
        cmocka_unit_test(test_large_output_no_deadlock),
        cmocka_unit_test(test_timeout_kills_group),
        cmocka_unit_test(test_leftover_killed),
        cmocka_unit_test(test_env_cwd_stdin),
        cmocka_unit_test(test_lb),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_trees),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_pdf),
    };
    return cmocka_run_group_tests_name("testkit", tests, tk_scratch_setup, tk_scratch_teardown);
}

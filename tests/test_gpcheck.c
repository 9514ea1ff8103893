/* What a template's gnuplot code may say (src/plot/gpcheck.c), and the
 * confinement of gnuplot's writes (src/base/confine.c).
 *
 * The abbreviations are gnuplot 5.4's (command.c command_ftbl, tables.c
 * set_tbl: "se$t", "o$utput", "t$erminal", "pa$use", "eval$uate", ...),
 * checked by hand on this machine with `echo 'set outp "/tmp/x"' | gnuplot`
 * (writes /tmp/x), `set te dumb` (switches the terminal), `pa -1` (waits),
 * `ev "print 1"` (an error: eval needs four letters), `reset sess` (an
 * error: "session" in full).  Every refused case below writes outside the
 * output folder, changes the terminal, runs a command or stops gnuplot when
 * given to gnuplot; every allowed case only draws or sets a style. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/confine.h"
#include "plot/gpcheck.h"
#include "testkit.h"

static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int line, col;
        const char *word;
    } c[] = {
        {"set o '/tmp/x'\nplot x", 0, 1, "'set o'"},
        {"set outp '/tmp/x'", 0, 1, "'set outp'"},
        {"se output '/tmp/x'", 0, 1, "'se output'"},
        {"unset output", 0, 1, "'unset output'"},
        {"uns o", 0, 1, "'uns o'"},
        {"set te dumb", 0, 1, "'set te'"},
        {"set t png", 0, 1, "'set t'"},
        {"set term push", 0, 1, "'set term'"},
        {"set xrange [0:1]; set output '/tmp/x'", 0, 19, "'set output'"},
        {"plot x\n  set xrange [0:1];set o 'x'", 1, 20, "'set o'"},
        {"if (1) set output 'x'", 0, 8, "'set output'"},
        {"if (1) {\n  set output 'x'\n}", 1, 3, "'set output'"},
        {"do for [i=1:2] { set output 'x' }", 0, 18, "'set output'"},
        {"do for [i=1:2] { plot x }; if (0) { } else { set t dumb }", 0, 46, "'set t'"},
        {"set for [i=1:2] output 'x'", 0, 1, "'set output'"},
        {"eval('set out'.'put \"/tmp/x\"')", 0, 1, "'eval'"},
        {"evaluate \"set o 'x'\"", 0, 1, "'evaluate'"},
        {"cd '/tmp/elsewhere'", 0, 1, "'cd'"},
        {"ca 'x.gp'", 0, 1, "'ca'"},
        {"l 'x.gp'", 0, 1, "'l'"},
        {"load 'x.gp'", 0, 1, "'load'"},
        {"sy 'touch /tmp/x'", 0, 1, "'sy'"},
        {"she", 0, 1, "'she'"},
        {"!touch /tmp/x", 0, 1, "'!'"},
        {"x = system('touch /tmp/x')", 0, 5, "'system'"},
        {"plot x title system (\"date\")", 0, 14, "'system'"},
        {"print `touch /tmp/x`", 0, 7, "'`'"},
        {"set title \"`date`\"", 0, 12, "'`'"},
        {"m = 'set o \"x\"'\n@m", 1, 1, "'@'"},
        {"plot '< touch /tmp/x'", 0, 6, "'< touch /tmp/x'"},
        {"p \"<cat data\" u 1:2", 0, 3, "'<cat data'"},
        {"set print '/tmp/x'", 0, 1, "'set print'"},
        {"set pr '/tmp/x'", 0, 1, "'set pr'"},
        {"set table '/tmp/x'", 0, 1, "'set table'"},
        {"sa '/tmp/x'", 0, 1, "'sa'"},
        {"save var '/tmp/x'", 0, 1, "'save'"},
        {"up 'a' 'b'", 0, 1, "'up'"},
        {"hi '/tmp/x'", 0, 1, "'hi'"},
        {"import f(x) from 'lib.so'", 0, 1, "'import'"},
        {"set fit logfile '/tmp/x'", 0, 1, "'set fit logfile'"},
        {"set fit quiet logf '/tmp/x'", 0, 1, "'set fit logf'"},
        {"pa -1", 0, 1, "'pa'"},
        {"pause mouse", 0, 1, "'pause'"},
        {"ex", 0, 1, "'ex'"},
        {"q", 0, 1, "'q'"},
        {"reset session", 0, 1, "'reset session'"},
        {"re", 0, 1, "'re'"},
        {"set label 1 'a' \\\n  ; set output 'x'", 1, 5, "'set output'"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        int line = -1, col = -1;
        char what[256] = "";
        if (gpc_check(c[i].code, &line, &col, what, sizeof what) != -1)
            fail_msg("accepted: %s", c[i].code);
        if (line != c[i].line || col != c[i].col || !strstr(what, c[i].word) ||
            !strstr(what, "is not allowed in a gnuplot figure: it "))
            fail_msg("%s: got %d:%d %s (expected %d:%d %s)", c[i].code, line, col, what,
                     c[i].line, c[i].col, c[i].word);
    }
}

static void test_allowed(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "set xrange [-3:3]\nrelu(z) = z > 0 ? z : 0\nplot relu(x) with lines ls 1 title 'ReLU'",
        "set title 'set output \"x\"; cd /tmp'",
        "set label 1 \"a; set o 'x'\" at 0,0\nplot x",
        "# set output '/tmp/x'\nplot x  # cd /tmp",
        "pa = 3; q = 2; plot pa*x + q",
        "cd(x) = x*2; plot cd(x)",
        "ex[1] = 2",
        "set origin 0,0; set offsets 0,0,0,0; set tics out; set style line 5 lc 1",
        "set key top left; set title 'Output'; set terminal_x = 1",
        "reset\nreset errors\nplot x",
        "print 'x', 1",
        "$d << EOD\ncd /tmp\nset output 'x'\n@m `x`\nEOD\nplot $d using 1:2",
        "plot datadir.'/exp.dat' using 1:2 with lines, '+' using 1:(1)",
        "do for [i=1:3] {\n  set style line i lw 2\n}\nif (1) { plot x } else { plot -x }",
        "set fit quiet\nfit a*x 'data.dat' via a\nplot a*x",
        "plot x title 'it''s < 1'",
        "plot x title \"<not a file>\"",
        "set xlabel \"{/:Italic x} \\\" quoted\"",
        "",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int line = -1, col = -1;
        char what[256] = "";
        if (gpc_check(ok[i], &line, &col, what, sizeof what) != 0)
            fail_msg("refused: %s (%d:%d %s)", ok[i], line, col, what);
    }
}

/* A confined child writes inside its folder and nowhere else: not by
 * open(), not through a shell it starts (what system() or a '<command'
 * data file would do). */
static void test_confine(void **state)
{
    (void)state;
    char *dir = tk_tmpdir_new("confine");
    assert_non_null(dir);
    char in[600], out[600];
    snprintf(in, sizeof in, "%s/in", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    assert_int_equal(mkdir(in, 0700), 0);
    assert_int_equal(mkdir(out, 0700), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (confine_writes_to(in) != 0)
            _exit(3);   /* no Landlock in this kernel */
        char p[700];
        snprintf(p, sizeof p, "%s/yes.txt", in);
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || write(fd, "ok\n", 3) != 3)
            _exit(5);
        close(fd);
        snprintf(p, sizeof p, "%s/no.txt", out);
        fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0 || errno != EACCES)
            _exit(6);
        char cmd[800];
        snprintf(cmd, sizeof cmd, "touch '%s/shell.txt' 2>/dev/null", out);
        if (system(cmd) == 0)
            _exit(7);
        snprintf(cmd, sizeof cmd, "touch '%s/shell.txt'", in);
        if (system(cmd) != 0)
            _exit(8);
        _exit(0);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    if (WEXITSTATUS(st) == 3) {
        tk_tmpdir_free(dir);
        skip();
    }
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_int_equal(tk_file_size(tk_path("%s/yes.txt", in)), 3);
    assert_true(tk_file_size(tk_path("%s/shell.txt", in)) == 0);
    struct stat sb;
    assert_int_not_equal(stat(tk_path("%s/no.txt", out), &sb), 0);
    assert_int_not_equal(stat(tk_path("%s/shell.txt", out), &sb), 0);
    tk_tmpdir_free(dir);
}

/* End to end: text built at run time escapes the word check (a data file
 * '<command' from a variable), but the shell gnuplot starts cannot write
 * outside the figures folder; the figure itself is still drawn. */
static void test_confined_run(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(confine_writes_to("/") != 0 ? 3 : 0);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
        skip();   /* no Landlock: only the word check stands */
    char *dir = tk_tmpdir_new("gp-confined");
    assert_non_null(dir);
    char tpl[2048];
    snprintf(tpl, sizeof tpl,
             "# Confined\n\n```gnuplot name=esc caption=\"x\"\n"
             "f = \"<touch %s/escaped.txt; echo 1 2; echo 2 3\"\n"
             "plot f using 1:2 with lines\n```\n", dir);
    assert_int_equal(tk_write_file(tk_path("%s/t.md", dir), tpl), 0);
    tk_result r = {0};
    tk_lb(&r, NULL, "--quiet", "--out", tk_path("%s/out", dir), "--template",
          tk_path("%s/t.md", dir), NULL);
    tk_assert_exit(&r, 0);
    struct stat sb;
    assert_int_not_equal(stat(tk_path("%s/escaped.txt", dir), &sb), 0);
    assert_true(tk_file_size(tk_path("%s/out/figures/esc.png", dir)) > 0);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_allowed),
        cmocka_unit_test(test_confine),
        cmocka_unit_test(test_confined_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

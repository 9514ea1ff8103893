/* test_install — `make install PREFIX=... DESTDIR=...` after an ordinary
 * build installs a lossbook that runs from any folder (here: from "/"),
 * finds its templates under PREFIX without anything compiled in, and, when
 * a default input is nowhere, says which paths it tried; `make uninstall`
 * removes what install put there.  (Before: the data folder was fixed at
 * the first build from the default PREFIX, and the message was only
 * "cannot open".)  Runs make in $LB_ROOT with the build tree of $LB_BIN. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

static const char *S_bin, *S_root;
static char S_tmp[256];

static int S_sh(char *out, size_t outn, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = 0, r;
    char buf[4096];
    while ((r = fread(buf, 1, sizeof buf, p)) > 0)
        if (out && n + 1 < outn) {
            size_t k = r < outn - 1 - n ? r : outn - 1 - n;
            memcpy(out + n, buf, k);
            n += k;
        }
    if (out)
        out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int S_exists(const char *dir, const char *rel)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    struct stat st;
    return stat(p, &st) == 0 && st.st_size > 0;
}

static void test_install_run_from_root(void **state)
{
    (void)state;
    char msg[16384];
    /* the same build tree as the binary under test (build/ or build-asan/) */
    const char *san = strstr(S_bin, "build-asan") ? "SANITIZE=1" : "";
    int rc = S_sh(msg, sizeof msg, "make --no-print-directory -C '%s' install %s "
                                    "PREFIX=/opt/lossbook-test DESTDIR='%s/dest' 2>&1",
                  S_root, san, S_tmp);
    if (rc != 0)
        fail_msg("make install failed (%d): %s", rc, msg);
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s/dest/opt/lossbook-test", S_tmp);
    assert_true(S_exists(prefix, "bin/lossbook"));
    assert_true(S_exists(prefix, "share/lossbook/templates/handout.md"));
    assert_true(S_exists(prefix, "share/lossbook/templates/examples/llm-batch.json"));

    /* from "/", no template or example named: found under PREFIX */
    rc = S_sh(msg, sizeof msg, "cd / && env -u LOSSBOOK_DATADIR '%s/bin/lossbook' --quiet "
                               "--out '%s/out' 2>&1", prefix, S_tmp);
    if (rc != 0)
        fail_msg("installed lossbook run from / failed (%d): %s", rc, msg);
    char out[512];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    assert_true(S_exists(out, "report.pdf"));
    assert_true(S_exists(out, "report.md"));
    assert_true(S_exists(out, "figures/softmax3.png"));

    /* a binary alone (no share/ next to it): one line listing every path */
    rc = S_sh(msg, sizeof msg, "mkdir -p '%s/lone/bin' && cp '%s/bin/lossbook' '%s/lone/bin/' && "
                               "cd / && env -u LOSSBOOK_DATADIR '%s/lone/bin/lossbook' --quiet "
                               "--out '%s/out2' 2>&1",
              S_tmp, prefix, S_tmp, S_tmp, S_tmp);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(msg, "cannot find the default example 'templates/examples/llm-batch.json'"));
    assert_non_null(strstr(msg, "tried: templates/examples/llm-batch.json, "));
    char want[1024];
    snprintf(want, sizeof want, "%s/lone/bin/../share/lossbook/templates/examples/llm-batch.json",
             S_tmp);
    assert_non_null(strstr(msg, want));
    size_t lines = 0;
    for (const char *q = msg; *q; q++)
        lines += *q == '\n';
    assert_int_equal(lines, 1);   /* one line of message */
    assert_false(S_exists(S_tmp, "out2/report.pdf"));
    /* LOSSBOOK_DATADIR points it at the data */
    rc = S_sh(msg, sizeof msg, "cd / && LOSSBOOK_DATADIR='%s/share/lossbook' "
                               "'%s/lone/bin/lossbook' --quiet --out '%s/out3' 2>&1",
              prefix, S_tmp, S_tmp);
    if (rc != 0)
        fail_msg("LOSSBOOK_DATADIR run failed (%d): %s", rc, msg);

    rc = S_sh(msg, sizeof msg, "make --no-print-directory -C '%s' uninstall "
                               "PREFIX=/opt/lossbook-test DESTDIR='%s/dest' 2>&1", S_root, S_tmp);
    assert_int_equal(rc, 0);
    assert_false(S_exists(prefix, "bin/lossbook"));
    assert_false(S_exists(prefix, "share/lossbook/templates/handout.md"));
}

static int S_setup(void **state)
{
    (void)state;
    S_bin = getenv("LB_BIN");
    S_root = getenv("LB_ROOT");
    if (!S_bin || !S_root)
        return -1;
    strcpy(S_tmp, "/tmp/lb-install-XXXXXX");
    return mkdtemp(S_tmp) ? 0 : -1;
}

static int S_teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_tmp);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_run_from_root),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}

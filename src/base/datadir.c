/* datadir — see datadir.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/datadir.h"

int dd_exe_dir(char *buf, size_t n)
{
    if (n < 2)
        return -1;
    ssize_t k = readlink("/proc/self/exe", buf, n - 1);
    if (k <= 0 || (size_t)k >= n - 1)
        return -1;
    buf[k] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return -1;
    if (slash == buf)
        slash[1] = '\0';   /* the binary sits in "/" */
    else
        *slash = '\0';
    return 0;
}

/* A regular file (or a link to one) we can read. */
static int S_usable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

int dd_find(const char *rel, const char *what, const char *option, char *buf, size_t n,
            lb_err *e)
{
    char cand[4][4096], exe[2048];
    int nc = 0;
    if (strlen(rel) > 1024)
        return err_set(e, LB_EXIT_INPUT, "default %s path too long", what);
    snprintf(cand[nc++], sizeof cand[0], "%s", rel);
    const char *env = getenv("LOSSBOOK_DATADIR");
    if (env && env[0] && strlen(env) < 2048)
        snprintf(cand[nc++], sizeof cand[0], "%.2047s/%.1024s", env, rel);
    if (dd_exe_dir(exe, sizeof exe) == 0) {
        const char *sep = strcmp(exe, "/") == 0 ? "" : "/";
        snprintf(cand[nc++], sizeof cand[0], "%.2047s%s../share/lossbook/%.1024s", exe, sep,
                 rel);
        snprintf(cand[nc++], sizeof cand[0], "%.2047s%s../%.1024s", exe, sep, rel);
    }
    for (int i = 0; i < nc; i++)
        if (S_usable(cand[i])) {
            if (strlen(cand[i]) >= n)
                return err_set(e, LB_EXIT_RUNTIME, "%s: path too long", cand[i]);
            memcpy(buf, cand[i], strlen(cand[i]) + 1);
            return 0;
        }
    char tried[900];
    size_t k = 0;
    tried[0] = '\0';
    for (int i = 0; i < nc && k < sizeof tried; i++) {
        int r = snprintf(tried + k, sizeof tried - k, "%s%s", i ? ", " : "", cand[i]);
        if (r < 0)
            break;
        k += (size_t)r;
    }
    return err_set(e, LB_EXIT_INPUT,
                   "cannot find the default %s '%s'; tried: %s (name one with --%s FILE, "
                   "or set LOSSBOOK_DATADIR)",
                   what, rel, tried, option);
}

/* pngenc — see pngenc.h. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/datadir.h"
#include "plot/pngenc.h"

static const char S_OWN[] = "PNG encoder: gnuplot's own (same pixels, slower)";

/* Which deflate the shim will use in gnuplot (pngshim.c decides the same
 * way): libdeflate when the loader finds it, unless LOSSBOOK_PNGSHIM_ZLIB
 * is set and not empty. */
static const char *S_deflater(void)
{
    const char *z = getenv("LOSSBOOK_PNGSHIM_ZLIB");
    if (z && z[0])
        return "zlib (LOSSBOOK_PNGSHIM_ZLIB is set)";
    void *h = dlopen("libdeflate.so.0", RTLD_LAZY | RTLD_LOCAL);
    if (!h)
        return "zlib (libdeflate.so.0 not found)";
    dlclose(h);
    return "libdeflate";
}

/* 1 and p->path set when `cand` is a readable regular file whose absolute
 * path can stand in LD_PRELOAD; 0 otherwise (*bad says why when it exists
 * but cannot be used). */
static int S_take(pngenc *p, const char *cand, const char **bad)
{
    struct stat st;
    char abs[PATH_MAX];
    *bad = NULL;
    if (stat(cand, &st) != 0 || !S_ISREG(st.st_mode) || access(cand, R_OK) != 0 ||
        !realpath(cand, abs))
        return 0;
    if (strpbrk(abs, " :") || strlen(abs) >= sizeof p->path) {
        *bad = "its path holds a ' ' or ':' (LD_PRELOAD's separators) or is too long";
        return 0;
    }
    memcpy(p->path, abs, strlen(abs) + 1);
    p->deflater = S_deflater();
    snprintf(p->says, sizeof p->says, "PNG encoder: libpng row filter None, deflate by %s (%s)",
             p->deflater, p->path);
    return 1;
}

void pngenc_find(pngenc *p)
{
    const char *bad;
    p->path[0] = '\0';
    p->deflater = "";
    const char *env = getenv("LOSSBOOK_PNGSHIM");
    if (env) {
        if (!env[0])
            snprintf(p->says, sizeof p->says, "%s: LOSSBOOK_PNGSHIM is set and empty", S_OWN);
        else if (!S_take(p, env, &bad))
            snprintf(p->says, sizeof p->says, "%s: LOSSBOOK_PNGSHIM=%.900s: %s", S_OWN, env,
                     bad ? bad : "not a readable file");
        return;
    }
    char exe[2048], cand[3][2400];
    int nc = 0;
    if (dd_exe_dir(exe, sizeof exe) == 0) {
        const char *sep = strcmp(exe, "/") == 0 ? "" : "/";
        snprintf(cand[nc++], sizeof cand[0], "%s%s%s", exe, sep, PNGENC_FILE);
        snprintf(cand[nc++], sizeof cand[0], "%s%s../lib/lossbook/%s", exe, sep, PNGENC_FILE);
        snprintf(cand[nc++], sizeof cand[0], "%s%s../%s", exe, sep, PNGENC_FILE);
    }
    for (int i = 0; i < nc; i++) {
        if (S_take(p, cand[i], &bad))
            return;
        if (bad) {
            snprintf(p->says, sizeof p->says, "%s: %.900s: %s", S_OWN, cand[i], bad);
            return;
        }
    }
    int k = snprintf(p->says, sizeof p->says, "%s: no %s (tried", S_OWN, PNGENC_FILE);
    for (int i = 0; i < nc && k > 0 && (size_t)k < sizeof p->says; i++)
        k += snprintf(p->says + k, sizeof p->says - (size_t)k, "%s %s", i ? "," : "", cand[i]);
    if (k > 0 && (size_t)k < sizeof p->says)
        snprintf(p->says + k, sizeof p->says - (size_t)k, "%s)",
                 nc ? "" : " nothing: the binary's folder is unknown");
}

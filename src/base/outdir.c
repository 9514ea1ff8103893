#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/outdir.h"

struct out_stage {
    char *out_dir;
    char *stage;   /* OUT/.staging-XXXXXX */
    int committed;
};

/* Maximum folder depth below the staging root: we create at most two levels
 * (figures/, data/); the bound keeps the recursion finite whatever happens. */
#define S_MAX_DEPTH 8

static char *S_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

out_stage *out_stage_new(const char *out_dir, lb_err *e)
{
    out_stage *s = calloc(1, sizeof *s);
    if (!s) {
        err_nomem(e);
        return NULL;
    }
    s->out_dir = strdup(out_dir);
    s->stage = S_join(out_dir, ".staging-XXXXXX");
    if (!s->out_dir || !s->stage) {
        err_nomem(e);
        goto fail;
    }
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot create output folder: %s", out_dir,
                strerror(errno));
        goto fail;
    }
    struct stat st;
    if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        err_set(e, LB_EXIT_RUNTIME, "%s: output path exists and is not a folder", out_dir);
        goto fail;
    }
    if (!mkdtemp(s->stage)) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot write in output folder: %s", out_dir,
                strerror(errno));
        goto fail;
    }
    return s;
fail:
    free(s->out_dir);
    free(s->stage);
    free(s);
    return NULL;
}

const char *out_stage_path(const out_stage *s)
{
    return s->stage;
}

int out_stage_mkdir(out_stage *s, const char *rel, lb_err *e)
{
    char *p = S_join(s->stage, rel);
    if (!p)
        return err_nomem(e);
    int rc = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: cannot create folder: %s", p, strerror(errno));
    free(p);
    return rc;
}

/* Ensure `dst` is a real directory (create it if missing).  A symlink there
 * was planted by someone else: refuse rather than write through it. */
static int S_ensure_real_dir(const char *dst, lb_err *e)
{
    struct stat st;
    if (lstat(dst, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        return err_set(e, LB_EXIT_RUNTIME,
                       "%s: exists and is not a folder (a symlink or file); refusing to "
                       "write through it",
                       dst);
    }
    if (mkdir(dst, 0777) != 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot create folder: %s", dst,
                       strerror(errno));
    return 0;
}

/* Move the contents of staged folder `src` into `dst`, depth-first.  With
 * `dry` set nothing is changed: every destination is only checked, so that a
 * refusal (planted symlink, folder in the way) is found before anything
 * moves and the output folder stays exactly as it was. */
static int S_move_tree(const char *src, const char *dst, int depth, int dry, lb_err *e)
{
    if (depth > S_MAX_DEPTH)
        return err_set(e, LB_EXIT_RUNTIME, "%s: staging folder nested too deep", src);
    DIR *d = opendir(src);
    if (!d)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot read staging folder: %s", src,
                       strerror(errno));
    /* Collect names first, sorted, so the move order (and any partial state
     * after a failure) does not depend on readdir order. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                rc = err_nomem(e);
                goto out;
            }
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = err_nomem(e);
            goto out;
        }
        n++;
    }
    for (size_t i = 0; i + 1 < n; i++) /* insertion sort: a few dozen names */
        for (size_t j = i + 1; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *sp = S_join(src, names[i]), *dp = S_join(dst, names[i]);
        struct stat st;
        if (!sp || !dp)
            rc = err_nomem(e);
        else if (lstat(sp, &st) != 0)
            rc = err_set(e, LB_EXIT_RUNTIME, "%s: %s", sp, strerror(errno));
        else if (S_ISDIR(st.st_mode)) {
            struct stat dt;
            if (dry)
                rc = (lstat(dp, &dt) == 0 && !S_ISDIR(dt.st_mode))
                         ? err_set(e, LB_EXIT_RUNTIME,
                                   "%s: exists and is not a folder (a symlink or file); "
                                   "refusing to write through it",
                                   dp)
                         : 0;
            else
                rc = S_ensure_real_dir(dp, e);
            if (rc == 0)
                rc = S_move_tree(sp, dp, depth + 1, dry, e);
            if (rc == 0 && !dry && rmdir(sp) != 0)
                rc = err_set(e, LB_EXIT_RUNTIME, "%s: cannot remove: %s", sp,
                             strerror(errno));
        } else if (S_ISREG(st.st_mode)) {
            struct stat dt;
            if (lstat(dp, &dt) == 0 && S_ISDIR(dt.st_mode))
                rc = err_set(e, LB_EXIT_RUNTIME,
                             "%s: is a folder; cannot replace it with an output file", dp);
            else if (!dry && rename(sp, dp) != 0)
                rc = err_set(e, LB_EXIT_RUNTIME, "%s: cannot move into place: %s", dp,
                             strerror(errno));
        }
        /* Anything else in staging (we create only files and folders) is
         * left for out_stage_free's cleanup. */
        free(sp);
        free(dp);
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

int out_stage_commit(out_stage *s, lb_err *e)
{
    if (S_move_tree(s->stage, s->out_dir, 0, 1, e) != 0 ||
        S_move_tree(s->stage, s->out_dir, 0, 0, e) != 0)
        return -1;
    if (rmdir(s->stage) != 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot remove staging folder: %s", s->stage,
                       strerror(errno));
    s->committed = 1;
    return 0;
}

/* Remove what we staged.  Only the staging folder is touched, and it holds
 * nothing but this run's files; symlinks are unlinked, never followed. */
static void S_remove_tree(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode) && depth <= S_MAX_DEPTH) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d)) != NULL) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                    continue;
                char *p = S_join(path, de->d_name);
                if (p) {
                    S_remove_tree(p, depth + 1);
                    free(p);
                }
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

void out_stage_free(out_stage *s)
{
    if (!s)
        return;
    if (!s->committed)
        S_remove_tree(s->stage, 0);
    free(s->out_dir);
    free(s->stage);
    free(s);
}

/* datafiles — gnuplot-ready data (.dat) and the same as .csv, plus every
 * catalog table as CSV, written into the data folder.
 *
 * Used by main.c (stage/data) and read by the .gp scripts
 * of figures.c, which rely on the file and column names below.
 *
 * .dat: whitespace-separated columns, first line "# col1 col2 ...", numbers
 *       the shortest decimal that reads back to the same double, as
 *       Python's repr writes it (tbl_fmt_repr: 0.1, not 0.10000000000000001),
 *       in the C locale whatever LC_NUMERIC says; no strings.
 * .csv: same columns, header line "col1,col2,...".
 *   exp.dat        x exp_x                        x in [-2, 2], 401 samples
 *   softmax3.dat   z p1 p2 p3                     softmax([2, 1, z]), z in [-2, 2], 401
 *   softmax4.dat   z p1 p2 p3 p4                  softmax([2, 1, z, z]), 401
 *   logp.dat       p log_p neg_log_p              p in [0.01, 1] step 0.0025 (397 samples, p = 1 exact)
 *   neglogp.dat    p neg_log_p                    p in [1e-4, 1] log-spaced, 401 (p = 1 exact)
 *   points.dat     n p_target neg_log_p mean_neg_log_p
 *                  the positions the points figure draws (ex_points: all
 *                  when at most 1000 count, else a sample that keeps the
 *                  labelled and the highest); the last column is the mean
 *                  over every position that counts
 *   positions.dat  n b t target ignored p_target neg_log_p loss argmax rank
 *                  every position (NaN where a quantity does not exist)
 *   losshist.dat   from to count mean_neg_log_p ln_V   histogram of -log p_target
 *   randce.dat     V ln_V loss_sigma1 loss_sigma2 bound_sigma1 bound_sigma2
 *                  the expected loss of random logits against ln V
 * Tables: data/<table name, '/' -> '-'>.csv (step-1.csv, summary.csv, ...);
 *   a table named like a data set above ("logp", "randce") would collide
 *   with its NAME.csv and is written as NAME-table.csv.
 *   Step tables are written for the first DAT_MAX_STEP_CSV positions only
 *   (summary.csv has every position).
 *
 * Ownership: nothing is retained; the model and catalog are borrowed.
 */
#ifndef LB_DATAFILES_H
#define LB_DATAFILES_H

#include <stddef.h>
#include "base/err.h"
#include "compute/example.h"
#include "compute/catalog.h"

#define DAT_MAX_STEP_CSV 100

/* Write everything above into datadir (which must exist).  Returns 0 or -1
 * (LB_EXIT_RUNTIME, message names the file and strerror). */
int dat_write_all(const ex_model *m, const cat *c, const char *datadir,
                  lb_err *e);

/* The same, where prev (NULL: none) is the previous run's data folder: a
 * file whose bytes equal prev's file of that name is hard-linked from
 * there instead of written (fio_put: prev's file must be a regular file no
 * other name shares, ours, with a fresh file's mode; the bytes are
 * compared on the linked name; datadir must be a folder this run made).
 * The caller removes prev's folder after committing (outdir.h), so the new
 * file is then the inode's only name. */
int dat_write_all_from(const ex_model *m, const cat *c, const char *datadir,
                       const char *prev, lb_err *e);

/* CSV file name (without directory) used for catalog table `name`. */
int dat_table_csv_name(const char *name, char *buf, size_t n);

#endif

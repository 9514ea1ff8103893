/* langtext — the catalogue's generated English (table captions, notes,
 * column headers, text cells) in a template's language.
 *
 * compute/ writes its tables in English and knows nothing of languages;
 * a Chinese handout shows them through this table of translations, keyed
 * by the exact English text.  An entry may hold `{}` where the English has
 * a number, a token name or a formula (matched shortest-first, the last
 * one to the end of the text) and `{1}`, `{2}`, ... in the translation,
 * so word order may change.  Captured parts are themselves translated when
 * an entry matches them exactly ("the number of positions that count").
 * Text without an entry stays as it is (numbers, names, formulas); when the
 * catalogue's English changes, test_langtext fails on the English words
 * left in the Chinese tables and names them.
 *
 * Ownership: langtext_tr returns a malloc'd string or NULL (no entry);
 * langtext_table returns a new table the caller frees with tbl_free.
 */
#ifndef LB_LANGTEXT_H
#define LB_LANGTEXT_H

#include "base/err.h"
#include "compute/table.h"
#include "doc/lang.h"

/* The translation of `en` into `lg`'s language, or NULL when there is
 * none (English, or no entry matches). */
char *langtext_tr(const lang_info *lg, const char *en);

/* A copy of `t` with every caption, note, header and text cell translated
 * (numbers and marks as they were).  NULL + error on allocation failure. */
tbl *langtext_table(const lang_info *lg, const tbl *t, lb_err *e);

#endif

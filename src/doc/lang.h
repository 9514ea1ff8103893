/* lang — the words and conventions a handout's language decides: caption
 * labels ("Figure 1." / "图 1"), the appendix heading word, the date on the
 * title page, the PDF's /Lang, and the typographic defaults that differ
 * between Latin and Chinese text (leading, paragraph indent).
 *
 * A template names its language in its front matter (`lang: zh`); without
 * one it is English.  Every renderer asks this table, so a new language is
 * one more entry here (plus its figure labels, plot/figlang.c).
 *
 * Ownership: static data, never freed; lang_date writes into the caller's
 * buffer.
 */
#ifndef LB_LANG_H
#define LB_LANG_H

#include <stddef.h>

typedef struct lang_info {
    const char *code;        /* "en", "zh": the key of `lang:`, the output
                                suffix (report.zh.pdf) and figure labels */
    const char *bcp47;       /* the PDF's /Lang ("en", "zh-CN") */
    const char *figure_fmt;  /* printf format of a figure label, %d */
    const char *table_fmt;   /* ... of a table label */
    const char *figure_ref;  /* a reference in running text, %s = the
                                number ("Figure %s", "图 %s") */
    const char *table_ref;
    const char *section_ref; /* "Section %s", "第 %s 节" */
    const char *appendix_ref;/* %s = the appendix's number as printed */
    const char *continued;   /* after "Table N" over a continued table */
    const char *dark_png;    /* report.md: link text of NAME.dark.png */
    const char *gp_script;   /* report.md: link text of NAME.gp */
    const char *appendix;    /* the word that starts an appendix heading */
    const char *appendix_fmt;/* its number as printed, %s = "A" */
    double leading;          /* baselineskip factor for body text */
    double parindent;        /* paragraph indent in em of the body font */
} lang_info;

/* The language of `code` ("en", "zh"; also "zh-CN", "zh-Hans", "en-US":
 * the part before '-' or '_' decides, case-insensitive); NULL when
 * unknown.  NULL or "" is English. */
const lang_info *lang_get(const char *code);
/* "en, zh": the known codes, for messages. */
const char *lang_known(void);
/* The date of Unix time `t` (UTC) as written in the language: "November
 * 30, 2026" / "2026 年 11 月 30 日".  Returns the length, 0 when `t` is out
 * of range. */
size_t lang_date(const lang_info *l, long long t, char *buf, size_t n);

#endif

/* lang — see lang.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "doc/lang.h"

static const lang_info S_langs[] = {
    { "en", "en", "Figure %d.", "Table %d.", "Figure %s", "Table %s",
      "Section %s", "Appendix %s", "(continued)", "PNG for dark pages",
      "gnuplot script", "Appendix", "%s", 1.0, 1.5 },
    /* Chinese textbooks: 图 1 / 表 1 without a stop, 第 2 节, 附录 A, （续）,
     * more leading (ctex sets \linespread{1.3}) and a two-character
     * paragraph indent. */
    { "zh", "zh-CN", "\xE5\x9B\xBE %d", "\xE8\xA1\xA8 %d",
      "\xE5\x9B\xBE %s", "\xE8\xA1\xA8 %s",
      "\xE7\xAC\xAC %s \xE8\x8A\x82", "%s", "\xEF\xBC\x88\xE7\xBB\xAD\xEF\xBC\x89",
      "\xE6\xB7\xB1\xE8\x89\xB2\xE9\xA1\xB5\xE9\x9D\xA2\xE7\x94\xA8 PNG",   /* 深色页面用 PNG */
      "gnuplot \xE8\x84\x9A\xE6\x9C\xAC",                          /* gnuplot 脚本 */
      "\xE9\x99\x84\xE5\xBD\x95", "\xE9\x99\x84\xE5\xBD\x95 %s", 1.3, 2.0 },
};

const lang_info *lang_get(const char *code)
{
    if (!code || !*code)
        return &S_langs[0];
    size_t n = strcspn(code, "-_");
    for (size_t i = 0; i < sizeof S_langs / sizeof S_langs[0]; i++)
        if (strlen(S_langs[i].code) == n &&
            strncasecmp(S_langs[i].code, code, n) == 0)
            return &S_langs[i];
    return NULL;
}

const char *lang_known(void)
{
    return "en, zh";
}

size_t lang_date(const lang_info *l, long long t, char *buf, size_t n)
{
    static const char *months[] = { "January", "February", "March", "April",
        "May", "June", "July", "August", "September", "October", "November",
        "December" };
    time_t tt = (time_t)t;
    struct tm tm;
    if (n == 0 || !gmtime_r(&tt, &tm))
        return 0;
    int k;
    if (l && strcmp(l->code, "zh") == 0)
        /* 年 月 日, with the spaces Chinese typesetting puts between
         * numbers and ideographs (the renderer sets them as quarter ems). */
        k = snprintf(buf, n, "%d \xE5\xB9\xB4 %d \xE6\x9C\x88 %d \xE6\x97\xA5",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    else
        k = snprintf(buf, n, "%s %d, %d", months[tm.tm_mon], tm.tm_mday,
                     tm.tm_year + 1900);
    return k < 0 || (size_t)k >= n ? 0 : (size_t)k;
}

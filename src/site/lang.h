/* lang.h - language tags (BCP 47) and each post's language.  Stage file:
 * src/site/lang.c.
 *
 * A post's language is the first that answers (site.c settles it, recorded
 * in dg_post.lang_source): its metadata (lang, language, locale), Hugo's
 * multilingual conventions (post.en.md; a language's contentDir from the
 * site's languages table), a language folder in its path (en/, ja/,
 * zh-tw/: a component that is a tag of a known language), else its text
 * (kana: Japanese, Hangul: Korean, mostly Latin letters: English, otherwise
 * the site's language).
 */
#ifndef DIGEST_SITE_LANG_H
#define DIGEST_SITE_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

/* Longest tag kept: a language, script, region and a variant or two. */
#define DG_LANG_MAX 36

/* Normalizes the tag or locale S (N bytes) into OUT: '_' becomes '-', an
 * encoding or modifier (".UTF-8", "@euro") is dropped, the language is
 * lower case, a script title case, a region upper case ("zh_CN" -> "zh-CN",
 * "en-us" -> "en-US", "zh-hant-tw" -> "zh-Hant-TW"); a few language names
 * are taken too ("English" -> "en", "中文" -> "zh", "日本語" -> "ja").
 * Returns 0, or -1 when S is no well-formed tag (OUT is then ""). */
int dg_lang_normalize(const char *s, size_t n, char out[DG_LANG_MAX]);

/* The same into A; NULL when S is no tag. */
const char *dg_lang_norm(dg_arena *a, const char *s);

/* True when the language of TAG (its first subtag) is one of the languages
 * known by name, so a folder or a file-name part spelled like it is taken
 * for a language ("ja", "zh-tw", "pt-BR"; not "go", "js" or "io"). */
bool dg_lang_known(const char *tag);

/* NAME[0..N) (a folder, or the part of a file name before ".md") as a
 * language: its normalized tag in A when it is a well-formed tag of a known
 * language, else NULL. */
const char *dg_lang_from_name(dg_arena *a, const char *name, size_t n);

/* True when A and B name the same language (their first subtags match,
 * case aside): "en" and "en-US", "zh-CN" and "zh". */
bool dg_lang_same(const char *a, const char *b);

/* Letters of a post's prose by script: Markdown code (fenced blocks, inline
 * code), URLs, link targets and HTML tags are not counted. */
typedef struct dg_lang_counts {
    size_t latin, han, kana, hangul;
} dg_lang_counts;
void dg_lang_count(dg_lang_counts *c, const char *md, size_t len);

/* The language of text with counts C, on a site whose language is SITE:
 * kana (a tenth of the Han and kana) -> "ja"; Hangul (half of the East
 * Asian letters) -> "ko"; mostly Latin letters (East Asian letters under
 * a twentieth of them) -> "en", or SITE when SITE is written in Latin
 * letters too; otherwise SITE (Han text on a site in another script:
 * "zh").  When the answer is SITE's language, SITE itself (with its region)
 * is returned.  Text without letters is SITE's. */
const char *dg_lang_detect(const dg_lang_counts *c, const char *site);

#endif

/* frontmatter_pelican.c - Pelican-style headers.
 *
 * "Title: ...", "Date: ..." lines at the very top, ending at the first blank
 * line (Python-Markdown's meta extension, as Pelican reads it).  Recognised
 * only when the first line is Title: or Date:, so an ordinary first line such
 * as "Note: ..." is never taken for metadata.
 */
#include <string.h>
#include <strings.h>

#include "site/frontmatter.h"

/* Length of the key when LINE is "Key: value" (key of letters, digits, - _). */
static size_t header_key(const char *line, const char *end)
{
    size_t n = 0;
    while (line + n < end &&
           ((line[n] >= 'A' && line[n] <= 'Z') || (line[n] >= 'a' && line[n] <= 'z') ||
            (n > 0 && ((line[n] >= '0' && line[n] <= '9') || line[n] == '-' || line[n] == '_'))))
        n++;
    if (n == 0 || line + n >= end || line[n] != ':')
        return 0;
    if (line + n + 1 < end && line[n + 1] != ' ' && line[n + 1] != '\t' && line[n + 1] != '\n')
        return 0;
    return n;
}

static bool key_is(const char *k, size_t n, const char *name)
{
    return strlen(name) == n && !strncasecmp(k, name, n);
}

int fm_pelican(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
               const char *s, size_t *body_off, dg_diag *d)
{
    const char *end = text + len;
    size_t kl = header_key(s, end);
    if (!kl || !(key_is(s, kl, "title") || key_is(s, kl, "date")))
        return 0;
    int line, col;
    dg_text_position(text, (size_t)(s - text), &line, &col);
    const char *q = s;
    while (q < end) {
        const char *le = fm_line_end(q, end);
        kl = header_key(q, le);
        if (!kl)
            break; /* a blank line or the first line of the body */
        const char *v = q + kl + 1;
        while (v < le && (*v == ' ' || *v == '\t'))
            v++;
        const char *ve = le;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
            ve--;
        char *val = dg_strndup(a, v, (size_t)(ve - v));
        if (key_is(q, kl, "title")) {
            p->title = *val ? val : NULL;
        } else if (key_is(q, kl, "subtitle")) {
            p->subtitle = *val ? val : NULL;
        } else if (key_is(q, kl, "date")) {
            if (dg_date_parse(val, &p->date) != 0) {
                dg_text_position(text, (size_t)(v - text), &line, &col);
                dg_report(d, DG_ERROR, path, line, col, text, len,
                          "'%s' is not a date (use 2025-03-02 or 2025-03-02 10:00); post left out",
                          val);
                return -1;
            }
            p->has_date = true;
            p->date_source = DG_DATE_META;
            p->date_line = line;
        } else if (key_is(q, kl, "number") || key_is(q, kl, "issue")) {
            p->number = fm_number(val);
        } else if (key_is(q, kl, "author") || key_is(q, kl, "authors")) {
            p->author = *val ? val : NULL;
        } else if (key_is(q, kl, "summary") || key_is(q, kl, "description")) {
            p->description = *val ? val : NULL;
        } else if (key_is(q, kl, "tags")) {
            dg_vec vec = {0};
            fm_split_words(a, val, &vec, false);
            p->tags = fm_list(a, &vec, &p->ntags);
        } else if (key_is(q, kl, "category")) {
            if (*val) {
                p->categories = dg_allocn(a, 1, sizeof *p->categories);
                p->categories[0] = val;
                p->ncategories = 1;
            }
        } else if (key_is(q, kl, "lang") || key_is(q, kl, "language") || key_is(q, kl, "locale")) {
            dg_text_position(text, (size_t)(v - text), &line, &col);
            fm_lang(p, a, path, text, len, line, col, val, d);
        } else if (key_is(q, kl, "status")) {
            if (!strcasecmp(val, "draft") || !strcasecmp(val, "hidden"))
                p->published = false;
        }
        q = le < end ? le + 1 : end;
        line++;
    }
    *body_off = (size_t)(q - text);
    return 0;
}


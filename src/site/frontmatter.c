/* frontmatter.c - a post's metadata: which of the three forms the file
 * opens with ("---" YAML, "+++" TOML, Pelican's "Title:" headers), and the
 * rules the three readers share (fences, word lists, issue numbers, key
 * names).  The readers: frontmatter_yaml.c, frontmatter_toml.c,
 * frontmatter_pelican.c.
 */
#include <string.h>
#include <strings.h>

#include "site/frontmatter.h"
#include "site/lang.h"

bool fm_is_fence(const char *s, const char *end, const char *mark)
{
    size_t ml = strlen(mark);
    if ((size_t)(end - s) < ml || memcmp(s, mark, ml) != 0)
        return false;
    for (s += ml; s < end && *s != '\n'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    return true;
}

const char *fm_line_end(const char *s, const char *end)
{
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    return nl ? nl : end;
}

void fm_split_words(dg_arena *a, const char *s, dg_vec *vec, bool at_blanks)
{
    while (*s && vec->len < FM_MAX_LIST) {
        size_t sep = 0;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == ',' || *s == '\n' || *s == '\r')
            sep = 1;
        else if (!strncmp(s, "\xEF\xBC\x8C", 3) || !strncmp(s, "\xE3\x80\x81", 3)) /* ， 、 */
            sep = 3;
        if (sep) {
            s += sep;
            continue;
        }
        const char *w = s;
        while (*s && (!at_blanks || (*s != ' ' && *s != '\t')) && *s != ',' && *s != '\n' &&
               *s != '\r' && strncmp(s, "\xEF\xBC\x8C", 3) && strncmp(s, "\xE3\x80\x81", 3))
            s++;
        const char *we = s;
        while (we > w && (we[-1] == ' ' || we[-1] == '\t'))
            we--;
        if (we > w)
            dg_vec_push(vec, dg_strndup(a, w, (size_t)(we - w)));
    }
}

int fm_find_block(fm_block *b, const char *path, const char *text, size_t len, const char *s,
                  const char *fence, const char *alt_close, dg_diag *d)
{
    const char *end = text + len;
    const char *le = fm_line_end(s, end);
    int col;
    dg_text_position(text, (size_t)(s - text), &b->line, &col);
    b->start = le < end ? le + 1 : end;
    b->stop = b->after = NULL;
    for (const char *q = b->start; q < end;) {
        const char *qe = fm_line_end(q, end);
        if (fm_is_fence(q, end, fence) || (alt_close && fm_is_fence(q, end, alt_close))) {
            b->stop = q;
            b->after = qe < end ? qe + 1 : end;
            break;
        }
        q = qe < end ? qe + 1 : end;
    }
    if (!b->stop) {
        dg_report(d, DG_ERROR, path, b->line, 1, text, len,
                  "front matter opened with '%s' is never closed (no second '%s' line); "
                  "post left out",
                  fence, fence);
        return -1;
    }
    if ((size_t)(b->stop - b->start) > FM_MAX_BYTES) {
        dg_report(d, DG_ERROR, path, b->line, 1, text, len,
                  "front matter is larger than %d KiB; post left out", FM_MAX_KIB);
        return -1;
    }
    return 0;
}

const char **fm_list(dg_arena *a, dg_vec *v, size_t *n)
{
    const char **arr = dg_allocn(a, v->len ? v->len : 1, sizeof *arr);
    for (size_t i = 0; i < v->len; i++)
        arr[i] = v->items[i];
    *n = v->len;
    dg_vec_free(v);
    return arr;
}

const char *fm_join(dg_arena *a, const char *const *names, size_t n)
{
    dg_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            dg_buf_puts(&b, ", ");
        dg_buf_puts(&b, names[i]);
    }
    return b.data ? dg_buf_to_arena(&b, a) : NULL;
}

int fm_number(const char *v)
{
    while (*v == ' ' || *v == '#')
        v++;
    if (!strncasecmp(v, "No.", 3))
        v += 3;
    while (*v == ' ')
        v++;
    long n = 0;
    int digits = 0;
    for (; *v >= '0' && *v <= '9' && digits < 9; v++, digits++)
        n = n * 10 + (*v - '0');
    while (*v == ' ')
        v++;
    return digits && !*v ? (int)n : 0;
}

void fm_lang(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len, int line,
             int col, const char *v, dg_diag *d)
{
    const char *tag = v && *v ? dg_lang_norm(a, v) : NULL;
    if (tag) {
        p->lang = tag;
        p->lang_source = DG_LANG_META;
    } else if (v && *v) {
        dg_report(d, DG_WARNING, path, line, col, text, len,
                  "'%s' is not a language tag (BCP 47: en, zh-CN, ja); the language is found "
                  "from the post's path and text",
                  v);
    }
}

fm_key fm_key_kind(const char *k)
{
    static const struct {
        const char *name;
        fm_key kind;
    } keys[] = {
        {"title", K_TITLE},         {"subtitle", K_SUBTITLE},     {"description", K_DESCRIPTION},
        {"summary", K_DESCRIPTION}, {"excerpt", K_DESCRIPTION},   {"header-img", K_HEADER_IMG},
        {"header_img", K_HEADER_IMG}, {"author", K_AUTHOR},       {"authors", K_AUTHOR},
        {"date", K_DATE},           {"pubdate", K_DATE},          {"pub_date", K_DATE},
        {"publishdate", K_DATE},    {"created", K_DATE},          {"catalog", K_CATALOG},
        {"published", K_PUBLISHED}, {"draft", K_DRAFT},           {"tags", K_TAGS},
        {"tag", K_TAGS},            {"keywords", K_KEYWORDS},     {"categories", K_CATEGORIES},
        {"category", K_CATEGORIES}, {"number", K_NUMBER},         {"issue", K_NUMBER},
        {"lang", K_LANG},           {"language", K_LANG},         {"locale", K_LANG},
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strcasecmp(k, keys[i].name))
            return keys[i].kind;
    return K_NONE;
}

int dg_frontmatter_parse(dg_post *p, dg_arena *a, const char *path, const char *text, size_t len,
                         size_t *body_off, dg_diag *d)
{
    const char *end = text + len, *s = text;
    *body_off = 0;
    s += dg_utf8_bom_len(s, len);
    *body_off = (size_t)(s - text);
    if (fm_is_fence(s, end, "+++"))
        return fm_toml(p, a, path, text, len, s, body_off, d);
    if (!fm_is_fence(s, end, "---"))
        return fm_pelican(p, a, path, text, len, s, body_off, d);
    return fm_yaml(p, a, path, text, len, s, body_off, d);
}

/* check.c - digest check: reads a site as build would and reports every
 * problem, building nothing.
 *
 * Reading the site already reports unreadable files, bad metadata, invalid
 * UTF-8, control characters and posts without a date.  This stage adds what
 * only a build would find: local images that are missing or lie outside
 * the site (scanned in each post's rendered HTML, then located in its
 * Markdown for the position), and posts sharing one date-time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/app.h"
#include "site/site.h"

/* An image reference longer than this is not a path worth checking (data:
 * URLs are skipped before). */
#define CHECK_MAX_SRC 4096

/* True when S starts with a URL scheme ("https:", "data:", "mailto:") or
 * is protocol-relative ("//host"). */
static bool has_scheme(const char *s)
{
    if (s[0] == '/' && s[1] == '/')
        return true;
    const char *c = s;
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
        return false;
    while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
           *c == '+' || *c == '-' || *c == '.')
        c++;
    return *c == ':' && c - s > 1; /* "C:" is a drive, not a scheme */
}

/* The attribute's value as a path: HTML entities &amp; decoded, %XX decoded,
 * query and fragment dropped. */
static char *src_path(dg_arena *a, const char *v, size_t n)
{
    dg_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '?' || v[i] == '#')
            break;
        if (v[i] == '&' && i + 4 < n + 1 && !strncmp(v + i, "&amp;", 5)) {
            dg_buf_putc(&b, '&');
            i += 4;
        } else if (v[i] == '%' && i + 2 < n && dg_hexval(v[i + 1]) >= 0 &&
                   dg_hexval(v[i + 2]) >= 0) {
            dg_buf_putc(&b, (char)(dg_hexval(v[i + 1]) * 16 + dg_hexval(v[i + 2])));
            i += 2;
        } else {
            dg_buf_putc(&b, v[i]);
        }
    }
    if (!b.data)
        dg_buf_puts(&b, "");
    return dg_buf_to_arena(&b, a);
}

/* Where RAW (the reference as written) appears in the post's Markdown, as
 * line and column; the post's body line when it cannot be found. */
static const char *find_in(const dg_post *p, const char *raw, size_t from)
{
    const char *hit = NULL;
    size_t rl = strlen(raw);
    if (rl && from < p->text_len) {
        const char *t = p->text + from;
        const char *end = p->text + p->text_len;
        while (t + rl <= end && (t = memchr(t, raw[0], (size_t)(end - t))) && t + rl <= end) {
            if (!memcmp(t, raw, rl)) {
                hit = t;
                break;
            }
            t++;
        }
    }
    return hit;
}

/* Where the reference appears in the post's Markdown, as line and column:
 * as written in the HTML (RAW), else as decoded (PATH: cmark percent-encodes
 * non-ASCII URLs); the post's body line when it cannot be found. */
static void locate(const dg_post *p, const char *raw, const char *path, size_t from, int *line,
                   int *col)
{
    const char *hit = find_in(p, raw, from);
    if (!hit && path && *path)
        hit = find_in(p, path, from);
    if (hit) {
        dg_text_position(p->text, (size_t)(hit - p->text), line, col);
    } else {
        *line = p->body_line;
        *col = 0;
    }
}

/* Checks one local reference; KIND names it in messages ("image",
 * "header image").  BASE resolves relative paths, ROOT resolves "/x". */
static void check_ref(const dg_site *s, const dg_post *p, dg_arena *a, const char *raw,
                      const char *path, const char *base, const char *kind, size_t from, dg_diag *d)
{
    int line, col;
    /* name it as the Markdown writes it */
    if (!find_in(p, raw, from) && find_in(p, path, from))
        raw = path;
    const char *abs =
        path[0] == '/' ? dg_path_join(a, s->root, path + 1) : dg_path_join(a, base, path);
    abs = dg_path_normalize(a, abs);
    if (!dg_path_inside(s->root, abs)) {
        locate(p, raw, path, from, &line, &col);
        dg_report(d, DG_WARNING, p->path, line, col, p->text, p->text_len,
                  "%s '%s' is outside the site; it will be refused", kind, raw);
        return;
    }
    char *real = realpath(abs, NULL);
    if (!real) {
        locate(p, raw, path, from, &line, &col);
        dg_report(d, DG_WARNING, p->path, line, col, p->text, p->text_len,
                  "%s '%s' is missing (%s)", kind, raw, strerror(errno));
        return;
    }
    bool inside = dg_path_inside(s->root, real);
    bool file = dg_is_file(real);
    free(real);
    if (!inside) {
        locate(p, raw, path, from, &line, &col);
        dg_report(d, DG_WARNING, p->path, line, col, p->text, p->text_len,
                  "%s '%s' is a link to a file outside the site; it will be refused", kind, raw);
    } else if (!file) {
        locate(p, raw, path, from, &line, &col);
        dg_report(d, DG_WARNING, p->path, line, col, p->text, p->text_len, "%s '%s' is not a file",
                  kind, raw);
    }
}

/* Every <img src> of the post's HTML (Markdown images and raw HTML alike). */
static void check_images(const dg_site *s, const dg_post *p, dg_arena *a, dg_diag *d)
{
    size_t body = 0;
    for (int l = 1; body < p->text_len && l < p->body_line; body++)
        l += p->text[body] == '\n';
    for (const char *h = p->html; h && (h = strstr(h, "<img")); h += 4) {
        const char *tag_end = strchr(h, '>');
        if (!tag_end)
            break;
        const char *src = NULL;
        for (const char *q = h + 4; q + 4 < tag_end; q++) {
            if ((q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n') && !strncasecmp(q, "src", 3)) {
                const char *e = q + 3;
                while (*e == ' ')
                    e++;
                if (*e == '=') {
                    src = e + 1;
                    break;
                }
            }
        }
        if (!src)
            continue;
        while (*src == ' ')
            src++;
        char quote = *src == '"' || *src == '\'' ? *src : 0;
        const char *v = quote ? src + 1 : src;
        const char *ve = v;
        while (ve < tag_end && (quote ? *ve != quote : (*ve != ' ' && *ve != '/' && *ve != '>')))
            ve++;
        size_t n = (size_t)(ve - v);
        if (n == 0 || n > CHECK_MAX_SRC)
            continue;
        char *raw = dg_strndup(a, v, n);
        if (has_scheme(raw))
            continue;
        char *path = src_path(a, v, n);
        if (!*path)
            continue;
        check_ref(s, p, a, raw, path, p->dir, "image", body, d);
    }
    if (p->header_img && *p->header_img && !has_scheme(p->header_img)) {
        /* Jekyll themes resolve it against the site, then beside the post */
        const char *hi = p->header_img;
        const char *in_site =
            dg_path_normalize(a, dg_path_join(a, s->root, hi[0] == '/' ? hi + 1 : hi));
        const char *beside = dg_path_normalize(a, dg_path_join(a, p->dir, hi));
        if (!dg_is_file(in_site) && !(hi[0] != '/' && dg_is_file(beside)))
            check_ref(s, p, a, hi, src_path(a, hi, strlen(hi)), s->root, "header image", 0, d);
    }
}

/* ---- quotes turned the wrong way ---------------------------------------------- */

/* Offset of line LINE (1-based) of the post's text. */
static size_t line_offset(const dg_post *p, int line)
{
    size_t off = 0;
    for (int l = 1; l < line && off < p->text_len; off++)
        l += p->text[off] == '\n';
    return off;
}

/* Reports MARK (a UTF-8 quote) on source line LINE: the first on that line,
 * or with LAST the last one. */
static void report_quote(const dg_post *p, int line, bool last, const char *mark, const char *msg,
                         dg_diag *d)
{
    size_t off = line_offset(p, line);
    const char *t = p->text + off, *end = p->text + p->text_len;
    const char *nl = memchr(t, '\n', (size_t)(end - t));
    const char *le = nl ? nl : end, *hit = NULL;
    for (const char *q = t; q + 3 <= le; q++)
        if (!memcmp(q, mark, 3)) {
            hit = q;
            if (!last)
                break;
        }
    int l = line, col = 0;
    if (hit)
        dg_text_position(p->text, (size_t)(hit - p->text), &l, &col);
    dg_report(d, DG_WARNING, p->path, l, col, p->text, p->text_len, "%s", msg);
}

static const char *const quote_tags[] = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", NULL};

/* A paragraph that opens with ” or closes with “ (the digest turns the mark
 * round; the source can be fixed).  Found through the HTML's paragraphs and
 * their data-sourcepos (start and end line). */
static void check_quotes(const dg_post *p, dg_diag *d)
{
    static const char attr[] = " data-sourcepos=\"";
    /* the last line that starts inside the text: positions past it are no
     * cmark's (counted once: a post has many blocks) */
    int last = p->text_len > 0;
    for (size_t i = 0; i + 1 < p->text_len; i++)
        last += p->text[i] == '\n';
    for (const char *h = p->html; h && (h = strstr(h, attr)) != NULL; h += sizeof attr - 1) {
        const char *lt = h;
        while (lt > p->html && *lt != '<')
            lt--;
        size_t tl = (size_t)(h - lt - 1);
        bool block = false;
        for (size_t i = 0; quote_tags[i] && !block; i++)
            block = strlen(quote_tags[i]) == tl && !strncmp(lt + 1, quote_tags[i], tl);
        int l1 = 0, c1 = 0, l2 = 0, c2 = 0;
        const char *gt = strchr(h, '>');
        if (!block || !gt || sscanf(h + sizeof attr - 1, "%d:%d-%d:%d", &l1, &c1, &l2, &c2) != 4 ||
            l1 < p->body_line || l2 < l1 || l2 > last)
            continue; /* not cmark's (raw HTML may say anything) */
        const char *q = gt + 1;
        while (*q == '<' && q[1] != '/' && strncmp(q, "<code", 5) != 0) { /* <em>, <a ...> */
            const char *e = strchr(q, '>');
            if (!e)
                break;
            q = e + 1;
        }
        if (!strncmp(q, "\xE2\x80\x9D", 3))
            report_quote(p, l1, false, "\xE2\x80\x9D",
                         "a closing quote \xE2\x80\x9D opens this paragraph; the digest sets it as "
                         "\xE2\x80\x9C",
                         d);
        /* a paragraph's or heading's end: its last text before </p> */
        if (lt[1] == 'l')
            continue; /* a list item's end may be a nested list's */
        char close[8];
        snprintf(close, sizeof close, "</%.*s>", (int)tl, lt + 1);
        const char *e = strstr(gt, close);
        while (e && e > gt) {
            while (e > gt && (e[-1] == ' ' || e[-1] == '\n'))
                e--;
            if (e > gt && e[-1] == '>') { /* </em>, </a> */
                const char *b = e - 1;
                while (b > gt && *b != '<')
                    b--;
                if (b[1] != '/' || !strncmp(b, "</code>", 7))
                    break;
                e = b;
                continue;
            }
            break;
        }
        if (e && e - gt >= 4 && !strncmp(e - 3, "\xE2\x80\x9C", 3))
            report_quote(
                p, l2, true, "\xE2\x80\x9C",
                "an opening quote \xE2\x80\x9C closes this paragraph; the digest sets it as "
                "\xE2\x80\x9D",
                d);
    }
}

static int cmp_date(const void *x, const void *y)
{
    const dg_post *a = *(dg_post *const *)x, *b = *(dg_post *const *)y;
    int c = dg_datetime_cmp(&a->date, &b->date);
    return c ? c : strcmp(a->relpath, b->relpath);
}

/* Posts whose own metadata or file name give one date-time: a copy-paste
 * slip, or two files for one issue.  Dates from a table, git or mtime are
 * approximate by nature and not compared. */
static void check_duplicates(const dg_site *s, dg_arena *a, dg_diag *d)
{
    dg_post **v = dg_allocn(a, s->nposts ? s->nposts : 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < s->nposts; i++)
        if (s->posts[i]->date_source == DG_DATE_META || s->posts[i]->date_source == DG_DATE_NAME)
            v[n++] = s->posts[i];
    qsort(v, n, sizeof *v, cmp_date);
    for (size_t i = 1; i < n; i++) {
        const dg_post *p = v[i], *q = v[i - 1];
        if (dg_datetime_cmp(&p->date, &q->date) != 0 || p->date.has_time != q->date.has_time)
            continue;
        const dg_datetime *dt = &p->date;
        const char *when = dt->has_time
                               ? dg_sprintf(a, "%04d-%02d-%02d %02d:%02d:%02d", dt->year, dt->month,
                                            dt->day, dt->hour, dt->min, dt->sec)
                               : dg_sprintf(a, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
        dg_report(d, DG_WARNING, p->path, p->date_line, p->date_line ? 1 : 0,
                  p->date_line ? p->text : NULL, p->date_line ? p->text_len : 0,
                  "same date as %s (%s); is one of them misdated?", q->path, when);
    }
}

int dg_check(const dg_options *o, FILE *out, dg_diag *d)
{
    double t0 = dg_now_seconds();
    dg_site *s = NULL;
    dg_site_opts so;
    dg_options_site(o, &so);
    if (dg_site_open_opts(&s, &so, d) != 0)
        return DG_EXIT_USAGE;
    dg_arena *a = dg_arena_new();
    for (size_t i = 0; i < s->nall; i++) {
        check_images(s, s->all[i], a, d);
        check_quotes(s->all[i], d);
    }
    check_duplicates(s, a, d);
    size_t nm = 0;
    dg_site_months(s, &nm);
    int errors = dg_diag_errors(d), warnings = dg_diag_warnings(d);
    if (out)
        fprintf(out,
                "%s: %zu post%s read, %zu in %zu month%s, %zu left out; %d error%s, %d warning%s "
                "(%.2f s)\n",
                o->site, s->nall + (s->nskipped - (s->nall - s->nposts)), s->nall == 1 ? "" : "s",
                s->nposts, nm, nm == 1 ? "" : "s", s->nskipped, errors, errors == 1 ? "" : "s",
                warnings, warnings == 1 ? "" : "s", dg_now_seconds() - t0);
    dg_arena_free(a);
    dg_site_free(s);
    return errors > 0 ? DG_EXIT_INPUT : DG_EXIT_OK;
}

/* check.c - digest check: reads a site as build would and reports every
 * problem, building nothing.
 *
 * Reading the site already reports unreadable files, bad metadata, invalid
 * UTF-8, control characters and posts without a date.  This stage adds what
 * only a build would find: local images that are missing or lie outside
 * the site, and double quotes turned the wrong way, both read from each
 * post's rendered HTML as the build reads it and with the build's own rules
 * (content.h, asset.h, quote.h), then located in its Markdown for the
 * position; posts sharing one date-time; and the site's own templates
 * (one leading out of the site is refused, as the EPUB writer refuses it).
 * Remote images whose fetch failed in a build, as the cache of fetched
 * images in OUT remembers them (imagecache.h), are listed where the posts
 * use them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/app.h"
#include "content/asset.h"
#include "content/book.h"
#include "content/content.h"
#include "content/imagecache.h"
#include "content/quote.h"
#include "content/url.h"
#include "epub/template.h"
#include "site/site.h"

/* Where RAW (the reference as written) appears in the post's Markdown from
 * offset FROM on; NULL when it does not. */
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

typedef struct post_check {
    const dg_site *s;
    const dg_post *p;
    dg_arena *a;
    dg_diag *d;
    size_t body; /* offset of the body in the post's text */
    int last;    /* the last line that starts inside the text: positions
                    past it are no cmark's */
    dg_vec quoted; /* text nodes whose quote was reported (tagged with the edge) */
    const dg_map *failed; /* url -> dg_cache_entry: fetches that failed */
} post_check;

/* A remote image whose fetch failed, reported at RAW in the post. */
static void check_remote(post_check *c, const char *ref, const char *kind, size_t from)
{
    void *v;
    const char *url = dg_url_web(c->a, ref);
    if (!c->failed || !dg_map_get(c->failed, url, &v))
        return;
    const dg_cache_entry *e = v;
    int64_t again = e->time + DG_CACHE_RETRY;
    int line, col;
    locate(c->p, ref, NULL, from, &line, &col);
    dg_report(c->d, DG_WARNING, c->p->path, line, col, c->p->text, c->p->text_len,
              "%s '%s' could not be fetched on %s (%s: %s); it is a placeholder until it is "
              "tried again, %s",
              kind, url, dg_imagecache_time(c->a, e->time, true),
              dg_cache_status_name(e->status), e->reason,
              again <= dg_wall_seconds()
                  ? "by the next build"
                  : dg_sprintf(c->a, "after %s or with --refresh-images",
                               dg_imagecache_time(c->a, again, true)));
}

/* Checks the image reference RAW as a build would resolve it (asset.h):
 * what the build refuses or cannot find is reported where the Markdown has
 * it.  KIND names it ("image", "header image"); FROM is where to look for
 * it in the post's text. */
static void check_ref(post_check *c, const char *raw, bool header, const char *kind, size_t from)
{
    const dg_post *p = c->p;
    const char *why = NULL, *path;
    const char *ref = dg_url_trim(c->a, raw);
    switch (dg_ref_kind_of(ref)) {
    case DG_REF_WEB: check_remote(c, ref, kind, from); return;
    case DG_REF_DATA: return; /* no files */
    case DG_REF_OTHER:
        why = "is neither a local file nor a web address; it will be shown as a placeholder";
        break;
    case DG_REF_LOCAL: break;
    }
    dg_local_status st = why ? DG_LOCAL_FOUND
                             : dg_local_image(c->a, c->s->root, p->dir ? p->dir : c->s->root, ref,
                                              header, &path);
    switch (st) {
    case DG_LOCAL_FOUND: break;
    case DG_LOCAL_NO_FILE: why = "names no file; it will be shown as a placeholder"; break;
    case DG_LOCAL_MISSING: why = "is missing"; break;
    case DG_LOCAL_NOT_FILE: why = "is not a file"; break;
    case DG_LOCAL_OUTSIDE: why = "is outside the site; it will be refused"; break;
    }
    if (!why)
        return;
    /* name it as the Markdown writes it: cmark percent-encodes what it
     * renders, so the decoded form may be the one in the text */
    const char *dec = dg_url_decode(c->a, ref, strlen(ref));
    if (!find_in(p, ref, from) && find_in(p, dec, from))
        ref = dec;
    int line, col;
    locate(p, ref, dec, from, &line, &col);
    dg_report(c->d, DG_WARNING, p->path, line, col, p->text, p->text_len, "%s '%s' %s", kind, ref,
              why);
}

static void check_img(xmlNodePtr img, const char *ref, void *ctx)
{
    (void)img;
    post_check *c = ctx;
    check_ref(c, ref, false, "image", c->body);
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

/* The source lines of the Markdown block around N (its data-sourcepos):
 * -1 when N lies in no block cmark wrote (raw HTML may say anything). */
static int block_lines(const post_check *c, xmlNodePtr n, int *l1, int *l2)
{
    int rc = -1;
    for (; n && n->type != XML_ELEMENT_NODE; n = n->parent)
        ;
    xmlChar *pos = NULL;
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if ((pos = xmlGetProp(n, BAD_CAST "data-sourcepos")) != NULL)
            break;
    int c1, c2;
    if (!pos || sscanf((const char *)pos, "%d:%d-%d:%d", l1, &c1, l2, &c2) != 4 ||
        *l1 < c->p->body_line || *l2 < *l1 || *l2 > c->last)
        goto out;
    rc = 0;
out:
    xmlFree(pos);
    return rc;
}

/* A block that opens with ” or closes with “ (quote.h: the digest turns
 * the mark round; the source can be fixed), reported once per mark. */
static void check_quote(xmlNodePtr block, xmlNodePtr text, bool at_end, void *ctx)
{
    (void)block;
    post_check *c = ctx;
    void *key = (char *)text + at_end; /* text nodes are aligned: the edge fits in bit 0 */
    for (size_t i = 0; i < c->quoted.len; i++)
        if (c->quoted.items[i] == key)
            return;
    dg_vec_push(&c->quoted, key);
    int l1, l2;
    if (block_lines(c, text, &l1, &l2) != 0)
        return;
    if (!at_end)
        report_quote(c->p, l1, false, "\xE2\x80\x9D",
                     "a closing quote \xE2\x80\x9D opens this paragraph; the digest sets it as "
                     "\xE2\x80\x9C",
                     c->d);
    else
        report_quote(c->p, l2, true, "\xE2\x80\x9C",
                     "an opening quote \xE2\x80\x9C closes this paragraph; the digest sets it as "
                     "\xE2\x80\x9D",
                     c->d);
}

/* Images and quotes of one post, read through the HTML as a build reads it
 * (content.h), so check reports what the build will do. */
static int check_post(const dg_site *s, const dg_post *p, const dg_map *failed, dg_arena *a,
                      dg_diag *d)
{
    int rc = -1;
    htmlDocPtr doc = NULL;
    post_check c = {.s = s, .p = p, .a = a, .d = d, .failed = failed};
    for (int l = 1; c.body < p->text_len && l < p->body_line; c.body++)
        l += p->text[c.body] == '\n';
    c.last = p->text_len > 0;
    for (size_t i = 0; i + 1 < p->text_len; i++)
        c.last += p->text[i] == '\n';
    if (p->header_img && *p->header_img)
        check_ref(&c, p->header_img, true, "header image", 0);
    if (dg_content_parse(p->html ? p->html : "", p->path, &doc, d) != 0)
        goto out;
    dg_content_images(doc, check_img, &c);
    dg_quote_scan(xmlDocGetRootElement(doc), check_quote, &c);
    rc = 0;
out:
    if (doc)
        xmlFreeDoc(doc);
    dg_vec_free(&c.quoted);
    return rc;
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
    int st = DG_EXIT_USAGE;
    dg_site *s = NULL;
    dg_arena *a = NULL;
    dg_site_opts so;
    dg_options_site(o, &so);
    if (dg_site_open_opts(&s, &so, d) != 0)
        goto out; /* reported */
    a = dg_arena_new();
    /* the failures the cache of fetched images remembers */
    const char *out_dir = o->out_dir ? o->out_dir : dg_path_join(a, s->root, "_digests");
    dg_cache_entry **ce;
    dg_cache_stats cs;
    size_t nce = dg_imagecache_read(dg_path_join(a, out_dir, ".digest-cache/images"), a, &ce, &cs);
    dg_map failed;
    dg_map_init(&failed, a);
    for (size_t i = 0; i < nce; i++)
        if (ce[i]->status != DG_CACHE_OK)
            dg_map_put(&failed, ce[i]->url, ce[i]);
    for (size_t i = 0; i < s->nall; i++)
        check_post(s, s->all[i], &failed, a, d); /* a failure is reported: go on */
    check_duplicates(s, a, d);
    /* the site's own templates, read as the EPUB writer reads them: one that
     * leads out of the site or cannot be used is reported the same way */
    const char *tdir = dg_templates_dir(s, a);
    for (size_t i = 0; tdir && dg_template_names[i]; i++)
        (void)dg_template_load(a, tdir, dg_template_names[i], d);
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
    st = errors > 0 ? DG_EXIT_INPUT : DG_EXIT_OK;
out:
    if (a)
        dg_arena_free(a);
    if (s)
        dg_site_free(s);
    return st;
}

/* catalog.c - OUT/index.html and OUT/catalog.xml (catalog.h), put together
 * from per-book fragments that only a build of that book rewrites.
 *
 * A book's fragments, in OUT/.digest-state/, named by its key (YYYY-MM, or
 * YYYY and all for a volume, with .LANG for a book of one language):
 * KEY.card.html (its card in index.html), KEY.entry.xml (its OPDS entry) and
 * KEY.updated (its modified time, for the feed's own <updated>); its cover is
 * OUT/covers/KEY.jpg and the thumbnail the page and the feed's list show is
 * OUT/covers/KEY.thumb.jpg.  The fragments are escaped when written, so
 * putting the files together is concatenation: nothing is parsed back.
 * Links are relative to OUT: the folder works from file:// and from any
 * static web server.  The volumes come first, in a group of their own (the
 * complete volume, then the years, newest first), then the months, newest
 * first, as a library lists new arrivals; without volumes the page is the
 * months' cards alone.
 */
#include "app/catalog.h"
#include "app/outdir.h"
#include "app/stamp.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

#define OPDS_ACQ "application/atom+xml;profile=opds-catalog;kind=acquisition"
/* A fragment is small (a card lists a month's titles); one larger than
 * this was not written by digest and is left out. */
#define CATALOG_MAX_FRAGMENT (1u << 20)

static void esc(dg_buf *b, const char *s)
{
    if (s)
        dg_buf_put_xml(b, s, strlen(s));
}

/* "1.2 MB", "340 KB" */
static const char *size_label(dg_arena *a, long long n)
{
    if (n >= 1000 * 1000)
        return dg_sprintf(a, "%.1f MB", (double)n / 1e6);
    return dg_sprintf(a, "%lld KB", (n + 999) / 1000);
}

static long long file_size(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
}

/* A book's fragments in OUT/.digest-state/, named KEY + suffix. */
enum { FRAG_CARD, FRAG_ENTRY, FRAG_UPDATED, NFRAGS };
static const char *const FRAG_SUFFIX[NFRAGS] = {".card.html", ".entry.xml", ".updated"};

static const char *fragment_path(dg_arena *a, const char *out_dir, const char *key, int kind)
{
    return dg_sprintf(a, "%s/.digest-state/%s%s", out_dir, key, FRAG_SUFFIX[kind]);
}

bool dg_catalog_has(const char *out_dir, const char *key)
{
    dg_arena *a = dg_arena_new();
    bool has = dg_is_file(fragment_path(a, out_dir, key, FRAG_ENTRY));
    dg_arena_free(a);
    return has;
}

/* Writes the LEN bytes of DATA to PATH (atomically: dg_write_file_atomic);
 * -1 after reporting an error of kind KIND. */
static int put_file(const char *path, const void *data, size_t len, dg_severity kind, dg_diag *d)
{
    if (dg_write_file_atomic(path, data ? data : "", len) != 0) {
        dg_report_file(d, kind, path, "cannot write: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static int put_fragment(const char *path, dg_buf *b, dg_diag *d)
{
    return put_file(path, b->data, b->len, DG_ERROR, d);
}

/* A volume's card lists its parts: the months of a year, the years of the
 * complete volume, each with its number of posts. */
static void card_parts(dg_buf *card, const dg_book *b)
{
    for (size_t k = 0; k < b->ngroups; k++) {
        const dg_book_group *g = &b->groups[k];
        if (g->level != 1)
            continue;
        size_t end = b->nchapters;
        for (size_t n = k + 1; n < b->ngroups && end == b->nchapters; n++)
            if (b->groups[n].level == 1)
                end = b->groups[n].first;
        dg_buf_puts(card, "<li>");
        esc(card, g->label);
        dg_buf_printf(card, " <span class=\"n\">(%zu)</span></li>\n", end - g->first);
    }
}

/* OUT's copy of book KEY's cover, or (THUMB) of its thumbnail, relative to
 * OUT. */
static const char *cover_name(dg_arena *a, const char *key, bool thumb)
{
    return dg_sprintf(a, "covers/%s%s" DG_COVER_EXT, key, thumb ? ".thumb" : "");
}

/* Removes book KEY's cover and thumbnail as OUT/covers held them before
 * covers were JPEGs (KEY.png, KEY.thumb.png), if they are there. */
static void drop_png_covers(const char *out_dir, const char *key, dg_arena *a)
{
    unlink(dg_path_join(a, out_dir, dg_sprintf(a, "covers/%s.png", key)));
    unlink(dg_path_join(a, out_dir, dg_sprintf(a, "covers/%s.thumb.png", key)));
}

/* Writes B's cover and its thumbnail into OUT/covers (the same bytes left
 * alone); *COVER and *THUMB are their names relative to OUT (the thumbnail
 * is the cover when the book has none or it cannot be written).  -1 after
 * reporting when the cover cannot be written. */
static int put_covers(const char *out_dir, const dg_book *b, const char *key, dg_arena *a,
                      const char **cover, const char **thumb, dg_diag *d)
{
    *cover = cover_name(a, key, false);
    *thumb = cover_name(a, key, true);
    const char *cp = dg_path_join(a, out_dir, *cover), *tp = dg_path_join(a, out_dir, *thumb);
    if (put_file(cp, b->cover_jpeg, b->cover_jpeg_len, DG_ERROR, d) != 0)
        return -1;
    if (!b->cover_thumb_jpeg ||
        put_file(tp, b->cover_thumb_jpeg, b->cover_thumb_jpeg_len, DG_WARNING, d) != 0)
        *thumb = *cover;
    drop_png_covers(out_dir, key, a);
    return 0;
}

int dg_catalog_book(const char *out_dir, const dg_book *b, const char *key, const char *epub,
                    const char *pdf, dg_diag *d)
{
    int rc = -1;
    dg_arena *a = dg_arena_new();
    const char *state = dg_path_join(a, out_dir, ".digest-state");
    const char *covers = dg_path_join(a, out_dir, "covers");
    const char *cover = NULL, *thumb = NULL;
    dg_buf card = {0}, entry = {0}, upd = {0};
    long long esz = file_size(epub), psz = file_size(pdf);
    const char *ename = epub ? dg_path_basename(epub) : NULL;
    const char *pname = pdf ? dg_path_basename(pdf) : NULL;
    if (dg_mkdir_p(state) != 0 || dg_mkdir_p(covers) != 0) {
        dg_report_file(d, DG_ERROR, out_dir, "cannot make the catalog's folders");
        goto out;
    }
    if (b->cover_jpeg && put_covers(out_dir, b, key, a, &cover, &thumb, d) != 0)
        goto out;

    /* the card */
    bool volume = b->group_depth > 0;
    dg_buf_printf(&card, "<article class=\"%s\" id=\"%c%s\">\n", volume ? "month volume" : "month",
                  volume ? 'v' : 'm', key);
    if (cover) {
        dg_buf_printf(&card, "<a href=\"%s\"><img src=\"%s\" alt=\"", cover, thumb);
        esc(&card, b->title);
        dg_buf_puts(&card, "\" width=\"160\" height=\"256\"/></a>\n");
    }
    dg_buf_puts(&card, "<div class=\"text\">\n<h2>");
    esc(&card, b->month_label ? b->month_label : b->month);
    dg_buf_puts(&card, "</h2>\n<ol>\n");
    if (volume)
        card_parts(&card, b);
    for (size_t i = 0; i < b->nchapters && !volume; i++) {
        dg_buf_puts(&card, "<li>");
        esc(&card, dg_post_display_title(a, b->chapters[i].post, b->lang));
        dg_buf_puts(&card, "</li>\n");
    }
    dg_buf_puts(&card, "</ol>\n<p class=\"get\">");
    if (esz >= 0) {
        dg_buf_puts(&card, "<a href=\"");
        esc(&card, ename);
        dg_buf_printf(&card, "\" type=\"application/epub+zip\">EPUB</a> (%s)", size_label(a, esz));
    }
    if (psz >= 0) {
        dg_buf_printf(&card, "%s<a href=\"", esz >= 0 ? " · " : "");
        esc(&card, pname);
        dg_buf_printf(&card, "\" type=\"application/pdf\">PDF</a> (%s)", size_label(a, psz));
    }
    dg_buf_puts(&card, "</p>\n</div>\n</article>\n");

    /* the OPDS entry */
    dg_buf_puts(&entry, "<entry>\n<title>");
    esc(&entry, b->title);
    dg_buf_puts(&entry, "</title>\n<id>");
    esc(&entry, b->uuid);
    dg_buf_printf(&entry, "</id>\n<updated>%s</updated>\n", b->modified_iso);
    if (b->author) {
        dg_buf_puts(&entry, "<author><name>");
        esc(&entry, b->author);
        dg_buf_puts(&entry, "</name></author>\n");
    }
    dg_buf_puts(&entry, "<dc:language>");
    esc(&entry, b->lang);
    dg_buf_puts(&entry, "</dc:language>\n");
    for (size_t i = 0; i < b->nsubjects; i++) {
        dg_buf_puts(&entry, "<category term=\"");
        esc(&entry, b->subjects[i]);
        dg_buf_puts(&entry, "\"/>\n");
    }
    if (b->description) {
        dg_buf_puts(&entry, "<summary>");
        esc(&entry, b->description);
        dg_buf_puts(&entry, "</summary>\n");
    }
    if (cover)
        dg_buf_printf(&entry,
                      "<link rel=\"http://opds-spec.org/image\" href=\"%s\" "
                      "type=\"" DG_COVER_MEDIA_TYPE "\"/>\n"
                      "<link rel=\"http://opds-spec.org/image/thumbnail\" href=\"%s\" "
                      "type=\"" DG_COVER_MEDIA_TYPE "\"/>\n",
                      cover, thumb);
    if (esz >= 0) {
        dg_buf_puts(&entry, "<link rel=\"http://opds-spec.org/acquisition\" href=\"");
        esc(&entry, ename);
        dg_buf_printf(&entry, "\" type=\"application/epub+zip\" length=\"%lld\"/>\n", esz);
    }
    if (psz >= 0) {
        dg_buf_puts(&entry, "<link rel=\"http://opds-spec.org/acquisition\" href=\"");
        esc(&entry, pname);
        dg_buf_printf(&entry, "\" type=\"application/pdf\" length=\"%lld\"/>\n", psz);
    }
    dg_buf_puts(&entry, "</entry>\n");
    dg_buf_puts(&upd, b->modified_iso);

    if (put_fragment(fragment_path(a, out_dir, key, FRAG_CARD), &card, d) != 0 ||
        put_fragment(fragment_path(a, out_dir, key, FRAG_ENTRY), &entry, d) != 0 ||
        put_fragment(fragment_path(a, out_dir, key, FRAG_UPDATED), &upd, d) != 0)
        goto out;
    rc = 0;
out:
    dg_buf_free(&card);
    dg_buf_free(&entry);
    dg_buf_free(&upd);
    dg_arena_free(a);
    return rc;
}

static const char STYLE[] =
    "body{font-family:sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}\n"
    "h1{font-size:1.6em}\n"
    "article.month{display:flex;gap:1.2em;margin:1.2em 0;padding:1em;border:1px solid #ddd;"
    "border-radius:6px}\n"
    "article.month img{flex:none;width:160px;height:256px;box-shadow:0 1px 4px #999}\n"
    "article.month h2{margin:0 0 .4em 0;font-size:1.25em}\n"
    "article.month ol{margin:0 0 .6em 1.2em;padding:0}\n"
    "article.volume{background:#f6f8fa}\n"
    "article.volume ol{list-style:none;margin-left:0}\n"
    "h2.group{font-size:1.35em;margin:1.4em 0 .2em 0;color:#555}\n"
    "span.n{color:#666}\n"
    "p.get a{color:#1a5fb4}\n";

/* The fragments of the books KEYS (N, in the order shown) that OUT holds:
 * cards to HTML, entries to ENTRIES, the newest updated time to UPDATED.
 * Returns how many. */
static size_t put_books(dg_arena *a, const char *out_dir, const char *const *keys, size_t n,
                        dg_buf *html, dg_buf *entries, char updated[32])
{
    size_t found = 0;
    for (size_t k = 0; k < n; k++) {
        char *card = NULL, *entry = NULL, *upd = NULL;
        size_t clen, elen, ulen;
        const char *m = keys[k];
        if (dg_read_file_max(fragment_path(a, out_dir, m, FRAG_CARD), CATALOG_MAX_FRAGMENT, &card,
                             &clen) == 0 &&
            dg_read_file_max(fragment_path(a, out_dir, m, FRAG_ENTRY), CATALOG_MAX_FRAGMENT, &entry,
                             &elen) == 0 &&
            dg_read_file_max(fragment_path(a, out_dir, m, FRAG_UPDATED), 64, &upd, &ulen) == 0) {
            dg_buf_put(html, card, clen);
            dg_buf_put(entries, entry, elen);
            if (ulen == 20 && strcmp(upd, updated) > 0)
                memcpy(updated, upd, 21);
            found++;
        }
        free(card);
        free(entry);
        free(upd);
    }
    return found;
}

/* Writes OUT/index.html and OUT/catalog.xml from the fragments of the
 * books VOLUMES and MONTHS (keys, each in the order shown) that OUT holds. */
/* The feed of a split site's books in LANG. */
static const char *lang_feed(dg_arena *a, const char *lang)
{
    return dg_sprintf(a, "catalog.%s.xml", lang);
}

/* A split site's feeds, one per language, as OPDS facets (OPDS 1.2, 4.3):
 * one link each in every feed, the feed's own marked active. */
static void facet_links(dg_buf *feed, dg_arena *a, const char *const *langs, size_t nlangs,
                        const char *active)
{
    for (size_t i = 0; i < nlangs; i++) {
        dg_buf_puts(feed, "<link rel=\"http://opds-spec.org/facet\" href=\"");
        esc(feed, lang_feed(a, langs[i]));
        dg_buf_puts(feed, "\" type=\"" OPDS_ACQ "\" title=\"");
        esc(feed, langs[i]);
        dg_buf_printf(feed, "\" opds:facetGroup=\"Language\"%s/>\n",
                      active && !strcmp(active, langs[i]) ? " opds:activeFacet=\"true\"" : "");
    }
}

/* Writes OUT/FILE, the feed of the books VOLUMES and MONTHS (fragment keys),
 * and with PAGE OUT/index.html, their cards.  LANGS: a split site's
 * languages (the feeds of each linked as facets), ACTIVE the language of
 * this feed (NULL: the whole site's). */
static int catalog_write(const char *out_dir, const char *file, bool page, const char *site_title,
                         const char *lang, const char *const *langs, size_t nlangs,
                         const char *active, const char *const *volumes, size_t nvolumes,
                         const char *const *months, size_t nmonths, dg_diag *d)
{
    int rc = -1;
    dg_arena *a = dg_arena_new();
    dg_buf html = {0}, feed = {0}, vhtml = {0}, mhtml = {0}, entries = {0};
    char updated[32] = "1970-01-01T00:00:00Z";
    dg_buf_puts(&html, "<!DOCTYPE html>\n<html");
    if (lang && *lang) {
        dg_buf_puts(&html, " lang=\"");
        esc(&html, lang);
        dg_buf_puts(&html, "\"");
    }
    dg_buf_puts(&html, ">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
    esc(&html, site_title);
    dg_buf_printf(&html,
                  "</title>\n<link rel=\"alternate\" type=\"" OPDS_ACQ "\" href=\"catalog.xml\"/>\n"
                  "<style>\n%s</style>\n</head>\n<body>\n<h1>",
                  STYLE);
    esc(&html, site_title);
    dg_buf_puts(&html, "</h1>\n<p><a href=\"catalog.xml\">OPDS catalog</a>");
    for (size_t i = 0; i < nlangs; i++) {
        dg_buf_puts(&html, " · <a href=\"");
        esc(&html, lang_feed(a, langs[i]));
        dg_buf_puts(&html, "\">");
        esc(&html, langs[i]);
        dg_buf_puts(&html, "</a>");
    }
    dg_buf_puts(&html, "</p>\n");
    size_t nv = put_books(a, out_dir, volumes, nvolumes, &vhtml, &entries, updated);
    size_t nm = put_books(a, out_dir, months, nmonths, &mhtml, &entries, updated);
    /* the volumes and the months in a group each, when there are volumes */
    if (nv > 0) {
        dg_buf_puts(&html, "<section class=\"volumes\">\n<h2 class=\"group\">");
        esc(&html, dg_label(lang, DG_LABEL_VOLUMES));
        dg_buf_puts(&html, "</h2>\n");
        dg_buf_put(&html, vhtml.data, vhtml.len);
        dg_buf_puts(&html, "</section>\n");
        if (nm > 0) {
            dg_buf_puts(&html, "<section class=\"months\">\n<h2 class=\"group\">");
            esc(&html, dg_label(lang, DG_LABEL_MONTHS));
            dg_buf_puts(&html, "</h2>\n");
        }
    }
    if (nm > 0)
        dg_buf_put(&html, mhtml.data, mhtml.len);
    if (nv > 0 && nm > 0)
        dg_buf_puts(&html, "</section>\n");
    dg_buf_puts(&html, "</body>\n</html>\n");

    dg_buf_puts(&feed, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                       "xmlns:dc=\"http://purl.org/dc/terms/\" "
                       "xmlns:opds=\"http://opds-spec.org/2010/catalog\">\n");
    uint64_t id = dg_hash64(site_title, strlen(site_title), 0);
    if (active) /* a language's feed is a feed of its own */
        id = dg_hash64(active, strlen(active), id);
    dg_buf_printf(&feed, "<id>urn:digest:%016llx</id>\n<title>", (unsigned long long)id);
    esc(&feed, site_title);
    if (active) {
        dg_buf_puts(&feed, " · ");
        esc(&feed, active);
    }
    dg_buf_printf(&feed, "</title>\n<updated>%s</updated>\n<author><name>", updated);
    esc(&feed, site_title);
    dg_buf_puts(&feed, "</name></author>\n<link rel=\"self\" href=\"");
    esc(&feed, file);
    dg_buf_puts(&feed, "\" type=\"" OPDS_ACQ "\"/>\n"
                       "<link rel=\"start\" href=\"catalog.xml\" type=\"" OPDS_ACQ "\"/>\n");
    facet_links(&feed, a, langs, nlangs, active);
    if (entries.data)
        dg_buf_put(&feed, entries.data, entries.len);
    dg_buf_puts(&feed, "</feed>\n");

    const char *hp = dg_path_join(a, out_dir, "index.html");
    const char *fp = dg_path_join(a, out_dir, file);
    if ((page && put_fragment(hp, &html, d) != 0) || put_fragment(fp, &feed, d) != 0)
        goto out;
    rc = 0;
out:
    dg_buf_free(&html);
    dg_buf_free(&feed);
    dg_buf_free(&vhtml);
    dg_buf_free(&mhtml);
    dg_buf_free(&entries);
    dg_arena_free(a);
    return rc;
}

/* The language feeds a build wrote are listed in .digest-state/catalog.feeds;
 * those of an earlier build that this one did not write (the site lost a
 * language, or is no longer split) are removed.  Only names of the form
 * lang_feed makes are touched. */
static void drop_old_feeds(const char *out_dir, const char *const *now, size_t n, dg_arena *a,
                           dg_diag *d)
{
    const char *list = dg_path_join(a, out_dir, ".digest-state/catalog.feeds");
    char *old = NULL;
    size_t len = 0;
    if (dg_read_file_max(list, 64 * 1024, &old, &len) == 0) {
        for (char *line = strtok(old, "\n"); line; line = strtok(NULL, "\n")) {
            bool keep = strchr(line, '/') || strncmp(line, "catalog.", 8) != 0 ||
                        strlen(line) < 13 || strcmp(line + strlen(line) - 4, ".xml") != 0;
            for (size_t i = 0; i < n && !keep; i++)
                keep = !strcmp(line, now[i]);
            if (!keep && unlink(dg_path_join(a, out_dir, line)) != 0 && errno != ENOENT)
                dg_report_file(d, DG_WARNING, line, "cannot remove the old feed (%s)",
                               strerror(errno));
        }
        free(old);
    }
    dg_buf b = {0};
    for (size_t i = 0; i < n; i++)
        dg_buf_printf(&b, "%s\n", now[i]);
    if (n == 0)
        unlink(list);
    else
        put_file(list, b.data, b.len, DG_WARNING, d);
    dg_buf_free(&b);
}

int dg_catalog_site(const char *out_dir, const dg_site *site, bool split, dg_diag *d)
{
    dg_arena *a = dg_arena_new();
    size_t nm = 0, nl = split ? site->nlangs : 1;
    const char **all = dg_site_months(site, &nm);
    const char **months = dg_allocn(a, nm * nl + 1, sizeof *months);
    const char **vols = dg_allocn(a, (nm + 1) * nl + 1, sizeof *vols);
    size_t k = 0, v = 0;
    /* every book the site may have in OUT, whichever periods this build
     * made, so that the catalog is the same whichever build writes it last;
     * the books of one month (year) in the languages' reverse order */
    for (size_t g = nl; g-- > 0;)
        vols[v++] = dg_book_key(a, "all", split ? site->langs[g] : NULL);
    for (size_t i = nm; i-- > 0;) {
        bool new_year = i + 1 == nm || strncmp(all[i], all[i + 1], 4) != 0;
        for (size_t g = nl; g-- > 0;) {
            const char *lang = split ? site->langs[g] : NULL;
            months[k++] = dg_book_key(a, all[i], lang);
            if (new_year)
                vols[v++] = dg_book_key(a, dg_strndup(a, all[i], 4), lang);
        }
    }
    /* in turn with other builds of OUT (a plan's commands): each wrote its
     * fragments before, so the last to put the files together sees them all */
    int rc = 0;
    int lock = dg_out_lock_month(a, dg_path_join(a, out_dir, ".digest-state/catalog.lock"));
    /* a split site of several languages: a feed per language too */
    size_t nf = split && nl > 1 ? nl : 0;
    const char *const *langs = nf ? (const char *const *)site->langs : NULL;
    if (lock >= 0 || errno != EINTR) { /* (no lock to be had: written all the same) */
        rc = catalog_write(out_dir, "catalog.xml", true, site->title, site->lang, langs, nf, NULL,
                           vols, v, months, k, d);
        for (size_t g = 0; g < nf && rc == 0; g++) {
            /* the books of language G: every NL-th key, from its place */
            const char **lv = dg_allocn(a, v / nl + 1, sizeof *lv);
            const char **lm = dg_allocn(a, k / nl + 1, sizeof *lm);
            size_t nlv = 0, nlm = 0;
            for (size_t i = nl - 1 - g; i < v; i += nl)
                lv[nlv++] = vols[i];
            for (size_t i = nl - 1 - g; i < k; i += nl)
                lm[nlm++] = months[i];
            rc = catalog_write(out_dir, lang_feed(a, site->langs[g]), false, site->title,
                               site->langs[g], langs, nf, site->langs[g], lv, nlv, lm, nlm, d);
        }
        const char **feeds = dg_allocn(a, nf + 1, sizeof *feeds);
        for (size_t g = 0; g < nf; g++)
            feeds[g] = lang_feed(a, site->langs[g]);
        if (rc == 0)
            drop_old_feeds(out_dir, feeds, nf, a, d);
    }
    if (lock >= 0)
        close(lock);
    dg_arena_free(a);
    return rc;
}

int dg_catalog_forget(const char *out_dir, const char *key, dg_diag *d)
{
    int rc = 0;
    dg_arena *a = dg_arena_new();
    const char *files[NFRAGS + 2];
    for (int k = 0; k < NFRAGS; k++)
        files[k] = fragment_path(a, out_dir, key, k);
    files[NFRAGS] = dg_path_join(a, out_dir, cover_name(a, key, false));
    files[NFRAGS + 1] = dg_path_join(a, out_dir, cover_name(a, key, true));
    drop_png_covers(out_dir, key, a);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        const char *p = files[i];
        if (unlink(p) != 0 && errno != ENOENT) {
            dg_report_file(d, DG_ERROR, p, "cannot remove (%s)", strerror(errno));
            rc = -1;
        }
    }
    dg_arena_free(a);
    return rc;
}

/* build.c - the batch: months of a site built in parallel, incrementally
 * (a month whose fingerprint did not change is skipped: stamp.h), with
 * progress.  Each month is one dg_book written by the EPUB and PDF writers;
 * fonts are opened once and shared.  With --period year or all, the
 * volumes are built after the months, each from its months' fingerprints
 * (a year is rebuilt when one of its months changed).  OUT is checked to be writable before
 * any work and temporaries a killed build left in it are removed
 * (outdir.h); SIGINT and SIGTERM stop the build at the next safe point
 * (interrupt.h). */
#include "app/app.h"
#include "app/catalog.h"
#include "app/interrupt.h"
#include "app/outdir.h"
#include "app/stamp.h"
#include "base/fs.h"
#include "content/fetch.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "content/book.h"
#include "cover/cover.h"
#include "epub/epub.h"
#include "pdf/pdf.h"
#include "site/site.h"

/* More workers than this only adds memory: each holds a month's trees and
 * a libharu document. */
#define DG_MAX_JOBS 64

void dg_options_init(dg_options *o)
{
    memset(o, 0, sizeof *o);
    o->epub = true;
    o->pdf = true;
    o->progress = true;
    o->pdf_opts.link_notes = -1;
    o->pdf_opts.page = DG_PAGE_A4;
    o->fetch_images = true; /* --offline or fetch_images: false turn it off */
    o->split_languages = -1;
    o->periods = DG_PERIOD_MONTH;
}

void dg_options_site(const dg_options *o, dg_site_opts *so)
{
    memset(so, 0, sizeof *so);
    so->root = o->site;
    so->posts_dir = o->posts_dir;
    so->include = (const char *const *)o->include;
    so->ninclude = o->ninclude;
    so->exclude = (const char *const *)o->exclude;
    so->nexclude = o->nexclude;
    so->dates_file = o->dates_file;
    so->dates = o->dates;
    so->ndates = o->ndates;
    so->dates_origin = o->dates_origin;
    so->date_from = o->date_from;
    so->title = o->site_title;
    so->author = o->author;
    so->lang = o->lang;
    so->templates_dir = o->templates_dir;
    so->languages = o->languages;
    so->nlanguages = o->nlanguages;
}

const char *dg_output_name(dg_arena *a, const char *pattern, const char *month)
{
    if (!pattern || !*pattern)
        return dg_strdup(a, month);
    dg_buf b = {0};
    int mon = atoi(month + 5);
    for (const char *p = pattern; *p;) {
        if (!strncmp(p, "{yyyy}", 6) || !strncmp(p, "{year}", 6)) {
            dg_buf_put(&b, month, 4);
            p += 6;
        } else if (!strncmp(p, "{mm}", 4)) {
            dg_buf_put(&b, month + 5, 2);
            p += 4;
        } else if (!strncmp(p, "{m}", 3)) {
            dg_buf_printf(&b, "%d", mon);
            p += 3;
        } else if (!strncmp(p, "{month}", 7)) {
            dg_buf_puts(&b, month);
            p += 7;
        } else {
            /* a folder separator would escape the output folder's layout */
            dg_buf_putc(&b, *p == '/' || *p == '\\' ? '-' : *p);
            p++;
        }
    }
    return dg_buf_to_arena(&b, a);
}

int dg_build_open_site(const dg_options *o, dg_site **site, dg_diag *d)
{
    dg_site_opts so;
    dg_options_site(o, &so);
    so.lazy_html = true; /* a build renders the Markdown of the months it builds */
    return dg_site_open_opts(site, &so, d);
}

const char *dg_build_out_dir(dg_arena *a, const dg_options *o, const dg_site *site)
{
    return o->out_dir ? o->out_dir : dg_path_join(a, site->root, "_digests");
}

const char *dg_build_image_cache(dg_arena *a, const char *out_dir)
{
    return dg_path_join(a, out_dir, ".digest-cache/images");
}

static bool month_valid(const char *m)
{
    if (strlen(m) != 7 || m[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (m[i] < '0' || m[i] > '9'))
            return false;
    int mon = atoi(m + 5);
    return mon >= 1 && mon <= 12;
}

typedef struct job {
    const dg_options *o;
    const dg_site *site;
    dg_diag *d;
    dg_fonts *fonts;
    const char *out_dir;
    dg_imagecache *cache;    /* OUT/.digest-cache/images (imagecache.h) */
    dg_fetcher *fetcher;     /* NULL: --offline (fetch.h) */
    const char *cover_cache; /* OUT/.digest-cache/covers (cover.h) */
    const dg_image *cover_picture; /* digest.yaml cover_image, loaded once */
    const char **months;
    const char **langs; /* per month: the language of a book of one language, or NULL */
    size_t nmonths;     /* books, in fact: a month once per language when split */
    atomic_size_t next;
    atomic_size_t done;
    atomic_int failed;   /* months whose output could not be written */
    atomic_int skipped;  /* months up to date */
    atomic_int built;    /* months built */
    dg_test_raise hook;
    atomic_size_t placeholders; /* remote images not in the cache, by dg_fetch_outcome */
    atomic_size_t outcomes[DG_OUTCOME_NO_CURL + 1];
    uint64_t run_stamp;  /* the fingerprint's part shared by every month (stamp.h) */
    /* Volumes (--period year, all): each month above is also fingerprinted
     * for its volumes; WRITE says whether its own books are made. */
    bool *write;         /* per month: its books are made (NULL: every month's) */
    uint64_t *hash;      /* per month: its fingerprint, once decided (0: none) */
    dg_volume *vols;     /* the volumes to build, after the months */
    size_t nvols;
    atomic_size_t vnext;
    size_t nbooks; /* books made: months written and volumes, for progress */
    int cores;      /* the processors this process may use (dg_cores) */
    atomic_int writing; /* books being written (write_book) */
} job;

/* Book INDEX when the record of the files its book read gives its
 * fingerprint (dg_month_quick_hash, KEY from dg_stamp_quick): kept for its
 * volumes, and when its own books are made and up to date (dg_month_fresh)
 * counted and shown as up to date.  True then, or when the month is
 * fingerprinted for its volumes only: no book to make. */
static bool quick_skip(job *j, size_t index, uint64_t key, double t0)
{
    const char *month = j->months[index], *lang = j->langs[index];
    dg_arena *a = dg_arena_new();
    dg_month_files f;
    dg_month_files_of(a, j->o, j->out_dir, month, lang, &f);
    size_t nch = 0;
    uint64_t h = 0;
    bool known = dg_month_quick_hash(j->o, &f, key, &h, &nch);
    bool own = !j->write || j->write[index];
    bool fresh = known && own && dg_month_fresh(j->o, &f, h, j->fonts);
    if (known)
        j->hash[index] = h;
    if (fresh) {
        atomic_fetch_add(&j->skipped, 1);
        size_t done = atomic_fetch_add(&j->done, 1) + 1;
        if (j->o->progress)
            dg_progress(j->d, "[%zu/%zu] %s%s%s: %zu post%s, up to date (%.2f s)", done,
                        j->nbooks, month, lang ? " " : "", lang ? lang : "", nch,
                        nch == 1 ? "" : "s", dg_now_seconds() - t0);
    }
    dg_arena_free(a);
    return fresh || (known && !own);
}

/* Finishes the cover *C was making (NULL: none or done) for B, the
 * characters it asked the system's fonts for into LOG: 0, or -1 when it
 * could not be drawn (reported). */
static int cover_done(dg_cover_job **c, dg_book *b, dg_fonts_log *log)
{
    int rc = *c ? dg_cover_finish(*c, b, log) : 0;
    *c = NULL;
    return rc;
}

/* Whether a book being written, WRITING of them at once, may draw its
 * cover on a thread of its own beside its PDF: when no month is left to
 * start and a core would otherwise idle (a month built alone, the last ones
 * of a batch), whatever -j (which counts months at once; a month's PNGs are
 * deflated on threads of their own too, pdf_image.c).  While every core has
 * a month of its own, a second thread would only slow the others. */
static bool spare_core(job *j, int writing)
{
    return atomic_load(&j->next) >= j->nmonths && writing < j->cores;
}

static int write_book_files(job *j, dg_book *b, const dg_month_files *f, uint64_t h, int writing);

/* Writes B's files F (cover image, EPUB, PDF), its catalog entry (catalog.h),
 * then its record H.  1 built, 0 failed (counted), -1 interrupted before
 * the PDF (no record: built again next time). */
static int write_book(job *j, dg_book *b, const dg_month_files *f, uint64_t h)
{
    int writing = atomic_fetch_add(&j->writing, 1) + 1;
    int r = write_book_files(j, b, f, h, writing);
    atomic_fetch_sub(&j->writing, 1);
    return r;
}

static int write_book_files(job *j, dg_book *b, const dg_month_files *f, uint64_t h, int writing)
{
    const dg_options *o = j->o;
    int ok = 1;
    dg_cover_job *cover = NULL;
    /* the characters the cover and PDF ask the system's fonts for (stamp.h);
     * a cover drawn while those fonts said otherwise is drawn again */
    dg_fonts_log sys;
    dg_fonts_log_begin(&sys, b->arena);
    if (dg_stamp_system_changed(f->stamp, h, j->fonts, &sys))
        dg_cover_forget(j->cover_cache, f->key);
    /* no record while the outputs change: an interrupted build leaves
     * none, and the book is built again next time */
    if (dg_stamp_invalidate(f->stamp, j->d) != 0) {
        ok = 0;
    } else {
        bool pdf = o->pdf && j->fonts;
        /* one cover image for both writers, drawn once per book; beside
         * the PDF when it shows the typeset cover (the EPUB, after it,
         * waits for the image) and a core is free */
        bool beside = pdf && !o->pdf_opts.cover_image && spare_core(j, writing);
        if (j->fonts)
            cover = dg_cover_start(b, j->fonts, j->cover_cache, f->key, h, beside, j->d);
        if (!beside && cover_done(&cover, b, &sys) != 0)
            ok = 0;
        if (pdf && o->epub) {
            /* both: the PDF first, its page numbers into the EPUB (a page
             * list that maps to the PDF's pages: content/pagemap.h) */
            dg_page_map map;
            dg_page_map_init(&map, b->arena);
            if (dg_pdf_write_mapped(b, j->fonts, &o->pdf_opts, f->pdf, &map, j->d) != 0)
                ok = 0;
            if (cover_done(&cover, b, &sys) != 0)
                ok = 0;
            dg_test_raise_at(&j->hook, "pdf");
            /* a safe point: the PDF is whole, the EPUB not begun */
            if (dg_stopping())
                goto stopped;
            if (dg_epub_write_mapped(b, f->epub, &map, j->d) != 0)
                ok = 0;
            dg_test_raise_at(&j->hook, "epub");
        } else {
            if (o->epub && dg_epub_write(b, f->epub, j->d) != 0)
                ok = 0;
            if (o->epub)
                dg_test_raise_at(&j->hook, "epub");
            /* a safe point: the EPUB is whole, the PDF not begun */
            if (o->pdf && dg_stopping())
                goto stopped;
            if (pdf && dg_pdf_write(b, j->fonts, &o->pdf_opts, f->pdf, j->d) != 0)
                ok = 0;
        }
    }
    /* a cover drawn beside a PDF alone */
    if (cover_done(&cover, b, &sys) != 0)
        ok = 0;
    dg_fonts_log_end();
    if (!ok) {
        atomic_fetch_add(&j->failed, 1);
        return 0;
    }
    dg_catalog_book(j->out_dir, b, f->key, f->epub, f->pdf, j->d);
    dg_stamp_write(f->stamp, h, j->fonts, &sys, j->d);
    atomic_fetch_add(&j->built, 1);
    dg_test_raise_at(&j->hook, "month");
    return 1;
stopped: /* at a safe point: no record, and any cover finished first */
    cover_done(&cover, b, &sys);
    dg_fonts_log_end();
    return -1;
}

static void build_month(job *j, size_t index)
{
    const char *month = j->months[index], *lang = j->langs[index];
    double t0 = dg_now_seconds();
    const dg_options *o = j->o;
    /* the quick way first: the files the book read last time unchanged */
    uint64_t quick = dg_stamp_quick(j->run_stamp, o, j->site, month, lang);
    /* (with volumes, it gives them the month's fingerprint) */
    if (quick_skip(j, index, quick, t0))
        return;
    dg_arena *pa = dg_arena_new(); /* the files the book reads (stamp.h) */
    dg_probe_log probes;
    double since = dg_file_now();
    dg_probe_begin(&probes, pa);
    dg_book *b = dg_book_new_lang(j->site, month, lang, o->title_pattern, j->cache, j->d);
    /* remote images not yet in the cache: fetch them, and build the book
     * again with those that came (its warnings are not printed twice) */
    size_t fetched = 0, unfetched = 0;
    dg_probe_end();
    if (b && j->fetcher && b->reg.nremote > 0 &&
        (fetched = dg_fetch_images(j->fetcher, b->reg.remote, b->reg.nremote, j->d)) > 0) {
        dg_book_free(b);
        since = dg_file_now();
        dg_probe_begin(&probes, pa);
        b = dg_book_new_lang(j->site, month, lang, o->title_pattern, j->cache, j->d);
        dg_probe_end();
    }
    if (b) {
        unfetched = b->reg.nremote;
        atomic_fetch_add(&j->placeholders, b->reg.nplaceholders);
        for (size_t i = 0; i < b->reg.nremote; i++)
            atomic_fetch_add(&j->outcomes[j->fetcher ? dg_fetch_outcome_of(j->fetcher,
                                                                            b->reg.remote[i].url)
                                                      : DG_OUTCOME_OFFLINE],
                             1);
    }
    if (!b) {
        dg_build_no_book(j->d, month);
        dg_arena_free(pa);
        return;
    }
    dg_arena *a = b->arena;
    dg_book_set_cover_picture(b, j->cover_picture);
    dg_month_files f;
    dg_month_files_of(a, o, j->out_dir, month, lang, &f);
    const char *key = f.key; /* catalog.h */
    const char *epub = f.epub, *pdf = f.pdf;
    uint64_t h = dg_stamp_month(j->run_stamp, b);
    j->hash[index] = h;
    if (j->write && !j->write[index]) { /* fingerprinted for its volumes only */
        dg_book_free(b);
        dg_arena_free(pa);
        return;
    }
    int ok = 1;
    bool interrupted = false, fresh = false;
    /* another process building into OUT may be making this month: in turn */
    int lock = dg_out_lock_month(a, f.lock);
    if (lock < 0 && errno == EINTR) {
        interrupted = true;
    } else if (lock < 0) {
        dg_report_file(j->d, DG_ERROR, f.lock, "cannot lock the month (%s); not built",
                       strerror(errno));
        ok = 0;
        atomic_fetch_add(&j->failed, 1);
    } else if ((fresh = dg_month_fresh(o, &f, h, j->fonts))) {
        atomic_fetch_add(&j->skipped, 1);
        /* an output folder from before the catalog: the month's entry */
        if (!dg_catalog_has(j->out_dir, key) && j->fonts &&
            dg_cover_for_book(b, j->fonts, j->cover_cache, key, h, j->d) == 0)
            dg_catalog_book(j->out_dir, b, key, epub, pdf, j->d);
        dg_stamp_files_write(&f, o, b, quick, h, &probes, since);
    } else {
        int r = write_book(j, b, &f, h);
        interrupted = r < 0;
        ok = r > 0;
        if (r > 0)
            dg_stamp_files_write(&f, o, b, quick, h, &probes, since);
    }
    if (lock >= 0)
        close(lock);
    size_t done = atomic_fetch_add(&j->done, 1) + 1;
    if (o->progress) {
        char images[64] = "";
        if (!j->fetcher && unfetched) /* --offline */
            snprintf(images, sizeof images, ", %zu remote image%s not in the cache", unfetched,
                     unfetched == 1 ? "" : "s");
        else if (fetched || unfetched)
            snprintf(images, sizeof images, ", %zu image%s fetched%s", fetched,
                     fetched == 1 ? "" : "s",
                     unfetched ? dg_sprintf(a, ", %zu not", unfetched) : "");
        dg_progress(j->d, "[%zu/%zu] %s%s%s: %zu post%s, %s%s (%.2f s%s)", done, j->nbooks, month,
                    lang ? " " : "", lang ? lang : "", b->nchapters, b->nchapters == 1 ? "" : "s",
                    fresh         ? "up to date"
                    : interrupted ? "interrupted"
                    : ok          ? "built"
                                  : "FAILED",
                    fresh               ? ""
                    : interrupted       ? (lock < 0 ? " waiting for its lock" : " after the epub")
                    : o->epub && o->pdf ? " epub+pdf"
                    : o->epub           ? " epub"
                                        : " pdf",
                    dg_now_seconds() - t0, images);
    }
    dg_book_free(b);
    dg_arena_free(pa);
}

/* The one note on the remote images left as placeholders, and why. */
static void placeholder_note(job *j, dg_arena *a, dg_diag *d)
{
    size_t n[DG_OUTCOME_NO_CURL + 1], total = j->placeholders;
    for (int i = 0; i <= DG_OUTCOME_NO_CURL; i++)
        total += n[i] = j->outcomes[i];
    if (total == 0)
        return;
    dg_buf b = {0};
    if (n[DG_OUTCOME_OFFLINE] + j->placeholders)
        dg_buf_printf(&b, "; %zu not in the cache, and not fetched (--offline or fetch_images: "
                      "false)", n[DG_OUTCOME_OFFLINE] + j->placeholders);
    if (n[DG_OUTCOME_UNREACHABLE]) {
        size_t nh;
        const char *hosts = j->fetcher ? dg_fetch_dead_hosts(j->fetcher, a, 3, &nh) : NULL;
        dg_buf_printf(&b, "; %zu on hosts that could not be reached, tried once in this build%s%s",
                      n[DG_OUTCOME_UNREACHABLE], hosts ? ": " : "", hosts ? hosts : "");
    }
    if (n[DG_OUTCOME_FAILED])
        dg_buf_printf(&b, "; %zu refused in this build (warned above)", n[DG_OUTCOME_FAILED]);
    if (n[DG_OUTCOME_REMEMBERED])
        dg_buf_printf(&b, "; %zu failed less than a day ago and not tried again ('digest check' "
                      "lists them, --refresh-images tries them now)", n[DG_OUTCOME_REMEMBERED]);
    if (n[DG_OUTCOME_NO_CURL])
        dg_buf_printf(&b, "; %zu not fetched without libcurl", n[DG_OUTCOME_NO_CURL]);
    dg_report_file(d, DG_NOTE, NULL, "%zu remote %s: %s", total,
                   total == 1 ? "image is shown as a placeholder with its link"
                              : "images are shown as placeholders with their links",
                   b.data + 2);
    dg_buf_free(&b);
}

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        if (dg_stopping()) /* a safe point: no month begun */
            break;
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->nmonths)
            break;
        build_month(j, i);
    }
    return NULL;
}

/* The book of volume V (of MONTHS), with its cover's picture, or NULL. */
static dg_book *volume_book(job *j, const dg_volume *v, const char *const *months)
{
    dg_book *b = dg_book_new_volume(j->site, v->key, months, v->n, !strcmp(v->key, "all"), v->lang,
                                    j->o->title_pattern, j->cache, j->d);
    if (b)
        dg_book_set_cover_picture(b, j->cover_picture);
    return b;
}

/* Builds volume V when its fingerprint (its months') changed. */
static void build_volume(job *j, const dg_volume *v)
{
    double t0 = dg_now_seconds();
    const dg_options *o = j->o;
    dg_arena *a = dg_arena_new();
    const char **months;
    uint64_t h = dg_volume_hash(a, j->run_stamp, v, j->months, j->hash, &months);
    dg_month_files f;
    dg_volume_files_of(a, j->site, j->out_dir, v->key, v->lang, &f);
    dg_book *b = NULL;
    const char *what = "FAILED";
    int lock = dg_out_lock_month(a, f.lock);
    if (lock < 0 && errno == EINTR) {
        what = "interrupted waiting for its lock";
    } else if (lock < 0) {
        dg_report_file(j->d, DG_ERROR, f.lock, "cannot lock the volume (%s); not built",
                       strerror(errno));
        atomic_fetch_add(&j->failed, 1);
    } else if (dg_month_fresh(o, &f, h, j->fonts)) {
        atomic_fetch_add(&j->skipped, 1);
        what = "up to date";
        /* an output folder from before volumes had catalog entries */
        if (!dg_catalog_has(j->out_dir, f.key) && j->fonts &&
            (b = volume_book(j, v, months)) &&
            dg_cover_for_book(b, j->fonts, j->cover_cache, f.key, h, j->d) == 0)
            dg_catalog_book(j->out_dir, b, f.key, f.epub, f.pdf, j->d);
    } else if (!(b = volume_book(j, v, months))) {
        dg_report_file(j->d, DG_WARNING, NULL, "%s: no post of this volume could be built", v->key);
        atomic_fetch_add(&j->failed, 1);
    } else {
        int r = write_book(j, b, &f, h);
        what = r > 0 ? "built" : r < 0 ? "interrupted after the epub" : "FAILED";
    }
    if (lock >= 0)
        close(lock);
    size_t done = atomic_fetch_add(&j->done, 1) + 1;
    if (o->progress)
        dg_progress(j->d, "[%zu/%zu] %s%s%s: %zu month%s, %s (%.2f s)", done, j->nbooks, v->key,
                    v->lang ? " " : "", v->lang ? v->lang : "", v->n, v->n == 1 ? "" : "s", what,
                    dg_now_seconds() - t0);
    dg_book_free(b);
    dg_arena_free(a);
}

static void *volume_worker(void *arg)
{
    job *j = arg;
    for (;;) {
        if (dg_stopping())
            break;
        size_t i = atomic_fetch_add(&j->vnext, 1);
        if (i >= j->nvols)
            break;
        build_volume(j, &j->vols[i]);
    }
    return NULL;
}

static bool same_lang(const char *x, const char *y)
{
    return (!x && !y) || (x && y && !strcmp(x, y));
}

bool dg_month_selected(const dg_options *o, const char *month)
{
    if ((o->from && strcmp(month, o->from) < 0) || (o->to && strcmp(month, o->to) > 0))
        return false;
    bool listed = o->nmonths == 0;
    for (size_t i = 0; i < o->nmonths && !listed; i++)
        listed = strcmp(o->months[i], month) == 0;
    return listed;
}

/* --from and --to: months, in order.  0, or -1 after reporting. */
static int check_range(const dg_options *o, dg_diag *d)
{
    int rc = 0;
    const char *ends[2][2] = {{"--from", o->from}, {"--to", o->to}};
    for (int i = 0; i < 2; i++)
        if (ends[i][1] && !month_valid(ends[i][1])) {
            dg_report_file(d, DG_ERROR, NULL, "%s %s: expected a month as YYYY-MM", ends[i][0],
                           ends[i][1]);
            rc = -1;
        }
    if (rc == 0 && o->from && o->to && strcmp(o->from, o->to) > 0) {
        dg_report_file(d, DG_ERROR, NULL, "--from %s is after --to %s: no month between",
                       o->from, o->to);
        rc = -1;
    }
    return rc;
}

const char **dg_select_months(const dg_options *o, const dg_site *site, dg_arena *a, size_t *n,
                              dg_diag *d, bool *usage_error)
{
    size_t all_n = 0;
    const char **all = dg_site_months(site, &all_n);
    const char **sel = dg_allocn(a, all_n + 1, sizeof *sel);
    size_t k = 0;
    *n = 0;
    if (check_range(o, d) != 0)
        *usage_error = true;
    for (size_t i = 0; i < o->nmonths; i++) {
        bool found = false;
        for (size_t m = 0; m < all_n; m++)
            found |= strcmp(all[m], o->months[i]) == 0;
        if (!month_valid(o->months[i])) {
            dg_report_file(d, DG_ERROR, NULL, "-m %s: expected a month as YYYY-MM",
                           o->months[i]);
            *usage_error = true;
        } else if (!found) {
            dg_report_file(d, DG_WARNING, NULL, "%s: no posts in this month", o->months[i]);
        } else if (!dg_month_selected(&(dg_options){.from = o->from, .to = o->to},
                                      o->months[i])) {
            dg_report_file(d, DG_WARNING, NULL, "-m %s: outside --from %s --to %s; not built",
                           o->months[i], o->from ? o->from : "(any)", o->to ? o->to : "(any)");
        }
    }
    if (*usage_error)
        return sel;
    /* the site's months are in calendar order, whatever the command line's */
    for (size_t m = 0; m < all_n; m++)
        if (dg_month_selected(o, all[m]))
            sel[k++] = all[m];
    *n = k;
    return sel;
}

/* With --split-languages (or by default on a site that declares its
 * languages) and posts in more than one language, each of the N months
 * becomes one book per language it has posts in, the site's language
 * first: *MONTHS and *N grow, and *LANGS gets the language of each; else
 * *LANGS is all NULL (one book per month, plain names). */
/* Whether the months of SITE are split into books by language. */
static bool split_by_language(const dg_options *o, const dg_site *site)
{
    return site->nlangs > 1 &&
           (o->split_languages > 0 || (o->split_languages < 0 && site->nlanguages > 1));
}

static void split_books(const dg_options *o, const dg_site *site, dg_arena *a, const char ***months,
                        const char ***langs, size_t *n)
{
    bool split = split_by_language(o, site);
    size_t cap = *n * (split ? site->nlangs : 1);
    const char **m = dg_allocn(a, cap ? cap : 1, sizeof *m);
    const char **l = dg_allocn(a, cap ? cap : 1, sizeof *l);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        if (!split) {
            m[k] = (*months)[i];
            l[k++] = NULL;
            continue;
        }
        size_t np = 0;
        dg_post **posts = dg_site_month_posts_meta(site, (*months)[i], &np);
        for (size_t g = 0; g < site->nlangs; g++) {
            bool has = false;
            for (size_t p = 0; p < np && !has; p++)
                has = !strcmp(posts[p]->lang, site->langs[g]);
            if (has) {
                m[k] = (*months)[i];
                l[k++] = site->langs[g];
            }
        }
    }
    *months = m;
    *langs = l;
    *n = k;
}

/* A volume of VS (KEY, LANG) over its months of YEAR (-1: all of them). */
static void add_volume(dg_volume_set *vs, dg_arena *a, const char *key, const char *lang, int year)
{
    dg_volume *v = &vs->vols[vs->nvols];
    v->idx = dg_allocn(a, vs->nmonths + 1, sizeof *v->idx);
    v->n = 0;
    for (size_t k = 0; k < vs->nmonths; k++)
        if (same_lang(vs->langs[k], lang) && (year < 0 || atoi(vs->months[k]) == year))
            v->idx[v->n++] = k;
    v->key = key;
    v->lang = lang;
    if (v->n > 0)
        vs->nvols++;
}

void dg_volumes_of(const dg_options *o, const dg_site *site, dg_arena *a, const char *const *sel,
                   const char *const *sel_langs, size_t nsel, dg_volume_set *vs)
{
    size_t nall = 0, k = 0;
    const char **all = dg_site_months(site, &nall);
    const char **m = dg_allocn(a, nall + 1, sizeof *m);
    for (size_t i = 0; i < nall; i++) {
        bool in = nsel > 0 && (o->periods & DG_PERIOD_ALL);
        for (size_t s = 0; s < nsel && !in; s++)
            in = atoi(sel[s]) == atoi(all[i]); /* a year with a selected month */
        if (in)
            m[k++] = all[i];
    }
    const char **l = NULL;
    split_books(o, site, a, &m, &l, &k);
    vs->months = m;
    vs->langs = l;
    vs->nmonths = k;
    vs->write = dg_allocn(a, k + 1, sizeof *vs->write);
    for (size_t i = 0; i < k; i++)
        vs->write[i] = (o->periods & DG_PERIOD_MONTH) && dg_month_selected(o, m[i]);
    /* the complete volume first (the longest), then the years in order:
     * one per year and language that has a selected month */
    vs->vols = dg_allocn(a, 2 * (nsel + 1), sizeof *vs->vols);
    vs->nvols = 0;
    for (size_t s = 0; s < nsel && (o->periods & DG_PERIOD_ALL); s++) {
        bool seen = false;
        for (size_t t = 0; t < s && !seen; t++)
            seen = same_lang(sel_langs[t], sel_langs[s]);
        if (!seen)
            add_volume(vs, a, "all", sel_langs[s], -1);
    }
    for (size_t s = 0; s < nsel && (o->periods & DG_PERIOD_YEAR); s++) {
        bool seen = false;
        for (size_t t = 0; t < s && !seen; t++)
            seen = same_lang(sel_langs[t], sel_langs[s]) && atoi(sel[t]) == atoi(sel[s]);
        if (!seen)
            add_volume(vs, a, dg_strndup(a, sel[s], 4), sel_langs[s], atoi(sel[s]));
    }
}

uint64_t dg_volume_hash(dg_arena *a, uint64_t run, const dg_volume *v, const char *const *set,
                        const uint64_t *hash, const char ***months)
{
    const char **m = dg_allocn(a, v->n + 1, sizeof *m);
    uint64_t *hs = dg_allocn(a, v->n + 1, sizeof *hs);
    for (size_t k = 0; k < v->n; k++) {
        m[k] = set[v->idx[k]];
        hs[k] = hash[v->idx[k]];
    }
    *months = m;
    return dg_stamp_volume(run, v->key, v->lang, m, hs, v->n);
}

int dg_build_open_months(const dg_options *o, dg_site **site, dg_arena *a, const char ***months,
                         const char ***langs, size_t *n, dg_diag *d)
{
    bool usage_error = false;
    *n = 0;
    if (dg_build_open_site(o, site, d) != 0)
        return -1;
    *months = dg_select_months(o, *site, a, n, d, &usage_error);
    if (usage_error)
        return -1;
    split_books(o, *site, a, months, langs, n);
    return 0;
}

int dg_build_cover_picture(const dg_options *o, dg_arena *a, const dg_image **out, dg_diag *d)
{
    *out = NULL;
    if (!o->cover_image)
        return 0;
    dg_image *pic = dg_alloc(a, sizeof *pic);
    if (dg_image_load(pic, a, o->cover_image) != 0 ||
        (pic->type != DG_IMG_PNG && pic->type != DG_IMG_JPEG)) {
        dg_report_file(d, DG_ERROR, o->cover_image,
                       "cover_image: not a PNG, JPEG or WebP image this build can read");
        return -1;
    }
    *out = pic;
    return 0;
}

void dg_book_set_cover_picture(dg_book *b, const dg_image *configured)
{
    b->cover_picture = configured ? configured : b->cover ? &b->cover->image : NULL;
}

void dg_build_no_book(dg_diag *d, const char *month)
{
    dg_report_file(d, DG_WARNING, NULL, "%s: no post of this month could be built", month);
}

static int jobs_for(const dg_options *o, size_t nmonths)
{
    long n = o->jobs > 0 ? o->jobs : dg_cores();
    if (n < 1)
        n = 1;
    if (n > DG_MAX_JOBS)
        n = DG_MAX_JOBS;
    if ((size_t)n > nmonths)
        n = (long)(nmonths ? nmonths : 1);
    return (int)n;
}

int dg_build(const dg_options *o, dg_diag *d)
{
    int status = DG_EXIT_OK;
    dg_site *site = NULL;
    dg_fonts *fonts = NULL;
    dg_arena *a = dg_arena_new();
    job j = {0};
    int out_fd = -1;
    struct sigaction old_actions[2];
    dg_stop_catch(old_actions);
    dg_test_raise_init(&j.hook);

    if (!o->epub && !o->pdf) {
        dg_report_file(d, DG_ERROR, NULL, "no output format chosen");
        status = DG_EXIT_USAGE;
        goto out;
    }
    /* OUT before any work, when it does not depend on the site */
    if (o->out_dir && dg_is_dir(o->site) && dg_out_prepare(a, o->out_dir, d) != 0) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    if (dg_build_open_months(o, &site, a, &j.months, &j.langs, &j.nmonths, d) != 0) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    j.nbooks = j.nmonths;
    if (o->periods & (DG_PERIOD_YEAR | DG_PERIOD_ALL)) {
        dg_volume_set vs;
        dg_volumes_of(o, site, a, j.months, j.langs, j.nmonths, &vs);
        j.months = vs.months;
        j.langs = vs.langs;
        j.nmonths = vs.nmonths;
        j.write = vs.write;
        j.vols = vs.vols;
        j.nvols = vs.nvols;
        j.nbooks = j.nvols;
        for (size_t i = 0; i < j.nmonths; i++)
            j.nbooks += j.write[i];
    }
    j.hash = dg_allocn(a, j.nmonths + 1, sizeof *j.hash);
    j.out_dir = dg_build_out_dir(a, o, site);
    if (dg_out_prepare(a, j.out_dir, d) != 0) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    size_t stale = 0;
    out_fd = dg_out_lock(a, j.out_dir, &stale);
    if (stale > 0)
        dg_report_file(d, DG_NOTE, j.out_dir, "removed %zu temporary file%s left by an earlier "
                       "build that was stopped", stale, stale == 1 ? "" : "s");
    /* the fonts set the PDF and draw the EPUB's cover image (cover.h) */
    if (j.nmonths > 0) {
        fonts = dg_fonts_open(&o->fonts, d);
        if (!fonts) {
            status = DG_EXIT_USAGE;
            goto out;
        }
    }
    j.o = o;
    j.site = site;
    j.run_stamp = dg_stamp_run(o, site, fonts);
    j.d = d;
    j.fonts = fonts;
    dg_imagecache_opts co = {.offline = !o->fetch_images, .refresh = o->refresh_images,
                             .max_bytes = o->image_cache_max};
    j.cache = dg_imagecache_open(dg_build_image_cache(a, j.out_dir), &co);
    j.fetcher = o->fetch_images ? dg_fetcher_new(j.cache) : NULL;
    j.cover_cache = dg_path_join(a, j.out_dir, ".digest-cache/covers");
    if (dg_build_cover_picture(o, a, &j.cover_picture, d) != 0) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    /* libxml2 2.9's first initialisation is not thread-safe: do it here. */
    xmlInitParser();
    double t0 = dg_now_seconds();
    int nthreads = jobs_for(o, j.nmonths);
    j.cores = dg_cores();
    pthread_t threads[DG_MAX_JOBS];
    int started = 0;
    for (int i = 1; i < nthreads; i++) {
        if (pthread_create(&threads[started], NULL, worker, &j) == 0)
            started++;
    }
    worker(&j); /* the calling thread works too */
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    /* the volumes, once every month's fingerprint is known */
    if (j.nvols > 0 && !dg_stopping()) {
        int nv = jobs_for(o, j.nvols);
        started = 0;
        for (int i = 1; i < nv; i++)
            if (pthread_create(&threads[started], NULL, volume_worker, &j) == 0)
                started++;
        volume_worker(&j);
        for (int i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
    }
    int sig = dg_stop_signal();
    /* months gone from the site: named, or removed with --prune */
    if (!sig && dg_prune(o, site, j.out_dir, d) < 0 && !dg_stopping())
        status = DG_EXIT_INPUT;
    sig = dg_stop_signal();
    if (!sig) /* an entry per book: YYYY-MM[.LANG], YYYY[.LANG], all[.LANG] */
        dg_catalog_site(j.out_dir, site, split_by_language(o, site), d);
    if (sig) {
        dg_report_file(d, DG_NOTE, j.out_dir,
                       "interrupted by %s: %d of %zu %s%s built, %d up to date, %d failed; "
                       "the rest will be built next time",
                       sig == SIGINT ? "SIGINT" : "SIGTERM", (int)j.built, j.nbooks,
                       j.nvols ? "book" : "month", j.nbooks == 1 ? "" : "s", (int)j.skipped,
                       (int)j.failed);
    } else if (o->progress) {
        size_t built = j.nbooks - (size_t)j.skipped - (size_t)j.failed;
        bool books = (j.nmonths && j.langs[0]) || j.nvols; /* volumes are books too */
        dg_progress(d, "%zu %s%s in %s: %zu built, %d up to date, %d failed (%.2f s)", j.nbooks,
                    books ? "book" : "month", j.nbooks == 1 ? "" : "s", j.out_dir, built,
                    (int)j.skipped, (int)j.failed, dg_now_seconds() - t0);
    }
    long evicted = dg_imagecache_save(j.cache, d);
    if (evicted > 0 && o->progress)
        dg_progress(d, "image cache: %ld least recently used image%s removed (limit %llu bytes)",
                    evicted, evicted == 1 ? "" : "s",
                    o->image_cache_max ? o->image_cache_max : DG_CACHE_MAX_DEFAULT);
    placeholder_note(&j, a, d);
    if (j.failed || dg_diag_errors(d) > 0)
        status = DG_EXIT_INPUT;
out:
    /* 128 + the signal, as a shell reports a process it ended */
    if (dg_stop_signal() && status != DG_EXIT_USAGE)
        status = 128 + dg_stop_signal();
    dg_stop_restore(old_actions);
    if (out_fd >= 0)
        close(out_fd);
    dg_fonts_close(fonts);
    dg_fetcher_free(j.fetcher);
    dg_imagecache_free(j.cache);
    dg_site_free(site);
    dg_arena_free(a);
    return status;
}

int dg_list(const dg_options *o, FILE *out, dg_diag *d)
{
    dg_site *site = NULL;
    if (dg_build_open_site(o, &site, d) != 0)
        return DG_EXIT_USAGE;
    size_t nm = 0;
    const char **months = dg_site_months(site, &nm);
    for (size_t m = 0; m < nm; m++) {
        size_t np = 0;
        dg_post **posts = dg_site_month_posts_meta(site, months[m], &np);
        fprintf(out, "%s  (%zu post%s)\n", months[m], np, np == 1 ? "" : "s");
        for (size_t i = 0; i < np; i++) {
            const dg_datetime *dt = &posts[i]->date;
            char num[24] = "";
            if (posts[i]->number > 0)
                snprintf(num, sizeof num, "No. %d  ", posts[i]->number);
            fprintf(out, "  %04d-%02d-%02d  %-5s  %s%s  (%s)\n", dt->year, dt->month, dt->day,
                    posts[i]->lang, num, posts[i]->title, posts[i]->relpath);
        }
    }
    dg_site_free(site);
    return dg_diag_errors(d) > 0 ? DG_EXIT_INPUT : DG_EXIT_OK;
}

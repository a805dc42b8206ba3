/* build.c - the batch: months of a site built in parallel, incrementally
 * (a month whose fingerprint did not change is skipped: stamp.h), with
 * progress.  Each month is one dg_book written by the EPUB and PDF writers;
 * fonts are opened once and shared.  OUT is checked to be writable before
 * any work and temporaries a killed build left in it are removed
 * (outdir.h); SIGINT and SIGTERM stop the build at the next safe point
 * (interrupt.h). */
#include "app/app.h"
#include "app/catalog.h"
#include "app/interrupt.h"
#include "app/outdir.h"
#include "app/stamp.h"
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

static int open_site(const dg_options *o, dg_site **site, dg_diag *d)
{
    dg_site_opts so;
    dg_options_site(o, &so);
    so.lazy_html = true; /* a build renders the Markdown of the months it builds */
    return dg_site_open_opts(site, &so, d);
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
    const char *image_cache; /* OUT/.digest-cache/images (fetch.h) */
    const char *cover_cache; /* OUT/.digest-cache/covers (cover.h) */
    const dg_image *cover_picture; /* digest.yaml cover_image, loaded once */
    const char **months;
    size_t nmonths;
    atomic_size_t next;
    atomic_size_t done;
    atomic_int failed;   /* months whose output could not be written */
    atomic_int skipped;  /* months up to date */
    atomic_int built;    /* months built */
    dg_test_raise hook;
    atomic_size_t placeholders; /* remote images not fetched (no --fetch-images) */
    uint64_t run_stamp;  /* the fingerprint's part shared by every month (stamp.h) */
} job;

static void build_month(job *j, const char *month)
{
    double t0 = dg_now_seconds();
    const dg_options *o = j->o;
    const char *cache = o->fetch_images ? j->image_cache : NULL;
    dg_book *b = dg_book_new_cached(j->site, month, o->title_pattern, cache, j->d);
    /* remote images not yet in the cache: fetch them, and build the book
     * again with those that came (its warnings are not printed twice) */
    size_t fetched = 0, unfetched = 0;
    if (b && cache && b->reg.nremote > 0 &&
        (fetched = dg_fetch_images(cache, b->reg.remote, b->reg.nremote, j->d)) > 0) {
        dg_book_free(b);
        b = dg_book_new_cached(j->site, month, o->title_pattern, cache, j->d);
    }
    if (b && cache)
        unfetched = b->reg.nremote;
    if (b)
        atomic_fetch_add(&j->placeholders, b->reg.nplaceholders);
    if (!b) {
        dg_report_file(j->d, DG_WARNING, NULL, "%s: no post of this month could be built",
                  month);
        return;
    }
    dg_arena *a = b->arena;
    b->cover_picture = j->cover_picture ? j->cover_picture : b->cover ? &b->cover->image : NULL;
    const char *name = dg_output_name(a, o->out_pattern, month);
    const char *epub = dg_sprintf(a, "%s/%s.epub", j->out_dir, name);
    const char *pdf = dg_sprintf(a, "%s/%s.pdf", j->out_dir, name);
    const char *stamp = dg_stamp_path(a, j->out_dir, month);
    uint64_t h = dg_stamp_month(j->run_stamp, b);
    bool fresh = !o->force && dg_stamp_matches(stamp, h) && (!o->epub || dg_is_file(epub)) &&
                 (!o->pdf || dg_is_file(pdf));
    int ok = 1;
    bool interrupted = false;
    if (fresh) {
        atomic_fetch_add(&j->skipped, 1);
        /* an output folder from before the catalog: the month's entry */
        const char *entry = dg_sprintf(a, "%s/.digest-state/%s.entry.xml", j->out_dir, month);
        if (!dg_is_file(entry) && j->fonts &&
            dg_cover_for_book(b, j->fonts, j->cover_cache, h, j->d) == 0)
            dg_catalog_month(j->out_dir, b, epub, pdf, j->d);
    } else {
        /* no record while the outputs change: an interrupted build leaves
         * none, and the month is built again next time */
        if (dg_stamp_invalidate(stamp, j->d) != 0) {
            ok = 0;
        } else {
            /* one cover image for both writers, drawn once per month */
            if (j->fonts && dg_cover_for_book(b, j->fonts, j->cover_cache, h, j->d) != 0)
                ok = 0;
            if (o->epub && dg_epub_write(b, epub, j->d) != 0)
                ok = 0;
            if (o->epub)
                dg_test_raise_at(&j->hook, "epub");
            /* a safe point: the EPUB is whole, the PDF not begun */
            if (o->pdf && dg_stopping())
                interrupted = true;
            else if (o->pdf && j->fonts &&
                     dg_pdf_write(b, j->fonts, &o->pdf_opts, pdf, j->d) != 0)
                ok = 0;
        }
        if (interrupted) {
            /* no stamp: the month is built again next time */
        } else if (ok) {
            dg_catalog_month(j->out_dir, b, epub, pdf, j->d);
            dg_stamp_write(stamp, h, j->d);
            atomic_fetch_add(&j->built, 1);
            dg_test_raise_at(&j->hook, "month");
        } else {
            atomic_fetch_add(&j->failed, 1);
        }
    }
    size_t done = atomic_fetch_add(&j->done, 1) + 1;
    if (o->progress) {
        char images[64] = "";
        if (fetched || unfetched)
            snprintf(images, sizeof images, ", %zu image%s fetched%s", fetched,
                     fetched == 1 ? "" : "s",
                     unfetched ? dg_sprintf(a, ", %zu not", unfetched) : "");
        dg_progress(j->d, "[%zu/%zu] %s: %zu post%s, %s%s (%.2f s%s)", done, j->nmonths, month,
                    b->nchapters, b->nchapters == 1 ? "" : "s",
                    fresh         ? "up to date"
                    : interrupted ? "interrupted"
                    : ok          ? "built"
                                  : "FAILED",
                    fresh ? "" : interrupted ? " after the epub"
                               : o->epub && o->pdf ? " epub+pdf" : o->epub ? " epub" : " pdf",
                    dg_now_seconds() - t0, images);
    }
    dg_book_free(b);
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
        build_month(j, j->months[i]);
    }
    return NULL;
}

/* The months to build: the requested ones that have posts, else all. */
static const char **select_months(const dg_options *o, const dg_site *site, dg_arena *a,
                                  size_t *n, dg_diag *d, bool *usage_error)
{
    size_t all_n = 0;
    const char **all = dg_site_months(site, &all_n);
    if (o->nmonths == 0) {
        *n = all_n;
        return all;
    }
    const char **sel = dg_allocn(a, o->nmonths, sizeof *sel);
    size_t k = 0;
    for (size_t i = 0; i < o->nmonths; i++) {
        if (!month_valid(o->months[i])) {
            dg_report_file(d, DG_ERROR, NULL, "-m %s: expected a month as YYYY-MM",
                      o->months[i]);
            *usage_error = true;
            continue;
        }
        bool found = false, dup = false;
        for (size_t m = 0; m < all_n; m++)
            found |= strcmp(all[m], o->months[i]) == 0;
        for (size_t m = 0; m < k; m++)
            dup |= strcmp(sel[m], o->months[i]) == 0;
        if (!found)
            dg_report_file(d, DG_WARNING, NULL, "%s: no posts in this month",
                      o->months[i]);
        else if (!dup)
            sel[k++] = o->months[i];
    }
    /* keep calendar order whatever the command line order */
    for (size_t i = 1; i < k; i++)
        for (size_t m = i; m > 0 && strcmp(sel[m - 1], sel[m]) > 0; m--) {
            const char *t = sel[m];
            sel[m] = sel[m - 1];
            sel[m - 1] = t;
        }
    *n = k;
    return sel;
}

static int jobs_for(const dg_options *o, size_t nmonths)
{
    long n = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
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
    if (open_site(o, &site, d) != 0) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    bool usage_error = false;
    j.months = select_months(o, site, a, &j.nmonths, d, &usage_error);
    if (usage_error) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    j.out_dir = o->out_dir ? o->out_dir : dg_path_join(a, site->root, "_digests");
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
    j.image_cache = dg_path_join(a, j.out_dir, ".digest-cache/images");
    j.cover_cache = dg_path_join(a, j.out_dir, ".digest-cache/covers");
    if (o->cover_image) {
        dg_image *pic = dg_alloc(a, sizeof *pic);
        if (dg_image_load(pic, a, o->cover_image) != 0 ||
            (pic->type != DG_IMG_PNG && pic->type != DG_IMG_JPEG)) {
            dg_report_file(d, DG_ERROR, o->cover_image,
                           "cover_image: not a PNG, JPEG or WebP image this build can read");
            status = DG_EXIT_USAGE;
            goto out;
        }
        j.cover_picture = pic;
    }
    /* libxml2 2.9's first initialisation is not thread-safe: do it here. */
    xmlInitParser();
    double t0 = dg_now_seconds();
    int nthreads = jobs_for(o, j.nmonths);
    pthread_t threads[DG_MAX_JOBS];
    int started = 0;
    for (int i = 1; i < nthreads; i++) {
        if (pthread_create(&threads[started], NULL, worker, &j) == 0)
            started++;
    }
    worker(&j); /* the calling thread works too */
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    int sig = dg_stop_signal();
    if (!sig) {
        size_t nm;
        const char **all = dg_site_months(site, &nm);
        dg_catalog_write(j.out_dir, site->title, site->lang, all, nm, d);
    }
    if (sig) {
        dg_report_file(d, DG_NOTE, j.out_dir,
                       "interrupted by %s: %d of %zu month%s built, %d up to date, %d failed; "
                       "the rest will be built next time",
                       sig == SIGINT ? "SIGINT" : "SIGTERM", (int)j.built, j.nmonths,
                       j.nmonths == 1 ? "" : "s", (int)j.skipped, (int)j.failed);
    } else if (o->progress) {
        size_t built = j.nmonths - (size_t)j.skipped - (size_t)j.failed;
        dg_progress(d, "%zu month%s in %s: %zu built, %d up to date, %d failed (%.2f s)",
                    j.nmonths, j.nmonths == 1 ? "" : "s", j.out_dir, built, (int)j.skipped,
                    (int)j.failed, dg_now_seconds() - t0);
    }
    size_t ph = j.placeholders;
    if (ph > 0)
        dg_report_file(d, DG_NOTE, NULL,
                       "%zu remote %s; --fetch-images (or fetch_images: true in digest.yaml) puts "
                       "%s in the digests",
                       ph,
                       ph == 1 ? "image is shown as a placeholder with its link"
                               : "images are shown as placeholders with their links",
                       ph == 1 ? "it" : "them");
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
    dg_site_free(site);
    dg_arena_free(a);
    return status;
}

int dg_list(const dg_options *o, FILE *out, dg_diag *d)
{
    dg_site *site = NULL;
    if (open_site(o, &site, d) != 0)
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
            fprintf(out, "  %04d-%02d-%02d  %s%s  (%s)\n", dt->year, dt->month, dt->day, num,
                    posts[i]->title, posts[i]->relpath);
        }
    }
    dg_site_free(site);
    return dg_diag_errors(d) > 0 ? DG_EXIT_INPUT : DG_EXIT_OK;
}

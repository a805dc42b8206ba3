/* plan.c - digest plan: the months a build would make, as commands for a
 * scheduler (digest.h, dg_plan).
 *
 * A month is in the plan when build would build it: plan reads the site,
 * makes each selected month's book and fingerprints it as build does, and
 * asks the one rule of staleness (dg_month_fresh, stamp.h); a month whose
 * record of the files its book read shows none changed is fresh without its
 * book (dg_month_quick_fresh).  Each command is
 * self-contained: absolute paths (digest, SITE, OUT, fonts), the build
 * options of the command line (digest.yaml is read again by the command, in
 * SITE), and the environment that shapes the books (SOURCE_DATE_EPOCH, TZ
 * for dates from file times) through env(1).  The commands of one OUT may run
 * at once on any machines that share it: each month is built under its own
 * lock (outdir.h) and every file is written whole and renamed. */
#include "app/app.h"
#include "app/stamp.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/book.h"
#include "content/imagecache.h"
#include "pdf/fonts.h"

/* Variables of the environment the books depend on, passed on when set. */
static const char *const PLAN_ENV[] = {"SOURCE_DATE_EPOCH", "TZ"};

/* PATH made absolute (lexically, from the working directory), in A. */
static const char *absolute(dg_arena *a, const char *path)
{
    char *real = realpath(path, NULL);
    if (real) {
        const char *r = dg_strdup(a, real);
        free(real);
        return r;
    }
    char cwd[PATH_MAX];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        return dg_path_normalize(a, path);
    return dg_path_normalize(a, dg_path_join(a, cwd, path));
}

/* S as one word for sh: as is when every byte is plain, else in single
 * quotes with each quote written '\'' */
static void put_shell_word(dg_buf *b, const char *s)
{
    bool plain = *s != 0;
    for (const char *p = s; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                       "_@%+=:,./-",
                       *p) != NULL;
    if (plain) {
        dg_buf_puts(b, s);
        return;
    }
    dg_buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            dg_buf_puts(b, "'\\''");
        else
            dg_buf_putc(b, *p);
    }
    dg_buf_putc(b, '\'');
}

/* S as a JSON string. */
static void put_json_string(dg_buf *b, const char *s)
{
    dg_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            dg_buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            dg_buf_puts(b, "\\n");
        else if (*p == '\t')
            dg_buf_puts(b, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            dg_buf_printf(b, "\\u%04x", *p);
        else
            dg_buf_putc(b, (char)*p);
    }
    dg_buf_putc(b, '"');
}

/* The command that builds MONTH of SITE into OUT, as argv (NULL-ended). */
static const char **command(dg_arena *a, const dg_plan_opts *p, const char *site, const char *month,
                            const char *out, size_t *argc)
{
    size_t cap = 16 + p->nargs, n = 0;
    const char **v = dg_allocn(a, cap, sizeof *v);
    bool env = false;
    for (size_t i = 0; i < sizeof PLAN_ENV / sizeof *PLAN_ENV; i++) {
        const char *val = getenv(PLAN_ENV[i]);
        if (!val)
            continue;
        if (!env)
            v[n++] = "env";
        env = true;
        v[n++] = dg_sprintf(a, "%s=%s", PLAN_ENV[i], val);
    }
    v[n++] = p->exe;
    v[n++] = "build";
    v[n++] = site;
    v[n++] = "-m";
    v[n++] = month;
    v[n++] = "-o";
    v[n++] = out;
    for (size_t i = 0; i < p->nargs; i++)
        v[n++] = p->args[i];
    v[n] = NULL;
    *argc = n;
    return v;
}

static void print_job(FILE *out, dg_arena *a, const dg_plan_opts *p, const char *site,
                      const char *month, const char *out_dir)
{
    size_t argc;
    const char **argv = command(a, p, site, month, out_dir, &argc);
    dg_buf b = {0};
    if (p->json) {
        dg_buf_puts(&b, "{\"site\":");
        put_json_string(&b, site);
        dg_buf_puts(&b, ",\"month\":");
        put_json_string(&b, month);
        dg_buf_puts(&b, ",\"out\":");
        put_json_string(&b, out_dir);
        dg_buf_puts(&b, ",\"argv\":[");
        for (size_t i = 0; i < argc; i++) {
            if (i)
                dg_buf_putc(&b, ',');
            put_json_string(&b, argv[i]);
        }
        dg_buf_puts(&b, "]}");
    } else {
        for (size_t i = 0; i < argc; i++) {
            if (i)
                dg_buf_putc(&b, ' ');
            put_shell_word(&b, argv[i]);
        }
    }
    dg_buf_putc(&b, '\n');
    fputs(dg_buf_to_arena(&b, a), out);
}

int dg_plan(const dg_options *o, const dg_plan_opts *p, FILE *out, dg_diag *d)
{
    int status = DG_EXIT_OK;
    dg_site *site = NULL;
    dg_fonts *fonts = NULL;
    dg_imagecache *cache = NULL;
    dg_arena *a = dg_arena_new();
    if (!o->epub && !o->pdf) {
        dg_report_file(d, DG_ERROR, NULL, "no output format chosen");
        status = DG_EXIT_USAGE;
        goto out;
    }
    size_t n = 0;
    const char **months = NULL, **langs = NULL;
    if (dg_build_open_months(o, &site, a, &months, &langs, &n, d) != 0) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    const char *out_dir = dg_build_out_dir(a, o, site);
    if (p->per_site)
        out_dir = dg_path_join(a, out_dir, dg_path_basename(site->root));
    out_dir = absolute(a, out_dir);
    /* as build opens them (the EPUB's cover image is drawn with them too):
     * the run's part of the fingerprint is the same */
    if (n > 0 && !(fonts = dg_fonts_open(&o->fonts, d))) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    uint64_t run = dg_stamp_run(o, site, fonts);
    const dg_image *cover_picture = NULL;
    if (dg_build_cover_picture(o, a, &cover_picture, d) != 0) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    /* what the cache holds now, fetching nothing: a month whose images
     * are still to be fetched is planned (its stamp cannot match) */
    dg_imagecache_opts co = {.offline = true};
    cache = dg_imagecache_open(dg_build_image_cache(a, out_dir), &co);
    /* a month split by language is several books (in a row): one command
     * builds them all, printed when any of them is stale */
    const char *printed = NULL;
    for (size_t i = 0; i < n; i++) {
        if (printed && !strcmp(printed, months[i]))
            continue;
        /* the quick way first: the files its book read last time unchanged */
        dg_month_files qf;
        size_t nch;
        dg_month_files_of(a, o, out_dir, months[i], langs[i], &qf);
        if (dg_month_quick_fresh(o, &qf, dg_stamp_quick(run, o, site, months[i], langs[i]), &nch))
            continue;
        dg_book *b = dg_book_new_lang(site, months[i], langs[i], o->title_pattern, cache, d);
        if (!b) {
            dg_build_no_book(d, months[i]); /* what build says of it */
            continue;
        }
        dg_book_set_cover_picture(b, cover_picture);
        dg_month_files f;
        dg_month_files_of(b->arena, o, out_dir, months[i], langs[i], &f);
        if (!dg_month_fresh(o, &f, dg_stamp_month(run, b))) {
            print_job(out, b->arena, p, site->root, months[i], out_dir);
            printed = months[i];
        }
        dg_book_free(b);
    }
    if (fflush(out) != 0 || ferror(out)) {
        dg_report_file(d, DG_ERROR, NULL, "cannot write the plan: %s", strerror(errno));
        status = DG_EXIT_USAGE;
        goto out;
    }
    /* months gone from the site: named (a build with --prune removes them) */
    dg_options named = *o;
    named.prune = false;
    dg_prune(&named, site, out_dir, d);
    if (dg_diag_errors(d) > 0)
        status = DG_EXIT_INPUT;
out:
    dg_imagecache_free(cache);
    dg_fonts_close(fonts);
    dg_site_free(site);
    dg_arena_free(a);
    return status;
}

/* plan.c - digest plan: the months and volumes a build would make, as
 * commands for a scheduler (digest.h, dg_plan).
 *
 * A month is in the plan when build would build it: plan reads the site,
 * makes each selected month's book and fingerprints it as build does, and
 * asks the one rule of staleness (dg_month_fresh, stamp.h); a month whose
 * record of the files its book read shows none changed has its fingerprint
 * without its book (dg_month_quick_hash).  With --period year or all, the
 * volumes are the ones build would make (dg_volumes_of, app.h), each
 * fingerprinted from its months' (dg_volume_hash) and asked the same rule.
 * A month's command builds that month alone (--period month); a volume's
 * repeats the plan's selection within its year (all of it for the complete
 * volume) with --period year or all, so that it makes that volume alone,
 * and in every language build would.  Each command is
 * self-contained: absolute paths (digest, SITE, OUT, fonts), the build
 * options of the command line (digest.yaml is read again by the command, in
 * SITE), and the environment that shapes the books (SOURCE_DATE_EPOCH, TZ
 * for dates from file times) through env(1).  The commands of one OUT may run
 * at once on any machines that share it: each month and volume is built
 * under its own lock (outdir.h) and every file is written whole and renamed;
 * a volume's command reads its months' posts, not their digests. */
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

/* A planned command: a month's books (KIND "month", NAME "YYYY-MM") or a
 * volume's (KIND "year" or "all", NAME "YYYY" or "all"). */
typedef struct plan_job {
    const char *kind, *name;
} plan_job;

/* The selection of the command of a volume of YEAR (-1: the complete
 * volume), into V from N: the plan's, as dg_volumes_of made the volume of
 * it.  The plan's -m months that have posts, of YEAR; else its --from and
 * --to, within YEAR. */
static size_t selection(dg_arena *a, const dg_options *o, const char *const *sel, size_t nsel,
                        int year, const char **v, size_t n)
{
    if (o->nmonths > 0) {
        for (size_t i = 0; i < nsel; i++)
            if ((year < 0 || atoi(sel[i]) == year) && (i == 0 || strcmp(sel[i - 1], sel[i]))) {
                v[n++] = "-m";
                v[n++] = sel[i];
            }
        return n;
    }
    const char *from = o->from, *to = o->to;
    if (year >= 0) {
        const char *first = dg_sprintf(a, "%04d-01", year), *last = dg_sprintf(a, "%04d-12", year);
        from = from && strcmp(from, first) > 0 ? from : first;
        to = to && strcmp(to, last) < 0 ? to : last;
    }
    if (from) {
        v[n++] = "--from";
        v[n++] = from;
    }
    if (to) {
        v[n++] = "--to";
        v[n++] = to;
    }
    return n;
}

/* The command that builds JOB of SITE into OUT, as argv (NULL-ended).
 * SEL: the plan's selected books (NSEL), which a volume's command repeats. */
static const char **command(dg_arena *a, const dg_plan_opts *p, const dg_options *o,
                            const char *site, const plan_job *job, const char *const *sel,
                            size_t nsel, const char *out, size_t *argc)
{
    size_t cap = 16 + 2 * nsel + p->nargs, n = 0;
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
    if (!strcmp(job->kind, "month")) {
        v[n++] = "-m";
        v[n++] = job->name;
    } else {
        n = selection(a, o, sel, nsel, strcmp(job->kind, "all") ? atoi(job->name) : -1, v, n);
    }
    v[n++] = "-o";
    v[n++] = out;
    for (size_t i = 0; i < p->nargs; i++)
        v[n++] = p->args[i];
    /* the command's own books only, whatever digest.yaml's period says */
    v[n++] = "--period";
    v[n++] = job->kind;
    v[n] = NULL;
    *argc = n;
    return v;
}

static void print_job(FILE *out, dg_arena *a, const dg_plan_opts *p, const dg_options *o,
                      const char *site, const plan_job *job, const char *const *sel, size_t nsel,
                      const char *out_dir)
{
    size_t argc;
    const char **argv = command(a, p, o, site, job, sel, nsel, out_dir, &argc);
    dg_buf b = {0};
    if (p->json) {
        dg_buf_puts(&b, "{\"site\":");
        put_json_string(&b, site);
        dg_buf_puts(&b, ",\"kind\":");
        put_json_string(&b, job->kind);
        dg_buf_puts(&b, strcmp(job->kind, "month") ? ",\"volume\":" : ",\"month\":");
        put_json_string(&b, job->name);
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

/* What plan reads once and asks of every book. */
typedef struct planner {
    const dg_options *o;
    const dg_site *site;
    const char *out_dir;
    dg_imagecache *cache;
    const dg_image *cover_picture;
    uint64_t run;
    dg_diag *d;
    dg_fonts *fonts; /* the system's answers for a record's characters (stamp.h) */
} planner;

/* The fingerprint of MONTH's book (of LANG), as build makes it (0: none of
 * its posts could be built, warned as build does), and in *STALE whether
 * build would write it.  The record of the files its book read gives it
 * without the book when none changed (dg_month_quick_hash). */
static uint64_t month_hash(const planner *pl, const char *month, const char *lang, bool *stale)
{
    const dg_options *o = pl->o;
    dg_arena *a = dg_arena_new();
    dg_month_files f;
    dg_month_files_of(a, o, pl->out_dir, month, lang, &f);
    uint64_t h = 0;
    if (!dg_month_quick_hash(o, &f, dg_stamp_quick(pl->run, o, pl->site, month, lang), &h, NULL)) {
        dg_book *b = dg_book_new_lang(pl->site, month, lang, o->title_pattern, pl->cache, pl->d);
        if (b) {
            dg_book_set_cover_picture(b, pl->cover_picture);
            h = dg_stamp_month(pl->run, b);
            dg_book_free(b);
        } else {
            dg_build_no_book(pl->d, month); /* what build says of it */
        }
    }
    *stale = h != 0 && !dg_month_fresh(o, &f, h, pl->fonts);
    dg_arena_free(a);
    return h;
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
    planner pl = {o, site, out_dir, NULL, NULL, dg_stamp_run(o, site, fonts), d, fonts};
    if (dg_build_cover_picture(o, a, &pl.cover_picture, d) != 0) {
        status = DG_EXIT_USAGE;
        goto out;
    }
    /* what the cache holds now, fetching nothing: a month whose images
     * are still to be fetched is planned (its stamp cannot match) */
    dg_imagecache_opts co = {.offline = true};
    pl.cache = cache = dg_imagecache_open(dg_build_image_cache(a, out_dir), &co);
    /* the books build would make: the months, and with --period year or
     * all the volumes and every month they hold (dg_volumes_of) */
    dg_volume_set vs = {months, langs, n, NULL, NULL, 0};
    if (o->periods & (DG_PERIOD_YEAR | DG_PERIOD_ALL))
        dg_volumes_of(o, site, a, months, langs, n, &vs);
    uint64_t *hash = dg_allocn(a, vs.nmonths + 1, sizeof *hash);
    plan_job *jobs = dg_allocn(a, vs.nmonths + vs.nvols + 1, sizeof *jobs);
    plan_job *mjobs = jobs + vs.nvols; /* the months' commands, after the volumes' */
    size_t njobs = 0, nm = 0;
    for (size_t i = 0; i < vs.nmonths; i++) {
        bool own = vs.write ? vs.write[i] : true; /* its books are made */
        /* a month split by language is several books (in a row): one
         * command builds them all, planned when any of them is stale */
        bool planned = nm > 0 && !strcmp(mjobs[nm - 1].name, vs.months[i]);
        if (vs.nvols == 0 && (!own || planned))
            continue;
        bool stale;
        hash[i] = month_hash(&pl, vs.months[i], vs.langs[i], &stale);
        if (own && stale && !planned)
            mjobs[nm++] = (plan_job){"month", vs.months[i]};
    }
    /* the volumes first: the longest commands start first */
    for (size_t k = 0; k < vs.nvols; k++) {
        const dg_volume *v = &vs.vols[k];
        const char **vm;
        dg_month_files f;
        dg_volume_files_of(a, site, out_dir, v->key, v->lang, &f);
        if (dg_month_fresh(o, &f, dg_volume_hash(a, pl.run, v, vs.months, hash, &vm), fonts))
            continue;
        /* a volume of several languages is several books: one command */
        bool planned = false;
        for (size_t t = 0; t < njobs && !planned; t++)
            planned = !strcmp(jobs[t].name, v->key);
        if (!planned)
            jobs[njobs++] = (plan_job){strcmp(v->key, "all") ? "year" : "all", v->key};
    }
    for (size_t t = 0; t < nm; t++)
        jobs[njobs++] = mjobs[t];
    for (size_t t = 0; t < njobs; t++)
        print_job(out, a, p, o, site->root, &jobs[t], months, n, out_dir);
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

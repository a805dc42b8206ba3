/* stamp.c - a month's fingerprint and its record (see stamp.h).
 *
 * What goes in is everything the writers may read, not a guess at what they
 * do read: a field added to dg_post or dg_book belongs here too.  Left out on
 * purpose: where the site lies on disk (dg_post.path and .dir, an image's
 * absolute key), which only diagnostics show, so a moved site is not rebuilt
 * for nothing; and the options that choose posts (include, exclude, dates),
 * whose effect is in the posts each book holds and their dates. */
#include "app/stamp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "epub/template.h"

/* The hash being built.  Each value is preceded by its length (strings,
 * bytes) or has a fixed size, and NULL differs from "". */
typedef struct fp {
    uint64_t h;
} fp;

static void fp_raw(fp *f, const void *p, size_t n)
{
    f->h = dg_hash64(p, n, f->h);
}

static void fp_int(fp *f, long long v)
{
    fp_raw(f, &v, sizeof v);
}

static void fp_double(fp *f, double v)
{
    fp_raw(f, &v, sizeof v);
}

static void fp_bytes(fp *f, const void *p, size_t n)
{
    fp_int(f, (long long)n);
    fp_raw(f, p, n);
}

static void fp_str(fp *f, const char *s)
{
    fp_int(f, s != NULL);
    if (s)
        fp_bytes(f, s, strlen(s));
}

static void fp_strs(fp *f, const char *const *v, size_t n)
{
    fp_int(f, (long long)n);
    for (size_t i = 0; i < n; i++)
        fp_str(f, v[i]);
}

/* A path, relative to the site's folder when inside it: where the site lies
 * on disk, and how its folder was spelled, shape no book. */
static void fp_site_path(fp *f, const dg_site *site, const char *path)
{
    size_t n = strlen(site->root);
    bool inside = path && !strncmp(path, site->root, n) && (path[n] == '/' || !path[n]);
    fp_int(f, inside);
    fp_str(f, inside ? path + n : path);
}

/* A file by its identity rather than its bytes (fonts run to megabytes;
 * the executable cannot change under a running program anyway): status of
 * PATH, or a mark that it had none. */
static void fp_file_identity(fp *f, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fp_int(f, -1);
        return;
    }
    fp_int(f, (long long)st.st_size);
    fp_int(f, (long long)st.st_mtim.tv_sec);
    fp_int(f, (long long)st.st_mtim.tv_nsec);
}

static void fp_pdf_options(fp *f, const dg_options *o, const dg_fonts *fonts)
{
    const dg_pdf_opts *p = &o->pdf_opts;
    fp_int(f, (long long)p->page);
    fp_double(f, p->margin);
    fp_double(f, p->base_size);
    fp_int(f, p->indent);
    fp_int(f, p->link_notes);
    fp_int(f, p->cover_image);
    /* the languages' fonts: only digest.yaml names them, spelled the same
     * for a plan's commands as for a build (their files are below) */
    const dg_font_config *c = &o->fonts;
    fp_int(f, (long long)c->nlangs);
    for (size_t i = 0; i < c->nlangs; i++) {
        fp_str(f, c->langs[i].lang);
        fp_str(f, c->langs[i].text);
        fp_str(f, c->langs[i].bold);
    }
    /* the files the settings resolved to, not the settings as spelled: a
     * font named relative to another folder (plan's commands make it
     * absolute) is the same font */
    size_t n = fonts ? dg_fonts_count(fonts) : 0;
    fp_int(f, (long long)n);
    for (size_t i = 0; i < n; i++) {
        const dg_font *font = dg_fonts_get(fonts, (int)i);
        char *real = font->path ? realpath(font->path, NULL) : NULL;
        fp_str(f, real ? real : font->path);
        free(real);
        fp_int(f, font->index);
        fp_str(f, font->name);
        fp_file_identity(f, font->path);
    }
}

uint64_t dg_stamp_run(const dg_options *o, const dg_site *site, const dg_fonts *fonts)
{
    fp f = {0};
    fp_str(&f, DIGEST_VERSION);
    /* A rebuilt program may set the same input differently: its identity
     * (size and time of the executable) is part of the fingerprint. */
    fp_file_identity(&f, "/proc/self/exe");
    fp_str(&f, getenv("SOURCE_DATE_EPOCH"));
    fp_int(&f, o->epub);
    fp_int(&f, o->pdf);
    fp_str(&f, o->title_pattern);
    fp_str(&f, o->out_pattern);
    fp_int(&f, o->split_languages);
    /* not fetch_images: the month's part has every image packed and the
     * placeholders, so an --offline build of what the cache holds is up
     * to date with the build that fetched it */
    fp_str(&f, o->templates_dir);
    /* The fonts shape the cover image of the EPUB too (src/cover/). */
    fp_pdf_options(&f, o, fonts);
    /* the templates as the EPUB writer loads them (site folder first) */
    dg_arena *a = dg_arena_new();
    dg_diag *quiet = dg_diag_new(NULL);
    const char *tdir = dg_templates_dir(site, a);
    fp_site_path(&f, site, tdir);
    for (size_t i = 0; dg_template_names[i]; i++) {
        fp_str(&f, dg_template_names[i]);
        fp_str(&f, dg_template_load(a, tdir, dg_template_names[i], quiet));
    }
    dg_diag_free(quiet);
    dg_arena_free(a);
    return f.h;
}

static void fp_date(fp *f, const dg_datetime *dt)
{
    const int v[] = {dt->year, dt->month,  dt->day,      dt->hour,    dt->min,
                     dt->sec,  dt->tz_min, dt->has_time, dt->has_zone};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        fp_int(f, v[i]);
}

static void fp_post(fp *f, const dg_post *p)
{
    fp_str(f, p->relpath);
    fp_str(f, p->slug);
    fp_str(f, p->title);
    fp_str(f, p->subtitle);
    fp_str(f, p->author);
    fp_str(f, p->description);
    fp_str(f, p->header_img);
    fp_strs(f, p->tags, p->ntags);
    fp_strs(f, p->categories, p->ncategories);
    fp_int(f, p->catalog);
    fp_int(f, p->published);
    fp_int(f, p->title_from_h1);
    fp_int(f, p->has_date);
    fp_date(f, &p->date);
    fp_int(f, p->date_line);
    fp_int(f, (long long)p->date_source);
    fp_int(f, p->number);
    fp_str(f, p->lang);
    fp_int(f, (long long)p->lang_source);
    fp_bytes(f, p->text, p->text_len);
    fp_int(f, p->body_line);
}

static void fp_asset(fp *f, const dg_asset *as)
{
    fp_int(f, as != NULL);
    if (!as)
        return;
    const dg_image *im = &as->image;
    fp_str(f, as->href);
    fp_int(f, (long long)im->type);
    fp_str(f, im->media_type);
    fp_str(f, im->ext);
    fp_int(f, im->width);
    fp_int(f, im->height);
    fp_bytes(f, im->data, im->len);
}

uint64_t dg_stamp_month(uint64_t run, const dg_book *b)
{
    fp f = {run};
    const dg_site *s = b->site;
    fp_str(&f, s->title);
    fp_str(&f, s->author);
    fp_str(&f, s->lang);
    fp_str(&f, s->description);
    fp_str(&f, s->url);
    /* the month's place in the archive: its series index (book_meta.c) */
    fp_int(&f, b->series_index);
    fp_str(&f, b->month);
    fp_str(&f, b->title);
    fp_str(&f, b->month_label);
    fp_str(&f, b->lang);
    fp_str(&f, b->only_lang);
    fp_str(&f, b->site_title);
    fp_strs(&f, (const char *const *)b->langs, b->nlangs);
    fp_str(&f, b->author);
    fp_str(&f, b->uuid);
    fp_int(&f, b->modified);
    fp_str(&f, b->modified_iso);
    fp_site_path(&f, s, b->templates_dir);
    fp_int(&f, (long long)b->nchapters);
    for (size_t i = 0; i < b->nchapters; i++) {
        const dg_chapter *c = &b->chapters[i];
        fp_str(&f, c->id);
        fp_post(&f, c->post);
        fp_asset(&f, c->header_image);
    }
    fp_asset(&f, b->cover);
    /* the cover image's picture (digest.yaml cover_image) */
    fp_int(&f, b->cover_picture != NULL);
    if (b->cover_picture)
        fp_bytes(&f, b->cover_picture->data, b->cover_picture->len);
    /* every packed image, remote ones from the cache included */
    fp_int(&f, (long long)b->reg.nassets);
    for (size_t i = 0; i < b->reg.nassets; i++)
        fp_asset(&f, b->reg.assets[i]);
    /* remote images still to fetch show as placeholders */
    fp_int(&f, (long long)b->reg.nremote);
    fp_int(&f, (long long)b->reg.nplaceholders);
    return f.h;
}

const char *dg_stamp_path(dg_arena *a, const char *out_dir, const char *month)
{
    return dg_sprintf(a, "%s/.digest-state/%s.stamp", out_dir, month);
}

/* The files of a book named NAME (before ".LANG") whose state is KEY, in
 * OUT_DIR: a book of one language (LANG) has ".LANG" in both, a record and
 * a lock of its own. */
const char *dg_book_key(dg_arena *a, const char *name, const char *lang)
{
    return lang ? dg_sprintf(a, "%s.%s", name, lang) : name;
}

static void files_of(dg_arena *a, const char *out_dir, const char *name, const char *key,
                     const char *lang, dg_month_files *f)
{
    name = dg_book_key(a, name, lang);
    key = dg_book_key(a, key, lang);
    f->key = key;
    f->epub = dg_sprintf(a, "%s/%s.epub", out_dir, name);
    f->pdf = dg_sprintf(a, "%s/%s.pdf", out_dir, name);
    f->stamp = dg_stamp_path(a, out_dir, key);
    f->lock = dg_sprintf(a, "%s/.digest-state/%s.lock", out_dir, key);
    f->files = dg_sprintf(a, "%s/.digest-state/%s.files", out_dir, key);
}

void dg_month_files_of(dg_arena *a, const dg_options *o, const char *out_dir, const char *month,
                       const char *lang, dg_month_files *f)
{
    files_of(a, out_dir, dg_output_name(a, o->out_pattern, month), month, lang, f);
}

/* A volume's files: OUT/YYYY.epub or OUT/NAME-all.epub (NAME: the site
 * folder's name), and YYYY.stamp / all.stamp and .lock in
 * OUT/.digest-state (not names of a month: prune.c leaves them alone). */
void dg_volume_files_of(dg_arena *a, const dg_site *site, const char *out_dir, const char *key,
                        const char *lang, dg_month_files *f)
{
    const char *name =
        strcmp(key, "all") ? key : dg_sprintf(a, "%s-all", dg_path_basename(site->root));
    files_of(a, out_dir, name, key, lang, f);
}

uint64_t dg_stamp_volume(uint64_t run, const char *key, const char *lang, const char *const *months,
                         const uint64_t *month_h, size_t n)
{
    fp f = {run};
    fp_str(&f, "volume"); /* never equal to a month's */
    fp_str(&f, key);
    fp_str(&f, lang);
    fp_int(&f, (long long)n);
    for (size_t i = 0; i < n; i++) {
        fp_str(&f, months[i]);
        fp_int(&f, (long long)month_h[i]);
    }
    return f.h;
}

static int format_stamp(char line[32], uint64_t h)
{
    return snprintf(line, 32, "%016llx\n", (unsigned long long)h);
}

/* ---- what a book took from the system's fonts ---------------------------------- */

/* A file's identity as the records write it: seven numbers. */
static void put_file_id(dg_buf *b, const dg_file_id *id)
{
    dg_buf_printf(b, "%lld %lld %lld %lld %lld %lld %lld", id->size, id->ino, id->dev, id->mtime_s,
                  id->mtime_ns, id->ctime_s, id->ctime_ns);
}

/* The line of the record for CP, the character no font of the chain has:
 * "U+XXXX " and the answer the system's fonts give now (dg_fonts_system):
 * "-" for none (a box), else the face's file identity, index and path.  A
 * font installed, removed or changed changes it. */
static void put_system_answer(dg_buf *b, dg_fonts *fonts, uint32_t cp)
{
    dg_buf_printf(b, "U+%04X ", (unsigned)cp);
    const dg_font *font = dg_fonts_get(fonts, dg_fonts_system(fonts, cp));
    if (!font) {
        dg_buf_puts(b, "-\n");
        return;
    }
    dg_file_id id;
    dg_file_id_of(font->path, &id);
    put_file_id(b, &id);
    dg_buf_printf(b, " %d %s\n", font->index, font->path);
}

static int cmp_cp(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* The record at PATH, read whole (NUL-ended, malloc'd; NULL when there is
 * none), and whether it holds H: its first line.  *REST: the lines after it,
 * one per character the book took from the system's fonts. */
static char *read_record(const char *path, uint64_t h, bool *holds, const char **rest)
{
    char *data;
    size_t len;
    *holds = false;
    *rest = "";
    if (dg_read_file(path, &data, &len) != 0)
        return NULL;
    char want[32];
    int n = format_stamp(want, h);
    *holds = len >= (size_t)n && memcmp(data, want, (size_t)n) == 0;
    if (*holds)
        *rest = data + n;
    return data;
}

/* Whether each line of REST (put_system_answer's) is the answer the system's
 * fonts give now; with CARRY, each character also goes into CARRY.  Asks
 * fontconfig only when REST has a line: most books have none. */
static bool system_answers_same(const char *rest, dg_fonts *fonts, dg_fonts_log *carry)
{
    bool same = true;
    dg_buf now = {0};
    for (const char *p = rest; *p;) {
        const char *nl = strchr(p, '\n');
        unsigned cp;
        if (!nl || sscanf(p, "U+%X ", &cp) != 1 || !fonts) {
            same = false;
            break;
        }
        now.len = 0;
        put_system_answer(&now, fonts, cp);
        same &= now.len == (size_t)(nl + 1 - p) && memcmp(now.data, p, now.len) == 0;
        if (carry)
            dg_fonts_log_add(carry, cp);
        else if (!same)
            break;
        p = nl + 1;
    }
    dg_buf_free(&now);
    return same;
}

bool dg_stamp_system_changed(const char *path, uint64_t h, dg_fonts *fonts, dg_fonts_log *log)
{
    bool holds;
    const char *rest;
    char *data = read_record(path, h, &holds, &rest);
    bool changed = holds && !system_answers_same(rest, fonts, log);
    free(data);
    return changed;
}

bool dg_month_fresh(const dg_options *o, const dg_month_files *f, uint64_t h, dg_fonts *fonts)
{
    if (o->force)
        return false;
    bool holds;
    const char *rest;
    char *data = read_record(f->stamp, h, &holds, &rest);
    bool fresh = holds && (!o->epub || dg_is_file(f->epub)) && (!o->pdf || dg_is_file(f->pdf)) &&
                 system_answers_same(rest, fonts, NULL);
    free(data);
    return fresh;
}

bool dg_stamp_matches(const char *path, uint64_t h)
{
    bool holds;
    const char *rest;
    free(read_record(path, h, &holds, &rest));
    return holds;
}

int dg_stamp_invalidate(const char *path, dg_diag *d)
{
    if (unlink(path) == 0 || errno == ENOENT)
        return 0;
    dg_report_file(d, DG_ERROR, path,
                   "cannot remove the build state (%s); the month is not rebuilt", strerror(errno));
    return -1;
}

int dg_stamp_write(const char *path, uint64_t h, dg_fonts *fonts, const dg_fonts_log *log,
                   dg_diag *d)
{
    int rc = -1;
    dg_arena *a = dg_arena_new();
    char line[32];
    format_stamp(line, h);
    dg_buf r = {0};
    dg_buf_puts(&r, line);
    /* the characters in code point order: the same book, the same record */
    size_t n = log ? log->n : 0;
    uint32_t *cps = dg_allocn(a, n + 1, sizeof *cps);
    if (n)
        memcpy(cps, log->cp, n * sizeof *cps);
    qsort(cps, n, sizeof *cps, cmp_cp);
    for (size_t i = 0; i < n && fonts; i++)
        put_system_answer(&r, fonts, cps[i]);
    if (dg_mkdir_p(dg_path_dirname(a, path)) != 0 ||
        dg_write_file_atomic(path, r.data, r.len) != 0) {
        dg_report_file(d, DG_WARNING, path,
                       "cannot record the build state (%s); the month will be rebuilt next time",
                       strerror(errno));
        goto out;
    }
    rc = 0;
out:
    dg_buf_free(&r);
    dg_arena_free(a);
    return rc;
}

/* ---- the quick way: the files a month's book read ------------------------------ */

/* A file's identity, fixed size: absent or not, then its status. */
static void fp_file_id(fp *f, const dg_file_id *id)
{
    const long long v[] = {
        id->absent,  id->size,     id->ino,     id->dev,
        id->mtime_s, id->mtime_ns, id->ctime_s, id->ctime_ns,
    };
    fp_raw(f, v, sizeof v);
}

uint64_t dg_stamp_quick(uint64_t run, const dg_options *o, const dg_site *site, const char *month,
                        const char *lang)
{
    fp f = {run};
    fp_str(&f, "digest-files 1");
    /* where the site lies: image candidates are absolute paths */
    fp_str(&f, site->root);
    fp_str(&f, site->posts_dir);
    fp_str(&f, site->templates_dir);
    fp_str(&f, site->title);
    fp_str(&f, site->author);
    fp_str(&f, site->lang);
    fp_str(&f, site->description);
    fp_str(&f, site->url);
    fp_int(&f, (long long)site->nlanguages);
    for (size_t i = 0; i < site->nlanguages; i++) {
        const dg_site_language *l = &site->languages[i];
        fp_str(&f, l->key);
        fp_str(&f, l->tag);
        fp_str(&f, l->content_dir);
        fp_str(&f, l->title);
        fp_int(&f, l->weight);
    }
    fp_strs(&f, site->langs, site->nlangs);
    /* the month's place in the archive (its series index) */
    size_t nmonths = 0;
    const char **months = dg_site_months(site, &nmonths);
    fp_str(&f, nmonths ? months[0] : NULL);
    fp_str(&f, month);
    fp_str(&f, lang);
    /* digest.yaml cover_image, loaded once per build */
    fp_str(&f, o->cover_image);
    if (o->cover_image) {
        dg_file_id id;
        dg_file_id_of(o->cover_image, &id);
        fp_file_id(&f, &id);
    }
    /* the month's posts as the site's scan read them: a post added,
     * removed, edited or dated otherwise changes the key */
    size_t n = 0;
    dg_post **posts = dg_site_month_posts_meta(site, month, &n);
    fp_int(&f, (long long)n);
    for (size_t i = 0; i < n; i++) {
        fp_str(&f, posts[i]->path);
        fp_str(&f, posts[i]->dir);
        fp_post(&f, posts[i]);
    }
    return f.h;
}

double dg_file_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define FILES_HEADER "digest-files 1\n"

/* Files changed less than this before their identity was taken are not
 * recorded: a file system's clock ticks coarsely (a few ms on Linux's, up to
 * a second on others), and a second write of the same size in the tick of
 * the first leaves the same times. */
#define FILES_RACY_SECONDS 1.0

bool dg_month_quick_hash(const dg_options *o, const dg_month_files *f, uint64_t key, uint64_t *h,
                         size_t *nchapters)
{
    bool known = false;
    char *data = NULL;
    size_t len;
    dg_arena *a = NULL;
    if (o->refresh_images || dg_read_file(f->files, &data, &len) != 0)
        goto out;
    a = dg_arena_new();
    if (strncmp(data, FILES_HEADER, strlen(FILES_HEADER)) != 0)
        goto out;
    char *p = data + strlen(FILES_HEADER);
    unsigned long long k, rh;
    size_t nch;
    int used = 0;
    if (sscanf(p, "key %16llx\nstamp %16llx\nchapters %zu\n%n", &k, &rh, &nch, &used) != 3 ||
        used == 0 || k != key)
        goto out;
    p += used;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (!nl)
            goto out;
        *nl = 0;
        dg_file_id want = {0}, now;
        int at = 0;
        if (p[0] == '-' && p[1] == ' ') {
            want.absent = true;
            at = 2;
        } else if (sscanf(p, "%lld %lld %lld %lld %lld %lld %lld %n", &want.size, &want.ino,
                          &want.dev, &want.mtime_s, &want.mtime_ns, &want.ctime_s, &want.ctime_ns,
                          &at) != 7 ||
                   at == 0) {
            goto out;
        }
        dg_file_id_of(p + at, &now);
        if (!dg_file_id_same(&want, &now))
            goto out;
        p = nl + 1;
    }
    *h = rh;
    if (nchapters)
        *nchapters = nch;
    known = true;
out:
    free(data);
    dg_arena_free(a);
    return known;
}

bool dg_month_quick_fresh(const dg_options *o, const dg_month_files *f, uint64_t key,
                          dg_fonts *fonts, size_t *nchapters)
{
    uint64_t h;
    return !o->force && dg_month_quick_hash(o, f, key, &h, nchapters) &&
           dg_month_fresh(o, f, h, fonts);
}

int dg_stamp_files_write(const dg_month_files *f, const dg_options *o, const dg_book *b,
                         uint64_t key, uint64_t h, const dg_probe_log *log, double since)
{
    int rc = -1;
    dg_buf r = {0};
    dg_arena *a = dg_arena_new();
    /* the cache's answers for images not in it depend on time and on
     * options, not on files alone */
    if (o->refresh_images || b->reg.nremote > 0 || b->reg.nplaceholders > 0)
        goto out;
    dg_buf_printf(&r, FILES_HEADER "key %016llx\nstamp %016llx\nchapters %zu\n",
                  (unsigned long long)key, (unsigned long long)h, b->nchapters);
    for (size_t i = 0; i < log->n; i++) {
        const dg_file_id *id = &log->v[i].id;
        const char *path = log->v[i].path;
        if (strchr(path, '\n'))
            goto out;
        if (id->absent) {
            dg_buf_printf(&r, "- %s\n", path);
            continue;
        }
        if ((double)id->ctime_s + (double)id->ctime_ns / 1e9 > since - FILES_RACY_SECONDS)
            goto out;
        put_file_id(&r, id);
        dg_buf_printf(&r, " %s\n", path);
    }
    if (dg_mkdir_p(dg_path_dirname(a, f->files)) != 0 ||
        dg_write_file_atomic(f->files, r.data, r.len) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        unlink(f->files); /* an older record vouches for nothing now */
    dg_buf_free(&r);
    dg_arena_free(a);
    return rc;
}

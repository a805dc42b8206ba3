/* dates.c - dates a post does not carry itself: the dates table (rows of
 * digest.yaml's dates: and of a CSV file given with --dates, looked up by the
 * post's file or folder) and the file's modification time.  The other
 * outside source, git history, is gitdates.c.
 */
#include "site/dates.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* A dates table past this size is not a table of a blog's posts. */
#define DATES_MAX_BYTES (16 * 1024 * 1024)

struct dg_date_entry {
    const char *path; /* normalized, relative to the root */
    dg_datetime date;
    size_t row; /* order of appearance */
};

static int cmp_entry(const void *x, const void *y)
{
    return strcmp(((const dg_date_entry *)x)->path, ((const dg_date_entry *)y)->path);
}

static int cmp_entry_row(const void *x, const void *y)
{
    const dg_date_entry *a = x, *b = y;
    int c = strcmp(a->path, b->path);
    return c ? c : a->row < b->row ? -1 : a->row > b->row;
}

/* "./docs/x.md" -> "docs/x.md"; "docs/" -> "docs". */
static char *norm_rel(dg_arena *a, const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    char *n = dg_path_normalize(a, p);
    size_t l = strlen(n);
    while (l > 1 && n[l - 1] == '/')
        n[--l] = 0;
    return n;
}

static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t' || **b == '"'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r' || (*e)[-1] == '"'))
        (*e)--;
}

/* Reads a CSV dates table "path,date" (blank lines and '#' comments skipped;
 * a first line whose date is not a date is a header).  A bad row is an error
 * naming it; the rest is still read.  Returns -1 when the file is unreadable. */
static int read_dates_csv(dg_arena *a, const char *path, const char *shown, dg_vec *rows,
                          dg_diag *d)
{
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    if (dg_read_file_max(path, DATES_MAX_BYTES, &data, &len) != 0) {
        if (errno == EFBIG)
            dg_report_file(d, DG_ERROR, shown, "dates table larger than %d MiB; not read",
                           DATES_MAX_BYTES / (1024 * 1024));
        else
            dg_report_file(d, DG_ERROR, shown, "cannot read the dates table: %s", strerror(errno));
        goto out;
    }
    dg_dates_parse(a, data, len, shown, rows, d);
    rc = 0;
out:
    free(data);
    return rc;
}

size_t dg_dates_parse(dg_arena *a, const char *data, size_t len, const char *shown, dg_vec *rows,
                      dg_diag *d)
{
    size_t before = rows->len;
    const char *q = data, *end = data + len;
    q += dg_utf8_bom_len(q, len);
    for (int line = 1; q < end; line++) {
        const char *le = memchr(q, '\n', (size_t)(end - q));
        if (!le)
            le = end;
        const char *b = q, *e = le;
        trim(&b, &e);
        if (b < e && *b != '#') {
            const char *comma = memchr(b, ',', (size_t)(e - b));
            if (!comma)
                comma = memchr(b, ';', (size_t)(e - b));
            const char *pb = b, *pe = comma ? comma : e, *db = comma ? comma + 1 : e, *de = e;
            trim(&pb, &pe);
            trim(&db, &de);
            /* a third column (a title, a note) is allowed */
            const char *c2 = memchr(db, ',', (size_t)(de - db));
            if (c2) {
                de = c2;
                trim(&db, &de);
            }
            char *date = dg_strndup(a, db, (size_t)(de - db));
            dg_datetime dt;
            if (!comma || pb == pe) {
                dg_report(d, DG_ERROR, shown, line, 1, data, len,
                          "expected 'path,YYYY-MM-DD'; row ignored");
            } else if (dg_date_parse(date, &dt) != 0) {
                bool digit = false; /* a header row ("path,date") has no digits there */
                for (const char *c = db; c < de; c++)
                    digit |= *c >= '0' && *c <= '9';
                if (line > 1 || rows->len > 0 || digit) {
                    int col = 1;
                    for (const char *c = q; c < db; c++)
                        col += ((unsigned char)*c & 0xC0) != 0x80;
                    dg_report(d, DG_ERROR, shown, line, col, data, len,
                              "'%s' is not a date (use YYYY-MM-DD); row ignored", date);
                }
            } else {
                dg_date_entry *en = dg_alloc(a, sizeof *en);
                en->path = norm_rel(a, dg_strndup(a, pb, (size_t)(pe - pb)));
                en->date = dt;
                dg_vec_push(rows, en);
            }
        }
        q = le < end ? le + 1 : end;
    }
    return rows->len - before;
}

static const dg_date_entry *find_entry(const dg_date_entry *tab, size_t n, const char *path)
{
    dg_date_entry key = {path, {0}, 0};
    return n ? bsearch(&key, tab, n, sizeof *tab, cmp_entry) : NULL;
}

/* The table's date of a post: its file, else its folder (dated folders,
 * page bundles), by path from the root, else from the posts folder. */
static const dg_date_entry *table_date(const dg_date_entry *tab, size_t n, dg_arena *a,
                                       const char *relpath, const char *prefix)
{
    const dg_date_entry *e = find_entry(tab, n, relpath);
    if (!e && strchr(relpath, '/'))
        e = find_entry(tab, n, dg_path_dirname(a, relpath));
    size_t pl = strlen(prefix);
    if (!e && pl && !strncmp(relpath, prefix, pl) && relpath[pl] == '/')
        e = table_date(tab, n, a, relpath + pl + 1, "");
    return e;
}

int dg_dates_load(dg_dates *t, dg_arena *a, const dg_date_row *rows, size_t nrows,
                  const char *origin, const char *file, const char *root, dg_diag *d)
{
    dg_vec v = {0};
    int rc = -1;
    t->rows = NULL;
    t->n = 0;
    /* The configuration's rows, then the file's (a later row for the same
     * path wins). */
    for (size_t i = 0; i < nrows; i++) {
        dg_datetime dt;
        if (dg_date_parse(rows[i].date, &dt) != 0) {
            dg_report_file(d, DG_ERROR, origin, "dates: '%s' for %s is not a date (use YYYY-MM-DD)",
                           rows[i].date, rows[i].path);
            continue;
        }
        dg_date_entry *en = dg_alloc(a, sizeof *en);
        en->path = norm_rel(a, rows[i].path);
        en->date = dt;
        dg_vec_push(&v, en);
    }
    if (file && *file) {
        /* relative to the current folder when it is there, else to the site */
        bool own = file[0] == '/' || dg_is_file(file);
        const char *abs = own ? file : dg_path_join(a, root, file);
        /* A table found in the site, or in a folder of it, is the site's
         * and must not lead out of it; one the user names elsewhere (in the
         * current folder, by an absolute path) is the user's own choice.
         * digest.yaml's dates: is held inside the site by config.c. */
        char *real, *dreal;
        if (dg_resolve_inside(a, root, abs, &real) != 0 && real &&
            (!own || dg_resolve_inside(a, root, dg_path_dirname(a, abs), &dreal) == 0)) {
            /* an error, but the site's own dates still stand */
            dg_report_file(d, DG_ERROR, file, "%s; not read", dg_outside_why(a, abs, real));
        } else if (read_dates_csv(a, abs, file, &v, d) != 0) {
            goto out;
        }
    }
    dg_date_entry *tab = dg_allocn(a, v.len ? v.len : 1, sizeof *tab);
    for (size_t i = 0; i < v.len; i++) {
        tab[i] = *(dg_date_entry *)v.items[i];
        tab[i].row = i;
    }
    /* a later row for the same path must win: sort by (path, row), keep the
     * last of equal paths */
    qsort(tab, v.len, sizeof *tab, cmp_entry_row);
    size_t n = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (n && !strcmp(tab[n - 1].path, tab[i].path))
            tab[n - 1] = tab[i];
        else
            tab[n++] = tab[i];
    }
    t->rows = tab;
    t->n = n;
    rc = 0;
out:
    dg_vec_free(&v);
    return rc;
}

const dg_datetime *dg_dates_find(const dg_dates *t, dg_arena *a, const char *relpath,
                                 const char *prefix)
{
    const dg_date_entry *e = table_date(t->rows, t->n, a, relpath, prefix);
    return e ? &e->date : NULL;
}

int dg_date_from_mtime(const char *path, dg_datetime *out)
{
    struct stat st;
    struct tm tm;
    if (stat(path, &st) != 0 || !localtime_r(&st.st_mtime, &tm))
        return -1;
    *out = (dg_datetime){tm.tm_year + 1900,
                         tm.tm_mon + 1,
                         tm.tm_mday,
                         tm.tm_hour,
                         tm.tm_min,
                         tm.tm_sec,
                         (int)(tm.tm_gmtoff / 60),
                         true,
                         true};
    return 0;
}

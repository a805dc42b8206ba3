/* diag.c - the diagnostics sink: format, excerpt, merge, count. */
#include "digest/diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/u64map.h"

/* Reports kept for merging; a bounded table is enough because a report
 * that was already printed is merely printed again if the table is full. */
#define SEEN_SLOTS 8192

struct dg_diag {
    FILE *out;
    pthread_mutex_t lock;
    int errors, warnings;
    dg_buf text;
    dg_u64map seen; /* hashes of the reports printed (values unused) */
};

dg_diag *dg_diag_new(FILE *out)
{
    dg_diag *d = calloc(1, sizeof *d);
    if (!d)
        dg_oom();
    if (dg_u64map_init(&d->seen, SEEN_SLOTS) != 0)
        dg_oom();
    d->out = out;
    pthread_mutex_init(&d->lock, NULL);
    return d;
}

void dg_diag_free(dg_diag *d)
{
    if (!d)
        return;
    pthread_mutex_destroy(&d->lock);
    dg_buf_free(&d->text);
    dg_u64map_free(&d->seen);
    free(d);
}

/* Returns true when H was not seen before (and records it while the set is
 * less than 3/4 full; after that every report counts as new). Caller holds
 * the lock. */
static bool first_time(dg_diag *d, uint64_t h)
{
    if (h == 0)
        h = 1;
    if (dg_u64map_get(&d->seen, h, NULL))
        return false;
    dg_u64map_put(&d->seen, h, 0);
    return true;
}

void dg_text_position(const char *text, size_t offset, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < offset && text[i]; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static const char *sev_name(dg_severity s)
{
    return s == DG_ERROR ? "error" : s == DG_WARNING ? "warning" : "note";
}

/* Appends the quoted source line with a caret under COL. */
static void excerpt(dg_buf *b, const char *src, size_t srclen, int line, int col)
{
    if (!src || line <= 0)
        return;
    size_t i = 0;
    for (int l = 1; l < line && i < srclen; i++)
        if (src[i] == '\n')
            l++;
    if (i >= srclen && line > 1)
        return;
    size_t e = i;
    while (e < srclen && src[e] != '\n' && src[e] != '\r')
        e++;
    /* Keep the excerpt short: at most 100 characters around the column. */
    size_t start = i, chars = 0, caret = 0;
    int c = 1;
    for (size_t k = i; k < e; k++) {
        if (((unsigned char)src[k] & 0xC0) == 0x80)
            continue;
        if (c == col)
            caret = chars;
        c++;
        chars++;
    }
    if (col > 0 && (size_t)col > chars)
        caret = chars;
    size_t skip = caret > 60 ? caret - 40 : 0;
    size_t shown = 0;
    char num[16];
    int w = snprintf(num, sizeof num, "%d", line);
    dg_buf_printf(b, " %s | ", num);
    if (skip)
        dg_buf_puts(b, "...");
    size_t k = start, idx = 0;
    for (; k < e && shown < 100; k++) {
        unsigned char ch = (unsigned char)src[k];
        bool lead = (ch & 0xC0) != 0x80;
        if (lead && idx++ < skip)
            continue;
        if (!lead && idx <= skip)
            continue;
        if (lead)
            shown++;
        dg_buf_putc(b, ch == '\t' ? ' ' : (char)ch);
    }
    if (k < e)
        dg_buf_puts(b, "...");
    dg_buf_putc(b, '\n');
    if (col > 0) {
        dg_buf_printf(b, " %*s | %*s", w, "", (int)(caret - skip + (skip ? 3 : 0)), "");
        dg_buf_puts(b, "^\n");
    }
}

static void emit(dg_diag *d, uint64_t key, dg_severity sev, const char *path, int line, int col,
                 const char *src, size_t srclen, const char *msg)
{
    dg_buf b = {0};
    if (path && line > 0 && col > 0)
        dg_buf_printf(&b, "%s:%d:%d: %s: %s\n", path, line, col, sev_name(sev), msg);
    else if (path && line > 0)
        dg_buf_printf(&b, "%s:%d: %s: %s\n", path, line, sev_name(sev), msg);
    else if (path)
        dg_buf_printf(&b, "%s: %s: %s\n", path, sev_name(sev), msg);
    else
        dg_buf_printf(&b, "digest: %s: %s\n", sev_name(sev), msg);
    excerpt(&b, src, srclen, line, col);
    if (key == 0)
        key = dg_hash64(b.data, b.len, 0);
    pthread_mutex_lock(&d->lock);
    if (first_time(d, key)) {
        if (sev == DG_ERROR)
            d->errors++;
        else if (sev == DG_WARNING)
            d->warnings++;
        dg_buf_put(&d->text, b.data, b.len);
        if (d->out) {
            fwrite(b.data, 1, b.len, d->out);
            fflush(d->out);
        }
    }
    pthread_mutex_unlock(&d->lock);
    dg_buf_free(&b);
}

void dg_report(dg_diag *d, dg_severity sev, const char *path, int line, int col, const char *src,
               size_t srclen, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emit(d, 0, sev, path, line, col, src, srclen, msg);
}

void dg_report_file(dg_diag *d, dg_severity sev, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emit(d, 0, sev, path, 0, 0, NULL, 0, msg);
}

void dg_report_once(dg_diag *d, const char *key, dg_severity sev, const char *path, int line,
                    int col, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    uint64_t h = dg_hash64(key, strlen(key), 0x6f6e6365);
    emit(d, h, sev, path, line, col, NULL, 0, msg);
}

void dg_progress(dg_diag *d, const char *fmt, ...)
{
    if (!d->out)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&d->lock);
    fprintf(d->out, "%s\n", msg);
    fflush(d->out);
    pthread_mutex_unlock(&d->lock);
}

int dg_diag_errors(const dg_diag *d)
{
    return d->errors;
}

int dg_diag_warnings(const dg_diag *d)
{
    return d->warnings;
}

const char *dg_diag_text(dg_diag *d)
{
    return d->text.data ? d->text.data : "";
}

/* AddressSanitizer is on: GCC says so with __SANITIZE_ADDRESS__, clang (the
 * libFuzzer build) with __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define DG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DG_ASAN 1
#endif
#endif

#ifdef DG_ASAN
/* The program's one list of leak suppressions, here because every program
 * and test links the sink.  libhyphen 2.8.8 itself loses a few pattern
 * strings while loading some dictionaries (hyph_fr.dic: 1 block,
 * hyph_de_DE.dic: 9, none for hyph_en_US.dic), once per dictionary
 * (pdf/hyphen.c); fontconfig 2.14 loses the patterns of <rejectfont> rules
 * while it reads the system's configuration (65-fonts-lmodern.conf,
 * 70-no-bitmaps.conf: 5.7 KiB once a run), loaded by pdf/fonts.c for a
 * family name or a character the font chain lacks.  Not ours to free. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libhyphen.so\nleak:libfontconfig.so\n";
}
#endif

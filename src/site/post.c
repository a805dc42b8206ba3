/* post.c - one post: the file read, its text repaired, the front matter and
 * the Markdown parsed, the title and date fallbacks applied.
 *
 * Text repair keeps the line structure so that every position reported later
 * (YAML, Markdown, sanitizer) matches what an editor shows: CRLF and lone CR
 * become LF (one line each), a BOM is dropped, invalid UTF-8 bytes become
 * U+FFFD and control characters are dropped.  Each kind of repair is reported
 * at most once per line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "site/lang.h"
#include "site/post.h"

/* A weekly post is text: anything larger is not one (and would make every
 * later stage slow).  Reported and left out. */
#define POST_MAX_BYTES (16 * 1024 * 1024)
/* Lines with repairs reported one by one; the rest are summed up in one
 * report (a file in GBK would otherwise give a warning per line). */
#define REPAIR_MAX_REPORTS 8

typedef enum { FIX_UTF8, FIX_CTRL } fix_kind;

typedef struct fix {
    fix_kind kind;
    int line, col, count;
} fix;

typedef struct repair {
    dg_buf out;
    fix fixes[2 * REPAIR_MAX_REPORTS];
    int nfixes, nkind[2];
    int more_lines[2];     /* lines with repairs past the limit, per kind */
    int more_last_line[2]; /* the last such line counted, per kind */
    int line, col;         /* position in the output, 1-based */
} repair;

static void note_fix(repair *r, fix_kind k)
{
    /* Merge with this line's report of the same kind. */
    for (int i = r->nfixes - 1; i >= 0 && r->fixes[i].line == r->line; i--) {
        if (r->fixes[i].kind == k) {
            r->fixes[i].count++;
            return;
        }
    }
    if (r->nkind[k] < REPAIR_MAX_REPORTS) {
        r->nkind[k]++;
        r->fixes[r->nfixes++] = (fix){k, r->line, r->col, 1};
    } else if (r->more_last_line[k] != r->line) {
        r->more_lines[k]++;
        r->more_last_line[k] = r->line;
    }
}

static bool is_control(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ||
           (cp >= 0x80 && cp <= 0x9F);
}

/* Repairs DATA into R->out.  Text that needs no repair (nearly all of it)
 * is copied in runs. */
static void repair_text(repair *r, const char *data, size_t len)
{
    size_t i = 0, run;
    r->line = r->col = 1;
    i = dg_utf8_bom_len(data, len);
    run = i;
    while (i < len) {
        unsigned char c = (unsigned char)data[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            r->col++;
            continue;
        }
        if (c == '\n') {
            i++;
            r->line++;
            r->col = 1;
            continue;
        }
        if (c == '\r') {
            dg_buf_put(&r->out, data + run, i - run);
            dg_buf_putc(&r->out, '\n');
            i += (i + 1 < len && data[i + 1] == '\n') ? 2 : 1;
            run = i;
            r->line++;
            r->col = 1;
            continue;
        }
        uint32_t cp;
        int n = dg_utf8_decode(data + i, len - i, &cp);
        fix_kind k;
        if (n == 0) {
            k = FIX_UTF8;
        } else if (is_control(cp)) {
            k = FIX_CTRL;
        } else {
            i += (size_t)n;
            r->col++;
            continue;
        }
        dg_buf_put(&r->out, data + run, i - run);
        note_fix(r, k);
        if (k == FIX_UTF8) {
            dg_buf_put(&r->out, "\xEF\xBF\xBD", 3);
            r->col++;
            i++;
        } else {
            i += (size_t)n;
        }
        run = i;
    }
    dg_buf_put(&r->out, data + run, i - run);
    if (!r->out.data)
        dg_buf_puts(&r->out, "");
}

static void report_fixes(const repair *r, const char *path, const char *text, size_t len,
                         dg_diag *d)
{
    for (int i = 0; i < r->nfixes; i++) {
        const fix *f = &r->fixes[i];
        if (f->kind == FIX_UTF8)
            dg_report(d, DG_WARNING, path, f->line, f->col, text, len,
                      "invalid UTF-8 (%d byte%s) replaced with U+FFFD", f->count,
                      f->count == 1 ? "" : "s");
        else
            dg_report(d, DG_WARNING, path, f->line, f->col, text, len,
                      "%d control character%s dropped", f->count, f->count == 1 ? "" : "s");
    }
    if (r->more_lines[FIX_UTF8])
        dg_report_file(d, DG_WARNING, path,
                       "invalid UTF-8 on %d more line%s, replaced with U+FFFD (is the file UTF-8?)",
                       r->more_lines[FIX_UTF8], r->more_lines[FIX_UTF8] == 1 ? "" : "s");
    if (r->more_lines[FIX_CTRL])
        dg_report_file(d, DG_WARNING, path, "control characters dropped on %d more line%s",
                       r->more_lines[FIX_CTRL], r->more_lines[FIX_CTRL] == 1 ? "" : "s");
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A date at the start of a file or folder name: YYYY-MM-DD, YYYY-M-D,
 * YYYY.MM.DD, YYYY_MM_DD or YYYYMMDD, then the end of the name or '-', '_',
 * '.' or a blank.  Returns the bytes used (with the separator after it) and
 * sets *DATE to the date text normalized for dg_date_parse; 0 when none. */
static size_t name_date(const char *s, const char **date, dg_arena *a)
{
    int y = 0, m = 0, d = 0;
    size_t i = 0;
    for (; i < 4; i++) {
        if (!is_digit(s[i]))
            return 0;
        y = y * 10 + (s[i] - '0');
    }
    if (is_digit(s[4])) { /* YYYYMMDD */
        for (i = 4; i < 8; i++)
            if (!is_digit(s[i]))
                return 0;
        m = (s[4] - '0') * 10 + (s[5] - '0');
        d = (s[6] - '0') * 10 + (s[7] - '0');
        i = 8;
    } else {
        char sep = s[4];
        if (sep != '-' && sep != '.' && sep != '_')
            return 0;
        i = 5;
        int *parts[2] = {&m, &d};
        for (int k = 0; k < 2; k++) {
            size_t start = i;
            while (is_digit(s[i]) && i - start < 2)
                *parts[k] = *parts[k] * 10 + (s[i++] - '0');
            if (i == start || is_digit(s[i]))
                return 0;
            if (k == 0 && s[i++] != sep)
                return 0;
        }
    }
    if (s[i] && s[i] != '-' && s[i] != '_' && s[i] != '.' && s[i] != ' ')
        return 0;
    char *txt = dg_sprintf(a, "%04d-%02d-%02d", y, m, d);
    dg_datetime dt;
    if (dg_date_parse(txt, &dt) != 0)
        return 0;
    *date = txt;
    return s[i] ? i + 1 : i;
}

/* An issue number at the start of a name: 1 to 6 digits, then '-', '_',
 * '.' or a blank and more of the name ("105-富士山下", "07_notes").  Returns
 * the bytes used with the separator, and sets *NUM; 0 when none. */
static size_t name_number(const char *s, int *num)
{
    size_t i = 0;
    int n = 0;
    while (is_digit(s[i]) && i < 6)
        n = n * 10 + (s[i++] - '0');
    if (i == 0 || is_digit(s[i]) || n == 0)
        return 0;
    if (s[i] != '-' && s[i] != '_' && s[i] != '.' && s[i] != ' ')
        return 0;
    size_t k = i + 1;
    while (s[k] == ' ' || s[k] == '-' || s[k] == '_')
        k++;
    /* "2025-02-30-x": a broken date, not issue 2025 */
    if (!s[k] || is_digit(s[i + 1]))
        return 0;
    *num = n;
    return k;
}

/* "2025-03-02-slug.md" -> "slug"; "105-富士山下.md" -> "富士山下" (number
 * 105); "notes.markdown" -> "notes"; "post.en.md" -> "post" (*LANG "en",
 * else NULL).  For index.md or README.md the
 * folder's name stands for the file's. */
static const char *slug_of(dg_arena *a, const char *relpath, const char **datepart, int *number,
                           const char **lang)
{
    const char *base = dg_path_basename(relpath);
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *stem = dg_strndup(a, base, n);
    /* Hugo's translation by file name: "post.en.md", "index.zh-tw.md" */
    char *ldot = strrchr(stem, '.');
    *lang = ldot && ldot != stem ? dg_lang_from_name(a, ldot + 1, strlen(ldot + 1)) : NULL;
    if (*lang)
        *ldot = '\0';
    if ((!strcmp(stem, "index") || !strcmp(stem, "README") || !strcmp(stem, "readme")) &&
        base != relpath) {
        char *dir = dg_path_dirname(a, relpath);
        stem = dg_strdup(a, dg_path_basename(dir));
    }
    *datepart = NULL;
    *number = 0;
    size_t used = name_date(stem, datepart, a);
    if (used && stem[used])
        return stem + used;
    if (!used && (used = name_number(stem, number)) != 0)
        return stem + used;
    return stem;
}

/* Offset of the start of 1-based line LINE in TEXT (LEN when it has fewer). */
static size_t line_start(const char *text, size_t len, int line)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        l += text[i] == '\n';
    return i;
}

static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* The length of BODY's first block as text: blank lines, then the lines up
 * to the next blank line.  A blank line ends every heading, so the full
 * document's first block is an H1 exactly when this text's is, with the same
 * words, unless a reference ('[': links, footnotes, definitions) needs the
 * rest of the document: then 0, and the caller renders it all. */
static size_t first_block_len(const char *body, size_t len)
{
    size_t i = 0;
    bool started = false;
    while (i < len) {
        const char *nl = memchr(body + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - body) : len;
        if (blank_line(body + i, e - i)) {
            if (started)
                break;
        } else {
            started = true;
            if (memchr(body + i, '[', e - i))
                return 0;
        }
        i = nl ? e + 1 : len;
    }
    return i;
}

/* Whether the first block (BODY[0..LEN), from first_block_len) may be an
 * H1: its first line an ATX H1 ("# ", up to 3 spaces before), or a line of
 * '=' (a setext underline) in it.  False means surely not: no need to ask
 * cmark-gfm, whose set-up per post is most of a site scan's time. */
static bool maybe_h1(const char *body, size_t len)
{
    bool first = true;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(body + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - body) : len;
        size_t k = i;
        while (k < e && k - i < 3 && body[k] == ' ')
            k++;
        if (k < e && !blank_line(body + i, e - i)) {
            if (first && body[k] == '#' &&
                (k + 1 == e || body[k + 1] == ' ' || body[k + 1] == '\t'))
                return true;
            if (!first && body[k] == '=')
                return true;
            first = false;
        }
        i = nl ? e + 1 : len;
    }
    return false;
}

/* Renders the body into P->html, taking out a first H1 that became the title
 * or repeats it word for word; otherwise the H1 stays (render again). */
static void render_body(dg_post *p, dg_arena *a, size_t body_off)
{
    char *h1 = NULL;
    const char *body = p->text + body_off;
    size_t body_len = p->text_len - body_off;
    p->html = dg_markdown_render(a, body, body_len, p->body_line, true, &h1);
    if (h1 && !p->title_from_h1 && strcmp(h1, p->title) != 0)
        p->html = dg_markdown_render(a, body, body_len, p->body_line, false, NULL);
}

void dg_post_render(dg_post *p, dg_arena *a)
{
    if (!p->html)
        render_body(p, a, line_start(p->text, p->text_len, p->body_line));
}

static int post_parse(dg_post **out, dg_arena *a, const char *path, const char *relpath,
                      const char *dir, const char *data, size_t len, bool lazy, dg_diag *d)
{
    int rc = -1;
    repair r = {0};
    *out = NULL;
    dg_post *p = dg_alloc(a, sizeof *p);
    p->path = dg_strdup(a, path);
    p->relpath = dg_strdup(a, relpath ? relpath : dg_path_basename(path));
    p->dir = dg_strdup(a, dir ? dir : ".");
    p->published = true;

    repair_text(&r, data, len);
    p->text_len = r.out.len;
    p->text = dg_buf_to_arena(&r.out, a);
    report_fixes(&r, path, p->text, p->text_len, d);

    size_t body_off = 0;
    if (dg_frontmatter_parse(p, a, path, p->text, p->text_len, &body_off, d) != 0)
        goto out;
    int body_col; /* the repaired text holds no NUL: the count runs to BODY_OFF */
    dg_text_position(p->text, body_off, &p->body_line, &body_col);
    size_t markers = dg_markdown_markers(p->text + body_off, p->text_len - body_off);
    if (markers > DG_MARKDOWN_MAX_MARKERS) {
        dg_report_file(d, DG_ERROR, path,
                       "the post has %zu characters that open Markdown syntax (newlines, "
                       "* _ ` [ ] ! < & \\ ~ :), more than the %d digest parses; left out",
                       markers, DG_MARKDOWN_MAX_MARKERS);
        goto out;
    }

    const char *datepart;
    int number = 0;
    p->slug = slug_of(a, p->relpath, &datepart, &number, &p->name_lang);
    if (!p->number)
        p->number = number;
    if (!p->has_date && datepart && dg_date_parse(datepart, &p->date) == 0) {
        p->has_date = true;
        p->date_source = DG_DATE_NAME;
        p->date_line = 0;
    }

    /* The first H1 becomes the title when there is none.  A lazy parse
     * renders nothing when the metadata gave the title, and otherwise looks
     * at the first block alone (when that decides it); it leaves the
     * rendering to dg_post_render, which needs the body to start a line. */
    bool want_h1 = !p->title || !*p->title;
    const char *body = p->text + body_off;
    size_t body_len = p->text_len - body_off;
    bool at_line = line_start(p->text, p->text_len, p->body_line) == body_off;
    size_t head = lazy && want_h1 ? first_block_len(body, body_len) : 0;
    if (lazy && at_line && !want_h1) {
        /* the title is known: dg_post_render renders the body (and takes
         * out an H1 that repeats the title) when a build needs it */
    } else if (head && at_line) {
        if (want_h1) {
            char *h1 = NULL;
            if (maybe_h1(body, head))
                (void)dg_markdown_render(a, body, head, p->body_line, true, &h1);
            p->title = h1 ? h1 : *p->slug ? p->slug : dg_path_basename(p->relpath);
            p->title_from_h1 = h1 != NULL;
        }
    } else {
        char *h1 = NULL;
        p->html = dg_markdown_render(a, body, body_len, p->body_line, true, &h1);
        if (want_h1) {
            p->title = h1 ? h1 : *p->slug ? p->slug : dg_path_basename(p->relpath);
            p->title_from_h1 = h1 != NULL;
        } else if (h1 && strcmp(h1, p->title) != 0) {
            p->html = dg_markdown_render(a, body, body_len, p->body_line, false, NULL);
        }
    }
    *out = p;
    rc = 0;
out:
    dg_buf_free(&r.out);
    return rc;
}

int dg_post_parse(dg_post **out, dg_arena *a, const char *path, const char *relpath,
                  const char *dir, const char *data, size_t len, dg_diag *d)
{
    return post_parse(out, a, path, relpath, dir, data, len, false, d);
}

static int post_read(dg_post **out, dg_arena *a, const char *path, const char *abspath,
                     const char *relpath, bool lazy, dg_diag *d)
{
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    *out = NULL;
    if (dg_read_file_max(abspath, POST_MAX_BYTES, &data, &len) != 0) {
        if (errno == EFBIG) {
            struct stat st;
            double mib = stat(abspath, &st) == 0 ? (double)st.st_size / (1024 * 1024) : 0;
            dg_report_file(d, DG_ERROR, path,
                           "the post is %.1f MiB, more than the %d MiB digest takes; left out",
                           mib, POST_MAX_BYTES / (1024 * 1024));
        }
        else
            dg_report_file(d, DG_ERROR, path, "cannot read the post: %s; left out",
                           strerror(errno));
        goto out;
    }
    char *dir = dg_path_normalize(a, dg_path_dirname(a, abspath));
    rc = post_parse(out, a, path, relpath, dir, data, len, lazy, d);
out:
    free(data);
    return rc;
}

int dg_post_read(dg_post **out, dg_arena *a, const char *path, const char *abspath,
                 const char *relpath, dg_diag *d)
{
    return post_read(out, a, path, abspath, relpath, false, d);
}

int dg_post_read_lazy(dg_post **out, dg_arena *a, const char *path, const char *abspath,
                      const char *relpath, dg_diag *d)
{
    return post_read(out, a, path, abspath, relpath, true, d);
}

void dg_post_month(const dg_post *p, char buf[8])
{
    unsigned y = (unsigned)p->date.year % 10000u, m = (unsigned)p->date.month % 100u;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '\0';
}

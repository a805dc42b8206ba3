/* book.c - one monthly digest: posts of the month, content trees, metadata. */
#include "content/book.h"

#include "site/lang.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const MONTHS_EN[12] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};

/* The label languages: Chinese (simplified), Chinese (traditional),
 * Japanese, Korean, English. */
enum { LL_ZH, LL_ZH_HANT, LL_JA, LL_KO, LL_EN };

static int label_lang(const char *lang)
{
    if (!lang || !*lang || dg_lang_same(lang, "zh")) {
        static const char *const hant[] = {"-Hant", "-TW", "-HK", "-MO"};
        for (size_t i = 0; lang && i < sizeof hant / sizeof *hant; i++)
            if (strstr(lang, hant[i]))
                return LL_ZH_HANT;
        return LL_ZH;
    }
    if (dg_lang_same(lang, "ja"))
        return LL_JA;
    if (dg_lang_same(lang, "ko"))
        return LL_KO;
    return LL_EN;
}

const char *dg_label(const char *lang, dg_label_id id)
{
    static const char *const labels[][DG_LABEL_COUNT] = {
        [LL_ZH] = {"目录", "封面", "正文", "本期文章", "链接", "合订本", "各期"},
        [LL_ZH_HANT] = {"目錄", "封面", "正文", "本期文章", "連結", "合訂本", "各期"},
        [LL_JA] = {"目次", "表紙", "本文", "今号の記事", "リンク", "合本", "各号"},
        [LL_KO] = {"목차", "표지", "본문", "이번 호의 글", "링크", "합본", "각 호"},
        [LL_EN] = {"Contents", "Cover", "Start of content", "In this issue", "Links", "Volumes",
                   "Months"},
    };
    return id < DG_LABEL_COUNT ? labels[label_lang(lang)][id] : "";
}

const char *dg_format_date(dg_arena *a, const char *lang, int year, int month, int day)
{
    if (month < 1 || month > 12) /* no month to name: the date as written */
        return dg_sprintf(a, "%04d-%02d-%02d", year, month, day);
    if (label_lang(lang) == LL_KO)
        return dg_sprintf(a, "%d년 %d월 %d일", year, month, day);
    if (dg_lang_is_cjk(lang))
        return dg_sprintf(a, "%d年%d月%d日", year, month, day);
    return dg_sprintf(a, "%d %s %d", day, MONTHS_EN[month - 1], year);
}

const char *dg_format_month(dg_arena *a, const char *lang, int year, int month)
{
    if (month < 1 || month > 12)
        month = 1;
    if (label_lang(lang) == LL_KO)
        return dg_sprintf(a, "%d년 %d월", year, month);
    if (dg_lang_is_cjk(lang))
        return dg_sprintf(a, "%d年%d月", year, month);
    return dg_sprintf(a, "%s %d", MONTHS_EN[month - 1], year);
}

/* Does TEXT show the number N as a whole run of ASCII digits (leading zeros
 * allowed: "第 05 期" shows 5)? */
static bool shows_number(const char *text, int n)
{
    for (const char *s = text; *s;) {
        if (*s < '0' || *s > '9') {
            s++;
            continue;
        }
        long v = 0;
        bool big = false;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (v > 100000000L)
                big = true; /* longer than any issue number: not it */
            else
                v = v * 10 + (*s - '0');
        }
        if (!big && v == n)
            return true;
    }
    return false;
}

const char *dg_post_number_label(dg_arena *a, const dg_post *p, const char *lang)
{
    if (!p || p->number <= 0)
        return "";
    if (!lang || strncmp(lang, "zh", 2) == 0)
        return dg_sprintf(a, "第 %d 期", p->number);
    if (strncmp(lang, "ja", 2) == 0)
        return dg_sprintf(a, "第 %d 号", p->number);
    if (label_lang(lang) == LL_KO)
        return dg_sprintf(a, "제%d호", p->number);
    return dg_sprintf(a, "No. %d", p->number);
}

const char *dg_post_display_title(dg_arena *a, const dg_post *p, const char *lang)
{
    const char *t = p && p->title ? p->title : "";
    if (!p || p->number <= 0 || shows_number(t, p->number))
        return t;
    if (!*t)
        return dg_post_number_label(a, p, lang);
    return dg_sprintf(a, "%s · %s", dg_post_number_label(a, p, lang), t);
}

/* Expands the title pattern's {names}. */
static const char *make_title(dg_book *b, const char *pattern)
{
    dg_buf out = {0};
    for (const char *s = pattern; *s;) {
        const char *e = *s == '{' ? strchr(s, '}') : NULL;
        if (!e) {
            dg_buf_putc(&out, *s++);
            continue;
        }
        size_t n = (size_t)(e - s - 1);
        const char *name = s + 1;
        if (n == 4 && !strncmp(name, "site", 4))
            dg_buf_puts(&out, b->site_title);
        else if (n == 4 && !strncmp(name, "year", 4))
            dg_buf_printf(&out, "%d", b->year);
        else if (n == 5 && !strncmp(name, "month", 5))
            dg_buf_puts(&out, b->mon ? dg_sprintf(b->arena, "%d", b->mon) : ""); /* volume: "" */
        else if (n == 2 && !strncmp(name, "mm", 2))
            dg_buf_puts(&out, b->mon ? dg_sprintf(b->arena, "%02d", b->mon) : "");
        else if (n == 5 && !strncmp(name, "label", 5))
            dg_buf_puts(&out, b->month_label);
        else
            dg_buf_put(&out, s, (size_t)(e - s + 1)); /* unknown: kept as written */
        s = e + 1;
    }
    return dg_buf_to_arena(&out, b->arena);
}

/* A name-based UUID (RFC 4122 layout, version 5 bits) from the site title and
 * the month: the same book keeps its identifier on every rebuild. */
static const char *make_uuid(dg_book *b)
{
    /* a book of one language is a book of its own */
    const char *key =
        b->only_lang
            ? dg_sprintf(b->arena, "digest\n%s\n%s\n%s", b->site->title, b->month, b->only_lang)
            : dg_sprintf(b->arena, "digest\n%s\n%s", b->site->title, b->month);
    uint64_t h1 = dg_hash64(key, strlen(key), 0x9e3779b97f4a7c15ULL);
    uint64_t h2 = dg_hash64(key, strlen(key), h1);
    unsigned char u[16];
    for (int i = 0; i < 8; i++) {
        u[i] = (unsigned char)(h1 >> (56 - 8 * i));
        u[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
    }
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x50);
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
    return dg_sprintf(
        b->arena, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
        u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
        u[14], u[15]);
}

/* SOURCE_DATE_EPOCH when set (reproducible builds), else the newest post. */
static long long modified_time(const dg_book *b, dg_post **posts, size_t n)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == 0 && v >= 0)
            return v;
    }
    long long newest = 0;
    for (size_t i = 0; i < n; i++) {
        long long t = dg_datetime_epoch(&posts[i]->date);
        if (t > newest)
            newest = t;
    }
    (void)b;
    return newest;
}

const char *dg_templates_dir(const dg_site *site, dg_arena *a)
{
    const char *tdir = site->templates_dir ? site->templates_dir
                                           : dg_path_join(a, site->root, "_digest/templates");
    return dg_is_dir(tdir) ? tdir : NULL;
}

dg_book *dg_book_new(const dg_site *site, const char *month, const char *title_pattern,
                     dg_diag *d)
{
    return dg_book_new_cached(site, month, title_pattern, NULL, d);
}

dg_book *dg_book_new_cached(const dg_site *site, const char *month, const char *title_pattern,
                            dg_imagecache *cache, dg_diag *d)
{
    return dg_book_new_lang(site, month, NULL, title_pattern, cache, d);
}

/* The site's title in LANG: its languages table's, else the site's. */
static const char *site_title_in(const dg_site *site, const char *lang)
{
    for (size_t i = 0; lang && i < site->nlanguages; i++)
        if (!strcmp(site->languages[i].tag, lang) && site->languages[i].title)
            return site->languages[i].title;
    return site->title;
}

/* The languages of B's chapters: the book's first, then in the site's order. */
static void book_langs(dg_book *b)
{
    const dg_site *s = b->site;
    b->langs = dg_allocn(b->arena, s->nlangs + 1, sizeof *b->langs);
    b->langs[b->nlangs++] = b->lang;
    for (size_t k = 0; k < s->nlangs; k++) {
        bool used = false;
        for (size_t i = 0; i < b->nchapters && !used; i++)
            used = b->chapters[i].post->lang && !strcmp(b->chapters[i].post->lang, s->langs[k]);
        if (used && strcmp(s->langs[k], b->lang) != 0)
            b->langs[b->nlangs++] = s->langs[k];
    }
}

/* MONTH's posts (in LANG alone when not NULL) appended to *POSTS (N of CAP
 * used), each with its month in *OF (the site's array stays as it is). */
static void gather_posts(const dg_site *site, const char *month, const char *lang, dg_arena *arena,
                         dg_post ***posts, const char ***of, size_t *n, size_t *cap)
{
    size_t m = 0;
    dg_post **got = dg_site_month_posts(site, month, arena, &m);
    for (size_t i = 0; i < m; i++) {
        if (lang && !(got[i]->lang && !strcmp(got[i]->lang, lang)))
            continue;
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            dg_post **np = dg_allocn(arena, nc, sizeof *np);
            const char **no = dg_allocn(arena, nc, sizeof *no);
            if (*n) {
                memcpy(np, *posts, *n * sizeof *np);
                memcpy(no, *of, *n * sizeof *no);
            }
            *posts = np;
            *of = no;
            *cap = nc;
        }
        (*posts)[*n] = got[i];
        (*of)[(*n)++] = month;
    }
}

/* A volume's groups grow as its chapters are built: chapter I (of the
 * month OF) opens a new month group, and in the complete volume (ALL) a
 * new year group first, when its month differs from the last chapter's. */
static void group_chapter(dg_book *b, size_t i, const char *of, bool all, size_t *cap)
{
    const dg_book_group *last = b->ngroups ? &b->groups[b->ngroups - 1] : NULL;
    if (last && !strcmp(last->key, of))
        return;
    if (b->ngroups + 2 > *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        dg_book_group *ng = dg_allocn(b->arena, nc, sizeof *ng);
        if (b->ngroups)
            memcpy(ng, b->groups, b->ngroups * sizeof *ng);
        b->groups = ng;
        *cap = nc;
    }
    dg_book_group *g = (dg_book_group *)b->groups;
    int year = atoi(of), mon = atoi(of + 5);
    if (all && (!last || atoi(last->key) != year))
        g[b->ngroups++] = (dg_book_group){1, dg_strndup(b->arena, of, 4),
                                          dg_format_year(b->arena, b->lang, year), i};
    g[b->ngroups++] =
        (dg_book_group){all ? 2 : 1, of, dg_format_month(b->arena, b->lang, year, mon), i};
}

/* The one maker of books: KEY's book ("YYYY-MM" a month's, "YYYY" or "all"
 * a volume's) of the N POSTS (in ARENA, which the book takes), each of the
 * month OF[i] when the book is a volume (OF not NULL; ALL: by year too). */
static dg_book *book_of_posts(const dg_site *site, const char *key, dg_post **posts,
                              const char **of, size_t n, bool all, dg_arena *arena,
                              const char *lang, const char *title_pattern, dg_imagecache *cache,
                              dg_diag *d);

dg_book *dg_book_new_lang(const dg_site *site, const char *month, const char *lang,
                          const char *title_pattern, dg_imagecache *cache, dg_diag *d)
{
    size_t n = 0, cap = 0;
    dg_arena *arena = dg_arena_new(); /* the book's, holding its posts' html */
    dg_post **posts = NULL;
    const char **of = NULL;
    gather_posts(site, month, lang, arena, &posts, &of, &n, &cap);
    return book_of_posts(site, month, posts, NULL, n, false, arena, lang, title_pattern, cache, d);
}

dg_book *dg_book_new_volume(const dg_site *site, const char *key, const char *const *months,
                            size_t nmonths, bool all, const char *lang, const char *title_pattern,
                            dg_imagecache *cache, dg_diag *d)
{
    size_t n = 0, cap = 0;
    dg_arena *arena = dg_arena_new();
    dg_post **posts = NULL;
    const char **of = NULL;
    for (size_t m = 0; m < nmonths; m++)
        gather_posts(site, dg_strdup(arena, months[m]), lang, arena, &posts, &of, &n, &cap);
    return book_of_posts(site, key, posts, of, n, all, arena, lang, title_pattern, cache, d);
}

const dg_book_group *dg_book_group_of(const dg_book *b, size_t i)
{
    const dg_book_group *g = NULL;
    for (size_t k = 0; k < b->ngroups && b->groups[k].first <= i; k++)
        g = &b->groups[k]; /* the last to begin at or before I: the innermost */
    return g;
}

const char *dg_format_year(dg_arena *a, const char *lang, int year)
{
    if (label_lang(lang) == LL_KO)
        return dg_sprintf(a, "%d년", year);
    if (dg_lang_is_cjk(lang))
        return dg_sprintf(a, "%d年", year);
    return dg_sprintf(a, "%d", year);
}

static dg_book *book_of_posts(const dg_site *site, const char *key, dg_post **posts,
                              const char **of, size_t n, bool all, dg_arena *arena,
                              const char *lang, const char *title_pattern, dg_imagecache *cache,
                              dg_diag *d)
{
    dg_book *b = NULL;
    size_t gcap = 0;
    if (n == 0) {
        dg_arena_free(arena);
        goto out;
    }
    b = calloc(1, sizeof *b);
    if (!b)
        dg_oom();
    b->arena = arena;
    b->site = site;
    snprintf(b->month, sizeof b->month, "%s", key);
    b->only_lang = lang ? dg_strdup(b->arena, lang) : NULL;
    b->lang = lang ? b->only_lang : site->lang ? site->lang : "zh-CN";
    b->site_title = site_title_in(site, lang);
    if (!of) { /* a month */
        b->year = atoi(key);
        b->mon = atoi(key + 5);
        b->month_label = dg_format_month(b->arena, b->lang, b->year, b->mon);
    } else { /* a volume: its year, or its first and last years */
        int y0 = atoi(of[0]), y1 = atoi(of[n - 1]);
        b->year = y0;
        b->group_depth = all ? 2 : 1;
        b->month_label =
            y0 == y1 ? dg_format_year(b->arena, b->lang, y0)
                     : dg_sprintf(b->arena, "%d–%s", y0, dg_format_year(b->arena, b->lang, y1));
    }
    b->title = make_title(b, title_pattern ? title_pattern : DG_DEFAULT_TITLE_PATTERN);
    b->uuid = make_uuid(b);
    b->modified = modified_time(b, posts, n);
    time_t t = (time_t)b->modified;
    struct tm tm;
    gmtime_r(&t, &tm);
    char iso[32];
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    b->modified_iso = dg_strdup(b->arena, iso);
    b->templates_dir = dg_templates_dir(site, b->arena);

    dg_registry_init(&b->reg, b->arena);
    b->reg.cache = cache;
    b->chapters = dg_allocn(b->arena, n, sizeof *b->chapters);
    for (size_t i = 0; i < n; i++) {
        dg_chapter *c = &b->chapters[b->nchapters];
        if (dg_chapter_build(c, posts[i], site->root, &b->reg, d) != 0)
            continue; /* reported; the rest of the month is still built */
        if (b->group_depth)
            group_chapter(b, b->nchapters, of[i], all, &gcap);
        b->nchapters++;
        if (!b->cover && c->header_image)
            b->cover = c->header_image;
    }
    b->author = site->author;
    for (size_t i = 0; !b->author && i < b->nchapters; i++)
        b->author = b->chapters[i].post->author;
    if (!b->author)
        b->author = site->title;
    if (b->nchapters == 0) {
        dg_book_free(b);
        b = NULL;
    } else {
        dg_book_meta(b);
        if (b->group_depth)
            b->series_index = 0; /* a volume is no issue of the monthly series */
        book_langs(b);
    }
out:
    return b; /* NULL: no post of the month could be built */
}

void dg_book_free(dg_book *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->nchapters; i++)
        dg_chapter_free(&b->chapters[i]);
    dg_registry_free(&b->reg);
    dg_arena_free(b->arena);
    free(b);
}

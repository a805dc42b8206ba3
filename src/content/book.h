/* book.h - one monthly digest: its posts in order, their content trees, its
 * metadata.  Stage file: src/content/book.c.  Writers (epub.h, pdf.h) take a book.
 */
#ifndef DIGEST_BOOK_H
#define DIGEST_BOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "content/content.h"
#include "digest/diag.h"
#include "site/site.h"
#include "base/base.h"

/* The cover digest draws (src/cover/, dg_book.cover_jpeg) is a JPEG: the
 * end of its files' names (the EPUB's, OUT/covers/, the cache's) and its
 * media type. */
#define DG_COVER_EXT        ".jpg"
#define DG_COVER_MEDIA_TYPE "image/jpeg"

/* A volume's group of chapters (--period year or all): a month, or in the
 * complete volume a year and the months inside it.  Groups are listed in
 * reading order, a year before its first month; each runs from chapter
 * FIRST to the next group of the same or a higher level. */
typedef struct dg_book_group {
    int level;          /* 1: the top (a year's months, or the complete volume's years);
                           2: a month inside a year (complete volume) */
    const char *key;    /* "YYYY-MM" or "YYYY" */
    const char *label;  /* "2025年3月" / "March 2025", or "2025年" / "2025" */
    size_t first;       /* its first chapter */
} dg_book_group;

typedef struct dg_book {
    const dg_site *site;
    char month[8];          /* "YYYY-MM"; a volume: "YYYY" or "all" */
    int year, mon;
    const char *title;      /* dc:title: "站点 · 2025年3月" or "Site · March 2025" */
    const char *month_label;/* "2025年3月" / "March 2025" */
    const char *lang;       /* the site's, or the one language of a book of one language */
    const char **langs;     /* every language of its chapters, the book's own first */
    size_t nlangs;
    const char *only_lang;  /* the language a book of one language keeps; NULL: every post */
    const char *site_title; /* the site's title in the book's language ({site}) */
    const char *author;     /* site author, else the first post's author, else site title */
    const char *uuid;       /* "urn:uuid:...", derived from site title + root name + month */
    long long modified;     /* SOURCE_DATE_EPOCH, else the newest post's date */
    const char *modified_iso; /* "2025-03-30T00:00:00Z" */
    const char *templates_dir; /* digest.yaml "templates:", else SITE/_digest/templates
                                  when present, else NULL */
    dg_chapter *chapters;   /* one per post, in date order */
    size_t nchapters;
    const dg_asset *cover;  /* an image for cover-image (first header image), may be NULL */
    /* What an e-reader's library shows (book_meta.c, dg_book_meta): */
    const char *series;      /* the site's title: each month is one issue of it */
    int series_index;        /* months from the site's first month (1), gaps counted */
    const char **subjects;   /* the posts' tags and categories, each once, in order */
    size_t nsubjects;
    const char *description; /* the site's description, then the month's post titles */
    const char *publisher;   /* the site's title */
    const char *source;      /* the site's http(s) address, else NULL */
    /* The cover image (src/cover/), set by the app before the writers run:
     * the picture it shows (digest.yaml cover_image, else COVER's image; may
     * be NULL), and the JPEG drawn (NULL: none, the writers go without)
     * with its thumbnail (the catalog's, cover.h). */
    const dg_image *cover_picture;
    const unsigned char *cover_jpeg;
    size_t cover_jpeg_len;
    const unsigned char *cover_thumb_jpeg;
    size_t cover_thumb_jpeg_len;
    /* A volume (dg_book_new_volume): its chapters grouped by month (and
     * year); NULL and 0 in a month's book. */
    const dg_book_group *groups;
    size_t ngroups;
    int group_depth;         /* levels of groups: 0 (a month), 1 (a year), 2 (all) */
    dg_registry reg;
    dg_arena *arena;
} dg_book;

/* Builds the book of MONTH from SITE's posts.  A post whose tree cannot be
 * built is reported and left out.  TITLE_PATTERN (NULL: the default) makes
 * dc:title: {site} the site title, {year}, {month} (1-12), {mm} (01-12) and
 * {label} ("2025年3月" / "March 2025").  Returns NULL when the month has no posts. */
dg_book *dg_book_new(const dg_site *site, const char *month, const char *title_pattern,
                     dg_diag *d);

/* The same, with CACHE the cache of fetched remote images (imagecache.h;
 * NULL: remote images are placeholders).  The remote images that were not
 * there are listed in the book's registry (reg.remote). */
dg_book *dg_book_new_cached(const dg_site *site, const char *month, const char *title_pattern,
                            dg_imagecache *cache, dg_diag *d);

/* The same, of the posts in language LANG alone (dg_post.lang; NULL: every
 * post): the book is in LANG, with the site title the site's languages
 * table gives LANG, and an identifier of its own.  NULL when the month has
 * no post in LANG. */
dg_book *dg_book_new_lang(const dg_site *site, const char *month, const char *lang,
                          const char *title_pattern, dg_imagecache *cache, dg_diag *d);

/* A volume: the book of MONTHS (N of them, "YYYY-MM", ascending) of SITE,
 * in LANG alone when not NULL, as one book whose chapters are grouped by
 * month, and with ALL (the complete volume) by year then month.  KEY is
 * "YYYY" or "all": the book's month field, which gives it its own
 * identifier.  Its label is the year ("2025年" / "2025"), or the first and
 * last years ("2015–2025"); TITLE_PATTERN makes its title as for a month
 * ({month} and {mm} are empty).  NULL when no post could be built. */
dg_book *dg_book_new_volume(const dg_site *site, const char *key, const char *const *months,
                            size_t n, bool all, const char *lang, const char *title_pattern,
                            dg_imagecache *cache, dg_diag *d);

/* The innermost group of a volume's chapter I (its month), or NULL in a
 * month's book. */
const dg_book_group *dg_book_group_of(const dg_book *b, size_t i);

/* "2025年" / "2025년" / "2025": a year as a volume's label. */
const char *dg_format_year(dg_arena *a, const char *lang, int year);

/* The site's template override folder: digest.yaml "templates:", else
 * SITE/_digest/templates; NULL when it does not exist. */
const char *dg_templates_dir(const dg_site *site, dg_arena *a);

/* The default title pattern: "{site} · {label}". */
#define DG_DEFAULT_TITLE_PATTERN "{site} · {label}"

/* The one home of month names and date labels (the book's title, the EPUB's
 * chapter heads): "2025年3月2日" for Chinese (any zh*, ja), "2025년 3월 2일"
 * for Korean, "2 March 2025" otherwise; "2025-13-02" when MONTH is out of
 * range. */
const char *dg_format_date(dg_arena *a, const char *lang, int year, int month, int day);
/* "2025年3月" / "2025년 3월" / "March 2025" (an out-of-range MONTH counts as
 * January). */
const char *dg_format_month(dg_arena *a, const char *lang, int year, int month);
/* The words the books print around the posts, in LANG: Chinese (simplified,
 * or traditional for zh-Hant, zh-TW, zh-HK, zh-MO), Japanese, Korean, else
 * English. */
typedef enum dg_label_id {
    DG_LABEL_CONTENTS, /* 目录 / Contents */
    DG_LABEL_COVER,    /* 封面 / Cover */
    DG_LABEL_START,    /* 正文 / Start of content */
    DG_LABEL_IN_ISSUE, /* 本期文章 / In this issue */
    DG_LABEL_LINKS,    /* 链接 / Links */
    DG_LABEL_VOLUMES,  /* 合订本 / Volumes (the catalog's group of volumes) */
    DG_LABEL_MONTHS,   /* 各期 / Months (its group of monthly books) */
    DG_LABEL_COUNT
} dg_label_id;
const char *dg_label(const char *lang, dg_label_id id);
/* The title a reader sees in contents, navigation and chapter heads: with the
 * post's issue number (dg_post.number > 0) in front, "第 105 期 · 富士山下" for
 * Chinese (zh*), "第 105 号 · ..." for Japanese, "제105호 · ..." for Korean,
 * "No. 105 · Title" otherwise.  The plain title when there is no number or when the title already
 * shows it ("This Week in Rust 196", number 196).  Never NULL. */
const char *dg_post_display_title(dg_arena *a, const dg_post *p, const char *lang);
/* The number alone: "第 105 期" / "第 105 号" / "제105호" / "No. 105"; "" when
 * there is none. */
const char *dg_post_number_label(dg_arena *a, const dg_post *p, const char *lang);
void dg_book_free(dg_book *b);

/* At most this many subjects: a month of long tag lists stays a readable
 * list in a reader's library (and in the PDF's Keywords). */
#define DG_BOOK_MAX_SUBJECTS 64
/* Sets the library metadata of B (series and place, subjects, description,
 * publisher, source) from its site and chapters; dg_book_new calls it.  A
 * book without a site (made by hand) gets subjects and description only. */
void dg_book_meta(dg_book *b);

#endif

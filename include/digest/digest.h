/* digest.h - the library's front door: build and list digests of a site.
 * Its code is in src/app/ (build.c: months, parallel workers, incremental
 * builds, progress; check.c).  src/app/main.c is only the command line over
 * these calls.  The option types the stages share (page, fonts, dates) are
 * here because dg_options holds them.
 */
#ifndef DIGEST_DIGEST_H
#define DIGEST_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "digest/diag.h"

typedef struct dg_arena dg_arena; /* memory of one run (src/base/arena.h) */

typedef enum dg_page_size { DG_PAGE_A4 = 0, DG_PAGE_A5, DG_PAGE_LETTER, DG_PAGE_EREADER } dg_page_size;

typedef struct dg_pdf_opts {
    dg_page_size page;
    double margin;         /* points; 0 = the page size's default */
    double base_size;      /* points; 0 = the page size's default */
    bool indent;           /* 2-em first-line indent of paragraphs */
    int link_notes;        /* -1 default (on for A4/A5), 0 off, 1 on */
    bool cover_image;      /* --pdf-cover image: the cover image as the first page
                              (false: the typeset text cover, for print) */
    size_t layout_keep;    /* bytes of laid-out pages kept between the layout's two
                              passes; 0: DG_PDF_LAYOUT_KEEP.  The PDF is the same
                              whatever it is; memory and time are not */
} dg_pdf_opts;

/* The text fonts of one language (digest.yaml "fonts: {ko: {text, bold}}"):
 * tried first for the posts in LANG (its subtags aside: "ja" serves
 * "ja-JP"), before the chain. */
typedef struct dg_lang_font {
    const char *lang;        /* BCP 47, normalized */
    const char *text, *bold; /* a path or a family name; bold may be NULL */
} dg_lang_font;

/* Where fonts come from.  Any NULL path takes the bundled default
 * (fonts/ in the installed data dir, or the source tree). */
typedef struct dg_font_config {
    const char *text, *text_bold;   /* main text font (CJK + Latin) */
    int text_index, text_bold_index;
    const char *mono;               /* code */
    int mono_index;
    const char **fallback;          /* extra fonts tried in order (symbols, emoji) */
    size_t nfallback;
    const dg_lang_font *langs; /* per-language text fonts */
    size_t nlangs;
} dg_font_config;

/* Where a post's date may come from when neither its metadata nor its file
 * or folder name gives one. */
typedef enum dg_date_from {
    DG_DATE_FROM_NONE = 0,
    DG_DATE_FROM_GIT,   /* author date of the first-parent commit that added the file */
    DG_DATE_FROM_MTIME  /* the file's modification time, in the local time zone */
} dg_date_from;

/* One row of a dates table: PATH (relative to the site root: the post's file
 * or its folder) -> DATE ("YYYY-MM-DD", as dg_date_parse reads). */
typedef struct dg_date_row {
    const char *path, *date;
} dg_date_row;

/* A language of the site as digest.yaml names it (languages: {LANG: {title:
 * ...}}): the title of its books when they are split by language. */
typedef struct dg_lang_title {
    const char *lang, *title;
} dg_lang_title;

/* Exit statuses of the tool. */
enum { DG_EXIT_OK = 0, DG_EXIT_INPUT = 1, DG_EXIT_USAGE = 2 };

typedef struct dg_options {
    const char *site;         /* the site folder */
    const char *out_dir;      /* NULL: SITE/_digests */
    const char *posts_dir;    /* NULL: _posts (relative to site) */
    const char **months;      /* NULL/0: every month */
    size_t nmonths;
    bool epub, pdf;           /* formats to write */
    int jobs;                 /* parallel months; 0 = number of CPUs */
    bool force;               /* rebuild months whose inputs did not change */
    bool progress;            /* progress lines on stderr */
    bool fetch_images;        /* fetch remote images into OUT/.digest-cache (fetch.h);
                                 default true, false: --offline */
    bool refresh_images;      /* revalidate cached images, retry failures now */
    unsigned long long image_cache_max; /* bytes of fetched images kept; 0: 2 GiB */
    const char *title_pattern;/* NULL: DG_DEFAULT_TITLE_PATTERN (book.h) */
    dg_pdf_opts pdf_opts;
    dg_font_config fonts;

    /* Which posts, and where their dates come from (see dg_site_opts). */
    const char **include;     size_t ninclude;
    const char **exclude;     size_t nexclude;
    const char *dates_file;   /* --dates FILE (relative to SITE, or absolute) */
    const dg_date_row *dates; size_t ndates; /* dates: mapping in digest.yaml */
    const char *dates_origin; /* digest.yaml's path, for the rows' diagnostics */
    dg_date_from date_from;
    const char *site_title;   /* NULL: _config.yml / hugo.toml / the folder name */
    const char *author, *lang;/* NULL: from the site's own configuration */
    const char *templates_dir;/* NULL: SITE/_digest/templates */
    const char *cover_image;  /* digest.yaml cover_image: the picture on every cover image
                                 (NULL: the first post's header image of the month) */
    /* Output file names without extension: {yyyy} {mm} {m} {month} (YYYY-MM);
     * NULL: "{yyyy}-{mm}". */
    const char *out_pattern;
    /* The range of months built, "YYYY-MM" each, both ends included; NULL:
     * open.  --from / --to (build.c). */
    const char *from, *to;
    /* Remove the digests and state of months in OUT that no longer have
     * posts (prune.c); without it a note names them. */
    bool prune;
    /* One book per language (YYYY-MM.LANG.epub) when the posts are in more
     * than one: 1 on, 0 off, -1 (the default) on when the site declares two
     * languages or more (Hugo's languages table, or LANGUAGES below). */
    int split_languages;
    /* digest.yaml languages: the site's languages and their books' titles;
     * declaring two or more turns split_languages on by default */
    const dg_lang_title *languages;
    size_t nlanguages;
    /* Which books: DG_PERIOD_ bits, --period / period: (default month). */
    unsigned periods;
} dg_options;

/* The books a build makes: a book per month (OUT/YYYY-MM.epub), per year
 * (OUT/YYYY.epub, its months in parts) and of the whole archive
 * (OUT/SITE-all.epub, by year then month).  A volume holds every month of
 * its year (of the site: all) whatever -m, --from and --to select; they
 * choose which volumes are built, those holding a selected month. */
enum { DG_PERIOD_MONTH = 1u << 0, DG_PERIOD_YEAR = 1u << 1, DG_PERIOD_ALL = 1u << 2 };

void dg_options_init(dg_options *o);

/* Builds the digests.  Returns DG_EXIT_OK, DG_EXIT_INPUT (some input had
 * errors; everything else was still built) or DG_EXIT_USAGE. */
int dg_build(const dg_options *o, dg_diag *d);

/* digest plan (src/app/plan.c): one self-contained `digest build` command
 * per stale month of O's site (and per stale volume with --period year or
 * all), as build would decide it (stamp.h), written to OUT: shell lines,
 * or with JSON one JSON object per line (site, kind, month or volume, out,
 * argv).  ARGS are the build options to repeat in every command, as
 * given on the command line with paths made absolute (-m, --from, --to,
 * --period, --prune, -j and --json left out: each command has its own).
 * EXE is the absolute path of digest.  PER_SITE (several sites and -o DIR
 * on the command line) puts each site's digests in DIR/NAME, NAME being
 * the site folder's name.  Returns DG_EXIT_OK, DG_EXIT_INPUT or
 * DG_EXIT_USAGE. */
typedef struct dg_plan_opts {
    const char *exe;
    const char *const *args;
    size_t nargs;
    bool json;
    bool per_site;
} dg_plan_opts;
int dg_plan(const dg_options *o, const dg_plan_opts *p, FILE *out, dg_diag *d);

/* Prints each month and, under it, its posts with date and title. */
int dg_list(const dg_options *o, FILE *out, dg_diag *d);

/* digest check (src/app/check.c): reads every post as build would, builds
 * nothing, and reports every problem (bad metadata, no date, missing or
 * refused local images, invalid UTF-8, control characters, unreadable files,
 * duplicate dates) through D.  Prints a one-line summary on OUT.  Returns
 * DG_EXIT_INPUT when there was an error, DG_EXIT_USAGE when the site cannot
 * be read, else DG_EXIT_OK. */
int dg_check(const dg_options *o, FILE *out, dg_diag *d);

/* digest cache prune|clear|stats (src/app/cache.c): the cache of fetched
 * images in OUT/.digest-cache/images.  stats prints what it holds on OUT;
 * prune drops expired failures, evicts the least recently used images down
 * to O->image_cache_max and removes files the index does not name; clear
 * removes every image.  Returns DG_EXIT_OK, or DG_EXIT_USAGE for an unknown
 * ACTION (reported) or a cache that cannot be changed. */
int dg_cache_command(const dg_options *o, const char *action, FILE *out, dg_diag *d);

/* The output file name (no extension) of MONTH ("YYYY-MM") by PATTERN (NULL:
 * "{yyyy}-{mm}"), into A. */
const char *dg_output_name(dg_arena *a, const char *pattern, const char *month);

#endif

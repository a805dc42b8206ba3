/* book_meta.c - what an e-reader's library shows of a month besides its
 * title: the series it belongs to (the site; the months are its issues, in
 * order), the subjects (the posts' tags and categories), a description that
 * lists the month's posts, the publisher and the source (the site and its
 * address).  One home for both writers: the EPUB's OPF and the PDF's Info
 * and XMP say the same thing.
 */
#include <stdlib.h>
#include <string.h>

#include "content/book.h"
#include "content/url.h"

static void add_subject(dg_book *b, dg_map *seen, size_t *cap, const char *s)
{
    if (!s || !*s || b->nsubjects >= DG_BOOK_MAX_SUBJECTS || !dg_map_add(seen, s, NULL))
        return;
    dg_arena_grow(b->arena, &b->subjects, b->nsubjects, cap, sizeof *b->subjects, 16);
    b->subjects[b->nsubjects++] = s;
}

/* "Site description. In this issue: A; B; C." (本期文章：A；B；C。) */
static const char *describe(const dg_book *b)
{
    bool cjk = dg_lang_is_cjk(b->lang);
    dg_buf d = {0};
    const char *desc = b->site ? b->site->description : NULL;
    if (desc && *desc) {
        dg_buf_puts(&d, desc);
        dg_buf_puts(&d, cjk ? "" : " ");
    }
    dg_buf_puts(&d, cjk ? "本期文章：" : "In this issue: ");
    for (size_t i = 0; i < b->nchapters; i++) {
        if (i)
            dg_buf_puts(&d, cjk ? "；" : "; ");
        dg_buf_puts(&d, dg_post_display_title(b->arena, b->chapters[i].post, b->lang));
    }
    dg_buf_puts(&d, cjk ? "。" : ".");
    return dg_buf_to_arena(&d, b->arena);
}

void dg_book_meta(dg_book *b)
{
    const dg_site *s = b->site; /* NULL in a book made by hand (tests) */
    b->series = s ? s->title : NULL;
    b->publisher = b->series;
    size_t nmonths = 0;
    const char **months = s ? dg_site_months(s, &nmonths) : NULL;
    /* Counted in calendar months from the site's first month, gaps
     * included: a month that gains or loses its posts (or is pruned) never
     * renumbers the others, so their books and stamps stay as they are. */
    b->series_index = 1;
    if (nmonths > 0) {
        int y0 = atoi(months[0]), m0 = atoi(months[0] + 5);
        int y = atoi(b->month), m = atoi(b->month + 5);
        int n = (y - y0) * 12 + (m - m0) + 1;
        if (n > 0)
            b->series_index = n;
    }

    dg_map seen;
    dg_map_init(&seen, b->arena);
    size_t cap = 0;
    for (size_t i = 0; i < b->nchapters; i++) {
        const dg_post *p = b->chapters[i].post;
        for (size_t t = 0; p && t < p->ntags; t++)
            add_subject(b, &seen, &cap, p->tags[t]);
        for (size_t t = 0; p && t < p->ncategories; t++)
            add_subject(b, &seen, &cap, p->categories[t]);
    }
    b->description = describe(b);

    b->source = NULL;
    if (s && s->url && *s->url) {
        char scheme[DG_URL_SCHEME_MAX + 1];
        dg_url_scheme(s->url, scheme);
        if (!strcmp(scheme, "http") || !strcmp(scheme, "https"))
            b->source = dg_url_clean(b->arena, s->url);
    }
}

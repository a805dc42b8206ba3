/* epub_pages.c - the book's pages made from the templates (template.h):
 * cover.xhtml, with the list of the month's posts, and the XHTML files of
 * each chapter (the chapter head opens the first part; epub_xhtml.c writes
 * the body of each).
 */
#include <string.h>

#include "epub/epub_impl.h"
#include "epub/template.h"

/* The title with its issue number ("第 105 期 · 富士山下"), in the post's
 * language. */
const char *epub_post_title(writer *w, const dg_chapter *c)
{
    const char *lang = epub_post_lang(w, c);
    if (c->post && c->post->title && !epub_is_ws_only(c->post->title))
        return dg_post_display_title(w->a, c->post, lang);
    if (c->post && c->post->number > 0)
        return dg_post_number_label(w->a, c->post, lang);
    return c->id ? c->id : "untitled";
}

const char *epub_post_lang(const writer *w, const dg_chapter *c)
{
    return c->post && c->post->lang && *c->post->lang ? c->post->lang : w->lang;
}

const char *epub_lang_attr(writer *w, const dg_chapter *c)
{
    const char *lang = epub_post_lang(w, c);
    if (!strcmp(lang, w->lang))
        return "";
    const char *l = epub_esc(w->a, lang);
    return dg_sprintf(w->a, " xml:lang=\"%s\" lang=\"%s\"", l, l);
}

int epub_write_cover(writer *w)
{
    const dg_book *bk = w->book;
    dg_buf list = {0};
    for (size_t i = 0; i < w->nchaps; i++) {
        dg_buf_printf(&list, "<li><a href=\"%s\"%s>", w->chaps[i].parts[0].file,
                      epub_lang_attr(w, w->chaps[i].c));
        epub_put_esc(&list, epub_post_title(w, w->chaps[i].c), false);
        dg_buf_puts(&list, "</a></li>\n");
    }
    const char *posts = dg_buf_to_arena(&list, w->a);
    dg_var v[] = {
        {"lang", w->lang},
        {"title", bk->title},
        {"site_title", bk->site && bk->site->title ? bk->site->title : ""},
        {"month_label", bk->month_label ? bk->month_label : bk->month},
        /* The author falls back to the site title: do not print it twice. */
        {"author",
         bk->author && !(bk->site && bk->site->title && !strcmp(bk->author, bk->site->title))
             ? bk->author
             : ""},
        {"cover_image", bk->cover_jpeg ? EPUB_COVER_IMAGE : ""},
        {"cover_src", epub_asset_usable(bk->cover) ? bk->cover->href : ""},
        {"cover_alt", bk->title},
        {"posts_label", dg_label(w->lang, DG_LABEL_IN_ISSUE)},
        {"posts", posts},
    };
    dg_buf page = {0};
    dg_buf_puts(&page, dg_template_expand(w->a, w->tpl_cover, v, sizeof v / sizeof v[0]));
    return epub_add_xml(w, "OEBPS/cover.xhtml", &page);
}

static const char *tags_html(writer *w, const dg_post *p)
{
    if (!p || !p->ntags)
        return "";
    dg_buf b = {0};
    for (size_t i = 0; i < p->ntags; i++) {
        if (!p->tags[i] || !*p->tags[i])
            continue;
        dg_buf_puts(&b, "<span class=\"tag\">");
        epub_put_esc(&b, p->tags[i], false);
        dg_buf_puts(&b, "</span> ");
    }
    return dg_buf_to_arena(&b, w->a);
}

/* The chapter head: the post's title, number, date, author and tags. */
static void put_head(writer *w, dg_buf *body, const dg_chapter *c, const char *title)
{
    const dg_post *p = c->post;
    const char *date = "", *date_iso = "", *lang = epub_post_lang(w, c);
    if (p && p->has_date) {
        date = dg_format_date(w->a, lang, p->date.year, p->date.month, p->date.day);
        date_iso = dg_sprintf(w->a, "%04d-%02d-%02d", p->date.year, p->date.month, p->date.day);
    }
    const char *tags = tags_html(w, p);
    dg_var v[] = {
        {"id", c->id && *c->id ? c->id : ""},
        {"title", title},
        {"plain_title", p && p->title ? p->title : title},
        {"number", p ? dg_post_number_label(w->a, p, lang) : ""},
        {"subtitle", p && p->subtitle ? p->subtitle : ""},
        {"date", date},
        {"date_iso", date_iso},
        {"author", p && p->author ? p->author : ""},
        {"tags", *tags ? "1" : ""},
        {"tags_html", tags},
        {"lang", lang},
    };
    dg_buf_puts(body, dg_template_expand(w->a, w->tpl_head, v, sizeof v / sizeof v[0]));
    dg_buf_putc(body, '\n');
}

/* One file per part; a file over EPUB_MAX_XHTML is written with a warning. */
int epub_write_chapter(writer *w, const chap *ch)
{
    int rc = -1;
    const dg_chapter *c = ch->c;
    const dg_post *p = c->post;
    const char *title = epub_post_title(w, c);
    w->chap_lang = epub_post_lang(w, c);
    for (size_t pi = 0; pi < ch->nparts; pi++) {
        const part *pt = &ch->parts[pi];
        dg_buf body = {0};
        size_t ci = (size_t)(ch - w->chaps);
        if (pi == 0) {
            epub_put_chapter_marks(w, &body, ci, false, pt->file);
            put_head(w, &body, c, title);
        }
        dg_buf_puts(&body, "<section class=\"post-body\">\n");
        epub_write_units(w, &body, ch, pt);
        if (pi + 1 == ch->nparts)
            epub_put_chapter_marks(w, &body, ci, true, pt->file);
        dg_buf_puts(&body, "\n</section>");
        const char *part_title = pi == 0 ? title : dg_sprintf(w->a, "%s (%zu)", title, pi + 1);
        dg_var v[] = {
            {"lang", w->chap_lang},
            {"title", part_title},
            {"body", body.data ? body.data : ""},
        };
        dg_buf page = {0};
        dg_buf_puts(&page, dg_template_expand(w->a, w->tpl_chapter, v, sizeof v / sizeof v[0]));
        dg_buf_free(&body);
        if (page.len > EPUB_MAX_XHTML)
            dg_report_file(w->d, DG_WARNING, p ? p->path : NULL,
                           "%s is %zu bytes, over the %d-byte limit some readers have", pt->file,
                           page.len, EPUB_MAX_XHTML);
        if (epub_add_xml(w, dg_sprintf(w->a, "OEBPS/%s", pt->file), &page) != 0)
            goto out;
    }
    rc = 0;
out:
    w->chap_lang = NULL;
    return rc;
}

/* test_assets.c - digest check and a build agree on every image reference.
 *
 * One throw-away site holds one post per way of naming an image (relative,
 * "/x", Liquid prefixes, an absolute path, "../" out of the site, a missing
 * file, a symlink out, a folder, Markdown and raw HTML).  For each post the
 * content stage (dg_chapter_build, as a build runs it) either packs the image
 * or warns, and digest check (dg_check) must warn exactly when the build
 * does not pack.  The site is made at run time: an absolute path and a
 * symlink cannot be checked in.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "content/asset.h"
#include "content/content.h"
#include "site/site.h"
#include "test.h"

static char SITE[2048], POSTS[4096], OUTSIDE[4096];

/* What a build does with a form's image, and so what check says. */
enum fate {
    PACKED,  /* packed into the book; check is silent */
    REFUSED, /* a placeholder with a warning; check warns */
    UNSEEN,  /* no local file to look at (dropped with its parent, remote); both silent */
};

typedef struct form {
    const char *name; /* the post's file name after its date */
    const char *body; /* Markdown; "@SITE@" stands for the site's path */
    bool header;      /* BODY is the post's header-img, not its text */
    enum fate fate;
} form;

static const form forms[] = {
    {"dot-relative", "![a](./img/a.png)", false, PACKED},
    {"relative", "![a](img/a.png)", false, PACKED},
    {"site-root", "![a](/img/a.png)", false, PACKED},
    {"liquid-raw", "<img src=\"{{ site.baseurl }}/img/a.png\" alt=\"a\">", false, PACKED},
    {"liquid-markdown", "![a]({{site.url}}{{site.baseurl}}/img/a.png)", false, PACKED},
    {"absolute", "![a](@SITE@/img/a.png)", false, PACKED},
    {"escaped-name", "![a](img/b%20c.png)", false, PACKED},
    {"raw-relative", "<p><img src=\"img/a.png\"></p>", false, PACKED},
    {"empty-alt", "![](img/a.png)", false, PACKED},
    {"dot-dot-out", "![a](../../assets-outside.png)", false, REFUSED},
    {"missing", "![a](img/none.png)", false, REFUSED},
    {"raw-missing", "<img src=\"/img/none.png\">", false, REFUSED},
    {"lazy-missing", "<img data-src=\"img/none.png\">", false, REFUSED},
    {"symlink-out", "![a](img/link-out.png)", false, REFUSED},
    {"folder", "![a](img)", false, REFUSED},
    {"absolute-out", "![a](@OUTSIDE@)", false, REFUSED},
    {"file-url", "![a](file:///etc/hosts)", false, REFUSED},
    {"noscript", "<noscript><img src=\"img/none.png\"></noscript>", false, UNSEEN},
    {"in-video", "<video><img src=\"img/none.png\"></video>", false, UNSEEN},
    {"remote", "![a](https://example.com/a.png)", false, UNSEEN},
    {"header-site", "/img/a.png", true, PACKED},
    {"header-beside", "img/a.png", true, PACKED},
    {"header-missing", "img/none.png", true, REFUSED},
};
#define NFORMS (sizeof forms / sizeof forms[0])

static void copy_file(const char *from, const char *to)
{
    char *data;
    size_t len;
    if (dg_read_file(from, &data, &len) != 0 || dg_write_file_atomic(to, data, len) != 0) {
        fprintf(stderr, "cannot copy %s to %s\n", from, to);
        exit(1);
    }
    free(data);
}

static void write_text(const char *path, const char *text)
{
    if (dg_write_file_atomic(path, text, strlen(text)) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
}

/* TEXT with "@SITE@" and "@OUTSIDE@" replaced, in A. */
static const char *expand(dg_arena *a, const char *text)
{
    dg_buf b = {0};
    for (const char *s = text; *s;) {
        if (!strncmp(s, "@SITE@", 6)) {
            dg_buf_puts(&b, SITE);
            s += 6;
        } else if (!strncmp(s, "@OUTSIDE@", 9)) {
            dg_buf_puts(&b, OUTSIDE);
            s += 9;
        } else {
            dg_buf_putc(&b, *s++);
        }
    }
    return dg_buf_to_arena(&b, a);
}

static void make_site(dg_arena *a)
{
    char cwd[1024];
    if (!getcwd(cwd, sizeof cwd))
        exit(1);
    /* absolute: the "absolute path" forms need it */
    snprintf(SITE, sizeof SITE, "%s/assets-site",
             TEST_BINARY_DIR[0] == '/' ? TEST_BINARY_DIR : cwd);
    snprintf(POSTS, sizeof POSTS, "%s/_posts", SITE);
    snprintf(OUTSIDE, sizeof OUTSIDE, "%s/../assets-outside.png", SITE);
    char png[4096], p[8192];
    snprintf(png, sizeof png, "%s/fixtures/content/tiny.png", TEST_SOURCE_DIR);
    snprintf(p, sizeof p, "%s/img", SITE);
    dg_mkdir_p(p);
    snprintf(p, sizeof p, "%s/img", POSTS);
    dg_mkdir_p(p);
    snprintf(p, sizeof p, "%s/img/a.png", SITE);
    copy_file(png, p);
    snprintf(p, sizeof p, "%s/img/a.png", POSTS);
    copy_file(png, p);
    snprintf(p, sizeof p, "%s/img/b c.png", POSTS);
    copy_file(png, p);
    copy_file(png, OUTSIDE);
    snprintf(p, sizeof p, "%s/img/link-out.png", POSTS);
    unlink(p);
    if (symlink(OUTSIDE, p) != 0) {
        perror("symlink");
        exit(1);
    }
    /* posts of an earlier run (the forms may have changed since) */
    DIR *dir = opendir(POSTS);
    for (struct dirent *e; dir && (e = readdir(dir)) != NULL;)
        if (strstr(e->d_name, ".md")) {
            snprintf(p, sizeof p, "%s/%s", POSTS, e->d_name);
            unlink(p);
        }
    if (dir)
        closedir(dir);
    for (size_t i = 0; i < NFORMS; i++) {
        const form *f = &forms[i];
        const char *text =
            f->header
                ? dg_sprintf(a, "---\ntitle: %s\nheader-img: %s\n---\n\nText.\n", f->name, f->body)
                : dg_sprintf(a, "---\ntitle: %s\n---\n\n%s\n", f->name, expand(a, f->body));
        snprintf(p, sizeof p, "%s/2025-03-%02zu-%s.md", POSTS, i + 1, f->name);
        write_text(p, text);
    }
}

/* Does LOG hold a warning about an image in the post of form F? */
static bool check_warned(const char *log, const form *f)
{
    char key[256];
    snprintf(key, sizeof key, "-%s.md:", f->name);
    for (const char *l = log; (l = strstr(l, key)) != NULL; l++) {
        const char *eol = strchr(l, '\n');
        const char *img = strstr(l, "image '");
        if (img && (!eol || img < eol))
            return true;
    }
    return false;
}

static void test_check_and_build_agree(void)
{
    dg_arena *a = dg_arena_new();
    make_site(a);

    /* digest check */
    dg_diag *cd = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = SITE;
    CHECK(dg_check(&o, NULL, cd) == DG_EXIT_OK);
    const char *log = dg_diag_text(cd);

    /* the content stage of a build, post by post */
    dg_diag *sd = dg_diag_new(NULL);
    dg_site *s = NULL;
    CHECK(dg_site_open(&s, SITE, NULL, sd) == 0);
    size_t seen = 0;
    for (size_t i = 0; s && i < s->nposts; i++) {
        const dg_post *p = s->posts[i];
        const form *f = NULL;
        for (size_t k = 0; k < NFORMS && !f; k++)
            if (strstr(p->path, dg_sprintf(a, "-%s.md", forms[k].name)))
                f = &forms[k];
        if (!f)
            continue;
        seen++;
        dg_diag *d = dg_diag_new(NULL);
        dg_registry reg;
        dg_registry_init(&reg, a);
        dg_chapter ch;
        CHECK(dg_chapter_build(&ch, p, s->root, &reg, d) == 0);
        bool packed = f->header ? ch.header_image != NULL : reg.nassets == 1;
        bool build_warned = dg_diag_warnings(d) > 0;
        bool warned = check_warned(log, f);
        if (packed != (f->fate == PACKED) || build_warned != (f->fate == REFUSED) ||
            warned != build_warned)
            fprintf(stderr, "%s: packed %d, build warned %d, check warned %d (fate %d)\n%s",
                    f->name, packed, build_warned, warned, (int)f->fate, dg_diag_text(d));
        CHECK(packed == (f->fate == PACKED));
        CHECK(build_warned == (f->fate == REFUSED));
        CHECK(warned == build_warned); /* the point: check and build agree */
        dg_chapter_free(&ch);
        dg_registry_free(&reg);
        dg_diag_free(d);
    }
    CHECK(seen == NFORMS);
    /* the messages name the reference as the Markdown writes it */
    CHECK_CONTAINS(log, "-folder.md:5:6: warning: image 'img' is not a file");
    CHECK_CONTAINS(log,
                   "-symlink-out.md:5:6: warning: image 'img/link-out.png' is outside the site");
    CHECK_CONTAINS(log, "-missing.md:5:6: warning: image 'img/none.png' is missing");
    CHECK_CONTAINS(log, "-header-missing.md:3:13: warning: header image 'img/none.png' is missing");
    CHECK_CONTAINS(log, "-file-url.md:5:6: warning: image 'file:///etc/hosts' is neither");
    dg_site_free(s);
    dg_diag_free(sd);
    dg_diag_free(cd);
    dg_arena_free(a);
}

/* dg_local_image alone: the statuses and the real path it gives. */
static void test_local_image(void)
{
    dg_arena *a = dg_arena_new();
    const char *path;
    char *real = realpath(SITE, NULL);
    const char *root = dg_strdup(a, real);
    free(real);
    const char *posts = dg_path_join(a, root, "_posts");
    CHECK(dg_local_image(a, root, posts, "img/a.png", false, &path) == DG_LOCAL_FOUND);
    CHECK_STR(path, dg_path_join(a, root, "_posts/img/a.png"));
    CHECK(dg_local_image(a, root, posts, "img/a.png", true, &path) == DG_LOCAL_FOUND);
    CHECK_STR(path, dg_path_join(a, root, "img/a.png")); /* header: the site first */
    CHECK(dg_local_image(a, root, posts, "{{ site.baseurl }}/img/a.png?v=2#x", false, &path) ==
          DG_LOCAL_FOUND);
    CHECK_STR(path, dg_path_join(a, root, "img/a.png"));
    CHECK(dg_local_image(a, root, posts, "%7B%7Bsite.baseurl%7D%7D/img/a.png", false, &path) ==
          DG_LOCAL_FOUND);
    CHECK(dg_local_image(a, root, posts, "{{ site.url }}", false, &path) == DG_LOCAL_NO_FILE);
    CHECK(path == NULL);
    CHECK(dg_local_image(a, root, posts, "/etc/hosts", false, &path) == DG_LOCAL_OUTSIDE);
    CHECK(dg_local_image(a, root, posts, "/no/such/file.png", false, &path) == DG_LOCAL_MISSING);
    CHECK(dg_local_image(a, root, posts, "../../x.png", false, &path) == DG_LOCAL_OUTSIDE);
    CHECK(dg_local_image(a, root, posts, "img", false, &path) == DG_LOCAL_NOT_FILE);
    CHECK(dg_ref_kind_of(" https://example.com/a.png") == DG_REF_WEB);
    CHECK(dg_ref_kind_of("//example.com/a.png") == DG_REF_WEB);
    CHECK(dg_ref_kind_of("data:image/png;base64,AAAA") == DG_REF_DATA);
    CHECK(dg_ref_kind_of("file:///x.png") == DG_REF_OTHER);
    CHECK(dg_ref_kind_of("C:/x.png") == DG_REF_LOCAL);
    CHECK(dg_ref_kind_of("img/a.png") == DG_REF_LOCAL);
    dg_arena_free(a);
}

/* Quotes turned the wrong way: check reports each block the build turns
 * round (one rule, quote.h), tables and headings included. */
static void test_quotes_agree(void)
{
    dg_arena *a = dg_arena_new();
    char site[4096], posts[4200], post[4300];
    snprintf(site, sizeof site, "%s-quotes", SITE);
    snprintf(posts, sizeof posts, "%s/_posts", site);
    dg_mkdir_p(posts);
    snprintf(post, sizeof post, "%s/2025-04-01-quotes.md", posts);
    write_text(post, "---\ntitle: quotes\n---\n\n"
                     "\xE2\x80\x9D段落开头错了。\n\n"                    /* 5 */
                     "- \xE2\x80\x9D列表项开头错了。\n\n"                /* 7 */
                     "| 表头 |\n| --- |\n| \xE2\x80\x9D表格里错了 |\n\n" /* 11 */
                     "## 标题结尾错了\xE2\x80\x9C\n\n"                   /* 13 */
                     "`\xE2\x80\x9D代码不算`\n");                        /* 15 */
    dg_diag *cd = dg_diag_new(NULL);
    dg_options o;
    dg_options_init(&o);
    o.site = site;
    CHECK(dg_check(&o, NULL, cd) == DG_EXIT_OK);
    const char *log = dg_diag_text(cd);
    CHECK_CONTAINS(log, "quotes.md:5:1: warning: a closing quote");
    CHECK_CONTAINS(log, "quotes.md:7:3: warning: a closing quote");
    CHECK_CONTAINS(log, "quotes.md:11:3: warning: a closing quote");
    CHECK_CONTAINS(log, "quotes.md:13:10: warning: an opening quote");
    CHECK_NOT_CONTAINS(log, "quotes.md:15");
    CHECK(dg_diag_warnings(cd) == 4);

    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;
    CHECK(dg_site_open(&s, site, NULL, d) == 0);
    if (s && s->nposts == 1) {
        dg_registry reg;
        dg_registry_init(&reg, a);
        dg_chapter ch;
        CHECK(dg_chapter_build(&ch, s->posts[0], s->root, &reg, d) == 0);
        xmlBufferPtr buf = xmlBufferCreate();
        xmlNodeDump(buf, ch.doc, xmlDocGetRootElement(ch.doc), 0, 0);
        const char *x = (const char *)xmlBufferContent(buf);
        CHECK_CONTAINS(x, "<p>\xE2\x80\x9C段落开头错了。</p>");
        CHECK_CONTAINS(x, "<li>\xE2\x80\x9C列表项开头错了。</li>");
        CHECK_CONTAINS(x, ">\xE2\x80\x9C表格里错了</td>");
        CHECK_CONTAINS(x, "标题结尾错了\xE2\x80\x9D</h2>");
        CHECK_CONTAINS(x, "<code>\xE2\x80\x9D代码不算</code>");
        xmlBufferFree(buf);
        dg_chapter_free(&ch);
        dg_registry_free(&reg);
    }
    CHECK(s && s->nposts == 1);
    dg_site_free(s);
    dg_diag_free(d);
    dg_diag_free(cd);
    dg_arena_free(a);
}

int main(void)
{
    test_check_and_build_agree();
    test_local_image();
    test_quotes_agree();
    TEST_DONE();
}

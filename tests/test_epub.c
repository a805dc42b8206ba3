/* test_epub.c - the EPUB writer on a book built by hand: container layout,
 * well-formed files, metadata, nav, splitting of long posts, byte-identical
 * rebuilds and failed writes that leave an earlier file alone.
 *
 * The sample book is also left at TEST_BINARY_DIR/epub-sample.epub, for
 * tests/epubcheck.sh (which CTest runs after this test) and for looking at
 * by hand. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "epub/epub.h"
#include "test.h"

/* A 2x2 RGB PNG. */
static const unsigned char PNG[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
    0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
    0xcf, 0xc0, 0x00, 0x44, 0x0c, 0x60, 0xf2, 0x3f, 0x00, 0x1b, 0xf2, 0x03, 0xfd, 0xf3, 0xe7,
    0x4b, 0xb1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

#define SECTION_OPEN "<section xmlns=\"http://www.w3.org/1999/xhtml\" class=\"post-body\">"

static const char CH1[] =
    SECTION_OPEN
    "<p>这是第一篇周报，混合 English words 与中文。<a href=\"https://example.com/a b\">链接</a>"
    "和<a href=\"//cdn.example.com/x.js\">协议相对</a>以及<a href=\"other-post.md\">站内相对链接</a>。"
    "脚注在此<sup><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>。</p>"
    "<h2 id=\"sec-intro\">本周要点</h2>"
    "<p><img src=\"images/001.png\" alt=\"示意图\" width=\"2\" height=\"100%\"/></p>"
    "<p><img src=\"images/missing.png\" alt=\"不存在的图\"/></p>"
    "<blockquote><p>引用一段话。</p></blockquote>"
    "<pre><code>int main(void) { return 0; } // &lt;tag&gt; &amp;</code></pre>"
    "<table><thead><tr><th align=\"center\">名称</th><th align=\"bogus\">值</th></tr></thead>"
    "<tbody><tr><td colspan=\"2\">合并单元格</td></tr></tbody></table>"
    "<h2 id=\"sec-tools\">工具 &amp; 资源</h2>"
    "<ul><li class=\"task\">☑ 完成</li><li class=\"task\">☐ 未完成</li></ul>"
    "<ol start=\"3\"><li>第三项</li></ol>"
    "<p class=\"media\"><a href=\"https://player.example.com/embed?id=1\">▶ 视频: https://player.example.com/embed?id=1</a></p>"
    "<p>断开的锚点<a href=\"#nowhere\">不存在</a>，<span id=\"dup\">甲</span><span id=\"dup\">乙</span></p>"
    "<div class=\"footnotes\"><ol><li id=\"fn-1\"><p>脚注内容。<a href=\"#fnref-1\">↩</a></p></li></ol></div>"
    "</section>";

static const char CH3[] =
    SECTION_OPEN
    "<h1 id=\"h-top\">Top level</h1><p>Some English text in a Chinese book.</p>"
    "<h2 id=\"h-sub\">Sub level</h2><p>更多内容。</p>"
    "<h3 id=\"h-deep\">Too deep for the nav</h3><p>深层。</p>"
    "<h1 id=\"h-top2\">Second top</h1><p>结束。</p>"
    "</section>";

/* Chapter 2: twelve sections of ~30 KB each, a footnote at its very end
 * referenced from its very start: it must be split, and the link must point
 * into another file. */
#define BIG_SECTIONS 12
#define BIG_LIST 5000
static char *big_chapter(dg_arena *a)
{
    dg_buf b = {0};
    dg_buf_puts(&b, SECTION_OPEN);
    dg_buf_puts(&b, "<p>长文开头<sup><a href=\"#fn-big\" id=\"fnref-big\">1</a></sup>。</p>");
    for (int s = 1; s <= BIG_SECTIONS; s++) {
        dg_buf_printf(&b, "<h2 id=\"big-%d\">第%d部分</h2>", s, s);
        for (int p = 0; p < 10; p++) {
            dg_buf_puts(&b, "<p>");
            for (int k = 0; k < 150; k++)
                dg_buf_puts(&b, "汉字排版测试。");
            dg_buf_puts(&b, "</p>");
        }
    }
    /* A list too long for one file: split between its items. */
    dg_buf_puts(&b, "<ol id=\"biglist\" start=\"5\">");
    for (int i = 1; i <= BIG_LIST; i++)
        dg_buf_printf(&b, "<li>第%d项：汉字排版测试，汉字排版测试。</li>", i);
    dg_buf_puts(&b, "</ol>");
    dg_buf_puts(&b, "<div class=\"footnotes\"><ol><li id=\"fn-big\"><p>长文的脚注。"
                    "<a href=\"#fnref-big\">↩</a></p></li></ol></div></section>");
    return dg_buf_to_arena(&b, a);
}

typedef struct sample {
    dg_site site;
    dg_post posts[3];
    dg_chapter chapters[3];
    dg_asset asset;
    dg_asset *assets[1];
    dg_book book;
} sample;

static xmlDocPtr parse(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "chapter.xhtml", "UTF-8", XML_PARSE_NONET);
    CHECK(doc != NULL);
    return doc;
}

static void make_sample(sample *s, dg_arena *a, const char *site_root)
{
    memset(s, 0, sizeof *s);
    s->site.root = site_root;
    s->site.title = "周刊测试站";
    s->site.author = "测试作者";
    s->site.lang = "zh-CN";
    s->site.description = "一个用来测试的站点 & 描述";

    static const char *tags1[] = {"周报", "C & XML"};
    const char *titles[3] = {"第一期：开始 <测试>", "第二期：一篇很长的文章", "Third issue"};
    for (int i = 0; i < 3; i++) {
        dg_post *p = &s->posts[i];
        p->path = dg_sprintf(a, "_posts/2025-03-0%d-post.md", 2 + 7 * 0 + i);
        p->relpath = p->path;
        p->title = titles[i];
        p->has_date = true;
        p->published = true;
        p->date = (dg_datetime){.year = 2025, .month = 3, .day = 2 + 7 * i};
    }
    s->posts[0].subtitle = "副标题";
    s->posts[0].author = "作者甲";
    s->posts[0].tags = tags1;
    s->posts[0].ntags = 2;

    s->asset.key = "/site/images/a.png";
    s->asset.href = "images/001.png";
    s->asset.image = (dg_image){DG_IMG_PNG, "image/png", "png", PNG, sizeof PNG, 2, 2};
    s->assets[0] = &s->asset;

    const char *xml[3] = {CH1, big_chapter(a), CH3};
    static dg_heading h1[] = {{2, "sec-intro", "本周要点"}, {2, "sec-tools", "工具 & 资源"}};
    static dg_heading h2[BIG_SECTIONS];
    for (int k = 0; k < BIG_SECTIONS; k++)
        h2[k] = (dg_heading){2, dg_sprintf(a, "big-%d", k + 1), dg_sprintf(a, "第%d部分", k + 1)};
    static dg_heading h3[] = {{1, "h-top", "Top level"},
                              {2, "h-sub", "Sub level"},
                              {3, "h-deep", "Too deep for the nav"},
                              {1, "h-top2", "Second top"}};
    dg_heading *hs[3] = {h1, h2, h3};
    size_t nh[3] = {2, BIG_SECTIONS, 4};
    for (int i = 0; i < 3; i++) {
        dg_chapter *c = &s->chapters[i];
        c->post = &s->posts[i];
        c->id = dg_sprintf(a, "post-0%d", i + 1);
        c->doc = parse(xml[i]);
        c->headings = hs[i];
        c->nheadings = nh[i];
    }
    s->chapters[0].header_image = &s->asset;

    dg_book *b = &s->book;
    b->site = &s->site;
    memcpy(b->month, "2025-03", 8);
    b->year = 2025;
    b->mon = 3;
    b->title = "周刊测试站 · 2025年3月";
    b->month_label = "2025年3月";
    b->lang = "zh-CN";
    b->author = "测试作者";
    b->uuid = "urn:uuid:3f2a6c1e-9d0b-5e7a-8c4d-1b2e3f405162";
    b->modified = 1743292800; /* 2025-03-30T00:00:00Z */
    b->modified_iso = "2025-03-30T00:00:00Z";
    b->chapters = s->chapters;
    b->nchapters = 3;
    b->cover = &s->asset;
    b->reg.assets = s->assets;
    b->reg.nassets = 1;
    b->reg.arena = a;
    b->arena = a;
}

static void free_sample(sample *s)
{
    for (int i = 0; i < 3; i++)
        xmlFreeDoc(s->chapters[i].doc);
}

static char *read_entry(zip_t *z, const char *name, size_t *len)
{
    zip_stat_t st;
    *len = 0;
    if (zip_stat(z, name, 0, &st) != 0)
        return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return NULL;
    char *buf = malloc(st.size + 1);
    zip_int64_t n = zip_fread(f, buf, st.size);
    zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static char *slurp(const char *path, size_t *len)
{
    char *data = NULL;
    if (dg_read_file(path, &data, len) != 0)
        return NULL;
    return data;
}

static bool same_file(const char *p1, const char *p2)
{
    size_t n1, n2;
    char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
    bool same = a && b && n1 == n2 && memcmp(a, b, n1) == 0;
    free(a);
    free(b);
    return same;
}

/* Every nav link target exists in the container and holds its id. */
static void check_nav_links(zip_t *z, const char *nav, size_t navlen)
{
    xmlDocPtr doc = xmlReadMemory(nav, (int)navlen, "nav.xhtml", "UTF-8", XML_PARSE_NONET);
    CHECK(doc != NULL);
    if (!doc)
        return;
    int links = 0;
    xmlNodePtr n = xmlDocGetRootElement(doc);
    while (n) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)"a")) {
            xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
            char file[256], frag[256] = "";
            CHECK(href != NULL);
            if (href) {
                const char *hash = strchr((const char *)href, '#');
                size_t fl = hash ? (size_t)(hash - (const char *)href) : strlen((const char *)href);
                snprintf(file, sizeof file, "OEBPS/%.*s", (int)fl, (const char *)href);
                if (hash)
                    snprintf(frag, sizeof frag, "id=\"%s\"", hash + 1);
                size_t len;
                char *data = read_entry(z, file, &len);
                if (!data)
                    fprintf(stderr, "nav link %s: no such file\n", (const char *)href);
                CHECK(data != NULL);
                if (data && *frag && !strstr(data, frag)) {
                    fprintf(stderr, "nav link %s: no such id in %s\n", (const char *)href, file);
                    CHECK(!"nav target id present");
                }
                free(data);
                links++;
            }
            xmlFree(href);
        }
        if (n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent;
        if (n)
            n = n->next;
    }
    /* 3 posts + 2 + 12 + 3 headings (h3 left out) + 3 landmarks. */
    CHECK(links == 3 + 2 + BIG_SECTIONS + 3 + 3);
    xmlFreeDoc(doc);
}

static void check_container(const char *path)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    CHECK(z != NULL);
    if (!z)
        return;
    zip_int64_t n = zip_get_num_entries(z, 0);
    CHECK(n > 8);
    CHECK_STR(zip_get_name(z, 0, 0), "mimetype");
    zip_stat_t st;
    CHECK(zip_stat_index(z, 0, 0, &st) == 0);
    CHECK(st.comp_method == ZIP_CM_STORE);
    size_t len;
    char *mt = read_entry(z, "mimetype", &len);
    CHECK_STR(mt, "application/epub+zip");
    free(mt);

    bool saw_split = false;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        CHECK(zip_file_extra_fields_count(z, (zip_uint64_t)i, ZIP_FL_LOCAL) == 0);
        CHECK(zip_file_extra_fields_count(z, (zip_uint64_t)i, ZIP_FL_CENTRAL) == 0);
        size_t nl = strlen(name);
        bool xml = (nl > 6 && !strcmp(name + nl - 6, ".xhtml")) ||
                   (nl > 4 && (!strcmp(name + nl - 4, ".opf") || !strcmp(name + nl - 4, ".ncx") ||
                               !strcmp(name + nl - 4, ".xml")));
        if (!xml)
            continue;
        char *data = read_entry(z, name, &len);
        CHECK(data != NULL);
        xmlDocPtr doc = data ? xmlReadMemory(data, (int)len, name, "UTF-8",
                                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                             : NULL;
        if (!doc)
            fprintf(stderr, "%s does not parse as XML\n", name);
        CHECK(doc != NULL);
        xmlFreeDoc(doc);
        if (nl > 6 && !strcmp(name + nl - 6, ".xhtml")) {
            if (len > 260000)
                fprintf(stderr, "%s is %zu bytes\n", name, len);
            CHECK(len <= 260000);
        }
        if (!strcmp(name, "OEBPS/post-02-2.xhtml"))
            saw_split = true;
        free(data);
    }
    CHECK(saw_split);

    char *opf = read_entry(z, "OEBPS/content.opf", &len);
    CHECK_CONTAINS(opf, "version=\"3.0\"");
    CHECK_CONTAINS(opf, "unique-identifier=\"bookid\"");
    CHECK_CONTAINS(opf, "<dc:identifier id=\"bookid\">urn:uuid:3f2a6c1e-9d0b-5e7a-8c4d-1b2e3f405162</dc:identifier>");
    CHECK_CONTAINS(opf, "<dc:title>周刊测试站 · 2025年3月</dc:title>");
    CHECK_CONTAINS(opf, "<dc:language>zh-CN</dc:language>");
    CHECK_CONTAINS(opf, "<dc:creator>测试作者</dc:creator>");
    CHECK_CONTAINS(opf, "<dc:date>2025-03-16</dc:date>");
    CHECK_CONTAINS(opf, "<meta property=\"dcterms:modified\">2025-03-30T00:00:00Z</meta>");
    CHECK_CONTAINS(opf, "href=\"images/001.png\" media-type=\"image/png\" properties=\"cover-image\"");
    CHECK_CONTAINS(opf, "properties=\"nav\"");
    CHECK_CONTAINS(opf, "<spine toc=\"ncx\">\n<itemref idref=\"cover\"/>\n<itemref idref=\"nav\"/>\n<itemref idref=\"post-01\"/>");
    CHECK_CONTAINS(opf, "<itemref idref=\"post-02-2\"/>");
    free(opf);

    char *ncx = read_entry(z, "OEBPS/toc.ncx", &len);
    CHECK_CONTAINS(ncx, "<meta name=\"dtb:uid\" content=\"urn:uuid:3f2a6c1e-9d0b-5e7a-8c4d-1b2e3f405162\"/>");
    CHECK_CONTAINS(ncx, "<meta name=\"dtb:depth\" content=\"3\"/>");
    CHECK_CONTAINS(ncx, "<text>第12部分</text>");
    free(ncx);

    char *nav = read_entry(z, "OEBPS/nav.xhtml", &len);
    CHECK_CONTAINS(nav, "epub:type=\"toc\"");
    CHECK_CONTAINS(nav, "epub:type=\"landmarks\"");
    CHECK_CONTAINS(nav, "<a href=\"post-01.xhtml\">第一期：开始 &lt;测试&gt;</a>");
    CHECK_CONTAINS(nav, "<a href=\"post-01.xhtml#sec-tools\">工具 &amp; 资源</a>");
    CHECK_CONTAINS(nav, "<a href=\"post-03.xhtml#h-top\">Top level</a>\n<ol>\n<li><a href=\"post-03.xhtml#h-sub\">");
    CHECK_NOT_CONTAINS(nav, "h-deep");
    CHECK_CONTAINS(nav, "epub:type=\"bodymatter\" href=\"post-01.xhtml\"");
    if (nav)
        check_nav_links(z, nav, len);
    free(nav);

    char *c1 = read_entry(z, "OEBPS/post-01.xhtml", &len);
    CHECK_CONTAINS(c1, "xml:lang=\"zh-CN\" lang=\"zh-CN\"");
    CHECK_CONTAINS(c1, "<title>第一期：开始 &lt;测试&gt;</title>");
    CHECK_CONTAINS(c1, "href=\"style.css\"");
    CHECK_CONTAINS(c1, "<h1 id=\"post-01\" class=\"chapter-title\">第一期：开始 &lt;测试&gt;</h1>");
    CHECK_CONTAINS(c1, "<p class=\"subtitle\">副标题</p>");
    CHECK_CONTAINS(c1, "2025年3月2日");
    CHECK_CONTAINS(c1, "<span class=\"author\">作者甲</span>");
    CHECK_CONTAINS(c1, "<span class=\"tag\">C &amp; XML</span>");
    CHECK_CONTAINS(c1, "href=\"https://example.com/a%20b\"");
    CHECK_CONTAINS(c1, "href=\"https://cdn.example.com/x.js\"");
    CHECK_NOT_CONTAINS(c1, "other-post.md");
    CHECK_CONTAINS(c1, "<a>站内相对链接</a>");
    CHECK_CONTAINS(c1, "<a>不存在</a>");
    CHECK_CONTAINS(c1, "<img src=\"images/001.png\" alt=\"示意图\" width=\"2\"/>");
    CHECK_NOT_CONTAINS(c1, "missing.png");
    CHECK_CONTAINS(c1, "不存在的图");
    CHECK_CONTAINS(c1, "<th style=\"text-align: center\">名称</th><th>值</th>");
    CHECK_CONTAINS(c1, "<ol start=\"3\">");
    CHECK_CONTAINS(c1, "&lt;tag&gt; &amp;");
    CHECK_CONTAINS(c1, "<span id=\"dup\">甲</span><span>乙</span>");
    CHECK_CONTAINS(c1, "<a href=\"#fn-1\" id=\"fnref-1\">1</a>");
    CHECK_NOT_CONTAINS(c1, "xmlns=\"http://www.w3.org/1999/xhtml\" class=\"post-body\"");
    free(c1);

    /* The long post: its footnote reference points into its last part. */
    char *c2 = read_entry(z, "OEBPS/post-02.xhtml", &len);
    CHECK(c2 && strstr(c2, "href=\"post-02-") && strstr(c2, ".xhtml#fn-big\""));
    CHECK_CONTAINS(c2, "<h1 id=\"post-02\"");
    free(c2);
    char *c22 = read_entry(z, "OEBPS/post-02-2.xhtml", &len);
    CHECK_NOT_CONTAINS(c22, "chapter-title");
    /* A part starts at a heading. */
    CHECK_CONTAINS(c22, "<section class=\"post-body\">\n<h2 id=\"big-");
    free(c22);

    /* The long list: every item once, the list's id once, numbering
     * continued in the next file. */
    int items = 0, list_ids = 0, continued = 0;
    for (int part = 1; part <= 9; part++) {
        char name[64];
        snprintf(name, sizeof name, part == 1 ? "OEBPS/post-02.xhtml" : "OEBPS/post-02-%d.xhtml",
                 part);
        char *c = read_entry(z, name, &len);
        for (const char *q = c; q && (q = strstr(q, "<li>第")); q++)
            items++;
        for (const char *q = c; q && (q = strstr(q, "id=\"biglist\"")); q++)
            list_ids++;
        if (c && strstr(c, "<ol start=\""))
            continued++;
        free(c);
    }
    CHECK(items == BIG_LIST);
    CHECK(list_ids == 1);
    CHECK(continued >= 1);

    char *cover = read_entry(z, "OEBPS/cover.xhtml", &len);
    CHECK_CONTAINS(cover, "周刊测试站");
    CHECK_CONTAINS(cover, "2025年3月");
    CHECK_CONTAINS(cover, "Third issue");
    CHECK_CONTAINS(cover, "<img src=\"images/001.png\"");
    free(cover);

    char *img = read_entry(z, "OEBPS/images/001.png", &len);
    CHECK(img && len == sizeof PNG && memcmp(img, PNG, len) == 0);
    free(img);
    zip_close(z);
}

static bool no_temp_files(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -q '\\.tmp-'", dir);
    return system(cmd) != 0;
}

int main(void)
{
    xmlInitParser();
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    char *dir = dg_sprintf(a, "%s/epub-test-%ld", TEST_BINARY_DIR, (long)getpid());
    CHECK(dg_mkdir_p(dir) == 0);
    char *site = dg_path_join(a, dir, "site");
    CHECK(dg_mkdir_p(site) == 0);

    sample s;
    make_sample(&s, a, site);
    char *p1 = dg_path_join(a, dir, "one.epub"), *p2 = dg_path_join(a, dir, "two.epub");
    CHECK(dg_epub_write(&s.book, p1, d) == 0);
    if (dg_diag_errors(d) || dg_diag_warnings(d))
        fprintf(stderr, "%s", dg_diag_text(d));
    CHECK(dg_diag_errors(d) == 0);
    CHECK(dg_diag_warnings(d) == 0);
    check_container(p1);

    /* Identical input, identical bytes. */
    CHECK(dg_epub_write(&s.book, p2, d) == 0);
    CHECK(same_file(p1, p2));

    /* The sample for tests/epubcheck.sh and for looking at by hand. */
    char *sample_path = dg_path_join(a, TEST_BINARY_DIR, "epub-sample.epub");
    CHECK(dg_epub_write(&s.book, sample_path, d) == 0);
    CHECK(no_temp_files(dir));

    /* Failures: the output is a directory; its folder does not exist; a
     * site template override is broken.  The earlier file stays as it was. */
    char *isdir = dg_path_join(a, dir, "isdir.epub");
    CHECK(dg_mkdir_p(isdir) == 0);
    int errs = dg_diag_errors(d);
    CHECK(dg_epub_write(&s.book, isdir, d) == -1);
    CHECK(dg_is_dir(isdir));
    CHECK(dg_diag_errors(d) == errs + 1);
    CHECK(dg_epub_write(&s.book, dg_path_join(a, dir, "no/such/dir/x.epub"), d) == -1);
    CHECK(no_temp_files(dir));

    char *tdir = dg_path_join(a, site, "_digest/templates");
    CHECK(dg_mkdir_p(tdir) == 0);
    char *broken = dg_path_join(a, tdir, "chapter.xhtml");
    static const char bad[] = "<html><body>{{{body}}}</p></html>";
    CHECK(dg_write_file_atomic(broken, bad, sizeof bad - 1) == 0);
    s.book.templates_dir = tdir; /* as dg_book_new finds SITE/_digest/templates */
    errs = dg_diag_errors(d);
    CHECK(dg_epub_write(&s.book, p2, d) == -1);
    CHECK(dg_diag_errors(d) > errs);
    CHECK_CONTAINS(dg_diag_text(d), "not well-formed");
    CHECK(same_file(p1, p2));
    unlink(broken);

    /* A write that fails half-way: the file size limit (which binds root
     * too, unlike a read-only folder) stops it.  The earlier file stays. */
    {
        char *rp = dg_path_join(a, dir, "limited.epub");
        CHECK(dg_epub_write(&s.book, rp, d) == 0);
        struct rlimit was, lim;
        CHECK(getrlimit(RLIMIT_FSIZE, &was) == 0);
        lim = was;
        lim.rlim_cur = 1024; /* the book is bigger */
        void (*handler)(int) = signal(SIGXFSZ, SIG_IGN);
        CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
        const char *title = s.book.title;
        s.book.title = "changed";
        errs = dg_diag_errors(d);
        int rc = dg_epub_write(&s.book, rp, d);
        CHECK(setrlimit(RLIMIT_FSIZE, &was) == 0);
        signal(SIGXFSZ, handler);
        CHECK(rc == -1);
        CHECK(dg_diag_errors(d) == errs + 1);
        CHECK(same_file(rp, p1));
        CHECK(no_temp_files(dir));
        s.book.title = title;
        unlink(rp);
    }

    /* An English book: English labels and dates. */
    s.book.lang = "en";
    char *pe = dg_path_join(a, dir, "en.epub");
    CHECK(dg_epub_write(&s.book, pe, d) == 0);
    {
        int err;
        zip_t *z = zip_open(pe, ZIP_RDONLY, &err);
        size_t len;
        char *c = z ? read_entry(z, "OEBPS/post-01.xhtml", &len) : NULL;
        CHECK_CONTAINS(c, "2 March 2025");
        free(c);
        c = z ? read_entry(z, "OEBPS/nav.xhtml", &len) : NULL;
        CHECK_CONTAINS(c, "<h1>Contents</h1>");
        free(c);
        if (z)
            zip_close(z);
    }

    free_sample(&s);
    unlink(p1);
    unlink(p2);
    unlink(pe);
    rmdir(isdir);
    rmdir(tdir);
    rmdir(dg_path_join(a, site, "_digest"));
    rmdir(site);
    rmdir(dir);
    dg_diag_free(d);
    dg_arena_free(a);
    TEST_DONE();
}

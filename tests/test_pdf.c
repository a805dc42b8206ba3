/* test_pdf.c - the PDF writer on a hand-made book: fonts embedded and
 * subset with a usable ToUnicode map (poppler), a clean file (qpdf), the
 * Chinese text extractable, the outline (MuPDF), identical bytes on a
 * rebuild.  Those validators are the point: without poppler-utils, qpdf or
 * mupdf-tools the test is skipped (exit 77), as `./setup.sh test` installs
 * them. */
#include <png.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tests/fixtures/pdf/book_fixture.h"
#include "pdf/layout.h"
#include "pdf/pdf.h"
#include "test.h"

static bool has_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (!memcmp(hay + i, needle, m))
            return true;
    return false;
}

/* Output of CMD (stdout and what the command redirects), in A. */
static char *run(dg_arena *a, const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    dg_buf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        dg_buf_put(&b, buf, n);
    int st = pclose(p);
    if (status)
        *status = st;
    if (!b.data)
        return dg_strdup(a, "");
    return dg_buf_to_arena(&b, a);
}

static const char *body1 =
    "<h2 id=\"intro\">引言</h2>"
    "<p>中文排版需要注意标点。这是一段<strong>加粗</strong>和<em>斜体</em>的文字，"
    "还有 <a href=\"https://example.com/路径?q=中文\">一个链接</a> 和 <code>inline_code()</code>。</p>"
    "<blockquote><p>引用的文字，放在左侧有竖线的区域里。</p></blockquote>"
    "<ul><li>第一项</li><li>第二项<ul><li>嵌套的一项</li></ul></li></ul>"
    "<ol><li>步骤一</li><li>步骤二</li></ol>"
    "<pre><code>int main(void) { return printf(\"a very long line of code that has to wrap somewhere near the right edge of the page\"); }\n</code></pre>"
    "<table><thead><tr><th>名称</th><th>说明</th></tr></thead>"
    "<tbody><tr><td>甲</td><td>第一行</td></tr><tr><td>乙</td><td>第二行</td></tr></tbody></table>"
    "<hr/>"
    "<p class=\"media\"><a href=\"https://example.com/v\">▶ 视频: https://example.com/v</a></p>"
    "<p>笑脸 😀 和私用区 \xEE\x84\xA3 在这里<sup><a href=\"#fn-1\">1</a></sup>。</p>"
    "<div class=\"footnotes\"><ol><li id=\"fn-1\"><p>脚注的内容。</p></li></ol></div>";

static const char *body2 = "<h2 id=\"second\">第二篇的小节</h2><p>第二篇文章的正文，Latin text and 数字 123。</p>";

/* Writes B (then freed) to PATH with link notes off, keeping KEEP bytes
 * of laid-out pages between the layout's passes (0: the default). */
static int write_fix_keep(dg_book *b, dg_fonts *fonts, const char *path, dg_diag *d, size_t keep)
{
    dg_pdf_opts o = {0};
    o.link_notes = -1;
    o.layout_keep = keep;
    int rc = dg_pdf_write(b, fonts, &o, path, d);
    fix_book_free(b);
    return rc;
}

static int write_fix(dg_book *b, dg_fonts *fonts, const char *path, dg_diag *d)
{
    return write_fix_keep(b, fonts, path, d, 0);
}

/* The layout's two passes: a book whose chapters are all freed after the
 * first pass and laid out again as they are drawn (a keep of one byte) is
 * the same PDF, byte for byte, as one kept whole (a deep quote's indent
 * capped, a footnote, links, a table, code among them). */
static void test_layout_keep(dg_arena *a, dg_fonts *fonts)
{
    dg_buf deep = {0};
    for (int i = 0; i < 40; i++)
        dg_buf_puts(&deep, "<blockquote>");
    dg_buf_puts(&deep, "<p>深处的引用 deep quote</p>");
    for (int i = 0; i < 40; i++)
        dg_buf_puts(&deep, "</blockquote>");
    const char *deep_s = dg_buf_to_arena(&deep, a);
    const char *bodies[] = {body1, deep_s, body2, body1};
    const char *titles[] = {"一", "二", "三", "四"};
    const char *pk = TEST_BINARY_DIR "/test_pdf_keep_all.pdf";
    const char *pf = TEST_BINARY_DIR "/test_pdf_keep_none.pdf";
    dg_diag *d1 = dg_diag_new(NULL), *d2 = dg_diag_new(NULL);
    CHECK(write_fix_keep(fix_book(a, bodies, titles, 4), fonts, pk, d1, SIZE_MAX) == 0);
    CHECK(write_fix_keep(fix_book(a, bodies, titles, 4), fonts, pf, d2, 1) == 0);
    char *x1 = NULL, *x2 = NULL;
    size_t n1 = 0, n2 = 0;
    CHECK(dg_read_file(pk, &x1, &n1) == 0);
    CHECK(dg_read_file(pf, &x2, &n2) == 0);
    CHECK(n1 > 1000 && n1 == n2 && x1 && x2 && memcmp(x1, x2, n1) == 0);
    CHECK_CONTAINS(dg_diag_text(d2), "nested deeper");
    free(x1);
    free(x2);
    dg_diag_free(d1);
    dg_diag_free(d2);
}

static int write_book(dg_arena *a, dg_fonts *fonts, dg_diag *d, const char *path)
{
    const char *bodies[] = {body1, body2};
    const char *titles[] = {"第一篇：排版测试", "第二篇"};
    return write_fix(fix_book(a, bodies, titles, 2), fonts, path, d);
}

/* qpdf finds nothing wrong with PDF. */
static void check_qpdf(dg_arena *a, const char *pdf)
{
    int st = 0;
    char *out = run(a, dg_sprintf(a, "qpdf --check %s 2>&1", pdf), &st);
    CHECK(st == 0);
    CHECK_NOT_CONTAINS(out, "WARNING");
    CHECK_CONTAINS(out, "No syntax or stream encoding errors");
}

/* A W x H PNG of one colour; with ALPHA its right half is transparent. */
static const char *write_png(dg_arena *a, const char *name, int w, int h, bool alpha,
                             const unsigned char rgb[3])
{
    const char *path = dg_sprintf(a, "%s/%s", TEST_BINARY_DIR, name);
    int ch = alpha ? 4 : 3;
    unsigned char *px = malloc((size_t)w * (size_t)h * (size_t)ch);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *p = px + ((size_t)y * (size_t)w + (size_t)x) * (size_t)ch;
            memcpy(p, rgb, 3);
            if (alpha)
                p[3] = x < w / 2 ? 255 : 0;
        }
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = (png_uint_32)w;
    im.height = (png_uint_32)h;
    im.format = alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;
    CHECK(png_image_write_to_file(&im, path, 0, px, 0, NULL));
    free(px);
    return path;
}

/* Counts pixels near RGB on every page of PATH (pdftoppm at 20 dpi). */
static long count_colour(dg_arena *a, const char *pdf, const unsigned char rgb[3])
{
    const char *prefix = dg_sprintf(a, "%s/imgpage", TEST_BINARY_DIR);
    if (system(dg_sprintf(a, "rm -f %s-*.ppm; pdftoppm -r 20 %s %s", prefix, pdf, prefix)) != 0)
        return -1;
    char *list = run(a, dg_sprintf(a, "ls %s-*.ppm", prefix), NULL);
    long n = 0;
    for (char *f = strtok(list, "\n"); f; f = strtok(NULL, "\n")) {
        char *data = NULL;
        size_t len = 0;
        int w = 0, h = 0, max = 0, off = 0;
        if (dg_read_file(f, &data, &len) == 0 &&
            sscanf(data, "P6 %d %d %d%n", &w, &h, &max, &off) == 3 && max == 255) {
            const unsigned char *p = (const unsigned char *)data + off + 1;
            for (long i = 0; i < (long)w * h && (size_t)(off + 1 + 3 * i + 2) < len; i++) {
                const unsigned char *q = p + 3 * i;
                if (abs(q[0] - rgb[0]) < 40 && abs(q[1] - rgb[1]) < 40 && abs(q[2] - rgb[2]) < 40)
                    n++;
            }
        }
        free(data);
        unlink(f);
    }
    return n;
}

/* PNGs go in through digest's own path: scaled to 2000 pixels at most, a
 * soft mask for transparency, the pixels really there (rendered), and a PNG
 * that libpng cannot decode reported and left out. */
static void test_images(dg_arena *a, dg_fonts *fonts)
{
    static const unsigned char blue[3] = {0, 0, 255}, red[3] = {255, 0, 0};
    const char *wide = write_png(a, "wide.png", 2400, 60, true, blue);
    const char *solid = write_png(a, "solid.png", 300, 200, false, red);
    /* a PNG whose header is fine and whose pixel data is not */
    char *bytes = NULL;
    size_t len = 0;
    CHECK(dg_read_file(solid, &bytes, &len) == 0);
    const char *bad = dg_sprintf(a, "%s/broken.png", TEST_BINARY_DIR);
    for (size_t i = 0; bytes && i + 4 < len; i++)
        if (!memcmp(bytes + i, "IDAT", 4)) {
            for (size_t k = i + 8; k < i + 40 && k < len; k++)
                bytes[k] = (char)(bytes[k] ^ 0x5A);
            break;
        }
    CHECK(bytes && dg_write_file_atomic(bad, bytes, len) == 0);
    free(bytes);

    const char *body = "<p>图片：</p><p><img src=\"images/001.png\" alt=\"wide\"/></p>"
                       "<p><img src=\"images/002.png\" alt=\"solid\"/></p>"
                       "<p><img src=\"images/003.png\" alt=\"broken\"/></p>";
    const char *titles[] = {"图片"};
    dg_book *b = fix_book(a, &body, titles, 1);
    CHECK(dg_registry_add_image(&b->reg, wide) != NULL);
    CHECK(dg_registry_add_image(&b->reg, solid) != NULL);
    CHECK(dg_registry_add_image(&b->reg, bad) != NULL);
    dg_diag *d = dg_diag_new(NULL);
    const char *pdf = TEST_BINARY_DIR "/test_pdf_images.pdf";
    CHECK(write_fix(b, fonts, pdf, d) == 0);
    CHECK_CONTAINS(dg_diag_text(d), "broken.png");
    CHECK_CONTAINS(dg_diag_text(d), "cannot decode");
    dg_diag_free(d);
    char *out = run(a, "pdfimages -list " TEST_BINARY_DIR "/test_pdf_images.pdf 2>&1", NULL);
    CHECK_CONTAINS(out, "image    2000    50  rgb");
    CHECK_CONTAINS(out, "smask    2000    50  gray");
    CHECK_CONTAINS(out, "image     300   200  rgb");
    check_qpdf(a, pdf);
    CHECK(count_colour(a, pdf, red) > 50);
    CHECK(count_colour(a, pdf, blue) > 50);
}

/* A glyph beyond the BMP is drawn as an image even when its font also sets
 * text of the book: libharu cannot encode it (UTF-16 surrogates), so set
 * as text it would leave a blank with nothing for text extraction, and the
 * full stop after it would start a line of its own there (pdf-lint's
 * kinsoku in the complete volume of a weekly).  Here U+263A puts the font
 * that has the emoji (DejaVu Sans) into use. */
static void test_astral_in_text_font(dg_arena *a, dg_fonts *fonts)
{
    const char *body = "<p>☺ 笑脸 😀。</p>";
    const char *titles[] = {"符号"};
    dg_diag *d = dg_diag_new(NULL);
    const char *pdf = TEST_BINARY_DIR "/test_pdf_astral.pdf";
    CHECK(write_fix(fix_book(a, &body, titles, 1), fonts, pdf, d) == 0);
    dg_diag_free(d);
    /* the face the emoji is drawn from is in the PDF for U+263A */
    char *fonts_out = run(a, "pdffonts " TEST_BINARY_DIR "/test_pdf_astral.pdf 2>&1", NULL);
    CHECK_CONTAINS(fonts_out, "DejaVuSans");
    /* the emoji drawn as an image whose ActualText gives it back, on one
     * line with the full stop */
    char *out = run(a, "pdfimages -list " TEST_BINARY_DIR "/test_pdf_astral.pdf 2>&1", NULL);
    CHECK_CONTAINS(out, "smask");
    char *txt =
        run(a, "pdftotext -raw " TEST_BINARY_DIR "/test_pdf_astral.pdf - 2>/dev/null", NULL);
    CHECK_CONTAINS(txt, "😀。");
    check_qpdf(a, pdf);
}

int main(void)
{
    static const char *const tools[] = {"qpdf",      "pdffonts", "pdftotext", "pdfinfo",
                                        "pdfimages", "pdftoppm", "mutool",    NULL};
    if (!test_have_tools(tools))
        return TEST_SKIP;
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_fonts *fonts = dg_fonts_open(NULL, d);
    CHECK(fonts != NULL);
    if (!fonts) {
        fprintf(stderr, "%s", dg_diag_text(d));
        TEST_DONE();
    }
    test_layout_keep(a, fonts);
    const char *p1 = TEST_BINARY_DIR "/test_pdf_1.pdf";
    const char *p2 = TEST_BINARY_DIR "/test_pdf_2.pdf";
    CHECK(write_book(a, fonts, d, p1) == 0);
    CHECK(write_book(a, fonts, d, p2) == 0);
    if (dg_diag_errors(d))
        fprintf(stderr, "%s", dg_diag_text(d));
    /* U+E123 has no font: reported (once), drawn as a box; the emoji (beyond
     * the BMP) is a glyph image */
    CHECK_CONTAINS(dg_diag_text(d), "E123");

    char *x1 = NULL, *x2 = NULL;
    size_t n1 = 0, n2 = 0;
    CHECK(dg_read_file(p1, &x1, &n1) == 0);
    CHECK(dg_read_file(p2, &x2, &n2) == 0);
    CHECK(n1 == n2 && x1 && x2 && memcmp(x1, x2, n1) == 0);
    CHECK(n1 > 1000 && n1 < 200 * 1024);
    { /* libharu's document goes through a scratch file that has no name: in
       * a folder of its own the PDF is all that is ever there */
        const char *dir = TEST_BINARY_DIR "/test_pdf_alone";
        CHECK(system("rm -rf " TEST_BINARY_DIR "/test_pdf_alone") == 0);
        CHECK(mkdir(dir, 0755) == 0);
        CHECK(write_book(a, fonts, d, TEST_BINARY_DIR "/test_pdf_alone/book.pdf") == 0);
        char *ls = run(a, "ls -A " TEST_BINARY_DIR "/test_pdf_alone", NULL);
        CHECK_STR(ls, "book.pdf\n");
        char *x3 = NULL;
        size_t n3 = 0;
        CHECK(dg_read_file(TEST_BINARY_DIR "/test_pdf_alone/book.pdf", &x3, &n3) == 0);
        CHECK(n3 == n2 && x3 && x2 && memcmp(x3, x2, n2) == 0);
        free(x3);
    }
    /* the small objects are packed in compressed object streams (qpdf) */
    CHECK(x1 && has_bytes(x1, n1, "/ObjStm", 7));
    free(x1);
    /* links: the URI percent-encoded to ASCII; contents entries go to
     * destinations.  Read from an unpacked copy (qpdf writes "/" plainly). */
    { /* links and fonts, read from an unpacked copy */
        CHECK(system("qpdf --qdf --object-streams=disable " TEST_BINARY_DIR "/test_pdf_1.pdf " TEST_BINARY_DIR
                     "/test_pdf_1.qdf") == 0);
        CHECK(dg_read_file(TEST_BINARY_DIR "/test_pdf_1.qdf", &x1, &n1) == 0);
        static const char uri[] = "/URI (https://example.com/%E8%B7%AF%E5%BE%84?q=%E4%B8%AD%E6%96%87)";
        CHECK(x1 && has_bytes(x1, n1, uri, sizeof uri - 1));
        CHECK(x1 && has_bytes(x1, n1, "/XYZ", 4));
        /* the fonts digest embeds itself: a FontFile2 with its length, no
         * marker left behind, link rectangles in whole points */
        CHECK(x1 && has_bytes(x1, n1, "/FontFile2", 10));
        CHECK(x1 && has_bytes(x1, n1, "/Length1", 8));
        CHECK(x1 && !has_bytes(x1, n1, "/DGFont", 7));
        CHECK(x1 && !has_bytes(x1, n1, "/Length2", 8));
        free(x1);
        unlink(TEST_BINARY_DIR "/test_pdf_1.qdf");
    }
    free(x2);
    /* no temporary files left next to the output */
    char *ls = run(a, "ls " TEST_BINARY_DIR " | grep -c 'test_pdf_1.pdf.' || true", NULL);
    CHECK(ls && atoi(ls) == 0);

    { /* every font embedded and subset, with a ToUnicode map (poppler) */
        int st = 0;
        char *out = run(a, "pdffonts " TEST_BINARY_DIR "/test_pdf_1.pdf 2>&1", &st);
        CHECK(st == 0);
        int fonts_seen = 0;
        for (char *line = out; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = 0;
            if (strstr(line, "CID TrueType")) {
                fonts_seen++;
                CHECK_CONTAINS(line, "yes yes yes");
                CHECK(line[6] == '+'); /* subset tag */
            }
            line = nl ? nl + 1 : NULL;
        }
        CHECK(fonts_seen >= 2); /* regular, bold, mono */
    }
    { /* the text extractable, without a complaint */
        char *err = run(a, "pdftotext " TEST_BINARY_DIR "/test_pdf_1.pdf /dev/null 2>&1", NULL);
        CHECK_STR(err, "");
        char *txt = run(a, "pdftotext " TEST_BINARY_DIR "/test_pdf_1.pdf - 2>/dev/null", NULL);
        CHECK_CONTAINS(txt, "中文排版需要注意标点");
        CHECK_CONTAINS(txt, "嵌套的一项");
        CHECK_CONTAINS(txt, "第二篇文章的正文");
        CHECK_CONTAINS(txt, "https://example.com/");
        CHECK_CONTAINS(txt, "脚注的内容");
        CHECK_CONTAINS(txt, "目录");
    }
    { /* the metadata; the dates as written (pdfinfo would show them in the
       * local zone, and the test must not depend on TZ): UTC */
        char *out = run(a, "pdfinfo -rawdates " TEST_BINARY_DIR "/test_pdf_1.pdf 2>&1", NULL);
        CHECK_CONTAINS(out, "测试站 · 2025年3月");
        CHECK_CONTAINS(out, "分享, test");
        CHECK_CONTAINS(out, "CreationDate:    D:20250302000000Z");
        CHECK_CONTAINS(out, "ModDate:         D:20250302000000Z");
        CHECK_CONTAINS(out, "Pages:           4");
    }
    {
        char *out = run(a, "pdfimages -list " TEST_BINARY_DIR "/test_pdf_1.pdf 2>&1", NULL);
        CHECK_CONTAINS(out, "smask");
    }
    check_qpdf(a, TEST_BINARY_DIR "/test_pdf_1.pdf");
    { /* the outline (MuPDF) */
        char *out = run(a, "mutool show " TEST_BINARY_DIR "/test_pdf_1.pdf outline 2>&1", NULL);
        CHECK_CONTAINS(out, "第一篇：排版测试");
        CHECK_CONTAINS(out, "引言");
        CHECK_CONTAINS(out, "第二篇的小节");
    }
    test_images(a, fonts);
    test_astral_in_text_font(a, fonts);
    dg_fonts_close(fonts);
    dg_diag_free(d);
    dg_arena_free(a);
    TEST_DONE();
}

/* test_url.c - the URL rules of content/url.h (schemes, escaping, the links
 * and images a book keeps) and the date labels of content/book.h. */
#include <string.h>

#include "content/book.h"
#include "content/url.h"
#include "test.h"

static void test_scheme(void)
{
    char s[DG_URL_SCHEME_MAX + 1];
    dg_url_scheme("HTTPS://example.com", s);
    CHECK_STR(s, "https");
    dg_url_scheme("  jav\tascript:alert(1)", s); /* browsers ignore the tab */
    CHECK_STR(s, "javascript");
    dg_url_scheme("img/a.png", s);
    CHECK_STR(s, "");
    dg_url_scheme("C:\\x.png", s);
    CHECK_STR(s, "c");
    dg_url_scheme("1http://x", s); /* a scheme starts with a letter */
    CHECK_STR(s, "");
    dg_url_scheme("averyveryverylongscheme:x", s);
    CHECK_STR(s, "");
    CHECK(dg_url_has_scheme("https://x"));
    CHECK(dg_url_has_scheme("//host/a.png"));
    CHECK(dg_url_has_scheme("data:image/png;base64,AA"));
    CHECK(dg_url_has_scheme(" mailto:a@b"));
    CHECK(!dg_url_has_scheme("C:/x.png")); /* a drive */
    CHECK(!dg_url_has_scheme("/img/a.png"));
    CHECK(!dg_url_has_scheme("a:b/../x")); /* one letter: no scheme */
}

static void test_escape(void)
{
    dg_arena *a = dg_arena_new();
    CHECK_STR(dg_url_escape(a, "https://example.com/a b\"<>.png"),
              "https://example.com/a%20b%22%3C%3E.png");
    CHECK_STR(dg_url_escape(a, "https://例子.com/路径"),
              "https://xn--fsqu00a.com/%E8%B7%AF%E5%BE%84");
    CHECK_STR(dg_url_escape(a, "https://%E4%BE%8B%E5%AD%90.com:8080/x"),
              "https://xn--fsqu00a.com:8080/x");
    CHECK_STR(dg_url_escape(a, ""), "");
    CHECK_STR(dg_url_clean(a, "https://x/a b#c#d%zz%41"), "https://x/a%20b#c%23d%25zz%41");
    CHECK_STR(dg_url_decode(a, "a%20b%00c%4", 11), "a b%00c%4");
    CHECK_STR(dg_url_trim(a, " \t x \n"), "x");
    dg_arena_free(a);
}

static void test_web_and_link(void)
{
    dg_arena *a = dg_arena_new();
    CHECK_STR(dg_url_web(a, " //host/a.png "), "https://host/a.png");
    CHECK_STR(dg_url_web(a, "HTTP://host/a.png"), "HTTP://host/a.png");
    CHECK(dg_url_web(a, "ftp://host/a.png") == NULL);
    CHECK(dg_url_web(a, "img/a.png") == NULL);
    CHECK_STR(dg_url_link(a, "#sec"), "#sec");
    CHECK(dg_url_link(a, "#") == NULL);
    CHECK_STR(dg_url_link(a, "mailto:a@b.c"), "mailto:a@b.c");
    CHECK_STR(dg_url_link(a, "tel:+1 555"), "tel:+1%20555");
    CHECK(dg_url_link(a, "javascript:alert(1)") == NULL);
    CHECK(dg_url_link(a, "java\nscript:alert(1)") == NULL);
    CHECK(dg_url_link(a, "data:text/html,x") == NULL);
    CHECK(dg_url_link(a, "../other-post.html") == NULL);
    dg_arena_free(a);
}

static void test_core(void)
{
    size_t n;
    const char *c = dg_url_core("https://www.example.org/a/ ", &n);
    CHECK(n == 13 && !strncmp(c, "example.org/a", n));
    c = dg_url_core("example.org/a", &n);
    CHECK(n == 13 && !strncmp(c, "example.org/a", n));
    c = dg_url_core("mailto:someone@example.org", &n);
    CHECK(n == 19 && !strncmp(c, "someone@example.org", n));
    c = dg_url_core("ftp://x", &n);
    CHECK(n == 7);
}

static void test_labels(void)
{
    dg_arena *a = dg_arena_new();
    CHECK_STR(dg_format_date(a, "en", 2025, 3, 2), "2 March 2025");
    CHECK_STR(dg_format_date(a, "zh-CN", 2025, 3, 2), "2025年3月2日");
    CHECK_STR(dg_format_date(a, "ja", 2025, 12, 31), "2025年12月31日");
    CHECK_STR(dg_format_date(a, "en", 2025, 1, 9), "9 January 2025");
    CHECK_STR(dg_format_date(a, "en", 2025, 13, 2), "2025-13-02");
    CHECK_STR(dg_format_date(a, "zh", 2025, 0, 2), "2025-00-02");
    CHECK_STR(dg_format_month(a, "en-GB", 2024, 9), "September 2024");
    CHECK_STR(dg_format_month(a, "zh-TW", 2024, 9), "2024年9月");
    CHECK_STR(dg_format_month(a, NULL, 2024, 12), "2024年12月"); /* no language: Chinese */
    dg_arena_free(a);
}

int main(void)
{
    test_scheme();
    test_escape();
    test_web_and_link();
    test_core();
    test_labels();
    TEST_DONE();
}

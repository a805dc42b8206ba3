/* test_url_host.c - a link's host as the book keeps it (issue 9, item 7):
 * percent-escapes in a host are decoded only when the result is a host name
 * (an IDN, written by cmark as escaped UTF-8); escapes that decode to
 * characters no host may hold stay as written in an escaped URL, and a link
 * to such a host becomes text (epubcheck refuses it escaped or not). */
#include "content/url.h"
#include "test.h"

int main(void)
{
    dg_arena *a = dg_arena_new();
    /* the link: '*' is no host character; escaped, the URL keeps
     * its escapes; as a link, it becomes text */
    CHECK_STR(dg_url_escape(a, "https://read.example%2A%2A/p/x"),
              "https://read.example%2A%2A/p/x");
    CHECK(dg_url_link(a, "https://read.example%2A%2A/p/x") == NULL);
    CHECK(dg_url_bad_host(a, "https://read.example%2A%2A/p/x"));
    /* other escapes that decode to no host: space, '/', '%', '_', a
     * control character, an empty label */
    CHECK_STR(dg_url_escape(a, "https://a%20b.example/"), "https://a%20b.example/");
    CHECK(!dg_url_link(a, "https://a%20b.example/") && dg_url_bad_host(a, "https://a%20b.example/"));
    CHECK_STR(dg_url_escape(a, "https://a%2Fb.example/x"), "https://a%2Fb.example/x");
    CHECK(!dg_url_link(a, "https://a%2Fb.example/x") && dg_url_bad_host(a, "https://a%2Fb.example/x"));
    CHECK_STR(dg_url_escape(a, "https://a%25b.example/"), "https://a%25b.example/");
    CHECK(!dg_url_link(a, "https://a%25b.example/") && dg_url_bad_host(a, "https://a%25b.example/"));
    CHECK_STR(dg_url_escape(a, "https://a%5Fb.example/"), "https://a%5Fb.example/");
    CHECK(!dg_url_link(a, "https://a%5Fb.example/") && dg_url_bad_host(a, "https://a%5Fb.example/"));
    CHECK_STR(dg_url_escape(a, "https://a%01b.example/"), "https://a%01b.example/");
    CHECK(!dg_url_link(a, "https://a%01b.example/") && dg_url_bad_host(a, "https://a%01b.example/"));
    CHECK_STR(dg_url_escape(a, "https://a.%2E.example/"), "https://a.%2E.example/");
    CHECK(!dg_url_link(a, "https://a.%2E.example/") && dg_url_bad_host(a, "https://a.%2E.example/"));
    CHECK_STR(dg_url_escape(a, "https://user@x%2A.example:8080/p"),
              "https://user@x%2A.example:8080/p");
    CHECK(dg_url_link(a, "https://user@x%2A.example:8080/p") == NULL);
    CHECK(dg_url_link(a, "ftp://x%2A.example/") == NULL);
    /* a raw '*' next to a Unicode label: no valid host either */
    CHECK_STR(dg_url_escape(a, "https://\xE4\xBE\x8B*.example/"), "https://%E4%BE%8B*.example/");
    CHECK(dg_url_link(a, "https://\xE4\xBE\x8B*.example/") == NULL);
    /* other links are not refused for their host */
    CHECK(!dg_url_bad_host(a, "https://example.com/a%2A"));
    CHECK(!dg_url_bad_host(a, "javascript:alert(1)"));
    CHECK(!dg_url_bad_host(a, "mailto:a@b.example"));
    /* what is a host still becomes one: escaped letters and IDNs (cmark
     * escapes a Unicode host) */
    CHECK_STR(dg_url_link(a, "https://read.%65xample/p"), "https://read.example/p");
    CHECK_STR(dg_url_link(a, "https://%E4%BE%8B%E5%AD%90.com/a"), "https://xn--fsqu00a.com/a");
    CHECK_STR(dg_url_link(a, "https://\xE4\xBE\x8B\xE5\xAD\x90.com:8080/a b"),
              "https://xn--fsqu00a.com:8080/a%20b");
    CHECK_STR(dg_url_link(a, "https://user@\xE4\xBE\x8B\xE5\xAD\x90.com./"),
              "https://user@xn--fsqu00a.com./");
    /* images keep the escapes (the image is fetched or shown as a placeholder) */
    CHECK_STR(dg_url_web(a, "//img.example%2A/a.png"), "https://img.example%2A/a.png");
    dg_arena_free(a);
    TEST_DONE();
}

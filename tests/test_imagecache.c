/* test_imagecache.c - the index of the cache of fetched images
 * (content/imagecache.c) without the network: parsing (hostile lines
 * skipped), what a lookup decides on a fake clock (DIGEST_TEST_NOW), two
 * caches of one folder merging their changes, least-recently-used
 * eviction, and the sizes image_cache_max takes (dg_parse_size). */
#include "test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/imagecache.h"
#include "digest/config.h"

#define T 1800000000LL

static void set_now(long long t)
{
    char s[32];
    snprintf(s, sizeof s, "%lld", t);
    setenv("DIGEST_TEST_NOW", s, 1);
}

static void test_parse(void)
{
    dg_arena *a = dg_arena_new();
    const char *good = "digest-image-cache 1\n"
                       "483eacc97409588c\t729\tpng\tok\t1796391425\t-\tFri, 04 Dec 2026 13:36:47 "
                       "GMT\t-\thttp://127.0.0.1:55113/pics/chart.png\n"
                       "6302aa056c5019f8\t0\t-\thttp\t1796391408\t-\t-\tHTTP 404\t"
                       "http://127.0.0.1:55113/pics/missing.png\n";
    dg_cache_entry **v;
    size_t bad;
    size_t n = dg_imagecache_parse(good, strlen(good), a, &v, &bad);
    CHECK(n == 2 && bad == 0);
    if (n == 2) {
        CHECK_STR(v[0]->url, "http://127.0.0.1:55113/pics/chart.png");
        CHECK(v[0]->size == 729 && v[0]->status == DG_CACHE_OK && v[0]->time == 1796391425);
        CHECK_STR(v[0]->etag, "");
        CHECK_STR(v[0]->lastmod, "Fri, 04 Dec 2026 13:36:47 GMT");
        CHECK(v[1]->status == DG_CACHE_HTTP);
        CHECK_STR(v[1]->reason, "HTTP 404");
    }
    /* each bad line is skipped and counted: a hash that is not the URL's,
     * too few fields, a size past 64 bits, an unknown status, too many
     * fields, a scheme other than http(s), a NUL in a line */
    const char bads[] = "digest-image-cache 1\n\n"
                        "0000000000000000\t1\tpng\tok\t1\t-\t-\t-\thttp://x/\n"
                        "zz\t1\n"
                        "483eacc97409588c\t99999999999999999999999\tpng\tok\t1\t-\t-\t-\t"
                        "http://127.0.0.1:55113/pics/chart.png\n"
                        "483eacc97409588c\t1\tpng\tbogus\t1\t-\t-\t-\t"
                        "http://127.0.0.1:55113/pics/chart.png\n"
                        "483eacc97409588c\t1\tpng\tok\t1\t-\t-\t-\t-\t"
                        "http://127.0.0.1:55113/pics/chart.png\n"
                        "483eacc97409588c\t1\tpng\tok\t1\t-\t-\t-\tfile:///etc/passwd\n"
                        "483eacc97409588c\t1\tpng\tok\t1\t-\t-\t-\thttp://127.0.0.1:55113/\0x\n";
    n = dg_imagecache_parse(bads, sizeof bads - 1, a, &v, &bad);
    CHECK(n == 0);
    CHECK(bad == 7);
    /* another version's index is not read */
    const char *other = "digest-image-cache 2\n6302aa056c5019f8\t0\t-\thttp\t1\t-\t-\t-\t"
                        "http://127.0.0.1:55113/pics/missing.png\n";
    CHECK(dg_imagecache_parse(other, strlen(other), a, &v, &bad) == 0 && bad == 1);
    dg_arena_free(a);
}

/* Writes an image file for URL into DIR, of SIZE bytes. */
static void put_file(dg_arena *a, const char *dir, const char *url, size_t size)
{
    char *data = calloc(1, size);
    CHECK(dg_write_file_atomic(dg_imagecache_file(a, dir, url), data, size) == 0);
    free(data);
}

static dg_cache_lookup look(dg_imagecache *c, dg_arena *a, const char *url)
{
    const char *file;
    return dg_imagecache_lookup(c, a, url, &file);
}

static void test_lookup(const char *dir)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    const char *ok = "http://h.test/ok.png", *gone = "http://h.test/gone.png",
               *dns = "http://nowhere.test/x.png", *refused = "http://h.test:1/x.png";
    dg_imagecache_opts o = {0};
    set_now(T);
    dg_imagecache *c = dg_imagecache_open(dir, &o);
    CHECK(look(c, a, ok) == DG_LOOKUP_FETCH);
    put_file(a, dir, ok, 100);
    dg_imagecache_record_ok(c, ok, 100, "png", "\"e1\"", NULL);
    dg_imagecache_record_failure(c, gone, DG_CACHE_HTTP, "HTTP 404", false);
    dg_imagecache_record_failure(c, refused, DG_CACHE_UNREACHABLE, "refused", false);
    CHECK(look(c, a, ok) == DG_LOOKUP_HIT);
    CHECK(look(c, a, gone) == DG_LOOKUP_SKIP); /* failed in this build */
    CHECK(dg_imagecache_save(c, d) == 0);
    dg_imagecache_free(c);

    /* an hour later: the failures are remembered */
    set_now(T + 3600);
    c = dg_imagecache_open(dir, &o);
    CHECK(look(c, a, ok) == DG_LOOKUP_HIT);
    CHECK(look(c, a, gone) == DG_LOOKUP_SKIP);
    CHECK(look(c, a, refused) == DG_LOOKUP_SKIP);
    dg_cache_entry e;
    CHECK(dg_imagecache_get(c, a, gone, &e) && e.time == T && !strcmp(e.reason, "HTTP 404"));
    CHECK(dg_imagecache_get(c, a, ok, &e) && !strcmp(e.etag, "\"e1\""));
    dg_imagecache_free(c);
    /* --refresh-images: the failure is tried, the image revalidated */
    dg_imagecache_opts refresh = {.refresh = true};
    c = dg_imagecache_open(dir, &refresh);
    CHECK(look(c, a, gone) == DG_LOOKUP_FETCH);
    CHECK(look(c, a, ok) == DG_LOOKUP_FETCH);
    dg_imagecache_record_same(c, ok);
    CHECK(look(c, a, ok) == DG_LOOKUP_HIT);
    dg_imagecache_free(c); /* not saved */
    /* --offline: what is there, nothing fetched */
    dg_imagecache_opts offline = {.offline = true};
    c = dg_imagecache_open(dir, &offline);
    CHECK(look(c, a, ok) == DG_LOOKUP_HIT);
    CHECK(look(c, a, "http://h.test/new.png") == DG_LOOKUP_SKIP);
    dg_imagecache_free(c);
    /* a day after the failure it is tried again */
    set_now(T + DG_CACHE_RETRY);
    c = dg_imagecache_open(dir, &o);
    CHECK(look(c, a, gone) == DG_LOOKUP_FETCH);
    /* a name that did not resolve while no server answered: not remembered */
    dg_imagecache_record_failure(c, dns, DG_CACHE_UNREACHABLE, "no such name", true);
    CHECK(dg_imagecache_save(c, d) >= 0);
    dg_imagecache_free(c);
    dg_cache_entry **v;
    dg_cache_stats st;
    size_t n = dg_imagecache_read(dir, a, &v, &st);
    CHECK(n == 3);
    for (size_t i = 0; i < n; i++)
        CHECK(strcmp(v[i]->url, dns) != 0);
    /* ... but remembered when some server answered in the build */
    c = dg_imagecache_open(dir, &o);
    dg_imagecache_record_failure(c, dns, DG_CACHE_UNREACHABLE, "no such name", true);
    dg_imagecache_record_failure(c, gone, DG_CACHE_HTTP, "HTTP 404", false);
    CHECK(dg_imagecache_save(c, d) >= 0);
    dg_imagecache_free(c);
    CHECK(dg_imagecache_read(dir, a, &v, &st) == 4);
    CHECK(st.images == 1 && st.bytes == 100);
    CHECK(st.failures[DG_CACHE_HTTP] == 1 && st.failures[DG_CACHE_UNREACHABLE] == 2);
    /* a month later the failures not seen again are forgotten when a build
     * writes the index; the image stays */
    set_now(T + DG_CACHE_FORGET);
    c = dg_imagecache_open(dir, &o);
    CHECK(look(c, a, ok) == DG_LOOKUP_HIT);
    CHECK(dg_imagecache_save(c, d) == 0);
    dg_imagecache_free(c);
    CHECK(dg_imagecache_read(dir, a, &v, &st) == 3); /* the image, dns and gone (T + DAY) */
    set_now(T + DG_CACHE_RETRY + DG_CACHE_FORGET);
    c = dg_imagecache_open(dir, &o);
    CHECK(look(c, a, ok) == DG_LOOKUP_HIT);
    CHECK(dg_imagecache_save(c, d) == 0);
    dg_imagecache_free(c);
    CHECK(dg_imagecache_read(dir, a, &v, &st) == 1 && st.images == 1);
    dg_diag_free(d);
    dg_arena_free(a);
}

/* Two caches of one folder (two builds sharing OUT): each saves its own
 * changes over the other's; LRU eviction keeps the most recently used. */
static void test_merge_evict(const char *dir)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    const char *u[4] = {"https://a.test/1.png", "https://a.test/2.png", "https://a.test/3.png",
                        "https://b.test/4.png"};
    dg_imagecache_opts o = {.max_bytes = 350};
    set_now(T);
    dg_imagecache *c1 = dg_imagecache_open(dir, &o);
    set_now(T + 10);
    dg_imagecache *c2 = dg_imagecache_open(dir, &o);
    put_file(a, dir, u[0], 100);
    dg_imagecache_record_ok(c1, u[0], 100, "png", NULL, NULL); /* used at T */
    put_file(a, dir, u[1], 100);
    dg_imagecache_record_ok(c2, u[1], 100, "png", NULL, NULL); /* at T + 10 */
    CHECK(dg_imagecache_save(c1, d) == 0);
    CHECK(dg_imagecache_save(c2, d) == 0);
    dg_imagecache_free(c1);
    dg_imagecache_free(c2);
    dg_cache_entry **v;
    dg_cache_stats st;
    CHECK(dg_imagecache_read(dir, a, &v, &st) == 2 && st.images == 2 && st.bytes == 200);

    /* u[0] used again at T + 20, then two more images at T + 30: 400 bytes
     * over a limit of 350, u[1] (T + 10) is the least recently used */
    set_now(T + 20);
    dg_imagecache *c3 = dg_imagecache_open(dir, &o);
    const char *file;
    CHECK(dg_imagecache_lookup(c3, a, u[0], &file) == DG_LOOKUP_HIT);
    CHECK(dg_imagecache_save(c3, d) == 0);
    dg_imagecache_free(c3);
    set_now(T + 30);
    dg_imagecache *c4 = dg_imagecache_open(dir, &o);
    put_file(a, dir, u[2], 100);
    dg_imagecache_record_ok(c4, u[2], 100, "png", NULL, NULL);
    put_file(a, dir, u[3], 100);
    dg_imagecache_record_ok(c4, u[3], 100, "png", NULL, NULL);
    CHECK(dg_imagecache_save(c4, d) == 1);
    dg_imagecache_free(c4);
    size_t n = dg_imagecache_read(dir, a, &v, &st);
    CHECK(n == 3 && st.images == 3 && st.bytes == 300);
    CHECK(!dg_is_file(dg_imagecache_file(a, dir, u[1])));
    CHECK(dg_is_file(dg_imagecache_file(a, dir, u[0])));
    for (size_t i = 0; i < n; i++)
        CHECK(strcmp(v[i]->url, u[1]) != 0);

    /* prune to 150 bytes: only the most recent stays; a stray file goes */
    put_file(a, dir, "https://stray.test/", 7);
    size_t removed, dropped;
    uint64_t freed;
    CHECK(dg_imagecache_prune(dir, 150, true, &removed, &dropped, &freed, d) == 0);
    CHECK(removed == 3 && freed == 207 && dropped == 0);
    CHECK(dg_imagecache_read(dir, a, &v, &st) == 1 && st.images == 1 && st.orphans == 0);
    CHECK(dg_imagecache_clear(dir, &removed, &freed, d) == 0 && removed == 1);
    CHECK(dg_imagecache_read(dir, a, &v, &st) == 0 && st.images == 0);
    dg_diag_free(d);
    dg_arena_free(a);
}

static void test_sizes(void)
{
    unsigned long long v = 0;
    CHECK(dg_parse_size("2 GiB", &v) == 0 && v == 2ull << 30);
    CHECK(dg_parse_size("500MB", &v) == 0 && v == 500000000ull);
    CHECK(dg_parse_size("1.5 GiB", &v) == 0 && v == 3ull << 29);
    CHECK(dg_parse_size("64K", &v) == 0 && v == 65536);
    CHECK(dg_parse_size("1234", &v) == 0 && v == 1234);
    CHECK(dg_parse_size("1234 B", &v) == 0 && v == 1234);
    CHECK(dg_parse_size("0", &v) != 0);
    CHECK(dg_parse_size("-1 GiB", &v) != 0);
    CHECK(dg_parse_size("GiB", &v) != 0);
    CHECK(dg_parse_size("2 XB", &v) != 0);
    CHECK(dg_parse_size("2 GiB extra", &v) != 0);
    CHECK(dg_parse_size("", &v) != 0);
}

int main(void)
{
    char tmpl[] = "/tmp/test_imagecache.XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    if (!dir)
        return 1;
    dg_arena *a = dg_arena_new();
    const char *one = dg_path_join(a, dir, "one"), *two = dg_path_join(a, dir, "two");
    CHECK(dg_mkdir_p(one) == 0 && dg_mkdir_p(two) == 0);
    test_parse();
    test_lookup(one);
    test_merge_evict(two);
    test_sizes();
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    dg_arena_free(a);
    return test_failures ? 1 : 0;
}

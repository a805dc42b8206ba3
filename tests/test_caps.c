/* test_caps.c - front matter's size and nesting caps (issue 9, item 5):
 * deep nesting is refused with a positioned error before libyaml sees it, so
 * its cost no longer grows with the square of the depth; nesting under the
 * cap still parses, in time linear in its size. */
#include <string.h>

#include "site/post.h"
#include "site/yaml.h"
#include "test.h"

typedef struct fm_run {
    int rc;
    char log[1024];
} fm_run;

static fm_run parse(const char *text, size_t len)
{
    fm_run r = {0};
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_post p = {0};
    size_t body = 0;
    r.rc = dg_frontmatter_parse(&p, a, "post.md", text, len, &body, d);
    snprintf(r.log, sizeof r.log, "%s", dg_diag_text(d));
    dg_diag_free(d);
    dg_arena_free(a);
    return r;
}

/* "---\ntitle: t\nx: " then DEPTH '[' ... ']' then "\n---\nbody\n". */
static char *flow_nest(size_t depth, size_t *len)
{
    const char *head = "---\ntitle: t\nx: ", *tail = "\n---\nbody\n";
    size_t hl = strlen(head), tl = strlen(tail);
    char *s = malloc(hl + 2 * depth + tl + 1);
    memcpy(s, head, hl);
    memset(s + hl, '[', depth);
    memset(s + hl + depth, ']', depth);
    memcpy(s + hl + 2 * depth, tail, tl + 1);
    *len = hl + 2 * depth + tl;
    return s;
}

static double run_deep(void *ctx, size_t n)
{
    (void)ctx;
    size_t len;
    char *s = flow_nest(n, &len);
    double t0 = test_cpu_seconds();
    fm_run r = parse(s, len);
    double t = test_cpu_seconds() - t0;
    free(s);
    CHECK(r.rc == -1);
    return t;
}

static void test_deep_refused(void)
{
    size_t len;
    char *s = flow_nest(100000, &len);
    fm_run r = parse(s, len);
    CHECK(r.rc == -1);
    /* the 64th '[' is the 65th level: the mapping is the first */
    CHECK_CONTAINS(r.log, "post.md:3:67: error: front matter nests deeper than 64 levels; "
                          "post left out");
    free(s);

    /* 64 levels in all (the mapping and 63 lists) still parse */
    s = flow_nest(63, &len);
    r = parse(s, len);
    CHECK(r.rc == 0);
    CHECK_STR(r.log, "");
    free(s);
    s = flow_nest(64, &len);
    r = parse(s, len);
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:3:67: error: front matter nests deeper than 64 levels");
    free(s);

    /* the refusal's cost grows no faster than the text (before the cap:
     * about 16 times for 4 times the depth, inside libyaml).  3,000 and
     * 12,000 levels: inputs small enough for the caches, whose edge made the
     * ratio of 12,500 against 50,000 wander from 2 to over 6 */
    double g = test_growth("deep flow front matter", run_deep, NULL, 3000);
    CHECK(g < TEST_LINEAR_GROWTH);
}

/* Block nesting: "- " items and "key:" lines, each one level deeper. */
static void test_block(void)
{
    dg_buf b = {0};
    dg_buf_puts(&b, "---\ntitle: t\nx:\n");
    for (int i = 0; i < 70; i++) {
        for (int k = 0; k <= i; k++)
            dg_buf_puts(&b, "  ");
        dg_buf_puts(&b, i % 2 ? "- \n" : "k:\n");
    }
    dg_buf_puts(&b, "---\n");
    fm_run r = parse(b.data, b.len);
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "front matter nests deeper than 64 levels");
    dg_buf_free(&b);

    /* compact sequences "- - - x" nest on one line */
    dg_buf_puts(&b, "---\ntitle: t\nx:\n  ");
    for (int i = 0; i < 70; i++)
        dg_buf_puts(&b, "- ");
    dg_buf_puts(&b, "x\n---\n");
    r = parse(b.data, b.len);
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "front matter nests deeper than 64 levels");
    dg_buf_free(&b);

    /* what is not nesting: brackets in quoted and plain scalars, in a block
     * scalar and in comments */
    dg_buf_puts(&b, "---\ntitle: 'it''s [[[[");
    for (int i = 0; i < 100; i++)
        dg_buf_puts(&b, "[{");
    dg_buf_puts(&b, "'\nsubtitle: \"\\\" [[[[");
    for (int i = 0; i < 100; i++)
        dg_buf_puts(&b, "[");
    dg_buf_puts(&b, "\"\ndescription: a [");
    for (int i = 0; i < 100; i++)
        dg_buf_puts(&b, "[");
    dg_buf_puts(&b, "\nauthor: |\n  ");
    for (int i = 0; i < 100; i++)
        dg_buf_puts(&b, "[");
    dg_buf_puts(&b, "\n  more\n# ");
    for (int i = 0; i < 100; i++)
        dg_buf_puts(&b, "[");
    dg_buf_puts(&b, "\ntags: [a, 'b[[[[[[', \"c{{{{{{{\"] # [[[[[[[[[[\n---\nbody\n");
    r = parse(b.data, b.len);
    CHECK(r.rc == 0);
    CHECK_STR(r.log, "");
    dg_buf_free(&b);
}

/* Nesting under the cap costs time linear in the front matter's size. */
static double run_wide(void *ctx, size_t n)
{
    (void)ctx;
    dg_buf b = {0};
    dg_buf_puts(&b, "---\ntitle: t\n");
    for (size_t i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%zu: ", i);
        dg_buf_puts(&b, key);
        for (int k = 0; k < 60; k++)
            dg_buf_puts(&b, "[");
        dg_buf_puts(&b, "x");
        for (int k = 0; k < 60; k++)
            dg_buf_puts(&b, "]");
        dg_buf_puts(&b, "\n");
    }
    dg_buf_puts(&b, "---\nbody\n");
    double t0 = test_cpu_seconds();
    fm_run r = parse(b.data, b.len);
    double t = test_cpu_seconds() - t0;
    CHECK(r.rc == 0);
    dg_buf_free(&b);
    return t;
}

static void test_size(void)
{
    /* 1,500 lines of 130 bytes: under 256 KiB */
    double g = test_growth("wide front matter under the caps", run_wide, NULL, 375);
    CHECK(g < TEST_LINEAR_GROWTH);

    /* past 256 KiB: refused at the opening fence */
    dg_buf b = {0};
    dg_buf_puts(&b, "\n---\ntitle: t\n");
    while (b.len < 256 * 1024)
        dg_buf_puts(&b, "# a comment line of front matter that nobody needs\n");
    dg_buf_puts(&b, "---\nbody\n");
    fm_run r = parse(b.data + 1, b.len - 1);
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:1:1: error: front matter is larger than 256 KiB; post left out");
    dg_buf_free(&b);

    /* TOML front matter: the same size cap; arrays nest at most 32 deep */
    dg_buf_puts(&b, "+++\ntitle = 't'\n");
    while (b.len < 256 * 1024)
        dg_buf_puts(&b, "# a comment line of front matter that nobody needs\n");
    dg_buf_puts(&b, "+++\nbody\n");
    r = parse(b.data, b.len);
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:1:1: error: front matter is larger than 256 KiB; post left out");
    dg_buf_free(&b);
    dg_buf_puts(&b, "+++\ntitle = 't'\nx = ");
    for (int i = 0; i < 100000; i++)
        dg_buf_puts(&b, "[");
    dg_buf_puts(&b, "\n+++\nbody\n");
    r = parse(b.data, b.len);
    CHECK(r.rc == -1);
    CHECK_CONTAINS(r.log, "post.md:3:37: error: TOML: arrays nested too deeply "
                          "(more than 32 levels)");
    dg_buf_free(&b);
}

/* The pre-scan is in dg_yaml_load: digest.yaml and _config.yml get it too. */
static void test_other_yaml(void)
{
    dg_buf b = {0};
    dg_buf_puts(&b, "title: t\nx: ");
    for (int i = 0; i < 100000; i++)
        dg_buf_puts(&b, "{a: ");
    dg_buf_puts(&b, "\n");
    dg_diag *d = dg_diag_new(NULL);
    dg_yaml_src ys = {"digest.yaml", b.data, b.len, 0, b.len, 0, "YAML", "not read"};
    yaml_document_t doc;
    CHECK(dg_yaml_load(&doc, &ys, DG_ERROR, d) == -1);
    CHECK_CONTAINS(dg_diag_text(d), "digest.yaml:2:");
    CHECK_CONTAINS(dg_diag_text(d), "error: YAML nests deeper than 64 levels; not read");
    dg_diag_free(d);
    dg_buf_free(&b);
}

int main(void)
{
    test_deep_refused();
    test_block();
    test_size();
    test_other_yaml();
    TEST_DONE();
}

/* test_toml.c - the strict TOML reader: the front-matter subset, and errors
 * with their positions. */
#include <string.h>

#include "site/toml.h"
#include "test.h"

static const dg_toml_kv *find(const dg_toml_kv *kv, size_t n, const char *table, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(kv[i].table, table) && !strcmp(kv[i].key, key))
            return &kv[i];
    return NULL;
}

static void test_good(void)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    const char *t = "# comment\n"
                    "title = \"周刊 \\\"引号\\\" \\u4E2D\"   # trailing comment\n"
                    "literal = 'C:\\path\\to'\n"
                    "multi = \"\"\"\nline one\nline two \\\n   joined\"\"\"\n"
                    "rawmulti = '''\nraw \\n kept'''\n"
                    "count = 1_000\n"
                    "hex = 0xff\n"
                    "neg = -12\n"
                    "pi = 3.14\n"
                    "draft = false\n"
                    "date = 2024-05-06T10:00:00+08:00\n"
                    "spaced = 1979-05-27 07:32:00Z\n"
                    "day = 2024-05-06\n"
                    "tags = [\"a\", 'b',\n  \"c\", # comment\n]\n"
                    "nested = [[1, 2], [\"x\"]]\n"
                    "\"quoted key\" = 1\n"
                    "site.name = \"dotted\"\n"
                    "[params]\n"
                    "author = \"甲\"\n"
                    "[[menu.main]]\n"
                    "name = \"home\"\n";
    dg_toml_kv *kv = NULL;
    size_t n = 0;
    CHECK(dg_toml_parse(&kv, &n, a, "t.toml", t, strlen(t), 0, d) == 0);
    CHECK(dg_diag_errors(d) == 0);
    const dg_toml_kv *k;
    CHECK((k = find(kv, n, "", "title")) && k->type == DG_TOML_STRING);
    if (k)
        CHECK_STR(k->str, "周刊 \"引号\" 中");
    CHECK((k = find(kv, n, "", "literal")) && !strcmp(k->str, "C:\\path\\to"));
    CHECK((k = find(kv, n, "", "multi")) && !strcmp(k->str, "line one\nline two joined"));
    CHECK((k = find(kv, n, "", "rawmulti")) && !strcmp(k->str, "raw \\n kept"));
    CHECK((k = find(kv, n, "", "count")) && k->type == DG_TOML_INT && k->i == 1000);
    CHECK((k = find(kv, n, "", "hex")) && k->type == DG_TOML_INT && k->i == 255);
    CHECK((k = find(kv, n, "", "neg")) && k->type == DG_TOML_INT && k->i == -12);
    CHECK((k = find(kv, n, "", "pi")) && k->type == DG_TOML_FLOAT);
    CHECK((k = find(kv, n, "", "draft")) && k->type == DG_TOML_BOOL && !k->b);
    CHECK((k = find(kv, n, "", "date")) && k->type == DG_TOML_DATE &&
          !strcmp(k->str, "2024-05-06T10:00:00+08:00"));
    CHECK((k = find(kv, n, "", "spaced")) && k->type == DG_TOML_DATE &&
          !strcmp(k->str, "1979-05-27 07:32:00Z"));
    CHECK((k = find(kv, n, "", "day")) && k->type == DG_TOML_DATE);
    CHECK((k = find(kv, n, "", "tags")) && k->type == DG_TOML_ARRAY && k->nitems == 3);
    if (k && k->nitems == 3)
        CHECK(!strcmp(k->items[0], "a") && !strcmp(k->items[1], "b") && !strcmp(k->items[2], "c"));
    CHECK((k = find(kv, n, "", "nested")) && k->nitems == 3);
    CHECK(find(kv, n, "", "quoted key") != NULL);
    CHECK(find(kv, n, "", "site.name") != NULL);
    CHECK((k = find(kv, n, "params", "author")) && !strcmp(k->str, "甲"));
    CHECK((k = find(kv, n, "", "title")) && k->line == 2 && k->col == 9);
    CHECK(find(kv, n, "menu.main", "name") != NULL);
    dg_diag_free(d);
    dg_arena_free(a);
}

/* Each bad input gives one error at the given position. */
static void bad(const char *text, const char *want)
{
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_toml_kv *kv;
    size_t n;
    CHECK(dg_toml_parse(&kv, &n, a, "fm.toml", text, strlen(text), 0, d) == -1);
    CHECK(dg_diag_errors(d) == 1);
    CHECK_CONTAINS(dg_diag_text(d), want);
    dg_diag_free(d);
    dg_arena_free(a);
}

static void test_bad(void)
{
    bad("title = \"never closed\n", "fm.toml:1:22: error: TOML: string not closed on its line");
    bad("a = 1\ntitle = \"\"\"\nopen\n", "fm.toml:2:9: error: TOML: string never closed");
    bad("author = { name = \"x\" }\n", "fm.toml:1:10: error: TOML: inline tables");
    bad("title = plain words\n", "fm.toml:1:9: error: TOML: not a TOML value: plain");
    bad("title = 中文\n", "fm.toml:1:9: error: TOML: expected a value");
    bad("a = 1\na = 2\n", "fm.toml:2:1: error: TOML: key defined twice: a");
    bad("tags = [\"a\" \"b\"]\n", "fm.toml:1:13: error: TOML: expected ',' or ']'");
    bad("tags = [\"a\",\n", "fm.toml:1:8: error: TOML: array never closed");
    bad("title\n", "fm.toml:1:6: error: TOML: expected '=' after the key");
    bad("x = 1 2\n", "fm.toml:1:7: error: TOML: expected the end of the line");
    bad("[params\nx = 1\n", "fm.toml:1:8: error: TOML: expected ']'");
    bad("x = \"\\q\"\n", "fm.toml:1:6: error: TOML: bad escape");
    bad("x = 012\n", "fm.toml:1:5: error: TOML: not a TOML value: 012");
    bad("x =\n", "fm.toml:1:4: error: TOML: expected a value after '='");
    /* positions shift by LINE0 when the TOML sits inside a file */
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_toml_kv *kv;
    size_t n;
    const char *file = "+++\ntitle = \"ok\"\ndate = nope\n+++\n";
    CHECK(dg_toml_parse_in(&kv, &n, a, "post.md", file + 4, 25, 1, file, strlen(file), d) == -1);
    CHECK_CONTAINS(dg_diag_text(d), "post.md:3:8: error: TOML: not a TOML value: nope");
    CHECK_CONTAINS(dg_diag_text(d), "date = nope");
    CHECK(n == 1);
    dg_diag_free(d);
    dg_arena_free(a);
}

static void test_deep(void)
{
    /* Arrays nested past the cap are refused, not a stack overflow. */
    char buf[300];
    size_t k = 0;
    k += (size_t)snprintf(buf, sizeof buf, "x = ");
    for (int i = 0; i < 100 && k < sizeof buf - 2; i++)
        buf[k++] = '[';
    buf[k] = 0;
    dg_arena *a = dg_arena_new();
    dg_diag *d = dg_diag_new(NULL);
    dg_toml_kv *kv;
    size_t n;
    CHECK(dg_toml_parse(&kv, &n, a, "deep.toml", buf, k, 0, d) == -1);
    CHECK_CONTAINS(dg_diag_text(d), "nested too deeply");
    dg_diag_free(d);
    dg_arena_free(a);
}

int main(void)
{
    test_good();
    test_bad();
    test_deep();
    TEST_DONE();
}

/* test_glob.c - the --include/--exclude patterns (site/glob.c). */
#include <string.h>

#include "site/glob.h"
#include "test.h"

static void test_components(void)
{
    /* '*' and '?' stay within one component */
    CHECK(dg_glob_match("posts/*.md", "posts/a.md"));
    CHECK(!dg_glob_match("posts/*.md", "posts/a/b.md"));
    CHECK(dg_glob_match("posts/?.md", "posts/a.md"));
    CHECK(!dg_glob_match("posts/?.md", "posts/ab.md"));
    CHECK(!dg_glob_match("a?b", "a/b"));
    CHECK(dg_glob_match("*", "x"));
    CHECK(dg_glob_match("a*", "a"));
    /* '?' is one whole UTF-8 character */
    CHECK(dg_glob_match("?.md", "中.md"));
    CHECK(!dg_glob_match("??.md", "中.md"));
    CHECK(dg_glob_match("docs/??.md", "docs/周刊.md"));
}

static void test_double_star(void)
{
    CHECK(dg_glob_match("**", "x/y/z"));
    CHECK(dg_glob_match("posts/**/*.md", "posts/a/b.md"));
    CHECK(dg_glob_match("posts/**/*.md", "posts/a/b/c/d.md"));
    CHECK(dg_glob_match("posts/**/*.md", "posts/b.md")); /* "**" + "/" matches no folder */
    CHECK(!dg_glob_match("posts/**/*.md", "other/b.md"));
    CHECK(dg_glob_match("**/2024/*", "content/posts/2024/x.md"));
    CHECK(dg_glob_match("daily/2025/202509/**", "daily/2025/202509/a/b.md"));
}

static void test_classes(void)
{
    CHECK(dg_glob_match("issue-[0-9]*.md", "docs/issue-12.md"));
    CHECK(!dg_glob_match("issue-[!0-9]*.md", "docs/issue-12.md"));
    CHECK(dg_glob_match("issue-[^0-9]*.md", "issue-x.md"));
    CHECK(dg_glob_match("[ab].md", "b.md"));
    CHECK(!dg_glob_match("[ab].md", "c.md"));
    CHECK(dg_glob_match("[]].md", "].md")); /* a ']' first is a member */
    CHECK(!dg_glob_match("a[/]b", "a/b")); /* a class never matches '/' */
    CHECK(dg_glob_match("a[b", "a[b"));    /* no closing bracket: a literal '[' */
    CHECK(dg_glob_match("\\*.md", "*.md"));
    CHECK(!dg_glob_match("\\*.md", "x.md"));
}

static void test_anchoring(void)
{
    /* without '/', any one component may match (as .gitignore) */
    CHECK(dg_glob_match("*.md", "a/b/c.md"));
    CHECK(dg_glob_match("drafts", "posts/drafts/x.md"));
    CHECK(dg_glob_match("posts", "posts/x.md"));
    CHECK(!dg_glob_match("draft", "posts/drafts/x.md"));
    /* with '/', the whole path; a leading '/' anchors at the start */
    CHECK(dg_glob_match("/posts/*.md", "posts/x.md"));
    CHECK(!dg_glob_match("b/*.md", "a/b/x.md"));
    CHECK(!dg_glob_match("x.md", "x.mdx"));
    CHECK(dg_glob_match("", "") && !dg_glob_match("", "a"));
}

/* A hostile pattern fails within the step cap instead of running long: a
 * run of stars against a long name that never matches. */
static void test_pathological(void)
{
    char pat[64], path[300];
    strcpy(pat, "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
    memset(path, 'a', sizeof path - 1);
    path[sizeof path - 1] = 0;
    CHECK(!dg_glob_match(pat, path));
    strcpy(pat, "**/**/**/**/**/**/**/**/**/z");
    for (size_t i = 0; i + 1 < sizeof path; i++)
        path[i] = i % 2 ? '/' : 'a';
    CHECK(!dg_glob_match(pat, path));
}

int main(void)
{
    test_components();
    test_double_star();
    test_classes();
    test_anchoring();
    test_pathological();
    TEST_DONE();
}

/* test_template.c - template expansion and the lookup order of templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "epub/template.h"
#include "test.h"

static char *expand(dg_arena *a, const char *tpl)
{
    static const dg_var vars[] = {
        {"name", "A & B <c> \"q\""},
        {"raw", "<b>bold</b>"},
        {"empty", ""},
        {"zh", "中文标题"},
    };
    return dg_template_expand(a, tpl, vars, sizeof vars / sizeof vars[0]);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

int main(void)
{
    dg_arena *a = dg_arena_new();

    /* Escaped, raw, unknown. */
    CHECK_STR(expand(a, "x{{name}}y"), "xA &amp; B &lt;c&gt; &quot;q&quot;y");
    CHECK_STR(expand(a, "{{{raw}}}"), "<b>bold</b>");
    CHECK_STR(expand(a, "{{raw}}"), "&lt;b&gt;bold&lt;/b&gt;");
    CHECK_STR(expand(a, "[{{nope}}][{{{nope}}}]"), "[][]");
    CHECK_STR(expand(a, "{{ zh }}"), "中文标题");
    CHECK_STR(expand(a, ""), "");
    CHECK_STR(dg_template_expand(a, NULL, NULL, 0), "");

    /* Sections: set, empty, unknown, nested, inverted. */
    CHECK_STR(expand(a, "a{{#zh}}<{{zh}}>{{/zh}}b"), "a<中文标题>b");
    CHECK_STR(expand(a, "a{{#empty}}hidden{{/empty}}b"), "ab");
    CHECK_STR(expand(a, "a{{#nope}}hidden{{{raw}}}{{/nope}}b"), "ab");
    CHECK_STR(expand(a, "{{#zh}}1{{#empty}}2{{#zh}}3{{/zh}}4{{/empty}}5{{/zh}}"), "15");
    CHECK_STR(expand(a, "{{#empty}}1{{#zh}}2{{/zh}}3{{/empty}}4"), "4");
    CHECK_STR(expand(a, "{{^empty}}none{{/empty}}{{^zh}}no{{/zh}}"), "none");
    /* A stray closing tag is ignored. */
    CHECK_STR(expand(a, "a{{/zh}}b"), "ab");

    /* Comments vanish; unclosed braces and non-names stay as text. */
    CHECK_STR(expand(a, "a{{! a comment\n over lines }}b"), "ab");
    CHECK_STR(expand(a, "a {{name"), "a {{name");
    CHECK_STR(expand(a, "css { a { b: c } } {{}}"), "css { a { b: c } } {{}}");
    CHECK_STR(expand(a, "{{bad\nname}}"), "{{bad\nname}}");

    /* Lookup order: the site's override first, then the installed or source
     * templates; names with a slash are refused. */
    dg_diag *d = dg_diag_new(NULL);
    char site[512];
    snprintf(site, sizeof site, "%s/template-site-%ld", TEST_BINARY_DIR, (long)getpid());
    char *tdir = dg_sprintf(a, "%s/_digest/templates", site);
    CHECK(dg_mkdir_p(tdir) == 0);
    write_text(dg_sprintf(a, "%s/cover.xhtml", tdir), "site cover {{title}}");

    const char *t = dg_template_load(a, tdir, "cover.xhtml", d);
    CHECK_STR(t, "site cover {{title}}");
    t = dg_template_load(a, NULL, "cover.xhtml", d);
    CHECK(t && strstr(t, "{{{posts}}}") != NULL);
    t = dg_template_load(a, tdir, "style.css", d);
    CHECK(t && strstr(t, "line-height") != NULL);
    t = dg_template_load(a, tdir, "chapter-head.xhtml", d);
    CHECK(t && strstr(t, "{{title}}") != NULL);
    t = dg_template_load(a, tdir, "chapter.xhtml", d);
    CHECK(t && strstr(t, "{{{body}}}") != NULL);
    CHECK(dg_diag_errors(d) == 0);

    CHECK(dg_template_load(a, tdir, "no-such-template.xhtml", d) == NULL);
    CHECK(dg_diag_errors(d) == 1);
    CHECK_CONTAINS(dg_diag_text(d), "no-such-template.xhtml");
    CHECK(dg_template_load(a, tdir, "../cover.xhtml", d) == NULL);
    CHECK(dg_diag_errors(d) == 2);

    /* Every shipped template documents its placeholders in a comment that
     * expands to nothing. */
    static const char *const names[] = {"cover.xhtml", "chapter.xhtml", "chapter-head.xhtml"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *src = dg_template_load(a, NULL, names[i], d);
        CHECK(src && strstr(src, "Placeholders:") != NULL);
        char *out = dg_template_expand(a, src, NULL, 0);
        CHECK_NOT_CONTAINS(out, "Placeholders");
        CHECK_NOT_CONTAINS(out, "{{");
    }

    unlink(dg_sprintf(a, "%s/cover.xhtml", tdir));
    rmdir(tdir);
    rmdir(dg_sprintf(a, "%s/_digest", site));
    rmdir(site);
    dg_diag_free(d);
    dg_arena_free(a);
    TEST_DONE();
}

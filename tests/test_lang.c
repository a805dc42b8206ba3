/* test_lang.c - language tags (site/lang.h) and each post's language: the
 * normalization table, names of folders and files, detection from text,
 * and the order of the sources on the fixture sites tests/fixtures/lang. */
#include <string.h>

#include "site/lang.h"
#include "site/site.h"
#include "test.h"

#define FIX TEST_SOURCE_DIR "/fixtures/lang"

static void test_normalize(void)
{
    static const struct {
        const char *in, *out; /* out NULL: not a tag */
    } rows[] = {
        {"zh_CN", "zh-CN"},
        {"en-us", "en-US"},
        {"EN", "en"},
        {"zh-hant-tw", "zh-Hant-TW"},
        {"zh-Hans", "zh-Hans"},
        {"ja_JP.UTF-8", "ja-JP"},
        {"de_DE@euro", "de-DE"},
        {" pt-br ", "pt-BR"},
        {"es-419", "es-419"},
        {"de-CH-1996", "de-CH-1996"},
        {"en-US-x-twain", "en-US-x-twain"},
        {"English", "en"},
        {"简体中文", "zh-CN"},
        {"日本語", "ja"},
        {"", NULL},
        {"e", NULL},
        {"english language", NULL},
        {"en-", NULL},
        {"en--us", NULL},
        {"en-foo", NULL},
        {"1en", NULL},
        {"zh-CN-", NULL},
        {"abcdefghijklmnopqrstuvwxyz-abcdefgh-abcdefgh", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char out[DG_LANG_MAX];
        int rc = dg_lang_normalize(rows[i].in, strlen(rows[i].in), out);
        if (rows[i].out) {
            CHECK(rc == 0);
            CHECK_STR(out, rows[i].out);
        } else {
            if (rc == 0)
                fprintf(stderr, "'%s' taken as '%s'\n", rows[i].in, out);
            CHECK(rc != 0);
            CHECK_STR(out, "");
        }
    }
}

static void test_names(void)
{
    dg_arena *a = dg_arena_new();
    static const struct {
        const char *name, *lang;
    } rows[] = {
        {"en", "en"},
        {"ja", "ja"},
        {"zh-tw", "zh-TW"},
        {"zh_CN", "zh-CN"},
        {"zh-hans", "zh-Hans"},
        {"pt-BR", "pt-BR"},
        {"ko", "ko"},
        {"fil", "fil"},
        /* folder words that are no language, or not a known one */
        {"go", NULL},
        {"js", NULL},
        {"io", NULL},
        {"no", NULL},
        {"is", NULL},
        {"as", NULL},
        {"posts", NULL},
        {"2025", NULL},
        {"en.md", NULL},
        {"English", NULL},
        {"en-US-x-a", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const char *got = dg_lang_from_name(a, rows[i].name, strlen(rows[i].name));
        if (rows[i].lang)
            CHECK_STR(got, rows[i].lang);
        else if (got) {
            fprintf(stderr, "folder '%s' taken for '%s'\n", rows[i].name, got);
            CHECK(got == NULL);
        }
    }
    CHECK(dg_lang_same("en", "en-US"));
    CHECK(dg_lang_same("zh-CN", "ZH"));
    CHECK(!dg_lang_same("zh-CN", "ja"));
    CHECK(!dg_lang_same("en", NULL));
    dg_arena_free(a);
}

/* The detection table: text, site language, expected. */
static void test_detect(void)
{
    static const struct {
        const char *text, *site, *lang;
    } rows[] = {
        {"今週は暖かくなり、庭の古い木のテーブルを塗り直しました。", "zh-CN", "ja"},
        {"今週は暖かくなり、庭の古い木のテーブルを塗り直しました。", "ja-JP", "ja-JP"},
        {"메타데이터에 언어가 없는 짧은 한국어 글입니다.", "zh-CN", "ko"},
        {"The weather turned warm this week, and we repainted the table.", "zh-CN", "en"},
        {"The weather turned warm this week, and we repainted the table.", "en-GB", "en-GB"},
        {"Le temps s'est réchauffé cette semaine, et nous avons repeint la table.", "fr", "fr"},
        {"这一周天气转暖，我们把院子里的旧木桌重新刷了漆。", "zh-TW", "zh-TW"},
        {"这一周天气转暖，我们把院子里的旧木桌重新刷了漆。", "en", "zh"},
        /* Chinese about code: the code and the links are not counted */
        {"我们用 `std::collections::HashMap` 和 [文档](https://doc.rust-lang.org/std/) 写了"
         "一个缓存。\n\n```rust\nfn main() { let map = HashMap::new(); println!(\"hello "
         "world\"); }\n```\n\n效果不错。",
         "zh-CN", "zh-CN"},
        /* a Chinese post that names a Japanese product: katakana in passing */
        {"今天试用了一款叫做ソニー的耳机，音质很好，价格也合适，推荐给大家。周末再写详细评测。",
         "zh-CN", "zh-CN"},
        /* the middle dot of transliterated names is not Japanese */
        {"阿加莎・克里斯蒂的小说我读了很多遍。", "zh-CN", "zh-CN"},
        /* English with a Japanese word in passing */
        {"We ate ramen at a shop called らーめん屋 near the station, and then walked home "
         "along the river for an hour or so before the rain started.",
         "zh-CN", "en"},
        {"", "de", "de"},
        {"```\n只有代码\n```\n", "en", "en"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        dg_lang_counts c;
        dg_lang_count(&c, rows[i].text, strlen(rows[i].text));
        const char *got = dg_lang_detect(&c, rows[i].site);
        if (!got || strcmp(got, rows[i].lang))
            fprintf(stderr, "row %zu: latin %zu han %zu kana %zu hangul %zu\n", i, c.latin, c.han,
                    c.kana, c.hangul);
        CHECK_STR(got, rows[i].lang);
    }
}

static const dg_post *find(const dg_site *s, const char *relpath)
{
    for (size_t i = 0; i < s->nall; i++)
        if (!strcmp(s->all[i]->relpath, relpath))
            return s->all[i];
    fprintf(stderr, "no post %s\n", relpath);
    return NULL;
}

#define POST_LANG(s, rel, want, source)         \
    do {                                        \
        const dg_post *p_ = find(s, rel);       \
        CHECK(p_ != NULL);                      \
        if (p_) {                               \
            CHECK_STR(p_->lang, want);          \
            CHECK(p_->lang_source == (source)); \
        }                                       \
    } while (0)

static void test_trilingual(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;
    CHECK(dg_site_open(&s, FIX "/trilingual", "docs", d) == 0);
    if (!s)
        goto out;
    CHECK_STR(s->lang, "zh-CN");
    POST_LANG(s, "docs/2025-03-02-spring.md", "zh-CN", DG_LANG_TEXT);
    POST_LANG(s, "docs/en/2025-03-02-spring.md", "en", DG_LANG_FOLDER);
    POST_LANG(s, "docs/ja/2025-04-06-rain.md", "ja", DG_LANG_FOLDER);
    /* the site's language first, then the others in tag order */
    CHECK(s->nlangs == 3);
    if (s->nlangs == 3) {
        CHECK_STR(s->langs[0], "zh-CN");
        CHECK_STR(s->langs[1], "en");
        CHECK_STR(s->langs[2], "ja");
    }
    CHECK(s->nlanguages == 0);
out:
    dg_site_free(s);
    dg_diag_free(d);
}

static void test_hugo(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;
    CHECK(dg_site_open(&s, FIX "/hugo", NULL, d) == 0);
    if (!s)
        goto out;
    /* defaultContentLanguage en is the table's en, whose languageCode is en-us */
    CHECK_STR(s->lang, "en-US");
    CHECK(s->nlanguages == 3);
    if (s->nlanguages == 3) {
        CHECK_STR(s->languages[0].tag, "en-US");
        CHECK_STR(s->languages[1].tag, "zh-TW");
        CHECK_STR(s->languages[1].content_dir, "content/zh");
        CHECK_STR(s->languages[1].title, "多語網站");
        CHECK_STR(s->languages[2].tag, "ko");
    }
    /* every contentDir is read: the posts folder is content/ */
    CHECK(strstr(s->posts_dir, "/content") && !strstr(s->posts_dir, "/content/"));
    POST_LANG(s, "content/posts/hello.md", "en-US", DG_LANG_TEXT);
    POST_LANG(s, "content/posts/hello.ko.md", "ko", DG_LANG_HUGO);
    POST_LANG(s, "content/zh/posts/hello.md", "zh-TW", DG_LANG_HUGO);
    POST_LANG(s, "content/posts/detected.md", "ko", DG_LANG_TEXT);
    POST_LANG(s, "content/posts/meta.md", "ja-JP", DG_LANG_META);
    POST_LANG(s, "content/posts/bad.md", "en-US", DG_LANG_TEXT);
    /* the suffix is no part of the slug */
    const dg_post *ko = find(s, "content/posts/hello.ko.md");
    CHECK(ko && !strcmp(ko->slug, "hello"));
    CHECK_CONTAINS(dg_diag_text(d),
                   "bad.md:4:7: warning: 'Klingon language' is not a language tag");
    /* the site's, the table's in weight order, then the rest */
    const char *want[] = {"en-US", "zh-TW", "ko", "ja-JP"};
    CHECK(s->nlangs == 4);
    for (size_t i = 0; i < s->nlangs && i < 4; i++)
        CHECK_STR(s->langs[i], want[i]);
out:
    dg_site_free(s);
    dg_diag_free(d);
}

/* Hugo's hugo.toml: [languages.KEY] tables, the default language a key of them */
static void test_hugo_toml(void)
{
    dg_diag *d = dg_diag_new(NULL);
    dg_site *s = NULL;
    CHECK(dg_site_open(&s, FIX "/hugo-toml", NULL, d) == 0);
    if (!s)
        goto out;
    CHECK_STR(s->lang, "zh-CN");
    CHECK(s->nlanguages == 3);
    if (s->nlanguages == 3) {
        CHECK_STR(s->languages[0].key, "zh-cn");
        CHECK_STR(s->languages[1].tag, "en-GB");
        CHECK_STR(s->languages[1].title, "TOML site in English");
        CHECK_STR(s->languages[2].content_dir, "content/fr");
    }
    POST_LANG(s, "content/posts/first.md", "zh-CN", DG_LANG_TEXT);
    POST_LANG(s, "content/posts/first.en.md", "en-GB", DG_LANG_HUGO);
    POST_LANG(s, "content/fr/posts/premier.md", "fr", DG_LANG_HUGO);
    CHECK(s->nlangs == 3);
    if (s->nlangs == 3) {
        CHECK_STR(s->langs[0], "zh-CN");
        CHECK_STR(s->langs[1], "en-GB");
        CHECK_STR(s->langs[2], "fr");
    }
out:
    dg_site_free(s);
    dg_diag_free(d);
}

int main(void)
{
    test_normalize();
    test_names();
    test_detect();
    test_trilingual();
    test_hugo();
    test_hugo_toml();
    TEST_DONE();
}

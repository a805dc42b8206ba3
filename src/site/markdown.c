/* markdown.c - Markdown to HTML through cmark-gfm (tables, strikethrough,
 * autolinks, task lists, footnotes), with pandoc's east_asian_line_breaks rule:
 * a soft break between two CJK characters vanishes.
 *
 * Source lines: the body is fed after FIRST_LINE - 1 empty lines.  Blank lines
 * before the first block are ignored by CommonMark, so the tree is the same,
 * and every data-sourcepos then counts lines of the whole file.
 */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <cmark-gfm/syntax_extension.h> /* the autolink list, read once (md_register) */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "site/post.h"

#define MD_OPTIONS (CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES | CMARK_OPT_SOURCEPOS)

static const char *const md_extensions[] = {"table", "strikethrough", "autolink", "tasklist"};

/* Last (LAST true) or first code point of a UTF-8 string; 0 when empty. */
static uint32_t edge_cp(const char *s, bool last)
{
    if (!s || !*s)
        return 0;
    size_t n = strlen(s), i = 0;
    if (last) {
        i = n - 1;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80 && n - i < 4)
            i--;
    }
    uint32_t cp;
    if (dg_utf8_decode(s + i, n - i, &cp) == 0)
        return 0;
    return cp;
}

/* The character touching a soft break from one side: the deepest last (or
 * first) leaf of the neighbouring inline, when it is text or code. */
static uint32_t neighbour_cp(cmark_node *n, bool last)
{
    while (n) {
        cmark_node *c = last ? cmark_node_last_child(n) : cmark_node_first_child(n);
        if (!c)
            break;
        n = c;
    }
    if (!n)
        return 0;
    cmark_node_type t = cmark_node_get_type(n);
    if (t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE)
        return 0;
    return edge_cp(cmark_node_get_literal(n), last);
}

/* Removes every soft break that sits between two CJK characters. */
static void drop_cjk_softbreaks(cmark_node *doc)
{
    dg_vec breaks = {0};
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK)
            dg_vec_push(&breaks, n);
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < breaks.len; i++) {
        cmark_node *br = breaks.items[i];
        uint32_t before = neighbour_cp(cmark_node_previous(br), true);
        uint32_t after = neighbour_cp(cmark_node_next(br), false);
        if (before && after && dg_is_cjk(before) && dg_is_cjk(after)) {
            cmark_node_unlink(br);
            cmark_node_free(br);
        }
    }
    dg_vec_free(&breaks);
}

/* The heading's text without markup, breaks as spaces, trimmed. */
static char *plain_text(dg_arena *a, cmark_node *heading)
{
    dg_buf b = {0};
    cmark_iter *it = cmark_iter_new(heading);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            dg_buf_puts(&b, cmark_node_get_literal(n));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            dg_buf_putc(&b, ' ');
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
    char *s = b.data ? dg_buf_to_arena(&b, a) : dg_strdup(a, "");
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* cmark-gfm registers its extensions behind an unlocked flag: do it once,
 * so posts may be rendered from several threads. */
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

/* cmark-gfm 0.29 keeps the special characters of the inline extensions
 * (autolink, strikethrough) in one process-wide table, which every parse
 * fills at its start and empties at its end (cmark_parser_finish, and the
 * table extension around each row).  Two parses at once lose each other's
 * autolinks, so parsing is serialized here; building the tree into HTML is
 * not, and each month's worker still owns everything it renders into. */
static pthread_mutex_t md_parse_lock = PTHREAD_MUTEX_INITIALIZER;

/* The autolink extension's characters: ':' (a scheme's "http:") and 'w'
 * ("www.").  At every 'w' the inline parser stops and starts a new text
 * node, whether "www." follows or not: 16 MiB of words starting with "w"
 * took 1.5 GB of nodes.  A text without "www." cannot hold such a link, so
 * it is parsed with ':' alone (the same tree, in fewer nodes), and with both
 * otherwise.  The lists are swapped under md_parse_lock (below), which every
 * parse holds. */
static cmark_llist *md_autolink_chars, *md_autolink_chars_www;

static void md_register(void)
{
    cmark_gfm_core_extensions_ensure_registered();
    /* the extension's own list (':' and 'w') stays referenced here: the
     * setter only replaces the pointer */
    cmark_syntax_extension *autolink = cmark_find_syntax_extension("autolink");
    if (autolink) {
        md_autolink_chars_www = autolink->special_inline_chars;
        md_autolink_chars =
            cmark_llist_append(cmark_get_default_mem_allocator(), NULL, (void *)':');
    }
}

/* True when S (N bytes) holds "www.". */
static bool has_www(const char *s, size_t n)
{
    for (const char *p = s; n >= 4 && (p = memchr(p, 'w', n - 3 - (size_t)(p - s)));) {
        if (!memcmp(p, "www.", 4))
            return true;
        p++;
        if ((size_t)(p - s) + 4 > n)
            break;
    }
    return false;
}

size_t dg_markdown_markers(const char *md, size_t len)
{
    /* cmark-gfm's own (newline, backslash, code, emphasis, links, images,
     * raw HTML, entities), strikethrough's '~', autolink's ':' and, with a
     * "www." (md_register), 'w' */
    static const unsigned char core[256] = {
        ['\n'] = 1, ['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['['] = 1,
        [']'] = 1,  ['!'] = 1,  ['<'] = 1, ['&'] = 1, ['~'] = 1, [':'] = 1};
    unsigned char w = has_www(md, len) ? 'w' : 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)md[i];
        n += core[ch] || (w && ch == w);
    }
    return n;
}

char *dg_markdown_render(dg_arena *a, const char *md, size_t len, int first_line, bool take_h1,
                         char **h1)
{
    if (h1)
        *h1 = NULL;
    pthread_once(&md_once, md_register);
    cmark_parser *parser = cmark_parser_new(MD_OPTIONS);
    for (size_t i = 0; i < sizeof md_extensions / sizeof *md_extensions; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(md_extensions[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    /* One buffer: the blank lines, then the body. */
    dg_buf src = {0};
    for (int i = 1; i < first_line; i++)
        dg_buf_putc(&src, '\n');
    dg_buf_put(&src, md, len);
    pthread_mutex_lock(&md_parse_lock);
    cmark_syntax_extension *autolink = cmark_find_syntax_extension("autolink");
    if (autolink && md_autolink_chars)
        cmark_syntax_extension_set_special_inline_chars(
            autolink, has_www(md, len) ? md_autolink_chars_www : md_autolink_chars);
    cmark_parser_feed(parser, src.data ? src.data : "", src.len);
    cmark_node *doc = cmark_parser_finish(parser);
    pthread_mutex_unlock(&md_parse_lock);
    dg_buf_free(&src);

    drop_cjk_softbreaks(doc);
    if (take_h1 && h1) {
        cmark_node *first = cmark_node_first_child(doc);
        if (first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
            cmark_node_get_heading_level(first) == 1) {
            char *t = plain_text(a, first);
            if (*t) {
                *h1 = t;
                cmark_node_unlink(first);
                cmark_node_free(first);
            }
        }
    }
    char *html = cmark_render_html(doc, MD_OPTIONS, cmark_parser_get_syntax_extensions(parser));
    char *out = dg_strdup(a, html ? html : "");
    free(html);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return out;
}

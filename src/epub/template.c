/* template.c - the XHTML skeletons and the stylesheet in templates/.
 *
 * A template is plain text with placeholders:
 *   {{name}}            the value, XML-escaped (& < > ")
 *   {{{name}}}          the value as is (markup the program made itself)
 *   {{#name}}...{{/name}}  the body only when name is set and non-empty
 *   {{^name}}...{{/name}}  the body only when name is unset or empty
 *   {{! comment }}      nothing (ends at the first "}}"): templates document
 *                       their placeholders this way without it reaching the book
 * Unknown names expand to "".  A "{{" that is never closed stays as text.
 */
#include "epub/template.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A template is a page skeleton or a stylesheet: a megabyte is far beyond any
 * real one, and refusing bigger files keeps a stray binary from being read. */
#define TEMPLATE_MAX_BYTES (1024 * 1024)
/* Placeholder names are short identifiers; longer text between braces is
 * taken as literal text, not a name. */
#define TEMPLATE_MAX_NAME 64

static bool name_ok(const char *name)
{
    if (!name || !*name || name[0] == '.')
        return false;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            return false;
    return true;
}

const char *const dg_template_names[] = {"chapter.xhtml", "chapter-head.xhtml", "cover.xhtml",
                                         "style.css", NULL};

const char *dg_template_load(dg_arena *a, const char *override_dir, const char *name, dg_diag *d)
{
    const char *dirs[3];
    size_t ndirs = 0;
    const char *found = NULL;
    char *data = NULL;

    if (!name_ok(name)) {
        dg_report_file(d, DG_ERROR, NULL, "invalid template name '%s'", name ? name : "(null)");
        goto out;
    }
    if (override_dir)
        dirs[ndirs++] = override_dir;
#ifdef DIGEST_DATA_DIR
    dirs[ndirs++] = DIGEST_DATA_DIR "/templates";
#endif
#ifdef DIGEST_SOURCE_DIR
    dirs[ndirs++] = DIGEST_SOURCE_DIR "/templates";
#endif
    for (size_t i = 0; i < ndirs; i++) {
        char *path = dg_path_join(a, dirs[i], name);
        if (!dg_is_file(path))
            continue;
        /* The site's folder (kept inside the site by site.c) is untrusted:
         * a template there that is a symlink leading out of it is refused,
         * and the installed one is used. */
        char *root, *real;
        if (override_dir && i == 0 && dg_resolve_inside(a, "/", override_dir, &root) == 0 &&
            dg_resolve_inside(a, root, path, &real) != 0 && real) {
            dg_report_file(d, DG_WARNING, path, "%s; not read, the installed template is used",
                           dg_outside_why(a, path, real));
            continue;
        }
        size_t len = 0;
        if (dg_read_file(path, &data, &len) != 0) {
            dg_report_file(d, DG_ERROR, path, "cannot read template: %s", strerror(errno));
            goto out;
        }
        if (len > TEMPLATE_MAX_BYTES || memchr(data, '\0', len)) {
            dg_report_file(d, DG_ERROR, path, "not a usable template (binary or over %d bytes)",
                           TEMPLATE_MAX_BYTES);
            goto out;
        }
        found = dg_strndup(a, data, len);
        goto out;
    }
    dg_report_file(d, DG_ERROR, NULL, "template %s not found (looked in %s%s%s%s%s)", name,
                   ndirs > 0 ? dirs[0] : "", ndirs > 1 ? ", " : "", ndirs > 1 ? dirs[1] : "",
                   ndirs > 2 ? ", " : "", ndirs > 2 ? dirs[2] : "");
out:
    free(data);
    return found; /* NULL after a report */
}

static const char *lookup(const dg_var *vars, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (vars[i].name && strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0)
            return vars[i].value;
    return NULL;
}

/* Trims spaces around a placeholder name in [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

char *dg_template_expand(dg_arena *a, const char *tpl, const dg_var *vars, size_t n)
{
    dg_buf out = {0};
    /* depth counts open sections; skip_from is the depth of the section that
     * turned output off (0: output is on).  Counters, not a stack: nesting
     * needs no memory and cannot overflow anything. */
    size_t depth = 0, skip_from = 0;
    const char *p = tpl ? tpl : "";

    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            if (!skip_from)
                dg_buf_puts(&out, p);
            break;
        }
        if (!skip_from)
            dg_buf_put(&out, p, (size_t)(open - p));
        bool triple = open[2] == '{';
        const char *inner = open + (triple ? 3 : 2);
        const char *close = strstr(inner, triple ? "}}}" : "}}");
        if (!close) {
            if (!skip_from)
                dg_buf_puts(&out, open);
            break;
        }
        const char *after = close + (triple ? 3 : 2);
        char kind = triple ? '{' : *inner;
        if (kind == '!') {
            p = after;
            continue;
        }
        const char *name = inner;
        if (!triple && (kind == '#' || kind == '^' || kind == '/'))
            name++;
        size_t len = (size_t)(close - name);
        trim(&name, &len);
        if (len == 0 || len > TEMPLATE_MAX_NAME || memchr(name, '\n', len)) {
            /* Not a placeholder: keep the braces as text. */
            if (!skip_from)
                dg_buf_put(&out, open, 2);
            p = open + 2;
            continue;
        }
        const char *val = lookup(vars, n, name, len);
        bool set = val && *val;
        if (!triple && kind == '#') {
            depth++;
            if (!skip_from && !set)
                skip_from = depth;
        } else if (!triple && kind == '^') {
            depth++;
            if (!skip_from && set)
                skip_from = depth;
        } else if (!triple && kind == '/') {
            if (depth > 0) {
                if (skip_from == depth)
                    skip_from = 0;
                depth--;
            }
        } else if (!skip_from && val) {
            if (triple)
                dg_buf_puts(&out, val);
            else
                dg_buf_put_xml(&out, val, strlen(val));
        }
        p = after;
    }
    return dg_buf_to_arena(&out, a);
}

/* yaml.c - loading a YAML document with positioned syntax errors. */
#include "site/yaml.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* True when P (before E) ends a token: the end, a blank or a line break. */
static bool ends_token(const char *p, const char *e)
{
    return p >= e || is_blank(*p) || *p == '\n';
}

/* The nesting of the YAML in [S, E), measured in one pass without libyaml:
 * returns where it first goes past DG_YAML_MAX_DEPTH, or NULL.
 *
 * A level is a flow collection ('[' or '{', counted outside quoted scalars,
 * comments and block scalars; in block context only where a value starts,
 * since a plain scalar may hold brackets) or a block indentation deeper than
 * the one around it (a line indented more, or the node after a compact
 * "- " or "? " on the same line).  It is an estimate that can only count
 * short (a mapping's sequence at the mapping's own indentation is not a
 * level), never long: the cap is a bound on cost, and libyaml still judges
 * the syntax. */
static const char *deep_at(const char *s, const char *e)
{
    int indents[DG_YAML_MAX_DEPTH + 1]; /* the block levels' columns */
    int nind = 0;
    int flow = 0;           /* open '[' and '{' */
    char quote = 0;         /* inside a '...' or "..." scalar */
    int scalar_above = -1;  /* in a block scalar: lines indented past this are its text */
    bool token = true;      /* at a place where a value may start */
    bool push_next = false; /* after "- ": the next token is a level deeper */
    bool after_blank = true;
    const char *line = s;
    bool indented = false; /* the line's indentation has been measured */
    for (const char *p = s; p < e;) {
        if (!indented && !quote && !flow) {
            /* a line in block context: its indentation sets the level */
            const char *q = p;
            while (q < e && *q == ' ')
                q++;
            const char *t = q;
            while (t < e && is_blank(*t))
                t++;
            int ind = (int)(q - p);
            if (t >= e || *t == '\n' || *t == '#' || (scalar_above >= 0 && ind > scalar_above)) {
                const char *nl = memchr(t, '\n', (size_t)(e - t));
                p = line = nl ? nl + 1 : e;
                continue;
            }
            scalar_above = -1;
            while (nind && indents[nind - 1] > ind)
                nind--;
            if (!nind || indents[nind - 1] < ind) {
                if (nind == DG_YAML_MAX_DEPTH)
                    return q;
                indents[nind++] = ind;
            }
            p = q;
            indented = true;
            token = after_blank = true;
            push_next = false;
            continue;
        }
        char c = *p;
        if (c == '\n') {
            line = ++p;
            indented = quote || flow; /* a continuation line sets no level */
            token = after_blank = true;
            continue;
        }
        if (quote) {
            if (quote == '"' && c == '\\' && p + 1 < e && p[1] != '\n')
                p += 2;
            else if (c == quote && quote == '\'' && p + 1 < e && p[1] == '\'')
                p += 2;
            else {
                if (c == quote)
                    quote = 0;
                p++;
            }
            continue;
        }
        if (is_blank(c)) {
            after_blank = true;
            p++;
            continue;
        }
        if (c == '#' && after_blank) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            p = nl ? nl : e;
            continue;
        }
        after_blank = false;
        if (push_next && !flow) {
            /* the node after "- " on its line: one level deeper */
            int col = (int)(p - line);
            push_next = false;
            if (!nind || indents[nind - 1] < col) {
                if (nind == DG_YAML_MAX_DEPTH)
                    return p;
                indents[nind++] = col;
            }
        }
        if (c == '[' || c == '{') {
            /* in flow context every bracket outside quotes opens */
            if (flow || token) {
                if (nind + flow >= DG_YAML_MAX_DEPTH)
                    return p;
                flow++;
                token = true;
            }
            p++;
            continue;
        }
        if (flow && (c == ']' || c == '}')) {
            flow--;
            token = false;
            p++;
            continue;
        }
        if (flow && c == ',') {
            token = true;
            p++;
            continue;
        }
        if (c == ':' && (flow || ends_token(p + 1, e))) {
            token = true;
            p++;
            continue;
        }
        if (token) {
            if (c == '\'' || c == '"') {
                quote = c;
                token = false;
                p++;
                continue;
            }
            if (!flow && (c == '-' || c == '?') && ends_token(p + 1, e)) {
                push_next = true;
                p++;
                continue;
            }
            if (!flow && (c == '|' || c == '>')) {
                scalar_above = nind ? indents[nind - 1] : 0;
                const char *nl = memchr(p, '\n', (size_t)(e - p));
                p = nl ? nl : e;
                continue;
            }
            if (c == '&' || c == '!') {
                /* an anchor or a tag: the value comes after it */
                while (p < e && !ends_token(p, e) && !(flow && (*p == ',' || *p == ']' || *p == '}')))
                    p++;
                continue;
            }
        }
        token = false;
        p++;
    }
    return NULL;
}

int dg_yaml_load(yaml_document_t *doc, const dg_yaml_src *src, dg_severity sev, dg_diag *d)
{
    yaml_parser_t parser;
    int rc = -1;
    const char *deep = deep_at(src->text + src->start, src->text + src->stop);
    if (deep) {
        int line, col;
        dg_text_position(src->text, (size_t)(deep - src->text), &line, &col);
        const char *noun = src->what;
        if (!strncmp(noun, "YAML in ", 8))
            noun += 8; /* the front matter nests, not its syntax */
        dg_report(d, sev, src->path, line, col, src->text, src->len,
                  "%s nests deeper than %d levels; %s", noun, DG_YAML_MAX_DEPTH,
                  src->consequence);
        return -1;
    }
    if (!yaml_parser_initialize(&parser))
        dg_oom();
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->text + src->start,
                                 src->stop - src->start);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&parser, doc)) {
        int line = (int)parser.problem_mark.line + src->line0 + 1;
        int col = (int)parser.problem_mark.column + 1;
        const char *ctx = parser.context ? parser.context : "";
        /* libyaml notices an unclosed [ or { only where the text runs out:
         * name where that construct began, which is where the mistake is */
        char started[64] = "";
        if (*ctx && parser.context_mark.line != parser.problem_mark.line)
            snprintf(started, sizeof started, " that starts at line %d:%d",
                     (int)parser.context_mark.line + src->line0 + 1,
                     (int)parser.context_mark.column + 1);
        dg_report(d, sev, src->path, line, col, src->text, src->len, "bad %s: %s%s%s%s; %s",
                  src->what, parser.problem ? parser.problem : "syntax error", *ctx ? " " : "",
                  ctx, started, src->consequence);
        goto out;
    }
    rc = 0;
out:
    yaml_parser_delete(&parser);
    return rc;
}

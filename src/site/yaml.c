/* yaml.c - loading a YAML document with positioned syntax errors. */
#include "site/yaml.h"

#include <stdio.h>

#include "base/arena.h"

int dg_yaml_load(yaml_document_t *doc, const dg_yaml_src *src, dg_severity sev, dg_diag *d)
{
    yaml_parser_t parser;
    int rc = -1;
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

/* fuzz_sanitize.c - the content sanitizer on arbitrary HTML: it must never
 * crash, and what it returns must always be well-formed XML. */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"

/* A site that does not exist: local images resolve to nothing, so the
 * fuzzer never reads the machine's files. */
#define FUZZ_SITE "/nonexistent-digest-fuzz-site"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dg_arena *a = dg_arena_new();
    char *html = dg_strndup(a, (const char *)data, size);
    dg_registry reg;
    dg_registry_init(&reg, a);
    dg_diag *d = dg_diag_new(NULL);
    char *x = dg_sanitize_fragment(a, html, FUZZ_SITE, FUZZ_SITE "/_posts", &reg, d);
    if (x) {
        xmlDocPtr doc = xmlReadMemory(x, (int)strlen(x), "out.xhtml", "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc)
            abort(); /* the sanitizer produced something that is not XML */
        xmlFreeDoc(doc);
    }
    dg_diag_free(d);
    dg_registry_free(&reg);
    dg_arena_free(a);
    return 0;
}

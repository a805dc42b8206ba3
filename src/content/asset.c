/* asset.c - image references become assets of the book (asset.h): the one
 * resolution of local paths that build and check share, data: URLs, and
 * remote images through the cache of fetched images. */
#include "content/asset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "content/url.h"

void dg_post_warn(dg_diag *d, const dg_post *p, int line, const char *msg)
{
    if (line > 0)
        dg_report(d, DG_WARNING, p->path, line, 1, p->text, p->text_len, "%s", msg);
    else
        dg_report_file(d, DG_WARNING, p->path, "%s", msg);
}

dg_ref_kind dg_ref_kind_of(const char *src)
{
    const char *s = src;
    while (*s && (unsigned char)*s <= 0x20)
        s++;
    if (s[0] == '/' && s[1] == '/')
        return DG_REF_WEB;
    char sch[DG_URL_SCHEME_MAX + 1];
    dg_url_scheme(s, sch);
    if (strcmp(sch, "http") == 0 || strcmp(sch, "https") == 0)
        return DG_REF_WEB;
    if (strcmp(sch, "data") == 0)
        return DG_REF_DATA;
    if (strlen(sch) > 1) /* file:, ftp:, ... ("C:" is no scheme) */
        return DG_REF_OTHER;
    return DG_REF_LOCAL;
}

/* The real path of PATH when it is inside ROOT (dg_resolve_inside, the rule
 * every file of the site follows); NULL with *OUTSIDE set when it lies
 * outside, NULL alone when it is not there. */
static const char *real_inside(dg_arena *a, const char *root, const char *path, bool *outside)
{
    char *real;
    if (dg_resolve_inside(a, root, path, &real) == 0)
        return real;
    if (real)
        *outside = true;
    return NULL;
}

/* S after its Jekyll template prefixes: "{{ site.baseurl }}/img/x.png" is
 * "/img/x.png". */
static const char *liquid_prefix_end(const char *s)
{
    while (s[0] == '{' && s[1] == '{') {
        const char *e = strstr(s, "}}");
        if (!e)
            break;
        s = e + 2;
        while (*s == ' ')
            s++;
    }
    return s;
}

dg_local_status dg_local_image(dg_arena *a, const char *site_root, const char *post_dir,
                               const char *src, bool header, const char **path)
{
    *path = NULL;
    /* drop ?query and #fragment, decode %XX; the Liquid prefix goes before
     * (a raw <img>'s "{{ site.baseurl }}") and after (cmark writes a
     * Markdown image's "{{site.baseurl}}" as "%7B%7Bsite.baseurl%7D%7D") */
    const char *p = liquid_prefix_end(src);
    const char *dec = liquid_prefix_end(dg_url_decode(a, p, strcspn(p, "?#")));
    if (!*dec)
        return DG_LOCAL_NO_FILE;
    const char *cands[2];
    int nc = 0;
    if (dec[0] == '/') {
        cands[nc++] = dg_path_join(a, site_root, dec + 1);
    } else if (header) {
        cands[nc++] = dg_path_join(a, site_root, dec);
        cands[nc++] = dg_path_join(a, post_dir, dec);
    } else {
        cands[nc++] = dg_path_join(a, post_dir, dec);
    }
    bool outside = false, not_file = false;
    for (int i = 0; i < nc; i++) {
        const char *norm = dg_path_normalize(a, cands[i]);
        if (!dg_path_inside(site_root, norm)) {
            outside = true;
            continue;
        }
        const char *r = real_inside(a, site_root, norm, &outside);
        if (r && !dg_is_file(r)) {
            not_file = true;
            continue;
        }
        if (r) {
            *path = r;
            return DG_LOCAL_FOUND;
        }
    }
    if (dec[0] == '/' && !outside) {
        /* Not under the site: maybe an absolute filesystem path. */
        const char *r = real_inside(a, site_root, dec, &outside);
        if (r && dg_is_file(r)) {
            *path = r;
            return DG_LOCAL_FOUND;
        }
        not_file = r != NULL;
    }
    if (outside)
        return DG_LOCAL_OUTSIDE;
    return not_file ? DG_LOCAL_NOT_FILE : DG_LOCAL_MISSING;
}

/* Decodes base64 (whitespace ignored) into A; -1 on a bad character. */
static int base64_decode(dg_arena *a, const char *s, unsigned char **out, size_t *len)
{
    int rc = -1;
    size_t n = strlen(s);
    unsigned char *o = dg_alloc(a, n / 4 * 3 + 4);
    size_t k = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (; *s; s++) {
        int c = (unsigned char)*s, v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=')
            break;
        else if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        else
            goto out;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[k++] = (unsigned char)(acc >> bits);
        }
    }
    *out = o;
    *len = k;
    rc = 0;
out:
    return rc;
}

/* A remote image from the cache of fetched images (imagecache.h), or NULL:
 * then it is recorded (for fetching, when the cache says so) and shown as a
 * placeholder with its link. */
static const dg_asset *remote_asset(const dg_asset_scope *s, const char *url, int line)
{
    dg_registry *r = s->reg;
    if (!r->cache) {
        r->nplaceholders++;
        return NULL;
    }
    const char *file;
    dg_cache_lookup l = dg_imagecache_lookup(r->cache, r->arena, url, &file);
    if (l == DG_LOOKUP_HIT) {
        const dg_asset *as = dg_registry_add_image(r, file);
        if (as)
            return as;
    }
    dg_registry_add_remote(r, url, s->post->path, line, l == DG_LOOKUP_FETCH);
    return NULL;
}

static const dg_asset *data_asset(const dg_asset_scope *s, const char *src, int line)
{
    dg_arena *a = s->reg->arena;
    const char *comma = strchr(src, ',');
    const char *meta = src + 5;
    unsigned char *bytes;
    size_t len;
    if (!comma || strncasecmp(meta, "image/", 6) != 0 ||
        !strstr(dg_strndup(a, meta, (size_t)(comma - meta)), ";base64") ||
        base64_decode(a, comma + 1, &bytes, &len) != 0) {
        dg_post_warn(s->d, s->post, line,
                  "image data: URL is not a base64 image: shown as a placeholder");
        return NULL;
    }
    const dg_asset *as = dg_registry_add_memory(s->reg, bytes, len);
    if (!as)
        dg_post_warn(s->d, s->post, line,
                  "image data: URL holds no PNG, JPEG, GIF, WebP or SVG image: shown as "
                  "a placeholder");
    return as;
}

static const dg_asset *local_asset(const dg_asset_scope *s, const char *src, int line, bool header)
{
    dg_arena *a = s->reg->arena;
    const char *path, *why = NULL;
    switch (dg_local_image(a, s->site_root, s->post_dir, src, header, &path)) {
    case DG_LOCAL_FOUND: break;
    case DG_LOCAL_NO_FILE: why = "names no file: shown as a placeholder"; break;
    case DG_LOCAL_MISSING: why = "not found: shown as a placeholder"; break;
    case DG_LOCAL_NOT_FILE: why = "is not a file: shown as a placeholder"; break;
    case DG_LOCAL_OUTSIDE:
        why = "is outside the site folder: refused, shown as a placeholder";
        break;
    }
    if (why) {
        dg_post_warn(s->d, s->post, line, dg_sprintf(a, "image '%s' %s", src, why));
        return NULL;
    }
    const dg_asset *as = dg_registry_add_image(s->reg, path);
    if (!as)
        dg_post_warn(s->d, s->post, line,
                  dg_sprintf(a,
                             "image '%s' is not a PNG, JPEG, GIF, WebP or SVG image: "
                             "shown as a placeholder",
                             src));
    return as;
}

const dg_asset *dg_asset_for_ref(const dg_asset_scope *s, const char *raw, int line, bool header,
                                 const char **remote)
{
    dg_arena *a = s->reg->arena;
    *remote = NULL;
    const char *src = dg_url_trim(a, raw);
    switch (dg_ref_kind_of(src)) {
    case DG_REF_WEB: *remote = dg_url_web(a, src); return remote_asset(s, *remote, line);
    case DG_REF_DATA: return data_asset(s, src, line);
    case DG_REF_OTHER:
        dg_post_warn(s->d, s->post, line,
                  dg_sprintf(a,
                             "image '%s' is neither a local file nor a web address: "
                             "shown as a placeholder",
                             src));
        return NULL;
    case DG_REF_LOCAL: break;
    }
    return local_asset(s, src, line, header);
}

/* url.c - URL schemes, escaping and the URLs links and images may keep
 * (url.h).  IDN hosts go through libidn2. */
#include "content/url.h"

#include <ctype.h>
#include <idn2.h>
#include <string.h>
#include <strings.h>

void dg_url_scheme(const char *url, char out[DG_URL_SCHEME_MAX + 1])
{
    size_t o = 0;
    out[0] = 0;
    const unsigned char *s = (const unsigned char *)url;
    while (*s && *s <= 0x20)
        s++;
    for (; *s; s++) {
        unsigned char c = *s;
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == ':') {
            out[o] = 0;
            return;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (o > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
        if (!ok || o >= DG_URL_SCHEME_MAX)
            break;
        out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[0] = 0;
}

bool dg_url_has_scheme(const char *url)
{
    const char *s = url;
    while (*s && (unsigned char)*s <= 0x20)
        s++;
    if (s[0] == '/' && s[1] == '/')
        return true;
    char sch[DG_URL_SCHEME_MAX + 1];
    dg_url_scheme(s, sch);
    return strlen(sch) > 1;
}

bool dg_url_must_escape(unsigned char c)
{
    return c <= 0x20 || c >= 0x7f || strchr("<>\"`{}|\\^", c) != NULL;
}

const char *dg_url_trim(dg_arena *a, const char *s)
{
    while (*s && (unsigned char)*s <= 0x20)
        s++;
    size_t n = strlen(s);
    while (n > 0 && (unsigned char)s[n - 1] <= 0x20)
        n--;
    return dg_strndup(a, s, n);
}

char *dg_url_decode(dg_arena *a, const char *p, size_t n)
{
    char *dec = dg_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int h1, h2;
        if (p[i] == '%' && i + 2 < n + 1 && (h1 = dg_hexval(p[i + 1])) >= 0 &&
            (h2 = dg_hexval(p[i + 2])) >= 0 && (h1 | h2)) {
            dec[o++] = (char)(h1 * 16 + h2);
            i += 2;
        } else {
            dec[o++] = p[i];
        }
    }
    dec[o] = 0;
    return dec;
}

/* A host name written in Unicode (an IDN: "例子.com") as the ASCII form a
 * URL must carry ("xn--fsqu00a.com"), through libidn2; NULL when it is no
 * valid host name. */
static const char *idn_host(dg_arena *a, const char *host, size_t n)
{
    char *h = dg_strndup(a, host, n), *ascii = NULL;
    if (idn2_to_ascii_8z(h, &ascii, IDN2_NONTRANSITIONAL) != IDN2_OK &&
        idn2_to_ascii_8z(h, &ascii, IDN2_TRANSITIONAL) != IDN2_OK)
        return NULL;
    const char *r = dg_strdup(a, ascii);
    idn2_free(ascii);
    return r;
}

/* True when HOST is a host name as a URL carries it: LDH labels (letters,
 * digits, '-') between dots, IDNs in their punycode form; no empty label. */
static bool ascii_host(const char *host)
{
    if (!*host)
        return false;
    for (const char *q = host; *q; q++) {
        unsigned char c = (unsigned char)*q;
        if (c == '.' && (q == host || q[-1] == '.'))
            return false;
        bool ldh = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '.';
        if (!ldh)
            return false;
    }
    return true;
}

/* Appends N bytes of P to O, percent-encoding what a URL may not hold. */
static void escape_into(dg_buf *o, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (dg_url_must_escape(ch))
            dg_buf_printf(o, "%%%02X", ch);
        else
            dg_buf_putc(o, (char)ch);
    }
}

/* dg_url_escape; *BAD_HOST tells whether the host held escapes or
 * non-ASCII bytes that make no host name (then kept escaped as written). */
static const char *escape_url(dg_arena *a, const char *s, bool *bad_host)
{
    dg_buf o = {0};
    *bad_host = false;
    const char *sep = strstr(s, "://");
    if (sep) {
        const char *host = sep + 3;
        size_t hn = strcspn(host, "/?#");
        size_t un = 0; /* user info before '@' is escaped, not converted */
        for (size_t i = 0; i < hn; i++)
            if (host[i] == '@')
                un = i + 1;
        bool ascii = true;
        for (size_t i = un; i < hn; i++)
            ascii &= (unsigned char)host[i] < 0x80 && host[i] != '%';
        if (!ascii) {
            size_t port = un;
            while (port < hn && host[port] != ':')
                port++;
            /* cmark percent-encodes a Unicode host: decode it first */
            const char *raw = dg_url_decode(a, host + un, port - un);
            const char *h = idn_host(a, raw, strlen(raw));
            /* libidn2 passes ASCII labels through, whatever they hold
             * ("%2A" decodes to '*', which no host may hold): a host that
             * is not letters, digits, '-' and '.' after IDNA keeps its
             * escapes, as written, rather than become a character a
             * reader refuses (epubcheck RSC-023) */
            if (h && !ascii_host(h))
                h = NULL;
            *bad_host = !h;
            if (h) {
                escape_into(&o, s, (size_t)(host - s) + un);
                dg_buf_puts(&o, h);
                s = host + port; /* the port and the rest, escaped below */
            }
        }
    }
    escape_into(&o, s, strlen(s));
    if (!o.data)
        return "";
    return dg_buf_to_arena(&o, a);
}

const char *dg_url_escape(dg_arena *a, const char *s)
{
    bool bad;
    return escape_url(a, s, &bad);
}

char *dg_url_clean(dg_arena *a, const char *u)
{
    static const char hex[] = "0123456789ABCDEF";
    dg_buf b = {0};
    bool frag = false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++) {
        bool enc = dg_url_must_escape(*p);
        if (*p == '#') {
            enc = frag;
            frag = true;
        }
        if (*p == '%')
            enc = !(dg_hexval(p[1]) >= 0 && dg_hexval(p[2]) >= 0);
        if (enc) {
            dg_buf_putc(&b, '%');
            dg_buf_putc(&b, hex[*p >> 4]);
            dg_buf_putc(&b, hex[*p & 15]);
        } else {
            dg_buf_putc(&b, (char)*p);
        }
    }
    return dg_buf_to_arena(&b, a);
}

/* dg_url_web, with *BAD_HOST as escape_url sets it. */
static const char *web(dg_arena *a, const char *src, bool *bad_host)
{
    const char *t = dg_url_trim(a, src);
    *bad_host = false;
    if (t[0] == '/' && t[1] == '/')
        return escape_url(a, dg_sprintf(a, "https:%s", t), bad_host);
    char sch[DG_URL_SCHEME_MAX + 1];
    dg_url_scheme(t, sch);
    if (strcmp(sch, "http") == 0 || strcmp(sch, "https") == 0)
        return escape_url(a, t, bad_host);
    return NULL;
}

const char *dg_url_web(dg_arena *a, const char *src)
{
    bool bad;
    return web(a, src, &bad);
}

/* dg_url_link; *BAD_HOST: it is NULL for a host that is no host name. */
static const char *link_url(dg_arena *a, const char *href, bool *bad_host)
{
    const char *t = dg_url_trim(a, href);
    *bad_host = false;
    if (t[0] == '#')
        return t[1] ? t : NULL;
    const char *w = web(a, t, bad_host);
    if (w)
        return *bad_host ? NULL : w;
    char sch[DG_URL_SCHEME_MAX + 1];
    dg_url_scheme(t, sch);
    if (strcmp(sch, "mailto") == 0 || strcmp(sch, "ftp") == 0 || strcmp(sch, "tel") == 0) {
        const char *u = escape_url(a, t, bad_host);
        return *bad_host ? NULL : u;
    }
    return NULL;
}

const char *dg_url_link(dg_arena *a, const char *href)
{
    bool bad;
    return link_url(a, href, &bad);
}

bool dg_url_bad_host(dg_arena *a, const char *href)
{
    bool bad;
    (void)link_url(a, href, &bad);
    return bad;
}

const char *dg_url_core(const char *u, size_t *len)
{
    static const char *const prefixes[] = {"https://", "http://", "mailto:", "www."};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncasecmp(u, prefixes[i], strlen(prefixes[i])))
            u += strlen(prefixes[i]);
    if (!strncasecmp(u, "www.", 4))
        u += 4;
    size_t n = strlen(u);
    while (n > 0 && (u[n - 1] == '/' || isspace((unsigned char)u[n - 1])))
        n--;
    *len = n;
    return u;
}

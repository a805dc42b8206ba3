/* url.h - URLs as the book keeps them: the one place that says what a
 * URL's scheme is, which URLs a link or an image may keep, and how they are
 * escaped so that epubcheck and PDF readers take them.
 *
 * Used by the sanitizer (content.c), the image references (asset.c),
 * digest check (check.c) and the EPUB writer's last look at links (epub.c).
 */
#ifndef DIGEST_CONTENT_URL_H
#define DIGEST_CONTENT_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

/* Longest scheme recognised ("view-source" is 11); longer is no scheme. */
#define DG_URL_SCHEME_MAX 15

/* The scheme of URL in lowercase, into OUT[DG_URL_SCHEME_MAX + 1]; "" when
 * the URL has none (relative).  Read as browsers do: leading spaces and
 * controls are skipped and tabs and newlines ignored, so "jav&#x09;ascript:"
 * is javascript:.  A one-letter scheme ("c" of "C:\x") is returned as such:
 * see dg_url_has_scheme. */
void dg_url_scheme(const char *url, char out[DG_URL_SCHEME_MAX + 1]);

/* True when URL is no path: it has a scheme of two letters or more
 * ("https:", "data:", "mailto:"; "C:" is a drive) or is protocol-relative
 * ("//host").  Leading spaces are skipped as dg_url_scheme does. */
bool dg_url_has_scheme(const char *url);

/* True when byte C may not stand as is in a URL (controls, space, non-ASCII
 * bytes, quotes, angle brackets and the like): it is percent-encoded. */
bool dg_url_must_escape(unsigned char c);

/* URL with what a URL may not hold percent-encoded (dg_url_must_escape); a
 * non-ASCII or escaped host becomes its IDNA (punycode) form instead, since
 * a host cannot be percent-encoded; one that makes no host name that way
 * (letters, digits, '-', '.') keeps its escapes as written.  In A. */
const char *dg_url_escape(dg_arena *a, const char *url);

/* URL as an EPUB may carry it: dg_url_must_escape bytes, a second '#' and
 * a '%' that starts no %XX escape percent-encoded.  In A. */
char *dg_url_clean(dg_arena *a, const char *url);

/* The N bytes at P with %XX sequences decoded (a %00 stays as written). */
char *dg_url_decode(dg_arena *a, const char *p, size_t n);

/* S without leading and trailing spaces and controls, in A. */
const char *dg_url_trim(dg_arena *a, const char *s);

/* An external http(s) URL from SRC, escaped ("//host/x" becomes
 * "https://host/x"), or NULL when SRC is none. */
const char *dg_url_web(dg_arena *a, const char *src);

/* The href a link in a post keeps, escaped, or NULL when the link must
 * become plain text: script and data URLs, relative paths (they would
 * dangle in the book), and a host whose percent-escapes or non-ASCII bytes
 * make no host name ("read.example%2A%2A" is "read.example**": readers and
 * epubcheck refuse the URL, escaped or not; dg_url_bad_host).  "#x" is kept
 * as it is (it is repointed later). */
const char *dg_url_link(dg_arena *a, const char *href);

/* True when dg_url_link refuses HREF for its host alone: the caller says so. */
bool dg_url_bad_host(dg_arena *a, const char *href);

/* The part of URL a reader compares with a link's text: without its scheme
 * ("https://", "http://", "mailto:"), a leading "www." and trailing slashes
 * and spaces; *LEN is its length.  "https://x.org/a/" and "x.org/a" name
 * the same place on paper. */
const char *dg_url_core(const char *url, size_t *len);

#endif

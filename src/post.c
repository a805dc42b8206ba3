/* post.c - one post: read, repair, parse. */
#include <stdio.h>

#include "digest/post.h"

int dg_post_parse(dg_post **out, dg_arena *a, const char *path, const char *relpath,
                  const char *dir, const char *data, size_t len, dg_diag *d)
{
    dg_post *p = dg_alloc(a, sizeof *p);
    p->path = dg_strdup(a, path);
    p->relpath = dg_strdup(a, relpath);
    p->dir = dg_strdup(a, dir);
    p->title = dg_strdup(a, relpath);
    p->published = true;
    p->text = dg_strndup(a, data, len);
    p->text_len = len;
    p->body_line = 1;
    p->html = dg_markdown_render(a, data, len, 1, false, NULL);
    *out = p;
    return 0;
}

int dg_post_read(dg_post **out, dg_arena *a, const char *path, const char *abspath,
                 const char *relpath, dg_diag *d)
{
    (void)out;
    dg_report(d, DG_ERROR, path, 0, 0, NULL, 0, "not implemented yet");
    return -1;
}

void dg_post_month(const dg_post *p, char buf[8])
{
    unsigned y = (unsigned)p->date.year % 10000u, m = (unsigned)p->date.month % 100u;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '\0';
}

/* pagemap.c - the page map's storage (pagemap.h). */
#include "content/pagemap.h"

void dg_page_map_init(dg_page_map *m, dg_arena *a)
{
    *m = (dg_page_map){.a = a};
}

void dg_page_map_add(dg_page_map *m, const dg_page_mark *mk)
{
    dg_arena_grow(m->a, &m->marks, m->n, &m->cap, sizeof *m->marks, 64);
    m->marks[m->n++] = *mk;
}

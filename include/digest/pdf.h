/* pdf.h - the PDF writer: page layout of a book's content trees and output
 * through libharu.  Stage files: src/layout.c (blocks, pages, contents, notes),
 * src/pdf.c (libharu: fonts, subsetting with hb-subset, ToUnicode, outline,
 * links, images, document info).
 */
#ifndef DIGEST_PDF_H
#define DIGEST_PDF_H

#include <stdbool.h>

#include "digest/book.h"
#include "digest/diag.h"
#include "digest/fonts.h"

typedef enum dg_page_size { DG_PAGE_A4 = 0, DG_PAGE_A5, DG_PAGE_LETTER, DG_PAGE_EREADER } dg_page_size;

typedef struct dg_pdf_opts {
    dg_page_size page;
    double margin;         /* points; 0 = the page size's default */
    double base_size;      /* points; 0 = the page size's default */
    bool indent;           /* 2-em first-line indent of paragraphs */
    int link_notes;        /* -1 default (on for A4/A5), 0 off, 1 on */
} dg_pdf_opts;

/* Typesets BOOK with FONTS and writes PATH (temporary file, then rename).
 * 0, or -1 after reporting. */
int dg_pdf_write(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts, const char *path,
                 dg_diag *d);

#endif

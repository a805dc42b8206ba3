/* pdf.h - the PDF writer: page layout of a book's content trees and output
 * through libharu.  Stage files: layout*.c (pages, blocks, tables, front
 * matter: layout.h), para.c and linebreak.c (lines), fonts.c (the font
 * chain), pdf.c (entry point, links, outline, info), pdf_draw.c (page
 * content), pdf_font.c (subsetting, ToUnicode, CIDToGIDMap), pdf_image.c
 * (PNG threads, glyph images), pdf_pagemap.c (the page map for the EPUB),
 * pdf_pack.c (the qpdf pass).
 */
#ifndef DIGEST_PDF_H
#define DIGEST_PDF_H

#include <stdbool.h>

#include "content/book.h"
#include "content/pagemap.h"
#include "digest/diag.h"
#include "digest/digest.h"
#include "pdf/fonts.h"

/* Typesets BOOK with FONTS and writes PATH (temporary file, then rename).
 * 0, or -1 after reporting. */
int dg_pdf_write(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts, const char *path,
                 dg_diag *d);
/* The same, and MAP (initialized by the caller, when not NULL) gets where
 * each body page begins in BOOK's content trees, its source the PDF's file
 * name: for the EPUB of the same run.  MAP is left empty when the PDF is not
 * written. */
int dg_pdf_write_mapped(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts,
                        const char *path, dg_page_map *map, dg_diag *d);

#endif

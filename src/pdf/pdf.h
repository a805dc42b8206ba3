/* pdf.h - the PDF writer: page layout of a book's content trees and output
 * through libharu.  Stage files: layout*.c (pages, blocks, tables, front
 * matter: layout.h), para.c and linebreak.c (lines), fonts.c (the font
 * chain), pdf.c (entry point, links, outline, info), pdf_draw.c (page
 * content), pdf_font.c (subsetting, ToUnicode, CIDToGIDMap), pdf_image.c
 * (PNG threads, glyph images), pdf_pack.c (the qpdf pass).
 */
#ifndef DIGEST_PDF_H
#define DIGEST_PDF_H

#include <stdbool.h>

#include "content/book.h"
#include "digest/diag.h"
#include "digest/digest.h"
#include "pdf/fonts.h"

/* Typesets BOOK with FONTS and writes PATH (temporary file, then rename).
 * 0, or -1 after reporting. */
int dg_pdf_write(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts, const char *path,
                 dg_diag *d);

#endif

/* pdf.c - the PDF writer: draws a layout (layout_internal.h) with libharu. */
#include "digest/pdf.h"
#include "digest/layout_internal.h"

int dg_pdf_write(const dg_book *book, dg_fonts *fonts, const dg_pdf_opts *opts, const char *path,
                 dg_diag *d)
{
    (void)book; (void)fonts; (void)opts;
    dg_report(d, DG_ERROR, path, 0, 0, NULL, 0, "the PDF writer is not finished yet");
    return -1;
}

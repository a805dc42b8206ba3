/* stamp.h - a month's fingerprint: everything its EPUB and PDF depend on,
 * hashed, and its record in OUT/.digest-state/YYYY-MM.stamp, which lets an
 * incremental build skip a month whose inputs did not change.
 *
 * The fingerprint has two parts.  The run's part (dg_stamp_run) is the same
 * for every month of one run: program version and identity, the options that
 * shape the output, SOURCE_DATE_EPOCH, the templates' bytes and the fonts.
 * The month's part (dg_stamp_month) is the book itself: the site's and the
 * book's metadata, every field of every post in it (its text, date, zone,
 * number, title...) and the bytes of the images packed.  Every field goes in
 * with its length, so different splits of the same bytes differ.
 *
 * The record is removed before a month's first output is replaced and
 * written after its last output is in place: an interrupted build leaves no
 * record, and the month is rebuilt next time.  After the fingerprint, the
 * record holds one line per character the book's cover and PDF had to look
 * for outside the font chain (dg_fonts_log), with the answer the system's
 * fonts gave (a face's file, index and identity, or none: a box): the
 * fingerprint is known before the book is typeset, these only after, and
 * fontconfig is asked again only for a book that has such lines.
 */
#ifndef DIGEST_APP_STAMP_H
#define DIGEST_APP_STAMP_H

#include <stdbool.h>
#include <stdint.h>

#include "content/book.h"
#include "digest/diag.h"
#include "digest/digest.h"
#include "base/probe.h"
#include "pdf/fonts.h"
#include "site/site.h"

/* The run's part.  FONTS is the opened chain when PDFs are written (each
 * face's resolved file goes in by path, face index, size and modification
 * time), else NULL.  Reads the executable's status and the templates. */
uint64_t dg_stamp_run(const dg_options *o, const dg_site *site, const dg_fonts *fonts);

/* RUN (from dg_stamp_run) extended by the book B. */
uint64_t dg_stamp_month(uint64_t run, const dg_book *b);

/* Where MONTH's record lives under OUT_DIR, in A.  A book of one language
 * (--split-languages) is MONTH "YYYY-MM.LANG": each book has its own. */
const char *dg_stamp_path(dg_arena *a, const char *out_dir, const char *month);

/* The files of MONTH under OUT_DIR (strings in A): its digests, named by
 * O's pattern, and in OUT_DIR/.digest-state its record and the lock a
 * build holds while it decides and writes the month (outdir.h). */
typedef struct dg_month_files {
    const char *key; /* the book's name in the state: YYYY-MM[.LANG] (dg_book_key) */
    const char *epub, *pdf, *stamp, *lock;
    const char *files; /* the record of the files its book read (dg_month_quick_fresh) */
} dg_month_files;
/* A book's key in OUT's state and catalog: NAME ("YYYY-MM", "2024", "all"),
 * then ".LANG" for a book of one language (LANG not NULL). */
const char *dg_book_key(dg_arena *a, const char *name, const char *lang);
/* LANG: a book of one language (--split-languages), else NULL. */
void dg_month_files_of(dg_arena *a, const dg_options *o, const char *out_dir, const char *month,
                       const char *lang, dg_month_files *f);

/* A volume (--period year or all; KEY "YYYY" or "all"): its files,
 * OUT/YYYY.epub and .pdf, or OUT/NAME-all.epub and .pdf (NAME: the site
 * folder's name), with ".LANG" before the extension for a book of one
 * language; its record and lock in OUT/.digest-state as KEY[.LANG]. */
void dg_volume_files_of(dg_arena *a, const dg_site *site, const char *out_dir, const char *key,
                        const char *lang, dg_month_files *f);

/* A volume's fingerprint: RUN extended by KEY, LANG and the fingerprints
 * MONTH_H (dg_stamp_month; 0 for a month none of whose posts could be
 * built) of its N MONTHS.  A year is rebuilt when one of its months
 * changes, and only then. */
uint64_t dg_stamp_volume(uint64_t run, const char *key, const char *lang, const char *const *months,
                         const uint64_t *month_h, size_t n);

/* The one rule of staleness, for build and plan: the month whose
 * fingerprint is H needs no build when O does not force it, its record holds
 * H, each output O asks for is in place, and each character its record says
 * it took from the system's fonts gets the same answer from FONTS now
 * (dg_fonts_system: a font installed for a box, a fallback font changed or
 * removed make it stale; FONTS NULL: such a record is stale).  fontconfig
 * is not touched for a record without such characters. */
bool dg_month_fresh(const dg_options *o, const dg_month_files *f, uint64_t h, dg_fonts *fonts);

/* Before a book whose fingerprint is H is written again: whether its record
 * at PATH holds H and a character whose answer from the system's fonts
 * (FONTS) changed since (its cached cover image is then stale too), with
 * those characters added to LOG (the cover image, when it comes from the
 * cache, is not typeset again: its characters are carried over). */
bool dg_stamp_system_changed(const char *path, uint64_t h, dg_fonts *fonts, dg_fonts_log *log);

/* The quick way to the same answer, without making the book.  When a month
 * is built (or found fresh), OUT/.digest-state/YYYY-MM.files records its
 * fingerprint H beside a key and every file its book read or probed
 * (posts' images, image candidates that were not there, cached remote
 * images; dg_probe_log) with their identity (probe.h).  The key
 * (dg_stamp_quick) is RUN (dg_stamp_run) extended by what the site's scan
 * holds of the month: the site's metadata and folders, and each of the
 * month's posts (path, fields, text).  A month is fresh when the record holds
 * KEY, every file in it has the identity recorded, and dg_month_fresh says
 * so of the H recorded.  Anything else (no record, --force,
 * --refresh-images, a file changed) is no answer: make the book and ask
 * dg_month_fresh.  *NCHAPTERS: the book's chapters, for progress. */
uint64_t dg_stamp_quick(uint64_t run, const dg_options *o, const dg_site *site, const char *month,
                        const char *lang);
bool dg_month_quick_fresh(const dg_options *o, const dg_month_files *f, uint64_t key,
                          dg_fonts *fonts, size_t *nchapters);
/* The half of it that needs no outputs: the fingerprint *H the month's book
 * would have, known without making it when the record holds KEY and every
 * file in it has the identity recorded (not with --refresh-images).  A
 * volume's months are fingerprinted this way when they can be (plan.c). */
bool dg_month_quick_hash(const dg_options *o, const dg_month_files *f, uint64_t key, uint64_t *h,
                         size_t *nchapters);

/* Records at F->files that the book B, whose fingerprint is H, made under
 * KEY read the files of LOG, logged from wall time SINCE (dg_file_now).  No
 * record (an old one removed) when the book's images depend on more than
 * files (remote images not in the cache, --refresh-images), when a path
 * cannot be written on one line, or when a file changed too lately before
 * SINCE for its identity to show a change made in the same clock tick.
 * Returns 0 when recorded, else -1 (no message: the next build only takes
 * the long way). */
int dg_stamp_files_write(const dg_month_files *f, const dg_options *o, const dg_book *b,
                         uint64_t key, uint64_t h, const dg_probe_log *log, double since);

/* The wall clock as file times give it, in seconds. */
double dg_file_now(void);

/* Whether the record at PATH holds H (its first line). */
bool dg_stamp_matches(const char *path, uint64_t h);

/* Removes the record at PATH before the month's outputs are replaced.
 * Returns 0 (also when there was none), or -1 after reporting an error. */
int dg_stamp_invalidate(const char *path, dg_diag *d);

/* Records H at PATH (creating its folder) once every output is in place,
 * with the answer FONTS gives now for each character of LOG (NULL: none),
 * the characters the book asked the system's fonts for.  Returns 0, or -1
 * after a warning (the month is rebuilt next time). */
int dg_stamp_write(const char *path, uint64_t h, dg_fonts *fonts, const dg_fonts_log *log,
                   dg_diag *d);

#endif

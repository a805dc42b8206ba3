/* base.h - the base layer every stage stands on: the arena and buffers, the string map,
 * files and paths, UTF-8, hashing, the library loader, the clock.  Each
 * has its own header; this one includes them all. */
#ifndef DIGEST_BASE_H
#define DIGEST_BASE_H

#include "base/arena.h"
#include "base/calendar.h"
#include "base/clock.h"
#include "base/dl.h"
#include "base/fs.h"
#include "base/hash.h"
#include "base/map.h"
#include "base/utf8.h"

#endif

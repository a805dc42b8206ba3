/* glob.h - the glob patterns that choose posts (--include, --exclude).
 * Stage file: src/site/glob.c. */
#ifndef DIGEST_SITE_GLOB_H
#define DIGEST_SITE_GLOB_H

#include <stdbool.h>

/* True when PATH (slash-separated, relative) matches the glob PAT.  '*' and
 * '?' stay within one path component ('?' is one UTF-8 character), "[a-z]"
 * and "[!a-z]" are byte classes, "**" crosses folders ("**" + "/" also
 * matches no folder at all), a backslash quotes the next character.  A pattern
 * without '/' may match any one component (as .gitignore does); a leading
 * '/' anchors at the start.  Backtracking is capped: a hostile pattern
 * fails rather than runs long. */
bool dg_glob_match(const char *pat, const char *path);

#endif

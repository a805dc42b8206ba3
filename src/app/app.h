/* app.h - what the commands of src/app/ share among themselves: build,
 * list and check open the site the same way. */
#ifndef DIGEST_APP_H
#define DIGEST_APP_H

#include "digest/digest.h"
#include "site/site.h"

/* The site options O asks for (borrowed pointers). */
void dg_options_site(const dg_options *o, dg_site_opts *so);

#endif

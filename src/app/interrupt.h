/* interrupt.h - SIGINT and SIGTERM during a build: recorded by a handler,
 * looked at by the workers at safe points (interrupt.c). */
#ifndef DIGEST_APP_INTERRUPT_H
#define DIGEST_APP_INTERRUPT_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

/* Catches SIGINT and SIGTERM, keeping the earlier actions in OLD; one
 * ignored (a background job of a shell) stays ignored. */
void dg_stop_catch(struct sigaction old[2]);
void dg_stop_restore(const struct sigaction old[2]);
/* Whether a stop signal came; which one (0: none). */
bool dg_stopping(void);
int dg_stop_signal(void);

/* A test hook (tests/interrupt.sh), not a feature: DIGEST_TEST_RAISE=SIG@POINT,
 * SIG being INT or TERM and POINT epub (after the first EPUB written), pdf
 * (after the first PDF written before its EPUB, when both are made) or month
 * (after the first month built), makes the build raise that signal
 * itself there, so that a test interrupts it at a known place. */
typedef struct test_raise {
    int sig;
    const char *point;
    atomic_int done;
} dg_test_raise;

void dg_test_raise_init(dg_test_raise *t);
/* Raises the hook's signal when POINT is its point, the first time only. */
void dg_test_raise_at(dg_test_raise *t, const char *point);

#endif

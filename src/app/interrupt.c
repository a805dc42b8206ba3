/* interrupt.c - SIGINT and SIGTERM during a build (interrupt.h).
 *
 * SIGINT and SIGTERM only record which came (a lock-free atomic, safe in a
 * handler); the workers look at it at safe points: before a month, and
 * between a month's EPUB and its PDF.  A month stopped there keeps no stamp
 * (it was invalidated before its first output), so the next build makes it
 * again; every file under a final name is whole, as the writers rename
 * complete temporaries into place.  A second signal ends the process at
 * once, the default way; what it leaves is removed by the next build. */
#include "app/interrupt.h"

#include <stdlib.h>
#include <string.h>

static atomic_int stop_signal;

static void on_stop_signal(int sig)
{
    if (atomic_exchange(&stop_signal, sig) != 0) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

static const int STOP_SIGNALS[2] = {SIGINT, SIGTERM};

void dg_stop_catch(struct sigaction old[2])
{
    atomic_store(&stop_signal, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* libzip, qpdf and stdio need not see EINTR */
    for (int i = 0; i < 2; i++) {
        sigaction(STOP_SIGNALS[i], NULL, &old[i]);
        if (old[i].sa_handler != SIG_IGN)
            sigaction(STOP_SIGNALS[i], &sa, NULL);
    }
}

void dg_stop_restore(const struct sigaction old[2])
{
    for (int i = 0; i < 2; i++)
        sigaction(STOP_SIGNALS[i], &old[i], NULL);
}

bool dg_stopping(void)
{
    return atomic_load(&stop_signal) != 0;
}

void dg_test_raise_init(dg_test_raise *t)
{
    const char *v = getenv("DIGEST_TEST_RAISE");
    t->sig = 0;
    t->point = "";
    atomic_store(&t->done, 0);
    if (!v)
        return;
    if (!strncmp(v, "INT@", 4))
        t->sig = SIGINT;
    else if (!strncmp(v, "TERM@", 5))
        t->sig = SIGTERM;
    else
        return;
    t->point = strchr(v, '@') + 1;
}

void dg_test_raise_at(dg_test_raise *t, const char *point)
{
    if (t->sig && !strcmp(t->point, point) && atomic_exchange(&t->done, 1) == 0)
        raise(t->sig);
}

int dg_stop_signal(void)
{
    return atomic_load(&stop_signal);
}

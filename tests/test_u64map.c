/* test_u64map.c - the fixed-capacity integer table of base/u64map.h: lookups,
 * updates, and the three-quarters limit past which keys are not recorded. */
#include <stdint.h>

#include "base/u64map.h"
#include "test.h"

static void test_get_put(void)
{
    dg_u64map m;
    CHECK(dg_u64map_init(&m, 16) == 0);
    uint64_t v = 7;
    CHECK(!dg_u64map_get(&m, 42, &v) && v == 7);
    CHECK(dg_u64map_put(&m, 42, 1000));
    CHECK(dg_u64map_get(&m, 42, &v) && v == 1000);
    CHECK(dg_u64map_get(&m, 42, NULL));
    CHECK(dg_u64map_put(&m, 42, 1001)); /* an update, not a second key */
    CHECK(dg_u64map_get(&m, 42, &v) && v == 1001 && m.len == 1);
    CHECK(!dg_u64map_get(&m, 43, NULL));
    dg_u64map_free(&m);
    CHECK(m.slots == 0 && !dg_u64map_get(&m, 42, NULL) && !dg_u64map_put(&m, 42, 1));
}

/* Keys that collide on their slot (multiples of the table size, large
 * code points) still find their own value. */
static void test_probing(void)
{
    dg_u64map m;
    CHECK(dg_u64map_init(&m, 1024) == 0);
    for (uint64_t k = 1; k <= 700; k++)
        CHECK(dg_u64map_put(&m, k * 1024 + 0x10000, k));
    for (uint64_t k = 1; k <= 700; k++) {
        uint64_t v = 0;
        CHECK(dg_u64map_get(&m, k * 1024 + 0x10000, &v) && v == k);
    }
    CHECK(!dg_u64map_get(&m, 701 * 1024 + 0x10000, NULL));
    dg_u64map_free(&m);
}

/* The table records 3/4 of its slots, then refuses new keys (the caller
 * computes without caching) but keeps answering and updating old ones. */
static void test_full(void)
{
    dg_u64map m;
    CHECK(dg_u64map_init(&m, 8) == 0);
    for (uint64_t k = 1; k <= 6; k++)
        CHECK(dg_u64map_put(&m, k, k * 10));
    CHECK(!dg_u64map_put(&m, 7, 70));
    CHECK(!dg_u64map_get(&m, 7, NULL) && m.len == 6);
    CHECK(dg_u64map_put(&m, 3, 33));
    uint64_t v = 0;
    CHECK(dg_u64map_get(&m, 3, &v) && v == 33);
    CHECK(dg_u64map_get(&m, 6, &v) && v == 60);
    dg_u64map_free(&m);
}

int main(void)
{
    test_get_put();
    test_probing();
    test_full();
    TEST_DONE();
}

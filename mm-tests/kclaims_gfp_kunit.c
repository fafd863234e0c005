// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_gfp: the notes' claims about GFP flags checked against the
 * running kernel: what each flag is made of, what the allocator does with
 * it (zone choice, blocking, reserves, failure), and the memalloc scopes.
 *
 * Forced failures use current->fail_nth: failslab consults it only for
 * allocations without __GFP_DIRECT_RECLAIM and without __GFP_NOFAIL.
 * Real memory pressure comes from the bounded fixture below (struct
 * gfp_pressure): what it takes, reclaim can always take back.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/vmstat.h>
#ifdef CONFIG_X86
#include <asm/dma.h>
#endif

#include "../lib/kclaims.h"

#define CTX_TIMEOUT_MS		2000	/* generous: loaded 2-core host */
#define NR_PROBE_PAGES		64

struct irq_page_rec {
	struct page *atomic;
	struct page *nowait;
};

/* hardirq: record only */
static void irq_page_alloc_fn(void *arg)
{
	struct irq_page_rec *r = arg;

	r->atomic = alloc_page(GFP_ATOMIC);
	r->nowait = alloc_page(GFP_NOWAIT);
}

/*
 * MM-GFP-ATOMIC-CTX, MM-GFP-ATOMIC-RESERVE: GFP_ATOMIC never blocks (no
 * direct reclaim), may dip into reserves (__GFP_HIGH) and works in hardirq
 * context, here for a page allocation.
 */
static void gfp_atomic_does_not_block_and_uses_reserves(struct kunit *test)
{
	struct irq_page_rec r = {};
	struct kclaims_ctx_obs obs;
	int ret;

	KUNIT_EXPECT_FALSE(test, gfpflags_allow_blocking(GFP_ATOMIC));
	KUNIT_EXPECT_EQ(test, GFP_ATOMIC & __GFP_HIGH, __GFP_HIGH);
	KUNIT_EXPECT_EQ(test, GFP_ATOMIC & __GFP_KSWAPD_RECLAIM,
			__GFP_KSWAPD_RECLAIM);

	ret = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, irq_page_alloc_fn, &r, &obs,
			     CTX_TIMEOUT_MS);
	/* nothing runs after kclaims_run_in() returns: free, then check */
	if (r.atomic)
		__free_page(r.atomic);
	if (r.nowait)
		__free_page(r.nowait);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_EXPECT_NOT_NULL(test, r.atomic);
	KUNIT_EXPECT_NOT_NULL(test, r.nowait);
}

static unsigned long free_pages_snapshot(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		sum += zone_page_state_snapshot(zone, NR_FREE_PAGES);
	return sum;
}

/* Free pages as the watermark checks read them (without per-CPU deltas). */
static unsigned long free_pages_now(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		sum += zone_page_state(zone, NR_FREE_PAGES);
	return sum;
}

static unsigned long highatomic_reserved(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		sum += READ_ONCE(zone->nr_reserved_highatomic);
	return sum;
}

/* Sum over the populated zones of watermark @wm, boost included. */
static unsigned long watermark_sum(enum zone_watermarks wm)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		sum += wmark_pages(zone, wm);
	return sum;
}

/*
 * The same without the boost (raised after fragmenting fallbacks, reset
 * by kswapd at any time): the lowest value the checks may use.
 */
static unsigned long watermark_sum_unboosted(enum zone_watermarks wm)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		sum += zone->_watermark[wm];
	return sum;
}

/*
 * Bounded memory pressure, for the cases that need reclaim to happen
 * (MM-GFP-KERNEL-SLEEP, MM-GFP-NOFAIL). Free memory is taken with
 * PRESSURE_GFP, a mask without any reclaim flag: it never reclaims, never
 * wakes kswapd, and the allocator itself stops it at the min watermark
 * (the level below which only __GFP_HIGH/PF_MEMALLOC callers may go).
 * As that watermark moves with its boost, GFP_ATOMIC (which may go below
 * it) then takes free memory down to a fixed PRESSURE_LEVEL of the
 * unboosted min watermark. Everything taken sits on per-order lists
 * behind a shrinker, so reclaim can always take it back. Why nothing can
 * end in an OOM (which would panic here: KUnit runs before any user
 * process exists to be killed):
 *  - any other task that enters direct reclaim gets a block from the
 *    shrinker at once, so its allocation makes progress and never reaches
 *    the OOM killer;
 *  - kswapd gets nothing (the count is 0 for it), or it would race the
 *    case's own direct reclaim for the same memory; only non-blocking
 *    allocations wait for kswapd, and they still have the reserve below
 *    the min watermark (if kswapd gives up meanwhile, the case's own
 *    successful reclaim pass revives it: shrink_node() resets
 *    kswapd_failures);
 *  - the case's own allocations carry __GFP_NORETRY, which leaves the slow
 *    path after one reclaim pass, before the OOM killer ("Do not loop if
 *    specifically requested" in __alloc_pages_slowpath()), and what the
 *    shrinker refuses the case it refuses only until a deadline;
 *  - between the fill and the release the case allocates nothing else and
 *    makes no kunit call (both would allocate).
 * The shrinker hands out blocks, highest order first, until free memory
 * is above the high watermark again (kswapd's goal), then stops the scan
 * (SHRINK_STOP): one reclaim pass ends the pressure for its caller. Its
 * seeks are 0 so that it is scanned at the first reclaim priority; the
 * pages it frees are reported to reclaim as reclaimed, as slab frees are.
 */
#define PRESSURE_GFP	(__GFP_MOVABLE | __GFP_NOWARN)
/* free memory left, in percent of the unboosted min watermark */
#define PRESSURE_LEVEL	75

struct gfp_pressure {
	spinlock_t lock;
	struct list_head held[NR_PAGE_ORDERS];
	unsigned long nr_pages;		/* on the lists */
	struct shrinker *shrinker;
	struct task_struct *tester;	/* the case's own task */
	ktime_t refuse_until;		/* tester gets nothing before this */
	bool sleep_in_tester;		/* sleep once when giving to tester */
	/* recorded by the shrinker, checked after the release */
	unsigned int tester_calls;	/* count calls from tester's reclaim */
	unsigned int tester_sleeps;
	unsigned long given_tester, given_others;
	unsigned int kswapd_calls;
	bool tester_in_task, tester_preemptible, tester_memalloc;
	gfp_t tester_gfp;
};

static unsigned long pressure_count(struct shrinker *s,
				    struct shrink_control *sc)
{
	struct gfp_pressure *p = s->private_data;

	if (current_is_kswapd()) {
		p->kswapd_calls++;
		return 0;
	}
	if (current == p->tester) {
		p->tester_calls++;
		if (ktime_before(ktime_get(), p->refuse_until))
			return 0;
	}
	return READ_ONCE(p->nr_pages);
}

static unsigned long pressure_scan(struct shrinker *s,
				   struct shrink_control *sc)
{
	struct gfp_pressure *p = s->private_data;
	unsigned long nr = 0;

	do {
		struct page *pg = NULL;
		int order;

		spin_lock(&p->lock);
		for (order = MAX_PAGE_ORDER; order >= 0; order--) {
			pg = list_first_entry_or_null(&p->held[order],
						      struct page, lru);
			if (pg) {
				list_del(&pg->lru);
				p->nr_pages -= 1UL << order;
				break;
			}
		}
		spin_unlock(&p->lock);
		if (!pg)
			break;
		__free_pages(pg, order);
		nr += 1UL << order;
	} while (free_pages_now() <= watermark_sum(WMARK_HIGH));
	if (!nr)
		return SHRINK_STOP;

	mm_account_reclaimed_pages(nr);
	if (current != p->tester) {
		p->given_others += nr;
		return SHRINK_STOP;
	}
	p->given_tester += nr;
	p->tester_in_task = in_task();
	p->tester_preemptible = preemptible();
	p->tester_memalloc = current->flags & PF_MEMALLOC;
	p->tester_gfp = sc->gfp_mask;
	/* a reclaim callback may block (shrinkers wait for locks and I/O) */
	if (p->sleep_in_tester && preemptible()) {
		usleep_range(100, 200);
		p->tester_sleeps++;
	}
	return SHRINK_STOP;
}

static void pressure_release(void *data)
{
	struct gfp_pressure *p = data;
	int order;

	/* waits for shrinker calls in flight; then nobody else sees p */
	shrinker_free(p->shrinker);
	p->shrinker = NULL;
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		while (!list_empty(&p->held[order])) {
			struct page *pg = list_first_entry(&p->held[order],
							   struct page, lru);

			list_del(&pg->lru);
			__free_pages(pg, order);
		}
	}
	p->nr_pages = 0;
}

static struct gfp_pressure *pressure_setup(struct kunit *test)
{
	struct gfp_pressure *p;
	int order;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	spin_lock_init(&p->lock);
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		INIT_LIST_HEAD(&p->held[order]);
	p->tester = current;
	p->shrinker = shrinker_alloc(0, "kclaims-gfp-pressure");
	KUNIT_ASSERT_NOT_NULL(test, p->shrinker);
	p->shrinker->count_objects = pressure_count;
	p->shrinker->scan_objects = pressure_scan;
	p->shrinker->seeks = 0;
	p->shrinker->private_data = p;
	shrinker_register(p->shrinker);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pressure_release,
							p), 0);
	return p;
}

static void pressure_hold(struct gfp_pressure *p, struct page *pg, int order)
{
	spin_lock(&p->lock);
	list_add(&pg->lru, &p->held[order]);
	p->nr_pages += 1UL << order;
	spin_unlock(&p->lock);
}

/* Take blocks with @gfp, from @top_order down to 0, until each fails. */
static void pressure_take(struct gfp_pressure *p, gfp_t gfp, int top_order)
{
	unsigned long budget = totalram_pages();
	int order;

	for (order = top_order; order >= 0; order--) {
		while (budget) {
			struct page *pg = alloc_pages(gfp, order);

			if (!pg)
				break;
			budget--;
			pressure_hold(p, pg, order);
		}
	}
}

/*
 * Free memory down to PRESSURE_LEVEL percent of the unboosted min
 * watermark: below every min watermark a blocking request checks, above
 * the half of it that __GFP_HIGH (and __GFP_NOFAIL's last resort) may use.
 * An order-0 allocation refills the per-CPU list with a whole batch taken
 * from the free count, so the per-CPU lists are drained after each one:
 * the free count then falls one page at a time and stops at the level.
 */
static void pressure_fill(struct gfp_pressure *p)
{
	unsigned long level, budget = totalram_pages();

	pressure_take(p, PRESSURE_GFP, MAX_PAGE_ORDER);
	level = watermark_sum_unboosted(WMARK_MIN) * PRESSURE_LEVEL / 100;
	drain_all_pages(NULL);
	while (budget-- && free_pages_now() > level) {
		struct page *pg = alloc_page(GFP_ATOMIC | __GFP_NOWARN);

		if (!pg)
			break;
		pressure_hold(p, pg, 0);
		drain_all_pages(NULL);
	}
}

/* Allocation stalls (entries into direct reclaim) counted in @ev. */
static unsigned long allocstalls(const unsigned long *ev)
{
	unsigned long sum = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		sum += ev[ALLOCSTALL_NORMAL - ZONE_NORMAL + z];
	return sum;
}

/*
 * MM-GFP-KERNEL-SLEEP: a GFP_KERNEL allocation may sleep, which is why it
 * is forbidden in interrupt handlers. Shown under real pressure (free
 * memory below the min watermark, only reclaim can free more): GFP_NOWAIT
 * fails there without entering reclaim, while the same order-0 request
 * with GFP_KERNEL runs direct reclaim itself: the allocation stall counter
 * moves, and reclaim calls the shrinkers in the allocating task, which is
 * preemptible and marked PF_MEMALLOC; a shrinker that blocks there (as
 * filesystem shrinkers do) puts the allocating task to sleep. The request
 * carries __GFP_NORETRY only to make an OOM impossible (see struct
 * gfp_pressure); the reclaim pass itself is GFP_KERNEL's.
 */
static void gfp_kernel_reclaims_and_sleeps_under_pressure(struct kunit *test)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;
	unsigned long nv, nvcsw_nowait, nvcsw_kernel, held, free_held, min_wm;
	unsigned long *ev0, *ev1, stalls, others0, others_window, free_kern;
	unsigned int calls_nowait;
	struct gfp_pressure *p;
	struct page *nowait, *kern;
	int attempt;

	ev0 = kunit_kcalloc(test, NR_VM_EVENT_ITEMS, sizeof(*ev0), GFP_KERNEL);
	ev1 = kunit_kcalloc(test, NR_VM_EVENT_ITEMS, sizeof(*ev1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ev0);
	KUNIT_ASSERT_NOT_NULL(test, ev1);

	/*
	 * The task is preemptible from the end of the fill to its own
	 * reclaim pass, and on a loaded host a tick (or a wakeup) may hand
	 * the CPU to another task there. If that task enters direct reclaim,
	 * the shrinker gives it memory up to the high watermark (it must: see
	 * struct gfp_pressure), the pressure is gone before this task's
	 * requests and nothing is shown. That is seen (given_others moved
	 * in the window); such an attempt is void and the fill is redone,
	 * at most 3 times; the checks apply to the last attempt as they are.
	 */
	for (attempt = 1; ; attempt++) {
		p = pressure_setup(test);
		p->sleep_in_tester = true;

		pressure_fill(p);
		others0 = p->given_others;
		held = p->nr_pages;
		free_held = free_pages_now();
		min_wm = watermark_sum_unboosted(WMARK_MIN);

		nv = READ_ONCE(current->nvcsw);
		nowait = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
		nvcsw_nowait = READ_ONCE(current->nvcsw) - nv;
		calls_nowait = p->tester_calls;
		all_vm_events(ev0);
		free_kern = free_pages_now();
		nv = READ_ONCE(current->nvcsw);
		kern = alloc_page(gfp);
		nvcsw_kernel = READ_ONCE(current->nvcsw) - nv;
		all_vm_events(ev1);
		others_window = p->given_others - others0;
		kunit_release_action(test, pressure_release, p);
		if (nowait)
			__free_page(nowait);
		if (kern)
			__free_page(kern);
		if (!others_window || attempt == 3)
			break;
		kunit_info(test, "attempt %d void: another task reclaimed %lu pages after the fill",
			   attempt, others_window);
	}
	stalls = allocstalls(ev1) - allocstalls(ev0);

	kunit_info(test, "attempt %d: held %lu pages, %lu left free (min watermark %lu), %lu before GFP_KERNEL; kswapd asked %u times, others given %lu pages (%lu after the fill)",
		   attempt, held, free_held, min_wm, free_kern, p->kswapd_calls,
		   p->given_others, others_window);
	kunit_info(test, "GFP_KERNEL: %lu stall(s), %u shrinker call(s) from this task, %lu pages given, %u sleep(s), %lu voluntary switch(es)",
		   stalls, p->tester_calls - calls_nowait, p->given_tester,
		   p->tester_sleeps, nvcsw_kernel);
	KUNIT_EXPECT_LT(test, free_held, min_wm);
	/* a non-blocking request fails without reclaiming or sleeping */
	KUNIT_EXPECT_NULL(test, nowait);
	KUNIT_EXPECT_EQ(test, calls_nowait, 0U);
	KUNIT_EXPECT_EQ(test, nvcsw_nowait, 0UL);
	/* GFP_KERNEL reclaims in the allocating task, and succeeds */
	KUNIT_EXPECT_NOT_NULL(test, kern);
	KUNIT_EXPECT_GE(test, stalls, 1UL);
	KUNIT_EXPECT_GE(test, p->tester_calls - calls_nowait, 1U);
	KUNIT_EXPECT_GT(test, p->given_tester, 0UL);
	KUNIT_EXPECT_EQ(test, p->tester_gfp, gfp);
	KUNIT_EXPECT_TRUE(test, p->tester_in_task);
	KUNIT_EXPECT_TRUE(test, p->tester_preemptible);
	KUNIT_EXPECT_TRUE(test, p->tester_memalloc);
	/* ... where it may sleep: it did */
	KUNIT_EXPECT_GE(test, p->tester_sleeps, 1U);
	KUNIT_EXPECT_GE(test, nvcsw_kernel, 1UL);
}

/*
 * MM-GFP-ATOMIC-RESERVE: GFP_ATOMIC may dip into the reserve below the min
 * watermark, GFP_NOWAIT may not. With free memory held at PRESSURE_LEVEL
 * percent of the unboosted min watermark (struct gfp_pressure), an order-0
 * GFP_NOWAIT request fails, while the same request with GFP_ATOMIC gets a
 * page: its __GFP_HIGH becomes ALLOC_MIN_RESERVE, which lowers the mark to
 * half of min, and as a non-blocking request (ALLOC_NON_BLOCK) it may go a
 * quarter of that lower still (__zone_watermark_ok()). The reserve has a
 * floor: GFP_ATOMIC taken a page at a time (the per-CPU lists drained after
 * each, as in pressure_fill()) fails at 3/8 of min, below half of it and
 * well above a quarter. Neither request can reclaim, so the shrinker is
 * never asked by this task; everything is given back before any check.
 */
static void gfp_atomic_dips_below_the_min_watermark(struct kunit *test)
{
	unsigned long min_wm, free_held, free_floor, budget = totalram_pages();
	unsigned long extra = 0;
	struct page *nowait, *atomic;
	struct gfp_pressure *p;

	p = pressure_setup(test);
	pressure_fill(p);
	min_wm = watermark_sum_unboosted(WMARK_MIN);
	free_held = free_pages_now();

	nowait = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
	atomic = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
	drain_all_pages(NULL);
	/* how deep: GFP_ATOMIC a page at a time until it fails too */
	while (budget--) {
		struct page *pg = alloc_page(GFP_ATOMIC | __GFP_NOWARN);

		if (!pg)
			break;
		pressure_hold(p, pg, 0);
		extra++;
		drain_all_pages(NULL);
	}
	free_floor = free_pages_now();
	kunit_release_action(test, pressure_release, p);
	if (nowait)
		__free_page(nowait);
	if (atomic)
		__free_page(atomic);

	kunit_info(test, "min watermark %lu, %lu free: GFP_NOWAIT %s, GFP_ATOMIC %s; GFP_ATOMIC took %lu more pages and stopped at %lu free",
		   min_wm, free_held, nowait ? "succeeded" : "failed",
		   atomic ? "succeeded" : "failed", extra, free_floor);
	KUNIT_EXPECT_LT(test, free_held, min_wm);
	KUNIT_EXPECT_NULL(test, nowait);
	KUNIT_EXPECT_NOT_NULL(test, atomic);
	KUNIT_EXPECT_EQ(test, p->tester_calls, 0U);
	/* the floor: 3/8 of min (1/2 for __GFP_HIGH, 3/4 of that non-blocking) */
	KUNIT_EXPECT_GT(test, extra, 0UL);
	KUNIT_EXPECT_LT(test, free_floor, min_wm / 2);
	KUNIT_EXPECT_GT(test, free_floor, min_wm / 4);
}

/* Take order-MAX_PAGE_ORDER blocks with @gfp into @held[nr..cap). */
static unsigned long take_max_order_blocks(gfp_t gfp, struct page **held,
					   unsigned long nr, unsigned long cap)
{
	while (nr < cap) {
		held[nr] = alloc_pages(gfp, MAX_PAGE_ORDER);
		if (!held[nr])
			break;
		nr++;
	}
	return nr;
}

/*
 * Free the @nr blocks, then count those whose head is again a free buddy
 * block of MAX_PAGE_ORDER (the top order: it cannot merge further). With
 * irqs off on one CPU nobody can take them in between.
 */
static unsigned long give_back_max_order_blocks(struct page **held,
						unsigned long nr)
{
	unsigned long i, back = 0, flags;

	local_irq_save(flags);
	for (i = 0; i < nr; i++)
		__free_pages(held[i], MAX_PAGE_ORDER);
	for (i = 0; i < nr; i++) {
		struct zone *zone = page_zone(held[i]);

		spin_lock(&zone->lock);
		if (PageBuddy(held[i]) && page_private(held[i]) == MAX_PAGE_ORDER)
			back++;
		spin_unlock(&zone->lock);
	}
	local_irq_restore(flags);
	return back;
}

/*
 * Keep @nr pages' worth of memory free in blocks below MAX_PAGE_ORDER:
 * split order-MAX_PAGE_ORDER blocks into pages and give back all but the
 * first page of each. The freed pages merge into one block of each order
 * 0 .. MAX_PAGE_ORDER - 1 (the kept page stops the last merge), usable by
 * everyone but unable to form a MAX_PAGE_ORDER block again. Returns the
 * number of blocks split into @keep.
 */
static unsigned int keep_small_block_reserve(struct page **keep,
					     unsigned long nr)
{
	unsigned int n = 0, i;

	while ((unsigned long)n * ((1U << MAX_PAGE_ORDER) - 1) < nr) {
		keep[n] = alloc_pages(PRESSURE_GFP, MAX_PAGE_ORDER);
		if (!keep[n])
			break;
		split_page(keep[n], MAX_PAGE_ORDER);
		for (i = 1; i < (1U << MAX_PAGE_ORDER); i++)
			__free_page(keep[n] + i);
		n++;
	}
	/* off the per-CPU lists, into the buddy lists where they merge */
	drain_all_pages(NULL);
	return n;
}

#define ATOMIC_RESERVE_BLOCKS_MAX	16

/*
 * MM-GFP-ATOMIC-RETRY (claim false): GFP_ATOMIC does not "hold on until it
 * succeeds". With no MAX_PAGE_ORDER block left, a GFP_ATOMIC request for
 * one returns NULL at once, without sleeping (no voluntary context switch)
 * and without any retry loop. Everything taken is given back (each block
 * checked free again in the buddy lists) before any check that allocates.
 *
 * Why this is safe: only MAX_PAGE_ORDER blocks are taken, and a reserve of
 * twice the zones' high watermark is kept free in smaller blocks first
 * (keep_small_block_reserve()). So while the blocks are held, free memory
 * stays above the high watermark: an order-0..3 allocation anywhere in the
 * system is served without even waking kswapd, let alone reclaiming or
 * reaching the OOM killer (which would panic here, with no user process
 * to kill); a larger one may fail, but the allocator never invokes the OOM
 * killer above PAGE_ALLOC_COSTLY_ORDER. The case checks the reserve held.
 *
 * Side effects kept small: the blocks are first taken with PRESSURE_GFP (no
 * reclaim, no kswapd wakeup, and it can never turn a pageblock into a
 * MIGRATE_HIGHATOMIC reserve: only a __GFP_HIGH order > 0 request that
 * succeeds in the slow path does). GFP_ATOMIC is then asked until it fails;
 * its one failing slow-path call wakes kswapd (harmless: the blocks are
 * back before it can do much). If GFP_ATOMIC still found blocks (e.g. on
 * the highatomic lists only it may use), their pageblocks may stay
 * highatomic reserves after the test; the log line reports it (later
 * exact-count cases do not depend on it: highatomic free pages are still
 * counted in NR_FREE_PAGES and in the buddy lists).
 */
static void gfp_atomic_fails_fast_instead_of_retrying(struct kunit *test)
{
	const gfp_t gfp = GFP_ATOMIC | __GFP_NOWARN;
	unsigned long cap = (totalram_pages() >> MAX_PAGE_ORDER) + 1;
	unsigned long nr_plain, nr, back, nvcsw0, nvcsw, i;
	unsigned long free0, free_held, free1, hiat0, hiat1, reserve;
	unsigned int nr_keep;
	struct page **held, **keep;
	bool failed = false;
	s64 fail_ns = 0, total_ns;
	ktime_t t0, t;

	KUNIT_EXPECT_EQ(test, GFP_ATOMIC & (__GFP_DIRECT_RECLAIM |
			__GFP_NOFAIL | __GFP_RETRY_MAYFAIL), 0U);

	held = kunit_kmalloc_array(test, cap + 1, sizeof(*held), GFP_KERNEL);
	keep = kunit_kmalloc_array(test, ATOMIC_RESERVE_BLOCKS_MAX,
				   sizeof(*keep), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	KUNIT_ASSERT_NOT_NULL(test, keep);
	reserve = 2 * watermark_sum(WMARK_HIGH);
	KUNIT_ASSERT_LE(test, reserve, (unsigned long)ATOMIC_RESERVE_BLOCKS_MAX *
			((1U << MAX_PAGE_ORDER) - 1));

	free0 = free_pages_snapshot();
	hiat0 = highatomic_reserved();
	nr_keep = keep_small_block_reserve(keep, reserve);
	nr_plain = take_max_order_blocks(PRESSURE_GFP, held, 0, cap);
	free_held = free_pages_snapshot();

	nr = nr_plain;
	nvcsw0 = READ_ONCE(current->nvcsw);
	t0 = ktime_get();
	while (nr <= cap) {
		t = ktime_get();
		held[nr] = alloc_pages(gfp, MAX_PAGE_ORDER);
		if (!held[nr]) {
			fail_ns = ktime_to_ns(ktime_sub(ktime_get(), t));
			failed = true;
			break;
		}
		nr++;
	}
	total_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	nvcsw = READ_ONCE(current->nvcsw) - nvcsw0;

	back = give_back_max_order_blocks(held, nr);
	for (i = 0; i < nr_keep; i++)
		__free_page(keep[i]);
	free1 = free_pages_snapshot();
	hiat1 = highatomic_reserved();

	kunit_info(test, "order %d blocks: %lu plain + %lu GFP_ATOMIC; failing call %lld ns, atomic loop %lld ns",
		   MAX_PAGE_ORDER, nr_plain, nr - nr_plain, fail_ns, total_ns);
	kunit_info(test, "free pages %lu -> %lu while held (reserve %lu) -> %lu, highatomic reserve %lu -> %lu",
		   free0, free_held, reserve, free1, hiat0, hiat1);
	/* the reserve held: nobody else had to reclaim meanwhile */
	KUNIT_EXPECT_GE(test, nr_keep * ((1UL << MAX_PAGE_ORDER) - 1), reserve);
	KUNIT_EXPECT_GT(test, free_held, watermark_sum(WMARK_HIGH));
	KUNIT_EXPECT_TRUE_MSG(test, failed, "never failed within %lu blocks", cap);
	KUNIT_EXPECT_GE(test, nr, 1UL);
	KUNIT_EXPECT_EQ(test, nvcsw, 0UL);
	/* one failed attempt; retrying "until success" would not return */
	KUNIT_EXPECT_LT(test, fail_ns, (s64)NSEC_PER_SEC);
	KUNIT_EXPECT_LT(test, total_ns, 2 * (s64)NSEC_PER_SEC);
	if (num_online_cpus() == 1)
		KUNIT_EXPECT_EQ(test, back, nr);
}

/*
 * MM-GFP-NOWAIT, MM-GFP-ATOMIC-RESERVE: GFP_NOWAIT (6.12.117: kswapd
 * reclaim + NOWARN) has neither direct reclaim, I/O, FS nor the __GFP_HIGH
 * reserve access that GFP_ATOMIC has; like GFP_ATOMIC it can be forced to
 * fail, and it is then reported as NULL.
 */
static void gfp_nowait_has_no_reserves_and_can_fail(struct kunit *test)
{
	void *p;

	KUNIT_EXPECT_EQ(test, GFP_NOWAIT & (__GFP_HIGH | __GFP_DIRECT_RECLAIM |
			__GFP_IO | __GFP_FS), 0U);
	KUNIT_EXPECT_EQ(test, GFP_NOWAIT & __GFP_KSWAPD_RECLAIM,
			__GFP_KSWAPD_RECLAIM);
	KUNIT_EXPECT_FALSE(test, gfpflags_allow_blocking(GFP_NOWAIT));
	KUNIT_EXPECT_NE(test, GFP_ATOMIC & __GFP_HIGH, GFP_NOWAIT & __GFP_HIGH);

	current->fail_nth = 1;
	p = kmalloc(64, GFP_NOWAIT);
	current->fail_nth = 0;
	KUNIT_EXPECT_NULL(test, p);
	kfree(p);
}

/*
 * MM-GFP-NOIO: GFP_NOIO may block (direct reclaim) but has no __GFP_IO;
 * the preferred scope API strips __GFP_IO/__GFP_FS from every allocation
 * of the task, GFP_KERNEL included, until the scope ends.
 */
static void gfp_noio_scope_strips_io_and_fs(struct kunit *test)
{
	unsigned int flags;
	gfp_t in_scope, nested;

	KUNIT_EXPECT_EQ(test, GFP_NOIO, __GFP_RECLAIM);
	KUNIT_EXPECT_TRUE(test, gfpflags_allow_blocking(GFP_NOIO));

	flags = memalloc_noio_save();
	in_scope = current_gfp_context(GFP_KERNEL);
	nested = current_gfp_context(GFP_NOFS);
	memalloc_noio_restore(flags);

	KUNIT_EXPECT_EQ(test, in_scope, GFP_NOIO);
	KUNIT_EXPECT_EQ(test, nested, GFP_NOIO);
	KUNIT_EXPECT_EQ(test, current_gfp_context(GFP_KERNEL), GFP_KERNEL);
	KUNIT_EXPECT_FALSE(test, current->flags & PF_MEMALLOC_NOIO);
}

/*
 * MM-GFP-NOFS: GFP_NOFS still reclaims and does I/O but no FS calls; the
 * nofs scope turns GFP_KERNEL into GFP_NOFS, and a noio scope opened
 * inside it wins (NOIO implies NOFS).
 */
static void gfp_nofs_scope_strips_fs_only(struct kunit *test)
{
	unsigned int nofs, noio;
	gfp_t in_nofs, in_both;

	KUNIT_EXPECT_EQ(test, GFP_NOFS, __GFP_RECLAIM | __GFP_IO);
	KUNIT_EXPECT_TRUE(test, gfpflags_allow_blocking(GFP_NOFS));

	nofs = memalloc_nofs_save();
	in_nofs = current_gfp_context(GFP_KERNEL);
	noio = memalloc_noio_save();
	in_both = current_gfp_context(GFP_KERNEL);
	memalloc_noio_restore(noio);
	memalloc_nofs_restore(nofs);

	KUNIT_EXPECT_EQ(test, in_nofs, GFP_NOFS);
	KUNIT_EXPECT_TRUE(test, gfpflags_allow_blocking(in_nofs));
	KUNIT_EXPECT_EQ(test, in_both, GFP_NOIO);
	KUNIT_EXPECT_EQ(test, current_gfp_context(GFP_KERNEL), GFP_KERNEL);
}

#define USER_TRIES	16

/*
 * MM-GFP-USER (nuance): GFP_USER is GFP_KERNEL plus the cpuset hardwall
 * bit only (which limits the nodes a task in a cpuset may use, nothing
 * else); the allocator keeps no separate pool for user pages. A page
 * freed by a GFP_KERNEL allocation is handed to the very next GFP_USER
 * allocation, and the other way round (both take the same per-CPU free
 * list, last freed first), from the same zone.
 */
static void gfp_user_shares_the_kernels_free_pages(struct kunit *test)
{
	unsigned int i, k2u = 0, u2k = 0, zone_diff = 0;

	KUNIT_EXPECT_EQ(test, GFP_USER, GFP_KERNEL | __GFP_HARDWALL);

	for (i = 0; i < USER_TRIES; i++) {
		struct page *k, *u;

		k = alloc_page(GFP_KERNEL);
		if (!k)
			break;
		__free_page(k);
		u = alloc_page(GFP_USER);
		if (!u)
			break;
		k2u += u == k;
		__free_page(u);

		u = alloc_page(GFP_USER);
		if (!u)
			break;
		__free_page(u);
		k = alloc_page(GFP_KERNEL);
		if (!k)
			break;
		u2k += k == u;
		zone_diff += page_zonenum(k) != page_zonenum(u);
		__free_page(k);
	}
	kunit_info(test, "of %u tries: kernel page reused by GFP_USER %u times, user page reused by GFP_KERNEL %u times",
		   USER_TRIES, k2u, u2k);
	KUNIT_EXPECT_EQ(test, i, USER_TRIES);
	KUNIT_EXPECT_GE(test, k2u, USER_TRIES / 2);
	KUNIT_EXPECT_GE(test, u2k, USER_TRIES / 2);
	KUNIT_EXPECT_EQ(test, zone_diff, 0U);
}

/*
 * Zone a @gfp page comes from while memory is plentiful: the highest
 * populated zone at or below gfp_zone(@gfp), the head of its zonelist.
 */
static int preferred_zone_idx(gfp_t gfp)
{
	pg_data_t *pgdat = NODE_DATA(numa_node_id());
	int z;

	for (z = gfp_zone(gfp); z >= 0; z--)
		if (populated_zone(&pgdat->node_zones[z]))
			return z;
	return -1;
}

/* Allocate NR_PROBE_PAGES with @gfp; count pages outside zone @want. */
static unsigned int probe_page_zones(struct kunit *test, gfp_t gfp, int want)
{
	struct page *pages[NR_PROBE_PAGES];
	unsigned int i, n = 0, bad = 0;

	for (i = 0; i < NR_PROBE_PAGES; i++) {
		void *addr;

		pages[n] = alloc_page(gfp);
		if (!pages[n])
			break;
		addr = page_address(pages[n]);
		if ((int)page_zonenum(pages[n]) != want || !addr ||
		    !virt_addr_valid(addr))
			bad++;
		n++;
	}
	while (n)
		__free_page(pages[--n]);
	KUNIT_EXPECT_EQ(test, i, NR_PROBE_PAGES);
	return bad;
}

/*
 * MM-GFP-HIGHUSER (64-bit half): GFP_HIGHUSER is GFP_USER | __GFP_HIGHMEM,
 * but without CONFIG_HIGHMEM the highmem modifier maps to ZONE_NORMAL:
 * its pages come from the highest populated zone up to ZONE_NORMAL (the
 * normal zone itself on UML) and sit in the linear map.
 */
static void gfp_highuser_is_normal_zone_without_highmem(struct kunit *test)
{
	int want = preferred_zone_idx(GFP_HIGHUSER);

	if (IS_ENABLED(CONFIG_HIGHMEM))
		kunit_skip(test, "HIGHMEM kernel: see the i386 case");

	KUNIT_EXPECT_EQ(test, GFP_HIGHUSER, GFP_USER | __GFP_HIGHMEM);
	KUNIT_EXPECT_EQ(test, gfp_zone(GFP_HIGHUSER), ZONE_NORMAL);
	KUNIT_ASSERT_GE(test, want, 0);
	if (IS_ENABLED(CONFIG_UML))
		KUNIT_EXPECT_EQ(test, want, (int)ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, probe_page_zones(test, GFP_HIGHUSER, want), 0U);
}

/*
 * MM-GFP-HIGHUSER (32-bit half): on i386 with HIGHMEM and RAM above
 * 896 MiB, GFP_HIGHUSER pages come from ZONE_HIGHMEM and have no
 * permanent kernel address.
 */
static void gfp_highuser_uses_highmem_on_i386(struct kunit *test)
{
#ifdef CONFIG_HIGHMEM
	struct page *pages[NR_PROBE_PAGES];
	unsigned int n = 0, high = 0;

	if (!totalhigh_pages())
		kunit_skip(test, "needs >896 MiB RAM for highmem (QEMU -m 2G)");

	KUNIT_EXPECT_EQ(test, gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
	while (n < NR_PROBE_PAGES) {
		pages[n] = alloc_page(GFP_HIGHUSER);
		if (!pages[n])
			break;
		if (PageHighMem(pages[n]) && !page_address(pages[n]))
			high++;
		n++;
	}
	while (n)
		__free_page(pages[--n]);
	KUNIT_EXPECT_GT(test, high, 0U);
#else
	kunit_skip(test, "needs i386 with HIGHMEM and >896 MiB RAM (QEMU -m 2G)");
#endif
}

/*
 * MM-GFP-KERNEL-LOWMEM: GFP_KERNEL carries no highmem modifier, so its
 * pages come from the highest populated zone up to ZONE_NORMAL and always
 * have a logical (direct-map) address. Meaningful on i386 with highmem,
 * where that zone lies below ZONE_HIGHMEM.
 */
static void gfp_kernel_pages_are_always_lowmem(struct kunit *test)
{
	int want = preferred_zone_idx(GFP_KERNEL);

	KUNIT_EXPECT_EQ(test, GFP_KERNEL & __GFP_HIGHMEM, 0U);
	KUNIT_EXPECT_EQ(test, gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	KUNIT_ASSERT_GE(test, want, 0);
	KUNIT_EXPECT_LE(test, want, (int)ZONE_NORMAL);
	if (IS_ENABLED(CONFIG_UML))
		KUNIT_EXPECT_EQ(test, want, (int)ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, probe_page_zones(test, GFP_KERNEL, want), 0U);
}

/*
 * MM-GFP-DMA-ZONE, MM-GFP-DMA-ADDRBITS (UML/no-ZONE_DMA half): without
 * ZONE_DMA/ZONE_DMA32 the zone modifiers fall back to ZONE_NORMAL and a
 * GFP_DMA allocation is an ordinary normal-zone page.
 */
static void gfp_dma_maps_to_normal_without_dma_zones(struct kunit *test)
{
	struct page *pg;

	if (IS_ENABLED(CONFIG_ZONE_DMA) || IS_ENABLED(CONFIG_ZONE_DMA32))
		kunit_skip(test, "this kernel has DMA zones: see the x86 cases");

	KUNIT_EXPECT_EQ(test, gfp_zone(GFP_DMA), ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, gfp_zone(GFP_DMA32), ZONE_NORMAL);
	pg = alloc_page(GFP_KERNEL | GFP_DMA);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_EQ(test, page_zonenum(pg), ZONE_NORMAL);
	__free_page(pg);
}

/*
 * MM-GFP-DMA-ZONE (x86 half): GFP_DMA pages come from ZONE_DMA, the first
 * 16 MiB of physical memory.
 */
static void gfp_dma_allocates_below_16mib_on_x86(struct kunit *test)
{
#if defined(CONFIG_X86) && defined(CONFIG_ZONE_DMA)
	struct page *pg;

	pg = alloc_page(GFP_KERNEL | GFP_DMA);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_EQ(test, page_zonenum(pg), ZONE_DMA);
	KUNIT_EXPECT_LT(test, (u64)page_to_phys(pg), (u64)SZ_16M);
	KUNIT_EXPECT_LE(test, page_to_pfn(pg), MAX_DMA_PFN);
	__free_page(pg);
#else
	kunit_skip(test, "needs x86 with ZONE_DMA (QEMU x86_64/i386)");
#endif
}

/*
 * MM-GFP-DMA-ADDRBITS (x86_64 half): GFP_DMA32 pages have a physical
 * address below 4 GiB (ZONE_DMA32), for devices with 32-bit DMA masks.
 */
static void gfp_dma32_allocates_below_4gib_on_x86_64(struct kunit *test)
{
#if defined(CONFIG_X86) && defined(CONFIG_ZONE_DMA32)
	struct page *pg;

	pg = alloc_page(GFP_KERNEL | GFP_DMA32);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_LE(test, page_zonenum(pg), ZONE_DMA32);
	KUNIT_EXPECT_LT(test, (u64)page_to_phys(pg), (u64)SZ_4G);
	__free_page(pg);
#else
	kunit_skip(test, "needs x86_64 with ZONE_DMA32 (QEMU x86_64)");
#endif
}

/*
 * MM-GFP-NOFAIL: a __GFP_NOFAIL request is never failed by fault
 * injection. With fail_nth = 1, a GFP_KERNEL | __GFP_NOFAIL kmalloc (the
 * form 6.12 requires) succeeds and does not even consume the pending
 * fault. GFP_KERNEL alone is also spared by failslab (it ignores reclaim
 * allocations), so the NOFAIL filter is isolated with GFP_NOWAIT: the same
 * request fails without __GFP_NOFAIL and succeeds with it. That pair is
 * served from an object just freed onto the per-CPU slab freelist (irqs
 * off), so the page allocator, which rejects NOFAIL without reclaim,
 * is never reached (generic KASAN quarantines the freed object; the
 * request is then served from the per-CPU slab's other free objects).
 * kmemleak allocates a kmemleak_object for each object with the caller's
 * gfp minus __GFP_NOFAIL (gfp_nested_mask()): a point fail_nth counts, so
 * with kmemleak the pending fault is set one point further. Pass 0 only
 * saves the call stacks KASAN and kmemleak keep in the stack depot, whose
 * pool refills are fail_page_alloc points too.
 */
static void gfp_nofail_is_never_fault_injected(struct kunit *test)
{
	const unsigned int nested = IS_ENABLED(CONFIG_DEBUG_KMEMLEAK);
	unsigned int nth_kernel, nth_nowait_nofail = 0, nth_nowait = 0;
	void *p, *warm = NULL, *nofail = NULL, *plain = NULL;
	unsigned long flags;
	int pass;

	current->fail_nth = 1;
	p = kmalloc(64, GFP_KERNEL | __GFP_NOFAIL);
	nth_kernel = current->fail_nth;
	current->fail_nth = 0;
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, nth_kernel, 1U);
	kfree(p);

	for (pass = 0; pass < 2; pass++) {
		if (pass) {
			kfree(nofail);
			kfree(plain);
		}
		local_irq_save(flags);
		warm = kmalloc(64, GFP_ATOMIC);
		kfree(warm);
		current->fail_nth = pass ? 1 + nested : 0;
		nofail = kmalloc(64, GFP_NOWAIT | __GFP_NOFAIL);
		nth_nowait_nofail = current->fail_nth;
		plain = kmalloc(64, GFP_NOWAIT);
		nth_nowait = current->fail_nth;
		current->fail_nth = 0;
		local_irq_restore(flags);
	}

	KUNIT_EXPECT_NOT_NULL(test, warm);
	KUNIT_EXPECT_NOT_NULL(test, nofail);
	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		KUNIT_EXPECT_PTR_EQ(test, nofail, warm);
	KUNIT_EXPECT_EQ(test, nth_nowait_nofail, 1U);
	KUNIT_EXPECT_NULL(test, plain);
	KUNIT_EXPECT_EQ(test, nth_nowait, 0U);
	kfree(nofail);
	kfree(plain);
}

/*
 * MM-GFP-NOFAIL (nuance): "never fails" has limits: an order above
 * MAX_PAGE_ORDER is rejected before any retry loop, __GFP_NOFAIL or not.
 */
static void gfp_nofail_still_rejects_impossible_sizes(struct kunit *test)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN;
	struct page *pg;
	void *p;

	p = kmalloc(KMALLOC_MAX_SIZE + 1, gfp);
	KUNIT_EXPECT_NULL(test, p);
	kfree(p);

	pg = alloc_pages(gfp, MAX_PAGE_ORDER + 1);
	KUNIT_EXPECT_NULL(test, pg);
	if (pg)
		__free_pages(pg, MAX_PAGE_ORDER + 1);
}

#define NOFAIL_REFUSE_MS	100
#define NOFAIL_GRACE_MS		2000

/*
 * MM-GFP-NOFAIL: the page allocator's own __GFP_NOFAIL path, under real
 * pressure where reclaim frees nothing (the pressure shrinker refuses this
 * task until a deadline; see struct gfp_pressure). __GFP_NORETRY makes the
 * plain request give up after one reclaim pass and keeps every request
 * away from the OOM killer; with __GFP_NOFAIL the slow path does not give
 * up there (its "nopage" label loops back instead of failing):
 *  1. free memory below the min watermark: the plain request fails; the
 *     NOFAIL one succeeds after the same single reclaim pass, which gave
 *     it nothing: the page comes from below the min watermark (NOFAIL may
 *     use half of the min reserve, like __GFP_HIGH);
 *  2. GFP_ATOMIC then empties that reserve too: the NOFAIL request keeps
 *     retrying reclaim (many passes) until the shrinker starts giving,
 *     NOFAIL_REFUSE_MS later, and only then returns its page.
 * Not shown: an endless wait. The wait is bounded by the deadline the case
 * sets (phase 1 has NOFAIL_GRACE_MS so that a broken kernel that loops
 * there still ends); and without __GFP_NORETRY a NOFAIL request whose
 * reclaim fails goes to the OOM killer first, which would panic here.
 */
static void gfp_nofail_takes_reserves_then_retries_until_reclaim_frees(struct kunit *test)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;
	unsigned long min_wm, free_nofail, free_atomic, given_phase1;
	unsigned int c, calls_plain, calls_nofail, calls_loop;
	struct page *plain, *nofail, *looped;
	struct gfp_pressure *p;
	s64 loop_ms;
	ktime_t t0;

	p = pressure_setup(test);
	pressure_fill(p);
	min_wm = watermark_sum_unboosted(WMARK_MIN);

	/* 1: below the min watermark, above half of it */
	p->refuse_until = ktime_add_ms(ktime_get(), NOFAIL_GRACE_MS);
	c = p->tester_calls;
	plain = alloc_page(gfp);
	calls_plain = p->tester_calls - c;
	c = p->tester_calls;
	nofail = alloc_page(gfp | __GFP_NOFAIL);
	calls_nofail = p->tester_calls - c;
	given_phase1 = p->given_tester;
	free_nofail = free_pages_now();

	/* 2: GFP_ATOMIC takes the min reserve NOFAIL may use */
	pressure_take(p, GFP_ATOMIC | __GFP_NOWARN, 0);
	free_atomic = free_pages_now();
	c = p->tester_calls;
	t0 = ktime_get();
	p->refuse_until = ktime_add_ms(t0, NOFAIL_REFUSE_MS);
	looped = alloc_page(gfp | __GFP_NOFAIL);
	loop_ms = ktime_ms_delta(ktime_get(), t0);
	calls_loop = p->tester_calls - c;
	kunit_release_action(test, pressure_release, p);
	if (plain)
		__free_page(plain);
	if (nofail)
		__free_page(nofail);
	if (looped)
		__free_page(looped);

	kunit_info(test, "min watermark %lu: plain %s after %u shrinker call(s); NOFAIL %s after %u, %lu pages free after it",
		   min_wm, plain ? "succeeded" : "failed", calls_plain,
		   nofail ? "succeeded" : "failed", calls_nofail, free_nofail);
	kunit_info(test, "reserve taken (%lu free): NOFAIL returned after %lld ms and %u shrinker calls, given %lu pages",
		   free_atomic, loop_ms, calls_loop,
		   p->given_tester - given_phase1);
	KUNIT_EXPECT_NULL(test, plain);
	KUNIT_EXPECT_GE(test, calls_plain, 1U);
	/* 1: no retry and nothing reclaimed, yet a page: from the reserve */
	KUNIT_EXPECT_NOT_NULL(test, nofail);
	KUNIT_EXPECT_EQ(test, given_phase1, 0UL);
	KUNIT_EXPECT_LE(test, calls_nofail, calls_plain);
	KUNIT_EXPECT_LT(test, free_nofail, min_wm);
	/* 2: retried reclaim until it freed something */
	KUNIT_EXPECT_LT(test, free_atomic, min_wm / 2);
	KUNIT_EXPECT_NOT_NULL(test, looped);
	KUNIT_EXPECT_GE(test, loop_ms, (s64)NOFAIL_REFUSE_MS);
	KUNIT_EXPECT_GT(test, calls_loop, 2 * calls_plain);
	KUNIT_EXPECT_GT(test, p->given_tester, given_phase1);
}

/*
 * MM-GFP-MODIFIERS: GFP masks combine action modifiers with zone
 * modifiers (GFP_ZONEMASK); the zone modifier names the highest zone the
 * allocation may use, so GFP_HIGHUSER_MOVABLE maps to ZONE_MOVABLE yet is
 * served from a lower zone when ZONE_MOVABLE is empty.
 */
static void gfp_zone_modifiers_pick_the_highest_usable_zone(struct kunit *test)
{
	struct zone *movable = &NODE_DATA(numa_node_id())->node_zones[ZONE_MOVABLE];
	struct page *pg;

	KUNIT_EXPECT_EQ(test, GFP_ZONEMASK, __GFP_DMA | __GFP_HIGHMEM |
			__GFP_DMA32 | __GFP_MOVABLE);
	KUNIT_EXPECT_EQ(test, GFP_KERNEL & GFP_ZONEMASK, 0U);
	KUNIT_EXPECT_EQ(test, GFP_ATOMIC & GFP_ZONEMASK, 0U);
	KUNIT_EXPECT_EQ(test, gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, GFP_HIGHUSER_MOVABLE & GFP_ZONEMASK,
			__GFP_HIGHMEM | __GFP_MOVABLE);

	pg = alloc_page(GFP_HIGHUSER_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_LE(test, page_zonenum(pg), ZONE_MOVABLE);
	if (!populated_zone(movable))
		KUNIT_EXPECT_LT(test, page_zonenum(pg), ZONE_MOVABLE);
	__free_page(pg);
}

/*
 * MM-GFP-HIGHMEM-NAME (claim false): there is no GFP_HIGHMEM mask; the
 * zone modifier is __GFP_HIGHMEM, used through GFP_HIGHUSER(_MOVABLE).
 */
static void gfp_highmem_mask_does_not_exist(struct kunit *test)
{
#ifdef GFP_HIGHMEM
	const bool has_gfp_highmem = true;
#else
	const bool has_gfp_highmem = false;
#endif

	KUNIT_EXPECT_FALSE(test, has_gfp_highmem);
	KUNIT_EXPECT_NE(test, __GFP_HIGHMEM, 0U);
	KUNIT_EXPECT_EQ(test, GFP_HIGHUSER & __GFP_HIGHMEM, __GFP_HIGHMEM);
}

static struct kunit_case kclaims_gfp_cases[] = {
	KUNIT_CASE(gfp_kernel_reclaims_and_sleeps_under_pressure),
	KUNIT_CASE(gfp_atomic_dips_below_the_min_watermark),
	KUNIT_CASE(gfp_atomic_does_not_block_and_uses_reserves),
	KUNIT_CASE(gfp_atomic_fails_fast_instead_of_retrying),
	KUNIT_CASE(gfp_nowait_has_no_reserves_and_can_fail),
	KUNIT_CASE(gfp_noio_scope_strips_io_and_fs),
	KUNIT_CASE(gfp_nofs_scope_strips_fs_only),
	KUNIT_CASE(gfp_user_shares_the_kernels_free_pages),
	KUNIT_CASE(gfp_highuser_is_normal_zone_without_highmem),
	KUNIT_CASE(gfp_highuser_uses_highmem_on_i386),
	KUNIT_CASE(gfp_kernel_pages_are_always_lowmem),
	KUNIT_CASE(gfp_dma_maps_to_normal_without_dma_zones),
	KUNIT_CASE(gfp_dma_allocates_below_16mib_on_x86),
	KUNIT_CASE(gfp_dma32_allocates_below_4gib_on_x86_64),
	KUNIT_CASE(gfp_nofail_is_never_fault_injected),
	KUNIT_CASE(gfp_nofail_still_rejects_impossible_sizes),
	KUNIT_CASE(gfp_nofail_takes_reserves_then_retries_until_reclaim_frees),
	KUNIT_CASE(gfp_zone_modifiers_pick_the_highest_usable_zone),
	KUNIT_CASE(gfp_highmem_mask_does_not_exist),
	{}
};

static struct kunit_suite kclaims_gfp_suite = {
	.name = "kclaims_gfp",
	.test_cases = kclaims_gfp_cases,
};
kunit_test_suite(kclaims_gfp_suite);

MODULE_DESCRIPTION("KUnit checks of the notes' GFP flag claims");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_gfp: the notes' claims about GFP flags checked against the
 * running kernel: what each flag is made of, what the allocator does with
 * it (zone choice, blocking, reserves, failure), and the memalloc scopes.
 *
 * Forced failures use current->fail_nth: failslab consults it only for
 * allocations without __GFP_DIRECT_RECLAIM and without __GFP_NOFAIL.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#ifdef CONFIG_X86
#include <asm/dma.h>
#endif

#include "../lib/kclaims.h"

#define CTX_TIMEOUT_MS		2000	/* generous: loaded 2-core host */
#define NR_PROBE_PAGES		64

/*
 * MM-GFP-KERNEL-SLEEP: GFP_KERNEL allows direct reclaim, i.e. it may
 * sleep, so it is illegal where sleeping is (interrupt handlers; see
 * gfp_atomic_does_not_block_and_uses_reserves for what works there).
 */
static void gfp_kernel_may_block(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, gfpflags_allow_blocking(GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, GFP_KERNEL & __GFP_DIRECT_RECLAIM,
			__GFP_DIRECT_RECLAIM);
	KUNIT_EXPECT_EQ(test, GFP_KERNEL & (__GFP_IO | __GFP_FS),
			__GFP_IO | __GFP_FS);
}

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

static unsigned long highatomic_reserved(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		sum += READ_ONCE(zone->nr_reserved_highatomic);
	return sum;
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
 * MM-GFP-ATOMIC-RETRY (claim false): GFP_ATOMIC does not "hold on until it
 * succeeds". With no MAX_PAGE_ORDER block left, a GFP_ATOMIC request for
 * one returns NULL at once, without sleeping (no voluntary context switch)
 * and without any retry loop. Everything taken is given back (each block
 * checked free again in the buddy lists) before any check that allocates.
 *
 * Side effects kept small: the blocks are first taken with a bare
 * __GFP_NOWARN mask (min watermark, no kswapd wakeup, and it can never
 * turn a pageblock into a MIGRATE_HIGHATOMIC reserve: only a __GFP_HIGH
 * order > 0 request that succeeds in the slow path does). GFP_ATOMIC is
 * then asked until it fails; its one failing slow-path call wakes kswapd
 * (harmless: the blocks are back before it can do much). If GFP_ATOMIC
 * still found blocks through its deeper reserve access, their pageblocks
 * may stay highatomic reserves after the test; the log line reports it
 * (later exact-count cases do not depend on it: highatomic free pages are
 * still counted in NR_FREE_PAGES and in the buddy lists).
 */
static void gfp_atomic_fails_fast_instead_of_retrying(struct kunit *test)
{
	const gfp_t gfp = GFP_ATOMIC | __GFP_NOWARN;
	unsigned long cap = (totalram_pages() >> MAX_PAGE_ORDER) + 1;
	unsigned long nr_plain, nr, back, nvcsw0, nvcsw;
	unsigned long free0, free1, hiat0, hiat1;
	struct page **held;
	bool failed = false;
	s64 fail_ns = 0, total_ns;
	ktime_t t0, t;

	KUNIT_EXPECT_EQ(test, GFP_ATOMIC & (__GFP_DIRECT_RECLAIM |
			__GFP_NOFAIL | __GFP_RETRY_MAYFAIL), 0U);

	held = kunit_kmalloc_array(test, cap + 1, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);

	free0 = free_pages_snapshot();
	hiat0 = highatomic_reserved();
	nr_plain = take_max_order_blocks(__GFP_NOWARN, held, 0, cap);

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
	free1 = free_pages_snapshot();
	hiat1 = highatomic_reserved();

	kunit_info(test, "order %d blocks: %lu plain + %lu GFP_ATOMIC; failing call %lld ns, atomic loop %lld ns",
		   MAX_PAGE_ORDER, nr_plain, nr - nr_plain, fail_ns, total_ns);
	kunit_info(test, "free pages %lu -> %lu, highatomic reserve %lu -> %lu",
		   free0, free1, hiat0, hiat1);
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

/*
 * MM-GFP-USER: GFP_USER is GFP_KERNEL plus the cpuset hardwall bit only;
 * it asks for the same zones, and its pages come from the same zone as
 * GFP_KERNEL pages: nothing is set apart for user space.
 */
static void gfp_user_is_kernel_plus_hardwall(struct kunit *test)
{
	struct page *pu, *pk;

	KUNIT_EXPECT_EQ(test, GFP_USER, GFP_KERNEL | __GFP_HARDWALL);
	KUNIT_EXPECT_EQ(test, gfp_zone(GFP_USER), gfp_zone(GFP_KERNEL));

	pu = alloc_page(GFP_USER);
	pk = alloc_page(GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, pu);
	KUNIT_EXPECT_NOT_NULL(test, pk);
	if (pu && pk)
		KUNIT_EXPECT_EQ(test, page_zonenum(pu), page_zonenum(pk));
	if (pu)
		__free_page(pu);
	if (pk)
		__free_page(pk);
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
 * is never reached.
 */
static void gfp_nofail_is_never_fault_injected(struct kunit *test)
{
	unsigned int nth_kernel, nth_nowait_nofail, nth_nowait;
	void *p, *warm, *nofail, *plain;
	unsigned long flags;

	current->fail_nth = 1;
	p = kmalloc(64, GFP_KERNEL | __GFP_NOFAIL);
	nth_kernel = current->fail_nth;
	current->fail_nth = 0;
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, nth_kernel, 1U);
	kfree(p);

	local_irq_save(flags);
	warm = kmalloc(64, GFP_ATOMIC);
	kfree(warm);
	current->fail_nth = 1;
	nofail = kmalloc(64, GFP_NOWAIT | __GFP_NOFAIL);
	nth_nowait_nofail = current->fail_nth;
	plain = kmalloc(64, GFP_NOWAIT);
	nth_nowait = current->fail_nth;
	current->fail_nth = 0;
	local_irq_restore(flags);

	KUNIT_EXPECT_NOT_NULL(test, warm);
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
	KUNIT_CASE(gfp_kernel_may_block),
	KUNIT_CASE(gfp_atomic_does_not_block_and_uses_reserves),
	KUNIT_CASE(gfp_atomic_fails_fast_instead_of_retrying),
	KUNIT_CASE(gfp_nowait_has_no_reserves_and_can_fail),
	KUNIT_CASE(gfp_noio_scope_strips_io_and_fs),
	KUNIT_CASE(gfp_nofs_scope_strips_fs_only),
	KUNIT_CASE(gfp_user_is_kernel_plus_hardwall),
	KUNIT_CASE(gfp_highuser_is_normal_zone_without_highmem),
	KUNIT_CASE(gfp_highuser_uses_highmem_on_i386),
	KUNIT_CASE(gfp_kernel_pages_are_always_lowmem),
	KUNIT_CASE(gfp_dma_maps_to_normal_without_dma_zones),
	KUNIT_CASE(gfp_dma_allocates_below_16mib_on_x86),
	KUNIT_CASE(gfp_dma32_allocates_below_4gib_on_x86_64),
	KUNIT_CASE(gfp_nofail_is_never_fault_injected),
	KUNIT_CASE(gfp_nofail_still_rejects_impossible_sizes),
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

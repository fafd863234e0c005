// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_page_alloc: the notes' claims about the page (buddy) allocator
 * checked against the running kernel: orders, alignment, the alloc/free
 * API, the free_area bookkeeping, buddy merging and the /proc views.
 *
 * Cases that compare allocator state run with interrupts off: on a
 * uniprocessor kernel (UML) nothing else can then allocate or free, so
 * counters move by exactly what the case did. Only GFP_ATOMIC/GFP_NOWAIT
 * allocations are made inside those sections. zone->lock is taken only
 * to read buddy state, as the allocator's own helpers do.
 */
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include <linux/page-isolation.h>
#include <linux/page_ref.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#include "../lib/kclaims.h"

#define ZERO_TRIES	16

static int buddy_block_order_locked(struct zone *zone, struct page *page)
{
	int order;

	spin_lock(&zone->lock);
	order = kclaims_buddy_order(page);
	spin_unlock(&zone->lock);
	return order;
}

static unsigned long free_pages_of(struct zone *zone)
{
	return zone_page_state_snapshot(zone, NR_FREE_PAGES);
}

static struct zone *first_populated_zone(void)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		return zone;
	return NULL;
}

/*
 * MM-BUDDY-ALIGN, MM-ORDER-SIZE: alloc_pages(order) returns one block of
 * 2^order frames (not 2*order): a compound page of 1 << order pages whose
 * first pfn is a multiple of 1 << order (buddy blocks are naturally
 * aligned).
 */
static void alloc_pages_gives_aligned_power_of_two_blocks(struct kunit *test)
{
	unsigned int order, i;

	for (order = 0; order <= 6; order++) {
		struct page *pg = alloc_pages(GFP_KERNEL | __GFP_COMP, order);
		unsigned long pfn;

		KUNIT_ASSERT_NOT_NULL(test, pg);
		pfn = page_to_pfn(pg);
		KUNIT_EXPECT_EQ_MSG(test, pfn & ((1UL << order) - 1), 0UL,
				    "order %u block at pfn %#lx", order, pfn);
		KUNIT_EXPECT_EQ(test, folio_nr_pages(page_folio(pg)),
				1L << order);
		for (i = 1; i < (1U << order); i++)
			KUNIT_EXPECT_PTR_EQ(test, compound_head(pg + i), pg);
		if (order == 3)
			KUNIT_EXPECT_EQ(test, folio_nr_pages(page_folio(pg)), 8L);
		__free_pages(pg, order);
	}
}

/*
 * MM-PAGE-ALLOC-API: alloc_pages() returns a struct page, __get_free_pages()
 * the logical address of the same kind of block (page_address() of its
 * first page).
 */
static void get_free_pages_returns_the_logical_address(struct kunit *test)
{
	unsigned long addr;
	struct page *pg;

	addr = __get_free_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NE(test, addr, 0UL);
	pg = virt_to_page((void *)addr);
	KUNIT_EXPECT_EQ(test, (unsigned long)page_address(pg), addr);
	KUNIT_EXPECT_TRUE(test, virt_addr_valid((void *)addr));
	KUNIT_EXPECT_EQ(test, page_to_pfn(pg) & 3, 0UL);
	free_pages(addr, 2);

	pg = alloc_pages(GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_PTR_EQ(test, virt_to_page(page_address(pg)), pg);
	__free_pages(pg, 1);
}

/*
 * MM-PAGE-ALLOC-API, MM-GET-ZEROED-SIG: get_zeroed_page(gfp) (one page, no
 * order argument: the note's signature is wrong) returns a zeroed page.
 * Not vacuous: a page is dirtied and freed first; a plain allocation gets
 * it back still dirty, get_zeroed_page gets it back cleared.
 */
static void get_zeroed_page_clears_a_recycled_dirty_page(struct kunit *test)
{
	unsigned int try, reused = 0, stale = 0, dirty = 0;
	unsigned long flags, x, y, z;
	bool y_stale;

	KUNIT_EXPECT_TRUE(test, __same_type(&get_zeroed_page_noprof,
					    unsigned long (*)(gfp_t)));

	/* the per-CPU list is LIFO; retry if a page lands on another list */
	for (try = 0; try < ZERO_TRIES && !reused; try++) {
		local_irq_save(flags);
		x = __get_free_page(GFP_ATOMIC);
		if (x)
			memset((void *)x, 0xaa, PAGE_SIZE);
		free_page(x);
		y = __get_free_page(GFP_ATOMIC);
		y_stale = y && !memchr_inv((void *)y, 0xaa, PAGE_SIZE);
		if (y)
			memset((void *)y, 0xaa, PAGE_SIZE);
		free_page(y);
		z = get_zeroed_page(GFP_ATOMIC);
		local_irq_restore(flags);

		if (z)
			dirty += !!memchr_inv((void *)z, 0, PAGE_SIZE);
		free_page(z);
		KUNIT_ASSERT_NE(test, x, 0UL);
		KUNIT_ASSERT_NE(test, z, 0UL);
		if (y == x && z == x) {
			reused++;
			stale += y_stale;
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, reused, 1U, "no dirty page came back");
	/* a plain allocation sees the old bytes: the zeroing is real work */
	KUNIT_EXPECT_EQ(test, stale, reused);
	KUNIT_EXPECT_EQ(test, dirty, 0U);
}

/*
 * MM-BUDDY-POW2: 10 KiB needs order 2 (16 KiB); alloc_pages_exact() keeps
 * the three pages it needs and hands the fourth back at once: straight to
 * the buddy lists (__free_pages_ok(), no per-CPU list), where it is a free
 * block while the three stay allocated.
 */
static void ten_kib_needs_an_order_2_block(struct kunit *test)
{
	int ref[4], buddy[4], i;
	unsigned long flags;
	void *x;

	KUNIT_EXPECT_EQ(test, get_order(10 * SZ_1K), 2);
	KUNIT_EXPECT_EQ(test, get_order(4 * SZ_1K), 0);
	KUNIT_EXPECT_EQ(test, get_order(4 * SZ_1K + 1), 1);

	local_irq_save(flags);
	x = alloc_pages_exact(10 * SZ_1K, GFP_ATOMIC);
	for (i = 0; x && i < 4; i++) {
		struct page *pg = virt_to_page(x) + i;

		ref[i] = page_ref_count(pg);
		buddy[i] = buddy_block_order_locked(page_zone(pg), pg);
	}
	local_irq_restore(flags);

	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, page_to_pfn(virt_to_page(x)) & 3, 0UL);
	KUNIT_EXPECT_EQ(test, ref[0], 1);
	KUNIT_EXPECT_EQ(test, ref[1], 1);
	KUNIT_EXPECT_EQ(test, ref[2], 1);
	KUNIT_EXPECT_EQ(test, ref[3], 0);
	/* handed back, not just unreferenced: a free buddy block again */
	KUNIT_EXPECT_EQ(test, buddy[0], -1);
	KUNIT_EXPECT_EQ(test, buddy[1], -1);
	KUNIT_EXPECT_EQ(test, buddy[2], -1);
	KUNIT_EXPECT_GE(test, buddy[3], 0);
	free_pages_exact(x, 10 * SZ_1K);
}

/*
 * MM-MAX-ORDER (outdated), MM-MAX-ORDER-4MB, MM-ALLOC-CAN-FAIL: 6.12 has
 * MAX_PAGE_ORDER (inclusive, 10 here) and NR_PAGE_ORDERS = 11 free areas;
 * MAX_ORDER is gone. Order MAX_PAGE_ORDER (4 MiB) can be allocated, one
 * order more fails with NULL.
 */
static void max_page_order_is_inclusive(struct kunit *test)
{
	struct zone *zone = first_populated_zone();
#ifdef MAX_ORDER
	const bool has_max_order = true;
#else
	const bool has_max_order = false;
#endif
	struct page *pg;

	KUNIT_ASSERT_NOT_NULL(test, zone);
	KUNIT_EXPECT_FALSE(test, has_max_order);
	KUNIT_EXPECT_EQ(test, MAX_PAGE_ORDER, 10);
	KUNIT_EXPECT_EQ(test, NR_PAGE_ORDERS, MAX_PAGE_ORDER + 1);
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(zone->free_area), (size_t)NR_PAGE_ORDERS);
	KUNIT_EXPECT_EQ(test, PAGE_SIZE << MAX_PAGE_ORDER, (unsigned long)SZ_4M);

	pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER);
	KUNIT_EXPECT_NOT_NULL(test, pg);
	if (pg)
		__free_pages(pg, MAX_PAGE_ORDER);

	pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1);
	KUNIT_EXPECT_NULL(test, pg);
	if (pg)
		__free_pages(pg, MAX_PAGE_ORDER + 1);
}

/*
 * MM-FREE-PAGES (nuance): __free_pages() drops a reference; the page goes
 * back to the allocator only with the last one.
 */
static void free_pages_only_drops_a_reference(struct kunit *test)
{
	struct page *pg;
	int ref_after;

	pg = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_EQ(test, page_ref_count(pg), 1);
	get_page(pg);
	__free_pages(pg, 0);
	ref_after = page_ref_count(pg);
	put_page(pg);
	KUNIT_EXPECT_EQ(test, ref_after, 1);
}

#define DIRECT_FREE_ORDER	(PAGE_ALLOC_COSTLY_ORDER + 1)

/*
 * MM-LAZY-BUDDY (nuance), MM-FREE-ONE-PAGE: freed pages are merged with a
 * free buddy as soon as they reach the buddy allocator (__free_one_page()),
 * however much memory is free. The one deferral is the per-CPU page list:
 * frees of order <= PAGE_ALLOC_COSTLY_ORDER (3) park there and reach
 * __free_one_page() only when the list is drained (free_pcppages_bulk());
 * since 6.7 the list's size follows free memory (nr_pcp_high() shrinks it
 * below the high watermark and under reclaim), so "defer while memory is
 * plentiful" is true of it in spirit. Two buddies (one order-1 block split
 * in two) are freed onto the emptied per-CPU list (neither is in the buddy
 * lists yet); draining that list yields one block of order >= 1. A block
 * of order DIRECT_FREE_ORDER skips the per-CPU lists: it is a free buddy
 * block, merged, the moment __free_pages() returns.
 */
static void freed_buddies_are_merged_when_they_reach_the_buddy_lists(struct kunit *test)
{
	int b0 = 0, b1 = 0, after0 = -1, after1 = -1, big_after = -1;
	unsigned long flags, nfree;
	struct page *pg, *big;
	struct zone *zone;

	pg = alloc_pages(GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	split_page(pg, 1);
	zone = page_zone(pg);

	local_irq_save(flags);
	drain_local_pages(zone);
	__free_page(pg);
	__free_page(pg + 1);
	b0 = buddy_block_order_locked(zone, pg);
	b1 = buddy_block_order_locked(zone, pg + 1);
	drain_local_pages(zone);
	after0 = buddy_block_order_locked(zone, pg);
	after1 = buddy_block_order_locked(zone, pg + 1);
	nfree = free_pages_of(zone);

	big = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, DIRECT_FREE_ORDER);
	if (big) {
		__free_pages(big, DIRECT_FREE_ORDER);
		big_after = buddy_block_order_locked(page_zone(big), big);
	}
	local_irq_restore(flags);

	kunit_info(test, "before drain: %d/%d, after: %d/%d (%lu pages free); order-%d block freed: order %d",
		   b0, b1, after0, after1, nfree, DIRECT_FREE_ORDER,
		   big_after);
	/* parked on the per-CPU list: not buddy-free yet */
	KUNIT_EXPECT_EQ(test, b0, -1);
	KUNIT_EXPECT_EQ(test, b1, -1);
	/* plenty free, still merged at once: one block covers both */
	KUNIT_EXPECT_GT(test, nfree, 1UL << MAX_PAGE_ORDER);
	KUNIT_EXPECT_GE(test, after0, 1);
	KUNIT_EXPECT_EQ(test, after1, after0);
	/* above the per-CPU orders: in the buddy lists at once */
	KUNIT_EXPECT_NOT_NULL(test, big);
	KUNIT_EXPECT_GE(test, big_after, DIRECT_FREE_ORDER);
}

/*
 * MM-FREE-AREA-MAP (outdated), MM-FREE-AREA-NRFREE (nuance),
 * MM-BUDDY-PER-ZONE: struct free_area is a list per migratetype plus
 * nr_free, no bitmap; nr_free counts blocks on those lists, not pages;
 * each zone's blocks add up to that zone's own NR_FREE_PAGES.
 */
static void free_area_counts_blocks_on_per_migratetype_lists(struct kunit *test)
{
	unsigned int zones = 0;
	struct zone *zone;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(((struct free_area *)NULL)->free_list),
			(size_t)MIGRATE_TYPES);
	KUNIT_EXPECT_EQ(test, sizeof(struct free_area),
			MIGRATE_TYPES * sizeof(struct list_head) +
			sizeof(unsigned long));

	for_each_populated_zone(zone) {
		unsigned long blocks = 0, pages = 0, isolated = 0;
		unsigned long listed[NR_PAGE_ORDERS], counted[NR_PAGE_ORDERS];
		unsigned long flags, vmstat;
		unsigned int order, mt, bad = 0;
		struct page *pg;

		spin_lock_irqsave(&zone->lock, flags);
		for (order = 0; order < NR_PAGE_ORDERS; order++) {
			struct free_area *fa = &zone->free_area[order];

			counted[order] = fa->nr_free;
			listed[order] = 0;
			for (mt = 0; mt < MIGRATE_TYPES; mt++) {
				list_for_each_entry(pg, &fa->free_list[mt], buddy_list) {
					listed[order]++;
					if (!PageBuddy(pg) || page_private(pg) != order)
						bad++;
					if (is_migrate_isolate(mt))
						isolated += 1UL << order;
				}
			}
			blocks += listed[order];
			pages += listed[order] << order;
		}
		vmstat = free_pages_of(zone);
		spin_unlock_irqrestore(&zone->lock, flags);

		zones++;
		KUNIT_EXPECT_EQ(test, bad, 0U);
		for (order = 0; order < NR_PAGE_ORDERS; order++)
			KUNIT_EXPECT_EQ_MSG(test, listed[order], counted[order],
					    "zone %s order %u", zone->name, order);
		if (num_online_cpus() == 1)
			KUNIT_EXPECT_EQ_MSG(test, pages - isolated, vmstat,
					    "zone %s", zone->name);
		kunit_info(test, "zone %s: %lu blocks = %lu pages (vmstat %lu)",
			   zone->name, blocks, pages, vmstat);
	}
	KUNIT_EXPECT_GE(test, zones, 1U);
}

/*
 * MM-PAGE-SIZE-ARCH (false), MM-PAGEFRAME-SIZES (nuance): this 64-bit
 * kernel uses 4 KiB pages (UML and x86_64 only have 4 KiB), not 8 KiB;
 * 2 MiB is the size of a PMD (huge page) mapping, not a base page size.
 */
static void page_size_is_4k_on_this_64bit_kernel(struct kunit *test)
{
	struct page *pg;
	void *a;

	if (!IS_ENABLED(CONFIG_UML) && !IS_ENABLED(CONFIG_X86))
		kunit_skip(test, "expected values known for UML and x86 only");

	KUNIT_EXPECT_EQ(test, BITS_PER_LONG, IS_ENABLED(CONFIG_64BIT) ? 64 : 32);
	KUNIT_EXPECT_EQ(test, PAGE_SIZE, 4096UL);
	KUNIT_EXPECT_EQ(test, PAGE_SHIFT, 12);
	KUNIT_EXPECT_EQ(test, PMD_SIZE, (unsigned long)SZ_2M);

	/* frames really are PAGE_SIZE apart in the linear map */
	pg = alloc_pages(GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	a = page_address(pg);
	KUNIT_EXPECT_PTR_EQ(test, page_address(pg + 1), a + 4096);
	KUNIT_EXPECT_PTR_EQ(test, virt_to_page(a + 4095), pg);
	KUNIT_EXPECT_PTR_EQ(test, virt_to_page(a + 4096), pg + 1);
	__free_pages(pg, 1);
}

/*
 * MM-PAGE-PFN, MM-STRUCT-PAGE-PER-FRAME: every frame has its own struct
 * page holding that frame's state. In an order-2 block (not compound)
 * only the first struct page holds the reference; after split_page()
 * each holds one, and freeing frames 1..3 changes exactly those three
 * (reference 0, buddy-free: frame 1 alone at order 0 since frame 0 is
 * still allocated, frames 2+3 merged at order 1). The zone recorded in
 * each struct page spans its pfn. pfn << PAGE_SHIFT is the physical
 * address the MMU uses: a vmap() alias (page tables built from the pfns)
 * sees the bytes written at __va(PFN_PHYS(pfn)).
 */
static void every_frame_has_one_struct_page(struct kunit *test)
{
	static const int want_ref[4] = { 1, 0, 0, 0 };
	static const int want_buddy[4] = { -1, 0, 1, 1 };
	int ref[4], ref_split[4], ref_freed[4], buddy[4];
	unsigned int i, zone_bad = 0, alias_bad = 0;
	struct page *pg, *pages[4];
	unsigned long pfn, flags;
	struct zone *zone;
	u8 *alias;

	pg = alloc_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	pfn = page_to_pfn(pg);
	zone = page_zone(pg);
	for (i = 0; i < 4; i++) {
		pages[i] = pfn_to_page(pfn + i);
		ref[i] = page_ref_count(pages[i]);
		if (!zone_spans_pfn(page_zone(pages[i]), pfn + i))
			zone_bad++;
	}

	alias = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	if (alias) {
		for (i = 0; i < 4; i++)
			memset(__va(PFN_PHYS(pfn + i)), 0x40 + i, PAGE_SIZE);
		for (i = 0; i < 4; i++)
			alias_bad += !!memchr_inv(alias + i * PAGE_SIZE,
						  0x40 + i, PAGE_SIZE);
		vunmap(alias);
	}

	split_page(pg, 2);
	for (i = 0; i < 4; i++)
		ref_split[i] = page_ref_count(pages[i]);

	/* UP + irqs off: nothing else can take the freed frames */
	local_irq_save(flags);
	drain_local_pages(zone);
	for (i = 1; i < 4; i++)
		__free_page(pages[i]);
	drain_local_pages(zone);
	for (i = 0; i < 4; i++) {
		ref_freed[i] = page_ref_count(pages[i]);
		buddy[i] = buddy_block_order_locked(zone, pages[i]);
	}
	local_irq_restore(flags);
	__free_page(pages[0]);

	KUNIT_ASSERT_NOT_NULL(test, alias);
	KUNIT_EXPECT_EQ(test, zone_bad, 0U);
	KUNIT_EXPECT_EQ(test, alias_bad, 0U);
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ_MSG(test, ref[i], want_ref[i], "frame %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ref_split[i], 1, "frame %u", i);
		/* with more CPUs a freed frame may be reused at once */
		if (num_online_cpus() > 1)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, ref_freed[i], i ? 0 : 1, "frame %u", i);
		KUNIT_EXPECT_EQ_MSG(test, buddy[i], want_buddy[i], "frame %u", i);
	}
}

/*
 * MM-VMSTAT: the zone's NR_FREE_PAGES counter follows allocations: an
 * order-5 block (beyond the per-CPU lists) takes exactly 32 pages from it
 * and gives them back on free.
 */
static void nr_free_pages_drops_and_recovers(struct kunit *test)
{
	long before, during, after;
	unsigned long flags;
	struct zone *zone = first_populated_zone();
	struct page *pg;

	KUNIT_ASSERT_NOT_NULL(test, zone);
	local_irq_save(flags);
	before = free_pages_of(zone);
	pg = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 5);
	during = free_pages_of(zone);
	if (pg)
		__free_pages(pg, 5);
	after = free_pages_of(zone);
	local_irq_restore(flags);

	KUNIT_ASSERT_NOT_NULL(test, pg);
	if (num_online_cpus() > 1)
		kunit_skip(test, "exact counts need one CPU");
	KUNIT_EXPECT_PTR_EQ(test, page_zone(pg), zone);
	KUNIT_EXPECT_EQ(test, before - during, 32L);
	KUNIT_EXPECT_EQ(test, after - during, 32L);
}

/*
 * MM-PROC-BUDDYINFO: /proc/buddyinfo has one line per populated zone with
 * NR_PAGE_ORDERS block counts (nr_free), which add up to about the
 * zone's free pages.
 */
static void proc_buddyinfo_lists_free_blocks_per_order(struct kunit *test)
{
	struct zone *zone = first_populated_zone();
	unsigned long col[NR_PAGE_ORDERS + 1], pages = 0, vmstat;
	unsigned int ncol = 0, i;
	char prefix[64], *buf, *p, *end;

	KUNIT_ASSERT_NOT_NULL(test, zone);
	buf = kclaims_read_proc(test, "buddyinfo");
	snprintf(prefix, sizeof(prefix), "Node %d, zone %8s",
		 zone_to_nid(zone), zone->name);
	p = strstr(buf, prefix);
	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "no '%s' line", prefix);
	p += strlen(prefix);
	end = strchrnul(p, '\n');
	while (p < end && ncol <= NR_PAGE_ORDERS) {
		int used;

		if (sscanf(p, " %lu%n", &col[ncol], &used) != 1)
			break;
		p += used;
		ncol++;
	}
	vmstat = free_pages_of(zone);
	KUNIT_EXPECT_EQ(test, ncol, (unsigned int)NR_PAGE_ORDERS);
	for (i = 0; i < ncol && i < NR_PAGE_ORDERS; i++)
		pages += col[i] << i;
	/* read at slightly different times: allow 16 MiB of churn */
	KUNIT_EXPECT_LT(test, abs_diff(pages, vmstat), SZ_16M >> PAGE_SHIFT);
}

static bool zoneinfo_value(const char *sect, const char *key, unsigned long *val)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "\n        %-8s ", key);
	p = strstr(sect, pat);
	if (!p)
		return false;
	return sscanf(p + strlen(pat), "%lu", val) == 1;
}

/*
 * MM-PROC-ZONEINFO: /proc/zoneinfo shows each zone's watermarks; they are
 * the zone's _watermark[] values (plus the current boost).
 */
static void proc_zoneinfo_shows_the_zone_watermarks(struct kunit *test)
{
	struct zone *zone = first_populated_zone();
	unsigned long boost, min, low, high;
	char prefix[64], *buf, *sect;

	KUNIT_ASSERT_NOT_NULL(test, zone);
	buf = kclaims_read_proc(test, "zoneinfo");
	snprintf(prefix, sizeof(prefix), "Node %d, zone %8s",
		 zone_to_nid(zone), zone->name);
	sect = strstr(buf, prefix);
	KUNIT_ASSERT_NOT_NULL_MSG(test, sect, "no '%s' section", prefix);
	KUNIT_ASSERT_TRUE(test, zoneinfo_value(sect, "boost", &boost));
	KUNIT_ASSERT_TRUE(test, zoneinfo_value(sect, "min", &min));
	KUNIT_ASSERT_TRUE(test, zoneinfo_value(sect, "low", &low));
	KUNIT_ASSERT_TRUE(test, zoneinfo_value(sect, "high", &high));

	KUNIT_EXPECT_EQ(test, min - boost, zone->_watermark[WMARK_MIN]);
	KUNIT_EXPECT_EQ(test, low - boost, zone->_watermark[WMARK_LOW]);
	KUNIT_EXPECT_EQ(test, high - boost, zone->_watermark[WMARK_HIGH]);
}

/*
 * MM-PROC-SLABINFO (nuance): /proc/slabinfo exists only with
 * CONFIG_SLUB_DEBUG (on here) and lists the kmalloc caches.
 */
static void proc_slabinfo_lists_the_kmalloc_caches(struct kunit *test)
{
	char *buf;

	if (!IS_ENABLED(CONFIG_SLUB_DEBUG))
		kunit_skip(test, "slabinfo needs CONFIG_SLUB_DEBUG");
	buf = kclaims_read_proc(test, "slabinfo");
	KUNIT_EXPECT_TRUE(test, str_has_prefix(buf, "slabinfo - version: 2.1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nkmalloc-64 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nkmalloc-8k "));
}

static struct kunit_case kclaims_page_alloc_cases[] = {
	KUNIT_CASE(alloc_pages_gives_aligned_power_of_two_blocks),
	KUNIT_CASE(get_free_pages_returns_the_logical_address),
	KUNIT_CASE(get_zeroed_page_clears_a_recycled_dirty_page),
	KUNIT_CASE(ten_kib_needs_an_order_2_block),
	KUNIT_CASE(max_page_order_is_inclusive),
	KUNIT_CASE(free_pages_only_drops_a_reference),
	KUNIT_CASE(freed_buddies_are_merged_when_they_reach_the_buddy_lists),
	KUNIT_CASE(free_area_counts_blocks_on_per_migratetype_lists),
	KUNIT_CASE(page_size_is_4k_on_this_64bit_kernel),
	KUNIT_CASE(every_frame_has_one_struct_page),
	KUNIT_CASE(nr_free_pages_drops_and_recovers),
	KUNIT_CASE(proc_buddyinfo_lists_free_blocks_per_order),
	KUNIT_CASE(proc_zoneinfo_shows_the_zone_watermarks),
	KUNIT_CASE(proc_slabinfo_lists_the_kmalloc_caches),
	{}
};

static struct kunit_suite kclaims_page_alloc_suite = {
	.name = "kclaims_page_alloc",
	.test_cases = kclaims_page_alloc_cases,
};
kunit_test_suite(kclaims_page_alloc_suite);

MODULE_DESCRIPTION("KUnit checks of the notes' page allocator and buddy claims");
MODULE_LICENSE("GPL");

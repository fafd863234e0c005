// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_kmalloc: the notes' claims about kmalloc()/kfree() checked
 * against the running kernel.
 *
 * Several cases run a short allocate/free sequence with interrupts off:
 * on a uniprocessor kernel (UML) nothing else can then touch the per-CPU
 * slab freelist or the free page counters, so "the same object comes
 * back" and "NR_FREE_PAGES moved by exactly N" are deterministic. Only
 * GFP_ATOMIC/GFP_NOWAIT are used inside those sections.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#include "../lib/kclaims.h"

#define CTX_TIMEOUT_MS	2000	/* generous: loaded 2-core host */

struct contig_param {
	size_t size;
	bool large;	/* above KMALLOC_MAX_CACHE_SIZE: buddy, not slab */
	const char *what;
};

static const struct contig_param contig_params[] = {
	{ 6000, false, "6000 B (kmalloc-8k slab)" },
	{ 3 * PAGE_SIZE, true, "3 pages, no GFP_DMA" },
	{ 4 * PAGE_SIZE + 1, true, "4 pages + 1 B" },
};

static void contig_param_desc(const struct contig_param *p, char *desc)
{
	strscpy(desc, p->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(contig, contig_params, contig_param_desc);

/*
 * MM-KMALLOC-CONTIG, MM-GFP-DMA-CONTIG: a kmalloc object that spans pages
 * lies inside one folio (one buddy block of 2^order consecutive frames),
 * whether it came from a slab or straight from the page allocator, and
 * without GFP_DMA. A kmalloc that stitched pages together like vmalloc
 * would hand out a vmalloc address or straddle two folios.
 */
static void kmalloc_memory_is_physically_contiguous(struct kunit *test)
{
	const struct contig_param *prm = test->param_value;
	size_t size = prm->size;
	struct folio *folio;
	char *p;

	p = kmalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);

	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(p));
	folio = virt_to_folio(p);
	KUNIT_EXPECT_EQ(test, folio_test_slab(folio), !prm->large);
	KUNIT_EXPECT_PTR_EQ(test, virt_to_folio(p + size - 1), folio);
	KUNIT_EXPECT_TRUE(test, (void *)p >= folio_address(folio));
	KUNIT_EXPECT_TRUE(test, (void *)(p + size) <=
			  folio_address(folio) + folio_size(folio));
	/* the folio really spans the object's pages */
	KUNIT_EXPECT_GE(test, (unsigned long)folio_nr_pages(folio),
			DIV_ROUND_UP(offset_in_page(p) + size, PAGE_SIZE));
	kfree(p);
}

struct roundup_case {
	size_t req;
	size_t expect;
};

/* size classes: 8..8192 (powers of two plus 96 and 192), then pages */
static const struct roundup_case roundup_cases[] = {
	{ 1, 8 }, { 9, 16 }, { 65, 96 }, { 100, 128 }, { 129, 192 },
	{ 200, 256 }, { 4097, 8192 }, { 8192, 8192 }, { 8193, 16384 },
	{ 10240, 16384 },
};

/*
 * MM-KMALLOC-BYTES, MM-BUDDY-POW2: kmalloc takes a byte count like malloc(), but hands out
 * a whole size class (slab) or a power-of-two page block (large); ksize()
 * reports the usable size and kmalloc_size_roundup() predicts it.
 */
static void kmalloc_rounds_up_to_size_classes(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(roundup_cases); i++) {
		const struct roundup_case *c = &roundup_cases[i];
		void *p = kmalloc(c->req, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ_MSG(test, ksize(p), c->expect,
				    "ksize(kmalloc(%zu))", c->req);
		KUNIT_EXPECT_EQ_MSG(test, kmalloc_size_roundup(c->req),
				    c->expect, "kmalloc_size_roundup(%zu)",
				    c->req);
		kfree(p);
	}
	KUNIT_EXPECT_EQ(test, KMALLOC_MAX_CACHE_SIZE, 8192UL);
}

/*
 * MM-KMALLOC-SIG (outdated): the flags argument is a gfp_t, not an int
 * (since 2.6.14); in 6.12 kmalloc() is a macro over kmalloc_noprof()
 * (allocation profiling, 6.10).
 */
static void kmalloc_takes_gfp_t_flags(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, __same_type(&kmalloc_noprof,
					    void *(*)(size_t, gfp_t)));
	KUNIT_EXPECT_FALSE(test, __same_type(&kmalloc_noprof,
					     void *(*)(size_t, int)));
}

/*
 * MM-KFREE: kfree(NULL) and kfree() of the kmalloc(0) token are no-ops.
 * Evidence beyond "no oops": the slab freelist is untouched, so the object
 * freed just before is still the next one handed out. Generic KASAN holds
 * freed objects in its quarantine, so there nothing is reused at once and
 * only the rest is checked (KASAN itself would report a kfree() that
 * touched either pointer as an invalid free).
 */
static void kfree_null_is_a_noop(struct kunit *test)
{
	unsigned long flags;
	void *zero, *p, *q;

	zero = kmalloc(0, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, zero, (void *)ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, ksize(zero), (size_t)0);

	local_irq_save(flags);
	p = kmalloc(96, GFP_ATOMIC);
	kfree(p);
	kfree(NULL);
	kfree(zero);
	q = kmalloc(96, GFP_ATOMIC);
	local_irq_restore(flags);

	KUNIT_EXPECT_NOT_NULL(test, p);
	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		KUNIT_EXPECT_PTR_EQ(test, q, p);
	kfree(q);
}

/*
 * MM-KFREE: a large kmalloc (64 KiB, order 4) is a plain compound page, not
 * a slab, and kfree() hands all 16 frames back to the buddy allocator at
 * once (order > PAGE_ALLOC_COSTLY_ORDER bypasses the per-CPU lists).
 */
static void kfree_of_large_kmalloc_returns_pages(struct kunit *test)
{
	const unsigned int order = 4;
	long before, after;
	unsigned long flags;
	struct folio *folio;
	struct page *page;
	struct zone *zone;
	int blk;
	void *p;

	p = kmalloc(PAGE_SIZE << order, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	folio = virt_to_folio(p);
	KUNIT_EXPECT_FALSE(test, folio_test_slab(folio));
	KUNIT_EXPECT_EQ(test, folio_order(folio), order);
	KUNIT_EXPECT_PTR_EQ(test, folio_address(folio), p);
	page = virt_to_page(p);
	zone = page_zone(page);

	local_irq_save(flags);
	before = zone_page_state_snapshot(zone, NR_FREE_PAGES);
	kfree(p);
	after = zone_page_state_snapshot(zone, NR_FREE_PAGES);
	spin_lock(&zone->lock);
	blk = kclaims_buddy_order(page);
	spin_unlock(&zone->lock);
	local_irq_restore(flags);

	KUNIT_EXPECT_GE(test, blk, (int)order);
	if (num_online_cpus() == 1)
		KUNIT_EXPECT_EQ(test, after - before, 1L << order);
	else
		KUNIT_EXPECT_GT(test, after, before);
}

/*
 * MM-VMALLOC-LARGE, MM-ALLOC-CAN-FAIL: KMALLOC_MAX_SIZE is one buddy block
 * of MAX_PAGE_ORDER (4 MiB with 4 KiB pages); one byte more cannot be
 * served and kmalloc returns NULL instead of falling back to vmalloc.
 */
static void kmalloc_beyond_max_size_returns_null(struct kunit *test)
{
	void *p;

	KUNIT_EXPECT_EQ(test, (unsigned long)KMALLOC_MAX_SIZE,
			PAGE_SIZE << MAX_PAGE_ORDER);
	KUNIT_EXPECT_EQ(test, (unsigned long)KMALLOC_MAX_SIZE, (unsigned long)SZ_4M);

	p = kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NULL(test, p);
	kfree(p);

	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	kfree(p);
}

/*
 * MM-ALLOC-CAN-FAIL: an allocation can fail and returns NULL (forced here
 * through current->fail_nth, which failslab honours for non-reclaim GFP).
 * Nothing leaks: the object at the head of the freelist before the failed
 * call is the one the next call returns (not with generic KASAN, whose
 * quarantine holds freed objects back), and fail_nth is consumed.
 */
static void kmalloc_injected_failure_returns_null_without_leak(struct kunit *test)
{
	unsigned int nth_after;
	void *p, *fail, *q;
	unsigned long flags;

	local_irq_save(flags);
	p = kmalloc(192, GFP_ATOMIC);
	kfree(p);
	current->fail_nth = 1;
	fail = kmalloc(192, GFP_ATOMIC | __GFP_NOWARN);
	nth_after = current->fail_nth;
	current->fail_nth = 0;
	q = kmalloc(192, GFP_ATOMIC);
	local_irq_restore(flags);

	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, fail);
	KUNIT_EXPECT_EQ(test, nth_after, 0U);
	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		KUNIT_EXPECT_PTR_EQ(test, q, p);
	kfree(fail);
	kfree(q);
}

/*
 * MM-ALLOC-CAN-FAIL: fail_nth = n fails exactly the n-th fault-injection
 * point; a kmalloc is one, so fail_nth = 2 fails the second allocation and
 * the first one really went through the same hook. kmemleak tracks each
 * object with a kmemleak_object of its own, allocated with the caller's
 * non-reclaim gfp (gfp_nested_mask()): one more failslab point per
 * allocation. Pass 0 only saves the call stacks KASAN and kmemleak record
 * in the stack depot, whose pool refills are fail_page_alloc points too.
 */
static void kmalloc_fail_nth_counts_allocations(struct kunit *test)
{
	const unsigned int points = 1 + IS_ENABLED(CONFIG_DEBUG_KMEMLEAK);
	unsigned int left = 0;
	void *first, *second;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		current->fail_nth = pass ? points + 1 : 0;
		first = kmalloc(64, GFP_NOWAIT | __GFP_NOWARN);
		second = kmalloc(64, GFP_NOWAIT | __GFP_NOWARN);
		left = current->fail_nth;
		current->fail_nth = 0;
		if (!pass) {
			kfree(first);
			kfree(second);
		}
	}

	KUNIT_EXPECT_NOT_NULL(test, first);
	KUNIT_EXPECT_NULL(test, second);
	KUNIT_EXPECT_EQ(test, left, 0U);
	kfree(first);
	kfree(second);
}

/*
 * MM-GFP-MODIFIERS (__GFP_ZERO action modifier): dirty an object, free it
 * and get the same object back. Without __GFP_ZERO the old bytes are still
 * there (so the check below is not vacuous); kzalloc() really clears them.
 */
static void kzalloc_zeroes_a_recycled_dirty_object(struct kunit *test)
{
	const size_t size = 200;
	unsigned int i, stale = 0;
	unsigned long flags;
	u8 *p, *q, *z;
	bool zeroed;

	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN quarantine delays reuse of freed objects, so no recycled object: the default profile shows it");

	local_irq_save(flags);
	p = kmalloc(size, GFP_ATOMIC);
	if (p)
		memset(p, 0xaa, size);
	kfree(p);
	q = kmalloc(size, GFP_ATOMIC);
	if (q) {
		for (i = 0; i < size; i++)
			stale += q[i] == 0xaa;
		memset(q, 0xaa, size);
	}
	kfree(q);
	z = kzalloc(size, GFP_ATOMIC);
	local_irq_restore(flags);
	zeroed = z && !memchr_inv(z, 0, size);
	kfree(z);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, z);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_PTR_EQ(test, z, p);
	/* SLUB keeps only its free pointer (8 bytes) inside a free object */
	KUNIT_EXPECT_GE(test, stale, (unsigned int)(size - sizeof(void *)));
	KUNIT_EXPECT_TRUE(test, zeroed);
}

/*
 * MM-LOGICAL-VS-VIRTUAL: a kmalloc address is a logical address: it lies
 * in the linear map [PAGE_OFFSET, high_memory) and virt_addr_valid()
 * accepts it. A vmalloc address of a frame is a different, non-linear
 * alias of that frame: both see the same bytes.
 */
static void logical_address_is_the_linear_map(struct kunit *test)
{
	char *p, *v, *lin;
	struct page *pg;

	p = kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(p));
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_GE(test, (unsigned long)p, (unsigned long)PAGE_OFFSET);
	KUNIT_EXPECT_LT(test, (unsigned long)p, (unsigned long)high_memory);
	kfree(p);

	v = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(v));
	KUNIT_EXPECT_FALSE(test, virt_addr_valid(v));
	pg = vmalloc_to_page(v);
	lin = page_address(pg);
	KUNIT_EXPECT_PTR_NE(test, lin, v);
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(lin));
	strscpy(v, "one frame, two addresses", PAGE_SIZE);
	KUNIT_EXPECT_STREQ(test, lin, "one frame, two addresses");
	vfree(v);
}

struct atomic_alloc_rec {
	void *atomic;
	void *nowait;
};

/* Runs in hardirq or softirq context: record only, the test checks. */
static void atomic_alloc_fn(void *arg)
{
	struct atomic_alloc_rec *r = arg;

	r->atomic = kmalloc(256, GFP_ATOMIC);
	if (r->atomic)
		memset(r->atomic, 0x5a, 256);
	r->nowait = kmalloc(64, GFP_NOWAIT);
}

static const enum kclaims_ctx irq_ctxs[] = {
	KCLAIMS_CTX_HARDIRQ, KCLAIMS_CTX_SOFTIRQ,
};

static void irq_ctx_desc(const enum kclaims_ctx *c, char *desc)
{
	strscpy(desc, kclaims_ctx_name(*c), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(irq_ctx, irq_ctxs, irq_ctx_desc);

/*
 * MM-GFP-ATOMIC-CTX, MM-GFP-NOWAIT: GFP_ATOMIC (and GFP_NOWAIT) kmalloc
 * works from hardirq (hrtimer) and softirq (timer_list) context.
 */
static void kmalloc_atomic_works_in_interrupt_context(struct kunit *test)
{
	enum kclaims_ctx ctx = *(const enum kclaims_ctx *)test->param_value;
	struct atomic_alloc_rec r = {};
	struct kclaims_ctx_obs obs;
	bool written;
	int ret;

	ret = kclaims_run_in(ctx, atomic_alloc_fn, &r, &obs, CTX_TIMEOUT_MS);
	/* nothing runs after kclaims_run_in() returns: free, then check */
	written = r.atomic && !memchr_inv(r.atomic, 0x5a, 256);
	kfree(r.atomic);
	kfree(r.nowait);

	KUNIT_ASSERT_EQ(test, ret, 0);
	if (ctx == KCLAIMS_CTX_HARDIRQ)
		KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	else
		KUNIT_EXPECT_TRUE(test, obs.in_serving_softirq);
	KUNIT_EXPECT_FALSE(test, obs.in_task);
	KUNIT_EXPECT_NE(test, obs.preempt_count, 0U);
	KUNIT_EXPECT_NOT_NULL(test, r.atomic);
	KUNIT_EXPECT_NOT_NULL(test, r.nowait);
	KUNIT_EXPECT_TRUE(test, written);
}

static struct kunit_case kclaims_kmalloc_cases[] = {
	KUNIT_CASE_PARAM(kmalloc_memory_is_physically_contiguous,
			 contig_gen_params),
	KUNIT_CASE(kmalloc_rounds_up_to_size_classes),
	KUNIT_CASE(kmalloc_takes_gfp_t_flags),
	KUNIT_CASE(kfree_null_is_a_noop),
	KUNIT_CASE(kfree_of_large_kmalloc_returns_pages),
	KUNIT_CASE(kmalloc_beyond_max_size_returns_null),
	KUNIT_CASE(kmalloc_injected_failure_returns_null_without_leak),
	KUNIT_CASE(kmalloc_fail_nth_counts_allocations),
	KUNIT_CASE(kzalloc_zeroes_a_recycled_dirty_object),
	KUNIT_CASE(logical_address_is_the_linear_map),
	KUNIT_CASE_PARAM(kmalloc_atomic_works_in_interrupt_context,
			 irq_ctx_gen_params),
	{}
};

static struct kunit_suite kclaims_kmalloc_suite = {
	.name = "kclaims_kmalloc",
	.test_cases = kclaims_kmalloc_cases,
};
kunit_test_suite(kclaims_kmalloc_suite);

MODULE_DESCRIPTION("KUnit checks of the notes' kmalloc/kfree claims");
MODULE_LICENSE("GPL");

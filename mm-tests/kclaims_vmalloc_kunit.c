// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_vmalloc: the notes' claims about vmalloc()/vfree() checked
 * against the running kernel: virtual but not physical contiguity, an
 * address outside the linear map, page granularity, vfree, the kvmalloc
 * fallback and the DMA restriction.
 *
 * find_vm_area() is not exported; these suites are built in (=y).
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../lib/kclaims.h"

#define NR_VPAGES	64

KUNIT_DEFINE_ACTION_WRAPPER(vfree_wrapper, vfree, const void *);

/* vmalloc(@size) freed by KUnit when the case ends, even on an ASSERT. */
static void *vmalloc_for_test(struct kunit *test, unsigned long size)
{
	void *v = vmalloc(size);

	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vfree_wrapper, v), 0);
	return v;
}

/*
 * MM-VMALLOC-NONCONTIG: vmalloc memory is virtually contiguous but its
 * frames need not be physically contiguous. First fragment the free
 * lists (take 2*NR_VPAGES pages, give back every second one), then
 * vmalloc NR_VPAGES pages: some neighbours are not pfn neighbours, yet a
 * byte pattern written through the vmalloc range lands page by page in
 * those scattered frames.
 */
static void vmalloc_is_virtually_not_physically_contiguous(struct kunit *test)
{
	struct page *hold[2 * NR_VPAGES];
	unsigned int i, n, gaps = 0, bad = 0;
	u8 *v;

	for (n = 0; n < ARRAY_SIZE(hold); n++) {
		hold[n] = alloc_page(GFP_KERNEL);
		if (!hold[n])
			break;
	}
	for (i = 1; i < n; i += 2) {
		__free_page(hold[i]);
		hold[i] = NULL;
	}

	v = vmalloc(NR_VPAGES * PAGE_SIZE);
	if (v) {
		for (i = 0; i < NR_VPAGES; i++)
			memset(v + i * PAGE_SIZE, i + 1, PAGE_SIZE);
		for (i = 0; i < NR_VPAGES; i++) {
			u8 *lin = page_address(vmalloc_to_page(v + i * PAGE_SIZE));

			if (memchr_inv(lin, i + 1, PAGE_SIZE))
				bad++;
			if (i && vmalloc_to_pfn(v + i * PAGE_SIZE) !=
			    vmalloc_to_pfn(v + (i - 1) * PAGE_SIZE) + 1)
				gaps++;
		}
	}
	vfree(v);
	for (i = 0; i < n; i += 2)
		__free_page(hold[i]);

	KUNIT_ASSERT_NOT_NULL(test, v);
	kunit_info(test, "%u of %u page boundaries are physical gaps",
		   gaps, NR_VPAGES - 1);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_GT(test, gaps, 0U);
}

/*
 * MM-LOGICAL-VS-VIRTUAL, MM-VMALLOC-NONCONTIG: a vmalloc address is not a
 * logical address: it lies in the vmalloc range, outside the linear map
 * [PAGE_OFFSET, high_memory), and virt_addr_valid() rejects it, while the
 * frame behind it has its own linear-map address.
 */
static void vmalloc_address_is_outside_the_linear_map(struct kunit *test)
{
	unsigned long va;
	void *v;

	v = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, v);
	va = (unsigned long)v;
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(v));
	KUNIT_EXPECT_GE(test, va, (unsigned long)VMALLOC_START);
	KUNIT_EXPECT_LT(test, va, (unsigned long)VMALLOC_END);
	KUNIT_EXPECT_FALSE(test, va >= PAGE_OFFSET &&
			   va < (unsigned long)high_memory);
	KUNIT_EXPECT_FALSE(test, virt_addr_valid(v));
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(page_address(vmalloc_to_page(v))));
	vfree(v);
}

/*
 * MM-VMALLOC-LIKE-KMALLOC (nuance): vmalloc works in whole pages (plus an
 * unmapped guard page), kmalloc in small size classes: vmalloc(1) takes a
 * page and a guard, kmalloc(1) takes 8 bytes.
 */
static void vmalloc_rounds_to_whole_pages_plus_guard(struct kunit *test)
{
	struct vm_struct *area;
	void *k, *v, *v2;

	k = kmalloc(1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_EXPECT_EQ(test, ksize(k), (size_t)8);
	kfree(k);

	v = vmalloc_for_test(test, 1);
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(v));
	area = find_vm_area(v);
	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_EXPECT_PTR_EQ(test, area->addr, v);
	KUNIT_EXPECT_EQ(test, area->nr_pages, 1U);
	KUNIT_EXPECT_EQ(test, get_vm_area_size(area), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, area->size, 2 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(v + PAGE_SIZE));

	v2 = vmalloc_for_test(test, PAGE_SIZE + 1);
	area = find_vm_area(v2);
	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_EXPECT_EQ(test, area->nr_pages, 2U);
}

/*
 * MM-VFREE: vfree() releases the area (find_vm_area() no longer knows the
 * address) and, like kfree(), accepts NULL.
 */
static void vfree_releases_the_area_and_accepts_null(struct kunit *test)
{
	struct vm_struct *area;
	void *v;

	v = vmalloc_for_test(test, 3 * PAGE_SIZE);
	area = find_vm_area(v);
	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_EXPECT_EQ(test, area->nr_pages, 3U);
	/* runs vfree(v) now and drops the deferred action */
	kunit_release_action(test, vfree_wrapper, v);
	KUNIT_EXPECT_NULL(test, find_vm_area(v));
	vfree(NULL);
}

/*
 * MM-VMALLOC-LARGE (nuance): kmalloc stops at KMALLOC_MAX_SIZE (4 MiB);
 * vmalloc serves larger buffers, and kvmalloc() picks kmalloc for small
 * sizes and falls back to vmalloc for big ones.
 */
static void kvmalloc_falls_back_to_vmalloc_for_large_sizes(struct kunit *test)
{
	void *k, *v, *kv_small, *kv_big;

	k = kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NULL(test, k);
	kfree(k);

	v = vmalloc(2 * KMALLOC_MAX_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, v);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(v));
	vfree(v);

	kv_small = kvmalloc(64, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, kv_small);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(kv_small));
	kvfree(kv_small);

	kv_big = kvmalloc(2 * KMALLOC_MAX_SIZE, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, kv_big);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(kv_big));
	kvfree(kv_big);
}

/*
 * MM-VMALLOC-DMA (nuance): dma_map_single() rejects vmalloc memory with
 * DMA_MAPPING_ERROR while it maps kmalloc memory; a vmalloc buffer can
 * still be mapped frame by frame via vmalloc_to_page(). The rejection is
 * the kernel's own dev_WARN_ONCE("rejecting DMA map of vmalloc memory"):
 * that one-time WARN is declared to the runner's report scan and counted.
 */
static void dma_map_single_rejects_vmalloc_memory(struct kunit *test)
{
	struct kclaims_report warn;
	dma_addr_t dk, dv, dp;
	struct device *dev;
	int probe, seen;
	void *k, *v;

	if (!IS_ENABLED(CONFIG_HAS_DMA))
		kunit_skip(test, "this arch has no DMA API (CONFIG_HAS_DMA=n); x86_64 has one");

	dev = kunit_device_register(test, "kclaims_vmalloc_dma");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);

	k = kmalloc(64, GFP_KERNEL);
	v = vmalloc(PAGE_SIZE);
	if (!k || !v) {
		kfree(k);
		vfree(v);
		KUNIT_FAIL_AND_ABORT(test, "allocation failed");
	}

	dk = dma_map_single(dev, k, 64, DMA_TO_DEVICE);
	/* expected: the kernel's one-time WARN, then DMA_MAPPING_ERROR */
	probe = kclaims_report_begin(&warn, "rejecting DMA map of vmalloc memory");
	dv = dma_map_single(dev, v, 64, DMA_TO_DEVICE);
	seen = probe ? -1 : kclaims_report_end(&warn);
	dp = dma_map_page(dev, vmalloc_to_page(v), 0, 64, DMA_TO_DEVICE);

	if (!probe)
		KUNIT_EXPECT_EQ(test, seen, 1);

	KUNIT_EXPECT_FALSE(test, dma_mapping_error(dev, dk));
	KUNIT_EXPECT_TRUE(test, dma_mapping_error(dev, dv));
	KUNIT_EXPECT_EQ(test, dv, DMA_MAPPING_ERROR);
	KUNIT_EXPECT_FALSE(test, dma_mapping_error(dev, dp));

	if (!dma_mapping_error(dev, dk))
		dma_unmap_single(dev, dk, 64, DMA_TO_DEVICE);
	if (!dma_mapping_error(dev, dp))
		dma_unmap_page(dev, dp, 64, DMA_TO_DEVICE);
	kfree(k);
	vfree(v);
}

static struct kunit_case kclaims_vmalloc_cases[] = {
	KUNIT_CASE(vmalloc_is_virtually_not_physically_contiguous),
	KUNIT_CASE(vmalloc_address_is_outside_the_linear_map),
	KUNIT_CASE(vmalloc_rounds_to_whole_pages_plus_guard),
	KUNIT_CASE(vfree_releases_the_area_and_accepts_null),
	KUNIT_CASE(kvmalloc_falls_back_to_vmalloc_for_large_sizes),
	KUNIT_CASE(dma_map_single_rejects_vmalloc_memory),
	{}
};

static struct kunit_suite kclaims_vmalloc_suite = {
	.name = "kclaims_vmalloc",
	.test_cases = kclaims_vmalloc_cases,
};
kunit_test_suite(kclaims_vmalloc_suite);

MODULE_DESCRIPTION("KUnit checks of the notes' vmalloc/vfree claims");
MODULE_LICENSE("GPL");

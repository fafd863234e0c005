// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_zone: the notes' claims about nodes, zones, highmem, the kernel
 * address split and page tables, checked against the running kernel.
 *
 * Most of these claims are architecture facts. Each gets a case that
 * checks what this kernel does (on UML x86_64: one node, only ZONE_NORMAL
 * populated, no highmem, 3-level page tables) and, where the note
 * describes i386 or x86 hardware, a case that runs there and skips here
 * naming the architecture that shows it.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/pgtable.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/topology.h>
#include <linux/vmalloc.h>
#ifdef CONFIG_X86
#include <asm/dma.h>
#endif

#include "../lib/kclaims.h"

#define CTX_TIMEOUT_MS	2000	/* generous: loaded 2-core host */
#define LOWMEM_LIMIT_I386	(896UL * SZ_1M)

KUNIT_DEFINE_ACTION_WRAPPER(vfree_wrapper, vfree, const void *);

static pg_data_t *first_pgdat(void)
{
	return NODE_DATA(first_online_node);
}

/*
 * Zones the architecture's boot code fills for this machine, or 0 where
 * the test does not know: UML puts all RAM in ZONE_NORMAL; x86_64 fills
 * ZONE_DMA (first 16 MiB) and ZONE_DMA32 (first 4 GiB), and ZONE_NORMAL
 * only with RAM above 4 GiB. ZONE_MOVABLE stays empty without
 * kernelcore=/movablecore=.
 */
static unsigned int arch_populated_zones(void)
{
#if defined(CONFIG_UML)
	return BIT(ZONE_NORMAL);
#elif defined(CONFIG_X86_64)
	unsigned int mask = BIT(ZONE_DMA32);

#ifdef CONFIG_ZONE_DMA
	mask |= BIT(ZONE_DMA);
#endif
	if (max_pfn > MAX_DMA32_PFN)
		mask |= BIT(ZONE_NORMAL);
	return mask;
#else
	return 0;
#endif
}

/*
 * MM-ZONES-LIST (nuance), MM-ZONES-ARCH: the zone types are DMA, DMA32,
 * NORMAL, HIGHMEM as configured, plus MOVABLE (and DEVICE) that the notes
 * do not list; which of them hold memory is the architecture's choice
 * (UML: only ZONE_NORMAL; x86_64: DMA and DMA32, NORMAL above 4 GiB).
 */
static void zone_types_follow_the_configuration(struct kunit *test)
{
	unsigned int i, populated = 0, expect = arch_populated_zones();
	pg_data_t *pgdat = first_pgdat();

	KUNIT_EXPECT_STREQ(test, pgdat->node_zones[ZONE_NORMAL].name, "Normal");
	KUNIT_EXPECT_STREQ(test, pgdat->node_zones[ZONE_MOVABLE].name, "Movable");

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];

		if (populated_zone(z))
			populated |= BIT(i);
		kunit_info(test, "zone %u %-8s present %lu", i, z->name,
			   z->present_pages);
	}
	if (expect)
		KUNIT_EXPECT_EQ(test, populated, expect);
	else
		KUNIT_EXPECT_TRUE(test, populated & BIT(ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, populated & BIT(ZONE_MOVABLE));
}

/*
 * MM-ZONES-ARCH (x86 half), MM-ZONE-DMA-16M, MM-ZONE-DMA31 (false):
 * x86_64 populates ZONE_DMA (below 16 MiB) and ZONE_DMA32 (below 4 GiB);
 * there is no ZONE_DMA31.
 */
static void x86_has_dma_zone_below_16mib_and_dma32(struct kunit *test)
{
#if defined(CONFIG_X86_64) && defined(CONFIG_ZONE_DMA) && defined(CONFIG_ZONE_DMA32)
	pg_data_t *pgdat = first_pgdat();
	struct zone *dma = &pgdat->node_zones[ZONE_DMA];
	struct zone *dma32 = &pgdat->node_zones[ZONE_DMA32];

	KUNIT_EXPECT_TRUE(test, populated_zone(dma));
	KUNIT_EXPECT_LE(test, zone_end_pfn(dma), MAX_DMA_PFN);
	KUNIT_EXPECT_TRUE(test, populated_zone(dma32));
	KUNIT_EXPECT_LE(test, zone_end_pfn(dma32), MAX_DMA32_PFN);
	KUNIT_EXPECT_GT(test, zone_end_pfn(dma32), MAX_DMA_PFN);
#else
	kunit_skip(test, "needs x86_64 with ZONE_DMA and ZONE_DMA32 (QEMU x86_64)");
#endif
}

/*
 * MM-ZONE-DMA31 (false), MM-ZONE-DMA-16M (UML half): no zone is called
 * DMA31; and on UML the first 16 MiB of RAM are not set apart at all:
 * every frame there belongs to ZONE_NORMAL, the zone that starts with the
 * node's first frame.
 */
static void no_zone_is_called_dma31(struct kunit *test)
{
	pg_data_t *pgdat = first_pgdat();
	unsigned long pfn, end, checked = 0, normal = 0;
	unsigned int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		KUNIT_EXPECT_STRNEQ(test, pgdat->node_zones[i].name, "DMA31");
	if (!IS_ENABLED(CONFIG_UML))
		return;
	end = pgdat->node_start_pfn + (SZ_16M >> PAGE_SHIFT);
	for (pfn = pgdat->node_start_pfn; pfn < end; pfn++) {
		if (!pfn_valid(pfn))
			continue;
		checked++;
		normal += page_zonenum(pfn_to_page(pfn)) == ZONE_NORMAL;
	}
	KUNIT_EXPECT_GT(test, checked, 0UL);
	KUNIT_EXPECT_EQ(test, normal, checked);
	KUNIT_EXPECT_EQ(test, pgdat->node_zones[ZONE_NORMAL].zone_start_pfn,
			pgdat->node_start_pfn);
}

/* Frames covered by the linear map [PAGE_OFFSET, high_memory). */
static unsigned long linear_map_pfns(void)
{
	return ((unsigned long)high_memory - PAGE_OFFSET) >> PAGE_SHIFT;
}

/*
 * MM-ZONE-HIGHMEM, MM-HIGHMEM-64BIT: 64-bit kernels have no ZONE_HIGHMEM:
 * no zone of the node is a highmem zone, the linear map covers every frame
 * of every populated zone, and even GFP_HIGHUSER pages come from the
 * highest populated zone up to ZONE_NORMAL (ZONE_NORMAL itself on UML).
 */
static void no_highmem_on_64bit(struct kunit *test)
{
	pg_data_t *pgdat = first_pgdat();
	unsigned int i, n, bad = 0;
	int want = -1;
	struct page *pg[16];
	struct zone *zone;

	if (!IS_ENABLED(CONFIG_64BIT))
		kunit_skip(test, "32-bit kernel: see the i386 highmem case");

	for (i = 0; i < MAX_NR_ZONES; i++) {
		KUNIT_EXPECT_STRNEQ(test, pgdat->node_zones[i].name, "HighMem");
		if (i <= gfp_zone(GFP_HIGHUSER) &&
		    populated_zone(&pgdat->node_zones[i]))
			want = i;
	}
	for_each_populated_zone(zone)
		KUNIT_EXPECT_LE_MSG(test, zone_end_pfn(zone), linear_map_pfns(),
				    "zone %s beyond the linear map", zone->name);
	KUNIT_ASSERT_GE(test, want, 0);
	if (IS_ENABLED(CONFIG_UML))
		KUNIT_EXPECT_EQ(test, want, (int)ZONE_NORMAL);

	for (n = 0; n < ARRAY_SIZE(pg); n++) {
		pg[n] = alloc_page(GFP_HIGHUSER);
		if (!pg[n])
			break;
		bad += (int)page_zonenum(pg[n]) != want;
	}
	for (i = 0; i < n; i++)
		__free_page(pg[i]);
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(pg));
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/*
 * MM-ZONE-HIGHMEM, MM-HIGHMEM-APPS, MM-LOWMEM-896 (i386 half): with more
 * than 896 MiB of RAM, i386 keeps the rest in ZONE_HIGHMEM; user pages
 * (GFP_HIGHUSER_MOVABLE) land there and have no permanent address.
 */
static void i386_keeps_memory_above_896mib_in_highmem(struct kunit *test)
{
#if defined(CONFIG_X86_32) && defined(CONFIG_HIGHMEM)
	struct page *pg;

	if (!totalhigh_pages())
		kunit_skip(test, "needs >896 MiB RAM (QEMU -m 2G)");
	KUNIT_EXPECT_LE(test, (u64)max_low_pfn << PAGE_SHIFT, (u64)LOWMEM_LIMIT_I386);
	KUNIT_EXPECT_GE(test, (u64)max_low_pfn << PAGE_SHIFT, (u64)800 * SZ_1M);
	KUNIT_EXPECT_EQ(test, first_pgdat()->node_zones[ZONE_HIGHMEM].zone_start_pfn,
			max_low_pfn);
	pg = alloc_page(GFP_HIGHUSER_MOVABLE);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_TRUE(test, PageHighMem(pg));
	KUNIT_EXPECT_NULL(test, page_address(pg));
	__free_page(pg);
#else
	kunit_skip(test, "needs i386 with HIGHMEM and >896 MiB RAM (QEMU -m 2G)");
#endif
}

/*
 * MM-LOWMEM-896, MM-ZONE-NORMAL-RANGE (64-bit half): the 896 MiB limit and
 * the "16..896 MiB" normal zone are i386 facts; here ZONE_NORMAL starts
 * with the node's first frame and all RAM (1 GiB under kunit.py) is in the
 * linear map.
 */
static void all_memory_is_lowmem_on_64bit(struct kunit *test)
{
	struct zone *normal = &first_pgdat()->node_zones[ZONE_NORMAL];
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;

	if (!IS_ENABLED(CONFIG_64BIT))
		kunit_skip(test, "32-bit kernel: see the i386 highmem case");
	if (!IS_ENABLED(CONFIG_UML))
		kunit_skip(test, "zone layout checked for UML; x86_64 has DMA/DMA32 below NORMAL");
	if (ram <= LOWMEM_LIMIT_I386)
		kunit_skip(test, "needs >896 MiB RAM (kunit.py gives UML mem=1G)");

	KUNIT_EXPECT_EQ(test, normal->zone_start_pfn, first_pgdat()->node_start_pfn);
	KUNIT_EXPECT_GT(test, (u64)zone_end_pfn(normal) << PAGE_SHIFT,
			(u64)LOWMEM_LIMIT_I386);
	KUNIT_EXPECT_GT(test, (u64)((unsigned long)high_memory - PAGE_OFFSET),
			(u64)LOWMEM_LIMIT_I386);
	KUNIT_EXPECT_EQ(test, totalhigh_pages(), 0UL);
}

/*
 * MM-ZONE-NORMAL-RANGE (i386 half): ZONE_NORMAL spans 16 MiB up to the
 * end of lowmem (max_low_pfn).
 */
static void i386_normal_zone_spans_16_to_896mib(struct kunit *test)
{
#if defined(CONFIG_X86_32) && defined(CONFIG_HIGHMEM)
	struct zone *normal = &first_pgdat()->node_zones[ZONE_NORMAL];

	if (!totalhigh_pages())
		kunit_skip(test, "needs >896 MiB RAM (QEMU -m 2G)");
	KUNIT_EXPECT_EQ(test, normal->zone_start_pfn, MAX_DMA_PFN);
	KUNIT_EXPECT_EQ(test, zone_end_pfn(normal), max_low_pfn);
#else
	kunit_skip(test, "needs i386 with HIGHMEM and >896 MiB RAM (QEMU -m 2G)");
#endif
}

/*
 * MM-PAGE-OFFSET (i386 half): with the default 3G/1G split the kernel
 * starts at 0xC0000000 and user space ends there.
 */
static void i386_page_offset_is_3g(struct kunit *test)
{
#if defined(CONFIG_X86_32) && defined(CONFIG_VMSPLIT_3G)
	KUNIT_EXPECT_EQ(test, (unsigned long)PAGE_OFFSET, 0xC0000000UL);
	KUNIT_EXPECT_EQ(test, (unsigned long)TASK_SIZE, (unsigned long)PAGE_OFFSET);
#else
	kunit_skip(test, "needs i386 with VMSPLIT_3G (QEMU i386)");
#endif
}

/*
 * MM-PAGE-OFFSET (this kernel): PAGE_OFFSET is where the linear map of
 * physical address 0 starts; on 64-bit kernels it is not 0xC0000000. The
 * map from there to high_memory covers all RAM, kmalloc memory lies in
 * it, and PAGE_OFFSET + (pfn << PAGE_SHIFT) really is frame pfn: a vmap()
 * alias, built from the pfn by the page tables, sees the same bytes.
 */
static void page_offset_is_the_linear_map_of_phys_0(struct kunit *test)
{
	struct page *pg;
	unsigned long k;
	u8 *lin, *alias;
	bool same;

	if (!IS_ENABLED(CONFIG_64BIT))
		kunit_skip(test, "32-bit kernel: see the i386 case");
	KUNIT_EXPECT_NE(test, (unsigned long)PAGE_OFFSET, 0xC0000000UL);
	KUNIT_EXPECT_GE(test, linear_map_pfns(), max_pfn);
	KUNIT_EXPECT_GE(test, linear_map_pfns(), totalram_pages());

	k = (unsigned long)kmalloc(64, GFP_KERNEL);
	kfree((void *)k);
	KUNIT_ASSERT_NE(test, k, 0UL);
	KUNIT_EXPECT_GE(test, k, (unsigned long)PAGE_OFFSET);
	KUNIT_EXPECT_LT(test, k, (unsigned long)high_memory);

	pg = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	alias = vmap(&pg, 1, VM_MAP, PAGE_KERNEL);
	lin = (u8 *)(PAGE_OFFSET + PFN_PHYS(page_to_pfn(pg)));
	same = false;
	if (alias) {
		memset(lin, 0x3c, PAGE_SIZE);
		alias[PAGE_SIZE / 2] = 0xc3;
		same = !memchr_inv(alias, 0x3c, PAGE_SIZE / 2) &&
		       lin[PAGE_SIZE / 2] == 0xc3;
		vunmap(alias);
	}
	__free_page(pg);
	KUNIT_ASSERT_NOT_NULL(test, alias);
	KUNIT_EXPECT_TRUE(test, same);
}

struct kmap_rec {
	struct page *pg;
	void *addr;
};

/* hardirq: kmap_local_page() never sleeps; record only */
static void kmap_local_fn(void *arg)
{
	struct kmap_rec *r = arg;
	void *a = kmap_local_page(r->pg);

	r->addr = a;
	kunmap_local(a);
}

/*
 * MM-KMAP (lowmem half): for a lowmem page kmap() just returns its
 * permanent address; the preferred kmap_local_page() does the same and,
 * unlike kmap(), is usable from interrupt context.
 */
static void kmap_of_lowmem_page_is_its_page_address(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct kmap_rec r = {};
	void *a;
	int ret;

	r.pg = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.pg);
	KUNIT_EXPECT_FALSE(test, PageHighMem(r.pg));

	a = kmap(r.pg);
	KUNIT_EXPECT_PTR_EQ(test, a, page_address(r.pg));
	kunmap(r.pg);
	a = kmap_local_page(r.pg);
	KUNIT_EXPECT_PTR_EQ(test, a, page_address(r.pg));
	kunmap_local(a);

	ret = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, kmap_local_fn, &r, &obs,
			     CTX_TIMEOUT_MS);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_EXPECT_PTR_EQ(test, r.addr, page_address(r.pg));
	__free_page(r.pg);
}

/*
 * MM-KMAP (highmem half): a highmem page has no address until kmap()
 * maps it into the PKMAP window.
 */
static void kmap_of_highmem_page_uses_the_pkmap_window(struct kunit *test)
{
#if defined(CONFIG_X86_32) && defined(CONFIG_HIGHMEM)
	struct page *pg;
	unsigned long a;

	if (!totalhigh_pages())
		kunit_skip(test, "needs >896 MiB RAM (QEMU -m 2G)");
	pg = alloc_page(GFP_HIGHUSER);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	if (!PageHighMem(pg)) {
		__free_page(pg);
		kunit_skip(test, "highmem exhausted");
	}
	KUNIT_EXPECT_NULL(test, page_address(pg));
	a = (unsigned long)kmap(pg);
	KUNIT_EXPECT_GE(test, a, (unsigned long)PKMAP_BASE);
	KUNIT_EXPECT_LT(test, a, (unsigned long)PKMAP_BASE + LAST_PKMAP * PAGE_SIZE);
	kunmap(pg);
	__free_page(pg);
#else
	kunit_skip(test, "needs i386 with HIGHMEM and >896 MiB RAM (QEMU -m 2G)");
#endif
}

/*
 * MM-WATERMARKS: every populated zone keeps 0 < min < low < high, set up
 * at boot from min_free_kbytes: low and high lie the same step above min
 * and low (at least a quarter of min), and 6.12 adds a fourth watermark,
 * promo, one more step up.
 */
static void zone_watermarks_are_ordered(struct kunit *test)
{
	unsigned int zones = 0;
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long min = zone->_watermark[WMARK_MIN];
		unsigned long low = zone->_watermark[WMARK_LOW];
		unsigned long high = zone->_watermark[WMARK_HIGH];
		unsigned long promo = zone->_watermark[WMARK_PROMO];

		zones++;
		kunit_info(test, "zone %s: min %lu low %lu high %lu promo %lu",
			   zone->name, min, low, high, promo);
		KUNIT_EXPECT_GT(test, min, 0UL);
		KUNIT_EXPECT_LT(test, min, low);
		KUNIT_EXPECT_LT(test, low, high);
		KUNIT_EXPECT_EQ(test, high - low, low - min);
		KUNIT_EXPECT_EQ(test, promo - high, high - low);
		KUNIT_EXPECT_GE(test, low - min, min / 4);
	}
	KUNIT_EXPECT_GE(test, zones, 1U);
}

/*
 * MM-PGDAT-FIELDS (nuance): pg_data_t still has node_zones[MAX_NR_ZONES],
 * node_start_pfn and node_present_pages (the sum of its zones), but
 * node_zonelists is sized MAX_ZONELISTS (GFP_ZONETYPES is gone) and
 * nr_zones is the index of the highest populated zone + 1, not a count.
 */
static void pgdat_describes_its_zones(struct kunit *test)
{
	pg_data_t *pgdat = first_pgdat();
	unsigned long present = 0, start = ULONG_MAX;
	int i, highest = -1;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(pgdat->node_zones), (size_t)MAX_NR_ZONES);
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(pgdat->node_zonelists),
			(size_t)MAX_ZONELISTS);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];

		KUNIT_EXPECT_PTR_EQ(test, z->zone_pgdat, pgdat);
		present += z->present_pages;
		if (populated_zone(z)) {
			highest = i;
			start = min(start, z->zone_start_pfn);
		}
	}
	KUNIT_EXPECT_EQ(test, (int)pgdat->nr_zones, highest + 1);
	KUNIT_EXPECT_EQ(test, pgdat->node_present_pages, present);
	KUNIT_EXPECT_EQ(test, pgdat->node_start_pfn, start);
}

/*
 * MM-CONTIG-PAGE-DATA: a UMA (!NUMA) kernel describes its single node with
 * contig_page_data.
 */
static void uma_node_is_contig_page_data(struct kunit *test)
{
#ifndef CONFIG_NUMA
	KUNIT_EXPECT_PTR_EQ(test, NODE_DATA(0), &contig_page_data);
	KUNIT_EXPECT_EQ(test, num_online_nodes(), 1U);
	KUNIT_EXPECT_EQ(test, contig_page_data.node_id, 0);
#else
	kunit_skip(test, "NUMA kernel: nodes live in node_data[]");
#endif
}

/*
 * MM-PGDAT-LIST (outdated): there is no pgdat_list; online nodes are
 * walked with for_each_online_pgdat() over NODE_DATA(nid).
 */
static void online_nodes_are_walked_through_node_data(struct kunit *test)
{
	unsigned int n = 0;
	pg_data_t *pgdat;

	for_each_online_pgdat(pgdat) {
		KUNIT_EXPECT_PTR_EQ(test, NODE_DATA(pgdat->node_id), pgdat);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, num_online_nodes());
	KUNIT_EXPECT_GE(test, n, 1U);
}

/*
 * MM-NUMA-LOCAL: with several nodes, a task's page comes from the node of
 * the CPU it runs on (default local policy).
 */
static void numa_allocation_prefers_the_local_node(struct kunit *test)
{
	struct page *pg;
	int nid;

	if (!IS_ENABLED(CONFIG_NUMA) || num_online_nodes() < 2)
		kunit_skip(test, "needs NUMA with 2+ nodes (QEMU x86_64 -numa)");
	migrate_disable();
	nid = numa_node_id();
	pg = alloc_page(GFP_KERNEL);
	migrate_enable();
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_EXPECT_EQ(test, page_to_nid(pg), nid);
	__free_page(pg);
}

/*
 * MM-PGTABLE-LEVELS (arch): generic code walks five levels (pgd, p4d,
 * pud, pmd, pte) and folds the unused ones. UML x86_64 really has three
 * (pgd, pmd, pte: p4d and pud folded), matching the note by accident;
 * x86_64 has 4 or 5. The walk of a vmalloc address must reach its frame.
 */
static void page_table_walk_reaches_the_vmalloc_frame(struct kunit *test)
{
	unsigned long addr;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;
	void *v;

	kunit_info(test, "CONFIG_PGTABLE_LEVELS=%d, PTRS_PER_P4D=%d PUD=%d PMD=%d PTE=%d",
		   CONFIG_PGTABLE_LEVELS, (int)PTRS_PER_P4D, (int)PTRS_PER_PUD,
		   (int)PTRS_PER_PMD, (int)PTRS_PER_PTE);
	if (IS_ENABLED(CONFIG_UML)) {
		KUNIT_EXPECT_EQ(test, CONFIG_PGTABLE_LEVELS, 3);
		KUNIT_EXPECT_EQ(test, (int)PTRS_PER_P4D, 1);
		KUNIT_EXPECT_EQ(test, (int)PTRS_PER_PUD, 1);
		KUNIT_EXPECT_GT(test, (int)PTRS_PER_PMD, 1);
	}

	v = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, v);
	/* vfree(v) runs when the case ends, also after a failed ASSERT */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vfree_wrapper, v), 0);
	addr = (unsigned long)v;
	pgd = pgd_offset_k(addr);
	KUNIT_ASSERT_FALSE(test, pgd_none(*pgd));
	p4d = p4d_offset(pgd, addr);
	KUNIT_ASSERT_FALSE(test, p4d_none(*p4d));
	pud = pud_offset(p4d, addr);
	KUNIT_ASSERT_FALSE(test, pud_none(*pud));
	pmd = pmd_offset(pud, addr);
	KUNIT_ASSERT_FALSE(test, pmd_none(*pmd));
	pte = pte_offset_kernel(pmd, addr);
	KUNIT_EXPECT_TRUE(test, pte_present(ptep_get(pte)));
	KUNIT_EXPECT_EQ(test, pte_pfn(ptep_get(pte)), vmalloc_to_pfn(v));
}

static struct kunit_case kclaims_zone_cases[] = {
	KUNIT_CASE(zone_types_follow_the_configuration),
	KUNIT_CASE(x86_has_dma_zone_below_16mib_and_dma32),
	KUNIT_CASE(no_zone_is_called_dma31),
	KUNIT_CASE(no_highmem_on_64bit),
	KUNIT_CASE(i386_keeps_memory_above_896mib_in_highmem),
	KUNIT_CASE(all_memory_is_lowmem_on_64bit),
	KUNIT_CASE(i386_normal_zone_spans_16_to_896mib),
	KUNIT_CASE(i386_page_offset_is_3g),
	KUNIT_CASE(page_offset_is_the_linear_map_of_phys_0),
	KUNIT_CASE(kmap_of_lowmem_page_is_its_page_address),
	KUNIT_CASE(kmap_of_highmem_page_uses_the_pkmap_window),
	KUNIT_CASE(zone_watermarks_are_ordered),
	KUNIT_CASE(pgdat_describes_its_zones),
	KUNIT_CASE(uma_node_is_contig_page_data),
	KUNIT_CASE(online_nodes_are_walked_through_node_data),
	KUNIT_CASE(numa_allocation_prefers_the_local_node),
	KUNIT_CASE(page_table_walk_reaches_the_vmalloc_frame),
	{}
};

static struct kunit_suite kclaims_zone_suite = {
	.name = "kclaims_zone",
	.test_cases = kclaims_zone_cases,
};
kunit_test_suite(kclaims_zone_suite);

MODULE_DESCRIPTION("KUnit checks of the notes' zone, node, highmem and page table claims");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about the slab allocator (kmem_cache, object
 * packing, reuse, constructors, empty slabs) checked against SLUB.
 *
 * Layout facts come from two independent places: where the objects really
 * land (virt_to_folio() of each object) and what SLUB itself reports in
 * /proc/slabinfo (read through a private procfs mount). The struct
 * kmem_cache internals (mm/slab.h) are private to mm/ and are not used.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_slab'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../lib/kclaims.h"

#define NR_OBJS 64

/* A private cache plus the objects a case holds; released on any exit. */
struct slab_fixture {
	struct kmem_cache *cache;
	void *obj[NR_OBJS];
};

static void slab_fixture_release(void *data)
{
	struct slab_fixture *fx = data;
	int i;

	for (i = 0; i < NR_OBJS; i++)
		if (fx->obj[i])
			kmem_cache_free(fx->cache, fx->obj[i]);
	kmem_cache_destroy(fx->cache);
}

static struct slab_fixture *slab_fixture_create(struct kunit *test,
						const char *name,
						unsigned int size,
						unsigned int align,
						slab_flags_t flags,
						void (*ctor)(void *))
{
	struct slab_fixture *fx;
	int ret;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->cache = kmem_cache_create(name, size, align, flags, ctor);
	KUNIT_ASSERT_NOT_NULL(test, fx->cache);
	ret = kunit_add_action_or_reset(test, slab_fixture_release, fx);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return fx;
}

/* One line of /proc/slabinfo (format 2.1, mm/slab_common.c cache_show()). */
struct slabinfo_row {
	unsigned long active_objs, num_objs;
	unsigned int objsize, objperslab, pagesperslab;
	unsigned int limit, batchcount, sharedfactor;
	unsigned long active_slabs, num_slabs, sharedavail;
};

/* Find cache @name in /proc/slabinfo; false if it is not listed. */
static bool slabinfo_lookup(struct kunit *test, const char *name,
			    struct slabinfo_row *row)
{
	char *buf = kclaims_read_proc(test, "slabinfo");
	char *line, *cur = buf;
	char cname[64];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_TRUE(test, str_has_prefix(buf, "slabinfo - version: 2.1"));
	while ((line = strsep(&cur, "\n")) != NULL) {
		int n = sscanf(line,
			       "%63s %lu %lu %u %u %u : tunables %u %u %u : slabdata %lu %lu %lu",
			       cname, &row->active_objs, &row->num_objs,
			       &row->objsize, &row->objperslab,
			       &row->pagesperslab, &row->limit,
			       &row->batchcount, &row->sharedfactor,
			       &row->active_slabs, &row->num_slabs,
			       &row->sharedavail);

		if (n == 12 && !strcmp(cname, name))
			return true;
	}
	return false;
}

/*
 * MM-SLAB-8PER4K: with 512-byte objects a 4 KiB page is cut into exactly
 * eight objects (UP: SLUB's min_objects is 8, so an order-0 slab suffices).
 */
static void slab_512_byte_objects_pack_8_per_4k_page(struct kunit *test)
{
	struct slab_fixture *fx;
	struct folio *folio[NR_OBJS];
	int count[NR_OBJS] = {};
	int nr_folios = 0, i, j;

	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN puts a redzone and its metadata after each object (512 B objects are 640 B apart): the default profile shows the 512 B layout");

	fx = slab_fixture_create(test, "kclaims_512", 512, 0, SLAB_NO_MERGE,
				 NULL);
	for (i = 0; i < NR_OBJS; i++) {
		struct folio *f;

		fx->obj[i] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->obj[i]);
		f = virt_to_folio(fx->obj[i]);
		KUNIT_EXPECT_TRUE(test, folio_test_slab(f));
		for (j = 0; j < nr_folios; j++)
			if (folio[j] == f)
				break;
		if (j == nr_folios)
			folio[nr_folios++] = f;
		count[j]++;
	}

	kunit_info(test, "%d objects of 512 B landed in %d slabs of %zu B\n",
		   NR_OBJS, nr_folios, folio_size(folio[0]));
	/* Every slab is packed without waste, whatever its size. */
	for (j = 0; j < nr_folios; j++)
		KUNIT_EXPECT_EQ(test, count[j] * 512, (int)folio_size(folio[j]));

	if (num_possible_cpus() > 1) {
		kunit_info(test, "SMP: SLUB wants >8 objects per slab here\n");
		return;
	}
	/* The note's example, exactly, on a UP kernel such as UML. */
	KUNIT_EXPECT_EQ(test, nr_folios, NR_OBJS / 8);
	for (j = 0; j < nr_folios; j++) {
		KUNIT_EXPECT_EQ(test, folio_size(folio[j]), (size_t)PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, count[j], 8);
	}
}

/*
 * MM-PROC-SLABINFO, MM-SLAB-8PER4K: /proc/slabinfo exists (only with
 * CONFIG_SLUB_DEBUG) and reports the same layout SLUB really used: the
 * stride, count and pages of the objects of a full first slab. Generic
 * KASAN's redzone makes that layout other than the note's 8 x 512 B per
 * page, which only the default profile shows.
 */
static void proc_slabinfo_reports_the_512_byte_cache(struct kunit *test)
{
	unsigned long lo = ULONG_MAX, hi = 0, a;
	struct slabinfo_row row;
	struct slab_fixture *fx;
	unsigned int stride;
	struct folio *f0;
	int i, n;

	if (!IS_ENABLED(CONFIG_SLUB_DEBUG))
		kunit_skip(test, "/proc/slabinfo needs CONFIG_SLUB_DEBUG");

	fx = slab_fixture_create(test, "kclaims_info512", 512, 0,
				 SLAB_NO_MERGE, NULL);
	fx->obj[0] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->obj[0]);
	f0 = virt_to_folio(fx->obj[0]);

	KUNIT_ASSERT_TRUE(test, slabinfo_lookup(test, "kclaims_info512", &row));
	kunit_info(test, "objsize %u objperslab %u pagesperslab %u slabs %lu\n",
		   row.objsize, row.objperslab, row.pagesperslab,
		   row.num_slabs);
	KUNIT_EXPECT_EQ(test, row.num_slabs, 1UL);
	KUNIT_EXPECT_EQ(test, (long)row.pagesperslab, folio_nr_pages(f0));

	/* the objects of the (full) first slab: count and spacing */
	for (n = 1; n < NR_OBJS; n++) {
		fx->obj[n] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->obj[n]);
		if (virt_to_folio(fx->obj[n]) != f0)
			break;
	}
	KUNIT_ASSERT_LT(test, n, NR_OBJS);
	KUNIT_ASSERT_GT(test, n, 1);
	for (i = 0; i < n; i++) {
		a = (unsigned long)fx->obj[i];
		lo = min(lo, a);
		hi = max(hi, a);
	}
	stride = (hi - lo) / (n - 1);
	KUNIT_EXPECT_EQ(test, row.objsize, stride);
	KUNIT_EXPECT_EQ(test, row.objperslab, (unsigned int)n);

	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		return;
	KUNIT_EXPECT_EQ(test, row.objsize, 512U);
	KUNIT_EXPECT_EQ(test, row.objperslab * row.objsize,
			row.pagesperslab * (unsigned int)PAGE_SIZE);
	if (num_possible_cpus() == 1) {
		KUNIT_EXPECT_EQ(test, row.objperslab, 8U);
		KUNIT_EXPECT_EQ(test, row.pagesperslab, 1U);
	}
}

/*
 * MM-KMEM-CACHE: kmem_cache_create(name, size, align, flags, ctor) keeps the
 * requested size, honours an explicit alignment, and SLAB_HWCACHE_ALIGN
 * aligns to a cache line -- but only halves of one for small objects.
 * Generic KASAN's ksize() reports only the requested size (the stride
 * beyond it holds its redzone), so the stride check needs it off.
 */
static void kmem_cache_create_honours_size_and_alignment(struct kunit *test)
{
	unsigned int line = cache_line_size();
	struct slab_fixture *hw40, *hw20, *al16, *plain;
	bool plain_off_line = false;
	int i;

	hw40 = slab_fixture_create(test, "kclaims_hw40", 40, 0,
				   SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	hw20 = slab_fixture_create(test, "kclaims_hw20", 20, 0,
				   SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	al16 = slab_fixture_create(test, "kclaims_al16", 40, 16,
				   SLAB_NO_MERGE, NULL);
	plain = slab_fixture_create(test, "kclaims_pl40", 40, 0,
				    SLAB_NO_MERGE, NULL);

	/* The cache remembers the object size the caller asked for. */
	KUNIT_EXPECT_EQ(test, kmem_cache_size(hw40->cache), 40U);
	KUNIT_EXPECT_EQ(test, kmem_cache_size(al16->cache), 40U);

	for (i = 0; i < 16; i++) {
		hw40->obj[i] = kmem_cache_alloc(hw40->cache, GFP_KERNEL);
		hw20->obj[i] = kmem_cache_alloc(hw20->cache, GFP_KERNEL);
		al16->obj[i] = kmem_cache_alloc(al16->cache, GFP_KERNEL);
		plain->obj[i] = kmem_cache_alloc(plain->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, hw40->obj[i]);
		KUNIT_ASSERT_NOT_NULL(test, hw20->obj[i]);
		KUNIT_ASSERT_NOT_NULL(test, al16->obj[i]);
		KUNIT_ASSERT_NOT_NULL(test, plain->obj[i]);

		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)hw40->obj[i],
						   line));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)hw20->obj[i],
						   line / 2));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)al16->obj[i],
						   16));
		if (!IS_ALIGNED((unsigned long)plain->obj[i], 16))
			plain_off_line = true;
	}
	if (IS_ENABLED(CONFIG_KASAN_GENERIC)) {
		KUNIT_EXPECT_EQ(test, ksize(hw40->obj[0]), (size_t)40);
		KUNIT_EXPECT_EQ(test, ksize(hw20->obj[0]), (size_t)20);
		KUNIT_EXPECT_EQ(test, ksize(al16->obj[0]), (size_t)40);
		KUNIT_EXPECT_EQ(test, ksize(plain->obj[0]), (size_t)40);
	} else {
		/* ksize() is the stride: the padding the alignment costs. */
		KUNIT_EXPECT_EQ(test, ksize(hw40->obj[0]), (size_t)line);
		KUNIT_EXPECT_EQ(test, ksize(hw20->obj[0]), (size_t)line / 2);
		KUNIT_EXPECT_EQ(test, ksize(al16->obj[0]), (size_t)48);
		KUNIT_EXPECT_EQ(test, ksize(plain->obj[0]), (size_t)40);
	}
	/* Without a request, 40-byte objects are packed at 8-byte steps. */
	KUNIT_EXPECT_TRUE(test, plain_off_line);
}

/*
 * MM-SLAB-REUSE: a freed object goes onto the freelist and the next
 * allocation hands it out again, last freed first (LIFO).
 */
static void slab_free_then_alloc_reuses_the_object_lifo(struct kunit *test)
{
	struct slab_fixture *fx;
	void *a, *b;

	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN quarantine delays reuse of freed objects: the default profile shows LIFO reuse");

	fx = slab_fixture_create(test, "kclaims_reuse", 512, 0, SLAB_NO_MERGE,
				 NULL);
	a = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	kmem_cache_free(fx->cache, a);
	fx->obj[0] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, fx->obj[0], a);

	a = fx->obj[0];
	b = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	fx->obj[1] = b;
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	/* Free a, then b: b comes back first, then a. */
	fx->obj[0] = NULL;
	fx->obj[1] = NULL;
	kmem_cache_free(fx->cache, a);
	kmem_cache_free(fx->cache, b);
	fx->obj[0] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	fx->obj[1] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, fx->obj[0], b);
	KUNIT_EXPECT_PTR_EQ(test, fx->obj[1], a);
}

/*
 * MM-SLAB-REUSE (nuance): the LIFO reuse is per active (per-CPU) slab. An
 * object freed into another, older slab is not the next one handed out;
 * it comes back once the active slab is used up and SLUB returns to the
 * partially free slab.
 */
static void slab_reuse_prefers_the_active_slab(struct kunit *test)
{
	struct folio *old_slab, *active;
	struct slab_fixture *fx;
	int i, n, back_at = -1;
	void *freed;

	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN quarantine delays reuse of freed objects: the default profile shows LIFO reuse");

	fx = slab_fixture_create(test, "kclaims_reuse2", 512, 0,
				 SLAB_NO_MERGE, NULL);
	fx->obj[0] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->obj[0]);
	old_slab = virt_to_folio(fx->obj[0]);
	for (n = 1; n < NR_OBJS / 2; n++) {
		fx->obj[n] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->obj[n]);
		if (virt_to_folio(fx->obj[n]) != old_slab)
			break;
	}
	KUNIT_ASSERT_LT(test, n, NR_OBJS / 2);
	active = virt_to_folio(fx->obj[n]);	/* a second slab started */

	freed = fx->obj[1];
	fx->obj[1] = NULL;
	kmem_cache_free(fx->cache, freed);
	for (i = n + 1; i < NR_OBJS; i++) {
		fx->obj[i] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->obj[i]);
		if (fx->obj[i] == freed) {
			back_at = i;
			break;
		}
		KUNIT_EXPECT_PTR_EQ(test, virt_to_folio(fx->obj[i]), active);
	}
	kunit_info(test, "%d objects per slab; freed object of the old slab came back after %d allocations\n",
		   n, back_at - n);
	/* not the next allocation, but after the active slab ran out */
	KUNIT_EXPECT_GT(test, back_at, n + 1);
	KUNIT_EXPECT_EQ(test, back_at, 2 * n);
}

/*
 * MM-SLAB-FREE-KEEPS (nuance): kmem_cache_free() does not give the page
 * back; the slab that held the freed object is still a slab, still holding
 * it, and even a slab left empty is kept while the node has fewer than
 * min_partial partial slabs (see kmem_cache_shrink_releases_empty_slabs
 * for the empty slabs beyond that, which are freed at once).
 */
static void slab_freed_object_stays_in_its_slab(struct kunit *test)
{
	struct slab_fixture *fx;
	struct slabinfo_row row;
	struct folio *f;
	void *freed;
	int i, n;

	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN quarantine holds freed objects, so none comes back and no slab empties: the default profile shows it");

	/*
	 * "The CPU slab" is per CPU: on SMP a migration between two
	 * allocations would take the next object from another CPU's slab.
	 * The case thread stays where it is (it exits after the case).
	 */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current,
						   cpumask_of(raw_smp_processor_id())), 0);
	fx = slab_fixture_create(test, "kclaims_keep", 512, 0, SLAB_NO_MERGE,
				 NULL);
	fx->obj[0] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	fx->obj[1] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->obj[0]);
	KUNIT_ASSERT_NOT_NULL(test, fx->obj[1]);
	f = virt_to_folio(fx->obj[0]);
	KUNIT_ASSERT_PTR_EQ(test, virt_to_folio(fx->obj[1]), f);

	freed = fx->obj[0];
	fx->obj[0] = NULL;
	kmem_cache_free(fx->cache, freed);
	KUNIT_EXPECT_TRUE(test, folio_test_slab(f));
	fx->obj[0] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->obj[0]);
	KUNIT_EXPECT_PTR_EQ(test, fx->obj[0], freed);

	/* Even with every object freed, the (now empty) slab is kept. */
	for (i = 0; i < 2; i++) {
		if (fx->obj[i])
			kmem_cache_free(fx->cache, fx->obj[i]);
		fx->obj[i] = NULL;
	}
	KUNIT_EXPECT_TRUE(test, folio_test_slab(f));
	if (IS_ENABLED(CONFIG_SLUB_DEBUG)) {
		KUNIT_ASSERT_TRUE(test,
				  slabinfo_lookup(test, "kclaims_keep", &row));
		KUNIT_EXPECT_EQ(test, row.num_slabs, 1UL);
	}

	/*
	 * That was the CPU slab. Fill it, so that the next object comes from
	 * a second slab, then empty it again: it is no longer the CPU slab
	 * but goes to the node's partial list, empty, and stays (the node
	 * had no partial slab, fewer than min_partial).
	 */
	for (i = 0; i < NR_OBJS; i++) {
		fx->obj[i] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->obj[i]);
		if (virt_to_folio(fx->obj[i]) != f)
			break;
	}
	KUNIT_ASSERT_LT(test, i, NR_OBJS);
	KUNIT_ASSERT_GT(test, i, 1);
	n = i;
	for (i = 0; i < n; i++) {
		kmem_cache_free(fx->cache, fx->obj[i]);
		fx->obj[i] = NULL;
	}
	KUNIT_EXPECT_TRUE(test, folio_test_slab(f));
	if (IS_ENABLED(CONFIG_SLUB_DEBUG)) {
		KUNIT_ASSERT_TRUE(test,
				  slabinfo_lookup(test, "kclaims_keep", &row));
		KUNIT_EXPECT_EQ(test, row.num_slabs, 2UL);
	}
}

static atomic_t ctor_calls;

static void kclaims_ctor(void *obj)
{
	atomic_inc(&ctor_calls);
	memset(obj, 0x5a, 512);
}

/*
 * MM-KMEM-CACHE: the constructor runs for every object of a slab when the
 * slab is populated, not on each allocation; a freed and reallocated
 * object keeps what its user left in it.
 */
static void slab_ctor_runs_per_object_at_slab_creation(struct kunit *test)
{
	struct slab_fixture *fx;
	struct slabinfo_row row;
	int first, per_slab, i;
	struct folio *f0;
	u8 *p;

	atomic_set(&ctor_calls, 0);
	fx = slab_fixture_create(test, "kclaims_ctor", 512, 0, SLAB_NO_MERGE,
				 kclaims_ctor);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), 0);

	fx->obj[0] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->obj[0]);
	first = atomic_read(&ctor_calls);
	f0 = virt_to_folio(fx->obj[0]);

	/* Count how many objects the first slab really holds. */
	for (i = 1; i < NR_OBJS; i++) {
		fx->obj[i] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->obj[i]);
		if (virt_to_folio(fx->obj[i]) != f0)
			break;
		/* Allocations from the populated slab run no constructor. */
		KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), first);
	}
	KUNIT_ASSERT_LT(test, i, NR_OBJS);
	per_slab = i;
	kunit_info(test, "ctor calls after 1st alloc: %d, objects in slab: %d\n",
		   first, per_slab);
	KUNIT_EXPECT_EQ(test, first, per_slab);
	/* The next slab was populated as a whole, too. */
	KUNIT_EXPECT_GE(test, atomic_read(&ctor_calls), 2 * per_slab);

	if (IS_ENABLED(CONFIG_SLUB_DEBUG)) {
		KUNIT_ASSERT_TRUE(test,
				  slabinfo_lookup(test, "kclaims_ctor", &row));
		/* SLUB moves the free pointer out of ctor objects: 512 + 8 */
		kunit_info(test, "ctor cache: objsize %u objperslab %u\n",
			   row.objsize, row.objperslab);
		KUNIT_EXPECT_EQ(test, row.objperslab, (unsigned int)per_slab);
		KUNIT_EXPECT_GT(test, row.objsize, 512U);
	}

	/* the quarantine would hand out another object: nothing to compare */
	if (IS_ENABLED(CONFIG_KASAN_GENERIC)) {
		kunit_info(test, "KASAN quarantine: free + alloc reuse not checked (the default profile does)\n");
		return;
	}
	/*
	 * free + alloc of an object of the current (second) slab: no ctor
	 * call, and the contents its user left are still there.
	 */
	p = fx->obj[i];
	KUNIT_EXPECT_EQ(test, p[100], 0x5a);
	p[100] = 0x11;
	first = atomic_read(&ctor_calls);
	fx->obj[i] = NULL;
	kmem_cache_free(fx->cache, p);
	fx->obj[i] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, fx->obj[i], (void *)p);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), first);
	KUNIT_EXPECT_EQ(test, p[100], 0x11);
}

/*
 * min_partial of a 512-byte cache: ilog2(512) / 2 = 4, raised to
 * MIN_PARTIAL (5) by kmem_cache_open() (both bounds are private to
 * mm/slub.c; sysfs shows the value as /sys/kernel/slab/<cache>/min_partial).
 */
#define SHRINK_MIN_PARTIAL	5UL

/*
 * MM-SLAB-LISTS, MM-SLAB-RECLAIM-EMPTY, MM-SLAB-FREE-KEEPS (nuance): SLUB
 * (the only allocator since SLAB's removal in 6.8) keeps no slab_empty
 * list: once all objects are freed only a few empty slabs stay per node
 * (min_partial, 5 for this cache), an empty slab beyond them goes back to
 * the page allocator at once, and kmem_cache_shrink() releases the others.
 */
static void kmem_cache_shrink_releases_empty_slabs(struct kunit *test)
{
	struct slabinfo_row row;
	struct slab_fixture *fx;
	int i;

	if (!IS_ENABLED(CONFIG_SLUB_DEBUG))
		kunit_skip(test, "slab counts need CONFIG_SLUB_DEBUG");
	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN quarantine holds freed objects, so freeing all of them empties no slab: the default profile shows it");

	fx = slab_fixture_create(test, "kclaims_shrink", 512, 0,
				 SLAB_NO_MERGE, NULL);
	for (i = 0; i < NR_OBJS; i++) {
		fx->obj[i] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->obj[i]);
	}
	KUNIT_ASSERT_TRUE(test, slabinfo_lookup(test, "kclaims_shrink", &row));
	KUNIT_ASSERT_EQ(test, row.num_objs, (unsigned long)NR_OBJS);
	KUNIT_ASSERT_EQ(test, row.num_slabs, NR_OBJS / row.objperslab * 1UL);
	/* SLAB's per-cache tunables do not exist any more */
	KUNIT_EXPECT_EQ(test, row.limit, 0U);
	KUNIT_EXPECT_EQ(test, row.batchcount, 0U);
	KUNIT_EXPECT_EQ(test, row.sharedfactor, 0U);

	for (i = 0; i < NR_OBJS; i++) {
		kmem_cache_free(fx->cache, fx->obj[i]);
		fx->obj[i] = NULL;
	}
	KUNIT_ASSERT_TRUE(test, slabinfo_lookup(test, "kclaims_shrink", &row));
	kunit_info(test, "empty slabs kept after freeing everything: %lu of %u\n",
		   row.num_slabs, NR_OBJS / row.objperslab);
	/* more than the CPU slab stays: empty slabs wait on the node */
	KUNIT_EXPECT_GT(test, row.num_slabs, 1UL);
	/* per-CPU partial lists (SMP only) may park more empty slabs */
	if (!IS_ENABLED(CONFIG_SLUB_CPU_PARTIAL)) {
		KUNIT_EXPECT_LT(test, row.num_slabs,
				(unsigned long)NR_OBJS / row.objperslab);
		/*
		 * The node keeps an emptied slab while it has fewer than
		 * min_partial partial slabs (the free that makes it
		 * min_partial discards its slab): min_partial - 1 empty
		 * slabs there, plus the empty CPU slab.
		 */
		KUNIT_EXPECT_EQ(test, row.num_slabs, SHRINK_MIN_PARTIAL);
	}

	KUNIT_EXPECT_EQ(test, kmem_cache_shrink(fx->cache), 0);
	KUNIT_ASSERT_TRUE(test, slabinfo_lookup(test, "kclaims_shrink", &row));
	KUNIT_EXPECT_EQ(test, row.num_slabs, 0UL);
	KUNIT_EXPECT_EQ(test, row.num_objs, 0UL);
}

/*
 * MM-SLAB-ONE-PAGE, MM-SLAB-MULTIPAGE: a slab is not one page. SLUB builds
 * kmalloc-4k and kmalloc-8k slabs from order-3 (8-page) folios, while small
 * caches such as kmalloc-64 do use single pages.
 */
static void slab_for_kmalloc_4k_spans_several_pages(struct kunit *test)
{
	void *small, *p4k, *p8k;
	struct folio *f;

	small = kmalloc(64, GFP_KERNEL);
	p4k = kmalloc(4096, GFP_KERNEL);
	p8k = kmalloc(8192, GFP_KERNEL);
	if (!small || !p4k || !p8k) {
		kfree(small);
		kfree(p4k);
		kfree(p8k);
		KUNIT_FAIL(test, "kmalloc failed");
		return;
	}

	f = virt_to_folio(p4k);
	kunit_info(test, "kmalloc-4k slab: order %u (%ld pages)\n",
		   folio_order(f), folio_nr_pages(f));
	KUNIT_EXPECT_TRUE(test, folio_test_slab(f));
	KUNIT_EXPECT_GT(test, folio_nr_pages(f), 1L);
	if (num_possible_cpus() == 1)
		KUNIT_EXPECT_EQ(test, folio_order(f), 3U);

	f = virt_to_folio(p8k);
	KUNIT_EXPECT_TRUE(test, folio_test_slab(f));
	KUNIT_EXPECT_GT(test, folio_nr_pages(f), 1L);

	f = virt_to_folio(small);
	KUNIT_EXPECT_TRUE(test, folio_test_slab(f));
	KUNIT_EXPECT_EQ(test, folio_nr_pages(f), 1L);

	kfree(small);
	kfree(p4k);
	kfree(p8k);
}

/*
 * MM-SLAB-FRAG: a dedicated cache wastes little: SLUB picks the slab order
 * so that at most 1/16 of a slab is left over. 456-byte objects waste 11%
 * of a single page (8 objects), so SLUB takes two pages (17 objects).
 * kmalloc size classes still waste up to (not quite) half an object.
 * The leftover is measured with the real stride (the first slab is full,
 * its objects evenly spaced), which debug options such as KASAN's redzone
 * make larger than the object.
 */
static void slab_order_bounds_internal_fragmentation(struct kunit *test)
{
	unsigned long lo = ULONG_MAX, hi = 0, a;
	struct slab_fixture *fx;
	unsigned int worst_n = 0;
	size_t worst = 0, n, stride;
	struct folio *f0;
	int i, j;

	fx = slab_fixture_create(test, "kclaims_456", 456, 0, SLAB_NO_MERGE,
				 NULL);
	fx->obj[0] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->obj[0]);
	f0 = virt_to_folio(fx->obj[0]);
	for (i = 1; i < NR_OBJS; i++) {
		fx->obj[i] = kmem_cache_alloc(fx->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, fx->obj[i]);
		if (virt_to_folio(fx->obj[i]) != f0)
			break;
	}
	KUNIT_ASSERT_LT(test, i, NR_OBJS);
	KUNIT_ASSERT_GT(test, i, 1);
	for (j = 0; j < i; j++) {
		a = (unsigned long)fx->obj[j];
		lo = min(lo, a);
		hi = max(hi, a);
	}
	stride = (hi - lo) / (i - 1);
	KUNIT_EXPECT_EQ(test, lo + stride * (i - 1), hi);
	KUNIT_EXPECT_GE(test, stride, (size_t)456);
	KUNIT_ASSERT_LE(test, i * stride, folio_size(f0));
	kunit_info(test, "456 B objects: %d per %zu B slab, %zu B apart, %zu B left over\n",
		   i, folio_size(f0), stride, folio_size(f0) - i * stride);
	/* leftover <= 1/16 of the slab */
	KUNIT_EXPECT_LE(test, (folio_size(f0) - i * stride) * 16, folio_size(f0));
	KUNIT_EXPECT_GT(test, folio_size(f0), (size_t)PAGE_SIZE);

	/* kmalloc classes: rounding never doubles a request above 8 B */
	for (n = 9; n <= KMALLOC_MAX_CACHE_SIZE; n++) {
		size_t r = kmalloc_size_roundup(n);

		KUNIT_EXPECT_LT(test, r, 2 * n);
		if ((r - n) * 1000 / r > worst) {
			worst = (r - n) * 1000 / r;
			worst_n = n;
		}
	}
	kunit_info(test, "worst kmalloc waste: %zu.%zu%% at %u B\n",
		   worst / 10, worst % 10, worst_n);
}

/*
 * MM-TASK-STRUCT-SLAB: the running task's task_struct is an object of the
 * dedicated "task_struct" slab cache (ksize() equals that cache's object
 * stride in /proc/slabinfo), not a kmalloc size class. Generic KASAN's
 * ksize() is the size the cache was created with, arch_task_struct_size,
 * and its redzone makes the stride larger.
 */
static void task_struct_comes_from_its_slab_cache(struct kunit *test)
{
	struct slabinfo_row row;
	size_t sz;

	KUNIT_EXPECT_TRUE(test, folio_test_slab(virt_to_folio(current)));
	sz = ksize(current);
	kunit_info(test, "task_struct: %zu B, ksize %zu B\n",
		   (size_t)arch_task_struct_size, sz);
	KUNIT_EXPECT_GE(test, sz, (size_t)arch_task_struct_size);
	KUNIT_EXPECT_NE(test, sz, kmalloc_size_roundup(arch_task_struct_size));

	if (!IS_ENABLED(CONFIG_SLUB_DEBUG))
		return;
	KUNIT_ASSERT_TRUE(test, slabinfo_lookup(test, "task_struct", &row));
	if (IS_ENABLED(CONFIG_KASAN_GENERIC)) {
		KUNIT_EXPECT_EQ(test, sz, (size_t)arch_task_struct_size);
		KUNIT_EXPECT_GT(test, (size_t)row.objsize, sz);
	} else {
		KUNIT_EXPECT_EQ(test, (size_t)row.objsize, sz);
	}
	KUNIT_EXPECT_GE(test, row.active_objs, 1UL);
}

static void mmput_action(void *mm)
{
	mmput(mm);
}

/*
 * MM-MM-STRUCT-SLAB: a new mm_struct (what fork/exec allocate) comes from
 * the "mm_struct" slab cache: ksize() is that cache's stride (with
 * generic KASAN only the object size, the redzone making the stride
 * larger).
 */
static void mm_struct_comes_from_its_slab_cache(struct kunit *test)
{
	struct slabinfo_row row;
	struct mm_struct *mm;
	size_t sz;

	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mmput_action, mm),
			0);

	KUNIT_EXPECT_TRUE(test, folio_test_slab(virt_to_folio(mm)));
	sz = ksize(mm);
	KUNIT_EXPECT_GE(test, sz, sizeof(*mm));
	if (!IS_ENABLED(CONFIG_SLUB_DEBUG))
		return;
	KUNIT_ASSERT_TRUE(test, slabinfo_lookup(test, "mm_struct", &row));
	kunit_info(test, "mm_struct ksize %zu B, slabinfo objsize %u\n", sz,
		   row.objsize);
	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		KUNIT_EXPECT_GT(test, (size_t)row.objsize, sz);
	else
		KUNIT_EXPECT_EQ(test, (size_t)row.objsize, sz);
}

static struct kunit_case kclaims_slab_cases[] = {
	KUNIT_CASE(slab_512_byte_objects_pack_8_per_4k_page),
	KUNIT_CASE(proc_slabinfo_reports_the_512_byte_cache),
	KUNIT_CASE(kmem_cache_create_honours_size_and_alignment),
	KUNIT_CASE(slab_free_then_alloc_reuses_the_object_lifo),
	KUNIT_CASE(slab_reuse_prefers_the_active_slab),
	KUNIT_CASE(slab_freed_object_stays_in_its_slab),
	KUNIT_CASE(slab_ctor_runs_per_object_at_slab_creation),
	KUNIT_CASE(kmem_cache_shrink_releases_empty_slabs),
	KUNIT_CASE(slab_for_kmalloc_4k_spans_several_pages),
	KUNIT_CASE(slab_order_bounds_internal_fragmentation),
	KUNIT_CASE(task_struct_comes_from_its_slab_cache),
	KUNIT_CASE(mm_struct_comes_from_its_slab_cache),
	{}
};

static struct kunit_suite kclaims_slab_suite = {
	.name = "kclaims_slab",
	.test_cases = kclaims_slab_cases,
};
kunit_test_suite(kclaims_slab_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("kclaims: slab allocator claims of the notes vs SLUB");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_tree: the search trees the notes name: the red-black tree with
 * its cached leftmost node (seed 002, 4.4: CFS's rb_leftmost) and the page
 * cache index (seed 002, 16.2: a radix tree "page_tree", now an XArray).
 */
#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/log2.h>
#include <linux/pagemap.h>
#include <linux/rbtree.h>
#include <linux/rbtree_augmented.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/xarray.h>

struct kc_node {
	struct rb_node rb;
	int key;
};

static bool kc_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct kc_node, rb)->key <
	       rb_entry(b, struct kc_node, rb)->key;
}

static int key_of(struct rb_node *n)
{
	return rb_entry(n, struct kc_node, rb)->key;
}

#define NR_KEYS 101	/* prime: i * 37 % NR_KEYS visits every key once */

/*
 * SCHED-RBTREE-LEFTMOST: rb_root_cached keeps a pointer to the leftmost
 * (smallest) node, so the minimum is read without a walk: after every
 * insert it is the smallest key so far, and after erasing the leftmost it
 * is the next one (rb_erase_cached() finds it with rb_next(), lib/rbtree.c);
 * erasing another node leaves it alone.
 */
static void cached_root_tracks_the_leftmost_node(struct kunit *test)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct kc_node *nodes;
	int i, lo = INT_MAX;

	nodes = kunit_kcalloc(test, NR_KEYS, sizeof(*nodes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nodes);

	for (i = 0; i < NR_KEYS; i++) {
		nodes[i].key = i * 37 % NR_KEYS;
		rb_add_cached(&nodes[i].rb, &root, kc_less);
		lo = min(lo, nodes[i].key);
		KUNIT_ASSERT_EQ(test, key_of(rb_first_cached(&root)), lo);
		/* the cached pointer is the tree's real leftmost node */
		KUNIT_ASSERT_PTR_EQ(test, rb_first_cached(&root),
				    rb_first(&root.rb_root));
	}

	/* erase a middle key: the leftmost stays */
	for (i = 0; i < NR_KEYS; i++)
		if (nodes[i].key == 50)
			rb_erase_cached(&nodes[i].rb, &root);
	KUNIT_EXPECT_EQ(test, key_of(rb_first_cached(&root)), 0);

	/* erase the leftmost repeatedly: the next smallest takes its place */
	for (lo = 0; lo < NR_KEYS - 1; lo++) {
		struct rb_node *left = rb_first_cached(&root);

		if (lo == 50)
			continue;
		KUNIT_ASSERT_NOT_NULL(test, left);
		KUNIT_ASSERT_EQ(test, key_of(left), lo);
		rb_erase_cached(left, &root);
		KUNIT_ASSERT_PTR_EQ(test, rb_first_cached(&root),
				    rb_first(&root.rb_root));
	}
	KUNIT_EXPECT_EQ(test, key_of(rb_first_cached(&root)), NR_KEYS - 1);
	rb_erase_cached(rb_first_cached(&root), &root);
	KUNIT_EXPECT_NULL(test, rb_first_cached(&root));
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&root.rb_root));
}

/*
 * SCHED-RBTREE-LEFTMOST: an in-order walk (rb_first/rb_next, or
 * rb_last/rb_prev backwards) visits the keys sorted, whatever the order
 * they were inserted in.
 */
static void in_order_walk_is_sorted(struct kunit *test)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct kc_node *nodes;
	struct rb_node *n;
	int i, expect;

	nodes = kunit_kcalloc(test, NR_KEYS, sizeof(*nodes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nodes);
	for (i = 0; i < NR_KEYS; i++) {
		nodes[i].key = i * 37 % NR_KEYS;
		rb_add_cached(&nodes[i].rb, &root, kc_less);
	}

	expect = 0;
	for (n = rb_first(&root.rb_root); n; n = rb_next(n))
		KUNIT_ASSERT_EQ(test, key_of(n), expect++);
	KUNIT_EXPECT_EQ(test, expect, NR_KEYS);

	expect = NR_KEYS - 1;
	for (n = rb_last(&root.rb_root); n; n = rb_prev(n))
		KUNIT_ASSERT_EQ(test, key_of(n), expect--);
	KUNIT_EXPECT_EQ(test, expect, -1);
}

#define NR_SORTED 1023

/*
 * SCHED-RBTREE-LEFTMOST: the tree is a red-black tree, kept balanced by
 * rb_insert_color() (lib/rbtree.c): keys inserted in ascending order (the
 * worst case for a plain binary search tree: a 1023-long chain) still give
 * a black root, no red node with a red parent, the same number of black
 * nodes on every path, and a depth within 2*log2(n + 1).
 */
static void ascending_inserts_stay_balanced(struct kunit *test)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct kc_node *nodes;
	int i, max_depth = 0, black_height = -1;
	bool red_red = false, uneven = false;

	nodes = kunit_kcalloc(test, NR_SORTED, sizeof(*nodes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nodes);
	for (i = 0; i < NR_SORTED; i++) {
		nodes[i].key = i;
		rb_add_cached(&nodes[i].rb, &root, kc_less);
	}

	KUNIT_EXPECT_TRUE(test, rb_is_black(root.rb_root.rb_node));
	/* walk up from every node: no recursion, bounded if unbalanced */
	for (i = 0; i < NR_SORTED; i++) {
		struct rb_node *n = &nodes[i].rb;
		int depth = 0, blacks = 0;

		if (rb_is_red(n) && rb_parent(n) && rb_is_red(rb_parent(n)))
			red_red = true;
		for (; n; n = rb_parent(n)) {
			depth++;
			blacks += rb_is_black(n);
		}
		max_depth = max(max_depth, depth);
		/* a node with a missing child ends a path */
		if (!nodes[i].rb.rb_left || !nodes[i].rb.rb_right) {
			if (black_height < 0)
				black_height = blacks;
			else if (blacks != black_height)
				uneven = true;
		}
	}
	KUNIT_EXPECT_FALSE(test, red_red);
	KUNIT_EXPECT_FALSE(test, uneven);
	KUNIT_EXPECT_LE(test, max_depth, 2 * ilog2(NR_SORTED + 1));
	KUNIT_EXPECT_EQ(test, key_of(rb_first_cached(&root)), 0);
}

KUNIT_DEFINE_ACTION_WRAPPER(fput_wrapper, fput, struct file *);

/*
 * MM-ADDRSPACE-RADIX (outdated): the page cache index of a file is
 * mapping->i_pages, a struct xarray (page_tree, a radix tree, became
 * i_pages in 4.17 and an XArray in 4.20): after writing pages 0, 2 and 5
 * of a shmem file, xa_load() at those indices gives the cached folios,
 * the holes give NULL, xa_extract() lists exactly those folios in index
 * order, and truncating the file erases its entries from the xarray.
 */
static void page_cache_folios_are_xarray_entries(struct kunit *test)
{
	static const pgoff_t idx[] = { 0, 2, 5 };
	struct folio *folios[ARRAY_SIZE(idx)];
	struct address_space *mapping;
	void *found[ARRAY_SIZE(idx) + 1];
	char *buf;
	struct file *f;
	int i;

	buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	f = shmem_kernel_file_setup("kclaims_xa", 8 * PAGE_SIZE, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fput_wrapper, f), 0);
	mapping = f->f_mapping;
	KUNIT_EXPECT_TRUE(test, __same_type(mapping->i_pages, struct xarray));
	KUNIT_EXPECT_TRUE(test, xa_empty(&mapping->i_pages));

	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		loff_t pos = idx[i] << PAGE_SHIFT;

		memset(buf, 'a' + i, 64);
		KUNIT_ASSERT_EQ(test, kernel_write(f, buf, 64, &pos), (ssize_t)64);
	}
	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		folios[i] = filemap_get_folio(mapping, idx[i]);
		KUNIT_ASSERT_FALSE(test, IS_ERR(folios[i]));
		/* the data written at page idx[i] is in this folio */
		KUNIT_EXPECT_EQ(test, *(char *)folio_address(folios[i]), 'a' + i);
		folio_put(folios[i]);	/* the page cache still holds it */
	}

	KUNIT_EXPECT_EQ(test, mapping->nrpages, (unsigned long)ARRAY_SIZE(idx));
	for (i = 0; i < ARRAY_SIZE(idx); i++)
		KUNIT_EXPECT_PTR_EQ(test, xa_load(&mapping->i_pages, idx[i]),
				    (void *)folios[i]);
	KUNIT_EXPECT_NULL(test, xa_load(&mapping->i_pages, 1));
	KUNIT_EXPECT_NULL(test, xa_load(&mapping->i_pages, 4));
	KUNIT_EXPECT_NULL(test, xa_load(&mapping->i_pages, 6));

	KUNIT_EXPECT_EQ(test, xa_extract(&mapping->i_pages, found, 0, ULONG_MAX,
					 ARRAY_SIZE(found), XA_PRESENT),
			(unsigned int)ARRAY_SIZE(idx));
	for (i = 0; i < ARRAY_SIZE(idx); i++)
		KUNIT_EXPECT_PTR_EQ(test, found[i], (void *)folios[i]);

	/* truncate to one page: indices 2 and 5 leave the xarray */
	shmem_truncate_range(file_inode(f), PAGE_SIZE, (loff_t)-1);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&mapping->i_pages, 0), (void *)folios[0]);
	KUNIT_EXPECT_NULL(test, xa_load(&mapping->i_pages, 2));
	KUNIT_EXPECT_NULL(test, xa_load(&mapping->i_pages, 5));
	KUNIT_EXPECT_EQ(test, mapping->nrpages, 1UL);
}

static struct kunit_case kclaims_tree_cases[] = {
	KUNIT_CASE(cached_root_tracks_the_leftmost_node),
	KUNIT_CASE(in_order_walk_is_sorted),
	KUNIT_CASE(ascending_inserts_stay_balanced),
	KUNIT_CASE(page_cache_folios_are_xarray_entries),
	{}
};

static struct kunit_suite kclaims_tree_suite = {
	.name = "kclaims_tree",
	.test_cases = kclaims_tree_cases,
};
kunit_test_suite(kclaims_tree_suite);

MODULE_DESCRIPTION("kclaims: rbtree and page cache xarray claims of the notes");
MODULE_LICENSE("GPL");

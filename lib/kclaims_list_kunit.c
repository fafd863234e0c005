// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_list: the notes' claims about struct list_head (seed 000) and the
 * type/portability claims of the lib table (seed 002, chapter 19).
 */
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/byteorder/generic.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/errno.h>
#include <linux/find.h>
#include <linux/gfp.h>
#include <linux/kstrtox.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>

#include "kclaims.h"

struct item {
	int val;
	struct list_head node;	/* deliberately not the first member */
};

#define NR_ITEMS 5

static void init_items(struct item *it, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		it[i].val = i + 1;
		INIT_LIST_HEAD(&it[i].node);
	}
}

/* Collect the values in list_for_each_entry order; returns the count. */
static int list_values(struct list_head *head, int *vals, int max)
{
	struct item *pos;
	int n = 0;

	list_for_each_entry(pos, head, node) {
		if (n < max)
			vals[n] = pos->val;
		n++;
	}
	return n;
}

/* LIB-LIST-ADD: list_add inserts right after the head, so it is a stack. */
static void list_add_inserts_at_head_like_a_stack(struct kunit *test)
{
	struct item it[NR_ITEMS];
	int vals[NR_ITEMS + 1];
	LIST_HEAD(head);
	int i;

	init_items(it, NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++)
		list_add(&it[i].node, &head);

	KUNIT_ASSERT_EQ(test, list_values(&head, vals, ARRAY_SIZE(vals)),
			NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++)
		KUNIT_EXPECT_EQ(test, vals[i], NR_ITEMS - i);
	KUNIT_EXPECT_PTR_EQ(test, head.next, &it[NR_ITEMS - 1].node);
}

/* LIB-LIST-ADD: list_add_tail inserts before the head, so it is a queue. */
static void list_add_tail_inserts_at_tail_like_a_queue(struct kunit *test)
{
	struct item it[NR_ITEMS];
	int vals[NR_ITEMS + 1];
	LIST_HEAD(head);
	int i;

	init_items(it, NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++)
		list_add_tail(&it[i].node, &head);

	KUNIT_ASSERT_EQ(test, list_values(&head, vals, ARRAY_SIZE(vals)),
			NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++)
		KUNIT_EXPECT_EQ(test, vals[i], i + 1);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&head, struct item, node),
			    &it[0]);
	KUNIT_EXPECT_PTR_EQ(test, list_last_entry(&head, struct item, node),
			    &it[NR_ITEMS - 1]);
}

/*
 * LIB-LIST-ADD: circular and doubly linked: head->prev is the last entry,
 * the last entry's next is the head, and every node's next->prev is itself,
 * both ways round.
 */
static void list_is_circular_and_doubly_linked(struct kunit *test)
{
	struct item it[NR_ITEMS];
	struct list_head *p;
	LIST_HEAD(head);
	int i, steps;

	init_items(it, NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++)
		list_add_tail(&it[i].node, &head);

	KUNIT_EXPECT_PTR_EQ(test, head.prev, &it[NR_ITEMS - 1].node);
	KUNIT_EXPECT_PTR_EQ(test, it[NR_ITEMS - 1].node.next, &head);
	KUNIT_EXPECT_PTR_EQ(test, it[0].node.prev, &head);

	/* forward: NR_ITEMS + 1 steps return to the head, no NULL on the way */
	p = &head;
	for (steps = 0; steps <= NR_ITEMS; steps++) {
		KUNIT_ASSERT_NOT_NULL(test, p->next);
		KUNIT_EXPECT_PTR_EQ(test, p->next->prev, p);
		p = p->next;
		if (p == &head)
			break;
	}
	KUNIT_EXPECT_EQ(test, steps, NR_ITEMS);

	/* backward via prev: the same nodes in reverse */
	p = &head;
	for (i = NR_ITEMS - 1; i >= 0; i--) {
		p = p->prev;
		KUNIT_EXPECT_PTR_EQ(test, p, &it[i].node);
	}
	KUNIT_EXPECT_PTR_EQ(test, p->prev, &head);
	KUNIT_EXPECT_TRUE(test, list_is_last(&it[NR_ITEMS - 1].node, &head));
	KUNIT_EXPECT_TRUE(test, list_is_head(it[NR_ITEMS - 1].node.next, &head));
}

/*
 * LIB-LIST-EMBED: the list links point at the embedded list_head, not at
 * the start of the containing struct; list_entry()/container_of() subtract
 * offsetof() to get the struct back.
 */
static void list_links_point_at_member_not_struct(struct kunit *test)
{
	struct item x = { .val = 42 };
	struct item *back;
	LIST_HEAD(head);

	KUNIT_ASSERT_NE(test, offsetof(struct item, node), 0UL);
	list_add(&x.node, &head);

	KUNIT_EXPECT_PTR_EQ(test, head.next, &x.node);
	KUNIT_EXPECT_PTR_NE(test, (void *)head.next, (void *)&x);
	KUNIT_EXPECT_EQ(test, (unsigned long)head.next - (unsigned long)&x,
			(unsigned long)offsetof(struct item, node));

	back = list_entry(head.next, struct item, node);
	KUNIT_EXPECT_PTR_EQ(test, back, &x);
	KUNIT_EXPECT_EQ(test, back->val, 42);
	KUNIT_EXPECT_PTR_EQ(test, container_of(head.prev, struct item, node),
			    &x);
}

/*
 * LIB-LIST-ADD: list_del unlinks the entry (neighbours are joined) and,
 * unconditionally (not only with CONFIG_DEBUG_LIST), poisons its links with
 * LIST_POISON1/2 so a stale use faults; list_del_init leaves it empty.
 */
static void list_del_unlinks_and_poisons_entry(struct kunit *test)
{
	struct item it[3];
	int vals[4];
	LIST_HEAD(head);
	int i;

	init_items(it, 3);
	for (i = 0; i < 3; i++)
		list_add_tail(&it[i].node, &head);

	list_del(&it[1].node);
	KUNIT_EXPECT_EQ(test, list_values(&head, vals, ARRAY_SIZE(vals)), 2);
	KUNIT_EXPECT_EQ(test, vals[0], 1);
	KUNIT_EXPECT_EQ(test, vals[1], 3);
	KUNIT_EXPECT_PTR_EQ(test, it[0].node.next, &it[2].node);
	KUNIT_EXPECT_PTR_EQ(test, it[2].node.prev, &it[0].node);
	KUNIT_EXPECT_PTR_EQ(test, it[1].node.next, LIST_POISON1);
	KUNIT_EXPECT_PTR_EQ(test, it[1].node.prev, LIST_POISON2);

	list_del_init(&it[0].node);
	KUNIT_EXPECT_TRUE(test, list_empty(&it[0].node));
	KUNIT_EXPECT_PTR_EQ(test, head.next, &it[2].node);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&head));
}

/* LIB-LIST-ADD: an empty list is a head that points at itself. */
static void list_empty_means_head_points_to_itself(struct kunit *test)
{
	struct item x = { .val = 1 };
	LIST_HEAD(head);

	KUNIT_EXPECT_TRUE(test, list_empty(&head));
	KUNIT_EXPECT_PTR_EQ(test, head.next, &head);
	KUNIT_EXPECT_PTR_EQ(test, head.prev, &head);

	list_add(&x.node, &head);
	KUNIT_EXPECT_FALSE(test, list_empty(&head));
	KUNIT_EXPECT_TRUE(test, list_is_singular(&head));

	list_del(&x.node);
	KUNIT_EXPECT_TRUE(test, list_empty(&head));
	KUNIT_EXPECT_PTR_EQ(test, head.next, &head);
}

/*
 * LIB-LIST-ADD: list_for_each_entry_safe caches the next entry, so the
 * current one may be deleted while iterating; every entry is still visited.
 */
static void safe_iteration_allows_deleting_current_entry(struct kunit *test)
{
	struct item it[NR_ITEMS];
	struct item *pos, *n;
	int vals[NR_ITEMS + 1];
	LIST_HEAD(head);
	int i, visited = 0;

	init_items(it, NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++)
		list_add_tail(&it[i].node, &head);

	/* delete the odd values, keep the even ones */
	list_for_each_entry_safe(pos, n, &head, node) {
		KUNIT_EXPECT_EQ(test, pos->val, visited + 1);
		visited++;
		if (pos->val & 1)
			list_del(&pos->node);
	}
	KUNIT_EXPECT_EQ(test, visited, NR_ITEMS);
	KUNIT_ASSERT_EQ(test, list_values(&head, vals, ARRAY_SIZE(vals)), 2);
	KUNIT_EXPECT_EQ(test, vals[0], 2);
	KUNIT_EXPECT_EQ(test, vals[1], 4);
}

/*
 * LIB-LIST-ADD: all manipulation goes through list_head pointers only:
 * list_move_tail moves an entry between lists, list_splice_init joins a
 * whole list in front of another and empties the donor.
 */
static void list_move_and_splice_relink_entries(struct kunit *test)
{
	struct item it[NR_ITEMS];
	int vals[NR_ITEMS + 1];
	LIST_HEAD(a);
	LIST_HEAD(b);
	int i;

	init_items(it, NR_ITEMS);
	/* a: 1 2 3, b: 4 5 */
	for (i = 0; i < 3; i++)
		list_add_tail(&it[i].node, &a);
	for (i = 3; i < NR_ITEMS; i++)
		list_add_tail(&it[i].node, &b);

	/* move 1 to the tail of b: a: 2 3, b: 4 5 1 */
	list_move_tail(&it[0].node, &b);
	KUNIT_EXPECT_EQ(test, list_values(&a, vals, ARRAY_SIZE(vals)), 2);
	KUNIT_EXPECT_EQ(test, vals[0], 2);
	KUNIT_ASSERT_EQ(test, list_values(&b, vals, ARRAY_SIZE(vals)), 3);
	KUNIT_EXPECT_EQ(test, vals[2], 1);

	/* splice b in front of a: a: 4 5 1 2 3, b empty */
	list_splice_init(&b, &a);
	KUNIT_EXPECT_TRUE(test, list_empty(&b));
	KUNIT_ASSERT_EQ(test, list_values(&a, vals, ARRAY_SIZE(vals)),
			NR_ITEMS);
	KUNIT_EXPECT_EQ(test, vals[0], 4);
	KUNIT_EXPECT_EQ(test, vals[1], 5);
	KUNIT_EXPECT_EQ(test, vals[2], 1);
	KUNIT_EXPECT_EQ(test, vals[3], 2);
	KUNIT_EXPECT_EQ(test, vals[4], 3);
	KUNIT_EXPECT_PTR_EQ(test, a.prev, &it[2].node);
}

/* One object on three lists at once, its links at the start, middle, end. */
struct multi {
	struct list_head first;
	int val;
	struct list_head middle;
	char pad[13];
	struct list_head last;
};

/*
 * LIB-LIST-EMBED: list_entry()/container_of() recover the enclosing struct
 * from a list_head embedded anywhere in it: the same object is reached
 * from each of three lists whose links sit at different offsets.
 */
static void list_entry_recovers_struct_from_any_member(struct kunit *test)
{
	struct multi m = { .val = 7 };
	LIST_HEAD(l1);
	LIST_HEAD(l2);
	LIST_HEAD(l3);

	list_add(&m.first, &l1);
	list_add(&m.middle, &l2);
	list_add(&m.last, &l3);

	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&l1, struct multi, first), &m);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&l2, struct multi, middle), &m);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&l3, struct multi, last), &m);
	KUNIT_EXPECT_PTR_EQ(test, (void *)l1.next, (void *)&m);
	KUNIT_EXPECT_EQ(test, (unsigned long)l3.next - (unsigned long)&m,
			(unsigned long)offsetof(struct multi, last));
	KUNIT_EXPECT_EQ(test, list_entry(l2.prev, struct multi, middle)->val, 7);
	/* leaving one list does not touch the others */
	list_del_init(&m.middle);
	KUNIT_EXPECT_TRUE(test, list_empty(&l2));
	KUNIT_EXPECT_PTR_EQ(test, l1.next, &m.first);
	KUNIT_EXPECT_PTR_EQ(test, l3.prev, &m.last);
}

/*
 * LIB-LIST-ADD: list_splice() puts a whole list right after a head (the
 * donor head is left stale), list_splice_tail() before it, list_move()
 * relinks an entry after a head, and list_is_first()/list_is_last() read
 * the position from the links.
 */
static void splice_move_and_is_last_follow_the_links(struct kunit *test)
{
	struct item it[NR_ITEMS];
	int vals[NR_ITEMS + 1];
	LIST_HEAD(a);
	LIST_HEAD(b);
	LIST_HEAD(c);

	init_items(it, NR_ITEMS);
	/* a: 1, b: 2 3, c: 4 5 */
	list_add_tail(&it[0].node, &a);
	list_add_tail(&it[1].node, &b);
	list_add_tail(&it[2].node, &b);
	list_add_tail(&it[3].node, &c);
	list_add_tail(&it[4].node, &c);

	list_splice(&b, &a);		/* a: 2 3 1 */
	list_splice_tail(&c, &a);	/* a: 2 3 1 4 5 */
	KUNIT_ASSERT_EQ(test, list_values(&a, vals, ARRAY_SIZE(vals)), NR_ITEMS);
	KUNIT_EXPECT_EQ(test, vals[0], 2);
	KUNIT_EXPECT_EQ(test, vals[1], 3);
	KUNIT_EXPECT_EQ(test, vals[2], 1);
	KUNIT_EXPECT_EQ(test, vals[3], 4);
	KUNIT_EXPECT_EQ(test, vals[4], 5);
	KUNIT_EXPECT_TRUE(test, list_is_first(&it[1].node, &a));
	KUNIT_EXPECT_TRUE(test, list_is_last(&it[4].node, &a));
	KUNIT_EXPECT_FALSE(test, list_is_last(&it[2].node, &a));
	/* the spliced-from head still points into a: it must be reinitialised */
	KUNIT_EXPECT_PTR_EQ(test, b.next, &it[1].node);

	list_move(&it[4].node, &a);	/* a: 5 2 3 1 4 */
	KUNIT_EXPECT_TRUE(test, list_is_first(&it[4].node, &a));
	KUNIT_EXPECT_TRUE(test, list_is_last(&it[3].node, &a));
	KUNIT_EXPECT_PTR_EQ(test, a.prev, &it[3].node);
	KUNIT_EXPECT_PTR_EQ(test, it[3].node.next, &a);
}

/*
 * Leave h <-> x <-> y half-way through list_add(n, x) by another writer:
 * the first store of __list_add() (y->prev = n) is done, x->next = n is
 * not yet: what an unsynchronised concurrent update leaves behind.
 */
static void half_added(struct list_head *h, struct list_head *x,
		       struct list_head *y, struct list_head *n)
{
	INIT_LIST_HEAD(h);
	list_add_tail(x, h);
	list_add_tail(y, h);
	y->prev = n;
	n->next = y;
	n->prev = x;
}

/*
 * SYNC-LIST-NOLOCK: the list functions take no lock (a list_head is two
 * pointers, nothing else) and nothing serialises two writers. What
 * CONFIG_DEBUG_LIST adds (lib/list_debug.c) is detection after the fact:
 * list_add() next to a neighbour left half-updated by another writer is
 * refused with a "list_add corruption" report and links nothing.
 * Prints a WARNING (declared): "list_add corruption. next->prev should be prev".
 */
static void debug_list_refuses_add_beside_a_half_done_add(struct kunit *test)
{
	struct list_head h, x, y, n, new;
	struct kclaims_report rep;
	int seen;

	KUNIT_EXPECT_EQ(test, sizeof(struct list_head), 2 * sizeof(void *));
	if (!IS_ENABLED(CONFIG_DEBUG_LIST))
		kunit_skip(test, "needs CONFIG_DEBUG_LIST (kunitconfig sets it)");

	half_added(&h, &x, &y, &n);
	INIT_LIST_HEAD(&new);
	KUNIT_ASSERT_EQ(test, kclaims_report_begin(&rep, "list_add corruption"), 0);
	list_add(&new, &x);		/* next = y, but y->prev is n, not x */
	seen = kclaims_report_end(&rep);

	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_PTR_EQ(test, x.next, &y);
	KUNIT_EXPECT_PTR_EQ(test, y.prev, &n);
	KUNIT_EXPECT_TRUE(test, list_empty(&new));
}

/*
 * SYNC-LIST-NOLOCK: likewise list_del() of an entry whose neighbour no
 * longer points back at it is refused ("list_del corruption"): the
 * neighbours are left alone instead of being relinked around it.
 * Prints a WARNING (declared): "list_del corruption. next->prev should be".
 */
static void debug_list_refuses_del_beside_a_half_done_add(struct kunit *test)
{
	struct list_head h, x, y, n;
	struct kclaims_report rep;
	int seen;

	if (!IS_ENABLED(CONFIG_DEBUG_LIST))
		kunit_skip(test, "needs CONFIG_DEBUG_LIST (kunitconfig sets it)");

	half_added(&h, &x, &y, &n);
	KUNIT_ASSERT_EQ(test, kclaims_report_begin(&rep, "list_del corruption"), 0);
	list_del(&x);			/* x->next = y, but y->prev is n */
	seen = kclaims_report_end(&rep);

	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_PTR_EQ(test, h.next, &x);
	KUNIT_EXPECT_PTR_EQ(test, y.prev, &n);
	KUNIT_EXPECT_PTR_EQ(test, h.prev, &y);
}

/*
 * LIB-BITS-PER-LONG (definition evidence: the claim is about a type's
 * width, a compile-time fact): long is one machine word: BITS_PER_LONG
 * equals the bits of long and of a pointer, and the bit helpers agree
 * with it: a bitmap is an array of longs, so set_bit(BITS_PER_LONG) lands
 * in bit 0 of the second word and find_first_bit() (lib/find_bit.c)
 * finds it there.
 */
static void long_is_one_word_of_bits_per_long(struct kunit *test)
{
	unsigned long all = ~0UL;
	unsigned long map[2] = { 0, 0 };
	unsigned long nr = BITS_PER_LONG;

	/* hidden: the variable bit-number path (x86: bts on a long), not a folded constant */
	OPTIMIZER_HIDE_VAR(nr);
	set_bit(nr, map);
	KUNIT_EXPECT_EQ(test, map[0], 0UL);
	KUNIT_EXPECT_EQ(test, map[1], 1UL);
	KUNIT_EXPECT_EQ(test, find_first_bit(map, 2 * BITS_PER_LONG),
			(unsigned long)BITS_PER_LONG);

	KUNIT_EXPECT_EQ(test, BITS_PER_LONG, (int)(8 * sizeof(long)));
	KUNIT_EXPECT_EQ(test, sizeof(long), sizeof(void *));
	KUNIT_EXPECT_EQ(test, hweight_long(all), (unsigned long)BITS_PER_LONG);
	KUNIT_EXPECT_EQ(test, fls_long(all), (unsigned int)BITS_PER_LONG);
	if (IS_ENABLED(CONFIG_64BIT))
		KUNIT_EXPECT_EQ(test, BITS_PER_LONG, 64);
	else
		KUNIT_EXPECT_EQ(test, BITS_PER_LONG, 32);
}

/*
 * LIB-FIXED-TYPES: u8..u64/s8..s64 have fixed sizes and signedness, and
 * the userspace-visible __u8..__u64 are the very same types. The kernel's
 * kstrtou8()..kstrtou64()/kstrtos8() take their range from these types
 * (tmp != (u8)tmp -> -ERANGE): exactly 2^8, 2^16, 2^32, 2^64 values.
 */
static void fixed_size_types_match_their_names(struct kunit *test)
{
	u8 v8 = 0;
	s8 vs8 = 0;
	u16 v16 = 0;
	u32 v32 = 0;
	u64 v64 = 0;

	KUNIT_EXPECT_EQ(test, sizeof(u8), 1UL);
	KUNIT_EXPECT_EQ(test, sizeof(u16), 2UL);
	KUNIT_EXPECT_EQ(test, sizeof(u32), 4UL);
	KUNIT_EXPECT_EQ(test, sizeof(u64), 8UL);
	KUNIT_EXPECT_EQ(test, sizeof(s64), 8UL);
	KUNIT_EXPECT_EQ(test, kstrtou8("255", 0, &v8), 0);
	KUNIT_EXPECT_EQ(test, v8, 255);
	KUNIT_EXPECT_EQ(test, kstrtou8("256", 0, &v8), -ERANGE);
	KUNIT_EXPECT_EQ(test, kstrtos8("-128", 0, &vs8), 0);
	KUNIT_EXPECT_EQ(test, vs8, -128);
	KUNIT_EXPECT_EQ(test, kstrtos8("128", 0, &vs8), -ERANGE);
	KUNIT_EXPECT_EQ(test, kstrtou16("65535", 0, &v16), 0);
	KUNIT_EXPECT_EQ(test, kstrtou16("65536", 0, &v16), -ERANGE);
	KUNIT_EXPECT_EQ(test, kstrtou32("4294967295", 0, &v32), 0);
	KUNIT_EXPECT_EQ(test, v32, U32_MAX);
	KUNIT_EXPECT_EQ(test, kstrtou32("4294967296", 0, &v32), -ERANGE);
	KUNIT_EXPECT_EQ(test, kstrtou64("18446744073709551615", 0, &v64), 0);
	KUNIT_EXPECT_EQ(test, v64, U64_MAX);
	KUNIT_EXPECT_EQ(test, kstrtou64("18446744073709551616", 0, &v64),
			-ERANGE);
	KUNIT_EXPECT_TRUE(test, __same_type(u8, __u8));
	KUNIT_EXPECT_TRUE(test, __same_type(u16, __u16));
	KUNIT_EXPECT_TRUE(test, __same_type(u32, __u32));
	KUNIT_EXPECT_TRUE(test, __same_type(u64, __u64));
	KUNIT_EXPECT_TRUE(test, __same_type(s32, __s32));
}

/*
 * LIB-ENDIAN: cpu_to_be32/le32 give a fixed byte layout in memory whatever
 * the CPU's order, and convert back losslessly; only the native layout
 * depends on the arch.
 */
static void byteorder_helpers_fix_memory_layout(struct kunit *test)
{
	static const u8 be[4] = { 0x12, 0x34, 0x56, 0x78 };
	static const u8 le[4] = { 0x78, 0x56, 0x34, 0x12 };
	u32 x = 0x12345678;
	__be32 b = cpu_to_be32(x);
	__le32 l = cpu_to_le32(x);

	KUNIT_EXPECT_MEMEQ(test, &b, be, sizeof(be));
	KUNIT_EXPECT_MEMEQ(test, &l, le, sizeof(le));
	KUNIT_EXPECT_EQ(test, be32_to_cpu(b), x);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(l), x);
	/* the native layout is one of the two, chosen by the arch */
	if (IS_ENABLED(CONFIG_CPU_BIG_ENDIAN))
		KUNIT_EXPECT_MEMEQ(test, &x, be, sizeof(be));
	else
		KUNIT_EXPECT_MEMEQ(test, &x, le, sizeof(le));
}

/*
 * LIB-PAGESIZE-PORT: the page size is the arch's PAGE_SIZE (1 << PAGE_SHIFT),
 * not an assumed 4 KiB: two pages of one order-1 block lie PAGE_SIZE apart
 * in the linear map, and get_order() rounds at PAGE_SIZE. 4 KiB here (UML on
 * x86_64); arm64, powerpc and others build 16/64 KiB pages.
 */
static void page_size_is_the_arch_page_shift(struct kunit *test)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	unsigned long size = PAGE_SIZE;
	long apart;

	KUNIT_ASSERT_NOT_NULL(test, p);
	apart = (char *)page_address(p + 1) - (char *)page_address(p);
	__free_pages(p, 1);

	OPTIMIZER_HIDE_VAR(size);
	KUNIT_EXPECT_EQ(test, apart, (long)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, PAGE_SIZE, 1UL << PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, get_order(size), 0);
	KUNIT_EXPECT_EQ(test, get_order(size + 1), 1);
	KUNIT_EXPECT_EQ(test, get_order(4 * size), 2);
	KUNIT_EXPECT_EQ(test, offset_in_page((void *)(size + 5)), 5UL);
	kunit_info(test, "PAGE_SIZE = %lu", PAGE_SIZE);
	if (IS_ENABLED(CONFIG_X86) || IS_ENABLED(CONFIG_UML))
		KUNIT_EXPECT_EQ(test, PAGE_SIZE, 4096UL);
}

/*
 * LIB-ENDIAN: the conversion runs on values the CPU loads from memory at
 * run time (hidden from the compiler, at an unaligned offset): big- and
 * little-endian readers give the same number from opposite byte orders,
 * and writing it back reproduces the bytes.
 */
static void byteorder_reads_of_memory_round_trip(struct kunit *test)
{
	static const u8 be_bytes[4] = { 0xca, 0xfe, 0xba, 0xbe };
	static const u8 le_bytes[4] = { 0xbe, 0xba, 0xfe, 0xca };
	u8 *buf = kunit_kzalloc(test, 16, GFP_KERNEL);
	u8 *be, *le;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	be = buf + 1;
	le = buf + 9;
	OPTIMIZER_HIDE_VAR(be);
	OPTIMIZER_HIDE_VAR(le);
	memcpy(be, be_bytes, 4);
	memcpy(le, le_bytes, 4);

	KUNIT_EXPECT_EQ(test, get_unaligned_be32(be), 0xcafebabeU);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(le), 0xcafebabeU);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(be + 2), (u16)0xbabe);
	put_unaligned_le32(get_unaligned_be32(be), be);
	KUNIT_EXPECT_MEMEQ(test, be, le, 4);
	put_unaligned_be64(0x0102030405060708ULL, buf + 3);
	KUNIT_EXPECT_EQ(test, buf[3], 0x01);
	KUNIT_EXPECT_EQ(test, buf[10], 0x08);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(cpu_to_le64(get_unaligned_be64(buf + 3))),
			0x0102030405060708ULL);
}

static struct kunit_case kclaims_list_cases[] = {
	KUNIT_CASE(list_add_inserts_at_head_like_a_stack),
	KUNIT_CASE(list_add_tail_inserts_at_tail_like_a_queue),
	KUNIT_CASE(list_is_circular_and_doubly_linked),
	KUNIT_CASE(list_links_point_at_member_not_struct),
	KUNIT_CASE(list_del_unlinks_and_poisons_entry),
	KUNIT_CASE(list_empty_means_head_points_to_itself),
	KUNIT_CASE(safe_iteration_allows_deleting_current_entry),
	KUNIT_CASE(list_move_and_splice_relink_entries),
	KUNIT_CASE(list_entry_recovers_struct_from_any_member),
	KUNIT_CASE(splice_move_and_is_last_follow_the_links),
	KUNIT_CASE(debug_list_refuses_add_beside_a_half_done_add),
	KUNIT_CASE(debug_list_refuses_del_beside_a_half_done_add),
	KUNIT_CASE(long_is_one_word_of_bits_per_long),
	KUNIT_CASE(fixed_size_types_match_their_names),
	KUNIT_CASE(byteorder_helpers_fix_memory_layout),
	KUNIT_CASE(page_size_is_the_arch_page_shift),
	KUNIT_CASE(byteorder_reads_of_memory_round_trip),
	{}
};

static struct kunit_suite kclaims_list_suite = {
	.name = "kclaims_list",
	.test_cases = kclaims_list_cases,
};
kunit_test_suite(kclaims_list_suite);

MODULE_DESCRIPTION("kclaims: list_head, type and byte-order claims of the notes");
MODULE_LICENSE("GPL");

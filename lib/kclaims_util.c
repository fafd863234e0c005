// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims shared helpers: medians for the timing cases and the buddy
 * order of a free page for the page-allocator cases.
 */
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/page-flags.h>
#include <linux/sort.h>

#include "kclaims.h"

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

u64 kclaims_median_u64(u64 *v, int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return v[n / 2];
}
EXPORT_SYMBOL_GPL(kclaims_median_u64);

s64 kclaims_median_s64(s64 *v, int n)
{
	sort(v, n, sizeof(*v), cmp_s64, NULL);
	return v[n / 2];
}
EXPORT_SYMBOL_GPL(kclaims_median_s64);

/* The walk of is_free_buddy_page(), which does not report the order. */
int kclaims_buddy_order(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned int order;

	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		struct page *head = pfn_to_page(pfn & ~((1UL << order) - 1));

		if (PageBuddy(head) && page_private(head) >= order)
			return page_private(head);
	}
	return -1;
}
EXPORT_SYMBOL_GPL(kclaims_buddy_order);

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about user memory access (copy_to_user,
 * copy_from_user, get_user/put_user, access_ok, pointer leaks).
 *
 * User memory comes from kunit_vm_mmap(), which gives the test kthread an
 * mm of its own (see lib/usercopy_kunit.c). Faults on it are handled by the
 * uaccess helpers, so provoking them is safe. Every case attaches the mm
 * before its first user access: on UML a user access without an mm would
 * oops.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_uaccess'
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "../lib/kclaims.h"

#define BUF 64

/* Map @pages pages of anonymous user memory with @prot into the test's mm. */
static char __user *ua_map(struct kunit *test, int pages, unsigned long prot)
{
	unsigned long addr;

	addr = kclaims_vm_mmap(test, NULL, 0, pages * PAGE_SIZE, prot,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0UL, "could not create a user mm");
	/* also rejects an -errno returned by vm_mmap() */
	KUNIT_ASSERT_LT(test, addr, (unsigned long)TASK_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, current->mm);
	return (char __user *)addr;
}

/* One writable page followed by an unmapped one. */
static char __user *ua_map_then_hole(struct kunit *test)
{
	char __user *u = ua_map(test, 2, PROT_READ | PROT_WRITE);

	KUNIT_ASSERT_EQ(test, vm_munmap((unsigned long)u + PAGE_SIZE,
					PAGE_SIZE), 0);
	return u;
}

static char *kbuf(struct kunit *test, size_t len, int fill)
{
	char *k = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, k);
	memset(k, fill, len);
	return k;
}

/*
 * MM-KTHREAD-NO-MM: a kernel thread (each KUnit case runs in one) has no
 * address space of its own: mm is NULL, active_mm is borrowed. It gets one
 * only when an mm is attached (kthread_use_mm(), here via kunit_vm_mmap()).
 */
static void kthread_has_no_mm_until_one_is_attached(struct kunit *test)
{
	struct mm_struct *borrowed = current->active_mm;

	KUNIT_EXPECT_TRUE(test, current->flags & PF_KTHREAD);
	KUNIT_EXPECT_NULL(test, current->mm);
	KUNIT_EXPECT_NOT_NULL(test, borrowed);

	ua_map(test, 1, PROT_READ | PROT_WRITE);
	KUNIT_EXPECT_NOT_NULL(test, current->mm);
	KUNIT_EXPECT_PTR_EQ(test, current->active_mm, current->mm);
	KUNIT_EXPECT_PTR_NE(test, current->mm, borrowed);
}

/*
 * UA-COPY-TO-USER: copy_to_user() returns 0 when everything was copied and
 * the number of bytes NOT copied when it faults part-way (here: the range
 * runs from the last 8 bytes of a mapped page into an unmapped one).
 */
static void copy_to_user_returns_bytes_not_copied(struct kunit *test)
{
	char __user *u = ua_map_then_hole(test);
	char *k = kbuf(test, BUF, 0x11);
	char *back = kbuf(test, BUF, 0);
	unsigned long left;

	KUNIT_EXPECT_EQ(test, copy_to_user(u, k, BUF), 0UL);
	KUNIT_EXPECT_EQ(test, copy_from_user(back, u, BUF), 0UL);
	KUNIT_EXPECT_MEMEQ(test, back, k, BUF);

	memset(k, 0x22, BUF);
	left = copy_to_user(u + PAGE_SIZE - 8, k, BUF);
	kunit_info(test, "crossing into the hole: %lu of %d bytes not copied\n",
		   left, BUF);
	KUNIT_EXPECT_GE(test, left, (unsigned long)BUF - 8);
	KUNIT_EXPECT_LE(test, left, (unsigned long)BUF);
	if (IS_ENABLED(CONFIG_UML))
		KUNIT_EXPECT_EQ(test, left, (unsigned long)BUF - 8);
	/* whatever was reported as copied really landed */
	memset(back, 0, BUF);
	KUNIT_ASSERT_EQ(test, copy_from_user(back, u + PAGE_SIZE - 8, 8), 0UL);
	KUNIT_EXPECT_MEMEQ(test, back, k, BUF - left);
}

/*
 * UA-COPY-FROM-USER: on a partial copy, copy_from_user() zero-fills the
 * part of the kernel buffer it could not copy, so no stale kernel data
 * survives there.
 */
static void copy_from_user_zero_fills_the_uncopied_tail(struct kunit *test)
{
	char __user *u = ua_map_then_hole(test);
	char *k = kbuf(test, BUF, 0xaa);
	char *pattern = kbuf(test, 8, 0x5c);
	unsigned long left;

	KUNIT_ASSERT_EQ(test, copy_to_user(u + PAGE_SIZE - 8, pattern, 8), 0UL);
	left = copy_from_user(k, u + PAGE_SIZE - 8, BUF);
	KUNIT_EXPECT_GE(test, left, (unsigned long)BUF - 8);
	KUNIT_EXPECT_LT(test, left, (unsigned long)BUF);
	if (IS_ENABLED(CONFIG_UML))
		KUNIT_EXPECT_EQ(test, left, (unsigned long)BUF - 8);
	KUNIT_EXPECT_MEMEQ(test, k, pattern, BUF - left);
	KUNIT_EXPECT_NULL(test, memchr_inv(k + BUF - left, 0, left));
}

/*
 * UA-PTR-VALID: the access must match the mapping's permissions: writing to
 * a PROT_READ mapping fails (nothing copied) while reading it works.
 */
static void copy_to_user_into_read_only_mapping_fails(struct kunit *test)
{
	char __user *u = ua_map(test, 1, PROT_READ);
	char *k = kbuf(test, 16, 0x33);
	u32 v = 1;

	KUNIT_EXPECT_EQ(test, copy_to_user(u, k, 16), 16UL);
	KUNIT_EXPECT_EQ(test, put_user(7U, (u32 __user *)u), -EFAULT);
	KUNIT_EXPECT_EQ(test, copy_from_user(k, u, 16), 0UL);
	/* fresh anonymous memory reads as zeroes */
	KUNIT_EXPECT_NULL(test, memchr_inv(k, 0, 16));
	KUNIT_EXPECT_EQ(test, get_user(v, (u32 __user *)u), 0);
	KUNIT_EXPECT_EQ(test, v, 0U);
}

/*
 * UA-KERNEL-DIRECT-ACCESS (false), UA-PTR-VALID: user memory is reached
 * through checked helpers that survive a bad pointer: get_user()/put_user()
 * return -EFAULT (and get_user() zeroes the value) instead of crashing.
 */
static void get_user_put_user_round_trip_and_fault(struct kunit *test)
{
	char __user *u = ua_map_then_hole(test);
	u32 __user *hole = (u32 __user *)(u + PAGE_SIZE);
	u32 v = 0;

	KUNIT_EXPECT_EQ(test, put_user(0x12345678U, (u32 __user *)u), 0);
	KUNIT_EXPECT_EQ(test, get_user(v, (u32 __user *)u), 0);
	KUNIT_EXPECT_EQ(test, v, 0x12345678U);

	v = 0xdeadbeef;
	KUNIT_EXPECT_EQ(test, get_user(v, hole), -EFAULT);
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_EQ(test, put_user(1U, hole), -EFAULT);
}

/*
 * UA-KERNEL-DIRECT-ACCESS (false): on UML the kernel does not even share
 * the user's virtual addresses: the user page is reached through a pinned
 * struct page at a different (kernel) address. (On x86 SMAP makes a direct
 * dereference fault; provoking that would oops, so it is not tested.)
 */
static void user_page_is_seen_at_another_kernel_address(struct kunit *test)
{
	char __user *u = ua_map(test, 1, PROT_READ | PROT_WRITE);
	char *pattern = kbuf(test, 16, 0x7e);
	struct page *page;
	char *kaddr;

	KUNIT_ASSERT_EQ(test, copy_to_user(u + 32, pattern, 16), 0UL);
	KUNIT_ASSERT_EQ(test, pin_user_pages_fast((unsigned long)u, 1,
						  FOLL_WRITE, &page), 1);
	kaddr = page_address(page);
	KUNIT_EXPECT_NOT_NULL(test, kaddr);
	if (kaddr) {
		KUNIT_EXPECT_MEMEQ(test, kaddr + 32, pattern, 16);
		if (IS_ENABLED(CONFIG_UML))
			KUNIT_EXPECT_PTR_NE(test, (void *)kaddr,
					    (void __force *)u);
	}
	unpin_user_page(page);
}

/*
 * UA-KERNEL-DIRECT-ACCESS: strncpy_from_user() copies up to the NUL (or
 * @count bytes, without a terminator) and returns -EFAULT on a bad
 * pointer.
 */
static void strncpy_from_user_stops_at_nul_or_count(struct kunit *test)
{
	char __user *u = ua_map_then_hole(test);
	char *dst = kbuf(test, 32, 0x7f);
	static const char s[] = "kclaims";

	KUNIT_ASSERT_EQ(test, copy_to_user(u, s, sizeof(s)), 0UL);
	KUNIT_EXPECT_EQ(test, strncpy_from_user(dst, u, 32), 7L);
	KUNIT_EXPECT_STREQ(test, dst, "kclaims");

	memset(dst, 0x7f, 32);
	KUNIT_EXPECT_EQ(test, strncpy_from_user(dst, u, 4), 4L);
	KUNIT_EXPECT_MEMEQ(test, dst, "kcla", 4);
	KUNIT_EXPECT_EQ(test, dst[4], 0x7f);	/* no terminator added */

	KUNIT_EXPECT_EQ(test, strncpy_from_user(dst, u + PAGE_SIZE, 8),
			(long)-EFAULT);
	/* an unterminated string that runs into the hole */
	KUNIT_ASSERT_EQ(test, copy_to_user(u + PAGE_SIZE - 4, "abcd", 4), 0UL);
	KUNIT_EXPECT_EQ(test, strncpy_from_user(dst, u + PAGE_SIZE - 4, 16),
			(long)-EFAULT);
}

/*
 * UA-PTR-VALID: clear_user() zeroes user memory and, like copy_to_user(),
 * returns the number of bytes it could not clear.
 */
static void clear_user_zeroes_and_reports_bytes_left(struct kunit *test)
{
	char __user *u = ua_map_then_hole(test);
	char *k = kbuf(test, 128, 0xff);
	unsigned long left;
	int i;

	KUNIT_ASSERT_EQ(test, copy_to_user(u, k, 128), 0UL);
	KUNIT_EXPECT_EQ(test, clear_user(u + 10, 100), 0UL);
	KUNIT_ASSERT_EQ(test, copy_from_user(k, u, 128), 0UL);
	for (i = 0; i < 128; i++)
		KUNIT_EXPECT_EQ(test, (u8)k[i], (i >= 10 && i < 110) ? 0 : 0xff);

	left = clear_user(u + PAGE_SIZE - 16, 64);
	KUNIT_EXPECT_GE(test, left, 48UL);
	KUNIT_EXPECT_LE(test, left, 64UL);
	if (IS_ENABLED(CONFIG_UML))
		KUNIT_EXPECT_EQ(test, left, 48UL);
}

/*
 * UA-ACCESS-OK (outdated): since 5.0 access_ok(addr, size) has no
 * VERIFY_READ/VERIFY_WRITE argument (the macros are gone too). It yields
 * a truth value, 1 for a good range and 0 for a bad one, never a negative
 * error: the note's "if (error < 0)" was never right for access_ok() (that
 * was the convention of verify_area(), 0 or -EFAULT, gone in the 2.6 era).
 * It is only a range check: an unmapped or read-only user range passes.
 */
static void access_ok_is_only_a_range_check(struct kunit *test)
{
	char __user *u = ua_map_then_hole(test);
	char __user *ro = ua_map(test, 1, PROT_READ);
	char *k = kbuf(test, 16, 0x44);
#ifdef VERIFY_WRITE
	const bool has_verify_write = true;
#else
	const bool has_verify_write = false;
#endif
	long bad, edge;

	KUNIT_EXPECT_FALSE(test, has_verify_write);
	KUNIT_EXPECT_EQ(test, (long)access_ok(u, PAGE_SIZE), 1L);
	/* a bad range is 0, which "< 0" does not catch */
	bad = access_ok((void __user *)(TASK_SIZE + PAGE_SIZE), 16);
	KUNIT_EXPECT_EQ(test, bad, 0L);
	/*
	 * One byte past the end: UML checks the whole range; x86_64 checks
	 * only the start for sizes up to a page and leaves the rest to the
	 * unmapped guard page below USER_PTR_MAX (asm/uaccess_64.h).
	 */
	edge = access_ok((void __user *)(TASK_SIZE - 1), 2);
	if (IS_ENABLED(CONFIG_UML))
		KUNIT_EXPECT_EQ(test, edge, 0L);
	else if (IS_ENABLED(CONFIG_X86_64))
		KUNIT_EXPECT_EQ(test, edge, 1L);

	/* unmapped, yet access_ok() says yes: the copy is what fails */
	KUNIT_EXPECT_TRUE(test, access_ok(u + PAGE_SIZE, 16));
	KUNIT_EXPECT_EQ(test, copy_to_user(u + PAGE_SIZE, k, 16), 16UL);
	/* read-only, yet access_ok() says yes */
	KUNIT_EXPECT_TRUE(test, access_ok(ro, 16));
	KUNIT_EXPECT_EQ(test, copy_to_user(ro, k, 16), 16UL);
}

/*
 * UA-ADDR-SPLIT (UML half): on UML the kernel runs inside one host process
 * at low addresses, below TASK_SIZE, so access_ok() cannot tell a kernel
 * address from a user one. The copy still fails: the user mm does not map
 * the kernel.
 */
static void access_ok_accepts_kernel_addresses_on_uml(struct kunit *test)
{
	char *k = kbuf(test, 16, 0x55);
	char *src = kbuf(test, 16, 0x66);
	int local = 0;

	if (!IS_ENABLED(CONFIG_UML))
		kunit_skip(test, "UML only: kernel below TASK_SIZE");
	ua_map(test, 1, PROT_READ | PROT_WRITE);

	kunit_info(test, "TASK_SIZE %lx; stack and kmalloc addresses lie below it\n",
		   (unsigned long)TASK_SIZE);
	KUNIT_EXPECT_LT(test, (unsigned long)&local, (unsigned long)TASK_SIZE);
	KUNIT_EXPECT_TRUE(test, access_ok((void __user *)&local, sizeof(local)));
	KUNIT_EXPECT_TRUE(test, access_ok((void __user *)k, 16));
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)k, src, 16), 16UL);
	KUNIT_EXPECT_NULL(test, memchr_inv(k, 0x55, 16));
}

/*
 * UA-ADDR-SPLIT: where the kernel sits above the user range (x86_64 above
 * TASK_SIZE_MAX, i386 above PAGE_OFFSET) a kernel address fails access_ok().
 */
static void access_ok_rejects_kernel_addresses_on_x86(struct kunit *test)
{
	int local = 0;

	if (IS_ENABLED(CONFIG_UML) || !IS_ENABLED(CONFIG_X86))
		kunit_skip(test, "needs x86_64 or i386 (QEMU): kernel above the user range");
	KUNIT_EXPECT_FALSE(test, access_ok((void __user *)&local,
					   sizeof(local)));
	KUNIT_EXPECT_GE(test, (unsigned long)&local, (unsigned long)TASK_SIZE);
}

/*
 * UA-NO-KPTR-LEAK: %p prints a hashed value (since 4.15), so kernel
 * pointers in messages do not reveal addresses; only %px prints the real
 * address.
 */
static void printk_p_hashes_kernel_pointers(struct kunit *test)
{
	char hashed[32], real[32], raw[32];
	void *ptr = test;

	snprintf(hashed, sizeof(hashed), "%p", ptr);
	snprintf(real, sizeof(real), "%px", ptr);
	snprintf(raw, sizeof(raw), "%lx", (unsigned long)ptr);
	kunit_info(test, "%%p printed %s\n", hashed);

	KUNIT_EXPECT_NOT_NULL(test, strstr(real, raw));
	KUNIT_EXPECT_STRNEQ(test, hashed, real);
	KUNIT_EXPECT_NULL(test, strstr(hashed, raw));
}

/*
 * UA-COPY-TO-USER, UA-COPY-FROM-USER: a forced failure (fault injection
 * through current->fail_nth, CONFIG_FAULT_INJECTION_USERCOPY) is reported
 * the same way: nothing copied, n returned, kernel buffer zero-filled.
 */
static void forced_usercopy_failure_copies_nothing(struct kunit *test)
{
	char __user *u = ua_map(test, 1, PROT_READ | PROT_WRITE);
	char *k = kbuf(test, BUF, 0x12);
	char *back = kbuf(test, BUF, 0);
	unsigned long left;
	unsigned int nth;

	if (!IS_ENABLED(CONFIG_FAULT_INJECTION_USERCOPY))
		kunit_skip(test, "needs CONFIG_FAULT_INJECTION_USERCOPY");

	KUNIT_ASSERT_EQ(test, clear_user(u, BUF), 0UL);
	current->fail_nth = 1;		/* fail the next fault-injection site */
	left = copy_to_user(u, k, BUF);
	nth = current->fail_nth;	/* consumed by the injection: 0 */
	current->fail_nth = 0;
	KUNIT_EXPECT_EQ(test, nth, 0U);
	KUNIT_EXPECT_EQ(test, left, (unsigned long)BUF);
	KUNIT_ASSERT_EQ(test, copy_from_user(back, u, BUF), 0UL);
	KUNIT_EXPECT_NULL(test, memchr_inv(back, 0, BUF));

	KUNIT_ASSERT_EQ(test, copy_to_user(u, k, BUF), 0UL);
	memset(back, 0xee, BUF);
	current->fail_nth = 1;
	left = copy_from_user(back, u, BUF);
	current->fail_nth = 0;
	KUNIT_EXPECT_EQ(test, left, (unsigned long)BUF);
	KUNIT_EXPECT_NULL(test, memchr_inv(back, 0, BUF));
}

static struct kunit_case kclaims_uaccess_cases[] = {
	KUNIT_CASE(kthread_has_no_mm_until_one_is_attached),
	KUNIT_CASE(copy_to_user_returns_bytes_not_copied),
	KUNIT_CASE(copy_from_user_zero_fills_the_uncopied_tail),
	KUNIT_CASE(copy_to_user_into_read_only_mapping_fails),
	KUNIT_CASE(get_user_put_user_round_trip_and_fault),
	KUNIT_CASE(user_page_is_seen_at_another_kernel_address),
	KUNIT_CASE(strncpy_from_user_stops_at_nul_or_count),
	KUNIT_CASE(clear_user_zeroes_and_reports_bytes_left),
	KUNIT_CASE(access_ok_is_only_a_range_check),
	KUNIT_CASE(access_ok_accepts_kernel_addresses_on_uml),
	KUNIT_CASE(access_ok_rejects_kernel_addresses_on_x86),
	KUNIT_CASE(printk_p_hashes_kernel_pointers),
	KUNIT_CASE(forced_usercopy_failure_copies_nothing),
	{}
};

static struct kunit_suite kclaims_uaccess_suite = {
	.name = "kclaims_uaccess",
	.test_cases = kclaims_uaccess_cases,
};
kunit_test_suite(kclaims_uaccess_suite);

MODULE_DESCRIPTION("kclaims: user memory access claims of the notes");
MODULE_LICENSE("GPL");

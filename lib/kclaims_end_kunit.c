// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_end: checks of the whole run, after every other kclaims suite.
 *
 * Linked after every other kclaims suite (see ../Kbuild), so it runs last.
 * - Lock debugging is still on: lockdep and the lock debugging code turn
 *   debug_locks off at their first report, so 0 here means some suite
 *   provoked a lock report that nobody meant (the lockdep cases that do it
 *   on purpose run in boots of their own, PROFILE=lockdep).
 * - No leaks (PROFILE=debug): a kmemleak scan through a private debugfs
 *   mount (built-in KUnit runs before anything mounts /sys/kernel/debug)
 *   fails on any unreferenced object that a KUnit case thread
 *   ("kunit_try_catch") allocated: a kclaims case, or kernel code it
 *   called, leaked it.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig --kunitconfig=kunitconfig.debug
 */
#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kclaims.h"

#define KC_LEAKS_BUF_SIZE	SZ_256K
/*
 * KUnit's own leak in 6.12: kunit_attach_mm() (lib/kunit/user_alloc.c, used
 * by kunit_vm_mmap()) attaches a fresh mm with kthread_use_mm(), whose
 * mmgrab() no kthread_unuse_mm() ever drops, so one mm_count reference of
 * every case that mapped user memory survives the case thread's exit.
 * Counted and printed, not charged to the case.
 */
#define KC_KUNIT_MM_LEAK	"kunit_attach_mm"
/* kmemleak reports an object only once it is this old (mm/kmemleak.c) */
#define KC_KMEMLEAK_MIN_AGE_MS	5000

KUNIT_DEFINE_ACTION_WRAPPER(kc_leaks_kvfree, kvfree, const void *);

/*
 * Every object kmemleak finds unreferenced was allocated by some thread;
 * the ones a KUnit case thread allocated are the suites' leaks. kmemleak
 * reports an object only once it is KC_KMEMLEAK_MIN_AGE_MS old, so the
 * scan waits that long after the last suite (a documented threshold, not
 * a settling delay).
 */
static void no_kunit_case_leaked_memory(struct kunit *test)
{
	/* static: an abort between begin and end must not leave the probe on a dead stack */
	static struct kclaims_report scan;
	char *buf, *obj, *next;
	int leaks = 0, kunit_mm = 0, others = 0;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "needs CONFIG_DEBUG_KMEMLEAK: PROFILE=debug");

	buf = kvzalloc(KC_LEAKS_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_leaks_kvfree,
							buf), 0);
	msleep(KC_KMEMLEAK_MIN_AGE_MS + 500);
	/*
	 * Every case ran in a kthread that has exited; a new kthread's stack
	 * often reuses the freed one's pages, stale pointers included, which
	 * would hide a leak: scan without task stacks (the objects checked
	 * here belong to exited case threads).
	 */
	kclaims_debugfs_io(test, "kmemleak", "stack=off", NULL, 0);
	/*
	 * A scan first records each white object's checksum and keeps objects
	 * whose checksum is new gray until the next scan: a leak shows at the
	 * second scan. The scan prints "kmemleak: N new suspected memory
	 * leaks" for leaks anywhere in the kernel; this case decides which of
	 * them count.
	 */
	kclaims_report_begin(&scan, "new suspected memory leaks");
	kclaims_debugfs_io(test, "kmemleak", "scan", NULL, 0);
	kclaims_debugfs_io(test, "kmemleak", "scan", buf, KC_LEAKS_BUF_SIZE);
	kclaims_report_end(&scan);

	for (obj = strstr(buf, "unreferenced object"); obj; obj = next) {
		char *line, *rest;

		next = strstr(obj + 1, "unreferenced object");
		if (next)
			next[-1] = '\0';
		if (!strstr(obj, "comm \"kunit_try_catch\"")) {
			others++;
		} else if (strstr(obj, KC_KUNIT_MM_LEAK)) {
			kunit_mm++;
		} else {
			leaks++;
			/* line by line: a printk record holds ~1 KiB at most */
			for (rest = obj; (line = strsep(&rest, "\n"));)
				if (*line)
					kunit_err(test, "%s\n", line);
		}
	}
	kunit_info(test, "kmemleak: %d leak(s) from kclaims cases, %d mm_struct(s) of kunit_attach_mm(), %d elsewhere\n",
		   leaks, kunit_mm, others);
	KUNIT_EXPECT_EQ(test, leaks, 0);
}

/*
 * debug_locks is 1 at boot with lock debugging configured and drops to 0
 * at the first lockdep or lock-debugging report (debug_locks_off()).
 */
static void lock_debugging_is_still_on(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) && !IS_ENABLED(CONFIG_DEBUG_MUTEXES))
		kunit_skip(test, "no lock debugging in this kernel");
	KUNIT_EXPECT_EQ_MSG(test, debug_locks, 1,
			    "a suite provoked a lock-debugging report: see the console");
}

static struct kunit_case kclaims_end_cases[] = {
	KUNIT_CASE(lock_debugging_is_still_on),
	KUNIT_CASE_SLOW(no_kunit_case_leaked_memory),
	{}
};

static struct kunit_suite kclaims_end_suite = {
	.name = "kclaims_end",
	.test_cases = kclaims_end_cases,
};
kunit_test_suite(kclaims_end_suite);

MODULE_DESCRIPTION("kclaims: checks of the whole run, after every suite");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_begin: set up the run, before every other kclaims suite.
 *
 * Linked before every other kclaims suite (see ../Kbuild), so it runs
 * first. Under PROFILE=faults the kernel boots with
 * kclaims_begin_kunit.faults=<percent>: this suite then turns on failslab,
 * fail_page_alloc and fail_usercopy at that probability through their
 * debugfs attributes. Doing it here, and not with failslab= on the command
 * line, keeps boot itself free of injected failures (an early
 * workqueue_init_early() allocation failure is a BUG() and a panic).
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "kclaims.h"

static unsigned int kc_faults;
module_param_named(faults, kc_faults, uint, 0444);
MODULE_PARM_DESC(faults, "percent of fault-injection points that fail (0: off)");

static const char * const kc_fault_attrs[] = {
	"failslab", "fail_page_alloc", "fail_usercopy",
};

/*
 * Each attribute written is read back from the kernel's own fault_attr:
 * a value that did not take means the profile would test nothing.
 */
static void fault_injection_is_armed_when_asked(struct kunit *test)
{
	char path[64], want[16], got[32];
	unsigned int val = 0;
	int i;

	if (!kc_faults)
		kunit_skip(test, "no fault injection asked (PROFILE=faults boots with kclaims_begin_kunit.faults=N)");
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS))
		kunit_skip(test, "needs CONFIG_FAULT_INJECTION_DEBUG_FS");

	snprintf(want, sizeof(want), "%u", min(kc_faults, 100U));
	for (i = 0; i < ARRAY_SIZE(kc_fault_attrs); i++) {
		/*
		 * One line per failure, no stack, and no rate limit: the
		 * runner charges a failing case with the failures printed
		 * while it ran, so none may go unprinted. "times" -1 is no
		 * limit.
		 */
		snprintf(path, sizeof(path), "%s/verbose", kc_fault_attrs[i]);
		kclaims_debugfs_io(test, path, "1", NULL, 0);
		snprintf(path, sizeof(path), "%s/verbose_ratelimit_interval_ms",
			 kc_fault_attrs[i]);
		kclaims_debugfs_io(test, path, "0", NULL, 0);
		snprintf(path, sizeof(path), "%s/times", kc_fault_attrs[i]);
		kclaims_debugfs_io(test, path, "-1", NULL, 0);
		snprintf(path, sizeof(path), "%s/interval", kc_fault_attrs[i]);
		kclaims_debugfs_io(test, path, "1", NULL, 0);
		/*
		 * SLUB first tries a slab's preferred order with __GFP_NOWARN
		 * and no reclaim, and silently falls back to a smaller order:
		 * an injected failure there prints nothing (NOWARN) and only
		 * changes the slab geometry a later case measures. Page
		 * allocations fail only from order 4 up (SLUB uses order 3 at
		 * most), so every injected failure is printed and charged.
		 */
		if (!strcmp(kc_fault_attrs[i], "fail_page_alloc"))
			kclaims_debugfs_io(test, "fail_page_alloc/min-order", "4", NULL, 0);
		snprintf(path, sizeof(path), "%s/probability", kc_fault_attrs[i]);
		kclaims_debugfs_io(test, path, want, NULL, 0);
		kclaims_debugfs_io(test, path, NULL, got, sizeof(got));
		KUNIT_EXPECT_EQ_MSG(test, kstrtouint(strim(got), 10, &val), 0, "%s", path);
		KUNIT_EXPECT_EQ_MSG(test, val, min(kc_faults, 100U), "%s", path);
	}
	kunit_info(test, "fault injection on: %s%% of failslab, fail_page_alloc, fail_usercopy points\n",
		   want);
}

static struct kunit_case kclaims_begin_cases[] = {
	KUNIT_CASE(fault_injection_is_armed_when_asked),
	{}
};

static struct kunit_suite kclaims_begin_suite = {
	.name = "kclaims_begin",
	.test_cases = kclaims_begin_cases,
};
kunit_test_suite(kclaims_begin_suite);

MODULE_DESCRIPTION("kclaims: set up the run before every suite");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_leaks: the kmemleak scan at the end of a PROFILE=debug run.
 *
 * Linked after every other kclaims suite (see ../Kbuild), so it runs last.
 * It asks kmemleak for a scan through a private debugfs mount (built-in
 * KUnit runs before anything mounts /sys/kernel/debug) and fails on any
 * unreferenced object that a KUnit case thread ("kunit_try_catch")
 * allocated: a kclaims case, or kernel code it called, leaked it.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig --kunitconfig=kunitconfig.debug
 */
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define KC_LEAKS_BUF_SIZE	SZ_256K
/* kmemleak reports an object only once it is this old (mm/kmemleak.c) */
#define KC_KMEMLEAK_MIN_AGE_MS	5000

KUNIT_DEFINE_ACTION_WRAPPER(kc_leaks_kvfree, kvfree, const void *);

/* kmemleak's file has only ->read/->write: go through a user buffer. */
static ssize_t kc_kmemleak_io(struct kunit *test, const char *cmd, char *out,
			      size_t size)
{
	struct file_system_type *fs;
	struct vfsmount *mnt;
	char __user *ubuf;
	unsigned long u;
	size_t total = 0;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	u = kunit_vm_mmap(test, NULL, 0, size, PROT_READ | PROT_WRITE,
			  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_TRUE(test, u && u < TASK_SIZE);
	ubuf = (char __user *)u;

	fs = get_fs_type("debugfs");
	KUNIT_ASSERT_NOT_NULL(test, fs);
	mnt = vfs_kern_mount(fs, 0, "debugfs", NULL);
	put_filesystem(fs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mnt);
	f = file_open_root_mnt(mnt, "kmemleak", O_RDWR, 0);
	if (IS_ERR(f)) {
		kern_unmount(mnt);
		KUNIT_FAIL_AND_ABORT(test, "open kmemleak: %ld", PTR_ERR(f));
	}
	n = -EFAULT;
	if (!copy_to_user(ubuf, cmd, strlen(cmd)))
		n = vfs_write(f, ubuf, strlen(cmd), &pos);
	if (n == strlen(cmd)) {
		fput(f);	/* a fresh open reads the report of this scan */
		f = file_open_root_mnt(mnt, "kmemleak", O_RDONLY, 0);
		pos = 0;
		while (!IS_ERR(f) && total < size - 1) {
			n = vfs_read(f, ubuf + total, size - 1 - total, &pos);
			if (n <= 0)
				break;
			total += n;
		}
	}
	if (!IS_ERR(f))
		fput(f);
	kern_unmount(mnt);
	KUNIT_ASSERT_GE_MSG(test, n, 0, "kmemleak %s: %zd", cmd, n);
	KUNIT_ASSERT_LT(test, total, size - 1);
	KUNIT_ASSERT_FALSE(test, copy_from_user(out, ubuf, total));
	out[total] = '\0';
	return total;
}

/*
 * Every object kmemleak finds unreferenced was allocated by some thread;
 * the ones a KUnit case thread allocated are the suites' leaks. kmemleak
 * reports an object only once it is KC_KMEMLEAK_MIN_AGE_MS old, so the
 * scan waits that long after the last suite (a documented threshold, not
 * a settling delay).
 */
static void no_kunit_case_leaked_memory(struct kunit *test)
{
	char *buf, *obj, *next;
	int leaks = 0, others = 0;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "needs CONFIG_DEBUG_KMEMLEAK: PROFILE=debug");

	buf = kvzalloc(KC_LEAKS_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_leaks_kvfree,
							buf), 0);
	msleep(KC_KMEMLEAK_MIN_AGE_MS + 500);
	kc_kmemleak_io(test, "scan", buf, KC_LEAKS_BUF_SIZE);

	for (obj = strstr(buf, "unreferenced object"); obj; obj = next) {
		next = strstr(obj + 1, "unreferenced object");
		if (next)
			next[-1] = '\0';
		if (strstr(obj, "comm \"kunit_try_catch\"")) {
			leaks++;
			kunit_err(test, "%s\n", obj);
		} else {
			others++;
		}
	}
	kunit_info(test, "kmemleak: %d leak(s) from kunit cases, %d elsewhere\n",
		   leaks, others);
	KUNIT_EXPECT_EQ(test, leaks, 0);
}

static struct kunit_case kclaims_leaks_cases[] = {
	KUNIT_CASE_SLOW(no_kunit_case_leaked_memory),
	{}
};

static struct kunit_suite kclaims_leaks_suite = {
	.name = "kclaims_leaks",
	.test_cases = kclaims_leaks_cases,
};
kunit_test_suite(kclaims_leaks_suite);

MODULE_DESCRIPTION("kclaims: kmemleak scan after the kclaims suites");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims shared helpers: medians for the timing cases, the buddy order
 * of a free page for the page-allocator cases, and /proc file contents.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/page-flags.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

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

/*
 * kunit_vm_mmap() without 6.12 KUnit's mm leak. kunit_attach_mm() gives
 * the case kthread a fresh mm (mm_alloc(): mm_users 1, mm_count 1) and
 * attaches it with kthread_use_mm(), which takes a second mm_count
 * reference for active_mm. The case thread never calls kthread_unuse_mm():
 * it exits, exit_mm() drops mm_users (and with it the mm_alloc() count),
 * the switch away drops the lazy active_mm one, and one mm_count survives:
 * every case that mapped user memory leaked its mm_struct (kmemleak shows
 * them under PROFILE=debug). Dropping the extra reference right after the
 * attach leaves exactly the references exit needs. Only that shape is
 * corrected: a KUnit that already balances its references is left alone.
 */
unsigned long kclaims_vm_mmap(struct kunit *test, struct file *file,
			      unsigned long addr, unsigned long len,
			      unsigned long prot, unsigned long flag,
			      unsigned long offset)
{
	bool fresh = !current->mm;
	unsigned long u = kunit_vm_mmap(test, file, addr, len, prot, flag, offset);
	struct mm_struct *mm = current->mm;

	if (fresh && mm && atomic_read(&mm->mm_users) == 1 &&
	    atomic_read(&mm->mm_count) == 2)
		mmdrop(mm);
	return u;
}
EXPORT_SYMBOL_GPL(kclaims_vm_mmap);

#define KCLAIMS_PROC_BUF_SIZE	SZ_256K

KUNIT_DEFINE_ACTION_WRAPPER(kvfree_wrapper, kvfree, const void *);

/*
 * Read a file of a freshly mounted private procfs (built-in KUnit runs
 * before init mounts /proc). Files without ->read_iter (slabinfo) cannot
 * be kernel_read(): they are read through a user buffer of the test's mm.
 */
char *kclaims_read_proc(struct kunit *test, const char *name)
{
	struct file_system_type *fs;
	char __user *ubuf = NULL;
	struct vfsmount *mnt;
	size_t total = 0;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	char *buf;

	buf = kvzalloc(KCLAIMS_PROC_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kvfree_wrapper, buf), 0);

	fs = get_fs_type("proc");
	KUNIT_ASSERT_NOT_NULL(test, fs);
	mnt = vfs_kern_mount(fs, 0, "proc", NULL);
	put_filesystem(fs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mnt);

	f = file_open_root_mnt(mnt, name, O_RDONLY, 0);
	if (IS_ERR(f)) {
		kern_unmount(mnt);
		KUNIT_FAIL_AND_ABORT(test, "open /proc/%s: %ld", name, PTR_ERR(f));
	}
	if (!f->f_op->read_iter) {
		unsigned long u = kclaims_vm_mmap(test, NULL, 0, KCLAIMS_PROC_BUF_SIZE,
						PROT_READ | PROT_WRITE,
						MAP_ANONYMOUS | MAP_PRIVATE, 0);

		if (u && u < TASK_SIZE)
			ubuf = (char __user *)u;
	}
	while (total < KCLAIMS_PROC_BUF_SIZE - 1) {
		if (f->f_op->read_iter)
			n = kernel_read(f, buf + total, KCLAIMS_PROC_BUF_SIZE - 1 - total,
					&pos);
		else if (ubuf)
			n = vfs_read(f, ubuf + total, KCLAIMS_PROC_BUF_SIZE - 1 - total,
				     &pos);
		else
			n = -EFAULT;
		if (n <= 0)
			break;
		total += n;
	}
	fput(f);
	kern_unmount(mnt);
	if (ubuf && copy_from_user(buf, ubuf, total))
		total = 0;
	KUNIT_ASSERT_GT_MSG(test, total, (size_t)0, "/proc/%s read nothing", name);
	KUNIT_ASSERT_LT_MSG(test, total, (size_t)KCLAIMS_PROC_BUF_SIZE - 1,
			    "/proc/%s larger than the buffer", name);
	buf[total] = '\0';
	return buf;
}
EXPORT_SYMBOL_GPL(kclaims_read_proc);

/* Read up to @len - 1 bytes of file @path of mount @mnt, NUL-terminated. */
ssize_t kclaims_mnt_read(struct vfsmount *mnt, const char *path, char *buf,
			 size_t len)
{
	struct file *f = file_open_root_mnt(mnt, path, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, len - 1, &pos);
	fput(f);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}
EXPORT_SYMBOL_GPL(kclaims_mnt_read);

/* Write the string @s to file @path of mount @mnt; bytes written or -errno. */
ssize_t kclaims_mnt_write(struct vfsmount *mnt, const char *path, const char *s)
{
	struct file *f = file_open_root_mnt(mnt, path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, s, strlen(s), &pos);
	fput(f);
	return n;
}
EXPORT_SYMBOL_GPL(kclaims_mnt_write);

/*
 * Suite .init/.exit for cases that must leave lock debugging on: lockdep
 * and the lock-debugging code turn debug_locks off at their first report,
 * so a case that found it on and leaves it off provoked one.
 */
int kclaims_debug_locks_init(struct kunit *test)
{
	test->priv = (void *)(unsigned long)debug_locks;
	return 0;
}
EXPORT_SYMBOL_GPL(kclaims_debug_locks_init);

void kclaims_debug_locks_exit(struct kunit *test)
{
	if (test->priv)
		KUNIT_EXPECT_EQ_MSG(test, debug_locks, 1,
				    "this case provoked a lock-debugging report");
}
EXPORT_SYMBOL_GPL(kclaims_debug_locks_exit);

int kclaims_start_wait(struct kclaims_start *st, unsigned int ms)
{
	int me = atomic_inc_return(&st->ready) - 1;
	ktime_t end = ktime_add_ms(ktime_get(), ms);
	bool go;

	/* acquire: pairs with the release of go in kclaims_run_per_cpu() */
	while (!(go = smp_load_acquire(&st->go)) && ktime_before(ktime_get(), end))
		cpu_relax();
	return go ? me : -1;
}
EXPORT_SYMBOL_GPL(kclaims_start_wait);

#define KCLAIMS_MAX_PER_CPU	8

int kclaims_run_per_cpu(struct kunit *test, struct kclaims_start *st,
			int (*fn)(void *), void *arg, int max, const char *name)
{
	struct task_struct *t[KCLAIMS_MAX_PER_CPU];
	unsigned long deadline;
	int n = 0, i, got = 0;
	unsigned int cpu;

	init_completion(&st->done);
	max = min(max, KCLAIMS_MAX_PER_CPU);
	for_each_online_cpu(cpu) {
		if (n == max)
			break;
		t[n] = kthread_create(fn, arg, "%s%u", name, cpu);
		if (IS_ERR(t[n]))
			break;
		get_task_struct(t[n]);
		kthread_bind(t[n], cpu);
		n++;
	}
	for (i = 0; i < n; i++)
		wake_up_process(t[i]);
	deadline = jiffies + 5 * HZ;
	while (atomic_read(&st->ready) < n && time_before(jiffies, deadline))
		schedule_timeout_uninterruptible(1);
	/* release: the threads start after everything above */
	smp_store_release(&st->go, true);
	for (i = 0; i < n; i++)
		if (wait_for_completion_timeout(&st->done, 30 * HZ))
			got++;
	if (got < n) {
		kunit_err(test, "%s threads did not finish: leaking them\n", name);
		return -1;
	}
	for (i = 0; i < n; i++) {
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	return n;
}
EXPORT_SYMBOL_GPL(kclaims_run_per_cpu);

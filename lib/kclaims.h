/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kclaims shared helpers: run a callback in a named execution context and
 * report what the context looked like from inside.
 *
 * The callbacks run where KUNIT_ASSERT/EXPECT must not be used (hardirq,
 * softirq, a foreign kthread or a kworker): they only record values, and the
 * test checks the record after kclaims_run_in() returns.
 */
#ifndef _KCLAIMS_H
#define _KCLAIMS_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/types.h>
#include <linux/sched.h>

enum kclaims_ctx {
	KCLAIMS_CTX_HARDIRQ,	/* hrtimer callback, HRTIMER_MODE_REL_HARD */
	KCLAIMS_CTX_SOFTIRQ,	/* timer_list callback (TIMER_SOFTIRQ) */
	KCLAIMS_CTX_KTHREAD,	/* a fresh kernel thread */
	KCLAIMS_CTX_WORKQUEUE,	/* a work item on system_wq */
};

/* What the context looked like just before the callback ran. */
struct kclaims_ctx_obs {
	bool ran;
	bool in_hardirq;
	bool in_serving_softirq;
	bool in_task;
	bool in_interrupt;
	bool irqs_disabled;
	bool is_kworker;		/* current->flags & PF_WQ_WORKER */
	bool is_kthread;		/* current->flags & PF_KTHREAD */
	unsigned int preempt_count;
	struct task_struct *task;	/* current: do not dereference later */
	pid_t pid;
	int cpu;
};

typedef void (*kclaims_fn)(void *arg);

/*
 * Run fn(arg) once in @ctx (fn may be NULL to only observe) and wait for it
 * for at most @timeout_ms. Returns 0 once it finished, -ETIMEDOUT if it did
 * not finish in time, -ENOMEM or -EINVAL. On a timeout a callback that had
 * not started is cancelled and one that is running is waited for
 * (obs->ran says which): nothing runs after this returns. A blocking kthread
 * callback can end early by checking kthread_should_stop().
 * Must be called from process context that may sleep.
 */
int kclaims_run_in(enum kclaims_ctx ctx, kclaims_fn fn, void *arg,
		   struct kclaims_ctx_obs *obs, unsigned int timeout_ms);

/* Fill @obs with the current context (what kclaims_run_in records). */
void kclaims_observe(struct kclaims_ctx_obs *obs);

const char *kclaims_ctx_name(enum kclaims_ctx ctx);

/* Voluntary + involuntary context switches of @tsk so far. */
static inline unsigned long kclaims_nr_switches(struct task_struct *tsk)
{
	return READ_ONCE(tsk->nvcsw) + READ_ONCE(tsk->nivcsw);
}

/*
 * Median of @n values (sorts @v in place; with n even, the upper one).
 * The timing cases compare medians of repeated batches, not single runs.
 */
u64 kclaims_median_u64(u64 *v, int n);
s64 kclaims_median_s64(s64 *v, int n);

/*
 * Order of the free buddy block that holds @page, or -1 if the page is not
 * free in the buddy allocator (allocated, or parked on a per-CPU list).
 * Caller holds page_zone(page)->lock.
 */
struct page;
int kclaims_buddy_order(struct page *page);

/*
 * Contents of /proc/@name, NUL-terminated, read through a private procfs
 * mount (built-in KUnit runs before init mounts /proc). Freed with @test;
 * aborts @test if the file cannot be opened, is empty or is over 256 KiB.
 */
struct kunit;
char *kclaims_read_proc(struct kunit *test, const char *name);

/*
 * Declared kernel reports. A case that provokes a report (BUG:, WARNING:,
 * a lockdep splat) on purpose brackets it with kclaims_report_begin() and
 * kclaims_report_end(): they print the marker lines
 *   kclaims: expect report: <needle>
 *   kclaims: end expect report: <needle> (seen N)
 * between which the runner's console scan accepts reports, and count the
 * printk records (console tracepoint, any context) that contain @needle.
 * Both must be called from process context that may sleep; @r must stay
 * alive until kclaims_report_end(). A few watches may be active at once.
 */
struct kclaims_report {
	const char *needle;
	atomic_t seen;
	bool active;		/* probe registered */
};

/* Print the begin marker, then count records; 0 or -errno (no tracepoint). */
int kclaims_report_begin(struct kclaims_report *r, const char *needle);
/* Stop counting (waits for running probes), print the end marker, return N. */
int kclaims_report_end(struct kclaims_report *r);

/*
 * Read (up to @len - 1 bytes, NUL-terminated) or write a file of a private
 * mount (sysfs, configfs, ... mounted with vfs_kern_mount()); -errno if it
 * cannot be opened. For files with ->read_iter/->write_iter.
 */
struct vfsmount;
ssize_t kclaims_mnt_read(struct vfsmount *mnt, const char *path, char *buf,
			 size_t len);
ssize_t kclaims_mnt_write(struct vfsmount *mnt, const char *path, const char *s);

/*
 * kunit_vm_mmap() (user memory for the case kthread) without 6.12 KUnit's
 * leak of the attached mm_struct; see lib/kclaims_util.c.
 */
struct file;
unsigned long kclaims_vm_mmap(struct kunit *test, struct file *file,
			      unsigned long addr, unsigned long len,
			      unsigned long prot, unsigned long flag,
			      unsigned long offset);

/*
 * Write @cmd (if not NULL) to the debugfs file @path (relative to the
 * debugfs root, e.g. "failslab/probability"), then read it back into @out
 * (if not NULL, @size bytes, NUL-terminated) through a fresh open; returns
 * the bytes read. Uses a private debugfs mount and a user buffer of the
 * case's mm; aborts @test on any error. Process context only.
 */
ssize_t kclaims_debugfs_io(struct kunit *test, const char *path,
			   const char *cmd, char *out, size_t size);

/*
 * Suite .init/.exit pair: the case fails if it turned lock debugging off
 * (a lockdep or lock-debugging report) while it was on at its start.
 */
int kclaims_debug_locks_init(struct kunit *test);
void kclaims_debug_locks_exit(struct kunit *test);

/*
 * Threads that start together on several CPUs (the SMP races). Each thread
 * function calls kclaims_start_wait() first and complete(&st->done) last;
 * the start line must be zeroed before kclaims_run_per_cpu().
 */
struct kclaims_start {
	atomic_t ready;		/* threads at the line */
	bool go;		/* released (store-release) */
	struct completion done;
};

/* In a thread: check in, spin until released (at most @ms); its index, or -1. */
int kclaims_start_wait(struct kclaims_start *st, unsigned int ms);

/*
 * Start fn(arg) in one kthread bound to each of the first @max online CPUs
 * (named @name with the CPU number), release them together once all are at
 * the line (at most 5 s), and wait for every one to finish (at most 30 s
 * each). Returns how many ran, or -1 if one did not finish: the threads
 * are then leaked, and @arg must be leaked with them.
 */
int kclaims_run_per_cpu(struct kunit *test, struct kclaims_start *st,
			int (*fn)(void *), void *arg, int max, const char *name);

#endif /* _KCLAIMS_H */

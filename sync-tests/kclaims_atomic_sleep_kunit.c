// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: sleeping in atomic context. Functions that may sleep carry a
 * might_sleep() annotation; with CONFIG_DEBUG_ATOMIC_SLEEP a call from
 * atomic context (spinlock held, preemption or irqs off) prints
 * "BUG: sleeping function called from invalid context" even when the call
 * does not actually sleep, and a real schedule() there prints
 * "BUG: scheduling while atomic". The cases provoke each report on purpose,
 * declared to the runner and counted with the report probe (kclaims.h).
 *
 * The provocations are chosen so nothing breaks: mutex_lock() of a free
 * mutex, down() of a free semaphore and a small kmalloc(GFP_KERNEL) do not
 * sleep, they only pass through might_sleep(). None of them is made under a
 * spinlock where lockdep would see a sleeping lock nest inside it ("Invalid
 * wait context" turns lockdep off for the rest of the boot): the mutex is
 * taken with irqs off instead; under a spinlock see kclaims_lockdep.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_atomic_sleep'
 */
#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "../lib/kclaims.h"

#define KC_SLEEP_BUG	"BUG: sleeping function called from invalid context"
#define KC_SCHED_BUG	"BUG: scheduling while atomic"

static DEFINE_SPINLOCK(kc_spin);
static DEFINE_SPINLOCK(kc_irq_spin);	/* only ever taken in hardirq */
static DEFINE_MUTEX(kc_mutex);
static DEFINE_SEMAPHORE(kc_sem, 1);
static DEFINE_SEMAPHORE(kc_irq_sem, 1);	/* only ever taken in hardirq */

/*
 * __might_resched() prints at most one report per HZ jiffies (its static
 * prev_jiffy, kernel/sched/core.c): a report printed less than a second
 * earlier, by any code, would silence the next one. prev_jiffy is at most
 * jiffies now, so once HZ + 1 more jiffies have passed the window is over.
 */
static void kc_wait_out_might_resched_ratelimit(void)
{
	unsigned long end = jiffies + HZ + 1;

	while (time_before(jiffies, end))
		schedule_timeout_uninterruptible(end - jiffies);
}

struct kc_probe_irq {
	const char *line;
};

static void kc_printk_fn(void *arg)
{
	struct kc_probe_irq *p = arg;

	pr_info("kclaims: probe self-test from hardirq: %s\n", p->line);
}

/*
 * The report probe itself (lib/kclaims_report.c): it counts exactly the
 * printk records that contain its needle, and nothing before begin or
 * after end; two watches run at once. MISC-PRINTK-ANYWHERE: printk()
 * stores its record at once, in the caller's context (the console
 * tracepoint fires there), from a task, under a spinlock and in a hardirq.
 */
static void report_probe_counts_only_records_with_its_needle(struct kunit *test)
{
	struct kclaims_report r, other;
	struct kclaims_ctx_obs obs = {};
	struct kc_probe_irq p;
	char needle[48];
	int seen, seen_other, ret;

	/* Unique per boot, so no other record can contain it by chance. */
	snprintf(needle, sizeof(needle), "kc-probe-%08x", get_random_u32());
	p.line = needle;

	pr_info("kclaims: probe self-test before begin: %s\n", needle);
	ret = kclaims_report_begin(&r, needle);
	if (ret)
		kunit_skip(test, "no console tracepoint (%d)", ret);
	ret = kclaims_report_begin(&other, "kc-probe-never-printed");
	if (ret) {
		kclaims_report_end(&r);
		kunit_skip(test, "no console tracepoint (%d)", ret);
	}

	pr_info("kclaims: probe self-test: %s\n", needle);
	pr_info("kclaims: probe self-test: a line without it\n");
	spin_lock(&kc_spin);
	pr_info("kclaims: probe self-test under a spinlock: %s\n", needle);
	spin_unlock(&kc_spin);
	ret = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, kc_printk_fn, &p, &obs, 2000);

	seen_other = kclaims_report_end(&other);
	seen = kclaims_report_end(&r);
	pr_info("kclaims: probe self-test after end: %s\n", needle);

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_EXPECT_EQ(test, seen, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.seen), 3);
	KUNIT_EXPECT_EQ(test, seen_other, 0);
}

/*
 * SYNC-LOCK-CHOICE, IRQ-MSLEEP-IN-SYSCALL: the same calls as the cases
 * below, in plain process context, print nothing: the reports below come
 * from the context, not from the calls.
 */
static void sleeping_calls_in_process_context_print_no_report(struct kunit *test)
{
	struct kclaims_report sleep_bug, sched_bug;
	int ret, down_ret, seen_sleep, seen_sched;
	void *p;

	kc_wait_out_might_resched_ratelimit();
	ret = kclaims_report_begin(&sleep_bug, KC_SLEEP_BUG);
	if (ret)
		kunit_skip(test, "no console tracepoint (%d)", ret);
	ret = kclaims_report_begin(&sched_bug, KC_SCHED_BUG);
	if (ret) {
		kclaims_report_end(&sleep_bug);
		kunit_skip(test, "no console tracepoint (%d)", ret);
	}

	mutex_lock(&kc_mutex);
	mutex_unlock(&kc_mutex);
	down_ret = down_timeout(&kc_sem, HZ);
	if (!down_ret)
		up(&kc_sem);
	p = kmalloc(32, GFP_KERNEL);
	kfree(p);
	msleep(20);

	seen_sched = kclaims_report_end(&sched_bug);
	seen_sleep = kclaims_report_end(&sleep_bug);

	KUNIT_EXPECT_EQ(test, down_ret, 0);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, seen_sleep, 0);
	KUNIT_EXPECT_EQ(test, seen_sched, 0);
}

/*
 * MM-GFP-KERNEL-SLEEP, SYNC-LOCK-CHOICE: kmalloc(GFP_KERNEL) may sleep
 * (direct reclaim), so the allocator's might_alloc() reports it under a
 * spinlock even when the object comes straight off the per-CPU slab.
 * The report line says in_atomic(): 1 with irqs on: the spinlock's
 * preempt count, not an irq state, is what makes the context atomic.
 */
static void kmalloc_gfp_kernel_under_spinlock_is_reported(struct kunit *test)
{
	struct kclaims_report bug, how;
	int ret, seen, seen_how;
	void *p;

	kc_wait_out_might_resched_ratelimit();
	ret = kclaims_report_begin(&bug, KC_SLEEP_BUG);
	if (ret)
		kunit_skip(test, "no console tracepoint (%d)", ret);
	ret = kclaims_report_begin(&how, "in_atomic(): 1, irqs_disabled(): 0");
	if (ret) {
		kclaims_report_end(&bug);
		kunit_skip(test, "no console tracepoint (%d)", ret);
	}

	spin_lock(&kc_spin);
	p = kmalloc(32, GFP_KERNEL);
	spin_unlock(&kc_spin);

	seen_how = kclaims_report_end(&how);
	seen = kclaims_report_end(&bug);
	kfree(p);

	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_EQ(test, seen_how, 1);
	KUNIT_EXPECT_EQ(test, debug_locks, 1);
}

/*
 * SYNC-SEM-NO-SPIN: down() may sleep, so it is reported under a spinlock
 * even when the semaphore is free and down() returns at once. (A
 * semaphore has no lockdep map: lockdep itself says nothing here.)
 */
static void down_under_spinlock_is_reported(struct kunit *test)
{
	struct kclaims_report bug;
	int ret, seen;

	kc_wait_out_might_resched_ratelimit();
	ret = kclaims_report_begin(&bug, KC_SLEEP_BUG);
	if (ret)
		kunit_skip(test, "no console tracepoint (%d)", ret);

	spin_lock(&kc_spin);
	down(&kc_sem);
	up(&kc_sem);
	spin_unlock(&kc_spin);

	seen = kclaims_report_end(&bug);

	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_EQ(test, debug_locks, 1);
}

/*
 * SYNC-LOCK-CHOICE, IRQ-NO-SLEEP: mutex_lock() may sleep, so it is
 * reported with irqs off (as in an interrupt handler), even on a free
 * mutex that it takes without sleeping; the report says irqs_disabled(): 1
 * with in_atomic(): 0. Lockdep stays on: no lock is held.
 */
static void mutex_lock_with_irqs_off_is_reported(struct kunit *test)
{
	struct kclaims_report bug, how;
	int ret, seen, seen_how;
	unsigned long flags;

	kc_wait_out_might_resched_ratelimit();
	ret = kclaims_report_begin(&bug, KC_SLEEP_BUG);
	if (ret)
		kunit_skip(test, "no console tracepoint (%d)", ret);
	ret = kclaims_report_begin(&how, "in_atomic(): 0, irqs_disabled(): 1");
	if (ret) {
		kclaims_report_end(&bug);
		kunit_skip(test, "no console tracepoint (%d)", ret);
	}

	local_irq_save(flags);
	mutex_lock(&kc_mutex);
	mutex_unlock(&kc_mutex);
	local_irq_restore(flags);

	seen_how = kclaims_report_end(&how);
	seen = kclaims_report_end(&bug);

	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_EQ(test, seen_how, 1);
	KUNIT_EXPECT_EQ(test, debug_locks, 1);
}

static void kc_down_in_hardirq_fn(void *arg)
{
	int *done = arg;

	down(&kc_irq_sem);
	up(&kc_irq_sem);
	*done = 1;
}

/*
 * IRQ-NO-SLEEP, SYNC-SEM-SLEEP: down() in a real hardirq (hrtimer) is
 * reported with in_atomic(): 1, irqs_disabled(): 1, even though the
 * semaphore is free and down() returns without sleeping. (up() alone is
 * legal there: kclaims_semaphore.)
 */
static void down_in_hardirq_is_reported(struct kunit *test)
{
	struct kclaims_report bug, how;
	struct kclaims_ctx_obs obs = {};
	int ret, done = 0, seen, seen_how;

	kc_wait_out_might_resched_ratelimit();
	ret = kclaims_report_begin(&bug, KC_SLEEP_BUG);
	if (ret)
		kunit_skip(test, "no console tracepoint (%d)", ret);
	ret = kclaims_report_begin(&how, "in_atomic(): 1, irqs_disabled(): 1");
	if (ret) {
		kclaims_report_end(&bug);
		kunit_skip(test, "no console tracepoint (%d)", ret);
	}

	ret = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, kc_down_in_hardirq_fn, &done,
			     &obs, 2000);

	seen_how = kclaims_report_end(&how);
	seen = kclaims_report_end(&bug);

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_EXPECT_EQ(test, done, 1);
	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_EQ(test, seen_how, 1);
	KUNIT_EXPECT_EQ(test, debug_locks, 1);
}

/*
 * IRQ-MSLEEP-IN-SYSCALL, SYNC-LOCK-CHOICE: msleep() has no
 * might_sleep(); it really sleeps, and schedule() under a spinlock prints
 * "BUG: scheduling while atomic" (schedule_debug(), not rate limited).
 * The scheduler then forces the preempt count back to one level of
 * preempt_disable() for its own switch, so the task comes back with
 * preempt_count() 0 while still holding the lock; the case puts the count
 * back before spin_unlock(). Safe here: only this case takes kc_spin.
 */
static void msleep_under_spinlock_schedules_while_atomic(struct kunit *test)
{
	struct kclaims_report bug;
	unsigned int pc_in, pc_after;
	unsigned long nv0, nv1;
	int ret, seen;

	ret = kclaims_report_begin(&bug, KC_SCHED_BUG);
	if (ret)
		kunit_skip(test, "no console tracepoint (%d)", ret);

	nv0 = current->nvcsw;
	spin_lock(&kc_spin);
	pc_in = preempt_count();
	msleep(20);
	pc_after = preempt_count();
	if (pc_after < pc_in)
		preempt_count_add(pc_in - pc_after);
	spin_unlock(&kc_spin);
	nv1 = current->nvcsw;

	seen = kclaims_report_end(&bug);

	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_GT(test, nv1, nv0);
	KUNIT_EXPECT_EQ(test, debug_locks, 1);
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT)) {
		KUNIT_EXPECT_EQ(test, pc_in, 1U);
		KUNIT_EXPECT_EQ(test, pc_after, 0U);
	}
}

static void kc_spin_in_hardirq_fn(void *arg)
{
	unsigned long flags;
	int *done = arg;

	spin_lock_irqsave(&kc_irq_spin, flags);
	*done = 1;
	spin_unlock_irqrestore(&kc_irq_spin, flags);
}

/*
 * SYNC-LOCK-CHOICE, SYNC-SPIN-IN-IRQ: a spinlock is the lock for interrupt
 * context: taken (irqsave) in a real hardirq it prints no report and leaves
 * lockdep on. It is a lock of its own: kc_spin, taken above with irqs on,
 * would be an irq-unsafe lock used in irq context, which lockdep reports
 * (kclaims_lockdep.spinlock_taken_with_irqs_on_and_in_hardirq_is_inconsistent).
 * The might_sleep() rate limit is waited out first: a spinlock that may
 * sleep (PREEMPT_RT's spinlock_t) would then be reported here.
 */
static void spinlock_in_hardirq_prints_no_report(struct kunit *test)
{
	struct kclaims_report bug, warn;
	struct kclaims_ctx_obs obs = {};
	int ret, done = 0, seen_bug, seen_warn;

	kc_wait_out_might_resched_ratelimit();
	ret = kclaims_report_begin(&bug, "BUG:");
	if (ret)
		kunit_skip(test, "no console tracepoint (%d)", ret);
	ret = kclaims_report_begin(&warn, "WARNING:");
	if (ret) {
		kclaims_report_end(&bug);
		kunit_skip(test, "no console tracepoint (%d)", ret);
	}

	ret = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, kc_spin_in_hardirq_fn, &done,
			     &obs, 2000);

	seen_warn = kclaims_report_end(&warn);
	seen_bug = kclaims_report_end(&bug);

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_EXPECT_EQ(test, done, 1);
	KUNIT_EXPECT_EQ(test, seen_bug, 0);
	KUNIT_EXPECT_EQ(test, seen_warn, 0);
	KUNIT_EXPECT_EQ(test, debug_locks, 1);
}

static struct kunit_case kclaims_atomic_sleep_cases[] = {
	KUNIT_CASE(report_probe_counts_only_records_with_its_needle),
	KUNIT_CASE(sleeping_calls_in_process_context_print_no_report),
	KUNIT_CASE(kmalloc_gfp_kernel_under_spinlock_is_reported),
	KUNIT_CASE(down_under_spinlock_is_reported),
	KUNIT_CASE(mutex_lock_with_irqs_off_is_reported),
	KUNIT_CASE(down_in_hardirq_is_reported),
	KUNIT_CASE(msleep_under_spinlock_schedules_while_atomic),
	KUNIT_CASE(spinlock_in_hardirq_prints_no_report),
	{}
};

static struct kunit_suite kclaims_atomic_sleep_suite = {
	.name = "kclaims_atomic_sleep",
	.test_cases = kclaims_atomic_sleep_cases,
};
kunit_test_suite(kclaims_atomic_sleep_suite);

MODULE_DESCRIPTION("kclaims: sleeping in atomic context");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' locking rules as lockdep (PROVE_LOCKING) and
 * DEBUG_MUTEXES enforce them. Each case provokes one report on purpose,
 * declared to the runner and counted with the report probe (kclaims.h),
 * without a real deadlock: lockdep reports a lock order or a recursion
 * when it is first seen, before the acquire waits.
 *
 * Lock debugging turns itself off after its first report (debug_locks = 0),
 * so each case needs a boot of its own: a case runs only when the kernel
 * command line names it, and skips otherwise:
 *
 *   kunit.filter_glob=kclaims_lockdep.<case> kclaims_lockdep_kunit.which=<case>
 *
 * Run: make run PROFILE=lockdep (one boot per case), or kunit.py run
 *	'kclaims_lockdep.<case>' --kernel_args kclaims_lockdep_kunit.which=<case>
 */
#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "../lib/kclaims.h"

/* Built in, kbuild names it after the object: kclaims_lockdep_kunit.which */
static char *kc_which = "";
module_param_named(which, kc_which, charp, 0444);
MODULE_PARM_DESC(which, "the one kclaims_lockdep case this boot runs");

/* Skip unless this boot is this case's own; then lockdep must still be on. */
static void kc_own_boot(struct kunit *test)
{
	if (!kc_which || strcmp(kc_which, test->name))
		kunit_skip(test, "runs in its own boot (PROFILE=lockdep): kclaims_lockdep_kunit.which=%s",
			   test->name);
	KUNIT_ASSERT_EQ_MSG(test, debug_locks, 1,
			    "lock debugging was already off in this boot");
}

static DEFINE_MUTEX(kc_a);
static DEFINE_MUTEX(kc_b);

/*
 * SYNC-DEADLOCK-RULES (order half): A then B, later B then A, in one task:
 * no deadlock can happen here, yet lockdep reports the ABBA order the
 * moment it sees the second order, because two tasks running the two
 * orders could deadlock. The first order alone is no report.
 */
static void abba_order_is_reported_as_circular_dependency(struct kunit *test)
{
	struct kclaims_report r;
	int ret, seen, after_ab;

	kc_own_boot(test);

	mutex_lock(&kc_a);
	mutex_lock(&kc_b);
	mutex_unlock(&kc_b);
	mutex_unlock(&kc_a);
	after_ab = debug_locks;

	ret = kclaims_report_begin(&r, "WARNING: possible circular locking dependency detected");
	KUNIT_ASSERT_EQ(test, ret, 0);
	mutex_lock(&kc_b);
	mutex_lock(&kc_a);
	mutex_unlock(&kc_a);
	mutex_unlock(&kc_b);
	seen = kclaims_report_end(&r);

	KUNIT_EXPECT_EQ(test, after_ab, 1);
	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_EQ(test, debug_locks, 0);
}

static DEFINE_SPINLOCK(kc_rec);

/*
 * SYNC-DEADLOCK-RULES (same-lock half): taking a spinlock its holder
 * already holds is reported by lockdep before the acquire spins. On UP
 * the DEBUG_SPINLOCK arch_spin_lock() does not spin
 * (and spin_bug() is silent once debug_locks is 0), so the case returns;
 * on SMP it would spin forever.
 */
static void same_spinlock_twice_is_reported_as_recursive_locking(struct kunit *test)
{
	struct kclaims_report r;
	int ret, seen;

	kc_own_boot(test);
	if (IS_ENABLED(CONFIG_SMP))
		kunit_skip(test, "would spin forever on SMP: UML (UP) shows it");

	ret = kclaims_report_begin(&r, "WARNING: possible recursive locking detected");
	KUNIT_ASSERT_EQ(test, ret, 0);
	spin_lock(&kc_rec);
	spin_lock(&kc_rec);
	spin_unlock(&kc_rec);
	spin_unlock(&kc_rec);
	seen = kclaims_report_end(&r);

	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_EQ(test, debug_locks, 0);
}

static DEFINE_MUTEX(kc_owned);
static DEFINE_SEMAPHORE(kc_sem, 1);

static void kc_up_fn(void *arg)
{
	up(&kc_sem);
}

static void kc_unlock_fn(void *arg)
{
	lockdep_off();
	mutex_unlock(&kc_owned);
	lockdep_on();
}

/*
 * SYNC-SEM-COUNT: a semaphore has no owner: another task's up()
 * releases this task's down() silently. A mutex has one:
 * DEBUG_MUTEXES warns when another task unlocks it (and the unlock still
 * happens). Lockdep would see the foreign unlock first ("WARNING: bad
 * unlock balance detected!") and its report turns debug_locks off, which
 * silences the mutex's own check; lockdep_off() around the lock and the
 * unlock leaves the report to DEBUG_MUTEXES, as on a kernel without lockdep.
 */
static void mutex_unlock_by_another_task_is_reported_semaphore_up_is_not(struct kunit *test)
{
	struct kclaims_report warn, owner;
	struct kclaims_ctx_obs obs = {};
	int ret, ret_up, ret_unlock, sem_free, seen_warn, seen_owner;
	int debug_after_up;
	bool locked_after;

	kc_own_boot(test);

	/* The semaphore: down() here, up() in another task, no report. */
	ret = kclaims_report_begin(&warn, "DEBUG_LOCKS_WARN_ON");
	KUNIT_ASSERT_EQ(test, ret, 0);
	down(&kc_sem);
	ret_up = kclaims_run_in(KCLAIMS_CTX_KTHREAD, kc_up_fn, NULL, &obs, 5000);
	sem_free = !down_trylock(&kc_sem);
	if (sem_free)
		up(&kc_sem);
	seen_warn = kclaims_report_end(&warn);
	debug_after_up = debug_locks;

	/* The mutex: lock here, unlock in another task. */
	lockdep_off();
	mutex_lock(&kc_owned);
	lockdep_on();
	/* "current" is printed macro-expanded, which differs per arch. */
	ret = kclaims_report_begin(&owner,
				   "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != ");
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret_unlock = kclaims_run_in(KCLAIMS_CTX_KTHREAD, kc_unlock_fn, NULL,
				    &obs, 5000);
	seen_owner = kclaims_report_end(&owner);
	locked_after = mutex_is_locked(&kc_owned);

	KUNIT_EXPECT_EQ(test, ret_up, 0);
	KUNIT_EXPECT_EQ(test, sem_free, 1);
	KUNIT_EXPECT_EQ(test, seen_warn, 0);
	KUNIT_EXPECT_EQ(test, debug_after_up, 1);
	KUNIT_EXPECT_EQ(test, ret_unlock, 0);
	KUNIT_EXPECT_TRUE(test, obs.is_kthread);
	KUNIT_EXPECT_EQ(test, seen_owner, 1);
	KUNIT_EXPECT_FALSE(test, locked_after);
	KUNIT_EXPECT_EQ(test, debug_locks, 0);
}

static DEFINE_SPINLOCK(kc_outer);
static DEFINE_MUTEX(kc_inner);

/*
 * SYNC-SEM-NO-SPIN, SYNC-LOCK-CHOICE (sleep: mutex, never under a
 * spinlock): a mutex taken under a spinlock is a sleeping lock inside a
 * spinning one; lockdep's wait-context check reports it even though the
 * mutex is free (and might_sleep() adds its own report just before).
 */
static void mutex_lock_under_spinlock_is_an_invalid_wait_context(struct kunit *test)
{
	struct kclaims_report r, sleep_bug;
	int ret, seen, seen_sleep;

	kc_own_boot(test);

	ret = kclaims_report_begin(&r, "BUG: Invalid wait context");
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kclaims_report_begin(&sleep_bug,
				   "BUG: sleeping function called from invalid context");
	if (ret)
		kclaims_report_end(&r);
	KUNIT_ASSERT_EQ(test, ret, 0);
	spin_lock(&kc_outer);
	mutex_lock(&kc_inner);
	mutex_unlock(&kc_inner);
	spin_unlock(&kc_outer);
	seen_sleep = kclaims_report_end(&sleep_bug);
	seen = kclaims_report_end(&r);

	KUNIT_EXPECT_EQ(test, seen, 1);
	/* Rate limited to one per second: at most one, and none is lockdep's. */
	KUNIT_EXPECT_LE(test, seen_sleep, 1);
	KUNIT_EXPECT_EQ(test, debug_locks, 0);
}

static DEFINE_SPINLOCK(kc_irqsafe);
static DEFINE_SPINLOCK(kc_irqunsafe);

static void kc_hardirq_fn(void *arg)
{
	spin_lock((spinlock_t *)arg);
	spin_unlock((spinlock_t *)arg);
}

/*
 * SYNC-LOCK-CHOICE (interrupt context: spinlock), SYNC-SPIN-IN-IRQ:
 * a spinlock shared with a hardirq handler must be taken with irqs off
 * in process context. Taken with spin_lock_irqsave() there, lockdep stays
 * quiet; taken with plain spin_lock() (irqs on), the next use in hardirq
 * is an "inconsistent lock state": the irq could interrupt the holder
 * and spin on its lock forever.
 */
static void spinlock_taken_with_irqs_on_and_in_hardirq_is_inconsistent(struct kunit *test)
{
	struct kclaims_report r;
	struct kclaims_ctx_obs obs = {};
	unsigned long flags;
	int ret, ret_safe, ret_unsafe, seen, debug_after_safe;

	kc_own_boot(test);

	spin_lock_irqsave(&kc_irqsafe, flags);
	spin_unlock_irqrestore(&kc_irqsafe, flags);
	ret_safe = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, kc_hardirq_fn,
				  &kc_irqsafe, &obs, 2000);
	debug_after_safe = debug_locks;

	ret = kclaims_report_begin(&r, "inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage");
	KUNIT_ASSERT_EQ(test, ret, 0);
	spin_lock(&kc_irqunsafe);
	spin_unlock(&kc_irqunsafe);
	ret_unsafe = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, kc_hardirq_fn,
				    &kc_irqunsafe, &obs, 2000);
	seen = kclaims_report_end(&r);

	KUNIT_EXPECT_EQ(test, ret_safe, 0);
	KUNIT_EXPECT_EQ(test, debug_after_safe, 1);
	KUNIT_EXPECT_EQ(test, ret_unsafe, 0);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_EXPECT_EQ(test, debug_locks, 0);
}

static struct kunit_case kclaims_lockdep_cases[] = {
	KUNIT_CASE(abba_order_is_reported_as_circular_dependency),
	KUNIT_CASE(same_spinlock_twice_is_reported_as_recursive_locking),
	KUNIT_CASE(mutex_unlock_by_another_task_is_reported_semaphore_up_is_not),
	KUNIT_CASE(mutex_lock_under_spinlock_is_an_invalid_wait_context),
	KUNIT_CASE(spinlock_taken_with_irqs_on_and_in_hardirq_is_inconsistent),
	{}
};

static struct kunit_suite kclaims_lockdep_suite = {
	.name = "kclaims_lockdep",
	.test_cases = kclaims_lockdep_cases,
};
kunit_test_suite(kclaims_lockdep_suite);

MODULE_DESCRIPTION("kclaims: lock order and ownership rules, as lockdep reports them");
MODULE_LICENSE("GPL");

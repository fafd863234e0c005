// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about mutexes checked against the running
 * kernel (semaphores: kclaims_semaphore_kunit.c).
 *
 * Sleeping is observed from outside with the blocker kthread of
 * kclaims_blocker.h. The test never leaves a case while holding a lock
 * (no KUNIT_ASSERT between lock and unlock), because a mutex released by
 * another task would be a lock-debugging report.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_mutex'
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/semaphore.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/printk.h>

#include "../lib/kclaims.h"
#include "kclaims_blocker.h"

static DEFINE_MUTEX(kc_trylock_mutex);

/*
 * SYNC-MUTEX-API: DEFINE_MUTEX()/mutex_init() mutexes lock and unlock;
 * mutex_trylock() returns 1 on success (the opposite sense of
 * down_trylock()) and fails on a held mutex even for its owner: mutexes
 * are not recursive.
 */
static void mutex_trylock_fails_even_for_the_owner(struct kunit *test)
{
	bool locked_before, locked_held, locked_after;
	int again, first, dyn;
	struct mutex *dm;

	dm = kunit_kzalloc(test, sizeof(*dm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dm);

	locked_before = mutex_is_locked(&kc_trylock_mutex);
	mutex_lock(&kc_trylock_mutex);
	locked_held = mutex_is_locked(&kc_trylock_mutex);
	again = mutex_trylock(&kc_trylock_mutex);
	if (again)
		mutex_unlock(&kc_trylock_mutex);
	mutex_unlock(&kc_trylock_mutex);
	locked_after = mutex_is_locked(&kc_trylock_mutex);

	first = mutex_trylock(&kc_trylock_mutex);
	if (first)
		mutex_unlock(&kc_trylock_mutex);

	mutex_init(dm);
	dyn = mutex_trylock(dm);
	if (dyn)
		mutex_unlock(dm);
	mutex_destroy(dm);

	KUNIT_EXPECT_FALSE(test, locked_before);
	KUNIT_EXPECT_TRUE(test, locked_held);
	KUNIT_EXPECT_EQ(test, again, 0);
	KUNIT_EXPECT_FALSE(test, locked_after);
	KUNIT_EXPECT_EQ(test, first, 1);
	KUNIT_EXPECT_EQ(test, dyn, 1);
}

static DEFINE_MUTEX(kc_wait_mutex);

/*
 * SYNC-MUTEX-API, SYNC-SEM-SLEEP-STATE: a task that finds the mutex held
 * sleeps (it switches out voluntarily) in TASK_UNINTERRUPTIBLE, a signal
 * does not wake it, and it gets the mutex only after the owner unlocks.
 */
static void mutex_waiter_sleeps_uninterruptibly_until_unlock(struct kunit *test)
{
	bool asleep, still_asleep, done_early, reaped;
	unsigned int state;
	struct blocker *b;
	int err;

	b = blocker_alloc(BLK_MUTEX_LOCK, &kc_wait_mutex, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);

	mutex_lock(&kc_wait_mutex);
	asleep = blocker_sleep_then_kill(b, TASK_UNINTERRUPTIBLE, &err, &state);
	/* A wakeup would have made it TASK_RUNNING/WAKING before send_sig returned. */
	still_asleep = blocker_state(b) == TASK_UNINTERRUPTIBLE;
	done_early = completion_done(&b->done);
	WRITE_ONCE(b->released, true);
	mutex_unlock(&kc_wait_mutex);
	reaped = blocker_reap(test, b, 1000);

	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_EQ(test, state, TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_TRUE(test, still_asleep);
	KUNIT_EXPECT_FALSE(test, done_early);
	KUNIT_ASSERT_TRUE(test, reaped);
	KUNIT_EXPECT_EQ(test, b->ret, 0);
	KUNIT_EXPECT_TRUE(test, b->got_it);
	KUNIT_EXPECT_TRUE(test, b->saw_released);
}

static DEFINE_MUTEX(kc_intr_mutex);

/*
 * SYNC-DOWN-INTERRUPTIBLE (mutex form), SYNC-SEM-SLEEP-STATE:
 * mutex_lock_interruptible() sleeps in TASK_INTERRUPTIBLE and returns
 * -EINTR on a signal without taking the mutex.
 */
static void mutex_lock_interruptible_returns_eintr_on_signal(struct kunit *test)
{
	bool asleep, finished, still_locked, reaped;
	unsigned int state;
	struct blocker *b;
	int err, ret;
	bool got;

	b = blocker_alloc(BLK_MUTEX_LOCK_INTERRUPTIBLE, &kc_intr_mutex, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);

	mutex_lock(&kc_intr_mutex);
	asleep = blocker_sleep_then_kill(b, TASK_INTERRUPTIBLE, &err, &state);
	/* It must give up while we still hold the mutex. */
	finished = wait_for_completion_timeout(&b->done, HZ);
	ret = b->ret;
	got = b->got_it;
	still_locked = mutex_is_locked(&kc_intr_mutex);
	WRITE_ONCE(b->released, true);
	mutex_unlock(&kc_intr_mutex);
	reaped = blocker_reap(test, b, 1000);

	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_EQ(test, state, TASK_INTERRUPTIBLE);
	KUNIT_EXPECT_TRUE(test, finished);
	KUNIT_EXPECT_EQ(test, ret, -EINTR);
	KUNIT_EXPECT_FALSE(test, got);
	KUNIT_EXPECT_TRUE(test, still_locked);
	KUNIT_EXPECT_TRUE(test, reaped);
}

static DEFINE_MUTEX(kc_sleep_mutex);
static DEFINE_SPINLOCK(kc_sleep_spin);
static bool kc_sleep_splat;

/* Console tracepoint probe: spot DEBUG_ATOMIC_SLEEP's report. */
static void kc_probe_console(void *ignore, const char *buf, size_t len)
{
	if (strnstr(buf, "sleeping function called from invalid context", len))
		WRITE_ONCE(kc_sleep_splat, true);
}

/*
 * SYNC-LOCK-CHOICE, SYNC-SEM-NO-SPIN: a mutex holder is not atomic and may
 * sleep: msleep() switches out voluntarily and DEBUG_ATOMIC_SLEEP prints
 * no "sleeping function called from invalid context". A spinlock holder
 * is atomic, which is why down()/mutex_lock()/msleep() must not be called
 * under a spinlock (not tried: it would only produce that report).
 */
static void mutex_holder_may_sleep_spinlock_holder_may_not(struct kunit *test)
{
	bool atomic_mutex, preemptible_mutex, atomic_spin;
	unsigned long nv0, nv1;
	int probe;

	WRITE_ONCE(kc_sleep_splat, false);
	probe = register_trace_console(kc_probe_console, NULL);

	nv0 = current->nvcsw;
	mutex_lock(&kc_sleep_mutex);
	atomic_mutex = in_atomic();
	preemptible_mutex = preemptible();
	msleep(20);
	mutex_unlock(&kc_sleep_mutex);
	nv1 = current->nvcsw;

	spin_lock(&kc_sleep_spin);
	atomic_spin = in_atomic();
	spin_unlock(&kc_sleep_spin);

	if (!probe) {
		unregister_trace_console(kc_probe_console, NULL);
		tracepoint_synchronize_unregister();
		KUNIT_EXPECT_FALSE(test, READ_ONCE(kc_sleep_splat));
	} else {
		kunit_info(test, "no console tracepoint (%d): report not checked\n",
			   probe);
	}
	KUNIT_EXPECT_FALSE(test, atomic_mutex);
	KUNIT_EXPECT_GT(test, nv1, nv0);
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT) && !IS_ENABLED(CONFIG_PREEMPT_RT)) {
		KUNIT_EXPECT_TRUE(test, preemptible_mutex);
		KUNIT_EXPECT_TRUE(test, atomic_spin);
	}
}

static struct kunit_case kclaims_mutex_cases[] = {
	KUNIT_CASE(mutex_trylock_fails_even_for_the_owner),
	KUNIT_CASE(mutex_waiter_sleeps_uninterruptibly_until_unlock),
	KUNIT_CASE(mutex_lock_interruptible_returns_eintr_on_signal),
	KUNIT_CASE(mutex_holder_may_sleep_spinlock_holder_may_not),
	{}
};

static struct kunit_suite kclaims_mutex_suite = {
	.name = "kclaims_mutex",
	.init = kclaims_debug_locks_init,
	.exit = kclaims_debug_locks_exit,
	.test_cases = kclaims_mutex_cases,
};
kunit_test_suite(kclaims_mutex_suite);

MODULE_DESCRIPTION("kclaims: mutex claims of the notes");
MODULE_LICENSE("GPL");

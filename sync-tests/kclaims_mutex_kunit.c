// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about mutexes and semaphores checked against
 * the running kernel.
 *
 * Sleeping is observed from outside: a helper kthread (the "blocker")
 * blocks on a lock the test holds; the test polls, with a bound, until
 * the blocker has switched out (its nvcsw rose) in the expected task
 * state, then releases the lock, signals the blocker or calls up() from
 * hardirq context, and reaps it. The test never leaves a case while
 * holding a lock (no KUNIT_ASSERT between lock and unlock), because a
 * mutex released by another task would be a lock-debugging report.
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

enum blk_op {
	BLK_MUTEX_LOCK,
	BLK_MUTEX_LOCK_INTERRUPTIBLE,
	BLK_DOWN,
	BLK_DOWN_INTERRUPTIBLE,
	BLK_DOWN_KILLABLE,
	BLK_DOWN_TIMEOUT,	/* down_timeout(&sem, 30 s): longer than any wait here */
};

/*
 * A kthread that blocks on @m or @sem. kmalloc'd, and leaked together
 * with its semaphore if the thread cannot be reaped, so that a stuck
 * blocker never touches freed memory.
 */
struct blocker {
	enum blk_op op;
	struct mutex *m;
	struct semaphore sem;
	struct task_struct *task;
	struct completion started;
	struct completion done;		/* complete_all(): wait any number of times */
	unsigned long nvcsw_before;
	bool released;			/* set by the test just before it releases */
	bool saw_released;		/* value of released when the blocker got the lock */
	bool got_it;
	int ret;
};

static int blocker_fn(void *data)
{
	struct blocker *b = data;

	/* A kthread ignores signals unless it asks for them. */
	allow_signal(SIGKILL);
	b->nvcsw_before = current->nvcsw;
	complete(&b->started);

	switch (b->op) {
	case BLK_MUTEX_LOCK:
		mutex_lock(b->m);
		b->ret = 0;
		break;
	case BLK_MUTEX_LOCK_INTERRUPTIBLE:
		b->ret = mutex_lock_interruptible(b->m);
		break;
	case BLK_DOWN:
		down(&b->sem);
		b->ret = 0;
		break;
	case BLK_DOWN_INTERRUPTIBLE:
		b->ret = down_interruptible(&b->sem);
		break;
	case BLK_DOWN_KILLABLE:
		b->ret = down_killable(&b->sem);
		break;
	case BLK_DOWN_TIMEOUT:
		b->ret = down_timeout(&b->sem, 30 * HZ);
		break;
	}
	if (!b->ret) {
		b->saw_released = READ_ONCE(b->released);
		b->got_it = true;
		if (b->op == BLK_MUTEX_LOCK || b->op == BLK_MUTEX_LOCK_INTERRUPTIBLE)
			mutex_unlock(b->m);
		else
			up(&b->sem);
	}
	complete_all(&b->done);
	return 0;
}

static struct blocker *blocker_alloc(enum blk_op op, struct mutex *m,
				     unsigned int sem_count)
{
	struct blocker *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	b->op = op;
	b->m = m;
	sema_init(&b->sem, sem_count);
	init_completion(&b->started);
	init_completion(&b->done);
	return b;
}

/* Start the thread and wait (bounded) until it is about to block. */
static int blocker_start(struct blocker *b)
{
	struct task_struct *t;

	t = kthread_create(blocker_fn, b, "kc_blocker");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	b->task = t;
	wake_up_process(t);
	if (!wait_for_completion_timeout(&b->started, HZ))
		return -ETIMEDOUT;
	return 0;
}

/*
 * Poll, for at most @ms, until the blocker has gone to sleep in @state:
 * it has switched out voluntarily (nvcsw rose; a preemption would count
 * in nivcsw) and its state is @state.
 */
static bool blocker_wait_asleep(struct blocker *b, unsigned int state,
				unsigned int ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(ms);

	if (!b->task)
		return false;
	for (;;) {
		if (READ_ONCE(b->task->__state) == state &&
		    READ_ONCE(b->task->nvcsw) > b->nvcsw_before)
			return true;
		if (completion_done(&b->done) || time_after(jiffies, deadline))
			return false;
		schedule_timeout_uninterruptible(1);
	}
}

static unsigned int blocker_state(struct blocker *b)
{
	return b->task ? READ_ONCE(b->task->__state) : TASK_RUNNING;
}

/*
 * Start @b, wait (at most 1 s) until it sleeps in @want, note the state
 * it is in (*@state), then send it SIGKILL. *@err is blocker_start()'s
 * result; returns whether it was seen asleep in @want.
 */
static bool blocker_sleep_then_kill(struct blocker *b, unsigned int want,
				    int *err, unsigned int *state)
{
	bool asleep;

	*err = blocker_start(b);
	asleep = !*err && blocker_wait_asleep(b, want, 1000);
	*state = blocker_state(b);
	if (b->task)
		send_sig(SIGKILL, b->task, 1);
	return asleep;
}

/* Wait (bounded) for the blocker to finish; free it only if it did. */
static bool blocker_reap(struct kunit *test, struct blocker *b,
			 unsigned int ms)
{
	bool done;

	if (!b->task) {
		kfree(b);
		return false;
	}
	done = wait_for_completion_timeout(&b->done, msecs_to_jiffies(ms));
	if (done)
		kthread_stop(b->task);
	else
		kunit_err(test, "blocker did not finish: leaking it\n");
	put_task_struct(b->task);
	if (done)
		kfree(b);
	return done;
}

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

static void do_up(void *arg)
{
	up(arg);
}

/*
 * SYNC-SEM-SLEEP, SYNC-SEM-SLEEP-STATE, SYNC-DOWN-INTERRUPTIBLE
 * (behaviour): down() on a zero semaphore sleeps in TASK_UNINTERRUPTIBLE
 * (a SIGKILL does not end the wait, which is why down() is deprecated
 * in favour of down_interruptible()/down_killable()); up() is legal from
 * hardirq context and hands the semaphore to the sleeper.
 */
static void down_sleeps_uninterruptibly_and_up_from_hardirq_wakes_it(struct kunit *test)
{
	bool asleep, still_asleep, reaped;
	struct kclaims_ctx_obs obs = {};
	unsigned int state;
	struct blocker *b;
	int err, run;

	b = blocker_alloc(BLK_DOWN, NULL, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);

	asleep = blocker_sleep_then_kill(b, TASK_UNINTERRUPTIBLE, &err, &state);
	still_asleep = blocker_state(b) == TASK_UNINTERRUPTIBLE &&
		       !completion_done(&b->done);
	WRITE_ONCE(b->released, true);
	run = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, do_up, &b->sem, &obs, 1000);
	if (run)
		up(&b->sem);	/* never leave the blocker stuck */
	reaped = blocker_reap(test, b, 1000);

	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_EQ(test, state, TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_TRUE(test, still_asleep);
	KUNIT_EXPECT_EQ(test, run, 0);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_ASSERT_TRUE(test, reaped);
	KUNIT_EXPECT_TRUE(test, b->got_it);
	KUNIT_EXPECT_TRUE(test, b->saw_released);
}

/* Block in @op on a zero semaphore, check the sleep state, then SIGKILL. */
static void check_sem_signal_wait(struct kunit *test, enum blk_op op,
				  unsigned int want_state)
{
	bool asleep, finished, reaped;
	unsigned int state;
	int err, ret, still_zero;
	struct blocker *b;
	bool got;

	b = blocker_alloc(op, NULL, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);

	asleep = blocker_sleep_then_kill(b, want_state, &err, &state);
	finished = wait_for_completion_timeout(&b->done, HZ);
	ret = b->ret;
	got = b->got_it;
	/* The aborted waiter left the count at 0. */
	still_zero = down_trylock(&b->sem);
	if (!still_zero)
		up(&b->sem);
	if (!finished)
		up(&b->sem);
	reaped = blocker_reap(test, b, 1000);

	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_EQ(test, state, want_state);
	KUNIT_EXPECT_TRUE(test, finished);
	KUNIT_EXPECT_EQ(test, ret, -EINTR);
	KUNIT_EXPECT_FALSE(test, got);
	KUNIT_EXPECT_EQ(test, still_zero, 1);
	KUNIT_EXPECT_TRUE(test, reaped);
}

/*
 * SYNC-DOWN-INTERRUPTIBLE, SYNC-SEM-SLEEP-STATE (behaviour): the
 * recommended down_interruptible() sleeps in TASK_INTERRUPTIBLE and a
 * signal ends the wait with -EINTR, without the semaphore: what makes it
 * the advised form. (Which form the tree uses more is a source count,
 * not something a case can see.)
 */
static void down_interruptible_sleeps_interruptible_and_returns_eintr(struct kunit *test)
{
	check_sem_signal_wait(test, BLK_DOWN_INTERRUPTIBLE, TASK_INTERRUPTIBLE);
}

/*
 * SYNC-SEM-SLEEP-STATE: down_killable() sleeps in TASK_KILLABLE
 * (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE) and returns -EINTR on SIGKILL.
 */
static void down_killable_sleeps_killable_and_returns_eintr(struct kunit *test)
{
	check_sem_signal_wait(test, BLK_DOWN_KILLABLE, TASK_KILLABLE);
}

/*
 * SYNC-SEM-SLEEP-STATE (behaviour): down_timeout(), the other
 * uninterruptible form besides down(), sleeps in TASK_UNINTERRUPTIBLE: a
 * SIGKILL does not end its wait (30 s), up() does and hands it the
 * semaphore (return 0).
 */
static void down_timeout_sleeps_uninterruptibly_through_a_signal(struct kunit *test)
{
	bool asleep, still_asleep, reaped;
	unsigned int state;
	struct blocker *b;
	int err;

	b = blocker_alloc(BLK_DOWN_TIMEOUT, NULL, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);

	asleep = blocker_sleep_then_kill(b, TASK_UNINTERRUPTIBLE, &err, &state);
	/* A wakeup would have made it TASK_RUNNING/WAKING before send_sig returned. */
	still_asleep = blocker_state(b) == TASK_UNINTERRUPTIBLE &&
		       !completion_done(&b->done);
	WRITE_ONCE(b->released, true);
	up(&b->sem);
	reaped = blocker_reap(test, b, 1000);

	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_EQ(test, state, TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_TRUE(test, still_asleep);
	KUNIT_ASSERT_TRUE(test, reaped);
	KUNIT_EXPECT_EQ(test, b->ret, 0);
	KUNIT_EXPECT_TRUE(test, b->got_it);
	KUNIT_EXPECT_TRUE(test, b->saw_released);
}

/*
 * SYNC-SEM-SLEEP-STATE (behaviour): the note's reason for sleeping
 * uninterruptibly ("it must wake when the semaphore can be taken") does
 * not hold: up() wakes a task asleep in TASK_INTERRUPTIBLE
 * (down_interruptible()) just as well and hands it the semaphore (return
 * 0, no signal involved). The two states differ only in whether a
 * signal also ends the wait.
 */
static void up_wakes_an_interruptible_sleeper_too(struct kunit *test)
{
	bool asleep, reaped;
	struct blocker *b;
	int err;

	b = blocker_alloc(BLK_DOWN_INTERRUPTIBLE, NULL, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);

	err = blocker_start(b);
	asleep = !err && blocker_wait_asleep(b, TASK_INTERRUPTIBLE, 1000);
	WRITE_ONCE(b->released, true);
	up(&b->sem);
	reaped = blocker_reap(test, b, 1000);

	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_ASSERT_TRUE(test, reaped);
	KUNIT_EXPECT_EQ(test, b->ret, 0);
	KUNIT_EXPECT_TRUE(test, b->got_it);
	KUNIT_EXPECT_TRUE(test, b->saw_released);
}

/*
 * SYNC-DOWN-INTERRUPTIBLE (behaviour): the other bounded alternative to
 * down(): down_timeout() on a zero semaphore returns -ETIME after at
 * least the timeout; with a unit available it returns 0 at once.
 */
static void down_timeout_returns_etime_after_the_timeout(struct kunit *test)
{
	struct semaphore s;
	unsigned long j0, waited;
	int ret, ret_avail;

	sema_init(&s, 0);
	j0 = jiffies;
	ret = down_timeout(&s, 5);
	waited = jiffies - j0;
	up(&s);
	ret_avail = down_timeout(&s, 5);

	KUNIT_EXPECT_EQ(test, ret, -ETIME);
	KUNIT_EXPECT_GE(test, waited, 5);
	KUNIT_EXPECT_EQ(test, ret_avail, 0);
}

/*
 * SYNC-SEM-COUNT: sema_init(&s, 2) admits two holders at once;
 * down_trylock() returns 0 on success (inverse of mutex_trylock()), so
 * the third attempt returns 1, and a third task sleeps in down() until
 * one holder calls up().
 */
static void counting_semaphore_admits_count_holders(struct kunit *test)
{
	int t1, t2, t3, t_after;
	bool asleep, reaped;
	struct blocker *b;
	int err;

	b = blocker_alloc(BLK_DOWN, NULL, 2);
	KUNIT_ASSERT_NOT_NULL(test, b);

	t1 = down_trylock(&b->sem);
	t2 = down_trylock(&b->sem);
	t3 = down_trylock(&b->sem);
	if (!t3)
		up(&b->sem);

	err = blocker_start(b);
	asleep = !err && blocker_wait_asleep(b, TASK_UNINTERRUPTIBLE, 1000);
	WRITE_ONCE(b->released, true);
	if (!t1)
		up(&b->sem);
	reaped = blocker_reap(test, b, 1000);
	/* The blocker's up() gave its unit back: one is free again. */
	t_after = reaped ? down_trylock(&b->sem) : 1;
	if (!t_after)
		up(&b->sem);
	if (!t2)
		up(&b->sem);

	KUNIT_EXPECT_EQ(test, t1, 0);
	KUNIT_EXPECT_EQ(test, t2, 0);
	KUNIT_EXPECT_EQ(test, t3, 1);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_ASSERT_TRUE(test, reaped);
	KUNIT_EXPECT_TRUE(test, b->got_it);
	KUNIT_EXPECT_TRUE(test, b->saw_released);
	KUNIT_EXPECT_EQ(test, t_after, 0);
}

/*
 * SYNC-INIT-MUTEX, compile-time probe (definition evidence): init_MUTEX()
 * and init_MUTEX_LOCKED() were static inlines of <linux/semaphore.h>
 * until 2.6.37 ("semaphore: Remove mutex emulation"). This file defines
 * a function of that name itself: it would not compile if the header
 * still declared one (redefinition, or a static definition after a
 * non-static declaration), and a macro of that name stops the build here.
 * Nothing calls it.
 */
#if defined(init_MUTEX) || defined(init_MUTEX_LOCKED)
#error "init_MUTEX is a macro again: SYNC-INIT-MUTEX is no longer outdated"
#endif
static void __maybe_unused init_MUTEX(struct semaphore *sem)
{
	sema_init(sem, 1);
}

/*
 * SYNC-INIT-MUTEX (behaviour; the definition half is the probe above):
 * what replaced init_MUTEX(&sema) for a dynamically set-up semaphore is
 * sema_init(&sema, 1): it admits one holder; a second task's down()
 * sleeps until the holder's up() and then gets it. (A real struct mutex,
 * DEFINE_MUTEX()/mutex_init(), is mutex_trylock_fails_even_for_the_owner.)
 */
static void init_mutex_is_gone_sema_init_1_replaces_it(struct kunit *test)
{
	bool asleep, done_early, reaped;
	struct blocker *b;
	int first, second, err;

	/* blocker_alloc() sets the semaphore up with sema_init(&b->sem, 1) */
	b = blocker_alloc(BLK_DOWN, NULL, 1);
	KUNIT_ASSERT_NOT_NULL(test, b);

	first = down_trylock(&b->sem);
	second = down_trylock(&b->sem);
	if (!second)
		up(&b->sem);
	err = blocker_start(b);
	asleep = !err && blocker_wait_asleep(b, TASK_UNINTERRUPTIBLE, 1000);
	done_early = completion_done(&b->done);
	WRITE_ONCE(b->released, true);
	if (!first)
		up(&b->sem);
	reaped = blocker_reap(test, b, 1000);

	KUNIT_EXPECT_EQ(test, first, 0);
	KUNIT_EXPECT_EQ(test, second, 1);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_FALSE(test, done_early);
	KUNIT_ASSERT_TRUE(test, reaped);
	KUNIT_EXPECT_TRUE(test, b->got_it);
	KUNIT_EXPECT_TRUE(test, b->saw_released);
}

static DEFINE_SEMAPHORE(kc_binary_sem, 1);
static DEFINE_SEMAPHORE(kc_three_sem, 3);

/*
 * SYNC-INIT-MUTEX, SYNC-SEM-COUNT (behaviour): the static form of a
 * binary semaphore is DEFINE_SEMAPHORE(name, 1) (the count argument since
 * 6.4); DEFINE_SEMAPHORE(name, 3) admits
 * three. Unlike a mutex it has no owner: up() from another context (here
 * hardirq) releases what this task took.
 */
static void define_semaphore_takes_a_count_and_has_no_owner(struct kunit *test)
{
	int b1, b2, b3, h[4], i, run;
	struct kclaims_ctx_obs obs = {};

	b1 = down_trylock(&kc_binary_sem);
	b2 = down_trylock(&kc_binary_sem);
	if (!b2)
		up(&kc_binary_sem);
	/* Released by a hardirq, not by the task that took it. */
	run = b1 ? -EINVAL : kclaims_run_in(KCLAIMS_CTX_HARDIRQ, do_up,
					     &kc_binary_sem, &obs, 1000);
	if (run && !b1)
		up(&kc_binary_sem);
	b3 = down_trylock(&kc_binary_sem);
	if (!b3)
		up(&kc_binary_sem);

	for (i = 0; i < 4; i++)
		h[i] = down_trylock(&kc_three_sem);
	for (i = 0; i < 4; i++)
		if (!h[i])
			up(&kc_three_sem);

	KUNIT_EXPECT_EQ(test, b1, 0);
	KUNIT_EXPECT_EQ(test, b2, 1);
	KUNIT_EXPECT_EQ(test, run, 0);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_EXPECT_EQ(test, b3, 0);
	KUNIT_EXPECT_EQ(test, h[0], 0);
	KUNIT_EXPECT_EQ(test, h[1], 0);
	KUNIT_EXPECT_EQ(test, h[2], 0);
	KUNIT_EXPECT_EQ(test, h[3], 1);
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

static int kclaims_mutex_init(struct kunit *test)
{
	/* Remember whether lock debugging was still on when we started. */
	test->priv = (void *)(unsigned long)debug_locks;
	return 0;
}

static void kclaims_mutex_exit(struct kunit *test)
{
	if (test->priv)
		KUNIT_EXPECT_EQ_MSG(test, debug_locks, 1,
				    "this case provoked a lock-debugging report");
}

static struct kunit_case kclaims_mutex_cases[] = {
	KUNIT_CASE(mutex_trylock_fails_even_for_the_owner),
	KUNIT_CASE(mutex_waiter_sleeps_uninterruptibly_until_unlock),
	KUNIT_CASE(mutex_lock_interruptible_returns_eintr_on_signal),
	KUNIT_CASE(down_sleeps_uninterruptibly_and_up_from_hardirq_wakes_it),
	KUNIT_CASE(down_interruptible_sleeps_interruptible_and_returns_eintr),
	KUNIT_CASE(down_killable_sleeps_killable_and_returns_eintr),
	KUNIT_CASE(down_timeout_sleeps_uninterruptibly_through_a_signal),
	KUNIT_CASE(up_wakes_an_interruptible_sleeper_too),
	KUNIT_CASE(down_timeout_returns_etime_after_the_timeout),
	KUNIT_CASE(counting_semaphore_admits_count_holders),
	KUNIT_CASE(init_mutex_is_gone_sema_init_1_replaces_it),
	KUNIT_CASE(define_semaphore_takes_a_count_and_has_no_owner),
	KUNIT_CASE(mutex_holder_may_sleep_spinlock_holder_may_not),
	{}
};

static struct kunit_suite kclaims_mutex_suite = {
	.name = "kclaims_mutex",
	.init = kclaims_mutex_init,
	.exit = kclaims_mutex_exit,
	.test_cases = kclaims_mutex_cases,
};
kunit_test_suite(kclaims_mutex_suite);

MODULE_DESCRIPTION("kclaims: mutex and semaphore claims of the notes");
MODULE_LICENSE("GPL");

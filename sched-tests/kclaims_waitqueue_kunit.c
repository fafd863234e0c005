// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about wait queues checked against the
 * running kernel.
 *
 * A wait queue head is a spinlock and a list of wait_queue_entry items;
 * DECLARE_WAITQUEUE() declares one such entry (a waiter), not a queue.
 * The sleep loop of the notes (prepare_to_wait, check, schedule,
 * finish_wait) is run on the test thread itself, and the wake-up is
 * forced into the window between the check and schedule() by an
 * hrtimer that fires while the test spins there: deterministic, no
 * guessing at timing. Waiter kthreads are counted on the queue's list:
 * wake_up() removes each waiter it wakes (autoremove_wake_function)
 * before it returns, so what it woke is read right after it returns.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_waitqueue'
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

/* A queue head made statically, at file scope. */
static DECLARE_WAIT_QUEUE_HEAD(kc_static_wq);

static unsigned int wq_count(struct wait_queue_head *wq)
{
	struct wait_queue_entry *e;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry(e, &wq->head, entry)
		n++;
	spin_unlock_irqrestore(&wq->lock, flags);
	return n;
}

/*
 * Queue @w (an entry for current) on @wq, mark current asleep and
 * wake_up(@wq): returns current's state right after wake_up() returned
 * (TASK_RUNNING if the entry's wake function woke the task). current
 * never calls schedule() here, so nothing can block.
 */
static unsigned int wake_through(struct wait_queue_head *wq,
				 struct wait_queue_entry *w)
{
	unsigned int state;

	add_wait_queue(wq, w);
	set_current_state(TASK_INTERRUPTIBLE);
	wake_up(wq);
	state = READ_ONCE(current->__state);
	__set_current_state(TASK_RUNNING);
	remove_wait_queue(wq, w);
	return state;
}

/*
 * SCHED-WAITQ-HEAD: struct wait_queue_head is a spinlock and a list
 * head; DECLARE_WAIT_QUEUE_HEAD() makes an empty one, add_wait_queue()
 * links waiters into its list, remove_wait_queue() unlinks them.
 */
static void declare_wait_queue_head_makes_an_empty_list_with_a_lock(struct kunit *test)
{
	struct wait_queue_entry e;
	struct list_head *first, *after;
	bool active, empty_after;

	BUILD_BUG_ON(!__same_type(kc_static_wq.lock, spinlock_t));
	BUILD_BUG_ON(!__same_type(kc_static_wq.head, struct list_head));

	KUNIT_EXPECT_TRUE(test, list_empty(&kc_static_wq.head));
	KUNIT_EXPECT_FALSE(test, waitqueue_active(&kc_static_wq));
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&kc_static_wq.lock));

	init_waitqueue_entry(&e, current);
	add_wait_queue(&kc_static_wq, &e);
	active = waitqueue_active(&kc_static_wq);
	first = READ_ONCE(kc_static_wq.head.next);
	after = READ_ONCE(e.entry.next);
	remove_wait_queue(&kc_static_wq, &e);
	empty_after = list_empty(&kc_static_wq.head);

	KUNIT_EXPECT_TRUE(test, active);
	/* the one waiter is the list: head -> entry -> head */
	KUNIT_EXPECT_PTR_EQ(test, first, &e.entry);
	KUNIT_EXPECT_PTR_EQ(test, after, &kc_static_wq.head);
	KUNIT_EXPECT_TRUE(test, empty_after);
}

/*
 * SCHED-DECLARE-WAITQUEUE (false): DECLARE_WAITQUEUE(name, tsk) declares
 * a wait_queue_entry, a waiter for @tsk whose wake function wakes @tsk,
 * not a queue; the queue head is DECLARE_WAIT_QUEUE_HEAD().
 */
static void declare_waitqueue_declares_a_waiter_not_a_queue(struct kunit *test)
{
	DECLARE_WAITQUEUE(w, current);
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	unsigned int state;

	BUILD_BUG_ON(!__same_type(w, struct wait_queue_entry));
	BUILD_BUG_ON(__same_type(w, struct wait_queue_head));

	KUNIT_EXPECT_PTR_EQ(test, (struct task_struct *)w.private, current);
	KUNIT_EXPECT_PTR_EQ(test, (void *)w.func, (void *)default_wake_function);
	KUNIT_EXPECT_EQ(test, w.flags, 0U);

	/* Used as what it is, a waiter: wake_up() on the queue wakes current. */
	state = wake_through(&wq, &w);
	KUNIT_EXPECT_EQ(test, state, (unsigned int)TASK_RUNNING);
	KUNIT_EXPECT_TRUE(test, list_empty(&wq.head));
}

/*
 * SCHED-INIT-WAITQ-HEAD: init_waitqueue_head() initialises a head in
 * dynamic memory (here kmalloc'd and filled with garbage first): an
 * empty list and a working lock, usable at once.
 */
static void init_waitqueue_head_initialises_a_dynamic_head(struct kunit *test)
{
	struct wait_queue_head *wq;
	unsigned int state;
	DECLARE_WAITQUEUE(w, current);

	wq = kunit_kmalloc(test, sizeof(*wq), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	memset(wq, 0x5a, sizeof(*wq));

	init_waitqueue_head(wq);
	KUNIT_ASSERT_PTR_EQ(test, wq->head.next, &wq->head);
	KUNIT_ASSERT_PTR_EQ(test, wq->head.prev, &wq->head);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&wq->lock));

	state = wake_through(wq, &w);
	KUNIT_EXPECT_EQ(test, state, (unsigned int)TASK_RUNNING);
	KUNIT_EXPECT_TRUE(test, list_empty(&wq->head));
}

/*
 * SCHED-WAIT-RACE: prepare_to_wait() queues the entry (once, however
 * often it is called) and sets the task state; finish_wait() sets
 * TASK_RUNNING and takes the entry off the queue.
 */
static void prepare_to_wait_queues_and_sets_state_finish_wait_undoes_it(struct kunit *test)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	DEFINE_WAIT(w);
	unsigned int st_int, st_unint, n_first, n_again, st_after;
	bool queued_after, entry_linked_after;

	prepare_to_wait(&wq, &w, TASK_INTERRUPTIBLE);
	st_int = READ_ONCE(current->__state);
	n_first = wq_count(&wq);
	prepare_to_wait(&wq, &w, TASK_UNINTERRUPTIBLE);
	st_unint = READ_ONCE(current->__state);
	n_again = wq_count(&wq);
	finish_wait(&wq, &w);
	st_after = READ_ONCE(current->__state);
	queued_after = waitqueue_active(&wq);
	entry_linked_after = !list_empty_careful(&w.entry);

	KUNIT_EXPECT_EQ(test, st_int, (unsigned int)TASK_INTERRUPTIBLE);
	KUNIT_EXPECT_EQ(test, st_unint, (unsigned int)TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_EQ(test, n_first, 1U);
	KUNIT_EXPECT_EQ(test, n_again, 1U);
	KUNIT_EXPECT_EQ(test, st_after, (unsigned int)TASK_RUNNING);
	KUNIT_EXPECT_FALSE(test, queued_after);
	KUNIT_EXPECT_FALSE(test, entry_linked_after);
}

/* An hrtimer (hardirq) that makes the condition true and wakes the queue. */
struct race {
	struct hrtimer t;
	struct wait_queue_head *wq;
	bool cond;
	bool fired;
};

static enum hrtimer_restart race_fire(struct hrtimer *t)
{
	struct race *r = container_of(t, struct race, t);

	WRITE_ONCE(r->cond, true);
	wake_up(r->wq);
	WRITE_ONCE(r->fired, true);
	return HRTIMER_NORESTART;
}

/*
 * Arm the timer 50 us ahead and spin (at most 1 s) until it has fired:
 * the wake-up lands exactly here, after the condition was checked and
 * before schedule(). Returns whether it fired.
 */
static bool race_fire_now(struct race *r)
{
	ktime_t end = ktime_add_ms(ktime_get(), 1000);

	hrtimer_start(&r->t, ns_to_ktime(50 * NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
	while (!READ_ONCE(r->fired) && ktime_before(ktime_get(), end))
		cpu_relax();
	hrtimer_cancel(&r->t);
	return READ_ONCE(r->fired);
}

static void race_init(struct race *r, struct wait_queue_head *wq)
{
	memset(r, 0, sizeof(*r));
	r->wq = wq;
	hrtimer_init_on_stack(&r->t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	r->t.function = race_fire;
}

/*
 * SCHED-WAIT-RACE: the notes' loop
 *	for (;;) { prepare_to_wait(); if (cond) break; schedule(); }
 *	finish_wait();
 * does not lose a wake-up that comes after the check and before
 * schedule(): the waker found the entry on the queue and set the task
 * back to TASK_RUNNING, so schedule() returns at once. schedule_timeout()
 * bounds the wait at 2 s; it returns the time left, so "not lost" is
 * more than 1 s left (a lost wake-up would sleep the whole 2 s).
 */
static void wake_up_between_check_and_schedule_is_not_lost(struct kunit *test)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	DEFINE_WAIT(w);
	struct race r;
	bool fired = false;
	unsigned int state_after_wake = 0, loops = 0;
	long left = -1;

	race_init(&r, &wq);
	for (;;) {
		prepare_to_wait(&wq, &w, TASK_INTERRUPTIBLE);
		if (READ_ONCE(r.cond) || loops++ >= 3)
			break;
		if (!fired) {
			fired = race_fire_now(&r);
			state_after_wake = READ_ONCE(current->__state);
		}
		left = schedule_timeout(2 * HZ);
		if (!fired)
			break;
	}
	finish_wait(&wq, &w);
	destroy_hrtimer_on_stack(&r.t);

	KUNIT_ASSERT_TRUE_MSG(test, fired, "the hrtimer did not fire within 1 s");
	KUNIT_EXPECT_EQ(test, state_after_wake, (unsigned int)TASK_RUNNING);
	KUNIT_EXPECT_GT(test, left, (long)HZ);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(r.cond));
	KUNIT_EXPECT_EQ(test, loops, 1U);
}

/*
 * SCHED-WAIT-RACE, the other side: the same wake-up is lost when the
 * task checks the condition, is woken, and only then marks itself
 * asleep (no prepare_to_wait before the check): wake_up() found nobody
 * on the queue, and schedule_timeout() sleeps its full 100 ms although
 * the condition is already true. This is the window the loop closes.
 */
static void wake_up_before_marking_asleep_is_lost(struct kunit *test)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	struct race r;
	bool cond_seen, fired;
	long left = -1;
	unsigned long j0 = 0, slept = 0;

	race_init(&r, &wq);
	cond_seen = READ_ONCE(r.cond);
	fired = race_fire_now(&r);
	if (!cond_seen && fired) {
		j0 = jiffies;
		set_current_state(TASK_INTERRUPTIBLE);
		left = schedule_timeout(HZ / 10);
		slept = jiffies - j0;
	}
	destroy_hrtimer_on_stack(&r.t);

	KUNIT_ASSERT_TRUE_MSG(test, fired, "the hrtimer did not fire within 1 s");
	KUNIT_EXPECT_FALSE(test, cond_seen);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(r.cond));
	KUNIT_EXPECT_EQ(test, left, 0L);
	KUNIT_EXPECT_GE(test, slept, (unsigned long)(HZ / 10));
}

#define NWAITERS 3

struct waiters {
	struct wait_queue_head wq;
	bool exclusive;
	struct task_struct *task[NWAITERS];
	struct completion done;		/* completed once per waiter that returned */
	bool woken[NWAITERS];
};

struct waiter_arg {
	struct waiters *ws;
	int i;
};

static struct waiter_arg waiter_args[NWAITERS];

/* Queue once, sleep (at most 10 s), note whether a wake-up came first. */
static int waiter_fn(void *data)
{
	struct waiter_arg *a = data;
	struct waiters *ws = a->ws;
	DEFINE_WAIT(w);
	long left;

	if (ws->exclusive)
		prepare_to_wait_exclusive(&ws->wq, &w, TASK_UNINTERRUPTIBLE);
	else
		prepare_to_wait(&ws->wq, &w, TASK_UNINTERRUPTIBLE);
	left = schedule_timeout(10 * HZ);
	finish_wait(&ws->wq, &w);
	WRITE_ONCE(ws->woken[a->i], left > 0);
	complete(&ws->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
	}
	return 0;
}

/* Cleanup action: release every waiter and reap it, on every path. */
static void waiters_stop(void *data)
{
	struct waiters *ws = data;
	int i;

	wake_up_all(&ws->wq);
	for (i = 0; i < NWAITERS; i++) {
		if (!ws->task[i])
			continue;
		kthread_stop(ws->task[i]);
		put_task_struct(ws->task[i]);
		ws->task[i] = NULL;
	}
}

/* Start NWAITERS waiters and wait (at most 2 s) until all are queued. */
static struct waiters *waiters_start(struct kunit *test, bool exclusive)
{
	struct waiters *ws;
	unsigned long end;
	int i;

	ws = kunit_kzalloc(test, sizeof(*ws), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ws);
	init_waitqueue_head(&ws->wq);
	ws->exclusive = exclusive;
	init_completion(&ws->done);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, waiters_stop, ws), 0);

	for (i = 0; i < NWAITERS; i++) {
		struct task_struct *t;

		waiter_args[i].ws = ws;
		waiter_args[i].i = i;
		t = kthread_run(waiter_fn, &waiter_args[i], "kc_waiter%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		get_task_struct(t);
		ws->task[i] = t;
	}
	end = jiffies + 2 * HZ;
	while (wq_count(&ws->wq) < NWAITERS && time_before(jiffies, end))
		schedule_timeout_uninterruptible(1);
	KUNIT_ASSERT_EQ_MSG(test, wq_count(&ws->wq), NWAITERS,
			    "waiters not queued within 2 s");
	return ws;
}

/* Wait (at most 2 s each) for @n more waiters to return; how many did. */
static int waiters_wait_done(struct waiters *ws, int n)
{
	int i, got = 0;

	for (i = 0; i < n; i++)
		if (wait_for_completion_timeout(&ws->done, 2 * HZ))
			got++;
	return got;
}

/*
 * SCHED-WAIT-RACE: wake_up() wakes every non-exclusive waiter: one call
 * leaves the queue empty, and all three waiters return from their
 * 10 s sleep early.
 */
static void wake_up_wakes_every_non_exclusive_waiter(struct kunit *test)
{
	struct waiters *ws = waiters_start(test, false);
	unsigned int left_after;
	int i;

	wake_up(&ws->wq);
	left_after = wq_count(&ws->wq);
	KUNIT_EXPECT_EQ(test, left_after, 0U);
	KUNIT_EXPECT_EQ(test, waiters_wait_done(ws, NWAITERS), NWAITERS);
	for (i = 0; i < NWAITERS; i++)
		KUNIT_EXPECT_TRUE(test, READ_ONCE(ws->woken[i]));
}

/*
 * SCHED-WAIT-RACE: exclusive waiters (prepare_to_wait_exclusive) are
 * woken one per wake_up(); wake_up_all() wakes the rest.
 */
static void exclusive_waiters_wake_one_per_wake_up(struct kunit *test)
{
	struct waiters *ws = waiters_start(test, true);
	unsigned int left1, left2, left3;
	int first_done, second_done, rest_done;

	wake_up(&ws->wq);
	left1 = wq_count(&ws->wq);
	first_done = waiters_wait_done(ws, 1);
	wake_up(&ws->wq);
	left2 = wq_count(&ws->wq);
	second_done = waiters_wait_done(ws, 1);
	wake_up_all(&ws->wq);
	left3 = wq_count(&ws->wq);
	rest_done = waiters_wait_done(ws, NWAITERS - 2);

	KUNIT_EXPECT_EQ(test, left1, (unsigned int)NWAITERS - 1);
	KUNIT_EXPECT_EQ(test, first_done, 1);
	KUNIT_EXPECT_EQ(test, left2, (unsigned int)NWAITERS - 2);
	KUNIT_EXPECT_EQ(test, second_done, 1);
	KUNIT_EXPECT_EQ(test, left3, 0U);
	KUNIT_EXPECT_EQ(test, rest_done, NWAITERS - 2);
}

static struct kunit_case kclaims_waitqueue_cases[] = {
	KUNIT_CASE(declare_wait_queue_head_makes_an_empty_list_with_a_lock),
	KUNIT_CASE(declare_waitqueue_declares_a_waiter_not_a_queue),
	KUNIT_CASE(init_waitqueue_head_initialises_a_dynamic_head),
	KUNIT_CASE(prepare_to_wait_queues_and_sets_state_finish_wait_undoes_it),
	KUNIT_CASE(wake_up_between_check_and_schedule_is_not_lost),
	KUNIT_CASE(wake_up_before_marking_asleep_is_lost),
	KUNIT_CASE(wake_up_wakes_every_non_exclusive_waiter),
	KUNIT_CASE(exclusive_waiters_wake_one_per_wake_up),
	{}
};

static struct kunit_suite kclaims_waitqueue_suite = {
	.name = "kclaims_waitqueue",
	.test_cases = kclaims_waitqueue_cases,
};

kunit_test_suites(&kclaims_waitqueue_suite);

MODULE_DESCRIPTION("kclaims: the notes' wait queue claims on the running kernel");
MODULE_LICENSE("GPL");

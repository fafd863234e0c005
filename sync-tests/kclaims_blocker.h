/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kclaims sync-tests: the "blocker", a kthread that blocks on a mutex or
 * a semaphore the test holds, shared by the kclaims_mutex and
 * kclaims_semaphore suites (each file gets its own static copy).
 *
 * Sleeping is observed from outside: the test polls, with a bound, until
 * the blocker has switched out (its nvcsw rose) in the expected task
 * state, then releases the lock, signals the blocker or calls up(), and
 * reaps it.
 */
#ifndef _KCLAIMS_BLOCKER_H
#define _KCLAIMS_BLOCKER_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/semaphore.h>
#include <linux/signal.h>
#include <linux/slab.h>

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
	unsigned long nvcsw_at_got;	/* its nvcsw when it got the lock */
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
		b->nvcsw_at_got = current->nvcsw;
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

static void blocker_free(void *b)
{
	kfree(b);
}

/*
 * Wait (bounded) for the blocker to finish. One that finished is freed
 * when the case ends (its record stays readable until then); one that
 * did not is leaked.
 */
static bool blocker_reap(struct kunit *test, struct blocker *b,
			 unsigned int ms)
{
	bool done = true;

	if (b->task) {
		done = wait_for_completion_timeout(&b->done,
						   msecs_to_jiffies(ms));
		if (done)
			kthread_stop(b->task);
		else
			kunit_err(test, "blocker did not finish: leaking it\n");
		put_task_struct(b->task);
	}
	/* Should the action not be registered, leak it rather than free it now. */
	if (done)
		kunit_add_action(test, blocker_free, b);
	return done && b->task;
}

#endif /* _KCLAIMS_BLOCKER_H */

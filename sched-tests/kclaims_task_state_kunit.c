// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about process states (TASK_RUNNING,
 * TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE, ...), which signal wakes which
 * sleeper, set_task_state()/set_current_state(), and how a task dies
 * (do_exit(), EXIT_ZOMBIE, release_task()), checked against the running
 * kernel.
 *
 * A helper kthread (the "sleeper") blocks in one of the wait_event*()
 * forms; the test reads its state from outside (task->__state, and nvcsw
 * to know that it really switched out), sends it signals with
 * send_sig(..., 1) (a kernel-generated signal) and sees whether it woke:
 * a wake-up makes the state TASK_RUNNING/TASK_WAKING before send_sig()
 * returns. Every wait is bounded; a sleeper that does not finish in time
 * is leaked, never freed under a running thread.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_task_state'
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/fs_struct.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>

enum sleep_kind {
	SLEEP_WAIT_EVENT,		/* wait_event() */
	SLEEP_INTERRUPTIBLE,		/* wait_event_interruptible() */
	SLEEP_KILLABLE,			/* wait_event_killable() */
	SLEEP_IDLE,			/* wait_event_idle() */
	SLEEP_SET_CURRENT_STATE,	/* set_current_state() + schedule() */
};

struct sleeper {
	enum sleep_kind kind;
	bool allow;		/* allow_signal(SIGKILL) and (SIGUSR1) */
	wait_queue_head_t wq;
	bool cond;
	struct task_struct *task;
	struct completion started;
	struct completion done;
	unsigned long nvcsw_before;
	int ret;
};

static int sleeper_fn(void *data)
{
	struct sleeper *s = data;

	/* a kthread ignores every signal unless it asks for it */
	if (s->allow) {
		allow_signal(SIGKILL);
		allow_signal(SIGUSR1);
	}
	s->nvcsw_before = current->nvcsw;
	complete(&s->started);

	switch (s->kind) {
	case SLEEP_WAIT_EVENT:
		wait_event(s->wq, READ_ONCE(s->cond));
		s->ret = 0;
		break;
	case SLEEP_INTERRUPTIBLE:
		s->ret = wait_event_interruptible(s->wq, READ_ONCE(s->cond));
		break;
	case SLEEP_KILLABLE:
		s->ret = wait_event_killable(s->wq, READ_ONCE(s->cond));
		break;
	case SLEEP_IDLE:
		wait_event_idle(s->wq, READ_ONCE(s->cond));
		s->ret = 0;
		break;
	case SLEEP_SET_CURRENT_STATE:
		for (;;) {
			set_current_state(TASK_INTERRUPTIBLE);
			if (READ_ONCE(s->cond))
				break;
			schedule();
		}
		__set_current_state(TASK_RUNNING);
		s->ret = 0;
		break;
	}
	complete_all(&s->done);
	return 0;
}

static struct sleeper *sleeper_start(struct kunit *test, enum sleep_kind kind,
				     bool allow)
{
	struct sleeper *s = kzalloc(sizeof(*s), GFP_KERNEL);
	struct task_struct *t;

	if (!s)
		return NULL;
	s->kind = kind;
	s->allow = allow;
	init_waitqueue_head(&s->wq);
	init_completion(&s->started);
	init_completion(&s->done);
	t = kthread_create(sleeper_fn, s, "kc_sleeper");
	if (IS_ERR(t)) {
		kfree(s);
		return NULL;
	}
	s->task = get_task_struct(t);
	wake_up_process(t);
	if (!wait_for_completion_timeout(&s->started, 2 * HZ))
		kunit_err(test, "sleeper did not start within 2 s\n");
	return s;
}

/*
 * Poll (<= 1 s) until the sleeper has switched out voluntarily (nvcsw
 * rose: a preemption would count in nivcsw) in @state.
 */
static bool sleeper_asleep_in(struct sleeper *s, unsigned int state)
{
	unsigned long deadline = jiffies + HZ;

	for (;;) {
		if (READ_ONCE(s->task->__state) == state &&
		    READ_ONCE(s->task->nvcsw) > s->nvcsw_before)
			return true;
		if (completion_done(&s->done) || time_after(jiffies, deadline))
			return false;
		schedule_timeout_uninterruptible(1);
	}
}

/* Still asleep in @state, not woken since it went to sleep? */
static bool sleeper_still_in(struct sleeper *s, unsigned int state,
			     unsigned long nvcsw)
{
	return READ_ONCE(s->task->__state) == state &&
	       READ_ONCE(s->task->nvcsw) == nvcsw && !completion_done(&s->done);
}

/* Release it (cond + wake_up), wait <= 2 s; free only if it finished. */
static bool sleeper_finish(struct kunit *test, struct sleeper *s)
{
	bool done;

	WRITE_ONCE(s->cond, true);
	wake_up(&s->wq);
	/* the set_current_state() sleeper is on no queue */
	wake_up_process(s->task);
	done = wait_for_completion_timeout(&s->done, 2 * HZ);
	if (done)
		kthread_stop(s->task);
	else
		kunit_err(test, "sleeper did not finish: leaking it\n");
	put_task_struct(s->task);
	if (done)
		kfree(s);
	return done;
}

/*
 * PROC-STATES, PROC-SIGNAL-WAKE (behaviour): wait_event() sleeps in
 * TASK_UNINTERRUPTIBLE, and a signal the thread accepts (even SIGKILL)
 * is queued but does not wake it; only the condition does.
 */
static void wait_event_is_uninterruptible_signal_does_not_wake(struct kunit *test)
{
	struct sleeper *s = sleeper_start(test, SLEEP_WAIT_EVENT, true);
	unsigned int state;
	unsigned long nvcsw;
	bool asleep, stayed, pending;

	KUNIT_ASSERT_NOT_NULL(test, s);
	asleep = sleeper_asleep_in(s, TASK_UNINTERRUPTIBLE);
	state = READ_ONCE(s->task->__state);
	nvcsw = READ_ONCE(s->task->nvcsw);
	send_sig(SIGKILL, s->task, 1);
	stayed = sleeper_still_in(s, TASK_UNINTERRUPTIBLE, nvcsw);
	pending = signal_pending(s->task);

	KUNIT_EXPECT_TRUE(test, sleeper_finish(test, s));
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_EQ(test, state, TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_TRUE(test, stayed);
	KUNIT_EXPECT_TRUE(test, pending);
}

/*
 * PROC-STATES, PROC-SIGNAL-WAKE (behaviour): wait_event_interruptible()
 * sleeps in TASK_INTERRUPTIBLE and any accepted signal wakes it: it
 * returns -ERESTARTSYS without the condition.
 */
static void wait_event_interruptible_is_woken_by_a_signal(struct kunit *test)
{
	struct sleeper *s = sleeper_start(test, SLEEP_INTERRUPTIBLE, true);
	unsigned int state;
	bool asleep, woke;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, s);
	asleep = sleeper_asleep_in(s, TASK_INTERRUPTIBLE);
	state = READ_ONCE(s->task->__state);
	send_sig(SIGUSR1, s->task, 1);
	woke = wait_for_completion_timeout(&s->done, 2 * HZ);
	ret = s->ret;

	KUNIT_EXPECT_TRUE(test, sleeper_finish(test, s));
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_EQ(test, state, TASK_INTERRUPTIBLE);
	KUNIT_EXPECT_TRUE(test, woke);
	KUNIT_EXPECT_EQ(test, ret, -ERESTARTSYS);
}

/*
 * PROC-STATES, PROC-SIGNAL-WAKE (behaviour): wait_event_killable() (a
 * state the notes do not list, 2.6.25) sleeps in TASK_KILLABLE
 * (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE): an ordinary signal does not
 * wake it, SIGKILL does (-ERESTARTSYS).
 */
static void wait_event_killable_is_woken_only_by_sigkill(struct kunit *test)
{
	struct sleeper *s = sleeper_start(test, SLEEP_KILLABLE, true);
	unsigned int state;
	unsigned long nvcsw;
	bool asleep, stayed, woke;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, s);
	asleep = sleeper_asleep_in(s, TASK_KILLABLE);
	state = READ_ONCE(s->task->__state);
	nvcsw = READ_ONCE(s->task->nvcsw);
	send_sig(SIGUSR1, s->task, 1);
	stayed = sleeper_still_in(s, TASK_KILLABLE, nvcsw);
	send_sig(SIGKILL, s->task, 1);
	woke = wait_for_completion_timeout(&s->done, 2 * HZ);
	ret = s->ret;

	KUNIT_EXPECT_TRUE(test, sleeper_finish(test, s));
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_EQ(test, state, TASK_KILLABLE);
	KUNIT_EXPECT_TRUE(test, stayed);
	KUNIT_EXPECT_TRUE(test, woke);
	KUNIT_EXPECT_EQ(test, ret, -ERESTARTSYS);
}

/*
 * PROC-SIGNAL-WAKE (behaviour): a kthread ignores signals unless it calls
 * allow_signal(): SIGKILL and SIGUSR1 to an interruptible sleeper that
 * did not are dropped (nothing pending) and it sleeps on.
 */
static void signal_not_allowed_does_not_wake_a_kthread(struct kunit *test)
{
	struct sleeper *s = sleeper_start(test, SLEEP_INTERRUPTIBLE, false);
	unsigned long nvcsw;
	bool asleep, stayed, pending;

	KUNIT_ASSERT_NOT_NULL(test, s);
	asleep = sleeper_asleep_in(s, TASK_INTERRUPTIBLE);
	nvcsw = READ_ONCE(s->task->nvcsw);
	send_sig(SIGUSR1, s->task, 1);
	send_sig(SIGKILL, s->task, 1);
	stayed = sleeper_still_in(s, TASK_INTERRUPTIBLE, nvcsw);
	pending = signal_pending(s->task);

	KUNIT_EXPECT_TRUE(test, sleeper_finish(test, s));
	KUNIT_EXPECT_TRUE(test, asleep);
	KUNIT_EXPECT_TRUE(test, stayed);
	KUNIT_EXPECT_FALSE(test, pending);
}

/*
 * PROC-SET-TASK-STATE (behaviour part): set_current_state() is how a
 * task sets its own state now; after it, schedule() really sleeps in
 * that state until a wake-up.
 */
static void set_current_state_then_schedule_sleeps_in_that_state(struct kunit *test)
{
	struct sleeper *s = sleeper_start(test, SLEEP_SET_CURRENT_STATE, false);
	bool asleep;

	KUNIT_ASSERT_NOT_NULL(test, s);
	asleep = sleeper_asleep_in(s, TASK_INTERRUPTIBLE);
	KUNIT_EXPECT_TRUE(test, sleeper_finish(test, s));
	KUNIT_EXPECT_TRUE(test, asleep);
}

/*
 * PROC-SET-TASK-STATE (definition): set_task_state(tsk, state) is gone
 * (4.11); set_current_state()/__set_current_state() (current only)
 * remain.
 */
static void set_task_state_is_gone(struct kunit *test)
{
	bool has_set_task_state = false, has_set_current_state = false;

#ifdef set_task_state
	has_set_task_state = true;
#endif
#ifdef set_current_state
	has_set_current_state = true;
#endif
	KUNIT_EXPECT_FALSE(test, has_set_task_state);
	KUNIT_EXPECT_TRUE(test, has_set_current_state);
}

/*
 * PROC-STATE-FIELD (definition): "volatile long state" is now
 * "unsigned int __state" (5.14), read with READ_ONCE().
 */
static void state_field_is_unsigned_int_dunder_state(struct kunit *test)
{
	struct task_struct *t = current;

	KUNIT_EXPECT_TRUE(test, __same_type(t->__state, unsigned int));
	KUNIT_EXPECT_EQ(test, sizeof(t->__state), sizeof(unsigned int));
	KUNIT_EXPECT_LT(test, sizeof(t->__state), sizeof(long));
}

static int parkable_fn(void *data)
{
	while (!kthread_should_stop()) {
		if (kthread_should_park())
			kthread_parkme();
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop() && !kthread_should_park())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/*
 * PROC-STATES (behaviour): there are more states than the notes' five:
 * a kthread parked with kthread_park() is TASK_PARKED, wait_event_idle()
 * sleeps in TASK_IDLE (uninterruptible, not counted in the load), the
 * running task is TASK_RUNNING (0), and a task that has exited is
 * TASK_DEAD with exit_state EXIT_DEAD once reaped.
 */
static void more_states_than_five(struct kunit *test)
{
	struct sleeper *s;
	struct task_struct *t;
	unsigned int parked_state, dead_state, dead_exit;
	unsigned long deadline;
	bool idle_asleep, park_ok;

	s = sleeper_start(test, SLEEP_IDLE, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	idle_asleep = sleeper_asleep_in(s, TASK_IDLE);
	KUNIT_EXPECT_TRUE(test, sleeper_finish(test, s));

	t = kthread_create(parkable_fn, NULL, "kc_park");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wake_up_process(t);
	park_ok = kthread_park(t) == 0;
	/* kthread_park() returns once the thread is inactive in TASK_PARKED */
	parked_state = READ_ONCE(t->__state);
	kthread_unpark(t);
	kthread_stop(t);
	/* kthread_stop() returns before the final schedule(): wait <= 1 s */
	deadline = jiffies + HZ;
	while ((READ_ONCE(t->__state) != TASK_DEAD ||
		READ_ONCE(t->exit_state) != EXIT_DEAD) &&
	       time_before(jiffies, deadline))
		schedule_timeout_uninterruptible(1);
	dead_state = READ_ONCE(t->__state);
	dead_exit = READ_ONCE(t->exit_state);
	put_task_struct(t);

	KUNIT_EXPECT_TRUE(test, idle_asleep);
	KUNIT_EXPECT_EQ(test, READ_ONCE(current->__state), TASK_RUNNING);
	KUNIT_EXPECT_TRUE(test, park_ok);
	KUNIT_EXPECT_EQ(test, parked_state, TASK_PARKED);
	KUNIT_EXPECT_EQ(test, dead_state, TASK_DEAD);
	KUNIT_EXPECT_EQ(test, dead_exit, EXIT_DEAD);
}

/* A child that exits with a code and a parent that reaps it. */
struct zombie_lab {
	struct completion started, go, reap, done;
	struct task_struct *child;	/* holds a reference */
	pid_t pid;
	int wait_ret, status;
};

static int zombie_child_fn(void *data)
{
	struct zombie_lab *z = data;

	z->child = get_task_struct(current);
	complete(&z->started);
	wait_for_completion_timeout(&z->go, 5 * HZ);
	do_exit(7 << 8);
}

static int zombie_parent_fn(void *data)
{
	struct zombie_lab *z = data;
	int status = 0;

	/* not SIG_IGN: an exited child waits for us as a zombie */
	kernel_sigaction(SIGCHLD, SIG_DFL);
	z->pid = kernel_thread(zombie_child_fn, z, "kc_zombie", SIGCHLD);
	if (z->pid > 0) {
		wait_for_completion_timeout(&z->reap, 8 * HZ);
		z->wait_ret = kernel_wait(z->pid, &status);
		z->status = status;
	}
	kernel_sigaction(SIGCHLD, SIG_IGN);
	complete(&z->done);
	return 0;
}

/*
 * PROC-DO-EXIT, PROC-RELEASE-TASK, PROC-STATES (behaviour): a task that
 * calls do_exit() is marked PF_EXITING, drops its mm, files and fs
 * (exit_mm/exit_files/exit_fs), becomes EXIT_ZOMBIE (the notes'
 * TASK_ZOMBIE, a name that no longer exists) and ends in TASK_DEAD;
 * its pid still names it until the parent reaps it (kernel_wait(), the
 * exit code in the status); release_task() then detaches the pid
 * (find_get_pid() fails) and the task is EXIT_DEAD.
 */
static void exited_child_is_zombie_until_reaped(struct kunit *test)
{
	struct zombie_lab *z;
	struct task_struct *p, *c;
	unsigned long deadline;
	unsigned int flags = 0, state = 0, zstate = 0, after = 0;
	bool started, files_gone = false, fs_gone = false, pid_there = false;
	bool pid_after = true, done, has_task_zombie = false;
	struct pid *pid;

#ifdef TASK_ZOMBIE
	has_task_zombie = true;
#endif
	z = kzalloc(sizeof(*z), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, z);
	init_completion(&z->started);
	init_completion(&z->go);
	init_completion(&z->reap);
	init_completion(&z->done);
	p = kthread_run(zombie_parent_fn, z, "kc_zparent");
	if (IS_ERR(p)) {
		kfree(z);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(p));
		return;
	}
	get_task_struct(p);
	started = wait_for_completion_timeout(&z->started, 2 * HZ);
	complete(&z->go);
	c = started ? z->child : NULL;
	if (c) {
		/* zombie once exit_notify() ran, TASK_DEAD after the last switch */
		deadline = jiffies + 2 * HZ;
		while ((READ_ONCE(c->exit_state) != EXIT_ZOMBIE ||
			READ_ONCE(c->__state) != TASK_DEAD) &&
		       time_before(jiffies, deadline))
			schedule_timeout_uninterruptible(1);
		zstate = READ_ONCE(c->exit_state);
		state = READ_ONCE(c->__state);
		flags = READ_ONCE(c->flags);
		task_lock(c);
		files_gone = !c->files;
		fs_gone = !c->fs;
		task_unlock(c);
		rcu_read_lock();
		pid_there = pid_task(find_vpid(z->pid), PIDTYPE_PID) == c;
		rcu_read_unlock();
	}
	complete(&z->reap);
	done = wait_for_completion_timeout(&z->done, 10 * HZ);
	if (done) {
		kthread_stop(p);
		if (c) {
			after = READ_ONCE(c->exit_state);
			pid = find_get_pid(z->pid);
			pid_after = !!pid;
			put_pid(pid);
		}
	}
	put_task_struct(p);
	if (!done) {
		KUNIT_FAIL(test, "parent did not reap within 10 s: leaking it");
		return;
	}

	KUNIT_EXPECT_FALSE(test, has_task_zombie);
	KUNIT_EXPECT_TRUE(test, started);
	KUNIT_EXPECT_GT(test, z->pid, 0);
	KUNIT_EXPECT_EQ(test, zstate, EXIT_ZOMBIE);
	KUNIT_EXPECT_EQ(test, state, TASK_DEAD);
	KUNIT_EXPECT_TRUE(test, flags & PF_EXITING);
	KUNIT_EXPECT_TRUE(test, files_gone);
	KUNIT_EXPECT_TRUE(test, fs_gone);
	KUNIT_EXPECT_TRUE(test, pid_there);
	KUNIT_EXPECT_EQ(test, z->wait_ret, z->pid);
	KUNIT_EXPECT_EQ(test, z->status, 7 << 8);
	KUNIT_EXPECT_EQ(test, after, EXIT_DEAD);
	KUNIT_EXPECT_FALSE(test, pid_after);
	if (c)
		put_task_struct(c);
	kfree(z);
}

/*
 * Reparenting: the reaper kthread R (a child subreaper) forks P; P forks
 * a thread T of its own group and a child G, then exits. Who is G's
 * parent then, and after T exits too?
 */
struct reparent_lab {
	struct completion p_ready, t_ready, g_ready, t_go, g_go, reap, done;
	struct task_struct *r, *p, *t, *g;	/* p, t, g: references held */
	pid_t p_pid, g_pid;
	int wait_g, wait_p;
};

static int reparent_thread_fn(void *data)
{
	struct reparent_lab *l = data;

	l->t = get_task_struct(current);
	complete(&l->t_ready);
	wait_for_completion_timeout(&l->t_go, 8 * HZ);
	do_exit(0);
}

static int reparent_child_fn(void *data)
{
	struct reparent_lab *l = data;

	l->g = get_task_struct(current);
	complete(&l->g_ready);
	wait_for_completion_timeout(&l->g_go, 8 * HZ);
	do_exit(0);
}

static int reparent_middle_fn(void *data)
{
	struct reparent_lab *l = data;

	l->p = get_task_struct(current);
	if (kernel_thread(reparent_thread_fn, l, "kc_rp_thread",
			  CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD) > 0)
		wait_for_completion_timeout(&l->t_ready, 2 * HZ);
	l->g_pid = kernel_thread(reparent_child_fn, l, "kc_rp_child", SIGCHLD);
	if (l->g_pid > 0)
		wait_for_completion_timeout(&l->g_ready, 2 * HZ);
	complete(&l->p_ready);
	do_exit(0);
}

static int reparent_reaper_fn(void *data)
{
	struct reparent_lab *l = data;
	int status;

	l->r = current;
	kernel_sigaction(SIGCHLD, SIG_DFL);
	/* orphans below us come to us, not to init (PR_SET_CHILD_SUBREAPER) */
	current->signal->is_child_subreaper = 1;
	l->p_pid = kernel_thread(reparent_middle_fn, l, "kc_rp_middle", SIGCHLD);
	if (l->p_pid > 0) {
		wait_for_completion_timeout(&l->reap, 12 * HZ);
		/* G exits <= 8 s after it started: both waits are bounded */
		if (l->g_pid > 0)
			l->wait_g = kernel_wait(l->g_pid, &status);
		l->wait_p = kernel_wait(l->p_pid, &status);
	}
	kernel_sigaction(SIGCHLD, SIG_IGN);
	complete(&l->done);
	return 0;
}

/* Poll (<= 2 s) until G's real_parent is @want; return what it is. */
static struct task_struct *reparent_wait_parent(struct reparent_lab *l,
						struct task_struct *want)
{
	unsigned long deadline = jiffies + 2 * HZ;
	struct task_struct *cur;

	for (;;) {
		rcu_read_lock();
		cur = rcu_dereference(l->g->real_parent);
		rcu_read_unlock();
		if (cur == want || time_after(jiffies, deadline))
			return cur;
		schedule_timeout_uninterruptible(1);
	}
}

/*
 * PROC-REPARENT (behaviour): when a parent exits, forget_original_parent()
 * hands its children to another live thread of its thread group first;
 * when the group is gone, to the nearest child-subreaper ancestor (3.4),
 * else to init. Here G goes to P's thread T, then to the subreaper R,
 * which reaps both G and the zombie leader P.
 */
static void orphan_goes_to_a_sibling_thread_then_the_subreaper(struct kunit *test)
{
	struct reparent_lab *l;
	struct task_struct *k, *first = NULL, *second = NULL;
	bool ready, done;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l);
	init_completion(&l->p_ready);
	init_completion(&l->t_ready);
	init_completion(&l->g_ready);
	init_completion(&l->t_go);
	init_completion(&l->g_go);
	init_completion(&l->reap);
	init_completion(&l->done);
	k = kthread_create(reparent_reaper_fn, l, "kc_rp_reaper");
	if (IS_ERR(k)) {
		kfree(l);
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(k));
		return;
	}
	get_task_struct(k);
	wake_up_process(k);
	ready = wait_for_completion_timeout(&l->p_ready, 4 * HZ) && l->t && l->g;
	if (ready) {
		/* P has exited (or is about to): G belongs to T */
		first = reparent_wait_parent(l, l->t);
		complete(&l->t_go);
		/* T gone too: G belongs to the subreaper R */
		second = reparent_wait_parent(l, k);
	}
	complete(&l->t_go);
	complete(&l->g_go);
	complete(&l->reap);
	done = wait_for_completion_timeout(&l->done, 25 * HZ);
	if (done)
		kthread_stop(k);
	put_task_struct(k);
	if (!done) {
		KUNIT_FAIL(test, "reaper did not finish within 25 s: leaking it");
		return;
	}

	KUNIT_EXPECT_TRUE(test, ready);
	KUNIT_EXPECT_PTR_EQ(test, first, l->t);
	KUNIT_EXPECT_PTR_EQ(test, second, k);
	KUNIT_EXPECT_EQ(test, l->wait_g, l->g_pid);
	KUNIT_EXPECT_EQ(test, l->wait_p, l->p_pid);
	if (l->p)
		put_task_struct(l->p);
	if (l->t)
		put_task_struct(l->t);
	if (l->g)
		put_task_struct(l->g);
	kfree(l);
}

static struct kunit_case kclaims_task_state_cases[] = {
	KUNIT_CASE(wait_event_is_uninterruptible_signal_does_not_wake),
	KUNIT_CASE(wait_event_interruptible_is_woken_by_a_signal),
	KUNIT_CASE(wait_event_killable_is_woken_only_by_sigkill),
	KUNIT_CASE(signal_not_allowed_does_not_wake_a_kthread),
	KUNIT_CASE(set_current_state_then_schedule_sleeps_in_that_state),
	KUNIT_CASE(set_task_state_is_gone),
	KUNIT_CASE(state_field_is_unsigned_int_dunder_state),
	KUNIT_CASE(more_states_than_five),
	KUNIT_CASE(exited_child_is_zombie_until_reaped),
	KUNIT_CASE(orphan_goes_to_a_sibling_thread_then_the_subreaper),
	{}
};

static struct kunit_suite kclaims_task_state_suite = {
	.name = "kclaims_task_state",
	.test_cases = kclaims_task_state_cases,
};

kunit_test_suite(kclaims_task_state_suite);

MODULE_DESCRIPTION("kclaims: process state claims of the notes");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about kernel threads, fork (copy_process,
 * dup_task_struct, alloc_pid, the clone flags) and the task list, checked
 * against the running kernel.
 *
 * Kernel threads are started with kthread_create()/kthread_run() (their
 * parent is kthreadd) or, to see what fork does with given clone flags,
 * with kernel_thread() from a helper kthread (the "forker"): then the
 * forker is the parent, and it reaps a child that is not a thread itself
 * with kernel_wait(), as the usermode helper does. Children record what
 * they see about themselves and end with do_exit(). Every wait is
 * bounded; a helper that does not finish in time is leaked (never freed
 * under a running thread).
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_kthread'
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/fdtable.h>
#include <linux/fs_struct.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kthread.h>
#include <linux/mm_types.h>
#include <linux/pid.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

#include "../lib/kclaims.h"

/* A kthread that counts its runs and waits for kthread_stop(). */
struct idler {
	struct completion ran;
	unsigned int runs;
	int ret;
};

static int idler_fn(void *data)
{
	struct idler *d = data;

	WRITE_ONCE(d->runs, d->runs + 1);
	complete(&d->ran);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return d->ret;
}

/*
 * PROC-KTHREAD-RUN, PROC-CHILD-STATE (behaviour): kthread_create() makes
 * a thread that has not run its function yet: it waits, in
 * TASK_UNINTERRUPTIBLE (kthread() parks itself there before telling the
 * creator), until wake_up_process(); kthread_run() is create + wake;
 * kthread_stop() makes kthread_should_stop() true and returns the
 * thread function's return value.
 */
static void kthread_create_waits_until_woken_and_stop_returns_value(struct kunit *test)
{
	struct idler *a, *b;
	struct task_struct *t, *r;
	unsigned int state_created, runs_created;
	bool ran_after_wake, run_ran;
	int stop_a, stop_b;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	init_completion(&a->ran);
	init_completion(&b->ran);
	a->ret = 4242;
	b->ret = -1234;

	t = kthread_create(idler_fn, a, "kc_created");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	/* nobody woke it: it cannot have run idler_fn */
	state_created = READ_ONCE(t->__state);
	runs_created = READ_ONCE(a->runs);
	wake_up_process(t);
	ran_after_wake = wait_for_completion_timeout(&a->ran, 2 * HZ);

	r = kthread_run(idler_fn, b, "kc_run");
	if (IS_ERR(r)) {
		kthread_stop(t);
		KUNIT_FAIL(test, "kthread_run failed: %ld", PTR_ERR(r));
		return;
	}
	run_ran = wait_for_completion_timeout(&b->ran, 2 * HZ);

	stop_a = kthread_stop(t);
	stop_b = kthread_stop(r);

	KUNIT_EXPECT_EQ(test, state_created, TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_EQ(test, runs_created, 0);
	KUNIT_EXPECT_TRUE(test, ran_after_wake);
	KUNIT_EXPECT_TRUE(test, run_ran);
	KUNIT_EXPECT_EQ(test, READ_ONCE(a->runs), 1);
	KUNIT_EXPECT_EQ(test, stop_a, 4242);
	KUNIT_EXPECT_EQ(test, stop_b, -1234);
}

/* What a kthread sees about itself, recorded from inside. */
struct self_rec {
	struct completion done;
	unsigned int flags;
	bool mm_null;
	bool active_mm_set;
	struct task_struct *real_parent;
	pid_t pid, tgid;
};

static int self_rec_fn(void *data)
{
	struct self_rec *s = data;

	s->flags = current->flags;
	s->mm_null = !current->mm;
	s->active_mm_set = !!current->active_mm;
	rcu_read_lock();
	s->real_parent = rcu_dereference(current->real_parent);
	rcu_read_unlock();
	s->pid = current->pid;
	s->tgid = current->tgid;
	complete(&s->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/*
 * PROC-KTHREADD, PROC-INIT-PARENT, PROC-KTHREAD-RUN, PROC-COPY-FLAGS
 * (behaviour): a kthread_run() thread has PF_KTHREAD and PF_FORKNOEXEC,
 * no mm of its own (mm == NULL) but a borrowed active_mm while it runs;
 * its parent is kthreadd (pid 2), whose parent is the idle task (pid 0):
 * the line of parents never passes pid 1 (init), so not every process
 * is a child of init.
 */
static void kthread_is_child_of_kthreadd_without_mm(struct kunit *test)
{
	struct self_rec *s;
	struct task_struct *t, *p;
	pid_t kthreadd_pid, kthreadd_parent_pid = -1;
	bool passes_init = false;
	int depth = 0;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	init_completion(&s->done);
	t = kthread_run(self_rec_fn, s, "kc_self");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	if (!wait_for_completion_timeout(&s->done, 2 * HZ)) {
		kthread_stop(t);
		KUNIT_FAIL(test, "kthread did not run within 2 s");
		return;
	}

	kthreadd_pid = task_pid_nr(kthreadd_task);
	rcu_read_lock();
	for (p = t; p->pid != 0 && depth < 64; depth++) {
		if (p->pid == 1)
			passes_init = true;
		p = rcu_dereference(p->real_parent);
	}
	kthreadd_parent_pid = rcu_dereference(kthreadd_task->real_parent)->pid;
	rcu_read_unlock();
	kthread_stop(t);

	KUNIT_EXPECT_TRUE(test, s->flags & PF_KTHREAD);
	KUNIT_EXPECT_TRUE(test, s->flags & PF_FORKNOEXEC);
	KUNIT_EXPECT_TRUE(test, s->mm_null);
	KUNIT_EXPECT_TRUE(test, s->active_mm_set);
	KUNIT_EXPECT_EQ(test, s->pid, s->tgid);
	KUNIT_EXPECT_PTR_EQ(test, s->real_parent, kthreadd_task);
	KUNIT_EXPECT_EQ(test, kthreadd_pid, 2);
	KUNIT_EXPECT_EQ(test, kthreadd_parent_pid, 0);
	KUNIT_EXPECT_EQ(test, depth, 2);
	KUNIT_EXPECT_FALSE(test, passes_init);
}

/* What a kernel_thread() child sees about itself. */
struct child_rec {
	struct completion done;
	struct task_struct *task;	/* holds a reference */
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	unsigned int flags;
	pid_t pid, tgid, vpid, vtgid;
	void *fs, *files, *sighand, *signal, *mm, *stack, *ti;
	bool in_parent_children;
	bool in_leader_threads;
	unsigned long stack_end;
};

static int child_rec_fn(void *data)
{
	struct child_rec *r = data;
	struct task_struct *c;

	r->task = get_task_struct(current);
	r->flags = current->flags;
	r->pid = current->pid;
	r->tgid = current->tgid;
	r->vpid = task_pid_vnr(current);
	r->vtgid = task_tgid_vnr(current);
	r->fs = current->fs;
	r->files = current->files;
	r->sighand = rcu_access_pointer(current->sighand);
	r->signal = current->signal;
	r->mm = current->mm;
	r->stack = current->stack;
	r->ti = task_thread_info(current);
	r->stack_end = *end_of_stack(current);
	r->group_leader = current->group_leader;
	read_lock(&tasklist_lock);
	r->real_parent = current->real_parent;
	list_for_each_entry(c, &current->real_parent->children, sibling)
		if (c == current)
			r->in_parent_children = true;
	for_each_thread(current->group_leader, c)
		if (c == current && c != current->group_leader)
			r->in_leader_threads = true;
	read_unlock(&tasklist_lock);
	complete(&r->done);
	do_exit(0);
}

/*
 * The forker: a kthread that forks a thread (CLONE_THREAD and friends)
 * and a process (SIGCHLD only) with kernel_thread() and reaps them.
 */
struct forker {
	struct completion done;
	struct child_rec thr, proc;
	unsigned int flags_at_fork;
	pid_t pid;
	void *fs, *files, *sighand, *signal, *stack;
	pid_t thr_pid, proc_pid;
	bool thr_ran, proc_ran, thr_gone;
	int wait_ret, wait_status;
};

static int forker_fn(void *data)
{
	struct forker *f = data;
	unsigned int superpriv = current->flags & PF_SUPERPRIV;
	unsigned long deadline;
	int status = 0;

	f->pid = current->pid;
	f->fs = current->fs;
	f->files = current->files;
	f->sighand = rcu_access_pointer(current->sighand);
	f->signal = current->signal;
	f->stack = current->stack;

	/* not SIG_IGN: the process child stays a zombie for kernel_wait() */
	kernel_sigaction(SIGCHLD, SIG_DFL);
	/* copy_process() must clear this in the children */
	current->flags |= PF_SUPERPRIV;
	f->flags_at_fork = current->flags;
	f->thr_pid = kernel_thread(child_rec_fn, &f->thr, "kc_thread",
				   CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				   CLONE_THREAD);
	f->proc_pid = kernel_thread(child_rec_fn, &f->proc, "kc_proc",
				    SIGCHLD);
	current->flags = (current->flags & ~PF_SUPERPRIV) | superpriv;

	if (f->thr_pid > 0)
		f->thr_ran = wait_for_completion_timeout(&f->thr.done, 2 * HZ);
	if (f->proc_pid > 0) {
		f->proc_ran = wait_for_completion_timeout(&f->proc.done, 2 * HZ);
		/* the child exits right after completing: bounded */
		f->wait_ret = kernel_wait(f->proc_pid, &status);
		f->wait_status = status;
	}
	/* a thread is reaped on its own exit; wait (<= 2 s) until it is */
	deadline = jiffies + 2 * HZ;
	while (f->thr_ran && f->thr.task &&
	       READ_ONCE(f->thr.task->exit_state) != EXIT_DEAD &&
	       time_before(jiffies, deadline))
		schedule_timeout_uninterruptible(1);
	f->thr_gone = f->thr.task &&
		      READ_ONCE(f->thr.task->exit_state) == EXIT_DEAD;
	kernel_sigaction(SIGCHLD, SIG_IGN);
	complete(&f->done);
	return 0;
}

static void forker_free(struct forker *f)
{
	if (f->thr.task)
		put_task_struct(f->thr.task);
	if (f->proc.task)
		put_task_struct(f->proc.task);
	kfree(f);
}

/* Run a forker to the end (<= 8 s). NULL (and a failure) if it did not end. */
static struct forker *forker_run(struct kunit *test)
{
	struct forker *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct task_struct *t;
	bool done;

	if (!f)
		return NULL;
	init_completion(&f->done);
	init_completion(&f->thr.done);
	init_completion(&f->proc.done);
	t = kthread_create(forker_fn, f, "kc_forker");
	if (IS_ERR(t)) {
		kfree(f);
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(t));
		return NULL;
	}
	get_task_struct(t);
	wake_up_process(t);
	done = wait_for_completion_timeout(&f->done, 8 * HZ);
	if (done)
		kthread_stop(t);
	put_task_struct(t);
	if (!done) {
		KUNIT_FAIL(test, "forker did not finish in 8 s: leaking it");
		return NULL;
	}
	return f;
}

/*
 * PROC-CLONE-SHARE, PROC-THREAD-CLONE-FLAGS, PROC-NO-THREAD-DISTINCTION,
 * PROC-COPY-FLAGS, PROC-ALLOC-PID, PROC-FAMILY-LINKS (behaviour): the
 * clone flags decide what is shared. A CLONE_FS|CLONE_FILES|
 * CLONE_SIGHAND|CLONE_THREAD child uses its parent's fs_struct,
 * files_struct, sighand and signal, and is a thread: a task_struct of
 * its own with its own pid but the parent's tgid, on the leader's
 * thread list. A SIGCHLD-only child gets copies of all four and its own
 * tgid, and is on its parent's children list (sibling links) until it
 * is reaped. Both have PF_FORKNOEXEC set and the parent's PF_SUPERPRIV
 * cleared (copy_process()), each a fresh pid.
 */
static void kernel_thread_clone_flags_share_or_copy(struct kunit *test)
{
	struct forker *f = forker_run(test);

	if (!f)
		return;

	KUNIT_EXPECT_GT(test, f->thr_pid, 0);
	KUNIT_EXPECT_GT(test, f->proc_pid, 0);
	KUNIT_EXPECT_TRUE(test, f->thr_ran);
	KUNIT_EXPECT_TRUE(test, f->proc_ran);
	if (!f->thr_ran || !f->proc_ran)
		goto out;

	/* the thread: shares everything named, a tgid but not a pid */
	KUNIT_EXPECT_PTR_EQ(test, f->thr.fs, f->fs);
	KUNIT_EXPECT_PTR_EQ(test, f->thr.files, f->files);
	KUNIT_EXPECT_PTR_EQ(test, f->thr.sighand, f->sighand);
	KUNIT_EXPECT_PTR_EQ(test, f->thr.signal, f->signal);
	KUNIT_EXPECT_EQ(test, f->thr.pid, f->thr_pid);
	KUNIT_EXPECT_NE(test, f->thr.pid, f->pid);
	KUNIT_EXPECT_EQ(test, f->thr.tgid, f->pid);
	KUNIT_EXPECT_EQ(test, f->thr.vtgid, f->pid);
	KUNIT_EXPECT_EQ(test, f->thr.vpid, f->thr_pid);
	KUNIT_EXPECT_EQ(test, f->thr.group_leader->pid, f->pid);
	KUNIT_EXPECT_TRUE(test, f->thr.in_leader_threads);
	KUNIT_EXPECT_TRUE(test, f->thr_gone);

	/* the process: copies, its own tgid, the forker's child */
	KUNIT_EXPECT_PTR_NE(test, f->proc.fs, f->fs);
	KUNIT_EXPECT_PTR_NE(test, f->proc.files, f->files);
	KUNIT_EXPECT_PTR_NE(test, f->proc.sighand, f->sighand);
	KUNIT_EXPECT_PTR_NE(test, f->proc.signal, f->signal);
	KUNIT_EXPECT_EQ(test, f->proc.pid, f->proc_pid);
	KUNIT_EXPECT_EQ(test, f->proc.tgid, f->proc_pid);
	KUNIT_EXPECT_EQ(test, f->proc.real_parent->pid, f->pid);
	KUNIT_EXPECT_TRUE(test, f->proc.in_parent_children);
	KUNIT_EXPECT_FALSE(test, f->proc.in_leader_threads);
	KUNIT_EXPECT_EQ(test, f->wait_ret, f->proc_pid);
	KUNIT_EXPECT_EQ(test, f->wait_status, 0);

	/* copy_process()'s flag handling, against the forker's flags */
	KUNIT_EXPECT_TRUE(test, f->flags_at_fork & PF_SUPERPRIV);
	KUNIT_EXPECT_FALSE(test, f->thr.flags & PF_SUPERPRIV);
	KUNIT_EXPECT_FALSE(test, f->proc.flags & PF_SUPERPRIV);
	KUNIT_EXPECT_TRUE(test, f->thr.flags & PF_FORKNOEXEC);
	KUNIT_EXPECT_TRUE(test, f->proc.flags & PF_FORKNOEXEC);
	KUNIT_EXPECT_TRUE(test, f->thr.flags & PF_KTHREAD);
	KUNIT_EXPECT_NE(test, f->thr_pid, f->proc_pid);
out:
	forker_free(f);
}

/*
 * PROC-DUP-TASK (behaviour; arch): dup_task_struct() gives the child a
 * task_struct and a kernel stack of its own, with STACK_END_MAGIC at the
 * stack's end. Where thread_info lives differs by arch: without
 * THREAD_INFO_IN_TASK (UML) it is a new copy at the base of the child's
 * stack, as in 2.6; with it (x86) it is the first member of task_struct.
 */
static void dup_task_struct_gives_new_task_stack_and_thread_info(struct kunit *test)
{
	struct forker *f = forker_run(test);

	if (!f)
		return;
	KUNIT_EXPECT_TRUE(test, f->proc_ran);
	if (!f->proc_ran)
		goto out;

	KUNIT_EXPECT_PTR_NE(test, f->proc.task, current);
	KUNIT_EXPECT_PTR_NE(test, f->proc.stack, f->stack);
	KUNIT_EXPECT_PTR_NE(test, f->thr.stack, f->stack);
	KUNIT_EXPECT_PTR_NE(test, f->thr.stack, f->proc.stack);
	KUNIT_EXPECT_EQ(test, f->proc.stack_end, (unsigned long)STACK_END_MAGIC);
	KUNIT_EXPECT_EQ(test, f->thr.stack_end, (unsigned long)STACK_END_MAGIC);
	if (IS_ENABLED(CONFIG_THREAD_INFO_IN_TASK)) {
		KUNIT_EXPECT_PTR_EQ(test, f->proc.ti, (void *)f->proc.task);
	} else {
		KUNIT_EXPECT_PTR_EQ(test, f->proc.ti, f->proc.stack);
		KUNIT_EXPECT_PTR_NE(test, f->proc.ti, (void *)f->proc.task);
	}
out:
	forker_free(f);
}

/*
 * PROC-TASKLIST-CIRC, PROC-FAMILY-LINKS (behaviour): every task is on
 * one circular, doubly linked list anchored at init_task.tasks: walking
 * ->next from init_task comes back to it, every node's ->next->prev is
 * the node, the walk backwards sees as many tasks, and a new kthread is
 * near the tail (fork appends). It is also on kthreadd's children list
 * through its sibling node, and real_parent points back.
 */
static void task_list_is_circular_and_anchored_at_init_task(struct kunit *test)
{
	struct idler *d;
	struct task_struct *t, *c;
	struct list_head *pos;
	int fwd = 0, bwd = 0, from_tail = -1, limit = 100000;
	bool found_fwd = false, links_ok = true, closed_fwd, closed_bwd;
	bool in_children = false, parent_ok;

	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	init_completion(&d->ran);
	t = kthread_run(idler_fn, d, "kc_listed");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	read_lock(&tasklist_lock);
	for (pos = init_task.tasks.next; pos != &init_task.tasks && fwd < limit;
	     pos = pos->next) {
		fwd++;
		if (pos->next->prev != pos)
			links_ok = false;
		if (pos == &t->tasks)
			found_fwd = true;
	}
	closed_fwd = pos == &init_task.tasks;
	for (pos = init_task.tasks.prev; pos != &init_task.tasks && bwd < limit;
	     pos = pos->prev) {
		bwd++;
		if (pos == &t->tasks)
			from_tail = bwd;
	}
	closed_bwd = pos == &init_task.tasks;
	list_for_each_entry(c, &kthreadd_task->children, sibling)
		if (c == t)
			in_children = true;
	parent_ok = t->real_parent == kthreadd_task;
	read_unlock(&tasklist_lock);

	kthread_stop(t);

	kunit_info(test, "%d tasks; the new kthread is number %d from the tail\n",
		   fwd, from_tail);
	KUNIT_EXPECT_TRUE(test, closed_fwd);
	KUNIT_EXPECT_TRUE(test, closed_bwd);
	KUNIT_EXPECT_TRUE(test, links_ok);
	KUNIT_EXPECT_EQ(test, fwd, bwd);
	KUNIT_EXPECT_TRUE(test, found_fwd);
	/* only tasks forked after it (a few kworkers at most) follow it */
	KUNIT_EXPECT_GE(test, from_tail, 1);
	KUNIT_EXPECT_LE(test, from_tail, 4);
	KUNIT_EXPECT_GT(test, fwd, 8);
	KUNIT_EXPECT_TRUE(test, in_children);
	KUNIT_EXPECT_TRUE(test, parent_ok);
}

/* Wait (<= 1 s) until @nr no longer names a task. */
static bool pid_gone(pid_t nr)
{
	unsigned long deadline = jiffies + HZ;
	struct pid *p;

	for (;;) {
		p = find_get_pid(nr);
		put_pid(p);
		if (!p)
			return true;
		if (time_after(jiffies, deadline))
			return false;
		schedule_timeout_uninterruptible(1);
	}
}

/*
 * PROC-ALLOC-PID (behaviour): alloc_pid() gives each new task a number
 * no live task has, and find_vpid() maps it back to the task; once the
 * task is reaped its number is free, yet the next task does not get it:
 * allocation is cyclic (idr_alloc_cyclic), numbers keep growing until
 * pid_max.
 */
static void alloc_pid_gives_fresh_numbers_cyclically(struct kunit *test)
{
	struct idler *d;
	struct task_struct *a, *b, *found;
	pid_t pa, pb;
	bool gone;

	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	init_completion(&d->ran);

	a = kthread_run(idler_fn, d, "kc_pid_a");
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	pa = task_pid_nr(a);
	kthread_stop(a);
	/* kthread_stop() returns before release_task() frees the number */
	gone = pid_gone(pa);

	b = kthread_run(idler_fn, d, "kc_pid_b");
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	pb = task_pid_nr(b);
	rcu_read_lock();
	found = pid_task(find_vpid(pb), PIDTYPE_PID);
	rcu_read_unlock();
	kthread_stop(b);

	KUNIT_EXPECT_TRUE(test, gone);
	KUNIT_EXPECT_GT(test, pa, 1);
	KUNIT_EXPECT_PTR_EQ(test, found, b);
	KUNIT_EXPECT_NE(test, pb, pa);
	KUNIT_EXPECT_GT(test, pb, pa);
}

/* sched_process_fork fires after copy_process(), before wake_up_new_task(). */
struct fork_watch {
	unsigned int seen;
	unsigned int not_new;
	unsigned int last_state;
};

static void fork_watch_probe(void *data, struct task_struct *parent,
			     struct task_struct *child)
{
	struct fork_watch *w = data;

	/* tracepoint context: record only */
	w->last_state = READ_ONCE(child->__state);
	if (w->last_state != TASK_NEW)
		w->not_new++;
	w->seen++;
}

static void fork_watch_unregister(void *data)
{
	unregister_trace_sched_process_fork(fork_watch_probe, data);
	tracepoint_synchronize_unregister();
}

/*
 * PROC-CHILD-STATE (behaviour): the notes' copy_process() leaves the
 * child TASK_UNINTERRUPTIBLE; since 4.8 sched_fork() puts it in TASK_NEW
 * (no wake-up can reach it) until wake_up_new_task(). Seen with the
 * sched_process_fork tracepoint, which fires between the two.
 */
static void forked_child_is_task_new_until_woken(struct kunit *test)
{
	struct fork_watch *w;
	struct idler *d;
	struct task_struct *t;
	unsigned int seen, not_new;
	int ret;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, d);
	init_completion(&d->ran);

	ret = register_trace_sched_process_fork(fork_watch_probe, w);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fork_watch_unregister, w));

	t = kthread_run(idler_fn, d, "kc_new");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_stop(t);
	kunit_release_action(test, fork_watch_unregister, w);
	seen = READ_ONCE(w->seen);
	not_new = READ_ONCE(w->not_new);

	KUNIT_EXPECT_GE(test, seen, 1);
	KUNIT_EXPECT_EQ(test, not_new, 0);
}

struct preempt_probe {
	struct completion ran;
	bool has_run;
};

static int preempt_probe_fn(void *data)
{
	struct preempt_probe *p = data;

	WRITE_ONCE(p->has_run, true);
	complete(&p->ran);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/*
 * PROC-PROCESS-CONTEXT (behaviour): code running for a task (process
 * context) has current pointing at that task, may sleep (msleep() is a
 * voluntary switch), and may be preempted: with PREEMPT, waking a
 * real-time kthread switches to it before wake_up_process() returns to
 * us (an involuntary switch of ours) on one CPU.
 */
static void process_context_may_sleep_and_be_preempted(struct kunit *test)
{
	struct kclaims_ctx_obs obs = {};
	struct preempt_probe *p;
	struct task_struct *t;
	unsigned long nvcsw0, nivcsw0, nivcsw1;
	bool ran_at_once, ran, task_ok, preemptible_now;

	kclaims_observe(&obs);
	task_ok = obs.task == current && obs.pid == current->pid &&
		  obs.in_task && !obs.in_interrupt && !obs.irqs_disabled;
	preemptible_now = preemptible();

	nvcsw0 = current->nvcsw;
	msleep(20);
	KUNIT_EXPECT_GT(test, current->nvcsw, nvcsw0);
	KUNIT_EXPECT_TRUE(test, task_ok);

	if (!IS_ENABLED(CONFIG_PREEMPTION))
		kunit_skip(test, "needs CONFIG_PREEMPT (UML kunitconfig)");
	KUNIT_EXPECT_TRUE(test, preemptible_now);

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	init_completion(&p->ran);
	t = kthread_create(preempt_probe_fn, p, "kc_rt");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	sched_set_fifo_low(t);
	/* stay on this CPU: on SMP the wake-up could go to another one */
	migrate_disable();
	kthread_bind(t, smp_processor_id());
	nivcsw0 = current->nivcsw;
	wake_up_process(t);
	ran_at_once = READ_ONCE(p->has_run);
	nivcsw1 = current->nivcsw;
	migrate_enable();
	ran = wait_for_completion_timeout(&p->ran, 2 * HZ);
	kthread_stop(t);

	KUNIT_EXPECT_TRUE(test, ran);
	KUNIT_EXPECT_TRUE(test, ran_at_once);
	KUNIT_EXPECT_GT(test, nivcsw1, nivcsw0);
}

/*
 * PROC-TASKSTRUCT-SIZE (definition): task_struct is far larger than the
 * notes' 1.7 KB (32-bit 2.6); its size depends on the configuration
 * (debug options, FPU state on x86 via arch_task_struct_size).
 */
static void task_struct_is_larger_than_1_7_kb(struct kunit *test)
{
	kunit_info(test, "sizeof(struct task_struct) = %zu, allocated %u\n",
		   sizeof(struct task_struct),
		   (unsigned int)arch_task_struct_size);
	KUNIT_EXPECT_GT(test, sizeof(struct task_struct), 1741);
	KUNIT_EXPECT_GE(test, (size_t)arch_task_struct_size,
			sizeof(struct task_struct));
}

/*
 * PROC-FORK-PATH (definition): the notes' do_fork() was renamed
 * kernel_clone() in 5.10 (and _do_fork() before it is gone too);
 * copy_process() still does the work. Read from the kernel's own symbol
 * table (kallsyms), so a function that exists under another name does
 * not count.
 */
static void do_fork_is_now_kernel_clone(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_KALLSYMS))
		kunit_skip(test, "needs CONFIG_KALLSYMS (UML kunitconfig)");
	KUNIT_EXPECT_EQ(test, kallsyms_lookup_name("do_fork"), 0);
	KUNIT_EXPECT_EQ(test, kallsyms_lookup_name("_do_fork"), 0);
	KUNIT_EXPECT_NE(test, kallsyms_lookup_name("kernel_clone"), 0);
	KUNIT_EXPECT_EQ(test, kallsyms_lookup_name("kernel_clone"),
			(unsigned long)kernel_clone);
	KUNIT_EXPECT_NE(test, kallsyms_lookup_name("copy_process"), 0);
}

static struct kunit_case kclaims_kthread_cases[] = {
	KUNIT_CASE(kthread_create_waits_until_woken_and_stop_returns_value),
	KUNIT_CASE(kthread_is_child_of_kthreadd_without_mm),
	KUNIT_CASE(kernel_thread_clone_flags_share_or_copy),
	KUNIT_CASE(dup_task_struct_gives_new_task_stack_and_thread_info),
	KUNIT_CASE(task_list_is_circular_and_anchored_at_init_task),
	KUNIT_CASE(alloc_pid_gives_fresh_numbers_cyclically),
	KUNIT_CASE(forked_child_is_task_new_until_woken),
	KUNIT_CASE(process_context_may_sleep_and_be_preempted),
	KUNIT_CASE(task_struct_is_larger_than_1_7_kb),
	KUNIT_CASE(do_fork_is_now_kernel_clone),
	{}
};

static struct kunit_suite kclaims_kthread_suite = {
	.name = "kclaims_kthread",
	.test_cases = kclaims_kthread_cases,
};

kunit_test_suite(kclaims_kthread_suite);

MODULE_DESCRIPTION("kclaims: kthread, fork and task list claims of the notes");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about real-time scheduling (SCHED_FIFO,
 * SCHED_RR, RT priorities) checked against the running kernel.
 *
 * Who runs first is recorded by the threads themselves (a sequence
 * number taken when each starts); the test queues them all with
 * preemption disabled, so none runs before all are runnable, and the
 * scheduler's choice shows at preempt_enable(). Rotation is recorded by
 * two CPU-bound RT threads bound to one CPU that note every change of
 * "who ran last" with a timestamp. An RT hog starves the test thread
 * (one CPU), so each hog stops by itself after a CPU-time budget of a
 * few hundred ms (well inside the RT throttling budget of 950 ms/s),
 * and every wait has a timeout.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_rt'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sched/rt.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <uapi/linux/sched/types.h>

/* sched.h uses task_cpu_possible() (SMP) without including its header */
#include <linux/mmu_context.h>
#include <../kernel/sched/sched.h>

#include "../lib/kclaims.h"

/* Sleep until kthread_stop(). */
static void rt_park(void)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
	}
}

static int idle_fn(void *unused)
{
	rt_park();
	return 0;
}

#define NTHR 3

struct order {
	atomic_t seq;
	int at[NTHR];			/* sequence number when thread i ran */
	struct completion done;		/* once per thread that ran */
	struct task_struct *t[NTHR];
	int n;
};

struct order_arg {
	struct order *o;
	int i;
};

static struct order_arg order_args[NTHR];

static int order_fn(void *data)
{
	struct order_arg *a = data;

	WRITE_ONCE(a->o->at[a->i], atomic_inc_return(&a->o->seq));
	complete(&a->o->done);
	rt_park();
	return 0;
}

static void order_stop(void *data)
{
	struct order *o = data;
	int i;

	for (i = 0; i < o->n; i++) {
		kthread_stop(o->t[i]);
		put_task_struct(o->t[i]);
	}
	o->n = 0;
}

/*
 * Create NTHR-or-fewer recorder threads, bound to this CPU, with policy
 * @policy[i] (SCHED_NORMAL at nice 0, or SCHED_FIFO at @prio[i]); not
 * started yet.
 */
static struct order *order_create(struct kunit *test, int n, const int *policy,
				  const int *prio)
{
	struct order *o;
	int i;

	o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	init_completion(&o->done);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, order_stop, o), 0);
	for (i = 0; i < n; i++) {
		struct sched_param sp = { .sched_priority = prio[i] };
		struct task_struct *t;

		order_args[i].o = o;
		order_args[i].i = i;
		t = kthread_create(order_fn, &order_args[i], "kc_rt_order%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		get_task_struct(t);
		o->t[i] = t;
		o->n = i + 1;
		kthread_bind(t, raw_smp_processor_id());
		if (policy[i] != SCHED_NORMAL)
			KUNIT_ASSERT_EQ(test, sched_setscheduler_nocheck(t, policy[i], &sp), 0);
	}
	return o;
}

static int order_wait(struct order *o)
{
	int i, got = 0;

	for (i = 0; i < o->n; i++)
		if (wait_for_completion_timeout(&o->done, 2 * HZ))
			got++;
	return got;
}

/*
 * SCHED-RT-PRIO: RT priorities are 1..99 for SCHED_FIFO/SCHED_RR
 * (MAX_RT_PRIO 100; 0 belongs to the normal policies), and the kernel's
 * internal prio is inverted: prio = MAX_RT_PRIO - 1 - rt_priority, so a
 * larger rt_priority is a higher priority. sched_set_fifo() picks 50.
 */
static void rt_priorities_run_from_1_to_99(struct kunit *test)
{
	struct sched_param sp;
	struct task_struct *t;

	KUNIT_EXPECT_EQ(test, MAX_RT_PRIO, 100);
	t = kthread_create(idle_fn, NULL, "kc_rt_prio");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	sp.sched_priority = 99;
	KUNIT_EXPECT_EQ(test, sched_setscheduler_nocheck(t, SCHED_FIFO, &sp), 0);
	KUNIT_EXPECT_EQ(test, t->rt_priority, 99U);
	KUNIT_EXPECT_EQ(test, t->prio, 0);
	KUNIT_EXPECT_TRUE(test, rt_task(t));

	sp.sched_priority = 1;
	KUNIT_EXPECT_EQ(test, sched_setscheduler_nocheck(t, SCHED_RR, &sp), 0);
	KUNIT_EXPECT_EQ(test, t->rt_priority, 1U);
	KUNIT_EXPECT_EQ(test, t->prio, 98);
	KUNIT_EXPECT_EQ(test, t->policy, (unsigned int)SCHED_RR);

	sp.sched_priority = 100;
	KUNIT_EXPECT_EQ(test, sched_setscheduler_nocheck(t, SCHED_FIFO, &sp), -EINVAL);
	sp.sched_priority = 0;
	KUNIT_EXPECT_EQ(test, sched_setscheduler_nocheck(t, SCHED_FIFO, &sp), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->rt_priority, 1U);

	sched_set_fifo(t);
	KUNIT_EXPECT_EQ(test, t->rt_priority, (unsigned int)MAX_RT_PRIO / 2);
	KUNIT_EXPECT_EQ(test, t->policy, (unsigned int)SCHED_FIFO);

	sp.sched_priority = 0;
	KUNIT_EXPECT_EQ(test, sched_setscheduler_nocheck(t, SCHED_NORMAL, &sp), 0);
	KUNIT_EXPECT_EQ(test, t->prio, DEFAULT_PRIO);
	KUNIT_EXPECT_FALSE(test, rt_task(t));
	kthread_stop(t);
}

/*
 * SCHED-RT-PRIO: a larger rt_priority runs first: FIFO threads at 10,
 * 50 and 90, queued in that order, run 90, 50, 10.
 */
static void higher_rt_priority_runs_first(struct kunit *test)
{
	static const int policy[NTHR] = { SCHED_FIFO, SCHED_FIFO, SCHED_FIFO };
	static const int prio[NTHR] = { 10, 50, 90 };
	struct order *o = order_create(test, NTHR, policy, prio);
	int i, got;

	preempt_disable();
	for (i = 0; i < NTHR; i++)
		wake_up_process(o->t[i]);
	preempt_enable();
	got = order_wait(o);

	KUNIT_EXPECT_EQ(test, got, NTHR);
	KUNIT_EXPECT_EQ(test, READ_ONCE(o->at[2]), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(o->at[1]), 2);
	KUNIT_EXPECT_EQ(test, READ_ONCE(o->at[0]), 3);
}

/*
 * SCHED-RT-ABOVE-NORMAL, SCHED-NEED-RESCHED: a SCHED_FIFO thread runs
 * before a SCHED_NORMAL one when both are runnable (the normal one was
 * queued first), and before the (normal) test thread: waking it sets
 * TIF_NEED_RESCHED in the test thread's thread_info flags (need_resched()
 * reads it), and the switch happens at the next preemption point, the
 * preempt_enable(), not later.
 */
static void fifo_thread_runs_before_normal_ones(struct kunit *test)
{
	static const int policy[2] = { SCHED_NORMAL, SCHED_FIFO };
	static const int prio[2] = { 0, 1 };
	struct order *o = order_create(test, 2, policy, prio);
	bool nr, tif, ran_before, ran_after;
	int got;

	preempt_disable();
	wake_up_process(o->t[0]);
	wake_up_process(o->t[1]);
	nr = need_resched();
	tif = test_ti_thread_flag(task_thread_info(current), TIF_NEED_RESCHED);
	ran_before = READ_ONCE(o->at[1]) != 0;
	preempt_enable();
	ran_after = READ_ONCE(o->at[1]) != 0;
	got = order_wait(o);

	KUNIT_EXPECT_TRUE(test, nr);
	KUNIT_EXPECT_TRUE(test, tif);
	KUNIT_EXPECT_FALSE(test, ran_before);
	KUNIT_EXPECT_TRUE(test, ran_after);
	KUNIT_EXPECT_EQ(test, got, 2);
	KUNIT_EXPECT_EQ(test, READ_ONCE(o->at[1]), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(o->at[0]), 2);
}

#define MAXSW 64

struct rot {
	u64 budget_ns;
	int last;			/* thread that ran last, -1 before any */
	int switches;
	ktime_t sw_at[MAXSW];
	struct completion done;
	struct task_struct *t[2];
};

struct rot_arg {
	struct rot *r;
	int i;
};

static struct rot_arg rot_args[2];

/*
 * Burn @budget_ns of CPU (time between two looks at the clock counts only
 * if under 20 ms: a longer gap is time the thread did not run, the other
 * thread's turn being 100 ms; a shorter one may be the host stalling UML,
 * which happens on a loaded machine and must not stretch the work), noting
 * every change of the thread that ran last. Only the running thread
 * touches struct rot, with preemption off, on one CPU.
 */
static int rot_fn(void *data)
{
	struct rot_arg *a = data;
	struct rot *r = a->r;
	ktime_t prev = ktime_get();
	u64 ran = 0;
	int i;

	while (ran < r->budget_ns && !kthread_should_stop()) {
		ktime_t now;
		s64 d;

		preempt_disable();
		for (i = 0; i < 200; i++)
			cpu_relax();
		if (r->last != a->i) {
			if (r->last >= 0 && r->switches < MAXSW)
				r->sw_at[r->switches++] = ktime_get();
			r->last = a->i;
		}
		preempt_enable();
		now = ktime_get();
		d = ktime_to_ns(ktime_sub(now, prev));
		if (d > 0 && d < 20 * NSEC_PER_MSEC)
			ran += d;
		prev = now;
	}
	complete(&r->done);
	rt_park();
	return 0;
}

static void rot_stop(void *data)
{
	struct rot *r = data;
	int i;

	for (i = 0; i < 2; i++) {
		if (!r->t[i])
			continue;
		kthread_stop(r->t[i]);
		put_task_struct(r->t[i]);
		r->t[i] = NULL;
	}
}

/*
 * Two @policy threads at RT priority 10, each burning @budget_ms of CPU;
 * both queued before either runs. Returns the number of switches between
 * them; @med_ms gets the median time between two switches.
 */
static int rotation(struct kunit *test, int policy, unsigned int budget_ms,
		    s64 *med_ms)
{
	struct sched_param sp = { .sched_priority = 10 };
	s64 gaps[MAXSW];
	struct rot *r;
	int i, got = 0;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->budget_ns = (u64)budget_ms * NSEC_PER_MSEC;
	r->last = -1;
	init_completion(&r->done);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, rot_stop, r), 0);
	for (i = 0; i < 2; i++) {
		struct task_struct *t;

		rot_args[i].r = r;
		rot_args[i].i = i;
		t = kthread_create(rot_fn, &rot_args[i], "kc_rt_rot%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		get_task_struct(t);
		r->t[i] = t;
		kthread_bind(t, raw_smp_processor_id());
		KUNIT_ASSERT_EQ(test, sched_setscheduler_nocheck(t, policy, &sp), 0);
	}
	preempt_disable();
	wake_up_process(r->t[0]);
	wake_up_process(r->t[1]);
	preempt_enable();
	for (i = 0; i < 2; i++)
		if (wait_for_completion_timeout(&r->done, 5 * HZ))
			got++;
	rot_stop(r);
	KUNIT_ASSERT_EQ(test, got, 2);

	for (i = 0; i + 1 < r->switches; i++)
		gaps[i] = ktime_ms_delta(r->sw_at[i + 1], r->sw_at[i]);
	*med_ms = r->switches > 1 ? kclaims_median_s64(gaps, r->switches - 1) : -1;
	kunit_info(test, "%s: %d switches, median %lld ms between them\n",
		   policy == SCHED_RR ? "SCHED_RR" : "SCHED_FIFO", r->switches, *med_ms);
	return r->switches;
}

/*
 * SCHED-FIFO-RR: SCHED_FIFO never rotates: of two FIFO threads of the
 * same priority, the first runs its whole 150 ms (longer than an RR
 * timeslice) and only then the second: exactly one switch.
 */
static void fifo_runs_until_done_without_rotating(struct kunit *test)
{
	s64 med;
	int sw = rotation(test, SCHED_FIFO, 150, &med);

	KUNIT_EXPECT_EQ(test, sw, 1);
}

/*
 * SCHED-FIFO-RR: SCHED_RR rotates every timeslice (sched_rr_timeslice,
 * RR_TIMESLICE = 100 ms, counted in ticks): two RR threads of the same
 * priority with 250 ms of work each alternate about every 100 ms:
 * A B A B A B, 5 switches. At least 4 are asked; at most 20 (a loaded
 * host stalls UML, which stretches the work over more slices, as one run
 * with 9 switches showed); the timeslice itself is the median time
 * between switches: 100 ms (60..140: tick granularity and host stalls;
 * a 10 ms timeslice would give ~10).
 */
static void rr_rotates_every_timeslice(struct kunit *test)
{
	s64 med;
	int sw;

	KUNIT_EXPECT_EQ(test, sched_rr_timeslice, (int)msecs_to_jiffies(100));
	KUNIT_EXPECT_EQ(test, RR_TIMESLICE, (100 * HZ / 1000));
	sw = rotation(test, SCHED_RR, 250, &med);
	KUNIT_EXPECT_GE(test, sw, 4);
	KUNIT_EXPECT_LE(test, sw, 20);
	KUNIT_EXPECT_GE(test, med, 60LL);
	KUNIT_EXPECT_LE(test, med, 140LL);
}

/* A FIFO thread woken from hardirq context; notes when it ran. */
struct kpre {
	struct hrtimer t;
	struct completion go, done;
	struct task_struct *task;
	bool ran;
	ktime_t fired_at, ran_at;
};

static int kpre_fn(void *data)
{
	struct kpre *k = data;

	if (wait_for_completion_timeout(&k->go, 5 * HZ)) {
		k->ran_at = ktime_get();
		WRITE_ONCE(k->ran, true);
	}
	complete(&k->done);
	rt_park();
	return 0;
}

static enum hrtimer_restart kpre_fire(struct hrtimer *t)
{
	struct kpre *k = container_of(t, struct kpre, t);

	k->fired_at = ktime_get();
	complete(&k->go);
	return HRTIMER_NORESTART;
}

static void kpre_stop(void *data)
{
	struct kpre *k = data;

	hrtimer_cancel(&k->t);
	complete(&k->go);
	kthread_stop(k->task);
	put_task_struct(k->task);
}

/*
 * SCHED-KERNEL-PREEMPT: with CONFIG_PREEMPT kernel code is preemptible,
 * but where it is preempted depends on the architecture. The test
 * thread spins 100 ms in kernel code with no preemption point of its own
 * (no preempt_enable(), no cond_resched(), no sleep); an hrtimer 5 ms in
 * wakes a SCHED_FIFO thread, which sets TIF_NEED_RESCHED on the spinner.
 * x86 preempts on the interrupt's return path (irqentry_exit ->
 * preempt_schedule_irq): the FIFO thread runs inside the spin, within
 * 20 ms of the interrupt. UML has no such path (arch/um returns from its
 * signal handler without preempting): the FIFO thread waits for the
 * spinner's next preemption point, which here is a preempt_enable() just
 * after the spin, and runs exactly there.
 */
static void kernel_code_is_preempted_at_interrupt_return_or_next_point(struct kunit *test)
{
	struct kpre *k;
	ktime_t t0;
	bool ran_in_spin = false, ran_before_point, ran_after_point;

	if (!IS_ENABLED(CONFIG_PREEMPTION))
		kunit_skip(test, "needs CONFIG_PREEMPT (the kunitconfig sets it)");
	k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, k);
	init_completion(&k->go);
	init_completion(&k->done);
	hrtimer_init(&k->t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	k->t.function = kpre_fire;
	k->task = kthread_create(kpre_fn, k, "kc_rt_kpre");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k->task));
	get_task_struct(k->task);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kpre_stop, k), 0);
	kthread_bind(k->task, raw_smp_processor_id());
	sched_set_fifo_low(k->task);
	wake_up_process(k->task);

	hrtimer_start(&k->t, ms_to_ktime(5), HRTIMER_MODE_REL_HARD);
	t0 = ktime_get();
	while (ktime_ms_delta(ktime_get(), t0) < 100) {
		if (READ_ONCE(k->ran))
			ran_in_spin = true;
		cpu_relax();
	}
	ran_before_point = READ_ONCE(k->ran);
	preempt_disable();
	preempt_enable();
	ran_after_point = READ_ONCE(k->ran);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&k->done, 2 * HZ) > 0);
	KUNIT_ASSERT_TRUE(test, READ_ONCE(k->ran));
	kunit_info(test, "FIFO thread ran %lld us after the interrupt, inside the spin: %d\n",
		   ktime_us_delta(k->ran_at, k->fired_at), ran_in_spin);
	if (IS_ENABLED(CONFIG_UML)) {
		KUNIT_EXPECT_FALSE(test, ran_in_spin);
		KUNIT_EXPECT_FALSE(test, ran_before_point);
		KUNIT_EXPECT_TRUE(test, ran_after_point);
	} else {
		KUNIT_EXPECT_TRUE(test, ran_in_spin);
		KUNIT_EXPECT_LT(test, ktime_us_delta(k->ran_at, k->fired_at), 20000LL);
	}
}

static struct kunit_case kclaims_rt_cases[] = {
	KUNIT_CASE(rt_priorities_run_from_1_to_99),
	KUNIT_CASE(higher_rt_priority_runs_first),
	KUNIT_CASE(fifo_thread_runs_before_normal_ones),
	KUNIT_CASE_SLOW(fifo_runs_until_done_without_rotating),
	KUNIT_CASE_SLOW(rr_rotates_every_timeslice),
	KUNIT_CASE(kernel_code_is_preempted_at_interrupt_return_or_next_point),
	{}
};

static struct kunit_suite kclaims_rt_suite = {
	.name = "kclaims_rt",
	.test_cases = kclaims_rt_cases,
};

kunit_test_suites(&kclaims_rt_suite);

MODULE_DESCRIPTION("kclaims: the notes' real-time scheduling claims on the running kernel");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about softirqs and ksoftirqd checked against
 * the running kernel.
 *
 * A softirq is raised the way drivers raise one: a tasklet_schedule()
 * raises TASKLET_SOFTIRQ (the tasklet is the probe that reports where
 * and in which context the softirq ran), from task context, with bottom
 * halves disabled, or from a hardirq hrtimer callback. Probes only record
 * what they saw; the test checks afterwards.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_softirq'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bottom_half.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timer.h>

/* A tasklet that notes where it ran (callbacks are named kclaims_tl_*). */
struct kc_sprobe {
	struct tasklet_struct t;
	struct completion done;
	atomic_t runs;
	struct task_struct *cur;
	bool in_serving_softirq;
	bool in_hardirq;
	bool hardirq_done;	/* the raising hrtimer callback had returned */
	bool *hardirq_flag;
};

static void kclaims_tl_sprobe(struct tasklet_struct *t)
{
	struct kc_sprobe *p = from_tasklet(p, t, t);

	p->cur = current;
	p->in_serving_softirq = in_serving_softirq();
	p->in_hardirq = in_hardirq();
	if (p->hardirq_flag)
		p->hardirq_done = READ_ONCE(*p->hardirq_flag);
	atomic_inc(&p->runs);
	complete(&p->done);
}

static void kc_sprobe_kill(void *data)
{
	struct kc_sprobe *p = data;

	tasklet_kill(&p->t);
}

static struct kc_sprobe *kc_sprobe_new(struct kunit *test)
{
	struct kc_sprobe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	tasklet_setup(&p->t, kclaims_tl_sprobe);
	init_completion(&p->done);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kc_sprobe_kill, p));
	return p;
}

static struct task_struct *kc_ksoftirqd(void)
{
	return per_cpu(ksoftirqd, raw_smp_processor_id());
}

/*
 * IRQ-SOFTIRQ-LIST (definition): ten softirqs, numbered in priority order
 * HI first, RCU last, with the names of the notes' list.
 */
static void softirq_names_and_numbers_match_the_list(struct kunit *test)
{
	static const char * const names[] = {
		"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL",
		"TASKLET", "SCHED", "HRTIMER", "RCU",
	};
	int i;

	KUNIT_EXPECT_EQ(test, NR_SOFTIRQS, 10);
	KUNIT_EXPECT_EQ(test, HI_SOFTIRQ, 0);
	KUNIT_EXPECT_EQ(test, TIMER_SOFTIRQ, 1);
	KUNIT_EXPECT_EQ(test, TASKLET_SOFTIRQ, 6);
	KUNIT_EXPECT_EQ(test, RCU_SOFTIRQ, 9);
	for (i = 0; i < ARRAY_SIZE(names) && i < NR_SOFTIRQS; i++)
		KUNIT_EXPECT_STREQ(test, softirq_to_name[i], names[i]);
}

/*
 * IRQ-OPEN-SOFTIRQ (definition): a softirq handler is void (*)(void) now
 * (6.1 still passed the struct softirq_action * the notes pass), and
 * the set is the fixed enum above: open_softirq() only installs the
 * handler of one of those NR_SOFTIRQS numbers (and is not exported).
 */
static void softirq_handler_takes_no_argument(struct kunit *test)
{
	struct softirq_action a = { };

	BUILD_BUG_ON(!__same_type(a.action, void (*)(void)));
	KUNIT_EXPECT_EQ(test, sizeof(a), sizeof(void (*)(void)));
}

/*
 * IRQ-RAISE-SOFTIRQ: a softirq raised with bottom halves disabled is only
 * marked pending; its handler runs "the next time softirqs are
 * processed", here when local_bh_enable() lets them run, synchronously in
 * the raising task (not in ksoftirqd) and in softirq context.
 */
static void raised_softirq_runs_at_local_bh_enable(struct kunit *test)
{
	struct kc_sprobe *p = kc_sprobe_new(test);
	bool pending, ran_early;
	int runs_after;

	local_bh_disable();
	tasklet_schedule(&p->t);
	pending = local_softirq_pending() & BIT(TASKLET_SOFTIRQ);
	ran_early = atomic_read(&p->runs);
	local_bh_enable();
	runs_after = atomic_read(&p->runs);

	KUNIT_EXPECT_TRUE(test, pending);
	KUNIT_EXPECT_FALSE(test, ran_early);
	KUNIT_EXPECT_EQ(test, runs_after, 1);
	KUNIT_EXPECT_PTR_EQ(test, p->cur, current);
	KUNIT_EXPECT_TRUE(test, p->in_serving_softirq);
}

/*
 * IRQ-RAISE-SOFTIRQ: a softirq raised in a hardirq handler runs at irq
 * exit, after the handler returned, on the interrupted task (here the
 * busy-waiting test thread), not in ksoftirqd.
 */
struct kc_raiser {
	struct hrtimer timer;
	struct kc_sprobe *probe;
	bool returned;
};

static enum hrtimer_restart kc_raiser_fn(struct hrtimer *t)
{
	struct kc_raiser *r = container_of(t, struct kc_raiser, timer);

	tasklet_schedule(&r->probe->t);
	WRITE_ONCE(r->returned, true);	/* the last thing before returning */
	return HRTIMER_NORESTART;
}

static void kc_raiser_cancel(void *data)
{
	struct kc_raiser *r = data;

	hrtimer_cancel(&r->timer);
}

static void softirq_raised_in_hardirq_runs_at_irq_exit(struct kunit *test)
{
	struct kc_sprobe *p = kc_sprobe_new(test);
	struct kc_raiser *r;
	ktime_t end;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->probe = p;
	p->hardirq_flag = &r->returned;
	hrtimer_init(&r->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	r->timer.function = kc_raiser_fn;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kc_raiser_cancel, r));

	/* busy-wait (at most 1 s) so that the interrupt hits this thread */
	hrtimer_start(&r->timer, ms_to_ktime(2), HRTIMER_MODE_REL_PINNED_HARD);
	end = ktime_add_ms(ktime_get(), 1000);
	while (!atomic_read(&p->runs) && ktime_before(ktime_get(), end))
		udelay(10);

	KUNIT_ASSERT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_TRUE(test, p->hardirq_done);
	KUNIT_EXPECT_TRUE(test, p->in_serving_softirq);
	KUNIT_EXPECT_FALSE(test, p->in_hardirq);
	KUNIT_EXPECT_PTR_EQ(test, p->cur, current);
	KUNIT_EXPECT_PTR_NE(test, p->cur, kc_ksoftirqd());
}

/*
 * IRQ-RAISE-SOFTIRQ, IRQ-KSOFTIRQD-LOOP: a softirq raised in plain task
 * context (bottom halves on, not in an interrupt) is handed to the CPU's
 * ksoftirqd thread, which runs it in softirq context. 5 tries; a timer
 * tick landing in the microseconds between the raise and the wake-up
 * would run it at irq exit instead, so 3 of 5 must be in ksoftirqd.
 */
static void softirq_raised_in_task_context_runs_in_ksoftirqd(struct kunit *test)
{
	int i, in_ksoftirqd = 0, in_softirq = 0;

	for (i = 0; i < 5; i++) {
		struct kc_sprobe *p = kc_sprobe_new(test);

		tasklet_schedule(&p->t);
		KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&p->done, HZ), 0);
		in_ksoftirqd += p->cur == kc_ksoftirqd();
		in_softirq += p->in_serving_softirq;
	}
	KUNIT_EXPECT_EQ(test, in_softirq, 5);
	KUNIT_EXPECT_GE(test, in_ksoftirqd, 3);
}

/*
 * IRQ-KSOFTIRQD-NICE: there is a ksoftirqd/<cpu> kernel thread per CPU,
 * but it runs at nice 0 (SCHED_NORMAL), not the notes' +19.
 */
static void ksoftirqd_runs_at_nice_0(struct kunit *test)
{
	struct task_struct *t = per_cpu(ksoftirqd, 0);
	char comm[TASK_COMM_LEN];

	KUNIT_ASSERT_NOT_NULL(test, t);
	get_task_comm(comm, t);
	KUNIT_EXPECT_STREQ(test, comm, "ksoftirqd/0");
	KUNIT_EXPECT_TRUE(test, t->flags & PF_KTHREAD);
	KUNIT_EXPECT_EQ(test, t->policy, SCHED_NORMAL);
	KUNIT_EXPECT_EQ(test, task_nice(t), 0);
	KUNIT_EXPECT_NE(test, task_nice(t), 19);
}

/*
 * IRQ-KSOFTIRQD-LOOP: with nothing to do ksoftirqd sleeps in
 * TASK_INTERRUPTIBLE. It is woken with work first (a tasklet raised from
 * task context), then its state is polled (at most 1 s) until it is off
 * the run queue: that state must be TASK_INTERRUPTIBLE.
 */
static void ksoftirqd_sleeps_interruptible_when_idle(struct kunit *test)
{
	struct kc_sprobe *p = kc_sprobe_new(test);
	struct task_struct *k = kc_ksoftirqd();
	unsigned int state = TASK_RUNNING;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, k);
	tasklet_schedule(&p->t);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&p->done, HZ), 0);
	for (i = 0; i < 1000; i++) {
		state = READ_ONCE(k->__state);
		if (state != TASK_RUNNING)
			break;
		usleep_range(1000, 2000);
	}
	KUNIT_EXPECT_EQ(test, state, TASK_INTERRUPTIBLE);
}

/*
 * IRQ-SOFTIRQ-CONCURRENT: the same softirq (TIMER_SOFTIRQ) runs on two
 * CPUs at once: two timers pinned to two CPUs, expiring together, whose
 * callbacks each spin 20 ms, overlap. Needs SMP (QEMU x86_64 -smp 2).
 */
struct kc_ctimer {
	struct timer_list timer;
	atomic_t *running;
	int max;
	struct completion done;
};

static void kc_ctimer_fn(struct timer_list *t)
{
	struct kc_ctimer *c = from_timer(c, t, timer);
	int now = atomic_inc_return(c->running);
	ktime_t end = ktime_add_ms(ktime_get(), 20);

	while (ktime_before(ktime_get(), end)) {
		now = atomic_read(c->running);
		if (now > c->max)
			c->max = now;
		cpu_relax();
	}
	atomic_dec(c->running);
	complete(&c->done);
}

static void kc_ctimer_shutdown(void *data)
{
	struct kc_ctimer *c = data;

	timer_shutdown_sync(&c[0].timer);
	timer_shutdown_sync(&c[1].timer);
}

static void same_softirq_runs_on_two_cpus_at_once(struct kunit *test)
{
	struct kc_ctimer *c;
	atomic_t *running;
	unsigned long when;
	int cpu0, cpu1, i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs SMP: 2 online CPUs (QEMU x86_64 -smp 2), this has %u",
			   num_online_cpus());

	c = kunit_kcalloc(test, 2, sizeof(*c), GFP_KERNEL);
	running = kunit_kzalloc(test, sizeof(*running), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, running);
	for (i = 0; i < 2; i++) {
		timer_setup(&c[i].timer, kc_ctimer_fn, 0);
		init_completion(&c[i].done);
		c[i].running = running;
	}
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kc_ctimer_shutdown, c));
	cpu0 = cpumask_first(cpu_online_mask);
	cpu1 = cpumask_next(cpu0, cpu_online_mask);
	when = jiffies + msecs_to_jiffies(50);
	c[0].timer.expires = when;
	c[1].timer.expires = when;
	add_timer_on(&c[0].timer, cpu0);
	add_timer_on(&c[1].timer, cpu1);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c[0].done, 2 * HZ), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&c[1].done, 2 * HZ), 0);
	KUNIT_EXPECT_EQ(test, max(c[0].max, c[1].max), 2);
}

static struct kunit_case kclaims_softirq_cases[] = {
	KUNIT_CASE(softirq_names_and_numbers_match_the_list),
	KUNIT_CASE(softirq_handler_takes_no_argument),
	KUNIT_CASE(raised_softirq_runs_at_local_bh_enable),
	KUNIT_CASE(softirq_raised_in_hardirq_runs_at_irq_exit),
	KUNIT_CASE(softirq_raised_in_task_context_runs_in_ksoftirqd),
	KUNIT_CASE(ksoftirqd_runs_at_nice_0),
	KUNIT_CASE(ksoftirqd_sleeps_interruptible_when_idle),
	KUNIT_CASE(same_softirq_runs_on_two_cpus_at_once),
	{}
};

static struct kunit_suite kclaims_softirq_suite = {
	.name = "kclaims_softirq",
	.test_cases = kclaims_softirq_cases,
};

kunit_test_suite(kclaims_softirq_suite);

MODULE_DESCRIPTION("kclaims: softirq and ksoftirqd claims");
MODULE_LICENSE("GPL");

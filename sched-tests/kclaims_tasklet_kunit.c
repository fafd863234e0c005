// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about tasklets checked against the running
 * kernel: the context they run in, TASKLET_STATE_SCHED/RUN and the
 * disable count, run-once scheduling, FIFO order and HI before normal.
 *
 * Tasklet callbacks (named kclaims_tl_*, which the mutants match) only
 * record; the test checks afterwards. Where the order of several tasklets
 * matters they are scheduled with bottom halves disabled, so that all are
 * queued before the softirq runs them at local_bh_enable().
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_tasklet'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bottom_half.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/interrupt.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>

static atomic_t kc_tl_seq = ATOMIC_INIT(0);

struct kc_tl {
	struct tasklet_struct t;
	struct completion done;
	atomic_t runs;
	int order;		/* kc_tl_seq at the last run */
	bool in_serving_softirq;
	bool in_task;
	bool irqs_off;
	bool sched_bit;		/* TASKLET_STATE_SCHED inside the callback */
	bool run_bit;		/* TASKLET_STATE_RUN inside the callback */
	bool disabled;		/* the test holds a tasklet_disable() */
	/* serialisation (SMP case) */
	atomic_t *running;
	int max_running;
};

static void kclaims_tl_probe(struct tasklet_struct *t)
{
	struct kc_tl *p = from_tasklet(p, t, t);

	p->in_serving_softirq = in_serving_softirq();
	p->in_task = in_task();
	p->irqs_off = irqs_disabled();
	p->sched_bit = test_bit(TASKLET_STATE_SCHED, &t->state);
	p->run_bit = test_bit(TASKLET_STATE_RUN, &t->state);
	p->order = atomic_inc_return(&kc_tl_seq);
	atomic_inc(&p->runs);
	complete(&p->done);
}

static void kc_tl_kill(void *data)
{
	struct kc_tl *p = data;

	/* a scheduled tasklet that stays disabled would block tasklet_kill() */
	if (p->disabled)
		tasklet_enable(&p->t);
	tasklet_kill(&p->t);
}

static struct kc_tl *kc_tl_new(struct kunit *test,
			       void (*cb)(struct tasklet_struct *))
{
	struct kc_tl *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	tasklet_setup(&p->t, cb);
	init_completion(&p->done);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kc_tl_kill, p));
	return p;
}

/*
 * IRQ-TASKLET-SOFTIRQ: a tasklet is a softirq user: its callback runs in
 * softirq context (serving TASKLET_SOFTIRQ), not in a task, with hardware
 * irqs enabled.
 */
static void tasklet_runs_in_softirq_context(struct kunit *test)
{
	struct kc_tl *p = kc_tl_new(test, kclaims_tl_probe);

	tasklet_schedule(&p->t);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&p->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_TRUE(test, p->in_serving_softirq);
	KUNIT_EXPECT_FALSE(test, p->in_task);
	KUNIT_EXPECT_FALSE(test, p->irqs_off);
}

/*
 * IRQ-TASKLET-SCHEDULE: tasklet_schedule() sets TASKLET_STATE_SCHED and
 * queues the tasklet only if the bit was clear (the notes have it the
 * wrong way round), at the tail of the per-CPU list: A, A, B, C scheduled
 * before the softirq runs gives A once, then B, then C.
 */
static void tasklet_scheduled_twice_runs_once_in_fifo_order(struct kunit *test)
{
	struct kc_tl *a = kc_tl_new(test, kclaims_tl_probe);
	struct kc_tl *b = kc_tl_new(test, kclaims_tl_probe);
	struct kc_tl *c = kc_tl_new(test, kclaims_tl_probe);
	bool sched_a;

	local_bh_disable();
	tasklet_schedule(&a->t);
	sched_a = test_bit(TASKLET_STATE_SCHED, &a->t.state);
	tasklet_schedule(&a->t);
	tasklet_schedule(&b->t);
	tasklet_schedule(&c->t);
	local_bh_enable();

	KUNIT_EXPECT_TRUE(test, sched_a);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->runs), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->runs), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->runs), 1);
	KUNIT_EXPECT_LT(test, a->order, b->order);
	KUNIT_EXPECT_LT(test, b->order, c->order);
	KUNIT_EXPECT_FALSE(test, test_bit(TASKLET_STATE_SCHED, &a->t.state));
}

/*
 * IRQ-TASKLET-STRUCT: count != 0 means disabled. DECLARE_TASKLET_DISABLED
 * starts at count 1, tasklet_disable() raises it; a disabled tasklet that
 * is scheduled stays TASKLET_STATE_SCHED but does not run (the softirq
 * requeues it) until tasklet_enable() brings count back to 0. SCHED is
 * cleared before the callback runs; TASKLET_STATE_RUN is only used on SMP
 * (and PREEMPT_RT): on UP it is never set.
 */
static DECLARE_TASKLET_DISABLED(kc_tl_declared, kclaims_tl_probe);

static void disabled_tasklet_waits_for_tasklet_enable(struct kunit *test)
{
	struct kc_tl *p = kc_tl_new(test, kclaims_tl_probe);
	int count_disabled, ran_while_disabled;
	bool sched_while_disabled;

	KUNIT_EXPECT_EQ(test, atomic_read(&kc_tl_declared.count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->t.count), 0);

	tasklet_disable(&p->t);
	p->disabled = true;
	count_disabled = atomic_read(&p->t.count);
	tasklet_schedule(&p->t);
	/*
	 * The softirq sees it at once (local_bh_enable) and, requeueing it,
	 * keeps seeing it in ksoftirqd: 30 ms (3 ticks) in which it must not
	 * complete.
	 */
	local_bh_disable();
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, 0,
			wait_for_completion_timeout(&p->done, msecs_to_jiffies(30)));
	ran_while_disabled = atomic_read(&p->runs);
	sched_while_disabled = test_bit(TASKLET_STATE_SCHED, &p->t.state);
	tasklet_enable(&p->t);
	p->disabled = false;
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&p->done, HZ), 0);

	KUNIT_EXPECT_EQ(test, count_disabled, 1);
	KUNIT_EXPECT_EQ(test, ran_while_disabled, 0);
	KUNIT_EXPECT_TRUE(test, sched_while_disabled);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->runs), 1);
	KUNIT_EXPECT_FALSE(test, p->sched_bit);
	KUNIT_EXPECT_EQ(test, p->run_bit,
			IS_ENABLED(CONFIG_SMP) || IS_ENABLED(CONFIG_PREEMPT_RT));
}

/*
 * IRQ-SOFTIRQ-LIST (priority order), IRQ-TASKLET-SOFTIRQ: HI_SOFTIRQ (0)
 * is served before TASKLET_SOFTIRQ (6): a tasklet_hi_schedule()d tasklet
 * runs before a normal one scheduled earlier.
 */
static void hi_tasklet_runs_before_a_normal_one(struct kunit *test)
{
	struct kc_tl *n = kc_tl_new(test, kclaims_tl_probe);
	struct kc_tl *h = kc_tl_new(test, kclaims_tl_probe);

	local_bh_disable();
	tasklet_schedule(&n->t);
	tasklet_hi_schedule(&h->t);
	local_bh_enable();

	KUNIT_EXPECT_EQ(test, atomic_read(&n->runs), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&h->runs), 1);
	KUNIT_EXPECT_LT(test, h->order, n->order);
	KUNIT_EXPECT_TRUE(test, h->in_serving_softirq);
}

/*
 * IRQ-TASKLET-SERIAL: one tasklet never runs on two CPUs at once, even
 * when every CPU keeps scheduling it: the callback spins 1 ms and counts
 * how many copies run. Needs SMP (QEMU x86_64 -smp 2).
 */
static void kclaims_tl_serial(struct tasklet_struct *t)
{
	struct kc_tl *p = from_tasklet(p, t, t);
	int now = atomic_inc_return(p->running);

	if (now > p->max_running)
		p->max_running = now;
	mdelay(1);
	atomic_inc(&p->runs);
	atomic_dec(p->running);
}

static void kc_tl_schedule_here(void *data)
{
	struct kc_tl *p = data;

	tasklet_schedule(&p->t);
}

static void tasklet_never_runs_on_two_cpus_at_once(struct kunit *test)
{
	struct kc_tl *p;
	int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs SMP: 2 online CPUs (QEMU x86_64 -smp 2), this has %u",
			   num_online_cpus());

	p = kc_tl_new(test, kclaims_tl_serial);
	p->running = kunit_kzalloc(test, sizeof(*p->running), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p->running);
	for (i = 0; i < 200; i++) {
		on_each_cpu(kc_tl_schedule_here, p, 1);
		udelay(300);
	}
	tasklet_kill(&p->t);
	KUNIT_EXPECT_GT(test, atomic_read(&p->runs), 0);
	KUNIT_EXPECT_EQ(test, p->max_running, 1);
}

static struct kunit_case kclaims_tasklet_cases[] = {
	KUNIT_CASE(tasklet_runs_in_softirq_context),
	KUNIT_CASE(tasklet_scheduled_twice_runs_once_in_fifo_order),
	KUNIT_CASE(disabled_tasklet_waits_for_tasklet_enable),
	KUNIT_CASE(hi_tasklet_runs_before_a_normal_one),
	KUNIT_CASE(tasklet_never_runs_on_two_cpus_at_once),
	{}
};

static struct kunit_suite kclaims_tasklet_suite = {
	.name = "kclaims_tasklet",
	.test_cases = kclaims_tasklet_cases,
};

kunit_test_suite(kclaims_tasklet_suite);

MODULE_DESCRIPTION("kclaims: tasklet claims");
MODULE_LICENSE("GPL");

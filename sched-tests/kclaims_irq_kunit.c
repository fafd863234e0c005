// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about interrupt handlers, request_irq(),
 * the IRQF_ flags, disable_irq()/enable_irq() and local irq masking,
 * checked against the running kernel.
 *
 * Real interrupt lines come from the interrupt simulator (CONFIG_IRQ_SIM,
 * selected by this suite): an irq domain whose lines are fired with
 * irq_set_irqchip_state(PENDING); the simulator delivers them through an
 * irq_work, which on UML (no irq_work interrupt) runs from the next timer
 * tick, in hardirq context, through handle_simple_irq() and the normal
 * irq_desc/irqaction machinery. UML's own lines (0..63, arch/um/include/
 * asm/irq.h) are avoided: the simulated lines are mapped from hwirq 100,
 * which lands in the free PCI-MSI range (64..127) of UML's NR_IRQS.
 *
 * Handlers only record what they saw; the test checks afterwards.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_irq'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/irq_sim.h>
#include <linux/kernel_stat.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#ifdef CONFIG_X86
#include <asm/irq_vectors.h>
#endif

#define KC_NR_SIM	128	/* linear domain size: hwirq 100.. are used */
#define KC_HWIRQ0	100
#define KC_NAME		"kclaims-irq"	/* mutants match this action name */

struct kc_sim {
	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	unsigned int virq[2];
};

/* What one handler invocation saw (the last one) and how often it ran. */
struct kc_line {
	atomic_t calls;
	int irq;
	void *dev;
	bool in_hardirq;
	bool in_irq;
	bool irqs_off;
	bool in_task;
	bool preemptible;
	bool inprogress;
	irqreturn_t ret;
	struct completion done;
};

static irqreturn_t kclaims_irq_handler(int irq, void *dev)
{
	struct kc_line *l = dev;

	if (!l)			/* no cookie: not ours to handle */
		return IRQ_NONE;
	l->irq = irq;
	l->dev = dev;
	l->in_hardirq = in_hardirq();
	l->in_irq = in_irq();
	l->irqs_off = irqs_disabled();
	l->in_task = in_task();
	l->preemptible = preemptible();
	l->inprogress = irqd_irq_inprogress(irq_get_irq_data(irq));
	atomic_inc(&l->calls);
	complete(&l->done);
	return l->ret;
}

/* Lines live in test memory: freed only after the free_irq() actions. */
static struct kc_line *kc_line_new(struct kunit *test, irqreturn_t ret)
{
	struct kc_line *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	init_completion(&l->done);
	l->ret = ret;
	return l;
}

static void kc_sim_remove(void *data)
{
	struct kc_sim *s = data;
	int i;

	for (i = 0; i < ARRAY_SIZE(s->virq); i++)
		if (s->virq[i])
			irq_dispose_mapping(s->virq[i]);
	irq_domain_remove_sim(s->domain);
	irq_domain_free_fwnode(s->fwnode);
}

/*
 * A fresh simulator domain with two mapped lines for every case. Removed
 * by a cleanup action, which (unlike suite->exit) runs after the actions
 * the case added later, so every free_irq() comes before the unmapping.
 */
static int kclaims_irq_init(struct kunit *test)
{
	struct kc_sim *s;
	int i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->fwnode = irq_domain_alloc_named_fwnode("kclaims-irq-sim");
	if (!s->fwnode)
		return -ENOMEM;
	s->domain = irq_domain_create_sim(s->fwnode, KC_NR_SIM);
	if (IS_ERR(s->domain)) {
		irq_domain_free_fwnode(s->fwnode);
		return PTR_ERR(s->domain);
	}
	for (i = 0; i < ARRAY_SIZE(s->virq); i++)
		s->virq[i] = irq_create_mapping(s->domain, KC_HWIRQ0 + i);
	test->priv = s;
	return kunit_add_action_or_reset(test, kc_sim_remove, s);
}

/* The i-th simulated line; aborts the case if it could not be mapped. */
static unsigned int kc_virq(struct kunit *test, int i)
{
	struct kc_sim *s = test->priv;

	KUNIT_ASSERT_NE_MSG(test, s->virq[i], 0, "irq_create_mapping failed");
	/* UML's own signal-driven lines are 0..63: never take one of those */
	if (IS_ENABLED(CONFIG_UML))
		KUNIT_ASSERT_GE(test, s->virq[i], 64);
	return s->virq[i];
}

/* Raise the simulated line (delivered from irq_work: the next tick on UML). */
static void kc_fire(struct kunit *test, unsigned int virq)
{
	KUNIT_ASSERT_EQ(test, 0,
			irq_set_irqchip_state(virq, IRQCHIP_STATE_PENDING, true));
}

/*
 * Wait (at most 1 s) until the simulator has handed the raised line to the
 * flow handler: it clears its pending bit just before handle_simple_irq(),
 * in the same hardirq-context irq_work, so once the bit reads clear here
 * the flow handler has run (called the handlers, or noted the line pending
 * because it was disabled).
 */
static bool kc_delivered(unsigned int virq)
{
	unsigned long end = jiffies + HZ;
	bool pending = true;

	do {
		if (irq_get_irqchip_state(virq, IRQCHIP_STATE_PENDING, &pending))
			return false;
		if (!pending)
			return true;
		usleep_range(1000, 2000);
	} while (time_before(jiffies, end));
	return false;
}

struct kc_req {
	unsigned int virq;
	struct kc_line *line;
	void *dev;
	bool requested;
};

static void kc_free_irq(void *data)
{
	struct kc_req *r = data;

	if (r->requested)
		free_irq(r->virq, r->dev);
	r->requested = false;
}

/* request_irq() with a cleanup action that frees it on every path. */
static int kc_request(struct kunit *test, struct kc_req **rp, unsigned int virq,
		      unsigned long flags, struct kc_line *l, void *dev)
{
	struct kc_req *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, r);
	*rp = r;
	r->virq = virq;
	r->line = l;
	r->dev = dev;
	ret = request_irq(virq, kclaims_irq_handler, flags, KC_NAME, dev);
	r->requested = ret == 0;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kc_free_irq, r));
	return ret;
}

/*
 * IRQ-NO-SLEEP, IRQ-NOT-INTERRUPTIBLE, IRQ-IRQF-DISABLED (the behavioural
 * half): a handler requested with flags 0 (no IRQF_DISABLED: it is gone)
 * runs in hardirq context, not in a task, with local irqs off and not
 * preemptible - it may not sleep. in_irq() is still there in 6.12, but
 * only as the "obsolete version of in_hardirq()" (linux/preempt.h).
 */
static void handler_runs_in_hardirq_with_irqs_off(struct kunit *test)
{
	struct kc_line *l;
	struct kc_req *r;
	unsigned int v = kc_virq(test, 0);

	l = kc_line_new(test, IRQ_HANDLED);
	KUNIT_ASSERT_EQ(test, 0, kc_request(test, &r, v, 0, l, l));
	kc_fire(test, v);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&l->done, 2 * HZ), 0);

	KUNIT_EXPECT_EQ(test, atomic_read(&l->calls), 1);
	KUNIT_EXPECT_TRUE(test, l->in_hardirq);
	KUNIT_EXPECT_TRUE(test, l->irqs_off);
	KUNIT_EXPECT_FALSE(test, l->in_task);
	KUNIT_EXPECT_FALSE(test, l->preemptible);
	/* in_irq() is only an obsolete alias of in_hardirq() in 6.12 */
	KUNIT_EXPECT_TRUE(test, l->in_irq);
#ifdef IRQF_DISABLED
	KUNIT_FAIL(test, "IRQF_DISABLED still defined (removed in 4.1)");
#endif
}

/*
 * IRQ-REQUEST-IRQ, IRQ-HANDLER-TYPE: request_irq() returns 0 and the
 * handler is called with (irq, dev_id); free_irq() unregisters it and
 * hands back the name. The handler type returns irqreturn_t (the notes'
 * "irq_handler_t (*)(int, void *)" is wrong), and the value matters: an
 * IRQ_NONE is counted as unhandled by the spurious-irq detector.
 */
static void request_irq_returns_zero_and_handler_gets_irq_and_dev(struct kunit *test)
{
	struct kc_line *l;
	struct kc_req *r;
	struct irq_desc *desc;
	unsigned int v = kc_virq(test, 0), unhandled;
	const void *name;

	BUILD_BUG_ON(!__same_type(irq_handler_t, irqreturn_t (*)(int, void *)));

	l = kc_line_new(test, IRQ_NONE);
	KUNIT_ASSERT_EQ(test, 0, kc_request(test, &r, v, 0, l, l));
	desc = irq_to_desc(v);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_EXPECT_NOT_NULL(test, desc->action);

	/* IRQ_NONE: counted as unhandled */
	unhandled = desc->irqs_unhandled;
	kc_fire(test, v);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&l->done, 2 * HZ), 0);
	KUNIT_EXPECT_EQ(test, l->irq, (int)v);
	KUNIT_EXPECT_PTR_EQ(test, l->dev, (void *)l);
	KUNIT_EXPECT_EQ(test, desc->irqs_unhandled, unhandled + 1);

	/* IRQ_HANDLED: not counted */
	reinit_completion(&l->done);
	l->ret = IRQ_HANDLED;
	unhandled = desc->irqs_unhandled;
	kc_fire(test, v);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&l->done, 2 * HZ), 0);
	KUNIT_EXPECT_EQ(test, desc->irqs_unhandled, unhandled);
	KUNIT_EXPECT_EQ(test, atomic_read(&l->calls), 2);

	/* free_irq: handler gone, its name handed back; a fire reaches nobody */
	name = free_irq(v, l);
	r->requested = false;
	KUNIT_EXPECT_STREQ(test, (const char *)name, KC_NAME);
	KUNIT_EXPECT_NULL(test, desc->action);
	/* the line is shut down (masked); a fire in the next 3 ticks is lost */
	KUNIT_EXPECT_TRUE(test, irqd_irq_disabled(irq_get_irq_data(v)));
	reinit_completion(&l->done);
	KUNIT_ASSERT_EQ(test, 0, irq_set_irqchip_state(v, IRQCHIP_STATE_PENDING, true));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&l->done, msecs_to_jiffies(30)), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&l->calls), 2);
}

/*
 * IRQ-IRQF-SHARED: a shared line needs a dev_id cookie (NULL: -EINVAL);
 * two IRQF_SHARED handlers form the action chain of one line and one
 * interrupt calls both, each with its own cookie; a non-shared request on
 * the shared line is refused (-EBUSY).
 */
static void shared_line_calls_every_handler_with_its_cookie(struct kunit *test)
{
	struct kc_line *a, *b, *c;
	struct kc_req *ra, *rb, *rc, *rn;
	struct irq_desc *desc;
	unsigned int v = kc_virq(test, 0);

	a = kc_line_new(test, IRQ_HANDLED);
	b = kc_line_new(test, IRQ_HANDLED);
	c = kc_line_new(test, IRQ_HANDLED);

	KUNIT_EXPECT_EQ(test, -EINVAL, kc_request(test, &rn, v, IRQF_SHARED, c, NULL));
	KUNIT_ASSERT_EQ(test, 0, kc_request(test, &ra, v, IRQF_SHARED, a, a));
	KUNIT_ASSERT_EQ(test, 0, kc_request(test, &rb, v, IRQF_SHARED, b, b));
	KUNIT_EXPECT_EQ(test, -EBUSY, kc_request(test, &rc, v, 0, c, c));

	desc = irq_to_desc(v);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_ASSERT_NOT_NULL(test, desc->action);
	KUNIT_EXPECT_NOT_NULL(test, desc->action->next);

	kc_fire(test, v);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&a->done, 2 * HZ), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&b->done, 2 * HZ), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->calls), 0);
	KUNIT_EXPECT_PTR_EQ(test, a->dev, (void *)a);
	KUNIT_EXPECT_PTR_EQ(test, b->dev, (void *)b);
}

/*
 * IRQ-DISABLE-IRQ: disable_irq() masks one line and nests: after two
 * disables and one enable the line is still off and a fired interrupt
 * reaches no handler; after the second enable a new one does. (A line
 * raised while disabled is marked pending; replaying it on enable needs a
 * chip retrigger or CONFIG_HARDIRQS_SW_RESEND, which x86 has and UML
 * lacks, so that part is not checked.) The other line is unaffected.
 */
static void disable_irq_nests_and_masks_only_its_line(struct kunit *test)
{
	struct kc_line *l, *o;
	struct kc_req *r, *ro;
	unsigned int v = kc_virq(test, 0), w = kc_virq(test, 1);
	bool off_after_one_enable;

	l = kc_line_new(test, IRQ_HANDLED);
	o = kc_line_new(test, IRQ_HANDLED);
	KUNIT_ASSERT_EQ(test, 0, kc_request(test, &r, v, 0, l, l));
	KUNIT_ASSERT_EQ(test, 0, kc_request(test, &ro, w, 0, o, o));

	disable_irq(v);
	disable_irq(v);
	enable_irq(v);
	off_after_one_enable = irqd_irq_disabled(irq_get_irq_data(v));

	kc_fire(test, v);
	kc_fire(test, w);
	KUNIT_EXPECT_TRUE(test, kc_delivered(v));
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&o->done, 2 * HZ), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&l->calls), 0);
	KUNIT_EXPECT_TRUE(test, off_after_one_enable);

	enable_irq(v);
	KUNIT_EXPECT_FALSE(test, irqd_irq_disabled(irq_get_irq_data(v)));
	/* a replay of the edge raised while disabled (x86) counts too */
	kc_fire(test, v);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&l->done, 2 * HZ), 0);
	KUNIT_EXPECT_GE(test, atomic_read(&l->calls), 1);
}

/*
 * IRQ-LINE-INPROGRESS: while its handler runs the line is marked
 * IRQD_IRQ_INPROGRESS (the flow handler will not re-enter it); the mark
 * is gone once the handler returned.
 */
static void line_is_in_progress_only_while_its_handler_runs(struct kunit *test)
{
	struct kc_line *l;
	struct kc_req *r;
	unsigned int v = kc_virq(test, 0);

	l = kc_line_new(test, IRQ_HANDLED);
	KUNIT_ASSERT_EQ(test, 0, kc_request(test, &r, v, 0, l, l));
	KUNIT_EXPECT_FALSE(test, irqd_irq_inprogress(irq_get_irq_data(v)));
	kc_fire(test, v);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&l->done, 2 * HZ), 0);
	KUNIT_EXPECT_TRUE(test, l->inprogress);
	KUNIT_EXPECT_TRUE(test, kc_delivered(v));
	KUNIT_EXPECT_FALSE(test, irqd_irq_inprogress(irq_get_irq_data(v)));
}

/*
 * IRQ-IRQF-TIMER: the system timer's line is requested with IRQF_TIMER,
 * which is __IRQF_TIMER plus IRQF_NO_SUSPEND and IRQF_NO_THREAD, and it
 * keeps interrupting: its count grows by about HZ a second. UML's timer
 * is TIMER_IRQ 0 (arch/um/kernel/time.c); x86's clock event line differs.
 */
static void system_timer_line_is_requested_with_irqf_timer(struct kunit *test)
{
	struct irq_desc *desc;
	unsigned int before;

	BUILD_BUG_ON(!(IRQF_TIMER & IRQF_NO_THREAD));
	BUILD_BUG_ON(!(IRQF_TIMER & IRQF_NO_SUSPEND));
	if (!IS_ENABLED(CONFIG_UML))
		kunit_skip(test, "UML only: its timer is TIMER_IRQ 0");

	desc = irq_to_desc(0);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_ASSERT_NOT_NULL(test, desc->action);
	KUNIT_EXPECT_EQ(test, desc->action->flags & IRQF_TIMER,
			(unsigned long)IRQF_TIMER);
	KUNIT_EXPECT_FALSE(test, desc->action->flags & IRQF_SHARED);

	/* 200 ms at HZ=100 is 20 ticks; at least 5 must have come in */
	before = kstat_irqs_usr(0);
	msleep(200);
	KUNIT_EXPECT_GE(test, kstat_irqs_usr(0) - before, 5);
}

/*
 * IRQ-IRQF-SAMPLE-RANDOM, IRQ-IRQF-DISABLED, IRQ-IRQF-SHARED (definition):
 * IRQF_SHARED and IRQF_TIMER exist, IRQF_DISABLED (no-op since 2.6.35,
 * removed in 4.1) and IRQF_SAMPLE_RANDOM (removed in 3.6: every interrupt
 * feeds the entropy pool) do not.
 */
static void irqf_disabled_and_sample_random_are_gone(struct kunit *test)
{
	int gone = 0;

#ifndef IRQF_DISABLED
	gone++;
#endif
#ifndef IRQF_SAMPLE_RANDOM
	gone++;
#endif
	KUNIT_EXPECT_EQ(test, gone, 2);
	KUNIT_EXPECT_EQ(test, IRQF_SHARED, 0x80);
	KUNIT_EXPECT_NE(test, IRQF_TIMER, 0);
}

/*
 * IRQ-LOCAL-IRQ: local_irq_save()/local_irq_restore() nest: an inner
 * restore brings back the state the inner save found (off), so a hardirq
 * hrtimer that expired meanwhile still waits; only the outer restore
 * turns irqs on again and lets it in.
 */
struct kc_hrt {
	struct hrtimer t;
	atomic_t runs;
};

static enum hrtimer_restart kc_hrt_fn(struct hrtimer *t)
{
	struct kc_hrt *h = container_of(t, struct kc_hrt, t);

	atomic_inc(&h->runs);
	return HRTIMER_NORESTART;
}

static void kc_hrt_cancel(void *data)
{
	struct kc_hrt *h = data;

	hrtimer_cancel(&h->t);
}

static void local_irq_restore_brings_back_the_previous_state(struct kunit *test)
{
	struct kc_hrt *h;
	unsigned long outer, inner;
	bool off_in, off_after_inner, on_after_outer;
	int runs_after_inner, runs_before_outer, i;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	hrtimer_init(&h->t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	h->t.function = kc_hrt_fn;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kc_hrt_cancel, h));
	KUNIT_ASSERT_FALSE(test, irqs_disabled());

	local_irq_save(outer);
	hrtimer_start(&h->t, ms_to_ktime(1), HRTIMER_MODE_REL_PINNED_HARD);
	local_irq_save(inner);
	off_in = irqs_disabled();
	mdelay(20);		/* the 1 ms timer is long due */
	local_irq_restore(inner);
	off_after_inner = irqs_disabled();
	runs_after_inner = atomic_read(&h->runs);
	mdelay(20);
	runs_before_outer = atomic_read(&h->runs);
	local_irq_restore(outer);
	on_after_outer = !irqs_disabled();

	/* the pending timer interrupt comes in at once; allow 1-2 s */
	for (i = 0; i < 1000 && !atomic_read(&h->runs); i++)
		usleep_range(1000, 2000);

	KUNIT_EXPECT_TRUE(test, off_in);
	KUNIT_EXPECT_TRUE(test, off_after_inner);
	KUNIT_EXPECT_EQ(test, runs_after_inner, 0);
	KUNIT_EXPECT_EQ(test, runs_before_outer, 0);
	KUNIT_EXPECT_TRUE(test, on_after_outer);
	KUNIT_EXPECT_EQ(test, atomic_read(&h->runs), 1);
}

/*
 * IRQ-REQUEST-SLEEPS: request_irq() may sleep. Shown without calling it
 * atomically: the test holds the line's request_mutex, a kthread calls
 * request_irq() and is seen asleep (TASK_UNINTERRUPTIBLE, queued on the
 * mutex) inside it; once the mutex is released the request completes
 * with 0. (It also kzalloc(GFP_KERNEL)s the irqaction and creates
 * /proc/irq/N.)
 */
struct kc_reqthread {
	unsigned int virq;
	struct kc_line *line;
	int ret;
	struct completion done;
	struct task_struct *task;
};

static int kc_reqthread_fn(void *data)
{
	struct kc_reqthread *rt = data;

	rt->ret = request_irq(rt->virq, kclaims_irq_handler, 0, KC_NAME, rt->line);
	complete(&rt->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void kc_reqthread_stop(void *data)
{
	struct kc_reqthread *rt = data;

	kthread_stop(rt->task);
	put_task_struct(rt->task);
	if (rt->ret == 0)
		free_irq(rt->virq, rt->line);
}

static void request_irq_sleeps_while_the_line_is_busy(struct kunit *test)
{
	struct kc_reqthread *rt;
	struct kc_line *l;
	struct irq_desc *desc;
	unsigned int v = kc_virq(test, 0);
	bool asleep = false, queued = false, done_early;
	unsigned int state = 0;
	int i;

	rt = kunit_kzalloc(test, sizeof(*rt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rt);
	l = kc_line_new(test, IRQ_HANDLED);
	desc = irq_to_desc(v);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	rt->virq = v;
	rt->line = l;
	rt->ret = -EINPROGRESS;
	init_completion(&rt->done);
	rt->task = kthread_create(kc_reqthread_fn, rt, "kclaims_reqirq");
	KUNIT_ASSERT_FALSE(test, IS_ERR(rt->task));
	get_task_struct(rt->task);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, kc_reqthread_stop, rt));

	mutex_lock(&desc->request_mutex);
	wake_up_process(rt->task);
	/* poll (1000 x 1-2 ms) until the thread sleeps inside request_irq() */
	for (i = 0; i < 1000; i++) {
		state = READ_ONCE(rt->task->__state);
		queued = !list_empty(&desc->request_mutex.wait_list);
		if (state == TASK_UNINTERRUPTIBLE && queued) {
			asleep = true;
			break;
		}
		usleep_range(1000, 2000);
	}
	done_early = completion_done(&rt->done);
	mutex_unlock(&desc->request_mutex);

	KUNIT_EXPECT_TRUE_MSG(test, asleep, "state %#x, queued on mutex %d",
			      state, queued);
	KUNIT_EXPECT_FALSE(test, done_early);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&rt->done, 2 * HZ), 0);
	KUNIT_EXPECT_EQ(test, rt->ret, 0);
}

/*
 * IRQ-IDT-LAYOUT (definition, x86 only): vectors 0..31 are the CPU's
 * exceptions, external interrupts start at FIRST_EXTERNAL_VECTOR 0x20, of
 * NR_VECTORS 256. UML has no IDT (its interrupts are host signals).
 */
static void x86_external_vectors_start_at_32(struct kunit *test)
{
#ifdef CONFIG_X86
	KUNIT_EXPECT_EQ(test, FIRST_EXTERNAL_VECTOR, 32);
	KUNIT_EXPECT_EQ(test, NR_VECTORS, 256);
#else
	kunit_skip(test, "x86 only (QEMU x86_64, i386): no IDT on this arch");
#endif
}

static struct kunit_case kclaims_irq_cases[] = {
	KUNIT_CASE(handler_runs_in_hardirq_with_irqs_off),
	KUNIT_CASE(request_irq_returns_zero_and_handler_gets_irq_and_dev),
	KUNIT_CASE(shared_line_calls_every_handler_with_its_cookie),
	KUNIT_CASE(disable_irq_nests_and_masks_only_its_line),
	KUNIT_CASE(line_is_in_progress_only_while_its_handler_runs),
	KUNIT_CASE(system_timer_line_is_requested_with_irqf_timer),
	KUNIT_CASE(irqf_disabled_and_sample_random_are_gone),
	KUNIT_CASE(local_irq_restore_brings_back_the_previous_state),
	KUNIT_CASE(request_irq_sleeps_while_the_line_is_busy),
	KUNIT_CASE(x86_external_vectors_start_at_32),
	{}
};

static struct kunit_suite kclaims_irq_suite = {
	.name = "kclaims_irq",
	.init = kclaims_irq_init,
	.test_cases = kclaims_irq_cases,
};

kunit_test_suite(kclaims_irq_suite);

MODULE_DESCRIPTION("kclaims: interrupt handler and request_irq claims");
MODULE_LICENSE("GPL");

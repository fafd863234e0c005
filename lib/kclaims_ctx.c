// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims context helpers: run a callback once in hardirq (hrtimer),
 * softirq (timer_list), kthread or workqueue context, wait for it with a
 * timeout and hand back what the context looked like from inside.
 */
#include <linux/completion.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "kclaims.h"

struct kclaims_call {
	kclaims_fn fn;
	void *arg;
	struct kclaims_ctx_obs *obs;
	struct completion done;
	struct hrtimer hrt;
	struct timer_list tl;
	struct work_struct work;
};

void kclaims_observe(struct kclaims_ctx_obs *obs)
{
	obs->in_hardirq = in_hardirq();
	obs->in_serving_softirq = in_serving_softirq();
	obs->in_task = in_task();
	obs->in_interrupt = in_interrupt();
	obs->irqs_disabled = irqs_disabled();
	obs->is_kworker = current->flags & PF_WQ_WORKER;
	obs->is_kthread = current->flags & PF_KTHREAD;
	obs->preempt_count = preempt_count();
	obs->task = current;
	obs->pid = current->pid;
	obs->cpu = raw_smp_processor_id();
}
EXPORT_SYMBOL_GPL(kclaims_observe);

/* Observe first, so that what fn does cannot change the record. */
static void kclaims_call_body(struct kclaims_call *c)
{
	kclaims_observe(c->obs);
	c->obs->ran = true;
	if (c->fn)
		c->fn(c->arg);
	complete(&c->done);
}

static enum hrtimer_restart kclaims_hrt_fn(struct hrtimer *t)
{
	kclaims_call_body(container_of(t, struct kclaims_call, hrt));
	return HRTIMER_NORESTART;
}

static void kclaims_tl_fn(struct timer_list *t)
{
	struct kclaims_call *c = from_timer(c, t, tl);

	kclaims_call_body(c);
}

static void kclaims_work_fn(struct work_struct *w)
{
	kclaims_call_body(container_of(w, struct kclaims_call, work));
}

static int kclaims_kthread_fn(void *data)
{
	kclaims_call_body(data);
	return 0;
}

const char *kclaims_ctx_name(enum kclaims_ctx ctx)
{
	switch (ctx) {
	case KCLAIMS_CTX_HARDIRQ:
		return "hardirq";
	case KCLAIMS_CTX_SOFTIRQ:
		return "softirq";
	case KCLAIMS_CTX_KTHREAD:
		return "kthread";
	case KCLAIMS_CTX_WORKQUEUE:
		return "workqueue";
	}
	return "unknown";
}
EXPORT_SYMBOL_GPL(kclaims_ctx_name);

/*
 * Returns 0 if fn(arg) ran and returned within @timeout_ms, else -ETIMEDOUT.
 * On timeout nothing can run or touch the call afterwards: a callback that
 * has not started is cancelled (obs->ran stays false); one that is running
 * is waited for (obs->ran is true and the record is valid). In
 * KCLAIMS_CTX_KTHREAD the thread is kthread_stop()ed, so a blocking fn can
 * end early by checking kthread_should_stop().
 */
int kclaims_run_in(enum kclaims_ctx ctx, kclaims_fn fn, void *arg,
		   struct kclaims_ctx_obs *obs, unsigned int timeout_ms)
{
	struct kclaims_call *c;
	struct task_struct *k = NULL;
	unsigned long left;
	int ret = 0;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->fn = fn;
	c->arg = arg;
	c->obs = obs;
	memset(obs, 0, sizeof(*obs));
	init_completion(&c->done);

	switch (ctx) {
	case KCLAIMS_CTX_HARDIRQ:
		/* _HARD: expire in hardirq context even on PREEMPT_RT */
		hrtimer_init(&c->hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
		c->hrt.function = kclaims_hrt_fn;
		hrtimer_start(&c->hrt, ms_to_ktime(1), HRTIMER_MODE_REL_HARD);
		break;
	case KCLAIMS_CTX_SOFTIRQ:
		timer_setup(&c->tl, kclaims_tl_fn, 0);
		mod_timer(&c->tl, jiffies + 1);
		break;
	case KCLAIMS_CTX_KTHREAD:
		/* get_task_struct: the thread may exit before kthread_stop */
		k = kthread_create(kclaims_kthread_fn, c, "kclaims_ctx");
		if (IS_ERR(k)) {
			ret = PTR_ERR(k);
			goto out;
		}
		get_task_struct(k);
		wake_up_process(k);
		break;
	case KCLAIMS_CTX_WORKQUEUE:
		INIT_WORK(&c->work, kclaims_work_fn);
		queue_work(system_wq, &c->work);
		break;
	default:
		ret = -EINVAL;
		goto out;
	}

	left = wait_for_completion_timeout(&c->done,
					   msecs_to_jiffies(timeout_ms));
	if (!left)
		ret = -ETIMEDOUT;

	/* Whether it ran or not, nothing may touch @c after this point. */
	switch (ctx) {
	case KCLAIMS_CTX_HARDIRQ:
		hrtimer_cancel(&c->hrt);
		break;
	case KCLAIMS_CTX_SOFTIRQ:
		del_timer_sync(&c->tl);
		break;
	case KCLAIMS_CTX_KTHREAD:
		kthread_stop(k);
		put_task_struct(k);
		break;
	case KCLAIMS_CTX_WORKQUEUE:
		cancel_work_sync(&c->work);
		break;
	}
	/*
	 * Keep -ETIMEDOUT even if fn finished while we were stopping it above:
	 * it overran @timeout_ms. obs->ran says whether it ran at all.
	 */
out:
	kfree(c);
	return ret;
}
EXPORT_SYMBOL_GPL(kclaims_run_in);

MODULE_DESCRIPTION("kclaims: run a callback in a named context");
MODULE_LICENSE("GPL");

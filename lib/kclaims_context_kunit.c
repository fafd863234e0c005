// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_context: self-tests of the context helpers (lib/kclaims_ctx.c).
 *
 * Every other suite trusts kclaims_run_in() to run a callback in hardirq,
 * softirq, kthread or workqueue context. These cases check that promise from
 * inside the callback (the callbacks only record; the test checks after).
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/hardirq.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/kthread.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "../lib/kclaims.h"

#define CTX_TIMEOUT_MS		2000	/* generous: loaded 2-core host */
#define BLOCK_TIMEOUT_MS	50	/* helper timeout for blocking fns */
#define WORK_BLOCK_MS		200	/* a work fn blocks this long */
#define KTHREAD_BLOCK_CAP_MS	5000	/* safety cap if kthread_stop never comes */
/*
 * A jiffies timeout may end up to one jiffy early (ms deltas truncate);
 * on SMP jiffies may also lag by up to MAX_STALLED_JIFFIES (5) ticks while
 * the CPU that keeps them is a descheduled vCPU (kernel/time/tick-sched.c).
 */
#define JIFFY_SLACK_MS		((IS_ENABLED(CONFIG_SMP) ? 7 : 2) * MSEC_PER_SEC / HZ)

struct ctx_param {
	enum kclaims_ctx ctx;
	bool process;		/* task context that may sleep */
};

static const struct ctx_param ctx_params[] = {
	{ KCLAIMS_CTX_HARDIRQ, false },
	{ KCLAIMS_CTX_SOFTIRQ, false },
	{ KCLAIMS_CTX_KTHREAD, true },
	{ KCLAIMS_CTX_WORKQUEUE, true },
};

static void ctx_param_desc(const struct ctx_param *p, char *desc)
{
	strscpy(desc, kclaims_ctx_name(p->ctx), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ctx, ctx_params, ctx_param_desc);

/* What a callback saw beyond struct kclaims_ctx_obs. */
struct ctx_rec {
	atomic_t calls;
	void *arg_seen;
	char comm[TASK_COMM_LEN];
	bool preemptible;
	bool slept;
};

static void record_fn(void *arg)
{
	struct ctx_rec *r = arg;

	r->arg_seen = arg;
	atomic_inc(&r->calls);
	strscpy(r->comm, current->comm, sizeof(r->comm));
}

/* Helper self-test (no claim): hrtimer _HARD callback is hardirq context. */
static void hardirq_callback_runs_in_hardirq(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct ctx_rec r = {};
	int ret;

	ret = kclaims_run_in(KCLAIMS_CTX_HARDIRQ, record_fn, &r, &obs,
			     CTX_TIMEOUT_MS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.ran);
	KUNIT_EXPECT_TRUE(test, obs.in_hardirq);
	KUNIT_EXPECT_TRUE(test, obs.in_interrupt);
	KUNIT_EXPECT_TRUE(test, obs.irqs_disabled);
	KUNIT_EXPECT_FALSE(test, obs.in_task);
	/*
	 * Not checked: in_serving_softirq(). A hardirq may interrupt a softirq
	 * handler, and then both are true (seen once in 20 loaded runs).
	 */
	KUNIT_EXPECT_NE(test, obs.preempt_count & HARDIRQ_MASK, 0U);
}

/* Helper self-test (no claim): timer_list callback runs in TIMER_SOFTIRQ. */
static void softirq_callback_runs_in_serving_softirq(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct ctx_rec r = {};
	int ret;

	ret = kclaims_run_in(KCLAIMS_CTX_SOFTIRQ, record_fn, &r, &obs,
			     CTX_TIMEOUT_MS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.ran);
	KUNIT_EXPECT_TRUE(test, obs.in_serving_softirq);
	KUNIT_EXPECT_TRUE(test, obs.in_interrupt);
	KUNIT_EXPECT_FALSE(test, obs.in_hardirq);
	KUNIT_EXPECT_FALSE(test, obs.in_task);
	/* softirq actions run with local irqs enabled */
	KUNIT_EXPECT_FALSE(test, obs.irqs_disabled);
	KUNIT_EXPECT_EQ(test, obs.preempt_count & HARDIRQ_MASK, 0U);
	KUNIT_EXPECT_NE(test, obs.preempt_count & SOFTIRQ_OFFSET, 0U);
}

/* Helper self-test (no claim): a fresh kthread, not the test's, not a kworker. */
static void kthread_callback_runs_in_new_kthread(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct ctx_rec r = {};
	int ret;

	ret = kclaims_run_in(KCLAIMS_CTX_KTHREAD, record_fn, &r, &obs,
			     CTX_TIMEOUT_MS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.ran);
	KUNIT_EXPECT_TRUE(test, obs.in_task);
	KUNIT_EXPECT_TRUE(test, obs.is_kthread);
	KUNIT_EXPECT_FALSE(test, obs.is_kworker);
	KUNIT_EXPECT_FALSE(test, obs.in_interrupt);
	KUNIT_EXPECT_FALSE(test, obs.irqs_disabled);
	KUNIT_EXPECT_PTR_NE(test, obs.task, current);
	KUNIT_EXPECT_NE(test, obs.pid, current->pid);
	KUNIT_EXPECT_STREQ(test, r.comm, "kclaims_ctx");
}

/* Helper self-test (no claim): work item runs in a kworker (PF_WQ_WORKER). */
static void workqueue_callback_runs_in_kworker(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct ctx_rec r = {};
	int ret;

	ret = kclaims_run_in(KCLAIMS_CTX_WORKQUEUE, record_fn, &r, &obs,
			     CTX_TIMEOUT_MS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.ran);
	KUNIT_EXPECT_TRUE(test, obs.in_task);
	KUNIT_EXPECT_TRUE(test, obs.is_kworker);
	KUNIT_EXPECT_TRUE(test, obs.is_kthread);
	KUNIT_EXPECT_FALSE(test, obs.in_interrupt);
	KUNIT_EXPECT_FALSE(test, obs.irqs_disabled);
	KUNIT_EXPECT_PTR_NE(test, obs.task, current);
	KUNIT_EXPECT_EQ(test, strncmp(r.comm, "kworker/", 8), 0);
}

/*
 * Helper self-test (no claim): fn gets its arg and runs exactly once per
 * call, in every context; two calls give exactly two runs.
 */
static void callback_gets_arg_and_runs_once(struct kunit *test)
{
	const struct ctx_param *p = test->param_value;
	struct kclaims_ctx_obs obs;
	struct ctx_rec r = {};
	int ret;

	ret = kclaims_run_in(p->ctx, record_fn, &r, &obs, CTX_TIMEOUT_MS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, obs.ran);
	KUNIT_EXPECT_PTR_EQ(test, r.arg_seen, (void *)&r);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.calls), 1);

	ret = kclaims_run_in(p->ctx, record_fn, &r, &obs, CTX_TIMEOUT_MS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.calls), 2);
}

/* Sleep only where the context said it is preemptible. */
static void maybe_sleep_fn(void *arg)
{
	struct ctx_rec *r = arg;
	unsigned long nvcsw;

	r->preemptible = preemptible();
	if (!r->preemptible)
		return;
	nvcsw = READ_ONCE(current->nvcsw);
	schedule_timeout_uninterruptible(1);
	r->slept = READ_ONCE(current->nvcsw) > nvcsw;
}

/*
 * Helper self-test (no claim): preempt_count()==0 with irqs on (sleeping
 * allowed) exactly in the process contexts, and a real sleep works there.
 */
static void sleeping_allowed_only_in_process_context(struct kunit *test)
{
	const struct ctx_param *p = test->param_value;
	struct kclaims_ctx_obs obs;
	struct ctx_rec r = {};
	int ret;

	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "needs CONFIG_PREEMPT_COUNT to see atomic context");

	ret = kclaims_run_in(p->ctx, maybe_sleep_fn, &r, &obs, CTX_TIMEOUT_MS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, r.preemptible, p->process);
	KUNIT_EXPECT_EQ(test, obs.preempt_count == 0, p->process);
	/* a voluntary switch proves the sleep really happened */
	KUNIT_EXPECT_EQ(test, r.slept, p->process);
}

struct blocker {
	struct completion never;	/* nobody completes it */
	bool started;
	bool saw_stop;
	bool finished;
	unsigned long wait_left;
};

/* Block until kthread_stop() (capped, so a helper bug cannot hang us). */
static void block_until_stop_fn(void *arg)
{
	struct blocker *b = arg;
	unsigned long end = jiffies + msecs_to_jiffies(KTHREAD_BLOCK_CAP_MS);
	long left;

	WRITE_ONCE(b->started, true);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		left = (long)(end - jiffies);
		if (kthread_should_stop() || left <= 0)
			break;
		schedule_timeout(left);
	}
	__set_current_state(TASK_RUNNING);
	b->saw_stop = kthread_should_stop();
	WRITE_ONCE(b->finished, true);
}

/*
 * Helper self-test (no claim): a kthread fn still blocked at the timeout
 * gives -ETIMEDOUT; the helper kthread_stop()s it and returns only after fn
 * has returned, long before fn's own cap.
 */
static void kthread_timeout_stops_blocked_callback(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct blocker b = {};
	ktime_t t0;
	s64 ms;
	int ret, try;

	/* a thread that never got to start also times out; retry that */
	for (try = 0; try < 3; try++) {
		memset(&b, 0, sizeof(b));
		t0 = ktime_get();
		ret = kclaims_run_in(KCLAIMS_CTX_KTHREAD, block_until_stop_fn,
				     &b, &obs, BLOCK_TIMEOUT_MS);
		ms = ktime_ms_delta(ktime_get(), t0);
		KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
		KUNIT_EXPECT_EQ(test, obs.ran, READ_ONCE(b.started));
		KUNIT_EXPECT_EQ(test, READ_ONCE(b.finished), READ_ONCE(b.started));
		if (obs.ran)
			break;
	}
	KUNIT_ASSERT_TRUE_MSG(test, obs.ran, "kthread never started in 3 tries");
	KUNIT_EXPECT_TRUE(test, b.saw_stop);
	KUNIT_EXPECT_GE(test, ms, BLOCK_TIMEOUT_MS - JIFFY_SLACK_MS);
	KUNIT_EXPECT_LT(test, ms, KTHREAD_BLOCK_CAP_MS / 2);
}

static void block_for_a_while_fn(void *arg)
{
	struct blocker *b = arg;

	WRITE_ONCE(b->started, true);
	b->wait_left = wait_for_completion_timeout(&b->never,
						   msecs_to_jiffies(WORK_BLOCK_MS));
	WRITE_ONCE(b->finished, true);
}

/*
 * Helper self-test (no claim): a work fn that blocks past the timeout gives
 * -ETIMEDOUT, and cancel_work_sync() in the helper waits for it, so nothing
 * still runs (or touches the freed call) after the helper returns.
 */
static void workqueue_timeout_waits_for_running_callback(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct blocker b = {};
	ktime_t t0;
	s64 ms;
	int ret;

	init_completion(&b.never);
	t0 = ktime_get();
	ret = kclaims_run_in(KCLAIMS_CTX_WORKQUEUE, block_for_a_while_fn, &b,
			     &obs, BLOCK_TIMEOUT_MS);
	ms = ktime_ms_delta(ktime_get(), t0);
	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, obs.ran, READ_ONCE(b.started));
	KUNIT_EXPECT_EQ(test, READ_ONCE(b.finished), READ_ONCE(b.started));
	if (!obs.ran)
		return;	/* cancelled before it started: also a valid timeout */
	KUNIT_EXPECT_TRUE(test, obs.is_kworker);
	KUNIT_EXPECT_EQ(test, b.wait_left, 0UL);
	/* returned only after fn's whole block */
	KUNIT_EXPECT_GE(test, ms, WORK_BLOCK_MS - JIFFY_SLACK_MS);
}

/* Helper self-test (no claim): kclaims_observe() in the KUnit kthread. */
static void observe_in_test_thread_is_task_context(struct kunit *test)
{
	struct kclaims_ctx_obs obs = {};

	kclaims_observe(&obs);
	KUNIT_EXPECT_TRUE(test, obs.in_task);
	KUNIT_EXPECT_TRUE(test, obs.is_kthread);
	KUNIT_EXPECT_FALSE(test, obs.is_kworker);
	KUNIT_EXPECT_FALSE(test, obs.in_interrupt);
	KUNIT_EXPECT_FALSE(test, obs.irqs_disabled);
	KUNIT_EXPECT_PTR_EQ(test, obs.task, current);
	KUNIT_EXPECT_EQ(test, obs.pid, current->pid);
}

/* Helper self-test (no claim): an unknown context runs nothing. */
static void unknown_context_is_rejected(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct ctx_rec r = {};
	int ret;

	ret = kclaims_run_in((enum kclaims_ctx)42, record_fn, &r, &obs,
			     CTX_TIMEOUT_MS);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_FALSE(test, obs.ran);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.calls), 0);
}

static struct kunit_case kclaims_context_cases[] = {
	KUNIT_CASE(hardirq_callback_runs_in_hardirq),
	KUNIT_CASE(softirq_callback_runs_in_serving_softirq),
	KUNIT_CASE(kthread_callback_runs_in_new_kthread),
	KUNIT_CASE(workqueue_callback_runs_in_kworker),
	KUNIT_CASE_PARAM(callback_gets_arg_and_runs_once, ctx_gen_params),
	KUNIT_CASE_PARAM(sleeping_allowed_only_in_process_context,
			 ctx_gen_params),
	KUNIT_CASE(kthread_timeout_stops_blocked_callback),
	KUNIT_CASE(workqueue_timeout_waits_for_running_callback),
	KUNIT_CASE(observe_in_test_thread_is_task_context),
	KUNIT_CASE(unknown_context_is_rejected),
	{}
};

static struct kunit_suite kclaims_context_suite = {
	.name = "kclaims_context",
	.test_cases = kclaims_context_cases,
};
kunit_test_suite(kclaims_context_suite);

MODULE_DESCRIPTION("kclaims: self-tests of the context helpers");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about workqueues checked against the running
 * kernel: the context a work item runs in, schedule_work() and
 * schedule_delayed_work(), flush/cancel, ordered and legacy workqueues,
 * the concurrency-managed kworker pools that replaced events/n, the
 * two-argument DECLARE_WORK and the BH workqueues that replace tasklets.
 *
 * Work functions (named kclaims_wq_*, which the mutants match) only
 * record; the test checks afterwards. Every wait is bounded.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_workqueue'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/workqueue.h>

static atomic_t kc_wq_seq = ATOMIC_INIT(0);

struct kc_work {
	struct work_struct w;
	struct delayed_work dw;
	struct completion done;
	atomic_t runs;
	/* what the (last) run saw */
	struct work_struct *arg;	/* the pointer the function got */
	struct work_struct *cur_work;	/* current_work() */
	bool in_task;
	bool in_serving_softirq;
	bool irqs_off;
	bool preemptible;
	bool wq_worker;
	bool kthread;
	bool mm_null;
	char comm[TASK_COMM_LEN];
	pid_t pid;
	ktime_t ran_at;
	s64 slept_ns;
	unsigned long nvcsw_delta;
	int order;			/* kc_wq_seq when it finished */
	/* what it does */
	unsigned int sleep_ms;
	bool blocked;			/* wait (at most 2 s) for release first */
	struct completion release;	/* inside: lives as long as the item */
	atomic_t *running;
	int max_running;
};

static void kc_work_record(struct kc_work *k, struct work_struct *arg)
{
	k->arg = arg;
	k->cur_work = current_work();
	k->in_task = in_task();
	k->in_serving_softirq = in_serving_softirq();
	k->irqs_off = irqs_disabled();
	k->preemptible = preemptible();
	k->wq_worker = current->flags & PF_WQ_WORKER;
	k->kthread = current->flags & PF_KTHREAD;
	k->mm_null = !current->mm;
	if (k->in_task)
		get_task_comm(k->comm, current);
	k->pid = current->pid;
	k->ran_at = ktime_get();
}

static void kc_work_body(struct kc_work *k)
{
	int now = 0;

	if (k->running) {
		now = atomic_inc_return(k->running);
		if (now > k->max_running)
			k->max_running = now;
	}
	if (k->blocked)
		wait_for_completion_timeout(&k->release, 2 * HZ);
	if (k->sleep_ms) {
		unsigned long nvcsw = current->nvcsw;
		ktime_t t0 = ktime_get();

		msleep(k->sleep_ms);
		k->slept_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		k->nvcsw_delta = current->nvcsw - nvcsw;
	}
	if (k->running)
		atomic_dec(k->running);
	k->order = atomic_inc_return(&kc_wq_seq);
	atomic_inc(&k->runs);
	complete(&k->done);
}

static void kclaims_wq_probe(struct work_struct *w)
{
	struct kc_work *k = container_of(w, struct kc_work, w);

	kc_work_record(k, w);
	kc_work_body(k);
}

static void kclaims_wq_dprobe(struct work_struct *w)
{
	struct kc_work *k = container_of(to_delayed_work(w), struct kc_work, dw);

	kc_work_record(k, w);
	kc_work_body(k);
}

/*
 * Runs at cleanup before k is freed (registered right after k's
 * allocation, so it runs after everything the case registered later has
 * been released): it may touch only k itself.
 */
static void kc_work_cancel(void *data)
{
	struct kc_work *k = data;

	complete_all(&k->release);
	cancel_work_sync(&k->w);
	cancel_delayed_work_sync(&k->dw);
}

static struct kc_work *kc_work_new(struct kunit *test)
{
	struct kc_work *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, k);
	INIT_WORK(&k->w, kclaims_wq_probe);
	INIT_DELAYED_WORK(&k->dw, kclaims_wq_dprobe);
	init_completion(&k->done);
	init_completion(&k->release);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kc_work_cancel, k));
	return k;
}

static void kc_wq_destroy(void *data)
{
	destroy_workqueue(data);
}

static struct workqueue_struct *kc_wq_track(struct kunit *test,
					    struct workqueue_struct *wq)
{
	KUNIT_ASSERT_NOT_NULL(test, wq);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kc_wq_destroy, wq));
	return wq;
}

/*
 * IRQ-WQ-CONTEXT, IRQ-WQ-NO-USER: a work item runs in process context, in
 * a kernel thread that is a workqueue worker (PF_WQ_WORKER), with irqs on
 * and preemptible, and it may sleep: msleep(5) really slept (>= 5 ms, a
 * voluntary context switch). The worker has no user address space
 * (current->mm == NULL).
 */
static void work_runs_in_a_kworker_that_may_sleep(struct kunit *test)
{
	struct kc_work *k = kc_work_new(test);

	k->sleep_ms = 5;
	KUNIT_ASSERT_TRUE(test, schedule_work(&k->w));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&k->done, 2 * HZ), 0);

	KUNIT_EXPECT_TRUE(test, k->in_task);
	KUNIT_EXPECT_FALSE(test, k->irqs_off);
	KUNIT_EXPECT_EQ(test, k->preemptible, IS_ENABLED(CONFIG_PREEMPTION));
	KUNIT_EXPECT_TRUE(test, k->wq_worker);
	KUNIT_EXPECT_TRUE(test, k->kthread);
	KUNIT_EXPECT_TRUE(test, k->mm_null);
	KUNIT_EXPECT_PTR_EQ(test, k->cur_work, &k->w);
	KUNIT_EXPECT_NE(test, k->pid, current->pid);
	KUNIT_EXPECT_GE(test, k->slept_ns, 5 * NSEC_PER_MSEC);
	KUNIT_EXPECT_GE(test, k->nvcsw_delta, 1);
}

/*
 * IRQ-WQ-EVENTS-N: no events/<cpu> threads any more: work runs in shared
 * kworker threads ("kworker/..."), and the pool is concurrency managed:
 * when a work item sleeps, another kworker starts the next one. Four
 * items that sleep 160, 120, 80, 40 ms on a per-CPU workqueue overlap
 * (even on one CPU), run in more than one kworker and finish shortest
 * first (the 120 ms margin covers waking or forking a kworker on a
 * loaded host).
 */
static void concurrency_managed_pool_runs_sleeping_works_in_parallel(struct kunit *test)
{
	static const unsigned int ms[] = { 160, 120, 80, 40 };
	struct workqueue_struct *wq;
	struct kc_work *k[ARRAY_SIZE(ms)];
	atomic_t *running;
	int i, max = 0, distinct = 1;

	wq = kc_wq_track(test, alloc_workqueue("kclaims_cmwq", 0, 0));
	running = kunit_kzalloc(test, sizeof(*running), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, running);
	for (i = 0; i < ARRAY_SIZE(ms); i++) {
		k[i] = kc_work_new(test);
		k[i]->sleep_ms = ms[i];
		k[i]->running = running;
	}
	for (i = 0; i < ARRAY_SIZE(ms); i++)
		KUNIT_ASSERT_TRUE(test, queue_work(wq, &k[i]->w));
	for (i = 0; i < ARRAY_SIZE(ms); i++)
		KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&k[i]->done, 2 * HZ), 0);

	for (i = 0; i < ARRAY_SIZE(ms); i++) {
		max = max(max, k[i]->max_running);
		if (i && k[i]->pid != k[0]->pid)
			distinct++;
		KUNIT_EXPECT_EQ(test, strncmp(k[i]->comm, "kworker/", 8), 0);
		KUNIT_EXPECT_NE(test, strncmp(k[i]->comm, "events/", 7), 0);
	}
	KUNIT_EXPECT_GE(test, max, 2);
	KUNIT_EXPECT_GE(test, distinct, 2);
	/* the 40 ms item, queued last, finished before the 160 ms one */
	KUNIT_EXPECT_LT(test, k[3]->order, k[0]->order);
}

/*
 * IRQ-WQ-CREATE: create_workqueue() is a legacy wrapper, now
 * alloc_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, 1, name): max_active
 * 1, so unlike the concurrency-managed case above its sleeping items run
 * one at a time, in queue order. alloc_ordered_workqueue() (what
 * create_singlethread_workqueue() wraps) does the same.
 */
static void kc_run_one_at_a_time(struct kunit *test, struct workqueue_struct *wq)
{
	static const unsigned int ms[] = { 30, 20, 10 };
	struct kc_work *k[ARRAY_SIZE(ms)];
	atomic_t *running;
	int i;

	running = kunit_kzalloc(test, sizeof(*running), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, running);
	for (i = 0; i < ARRAY_SIZE(ms); i++) {
		k[i] = kc_work_new(test);
		k[i]->sleep_ms = ms[i];
		k[i]->running = running;
	}
	for (i = 0; i < ARRAY_SIZE(ms); i++)
		KUNIT_ASSERT_TRUE(test, queue_work(wq, &k[i]->w));
	for (i = 0; i < ARRAY_SIZE(ms); i++)
		KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&k[i]->done, 2 * HZ), 0);
	for (i = 0; i < ARRAY_SIZE(ms); i++) {
		KUNIT_EXPECT_EQ(test, k[i]->max_running, 1);
		if (i)
			KUNIT_EXPECT_LT(test, k[i - 1]->order, k[i]->order);
	}
}

static void create_workqueue_runs_one_item_at_a_time(struct kunit *test)
{
	kc_run_one_at_a_time(test, kc_wq_track(test, create_workqueue("kclaims_legacy")));
}

static void ordered_workqueue_keeps_queue_order(struct kunit *test)
{
	kc_run_one_at_a_time(test,
			     kc_wq_track(test, alloc_ordered_workqueue("kclaims_ordered", 0)));
}

/*
 * IRQ-WQ-SCHEDULE: schedule_work() queues a work item that is not pending
 * and returns false (queues nothing) while it is; the item then runs
 * once. Preemption is held off between the two calls so that the kworker
 * cannot start the item in between.
 */
static void schedule_work_returns_false_while_pending(struct kunit *test)
{
	struct kc_work *k = kc_work_new(test);
	bool first, second, pending;

	preempt_disable();
	first = schedule_work(&k->w);
	second = schedule_work(&k->w);
	pending = work_pending(&k->w);
	preempt_enable();
	KUNIT_EXPECT_TRUE(test, flush_work(&k->w));

	KUNIT_EXPECT_TRUE(test, first);
	KUNIT_EXPECT_FALSE(test, second);
	KUNIT_EXPECT_TRUE(test, pending);
	KUNIT_EXPECT_EQ(test, atomic_read(&k->runs), 1);
	KUNIT_EXPECT_FALSE(test, work_pending(&k->w));

	/* once it ran it can be queued again */
	KUNIT_EXPECT_TRUE(test, schedule_work(&k->w));
	KUNIT_EXPECT_TRUE(test, flush_work(&k->w));
	KUNIT_EXPECT_EQ(test, atomic_read(&k->runs), 2);
}

/*
 * IRQ-WQ-SCHEDULE: schedule_delayed_work(dw, 100 ms) runs the item no
 * sooner than the delay: its timer expires when jiffies reach the value
 * at queueing + 10, which is at least 9 whole jiffies (90 ms) later,
 * however far into the current jiffy it was queued.
 */
static void delayed_work_waits_at_least_its_delay(struct kunit *test)
{
	struct kc_work *k = kc_work_new(test);
	ktime_t t0;
	s64 waited_ms;

	t0 = ktime_get();
	KUNIT_ASSERT_TRUE(test, schedule_delayed_work(&k->dw, msecs_to_jiffies(100)));
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&k->dw));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&k->done, 2 * HZ), 0);
	waited_ms = ktime_ms_delta(k->ran_at, t0);
	KUNIT_EXPECT_GE(test, waited_ms, 90);
	KUNIT_EXPECT_PTR_EQ(test, k->arg, &k->dw.work);
}

/*
 * IRQ-WQ-SCHEDULE: flush_work() waits until a running item has finished
 * (a 50 ms sleeper); cancel_work_sync() takes a queued item off before it
 * runs (returns true, it never runs); cancel_delayed_work_sync() does the
 * same for a delayed item whose timer is pending.
 */
static void flush_waits_and_cancel_removes_pending_work(struct kunit *test)
{
	struct workqueue_struct *wq;
	struct kc_work *slow = kc_work_new(test);
	struct kc_work *blocker = kc_work_new(test);
	struct kc_work *victim = kc_work_new(test);
	struct kc_work *delayed = kc_work_new(test);
	int slow_runs;

	/* flush_work */
	slow->sleep_ms = 50;
	KUNIT_ASSERT_TRUE(test, schedule_work(&slow->w));
	KUNIT_EXPECT_TRUE(test, flush_work(&slow->w));
	slow_runs = atomic_read(&slow->runs);
	KUNIT_EXPECT_EQ(test, slow_runs, 1);

	/* cancel_work_sync: the victim waits behind a blocker */
	blocker->blocked = true;
	wq = kc_wq_track(test, alloc_ordered_workqueue("kclaims_cancel", 0));
	KUNIT_ASSERT_TRUE(test, queue_work(wq, &blocker->w));
	KUNIT_ASSERT_TRUE(test, queue_work(wq, &victim->w));
	KUNIT_EXPECT_TRUE(test, cancel_work_sync(&victim->w));
	complete_all(&blocker->release);
	flush_workqueue(wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&blocker->runs), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&victim->runs), 0);
	KUNIT_EXPECT_FALSE(test, work_pending(&victim->w));

	/* cancel_delayed_work_sync on a 10 s timer */
	KUNIT_ASSERT_TRUE(test, schedule_delayed_work(&delayed->dw, 10 * HZ));
	KUNIT_EXPECT_TRUE(test, cancel_delayed_work_sync(&delayed->dw));
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&delayed->dw));
	KUNIT_EXPECT_FALSE(test, cancel_delayed_work_sync(&delayed->dw));
	KUNIT_EXPECT_EQ(test, atomic_read(&delayed->runs), 0);
}

/*
 * IRQ-WQ-DECLARE-WORK: DECLARE_WORK(name, func) and INIT_WORK(work, func)
 * take no data argument any more (since 2.6.20): work_func_t is
 * void (*)(struct work_struct *), the function gets the work_struct and
 * reaches its data with container_of.
 */
struct kc_declared {
	int payload;
	struct work_struct *arg;
	struct completion done;
};

static struct kc_declared kc_declared_data;

static void kclaims_wq_declared(struct work_struct *w)
{
	kc_declared_data.arg = w;
	kc_declared_data.payload = 42;
	complete(&kc_declared_data.done);
}

static DECLARE_WORK(kc_declared_work, kclaims_wq_declared);

static void declare_work_takes_no_data_argument(struct kunit *test)
{
	struct kc_work *k = kc_work_new(test);

	BUILD_BUG_ON(!__same_type(work_func_t, void (*)(struct work_struct *)));

	init_completion(&kc_declared_data.done);
	kc_declared_data.payload = 0;
	KUNIT_ASSERT_TRUE(test, schedule_work(&kc_declared_work));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&kc_declared_data.done, 2 * HZ), 0);
	flush_work(&kc_declared_work);
	KUNIT_EXPECT_PTR_EQ(test, kc_declared_data.arg, &kc_declared_work);
	KUNIT_EXPECT_EQ(test, kc_declared_data.payload, 42);

	/* INIT_WORK'd inside a structure: container_of gets back to it */
	KUNIT_ASSERT_TRUE(test, schedule_work(&k->w));
	KUNIT_ASSERT_TRUE(test, flush_work(&k->w));
	KUNIT_EXPECT_PTR_EQ(test, k->arg, &k->w);
	KUNIT_EXPECT_EQ(test, atomic_read(&k->runs), 1);
}

/*
 * IRQ-TASKLET-SOFTIRQ (the replacement): a BH workqueue (WQ_BH, 6.9;
 * system_bh_wq) runs its items in softirq context like a tasklet, not in
 * a kworker task.
 */
static void bh_workqueue_runs_work_in_softirq_context(struct kunit *test)
{
	struct kc_work *k = kc_work_new(test);

	/*
	 * Its own INIT_WORK site: a lockdep class of its own, taken only in
	 * softirq context (the shared one is taken in kworkers, irqs on).
	 */
	INIT_WORK(&k->w, kclaims_wq_probe);
	KUNIT_ASSERT_TRUE(test, queue_work(system_bh_wq, &k->w));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&k->done, 2 * HZ), 0);
	KUNIT_EXPECT_TRUE(test, k->in_serving_softirq);
	KUNIT_EXPECT_FALSE(test, k->in_task);
	KUNIT_EXPECT_PTR_EQ(test, k->arg, &k->w);
}

static struct kunit_case kclaims_workqueue_cases[] = {
	KUNIT_CASE(work_runs_in_a_kworker_that_may_sleep),
	KUNIT_CASE(concurrency_managed_pool_runs_sleeping_works_in_parallel),
	KUNIT_CASE(create_workqueue_runs_one_item_at_a_time),
	KUNIT_CASE(ordered_workqueue_keeps_queue_order),
	KUNIT_CASE(schedule_work_returns_false_while_pending),
	KUNIT_CASE(delayed_work_waits_at_least_its_delay),
	KUNIT_CASE(flush_waits_and_cancel_removes_pending_work),
	KUNIT_CASE(declare_work_takes_no_data_argument),
	KUNIT_CASE(bh_workqueue_runs_work_in_softirq_context),
	{}
};

static struct kunit_suite kclaims_workqueue_suite = {
	.name = "kclaims_workqueue",
	.test_cases = kclaims_workqueue_cases,
};

kunit_test_suite(kclaims_workqueue_suite);

MODULE_DESCRIPTION("kclaims: workqueue claims");
MODULE_LICENSE("GPL");

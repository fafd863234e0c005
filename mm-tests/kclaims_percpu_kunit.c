// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about per-CPU data (DEFINE_PER_CPU,
 * get_cpu_var/put_cpu_var, alloc_percpu, this_cpu ops) and the claim that
 * disabling preemption makes per-CPU data safe against interrupts.
 *
 * The interrupt side is an hrtimer in HRTIMER_MODE_*_HARD, i.e. a hardirq
 * on the CPU that armed it (pinned). Nothing is asserted while preemption or
 * interrupts are off: values are recorded and checked afterwards.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_percpu'
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/smp.h>

#include "../lib/kclaims.h"

static DEFINE_PER_CPU(int, kclaims_pcpu_ctr);
static DEFINE_PER_CPU(unsigned long, kclaims_pcpu_race);

/*
 * MM-PERCPU-API: DEFINE_PER_CPU(type, name) (type first, unlike the note's
 * (var, name)); get_cpu_var() disables preemption (preempt_count + 1) and
 * hands back this CPU's copy; put_cpu_var() restores the count.
 */
static void get_cpu_var_disables_preemption_until_put(struct kunit *test)
{
	int before_count, inside_count, after_count, old, cpu;
	bool inside_preemptible;

	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "preempt_count is not maintained without CONFIG_PREEMPT_COUNT");

	before_count = preempt_count();
	cpu = get_cpu();
	old = per_cpu(kclaims_pcpu_ctr, cpu);
	put_cpu();

	get_cpu_var(kclaims_pcpu_ctr)++;
	inside_count = preempt_count();
	inside_preemptible = preemptible();
	cpu = smp_processor_id();
	put_cpu_var(kclaims_pcpu_ctr);
	after_count = preempt_count();

	KUNIT_EXPECT_EQ(test, inside_count, before_count + 1);
	KUNIT_EXPECT_FALSE(test, inside_preemptible);
	KUNIT_EXPECT_EQ(test, after_count, before_count);
	/* the increment went to the copy of the CPU we ran on */
	KUNIT_EXPECT_EQ(test, per_cpu(kclaims_pcpu_ctr, cpu), old + 1);
}

struct pcpu_blob {
	u64 word[16];
};

/*
 * MM-PERCPU-API: alloc_percpu(type) (not the note's alloc_percpu(size,
 * align), which is __alloc_percpu() now) returns zeroed memory for every
 * possible CPU, even when it hands back an area that was just dirtied and
 * freed.
 */
static void alloc_percpu_is_zeroed_for_every_possible_cpu(struct kunit *test)
{
	struct pcpu_blob __percpu *p, *q;
	void __percpu *r;
	int cpu, i;

	p = alloc_percpu(struct pcpu_blob);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for_each_possible_cpu(cpu) {
		struct pcpu_blob *b = per_cpu_ptr(p, cpu);

		KUNIT_EXPECT_NULL(test, memchr_inv(b, 0, sizeof(*b)));
		memset(b, 0xaa, sizeof(*b));
	}
	free_percpu(p);

	q = alloc_percpu(struct pcpu_blob);
	KUNIT_ASSERT_NOT_NULL(test, q);
	kunit_info(test, "second allocation %s the freed area\n",
		   q == p ? "reuses" : "does not reuse");
	for_each_possible_cpu(cpu) {
		struct pcpu_blob *b = per_cpu_ptr(q, cpu);

		for (i = 0; i < ARRAY_SIZE(b->word); i++)
			KUNIT_EXPECT_EQ(test, b->word[i], 0ULL);
	}
	free_percpu(q);

	/* the size + align form of the note */
	r = __alloc_percpu(256, 256);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for_each_possible_cpu(cpu) {
		void *b = per_cpu_ptr(r, cpu);

		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)b, 256));
		KUNIT_EXPECT_NULL(test, memchr_inv(b, 0, 256));
	}
	free_percpu(r);
}

static void pcpu_write_own_copy(void *arg)
{
	int __percpu *p = (int __percpu __force *)arg;

	this_cpu_write(*p, 100 + smp_processor_id());
}

/*
 * MM-PERCPU-API: per_cpu_ptr(p, cpu) gives every possible CPU its own copy
 * and this_cpu_ptr() is the running CPU's one: what each online CPU wrote
 * through this_cpu_write() is found through per_cpu_ptr() of that CPU.
 * On UP both are the identity, so there is nothing to observe.
 */
static void per_cpu_ptr_gives_each_possible_cpu_its_own_copy(struct kunit *test)
{
	int __percpu *p;
	int cpu, other, here;
	int *mine, *this;

	if (num_possible_cpus() < 2)
		kunit_skip(test, "needs SMP (QEMU x86_64 -smp 2)");

	p = alloc_percpu(int);
	KUNIT_ASSERT_NOT_NULL(test, p);

	cpus_read_lock();
	on_each_cpu(pcpu_write_own_copy, (void __force *)p, 1);
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_EQ(test, *per_cpu_ptr(p, cpu), 100 + cpu);
	cpus_read_unlock();
	for_each_possible_cpu(cpu)
		for_each_possible_cpu(other)
			if (other != cpu)
				KUNIT_EXPECT_PTR_NE(test, per_cpu_ptr(p, cpu),
						    per_cpu_ptr(p, other));

	here = get_cpu();
	this = this_cpu_ptr(p);
	mine = per_cpu_ptr(p, here);
	put_cpu();
	KUNIT_EXPECT_PTR_EQ(test, this, mine);
	free_percpu(p);
}

/*
 * MM-PERCPU-API: the this_cpu_*() operations act on the running CPU's copy
 * (and need no get_cpu_var()/put_cpu_var() pair around them).
 */
static void this_cpu_ops_update_the_running_cpus_copy(struct kunit *test)
{
	int cpu, val, oldv, cmp_ok, cmp_fail, xchg_old;

	preempt_disable();
	cpu = smp_processor_id();
	this_cpu_write(kclaims_pcpu_ctr, 5);
	this_cpu_add(kclaims_pcpu_ctr, 3);
	this_cpu_inc(kclaims_pcpu_ctr);
	val = this_cpu_read(kclaims_pcpu_ctr);
	oldv = this_cpu_cmpxchg(kclaims_pcpu_ctr, 9, 20);
	cmp_ok = this_cpu_read(kclaims_pcpu_ctr);
	(void)this_cpu_cmpxchg(kclaims_pcpu_ctr, 9, 30);
	cmp_fail = this_cpu_read(kclaims_pcpu_ctr);
	xchg_old = this_cpu_xchg(kclaims_pcpu_ctr, 1);
	preempt_enable();

	KUNIT_EXPECT_EQ(test, val, 9);
	KUNIT_EXPECT_EQ(test, oldv, 9);
	KUNIT_EXPECT_EQ(test, cmp_ok, 20);
	KUNIT_EXPECT_EQ(test, cmp_fail, 20);
	KUNIT_EXPECT_EQ(test, xchg_old, 20);
	KUNIT_EXPECT_EQ(test, per_cpu(kclaims_pcpu_ctr, cpu), 1);
}

/* An interrupt (pinned hardirq hrtimer) that bumps the per-CPU counter. */
struct pcpu_irq {
	struct hrtimer timer;
	struct completion done;
	int phase;		/* process side: 1 inside the RMW window, 2 after */
	int seen_phase;		/* what the interrupt saw */
	bool fired;
	bool in_hardirq;
	unsigned int period_us;	/* 0: one shot */
	unsigned int fires;
};

static enum hrtimer_restart pcpu_irq_fn(struct hrtimer *t)
{
	struct pcpu_irq *pi = container_of(t, struct pcpu_irq, timer);

	pi->seen_phase = READ_ONCE(pi->phase);
	pi->in_hardirq = in_hardirq();
	this_cpu_inc(kclaims_pcpu_race);
	pi->fires++;
	WRITE_ONCE(pi->fired, true);
	if (pi->period_us) {
		hrtimer_forward_now(t, ns_to_ktime((u64)(pi->period_us) * NSEC_PER_USEC));
		return HRTIMER_RESTART;
	}
	complete(&pi->done);
	return HRTIMER_NORESTART;
}

static void pcpu_irq_init(struct pcpu_irq *pi, unsigned int period_us)
{
	memset(pi, 0, sizeof(*pi));
	init_completion(&pi->done);
	pi->period_us = period_us;
	hrtimer_init(&pi->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	pi->timer.function = pcpu_irq_fn;
}

static void pcpu_irq_start(struct pcpu_irq *pi, unsigned int delay_us)
{
	hrtimer_start(&pi->timer, ns_to_ktime((u64)(delay_us) * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

static unsigned long pcpu_race_sum(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(kclaims_pcpu_race, cpu);
	return sum;
}

#define RMW_WINDOW_MS 200

/*
 * MM-PERCPU-IRQSAFE (false): get_cpu_var() only disables preemption. An
 * interrupt on the same CPU still runs between the read and the write of a
 * read-modify-write, and its update is lost.
 */
static void get_cpu_var_rmw_loses_an_update_from_hardirq(struct kunit *test)
{
	struct pcpu_irq *pi;
	unsigned long before, v, after;
	unsigned long *p;
	ktime_t deadline;

	pi = kunit_kzalloc(test, sizeof(*pi), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pi);
	pcpu_irq_init(pi, 0);
	before = pcpu_race_sum();

	p = &get_cpu_var(kclaims_pcpu_race);
	v = *p;					/* read */
	WRITE_ONCE(pi->phase, 1);
	pcpu_irq_start(pi, 500);
	deadline = ktime_add_ms(ktime_get(), RMW_WINDOW_MS);
	while (!READ_ONCE(pi->fired) && ktime_before(ktime_get(), deadline))
		cpu_relax();
	*p = v + 1;				/* modify + write */
	WRITE_ONCE(pi->phase, 2);
	put_cpu_var(kclaims_pcpu_race);

	hrtimer_cancel(&pi->timer);
	after = pcpu_race_sum();

	KUNIT_ASSERT_TRUE_MSG(test, pi->fired, "hrtimer did not fire in %d ms",
			      RMW_WINDOW_MS);
	KUNIT_EXPECT_TRUE(test, pi->in_hardirq);
	/* the interrupt ran inside the preempt-disabled section ... */
	KUNIT_EXPECT_EQ(test, pi->seen_phase, 1);
	/* ... and the write-back overwrote its increment */
	KUNIT_EXPECT_EQ(test, after, before + 1);
}

/*
 * MM-PERCPU-IRQSAFE: with local_irq_save() around the read-modify-write the
 * interrupt that expires inside the window is held back until the restore,
 * so both increments survive.
 */
static void irqsave_rmw_keeps_the_update_from_hardirq(struct kunit *test)
{
	unsigned long before, v, after, flags;
	struct pcpu_irq *pi;
	unsigned long *p;
	ktime_t until;

	pi = kunit_kzalloc(test, sizeof(*pi), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pi);
	pcpu_irq_init(pi, 0);
	before = pcpu_race_sum();

	local_irq_save(flags);
	p = this_cpu_ptr(&kclaims_pcpu_race);
	v = *p;
	WRITE_ONCE(pi->phase, 1);
	pcpu_irq_start(pi, 500);
	/* stay well past the expiry: the interrupt is pending, not lost */
	until = ktime_add_ms(ktime_get(), 5);
	while (ktime_before(ktime_get(), until))
		cpu_relax();
	*p = v + 1;
	WRITE_ONCE(pi->phase, 2);
	local_irq_restore(flags);

	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&pi->done,
							  msecs_to_jiffies(1000)),
			0UL);
	hrtimer_cancel(&pi->timer);
	after = pcpu_race_sum();

	KUNIT_ASSERT_TRUE(test, pi->fired);
	KUNIT_EXPECT_TRUE(test, pi->in_hardirq);
	KUNIT_EXPECT_EQ(test, pi->seen_phase, 2);
	KUNIT_EXPECT_EQ(test, after, before + 2);
}

#define INC_FIRES 20U
#define INC_DEADLINE_MS 1000

/*
 * MM-PERCPU-IRQSAFE: this_cpu_inc() is a single interrupt-safe operation
 * (one instruction on x86, irq-save on generic/UML), so a stream of
 * interrupts incrementing the same counter loses nothing.
 */
static void this_cpu_inc_keeps_every_update_from_hardirq(struct kunit *test)
{
	unsigned long before, after, local = 0;
	struct pcpu_irq *pi;
	ktime_t until;

	pi = kunit_kzalloc(test, sizeof(*pi), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pi);
	pcpu_irq_init(pi, 200);
	before = pcpu_race_sum();

	pcpu_irq_start(pi, 200);
	until = ktime_add_ms(ktime_get(), INC_DEADLINE_MS);
	while (READ_ONCE(pi->fires) < INC_FIRES &&
	       ktime_before(ktime_get(), until)) {
		this_cpu_inc(kclaims_pcpu_race);
		local++;
	}
	hrtimer_cancel(&pi->timer);
	after = pcpu_race_sum();

	kunit_info(test, "%lu task increments, %u interrupt increments\n",
		   local, pi->fires);
	KUNIT_EXPECT_GE(test, pi->fires, INC_FIRES);
	KUNIT_EXPECT_TRUE(test, pi->in_hardirq);
	KUNIT_EXPECT_EQ(test, after, before + local + pi->fires);
}

#define BENEFIT_LOOPS 200000
#define BENEFIT_ROUNDS 9
#define BENEFIT_SYNC_NS (100 * NSEC_PER_MSEC)
#define BENEFIT_MIN_RATIO_PCT 125

struct pcpu_bench {
	atomic_t shared;
	int __percpu *ctr;
	bool use_shared;
	atomic_t arrived;
	unsigned int nr_cpus;
	u64 __percpu *ns;
	unsigned int __percpu *jumps;
};

/*
 * Runs on every online CPU (IPI, interrupts off): meet the others at a
 * bounded spin barrier, then increment BENEFIT_LOOPS times. Both sides do
 * the same bookkeeping: a value that is not the previous one plus one
 * means another CPU incremented in between (a "jump"), which only happens
 * on the shared counter and only while the CPUs really run at once.
 */
static void pcpu_bench_fn(void *arg)
{
	struct pcpu_bench *b = arg;
	u64 t0 = ktime_get_ns();
	unsigned int jumps = 0;
	int i, v, prev;

	atomic_inc(&b->arrived);
	while (atomic_read(&b->arrived) < b->nr_cpus &&
	       ktime_get_ns() - t0 < BENEFIT_SYNC_NS)
		cpu_relax();
	prev = b->use_shared ? atomic_read(&b->shared) : this_cpu_read(*b->ctr);
	t0 = ktime_get_ns();
	for (i = 0; i < BENEFIT_LOOPS; i++) {
		if (b->use_shared)
			v = atomic_inc_return(&b->shared);
		else
			v = this_cpu_inc_return(*b->ctr);
		if (v != prev + 1)
			jumps++;
		prev = v;
	}
	*this_cpu_ptr(b->ns) = ktime_get_ns() - t0;
	*this_cpu_ptr(b->jumps) = jumps;
}

/* One timed round on all online CPUs: the longest per-CPU loop time. */
static u64 pcpu_bench_round(struct pcpu_bench *b, bool use_shared,
			    unsigned int *jumps)
{
	u64 max = 0;
	int cpu;

	b->use_shared = use_shared;
	atomic_set(&b->arrived, 0);
	on_each_cpu(pcpu_bench_fn, b, 1);
	*jumps = 0;
	for_each_online_cpu(cpu) {
		max = max(max, *per_cpu_ptr(b->ns, cpu));
		*jumps += *per_cpu_ptr(b->jumps, cpu);
	}
	return max;
}

/*
 * MM-PERCPU-BENEFIT: per-CPU counters avoid the shared cache line that
 * all CPUs fight over. Shown only with several CPUs (the runner's QEMU
 * x86_64 with -smp 2); on UP there is nothing to share, so it skips.
 * Each round times BENEFIT_LOOPS increments on every CPU at once,
 * alternating a shared atomic_t and a per-CPU counter; medians over
 * BENEFIT_ROUNDS rounds are compared. A 2-vCPU TCG guest on a loaded
 * 2-core host may run its vCPUs by turns, and then no cache line bounces:
 * the case checks that the CPUs did interleave finely (the shared counter
 * was bumped by another CPU between two of this CPU's increments in at
 * least 1% of them, median round) and skips otherwise, as it has nothing
 * to show. When they interleave, the shared atomic must take at least
 * BENEFIT_MIN_RATIO_PCT/100 times as long as the per-CPU counter.
 */
static void percpu_counter_beats_shared_atomic_on_smp(struct kunit *test)
{
	u64 tshared[BENEFIT_ROUNDS], tpcpu[BENEFIT_ROUNDS];
	u64 jshared[BENEFIT_ROUNDS], jpcpu[BENEFIT_ROUNDS];
	u64 ms, mp, mj, ratio10;
	unsigned int j, pcpu_jumps = 0;
	struct pcpu_bench *b;
	long sum = 0;
	int cpu, r;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs SMP (QEMU x86_64 -smp 2): %u CPU online",
			   num_online_cpus());

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->ctr = alloc_percpu(int);
	b->ns = alloc_percpu(u64);
	b->jumps = alloc_percpu(unsigned int);
	if (!b->ctr || !b->ns || !b->jumps) {
		free_percpu(b->ctr);
		free_percpu(b->ns);
		free_percpu(b->jumps);
		KUNIT_FAIL(test, "alloc_percpu failed");
		return;
	}

	cpus_read_lock();
	b->nr_cpus = num_online_cpus();
	for (r = 0; r < BENEFIT_ROUNDS; r++) {
		/* alternate the order, so that drifting host load hits both */
		if (r & 1) {
			tpcpu[r] = pcpu_bench_round(b, false, &j);
			jpcpu[r] = j;
			tshared[r] = pcpu_bench_round(b, true, &j);
			jshared[r] = j;
		} else {
			tshared[r] = pcpu_bench_round(b, true, &j);
			jshared[r] = j;
			tpcpu[r] = pcpu_bench_round(b, false, &j);
			jpcpu[r] = j;
		}
		pcpu_jumps += jpcpu[r];
	}
	for_each_online_cpu(cpu)
		sum += *per_cpu_ptr(b->ctr, cpu);
	cpus_read_unlock();
	free_percpu(b->ctr);
	free_percpu(b->ns);
	free_percpu(b->jumps);

	/* no increment is lost on either side, and per-CPU ones never mix */
	KUNIT_EXPECT_EQ(test, atomic_read(&b->shared),
			BENEFIT_LOOPS * BENEFIT_ROUNDS * (int)b->nr_cpus);
	KUNIT_EXPECT_EQ(test, sum,
			BENEFIT_LOOPS * BENEFIT_ROUNDS * (long)b->nr_cpus);
	KUNIT_EXPECT_EQ(test, pcpu_jumps, 0U);

	ms = kclaims_median_u64(tshared, BENEFIT_ROUNDS);
	mp = kclaims_median_u64(tpcpu, BENEFIT_ROUNDS);
	mj = kclaims_median_u64(jshared, BENEFIT_ROUNDS);
	ratio10 = min(div64_u64(ms * 10, max(mp, 1ULL)), 99999ULL);
	kunit_info(test, "%u CPUs: shared atomic %llu ns, per-CPU %llu ns, ratio %u.%u; shared counter jumped %llu times of %u\n",
		   b->nr_cpus, ms, mp, (u32)ratio10 / 10, (u32)ratio10 % 10,
		   mj, BENEFIT_LOOPS * b->nr_cpus);
	if (mj * 100 < BENEFIT_LOOPS) {
		/* never turn a failure above into a skip */
		if (READ_ONCE(test->status) != KUNIT_FAILURE)
			kunit_skip(test, "vCPUs took turns (%llu interleavings): no contention to show",
				   mj);
		return;
	}
	KUNIT_EXPECT_GE(test, ms * 100, mp * BENEFIT_MIN_RATIO_PCT);
}

static struct kunit_case kclaims_percpu_cases[] = {
	KUNIT_CASE(get_cpu_var_disables_preemption_until_put),
	KUNIT_CASE(alloc_percpu_is_zeroed_for_every_possible_cpu),
	KUNIT_CASE(per_cpu_ptr_gives_each_possible_cpu_its_own_copy),
	KUNIT_CASE(this_cpu_ops_update_the_running_cpus_copy),
	KUNIT_CASE(get_cpu_var_rmw_loses_an_update_from_hardirq),
	KUNIT_CASE(irqsave_rmw_keeps_the_update_from_hardirq),
	KUNIT_CASE(this_cpu_inc_keeps_every_update_from_hardirq),
	KUNIT_CASE_SLOW(percpu_counter_beats_shared_atomic_on_smp),
	{}
};

static struct kunit_suite kclaims_percpu_suite = {
	.name = "kclaims_percpu",
	.test_cases = kclaims_percpu_cases,
};
kunit_test_suite(kclaims_percpu_suite);

MODULE_DESCRIPTION("kclaims: per-CPU data claims of the notes");
MODULE_LICENSE("GPL");

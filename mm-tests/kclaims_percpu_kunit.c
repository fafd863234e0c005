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

/*
 * MM-PERCPU-API: per_cpu_ptr(p, cpu) gives every possible CPU its own copy
 * and this_cpu_ptr() is the running CPU's one. On a UP kernel (UML) the
 * per-CPU machinery collapses: the only copy is the pointer itself.
 */
static void per_cpu_ptr_gives_each_possible_cpu_its_own_copy(struct kunit *test)
{
	int __percpu *p;
	int cpu, other, here;
	int *mine, *this;

	p = alloc_percpu(int);
	KUNIT_ASSERT_NOT_NULL(test, p);

	for_each_possible_cpu(cpu)
		*per_cpu_ptr(p, cpu) = 100 + cpu;
	for_each_possible_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, *per_cpu_ptr(p, cpu), 100 + cpu);
		for_each_possible_cpu(other)
			if (other != cpu)
				KUNIT_EXPECT_PTR_NE(test, per_cpu_ptr(p, cpu),
						    per_cpu_ptr(p, other));
	}

	here = get_cpu();
	this = this_cpu_ptr(p);
	mine = per_cpu_ptr(p, here);
	put_cpu();
	KUNIT_EXPECT_PTR_EQ(test, this, mine);
	KUNIT_EXPECT_EQ(test, *this, 100 + here);

	kunit_info(test, "possible CPUs: %u, SMP: %d\n", num_possible_cpus(),
		   IS_ENABLED(CONFIG_SMP));
	if (!IS_ENABLED(CONFIG_SMP)) {
		KUNIT_EXPECT_EQ(test, num_possible_cpus(), 1U);
		KUNIT_EXPECT_PTR_EQ(test, (void *)per_cpu_ptr(p, 0),
				    (void __force *)p);
	}
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
	until = ktime_add_ms(ktime_get(), 30);
	while (ktime_before(ktime_get(), until)) {
		this_cpu_inc(kclaims_pcpu_race);
		local++;
	}
	hrtimer_cancel(&pi->timer);
	after = pcpu_race_sum();

	kunit_info(test, "%lu task increments, %u interrupt increments\n",
		   local, pi->fires);
	KUNIT_EXPECT_GE(test, pi->fires, 5U);
	KUNIT_EXPECT_TRUE(test, pi->in_hardirq);
	KUNIT_EXPECT_EQ(test, after, before + local + pi->fires);
}

#define BENEFIT_LOOPS 200000

struct pcpu_bench {
	atomic_t shared;
	int __percpu *ctr;
	bool use_shared;
	u64 __percpu *ns;
};

static void pcpu_bench_fn(void *arg)
{
	struct pcpu_bench *b = arg;
	u64 t0 = ktime_get_ns();
	int i;

	for (i = 0; i < BENEFIT_LOOPS; i++) {
		if (b->use_shared)
			atomic_inc(&b->shared);
		else
			this_cpu_inc(*b->ctr);
	}
	*this_cpu_ptr(b->ns) = ktime_get_ns() - t0;
}

static u64 pcpu_bench_max_ns(struct pcpu_bench *b)
{
	u64 max = 0;
	int cpu;

	for_each_online_cpu(cpu)
		max = max(max, *per_cpu_ptr(b->ns, cpu));
	return max;
}

/*
 * MM-PERCPU-BENEFIT: per-CPU counters avoid the shared cache line that all
 * CPUs fight over. Needs several CPUs (QEMU x86_64 -smp 4); on UP there is
 * nothing to share.
 */
static void percpu_counter_beats_shared_atomic_on_smp(struct kunit *test)
{
	struct pcpu_bench *b;
	u64 t_shared, t_pcpu;
	long sum = 0;
	int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs SMP (QEMU x86_64 -smp 4): %u CPU online",
			   num_online_cpus());

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->ctr = alloc_percpu(int);
	b->ns = alloc_percpu(u64);
	if (!b->ctr || !b->ns) {
		free_percpu(b->ctr);
		free_percpu(b->ns);
		KUNIT_FAIL(test, "alloc_percpu failed");
		return;
	}

	cpus_read_lock();
	b->use_shared = true;
	on_each_cpu(pcpu_bench_fn, b, 1);
	t_shared = pcpu_bench_max_ns(b);
	b->use_shared = false;
	on_each_cpu(pcpu_bench_fn, b, 1);
	t_pcpu = pcpu_bench_max_ns(b);
	for_each_online_cpu(cpu)
		sum += *per_cpu_ptr(b->ctr, cpu);
	cpus_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&b->shared),
			BENEFIT_LOOPS * (int)num_online_cpus());
	KUNIT_EXPECT_EQ(test, sum, BENEFIT_LOOPS * (long)num_online_cpus());

	kunit_info(test, "%u CPUs: shared atomic %llu ns, per-CPU %llu ns (x%llu)\n",
		   num_online_cpus(), t_shared, t_pcpu,
		   t_shared / max(t_pcpu, 1ULL));
	/* cache-line bouncing costs far more than a factor of two */
	KUNIT_EXPECT_GT(test, t_shared, 2 * t_pcpu);
	free_percpu(b->ctr);
	free_percpu(b->ns);
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

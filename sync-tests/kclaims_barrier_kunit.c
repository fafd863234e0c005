// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about barriers and about disabling local
 * interrupts, checked against the running kernel.
 *
 * One CPU (UML) shows what the compiler does with and without
 * READ_ONCE()/barrier(), what each barrier macro expands to, and what the
 * barriers cost. What a barrier does to another CPU's view of memory, and
 * that local_irq_disable() does not keep another CPU out, needs several
 * CPUs: those cases skip on UML and run on QEMU x86_64 -smp 4.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_barrier'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringify.h>

#include "../lib/kclaims.h"

/* ---- what the macros are */

/*
 * SYNC-BARRIER-TYPES, SYNC-BARRIER-DEF: barrier() is an empty asm with a
 * "memory" clobber: it only stops the compiler from moving or caching
 * memory accesses across it and emits no instruction. rmb()/wmb()/mb()
 * are CPU barriers (on x86_64 and UML-x86_64: lfence/sfence/mfence), so
 * the notes' "barrier() = read-write barrier" is the compiler-only one,
 * not rmb()+wmb(): that is mb(). The smp_* forms are barrier() on UP and
 * a CPU barrier on SMP (x86: a LOCKed add for smp_mb()).
 */
static void barrier_is_compiler_only_while_mb_rmb_wmb_fence(struct kunit *test)
{
	const char *b = __stringify(barrier());
	/* not a barrier: the text smp_mb() expands to */
	const char *smp = __stringify(smp_mb());
	/* the text of mb(), not a barrier */
	const char *m = __stringify(mb());


	kunit_info(test, "barrier() = %s; mb() = %s; smp_mb() = %s\n",
		   b, m, smp);
	KUNIT_EXPECT_NOT_NULL(test, strstr(b, "(\"\""));
	KUNIT_EXPECT_NOT_NULL(test, strstr(b, "\"memory\""));
	KUNIT_EXPECT_NULL(test, strstr(b, "fence"));
	KUNIT_EXPECT_NULL(test, strstr(b, "lock"));
	if (!IS_ENABLED(CONFIG_X86_64))
		kunit_skip(test, "the fence instructions are checked on x86_64 and UML-x86_64");
	/* texts again: mb() */
	KUNIT_EXPECT_NOT_NULL(test, strstr(__stringify(mb()), "mfence"));
	/* rmb() */
	KUNIT_EXPECT_NOT_NULL(test, strstr(__stringify(rmb()), "lfence"));
	/* wmb() */
	KUNIT_EXPECT_NOT_NULL(test, strstr(__stringify(wmb()), "sfence"));
	if (IS_ENABLED(CONFIG_SMP)) {
		KUNIT_EXPECT_NOT_NULL(test, strstr(smp, "lock"));
	} else {
		KUNIT_EXPECT_NULL(test, strstr(smp, "fence"));
		KUNIT_EXPECT_NULL(test, strstr(smp, "lock"));
		KUNIT_EXPECT_NOT_NULL(test, strstr(smp, "(\"\""));
	}
}

/* ---- what the compiler does with plain, READ_ONCE() and barrier() loads */

/*
 * Poll *@flag at most @max times; return how many polls saw it clear.
 * noinline: each is compiled on its own, with no call inside the loop (a
 * call would make the compiler reload *flag anyway).
 */
static noinline unsigned long poll_plain(const int *flag, unsigned long max)
{
	unsigned long n;

	for (n = 0; n < max; n++)
		if (*flag)
			break;
	return n;
}

static noinline unsigned long poll_read_once(const int *flag, unsigned long max)
{
	unsigned long n;

	for (n = 0; n < max; n++)
		if (READ_ONCE(*flag))
			break;
	return n;
}

static noinline unsigned long poll_barrier(const int *flag, unsigned long max)
{
	unsigned long n;

	for (n = 0; n < max; n++) {
		if (*flag)
			break;
		barrier();
	}
	return n;
}

#define POLL_BIG	(1UL << 26)

static int kc_flag_zero;

/* Shortest of 5 runs of @poll over POLL_BIG polls of a clear flag, in ns. */
static s64 poll_min_ns(unsigned long (*poll)(const int *, unsigned long),
		       unsigned long *ret)
{
	s64 best = S64_MAX;
	int i;

	for (i = 0; i < 5; i++) {
		ktime_t t0 = ktime_get();

		*ret = poll(&kc_flag_zero, POLL_BIG);
		best = min(best, ktime_to_ns(ktime_sub(ktime_get(), t0)));
	}
	return best;
}

/*
 * SYNC-BARRIER-DEF: a plain load of a flag nothing in the loop writes is
 * loop-invariant, and the compiler may load it once: the 2^26-poll loop
 * then finishes in well under a millisecond (more than 67 G polls per
 * second, which no CPU executes: the loop is gone). READ_ONCE() (a
 * volatile load) and barrier() (memory clobber) force a load per
 * iteration: the same loop takes milliseconds; those two bounds are the
 * assertions. What is observed is the code the compiler generated: a
 * compile-time fact. The compiler may hoist a plain load but is not
 * obliged to (this kernel's gcc does): where it reloaded, there is
 * nothing to contrast and the case skips.
 */
static void plain_poll_is_hoisted_but_read_once_reloads(struct kunit *test)
{
	unsigned long n_plain, n_once, n_barrier;
	s64 t_plain, t_once, t_barrier;

	t_plain = poll_min_ns(poll_plain, &n_plain);
	t_once = poll_min_ns(poll_read_once, &n_once);
	t_barrier = poll_min_ns(poll_barrier, &n_barrier);
	kunit_info(test, "%lu polls of a clear flag: plain %lld ns, READ_ONCE %lld ns, barrier() %lld ns\n",
		   POLL_BIG, t_plain, t_once, t_barrier);
	KUNIT_EXPECT_EQ(test, n_plain, POLL_BIG);
	KUNIT_EXPECT_EQ(test, n_once, POLL_BIG);
	KUNIT_EXPECT_EQ(test, n_barrier, POLL_BIG);
	KUNIT_EXPECT_GE(test, t_once, NSEC_PER_MSEC);
	KUNIT_EXPECT_GE(test, t_barrier, NSEC_PER_MSEC);
	/* a skip would hide a failure above: only skip a passing case */
	if (t_plain >= NSEC_PER_MSEC && test->status != KUNIT_FAILURE)
		kunit_skip(test, "this compiler reloaded the plain load: nothing to contrast");
}

struct flag_timer {
	struct hrtimer timer;
	int flag;
	bool fired;
};

static enum hrtimer_restart flag_timer_fn(struct hrtimer *t)
{
	struct flag_timer *ft = container_of(t, struct flag_timer, timer);

	WRITE_ONCE(ft->flag, 1);
	ft->fired = true;
	return HRTIMER_NORESTART;
}

static void flag_timer_cancel(void *data)
{
	struct flag_timer *ft = data;

	hrtimer_cancel(&ft->timer);
}

#define POLL_MAX	(1UL << 31)

/*
 * Arm an hrtimer that sets the flag 2 ms from now and poll it with @poll
 * in one call of at most POLL_MAX polls (about a second at most): the
 * polls that found it clear. 0 means the interrupt came before the first
 * poll (the host did not run us for 2 ms): tried again, up to 3 times.
 */
static unsigned long poll_until_hardirq(struct flag_timer *ft,
					unsigned long (*poll)(const int *, unsigned long))
{
	unsigned long n = 0;
	int attempt;

	for (attempt = 0; attempt < 3; attempt++) {
		WRITE_ONCE(ft->flag, 0);
		ft->fired = false;
		hrtimer_start(&ft->timer, ms_to_ktime(2), HRTIMER_MODE_REL_HARD);
		n = poll(&ft->flag, POLL_MAX);
		hrtimer_cancel(&ft->timer);
		if (n)
			break;
	}
	return n;
}

/*
 * SYNC-BARRIER-DEF: a READ_ONCE() poll loop sees a flag that an hrtimer
 * interrupt sets 2 ms later, after having loaded it (and found it clear)
 * many times: one call, so every poll inside it was a load the loop
 * made. A loop that loads the flag once returns exactly 0 (set before
 * it started) or POLL_MAX (clear at the start, never looked at again);
 * the READ_ONCE() loop returns in between. Control: the plain-load loop
 * through the same test (printed: the compiler may hoist the load, and
 * then returns POLL_MAX at once, which the check rejects; or reload it).
 */
static void read_once_poll_sees_a_flag_set_by_a_hardirq(struct kunit *test)
{
	unsigned long n, n_plain;
	struct flag_timer *ft;
	bool fired;

	ft = kunit_kzalloc(test, sizeof(*ft), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ft);
	hrtimer_init(&ft->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	ft->timer.function = flag_timer_fn;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, flag_timer_cancel, ft));

	n = poll_until_hardirq(ft, poll_read_once);
	fired = ft->fired;
	n_plain = poll_until_hardirq(ft, poll_plain);

	kunit_info(test, "READ_ONCE(): flag seen after %lu clear polls; plain load: %lu (%s)\n",
		   n, n_plain, n_plain == 0 || n_plain == POLL_MAX ?
		   "loaded once, rejected by the same check" :
		   "this compiler reloaded it");
	KUNIT_EXPECT_TRUE(test, fired);
	KUNIT_EXPECT_GT(test, n, 0UL);
	KUNIT_EXPECT_LT(test, n, POLL_MAX);
}

/* ---- what the barriers cost */

#define COST_OPS	20000
#define COST_BATCHES	21

enum cost_kind { C_NONE, C_BARRIER, C_SMP_MB, C_RMB, C_WMB, C_MB, C_NR };

static const char * const cost_name[C_NR] = {
	"nothing", "barrier()", "smp_mb()", "rmb()", "wmb()", "mb()",
};

static int kc_cost_sink;

static noinline u64 cost_batch(enum cost_kind k)
{
	ktime_t t0 = ktime_get();
	int i;

	/* one volatile store per iteration keeps every loop alive */
	switch (k) {
	case C_NONE:
		for (i = 0; i < COST_OPS; i++)
			WRITE_ONCE(kc_cost_sink, i);
		break;
	case C_BARRIER:
		for (i = 0; i < COST_OPS; i++) {
			WRITE_ONCE(kc_cost_sink, i);
			barrier();
		}
		break;
	case C_SMP_MB:
		for (i = 0; i < COST_OPS; i++) {
			WRITE_ONCE(kc_cost_sink, i);
			/* the barrier being timed */
			smp_mb();
		}
		break;
	case C_RMB:
		for (i = 0; i < COST_OPS; i++) {
			WRITE_ONCE(kc_cost_sink, i);
			/* the barrier being timed */
			rmb();
		}
		break;
	case C_WMB:
		for (i = 0; i < COST_OPS; i++) {
			WRITE_ONCE(kc_cost_sink, i);
			/* the barrier being timed */
			wmb();
		}
		break;
	default:
		for (i = 0; i < COST_OPS; i++) {
			WRITE_ONCE(kc_cost_sink, i);
			/* the barrier being timed */
			mb();
		}
		break;
	}
	return ktime_to_ns(ktime_sub(ktime_get(), t0));
}

/*
 * SYNC-BARRIER-CHEAP, SYNC-BARRIER-TYPES: loops of one store plus a
 * barrier, medians of interleaved batches. barrier() generates no
 * instruction, so its loop is the bare loop (asserted within 2x + 5 us
 * per batch of noise); mb() is mfence, which drains the store buffer
 * every iteration (tens of cycles against about one): asserted at least
 * 3x the barrier() loop, far under the usual ratio (printed). On UP
 * smp_mb() is barrier() and is held to the same bound; rmb()/wmb() and
 * the SMP smp_mb() are printed only (their cost varies by CPU).
 */
static void barrier_costs_nothing_and_mb_costs_a_fence(struct kunit *test)
{
	u64 t[C_NR][COST_BATCHES], med[C_NR];
	int b, k;

	for (b = 0; b < COST_BATCHES; b++)
		for (k = 0; k < C_NR; k++)
			t[k][b] = cost_batch(k);
	for (k = 0; k < C_NR; k++) {
		med[k] = kclaims_median_u64(t[k], COST_BATCHES);
		kunit_info(test, "store + %-9s %5llu ps per iteration\n",
			   cost_name[k], div_u64(med[k] * 1000, COST_OPS));
	}
	KUNIT_EXPECT_LE(test, med[C_BARRIER], 2 * med[C_NONE] + 5000);
	if (!IS_ENABLED(CONFIG_SMP))
		KUNIT_EXPECT_LE(test, med[C_SMP_MB], 2 * med[C_NONE] + 5000);
	if (IS_ENABLED(CONFIG_X86_64))
		KUNIT_EXPECT_GE(test, med[C_MB], 3 * med[C_BARRIER]);
}

/* ---- several CPUs */

#define SMP_THREADS	2

struct smp_pair;
typedef void (*smp_body)(struct smp_pair *p, int me);

/* Two kthreads on two CPUs, released together. */
struct smp_pair {
	struct kclaims_start start;
	smp_body body;
	/* irqs-off race */
	int plain;
	bool use_lock;
	spinlock_t lock;
	/* store buffering */
	bool fence;
	int x, y;
	int round;		/* set by thread 0 */
	int ack;		/* round thread 1 finished */
	int seen[SMP_THREADS];	/* what each thread loaded this round */
	unsigned int both_old;
	bool stuck;
};

static bool smp_wait_for(const int *v, int want, ktime_t end)
{
	unsigned int spins = 0;

	/* acquire: pairs with the writer's release */
	while (smp_load_acquire(v) < want) {
		if (!(++spins & 1023) && ktime_after(ktime_get(), end))
			return false;
		cpu_relax();
	}
	return true;
}

static int smp_pair_fn(void *data)
{
	struct smp_pair *p = data;
	int me = kclaims_start_wait(&p->start, 5000);

	if (me >= 0)
		p->body(p, me);
	complete(&p->start.done);
	return 0;
}

/* Run @body on two online CPUs; false if it could not, or stuck. */
static bool smp_pair_run(struct kunit *test, struct smp_pair *p)
{
	spin_lock_init(&p->lock);
	return kclaims_run_per_cpu(test, &p->start, smp_pair_fn, p, SMP_THREADS,
				   "kc_barrier_cpu") == SMP_THREADS && !p->stuck;
}

#define IRQOFF_ITERS	1000000

static void irqoff_body(struct smp_pair *p, int me)
{
	int i;

	for (i = 0; i < IRQOFF_ITERS; i++) {
		if (p->use_lock) {
			spin_lock_irq(&p->lock);
			WRITE_ONCE(p->plain, READ_ONCE(p->plain) + 1);
			spin_unlock_irq(&p->lock);
		} else {
			local_irq_disable();
			WRITE_ONCE(p->plain, READ_ONCE(p->plain) + 1);
			local_irq_enable();
		}
	}
}

static void skip_unless_smp(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_SMP) || num_online_cpus() < 2)
		kunit_skip(test, "needs SMP: QEMU x86_64 -smp 4 (UML has one CPU)");
}

/*
 * SYNC-IRQOFF-NOT-ENOUGH: local_irq_disable() only masks interrupts on
 * this CPU. Two CPUs each incrementing a shared counter inside
 * local_irq_disable()/local_irq_enable() still lose updates (up to 5
 * attempts, each 2 x 10^6 increments); with spin_lock_irq() (a lock
 * added, as the notes say) none is lost.
 */
static void irqs_off_does_not_exclude_another_cpu(struct kunit *test)
{
	int attempt, irqoff = 0, locked;
	struct smp_pair *p;
	bool lost = false;

	skip_unless_smp(test);
	for (attempt = 0; attempt < 5 && !lost; attempt++) {
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		p->body = irqoff_body;
		KUNIT_ASSERT_TRUE(test, smp_pair_run(test, p));
		irqoff = p->plain;
		kfree(p);
		lost = irqoff < SMP_THREADS * IRQOFF_ITERS;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->body = irqoff_body;
	p->use_lock = true;
	KUNIT_ASSERT_TRUE(test, smp_pair_run(test, p));
	locked = p->plain;
	kfree(p);

	kunit_info(test, "2 CPUs x %d: irqs off %d, spin_lock_irq %d\n",
		   IRQOFF_ITERS, irqoff, locked);
	KUNIT_EXPECT_TRUE(test, lost);
	KUNIT_EXPECT_EQ(test, locked, SMP_THREADS * IRQOFF_ITERS);
}

#define SB_ROUNDS	20000

/*
 * Store buffering, one round at a time: thread 0 opens round r, both
 * store r to their own variable and load the other's; a load older than
 * r on both sides means each store sat in its CPU's store buffer while
 * the other CPU loaded. Thread 0 staggers its start by r % 64 pauses so
 * that some rounds line up.
 */
static void sb_body(struct smp_pair *p, int me)
{
	ktime_t end = ktime_add_ms(ktime_get(), 20000);
	int r, i;

	for (r = 1; r <= SB_ROUNDS; r++) {
		if (me == 0) {
			if (!smp_wait_for(&p->ack, r - 1, end))
				break;
			if (p->seen[0] < r - 1 && p->seen[1] < r - 1 && r > 1)
				p->both_old++;
			/* release: seen[] was read before round r opens */
			smp_store_release(&p->round, r);
			for (i = 0; i < r % 64; i++)
				cpu_relax();
			WRITE_ONCE(p->x, r);
			if (p->fence)
				smp_mb();	/* under test: store -> load */
			p->seen[0] = READ_ONCE(p->y);
		} else {
			if (!smp_wait_for(&p->round, r, end))
				break;
			WRITE_ONCE(p->y, r);
			if (p->fence)
				smp_mb();	/* under test: store -> load */
			p->seen[1] = READ_ONCE(p->x);
			/* release: seen[1] is visible before the ack */
			smp_store_release(&p->ack, r);
		}
	}
	if (r <= SB_ROUNDS)
		WRITE_ONCE(p->stuck, true);
}

/*
 * SYNC-BARRIER-DEF: the CPU reorders too, not only the compiler: x86
 * lets a load pass an earlier store to another address (store
 * buffering), so without a barrier both CPUs can read the other's old
 * value (printed, not asserted: it depends on timing). smp_mb() between
 * the store and the load forbids that outcome: never seen in
 * SB_ROUNDS rounds.
 */
static void smp_mb_forbids_store_buffering_on_smp(struct kunit *test)
{
	unsigned int without = 0, with;
	struct smp_pair *p;
	int attempt;

	skip_unless_smp(test);
	/*
	 * "with == 0" proves something only where the reordering happens
	 * without the fence: look for it first (up to 5 x SB_ROUNDS; under
	 * QEMU TCG it shows 0-1 times per SB_ROUNDS).
	 */
	for (attempt = 0; attempt < 5 && !without; attempt++) {
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		p->body = sb_body;
		KUNIT_ASSERT_TRUE(test, smp_pair_run(test, p));
		without = p->both_old;
		kfree(p);
	}
	if (!without)
		kunit_skip(test, "no store buffering without smp_mb() in %d rounds on this SMP target (QEMU x86_64 TCG reorders rarely): nothing for smp_mb() to forbid",
			   5 * SB_ROUNDS);

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->body = sb_body;
	p->fence = true;
	KUNIT_ASSERT_TRUE(test, smp_pair_run(test, p));
	with = p->both_old;
	kfree(p);

	kunit_info(test, "%d rounds: both loads old %u times without smp_mb(), %u with\n",
		   SB_ROUNDS, without, with);
	KUNIT_EXPECT_EQ(test, with, 0U);
}

static struct kunit_case kclaims_barrier_cases[] = {
	KUNIT_CASE(barrier_is_compiler_only_while_mb_rmb_wmb_fence),
	KUNIT_CASE(plain_poll_is_hoisted_but_read_once_reloads),
	KUNIT_CASE(read_once_poll_sees_a_flag_set_by_a_hardirq),
	KUNIT_CASE(barrier_costs_nothing_and_mb_costs_a_fence),
	KUNIT_CASE_SLOW(irqs_off_does_not_exclude_another_cpu),
	KUNIT_CASE_SLOW(smp_mb_forbids_store_buffering_on_smp),
	{}
};

static struct kunit_suite kclaims_barrier_suite = {
	.name = "kclaims_barrier",
	.test_cases = kclaims_barrier_cases,
};
kunit_test_suite(kclaims_barrier_suite);

MODULE_DESCRIPTION("kclaims: barrier and irq-disable claims of the notes");
MODULE_LICENSE("GPL");

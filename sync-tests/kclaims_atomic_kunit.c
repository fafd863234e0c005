// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about atomic operations checked against the
 * running kernel.
 *
 * A lost update needs a second writer between a load and its store. UML
 * is uniprocessor, so the races here are forced, never hoped for: either
 * several SCHED_FIFO kthreads of one priority, bound to one CPU, each
 * yield() between load and store (sched_yield moves a FIFO task behind
 * its equals, so they run in strict rotation), or an hrtimer interrupt
 * that the process context waits for between load and store. The number
 * of lost updates then follows from the schedule and is predicted
 * exactly. On UP these schedules cannot split a single atomic RMW (they
 * land before or after it, as they would for a plain one-instruction
 * increment), so they show the lost update and cmpxchg()'s refusal of a
 * stale value, not atomicity: that needs several CPUs and is shown only
 * where there are (atomic_inc_is_exact_across_cpus).
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_atomic'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debug_locks.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "../lib/kclaims.h"

/* Busy-wait with irqs as they are until @flag is set; false after @ms. */
static bool spin_until_set(const bool *flag, unsigned int ms)
{
	ktime_t end = ktime_add_ms(ktime_get(), ms);

	/* acquire: pairs with the setter's release */
	while (!smp_load_acquire(flag)) {
		if (ktime_after(ktime_get(), end))
			return false;
		cpu_relax();
	}
	return true;
}

/* ---- forced interleaving: FIFO kthreads that yield() between load and store */

#define RACE_THREADS	4
#define RACE_ITERS	500

enum race_mode { RACE_PLAIN, RACE_CMPXCHG };

struct race;

struct race_arg {
	struct race *r;
	int i;
};

struct race {
	enum race_mode mode;
	int plain;			/* RACE_PLAIN: a plain int */
	atomic_t counter;		/* RACE_CMPXCHG */
	atomic_t cas_ok, cas_failed;	/* RACE_CMPXCHG outcomes */
	struct task_struct *t[RACE_THREADS];
	struct race_arg arg[RACE_THREADS];
	struct completion done;		/* once per thread */
};

static void race_step(struct race *r)
{
	int v;

	switch (r->mode) {
	case RACE_PLAIN:
		v = READ_ONCE(r->plain);
		yield();		/* the other threads run here */
		WRITE_ONCE(r->plain, v + 1);
		break;
	case RACE_CMPXCHG:
		v = atomic_read(&r->counter);
		yield();
		if (atomic_cmpxchg(&r->counter, v, v + 1) == v)
			atomic_inc(&r->cas_ok);
		else
			atomic_inc(&r->cas_failed);
		break;
	}
}

static int race_fn(void *data)
{
	struct race_arg *a = data;
	struct race *r = a->r;
	int n;

	/*
	 * Thread 0 wakes the others from their common CPU: equal FIFO
	 * priority does not preempt, so they queue behind it in order and
	 * none has run before all are queued.
	 */
	if (a->i == 0) {
		preempt_disable();
		for (n = 1; n < RACE_THREADS; n++)
			wake_up_process(r->t[n]);
		preempt_enable();
	}
	for (n = 0; n < RACE_ITERS; n++)
		race_step(r);
	complete(&r->done);
	return 0;
}

/*
 * Run RACE_THREADS FIFO threads bound to this CPU in @mode. Returns the
 * race (kmalloc'd; the caller frees it with race_free()) or NULL if a
 * thread did not finish in time (then the race is leaked, never freed
 * under a running thread).
 */
static struct race *race_run(struct kunit *test, enum race_mode mode)
{
	unsigned int cpu = raw_smp_processor_id();
	struct race *r;
	int i, got = 0;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->mode = mode;
	init_completion(&r->done);
	for (i = 0; i < RACE_THREADS; i++) {
		struct task_struct *t;

		r->arg[i].r = r;
		r->arg[i].i = i;
		t = kthread_create(race_fn, &r->arg[i], "kc_atomic_race%d", i);
		if (IS_ERR(t))
			break;
		get_task_struct(t);
		kthread_bind(t, cpu);
		sched_set_fifo(t);
		r->t[i] = t;
	}
	if (i < RACE_THREADS) {
		/* never woken: kthread_stop() makes them exit at once */
		while (i--) {
			kthread_stop(r->t[i]);
			put_task_struct(r->t[i]);
		}
		kfree(r);
		KUNIT_FAIL(test, "kthread_create failed");
		return NULL;
	}
	wake_up_process(r->t[0]);
	for (i = 0; i < RACE_THREADS; i++)
		if (wait_for_completion_timeout(&r->done, 10 * HZ))
			got++;
	if (got < RACE_THREADS) {
		kunit_err(test, "%d race threads did not finish: leaking them\n",
			  RACE_THREADS - got);
		return NULL;
	}
	for (i = 0; i < RACE_THREADS; i++) {
		kthread_stop(r->t[i]);
		put_task_struct(r->t[i]);
	}
	return r;
}

/*
 * SYNC-RACE-INC: "load into a register, add, store" loses additions when
 * another context adds between the load and the store. Four threads
 * load, yield to each other (strict FIFO rotation), then store: in every
 * round all four load the same value and the last store wins, so RACE_ITERS
 * rounds of four increments leave the counter at exactly RACE_ITERS:
 * 3 * RACE_ITERS updates lost.
 */
static void plain_increments_lose_updates_at_a_forced_yield(struct kunit *test)
{
	struct race *r = race_run(test, RACE_PLAIN);
	int done;

	KUNIT_ASSERT_NOT_NULL(test, r);
	done = READ_ONCE(r->plain);
	kfree(r);
	kunit_info(test, "%d plain increments by %d threads left %d (%d lost)\n",
		   RACE_THREADS * RACE_ITERS, RACE_THREADS, done,
		   RACE_THREADS * RACE_ITERS - done);
	KUNIT_EXPECT_EQ(test, done, RACE_ITERS);
}

/*
 * SYNC-ATOMIC-OPS: on the same forced rotation atomic_cmpxchg() only
 * stores when the value is still the one it was given: each round the
 * first thread's compare-and-swap succeeds and the other three see a
 * newer value and fail, so the interleaving really happened (3 *
 * RACE_ITERS failures) and no update was overwritten.
 */
static void cmpxchg_refuses_a_stale_value_at_a_forced_yield(struct kunit *test)
{
	int swapped, ok, failed;
	struct race *r;

	r = race_run(test, RACE_CMPXCHG);
	KUNIT_ASSERT_NOT_NULL(test, r);
	swapped = atomic_read(&r->counter);
	ok = atomic_read(&r->cas_ok);
	failed = atomic_read(&r->cas_failed);
	kfree(r);

	kunit_info(test, "cmpxchg: value %d, %d stored, %d refused\n",
		   swapped, ok, failed);
	KUNIT_EXPECT_EQ(test, ok, RACE_ITERS);
	KUNIT_EXPECT_EQ(test, failed, (RACE_THREADS - 1) * RACE_ITERS);
	KUNIT_EXPECT_EQ(test, swapped, ok);
}

/* ---- forced interleaving: an hrtimer interrupt between load and store */

#define IRQ_ROUNDS	10

struct irq_race {
	struct hrtimer timer;
	int plain;
	unsigned int fired_count;
	bool fired;			/* written last, with release */
};

static enum hrtimer_restart irq_race_fn(struct hrtimer *t)
{
	struct irq_race *ir = container_of(t, struct irq_race, timer);

	/* hardirq, irqs off: nothing runs between this load and store */
	WRITE_ONCE(ir->plain, READ_ONCE(ir->plain) + 1);
	ir->fired_count++;
	/* release: the increment above is visible before fired */
	smp_store_release(&ir->fired, true);
	return HRTIMER_NORESTART;
}

static void irq_race_cancel(void *data)
{
	struct irq_race *ir = data;

	hrtimer_cancel(&ir->timer);
}

static void irq_race_arm(struct irq_race *ir)
{
	WRITE_ONCE(ir->fired, false);
	hrtimer_start(&ir->timer, ns_to_ktime(100 * NSEC_PER_USEC), HRTIMER_MODE_REL_PINNED_HARD);
}

/*
 * SYNC-RACE-INC: an interrupt between the load and the store: each round
 * the process context loads the counter, waits (irqs on) until an hrtimer
 * interrupt has added one, then stores load + 1: the interrupt's addition
 * is lost every round (IRQ_ROUNDS of 2 * IRQ_ROUNDS survive). The loss is
 * the test's own stale store; what the kernel shows is that the interrupt
 * runs there (irqs on), and that with local irqs off across load and
 * store it cannot land in between (on this CPU): it runs after
 * local_irq_enable() and nothing is lost; that is all irqs-off buys (on
 * SMP another CPU still gets in:
 * kclaims_barrier.irqs_off_does_not_exclude_another_cpu).
 */
static void hardirq_between_load_and_store_loses_its_increment(struct kunit *test)
{
	bool waited = true, fired_inside = false, late = true;
	unsigned int fired_plain, fired_off;
	int plain, off, r, v;
	struct irq_race *ir;

	ir = kunit_kzalloc(test, sizeof(*ir), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ir);
	hrtimer_init(&ir->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	ir->timer.function = irq_race_fn;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, irq_race_cancel, ir));

	for (r = 0; r < IRQ_ROUNDS; r++) {
		v = READ_ONCE(ir->plain);
		irq_race_arm(ir);
		waited &= spin_until_set(&ir->fired, 1000);
		WRITE_ONCE(ir->plain, v + 1);
	}
	plain = READ_ONCE(ir->plain);
	fired_plain = ir->fired_count;

	ir->fired_count = 0;
	WRITE_ONCE(ir->plain, 0);
	for (r = 0; r < IRQ_ROUNDS; r++) {
		ktime_t until;

		local_irq_disable();
		v = READ_ONCE(ir->plain);
		irq_race_arm(ir);
		/* 2 ms with irqs off: twenty times the timer's 100 us */
		until = ktime_add_ms(ktime_get(), 2);
		while (ktime_before(ktime_get(), until))
			cpu_relax();
		/* acquire: pairs with the callback's release */
		fired_inside |= smp_load_acquire(&ir->fired);
		WRITE_ONCE(ir->plain, v + 1);
		local_irq_enable();
		late &= spin_until_set(&ir->fired, 1000);
	}
	off = READ_ONCE(ir->plain);
	fired_off = ir->fired_count;
	hrtimer_cancel(&ir->timer);

	kunit_info(test, "2 x %d increments: plain %d, plain with irqs off %d\n",
		   IRQ_ROUNDS, plain, off);
	KUNIT_ASSERT_TRUE(test, waited);
	KUNIT_ASSERT_TRUE(test, late);
	KUNIT_EXPECT_EQ(test, fired_plain, IRQ_ROUNDS);
	KUNIT_EXPECT_EQ(test, fired_off, IRQ_ROUNDS);
	KUNIT_EXPECT_EQ(test, plain, IRQ_ROUNDS);
	KUNIT_EXPECT_FALSE(test, fired_inside);
	KUNIT_EXPECT_EQ(test, off, 2 * IRQ_ROUNDS);
}

/* ---- the atomic_t API */

/*
 * SYNC-ATOMIC-T: atomic_t is a struct wrapping an int (<linux/types.h>),
 * so plain int arithmetic on it does not compile; atomic64_t wraps s64
 * and atomic_long_t is 64-bit on 64-bit kernels.
 */
static void atomic_t_is_a_struct_wrapping_an_int(struct kunit *test)
{
	atomic_t v = ATOMIC_INIT(7);
	atomic64_t w = ATOMIC64_INIT(-1);

	KUNIT_EXPECT_EQ(test, sizeof(atomic_t), sizeof(int));
	KUNIT_EXPECT_TRUE(test, __same_type(v.counter, int));
	KUNIT_EXPECT_TRUE(test, __same_type(w.counter, s64));
	KUNIT_EXPECT_EQ(test, sizeof(atomic_long_t), sizeof(long));
	KUNIT_EXPECT_EQ(test, atomic_read(&v), 7);
	KUNIT_EXPECT_EQ(test, atomic64_read(&w), -1LL);
}

/*
 * SYNC-ATOMIC-OPS: atomic_set/add/sub/inc/dec and the value-returning
 * forms: *_return gives the new value, fetch_* and xchg the old one,
 * cmpxchg the old one and stores only on a match, dec_and_test is true
 * exactly when the counter reaches zero, add_unless refuses at the given
 * value. The int wraps (the kernel builds with -fno-strict-overflow).
 */
static void atomic_int_ops_return_the_documented_values(struct kunit *test)
{
	bool at_two, at_one, at_zero, sub_zero, neg, unless_refused, unless_ok;
	int after_set_add_inc, inc_ret, fetch, xchg_old, cas_miss, cas_hit;
	int after_miss, after_hit, after_unless, after_wrap, old;
	bool try_ok;
	atomic_t v;

	atomic_set(&v, 5);
	atomic_add(3, &v);
	atomic_inc(&v);
	after_set_add_inc = atomic_read(&v);		/* 9 */
	atomic_sub(6, &v);
	atomic_dec(&v);					/* 2 */
	inc_ret = atomic_inc_return(&v);		/* 3 */
	at_two = atomic_dec_and_test(&v);		/* 2: false */
	at_one = atomic_dec_and_test(&v);		/* 1: false */
	at_zero = atomic_dec_and_test(&v);		/* 0: true */
	atomic_set(&v, 9);
	sub_zero = atomic_sub_and_test(9, &v);		/* 0: true */
	neg = atomic_add_negative(-1, &v);		/* -1: true */
	fetch = atomic_fetch_add(10, &v);		/* -1, now 9 */
	xchg_old = atomic_xchg(&v, 40);			/* 9, now 40 */
	cas_miss = atomic_cmpxchg(&v, 41, 50);		/* 40, stays 40 */
	after_miss = atomic_read(&v);
	cas_hit = atomic_cmpxchg(&v, 40, 50);		/* 40, now 50 */
	after_hit = atomic_read(&v);
	old = 49;
	try_ok = atomic_try_cmpxchg(&v, &old, 60);	/* false, old = 50 */
	unless_refused = atomic_add_unless(&v, 1, 50);	/* false: it is 50 */
	unless_ok = atomic_add_unless(&v, 1, 49);	/* true: now 51 */
	after_unless = atomic_read(&v);
	atomic_set(&v, INT_MAX);
	atomic_inc(&v);
	after_wrap = atomic_read(&v);

	KUNIT_EXPECT_EQ(test, after_set_add_inc, 9);
	KUNIT_EXPECT_EQ(test, inc_ret, 3);
	KUNIT_EXPECT_FALSE(test, at_two);
	KUNIT_EXPECT_FALSE(test, at_one);
	KUNIT_EXPECT_TRUE(test, at_zero);
	KUNIT_EXPECT_TRUE(test, sub_zero);
	KUNIT_EXPECT_TRUE(test, neg);
	KUNIT_EXPECT_EQ(test, fetch, -1);
	KUNIT_EXPECT_EQ(test, xchg_old, 9);
	KUNIT_EXPECT_EQ(test, cas_miss, 40);
	KUNIT_EXPECT_EQ(test, after_miss, 40);
	KUNIT_EXPECT_EQ(test, cas_hit, 40);
	KUNIT_EXPECT_EQ(test, after_hit, 50);
	KUNIT_EXPECT_FALSE(test, try_ok);
	KUNIT_EXPECT_EQ(test, old, 50);
	KUNIT_EXPECT_FALSE(test, unless_refused);
	KUNIT_EXPECT_TRUE(test, unless_ok);
	KUNIT_EXPECT_EQ(test, after_unless, 51);
	KUNIT_EXPECT_EQ(test, after_wrap, INT_MIN);
}

/*
 * SYNC-ATOMIC-OPS: atomic64_t keeps values above 2^32 through add,
 * cmpxchg, xchg and fetch_add (no truncation to the low word).
 */
static void atomic64_ops_keep_values_above_2_32(struct kunit *test)
{
	const s64 big = (1LL << 32) + 5;
	s64 after_add, cas_old, xchg_old, fetch, after_dec;
	bool at_zero;
	atomic64_t w;

	atomic64_set(&w, big);
	atomic64_add(1LL << 33, &w);
	after_add = atomic64_read(&w);			/* 3 * 2^32 + 5 */
	cas_old = atomic64_cmpxchg(&w, 5, 0);		/* low word alone: no match */
	xchg_old = atomic64_xchg(&w, 1LL << 40);
	fetch = atomic64_fetch_add(-(1LL << 40) + 1, &w);
	after_dec = atomic64_dec_return(&w);		/* 0 */
	atomic64_inc(&w);
	at_zero = atomic64_dec_and_test(&w);

	KUNIT_EXPECT_EQ(test, after_add, 3 * (1LL << 32) + 5);
	KUNIT_EXPECT_EQ(test, cas_old, 3 * (1LL << 32) + 5);
	KUNIT_EXPECT_EQ(test, xchg_old, 3 * (1LL << 32) + 5);
	KUNIT_EXPECT_EQ(test, fetch, 1LL << 40);
	KUNIT_EXPECT_EQ(test, after_dec, 0);
	KUNIT_EXPECT_TRUE(test, at_zero);
}

static DEFINE_SPINLOCK(kc_atomic_dal_lock);
static DEFINE_MUTEX(kc_atomic_dal_mutex);

/*
 * SYNC-ATOMIC-OPS: the out-of-line members of the dec_and_test family,
 * atomic_dec_and_lock() (lib/dec_and_lock.c) and
 * atomic_dec_and_mutex_lock() (kernel/locking/mutex.c), decrement and
 * return true, holding the lock, exactly when the counter reaches zero;
 * above zero they return false without the lock.
 */
static void atomic_dec_and_lock_takes_the_lock_only_at_zero(struct kunit *test)
{
	bool locked_at_one = true, locked_at_zero = false;
	bool mlocked_at_one = true, mlocked_at_zero = false;
	int ret_one, ret_zero, mret_one, mret_zero;
	int left_one, left_zero, mleft_one, mleft_zero;
	atomic_t c = ATOMIC_INIT(2);

	ret_one = atomic_dec_and_lock(&c, &kc_atomic_dal_lock);
	left_one = atomic_read(&c);
	locked_at_one = spin_is_locked(&kc_atomic_dal_lock);
	if (ret_one)
		spin_unlock(&kc_atomic_dal_lock);
	ret_zero = atomic_dec_and_lock(&c, &kc_atomic_dal_lock);
	left_zero = atomic_read(&c);
	locked_at_zero = spin_is_locked(&kc_atomic_dal_lock);
	if (ret_zero)
		spin_unlock(&kc_atomic_dal_lock);

	atomic_set(&c, 2);
	mret_one = atomic_dec_and_mutex_lock(&c, &kc_atomic_dal_mutex);
	mleft_one = atomic_read(&c);
	mlocked_at_one = mutex_is_locked(&kc_atomic_dal_mutex);
	if (mret_one)
		mutex_unlock(&kc_atomic_dal_mutex);
	mret_zero = atomic_dec_and_mutex_lock(&c, &kc_atomic_dal_mutex);
	mleft_zero = atomic_read(&c);
	mlocked_at_zero = mutex_is_locked(&kc_atomic_dal_mutex);
	if (mret_zero)
		mutex_unlock(&kc_atomic_dal_mutex);

	KUNIT_EXPECT_EQ(test, ret_one, 0);
	KUNIT_EXPECT_EQ(test, left_one, 1);
	KUNIT_EXPECT_EQ(test, ret_zero, 1);
	KUNIT_EXPECT_EQ(test, left_zero, 0);
	/* UP without DEBUG_SPINLOCK has no lock word to look at */
	if (IS_ENABLED(CONFIG_SMP) || IS_ENABLED(CONFIG_DEBUG_SPINLOCK)) {
		KUNIT_EXPECT_FALSE(test, locked_at_one);
		KUNIT_EXPECT_TRUE(test, locked_at_zero);
	}
	KUNIT_EXPECT_EQ(test, mret_one, 0);
	KUNIT_EXPECT_EQ(test, mleft_one, 1);
	KUNIT_EXPECT_FALSE(test, mlocked_at_one);
	KUNIT_EXPECT_EQ(test, mret_zero, 1);
	KUNIT_EXPECT_EQ(test, mleft_zero, 0);
	KUNIT_EXPECT_TRUE(test, mlocked_at_zero);
}

/*
 * SYNC-TEST-AND-SET (definition): the notes' test_and_set(int n, void
 * *addr) and test_and_clear() do not exist (source.SYNC-TEST-AND-SET);
 * the kernel's are test_and_set_bit(long nr, volatile unsigned long
 * *addr) and test_and_clear_bit(): a bit number and a bitmap of longs,
 * returning bool.
 */
static void test_and_set_bit_takes_a_long_bit_number_and_a_bitmap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, __same_type(&test_and_set_bit,
					    bool (*)(long, volatile unsigned long *)));
	KUNIT_EXPECT_TRUE(test, __same_type(&test_and_clear_bit,
					    bool (*)(long, volatile unsigned long *)));
}

/*
 * SYNC-TEST-AND-SET: test_and_set_bit() and test_and_clear_bit() return
 * the old bit. Bit BITS_PER_LONG + 1 lands in the second word.
 */
static void test_and_set_bit_returns_the_old_bit(struct kunit *test)
{
	bool set_first, set_again, clear_first, clear_again, change_first;
	unsigned long w[2] = { 0, 0 };
	unsigned long after_set, after_clear, after_change;

	set_first = test_and_set_bit(BITS_PER_LONG + 1, w);
	set_again = test_and_set_bit(BITS_PER_LONG + 1, w);
	after_set = w[1];
	clear_first = test_and_clear_bit(BITS_PER_LONG + 1, w);
	clear_again = test_and_clear_bit(BITS_PER_LONG + 1, w);
	after_clear = w[1];
	change_first = test_and_change_bit(3, w);
	after_change = w[0];

	KUNIT_EXPECT_FALSE(test, set_first);
	KUNIT_EXPECT_TRUE(test, set_again);
	KUNIT_EXPECT_EQ(test, after_set, 2UL);
	KUNIT_EXPECT_TRUE(test, clear_first);
	KUNIT_EXPECT_FALSE(test, clear_again);
	KUNIT_EXPECT_EQ(test, after_clear, 0UL);
	KUNIT_EXPECT_FALSE(test, change_first);
	KUNIT_EXPECT_EQ(test, after_change, 8UL);
	KUNIT_EXPECT_EQ(test, w[0], 8UL);
}

/*
 * SYNC-TEST-AND-SET: next to the atomic bitops there is a non-atomic
 * family, __set_bit()/__clear_bit()/__test_and_set_bit() (<linux/bitops.h>),
 * for bitmaps nobody else touches concurrently; same results, no LOCK
 * prefix on SMP.
 */
static void nonatomic_bitops_have_the_same_results(struct kunit *test)
{
	unsigned long w[2] = { 0, 0 };
	bool first, again, cleared;

	__set_bit(BITS_PER_LONG + 4, w);
	KUNIT_EXPECT_EQ(test, w[1], 16UL);
	__clear_bit(BITS_PER_LONG + 4, w);
	KUNIT_EXPECT_EQ(test, w[1], 0UL);
	first = __test_and_set_bit(5, w);
	again = __test_and_set_bit(5, w);
	cleared = __test_and_clear_bit(5, w);
	KUNIT_EXPECT_FALSE(test, first);
	KUNIT_EXPECT_TRUE(test, again);
	KUNIT_EXPECT_TRUE(test, cleared);
	KUNIT_EXPECT_EQ(test, w[0], 0UL);
}

/* ---- cost */

#define PERF_OPS	20000
#define PERF_BATCHES	21

static DEFINE_SPINLOCK(kc_atomic_perf_lock);

/*
 * SYNC-ATOMIC-FASTER: atomic_inc() against the same increment under
 * spin_lock()/spin_unlock(), uncontended, median of interleaved batches
 * (a batch hit by an interrupt or a host stall only moves one sample).
 * What is measured depends on the config: on UP x86 (UML) atomic_inc()
 * is one "incl" without a LOCK prefix; spin_lock() without
 * DEBUG_SPINLOCK is only preempt_disable() on UP, so there the two may
 * cost the same and nothing is asserted; with DEBUG_SPINLOCK and lockdep
 * (this kunitconfig) every lock/unlock also runs the debug checks and
 * lock_acquire()/lock_release(), tens to hundreds of nanoseconds against
 * about one for the atomic, so the lock is asserted to cost at least 3
 * times as much: a wide margin under the measured ratio (printed). On
 * SMP without debugging both are one LOCKed RMW uncontended; the claim's
 * "much better" belongs to contended counters (cache-line transfers).
 */
static void atomic_inc_is_cheaper_than_a_spinlocked_increment(struct kunit *test)
{
	u64 t_atomic[PERF_BATCHES], t_lock[PERF_BATCHES];
	u64 m_atomic, m_lock;
	atomic_t a = ATOMIC_INIT(0);
	int b, i, plain = 0;
	bool debug;

	for (b = 0; b < PERF_BATCHES; b++) {
		u64 t0, t1;

		t0 = ktime_get_ns();
		for (i = 0; i < PERF_OPS; i++)
			atomic_inc(&a);
		t1 = ktime_get_ns();
		t_atomic[b] = t1 - t0;

		t0 = ktime_get_ns();
		for (i = 0; i < PERF_OPS; i++) {
			spin_lock(&kc_atomic_perf_lock);
			plain++;
			spin_unlock(&kc_atomic_perf_lock);
		}
		t1 = ktime_get_ns();
		t_lock[b] = t1 - t0;
	}
	m_atomic = kclaims_median_u64(t_atomic, PERF_BATCHES);
	m_lock = kclaims_median_u64(t_lock, PERF_BATCHES);
	debug = IS_ENABLED(CONFIG_DEBUG_SPINLOCK) || IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC);

	kunit_info(test, "per op: atomic_inc %llu ps, spin_lock+inc+unlock %llu ps (x%llu; DEBUG_SPINLOCK=%d LOCKDEP=%d SMP=%d)\n",
		   div_u64(m_atomic * 1000, PERF_OPS), div_u64(m_lock * 1000, PERF_OPS),
		   div64_u64(m_lock, max_t(u64, m_atomic, 1)),
		   IS_ENABLED(CONFIG_DEBUG_SPINLOCK), IS_ENABLED(CONFIG_LOCKDEP),
		   IS_ENABLED(CONFIG_SMP));
	KUNIT_EXPECT_EQ(test, atomic_read(&a), PERF_OPS * PERF_BATCHES);
	KUNIT_EXPECT_EQ(test, plain, PERF_OPS * PERF_BATCHES);
	if (debug)
		KUNIT_EXPECT_GE(test, m_lock, 3 * m_atomic);
}

/* ---- several CPUs */

#define SMP_ITERS	1000000
#define SMP_MAX_THREADS	4

struct smp_race {
	struct kclaims_start start;
	bool use_atomic;
	int plain;
	atomic_t counter;
};

static int smp_race_fn(void *data)
{
	struct smp_race *s = data;
	int i;

	if (kclaims_start_wait(&s->start, 5000) >= 0) {
		for (i = 0; i < SMP_ITERS; i++) {
			if (s->use_atomic)
				atomic_inc(&s->counter);
			else
				WRITE_ONCE(s->plain, READ_ONCE(s->plain) + 1);
		}
	}
	complete(&s->start.done);
	return 0;
}

/*
 * One kthread per CPU (up to SMP_MAX_THREADS), released together, each
 * adding SMP_ITERS. Returns the total, or -1 if a thread did not finish
 * (its struct is then leaked).
 */
static int smp_race_run(struct kunit *test, bool use_atomic, int *nthreads)
{
	struct smp_race *s;
	int total;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -1;
	s->use_atomic = use_atomic;
	*nthreads = kclaims_run_per_cpu(test, &s->start, smp_race_fn, s,
					SMP_MAX_THREADS, "kc_atomic_smp");
	if (*nthreads < 0)
		return -1;	/* @s is leaked with the threads */
	total = use_atomic ? atomic_read(&s->counter) : READ_ONCE(s->plain);
	kfree(s);
	return total;
}

/*
 * SYNC-ATOMIC-SMP, SYNC-RACE-INC: on several CPUs at once, plain
 * READ_ONCE()+1/WRITE_ONCE() increments lose updates (asserted only as
 * proof that the threads really overlapped: up to 5 attempts), while
 * atomic_inc() on the same counter from the same CPUs loses none.
 */
static void atomic_inc_is_exact_across_cpus(struct kunit *test)
{
	int n = 0, plain = 0, atomic, attempt;
	bool overlapped = false;

	if (!IS_ENABLED(CONFIG_SMP) || num_online_cpus() < 2)
		kunit_skip(test, "needs SMP: QEMU x86_64 -smp 4 (UML has one CPU)");

	for (attempt = 0; attempt < 5 && !overlapped; attempt++) {
		plain = smp_race_run(test, false, &n);
		KUNIT_ASSERT_GE(test, plain, 0);
		overlapped = plain < n * SMP_ITERS;
	}
	atomic = smp_race_run(test, true, &n);
	kunit_info(test, "%d CPUs x %d: plain %d (%d lost), atomic_inc %d\n",
		   n, SMP_ITERS, plain, n * SMP_ITERS - plain, atomic);
	KUNIT_ASSERT_GE(test, n, 2);
	KUNIT_EXPECT_TRUE_MSG(test, overlapped, "the threads never overlapped");
	KUNIT_EXPECT_EQ(test, atomic, n * SMP_ITERS);
}

static struct kunit_case kclaims_atomic_cases[] = {
	KUNIT_CASE(plain_increments_lose_updates_at_a_forced_yield),
	KUNIT_CASE(cmpxchg_refuses_a_stale_value_at_a_forced_yield),
	KUNIT_CASE(hardirq_between_load_and_store_loses_its_increment),
	KUNIT_CASE(atomic_t_is_a_struct_wrapping_an_int),
	KUNIT_CASE(atomic_int_ops_return_the_documented_values),
	KUNIT_CASE(atomic64_ops_keep_values_above_2_32),
	KUNIT_CASE(atomic_dec_and_lock_takes_the_lock_only_at_zero),
	KUNIT_CASE(test_and_set_bit_takes_a_long_bit_number_and_a_bitmap),
	KUNIT_CASE(test_and_set_bit_returns_the_old_bit),
	KUNIT_CASE(nonatomic_bitops_have_the_same_results),
	KUNIT_CASE(atomic_inc_is_cheaper_than_a_spinlocked_increment),
	KUNIT_CASE_SLOW(atomic_inc_is_exact_across_cpus),
	{}
};

static struct kunit_suite kclaims_atomic_suite = {
	.name = "kclaims_atomic",
	.init = kclaims_debug_locks_init,
	.exit = kclaims_debug_locks_exit,
	.test_cases = kclaims_atomic_cases,
};
kunit_test_suite(kclaims_atomic_suite);

MODULE_DESCRIPTION("kclaims: atomic operation claims of the notes");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about spinlocks, rwlocks, seqlocks,
 * preemption and local irq state checked against the running kernel.
 *
 * Interrupts come from hrtimers (they expire in hardirq context on !RT);
 * their callbacks only record what they saw and the test checks the record
 * afterwards. Nothing here contends a spinlock on UP: with DEBUG_SPINLOCK a
 * failed spin_trylock() on UP is reported as a bug ("trylock failure on
 * UP") and switches lock debugging off, so the UP half of the
 * non-recursion claim looks at the lock word instead.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_spinlock'
 */
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seqlock.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "../lib/kclaims.h"

/* Busy-wait, in whatever irq/preempt state the caller is in, for @flag. */
static bool spin_until_set(const bool *flag, unsigned int ms)
{
	ktime_t end = ktime_add_ms(ktime_get(), ms);

	/* acquire: pairs with the setter's release, fields written before */
	while (!smp_load_acquire(flag)) {
		if (ktime_after(ktime_get(), end))
			return false;
		cpu_relax();
	}
	return true;
}

/* Busy-wait until ktime passes @until. */
static void spin_until_ktime(ktime_t until)
{
	while (ktime_before(ktime_get(), until))
		cpu_relax();
}

/* An hrtimer that records the context it expired in. */
struct irq_probe {
	struct hrtimer timer;
	struct completion done;
	spinlock_t *take;	/* taken and released by the callback */
	spinlock_t *peek;	/* only looked at by the callback */
	bool in_hardirq;
	bool irqs_disabled;
	bool peek_locked;
	bool took;
	unsigned int hardirq_count;
	ktime_t when;
	bool fired;		/* written last, with release semantics */
};

static enum hrtimer_restart irq_probe_fn(struct hrtimer *t)
{
	struct irq_probe *p = container_of(t, struct irq_probe, timer);

	p->when = ktime_get();
	p->in_hardirq = in_hardirq();
	p->irqs_disabled = irqs_disabled();
	p->hardirq_count = hardirq_count();
	if (p->peek)
		p->peek_locked = spin_is_locked(p->peek);
	if (p->take) {
		spin_lock(p->take);
		p->took = true;
		spin_unlock(p->take);
	}
	/* release: the record above is complete before fired is seen */
	smp_store_release(&p->fired, true);
	complete(&p->done);
	return HRTIMER_NORESTART;
}

static void irq_probe_cancel(void *data)
{
	struct irq_probe *p = data;

	hrtimer_cancel(&p->timer);
}

static struct irq_probe *irq_probe_create(struct kunit *test,
					  enum hrtimer_mode mode)
{
	struct irq_probe *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	init_completion(&p->done);
	hrtimer_init(&p->timer, CLOCK_MONOTONIC, mode);
	p->timer.function = irq_probe_fn;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, irq_probe_cancel, p));
	return p;
}

static void skip_unless_preempt_count(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		kunit_skip(test, "needs CONFIG_PREEMPT_COUNT (the counter is compiled out)");
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test, "PREEMPT_RT: spinlock_t is a sleeping lock and leaves preempt_count alone");
}

static DEFINE_SPINLOCK(kc_preempt_lock);

/*
 * SCHED-PREEMPT-COUNT, SYNC-SEM-NO-SPIN: taking a spinlock adds one to
 * preempt_count, so the holder is atomic (in_atomic(): no down()/sleeping)
 * and not preemptible; unlocking takes it back.
 */
static void spin_lock_raises_preempt_count_and_disables_preemption(struct kunit *test)
{
	unsigned int before, held, after;
	bool preemptible_before, preemptible_held, atomic_held;

	skip_unless_preempt_count(test);

	before = preempt_count();
	preemptible_before = preemptible();
	spin_lock(&kc_preempt_lock);
	held = preempt_count();
	preemptible_held = preemptible();
	atomic_held = in_atomic();
	spin_unlock(&kc_preempt_lock);
	after = preempt_count();

	KUNIT_EXPECT_TRUE(test, preemptible_before);
	KUNIT_EXPECT_EQ(test, held, before + 1);
	KUNIT_EXPECT_FALSE(test, preemptible_held);
	KUNIT_EXPECT_TRUE(test, atomic_held);
	KUNIT_EXPECT_EQ(test, after, before);
}

/*
 * SYNC-PREEMPT-DISABLE: preempt_disable()/preempt_enable() count: two
 * disables need two enables before the task is preemptible again.
 */
static void preempt_disable_nests_in_the_preempt_counter(struct kunit *test)
{
	unsigned int before, one, two, back_to_one, after;
	bool preemptible_one, preemptible_after;

	skip_unless_preempt_count(test);

	before = preempt_count();
	preempt_disable();
	one = preempt_count();
	preempt_disable();
	two = preempt_count();
	preempt_enable();
	back_to_one = preempt_count();
	preemptible_one = preemptible();
	preempt_enable();
	after = preempt_count();
	preemptible_after = preemptible();

	KUNIT_EXPECT_EQ(test, one, before + 1);
	KUNIT_EXPECT_EQ(test, two, before + 2);
	KUNIT_EXPECT_EQ(test, back_to_one, before + 1);
	KUNIT_EXPECT_FALSE(test, preemptible_one);
	KUNIT_EXPECT_EQ(test, after, before);
	KUNIT_EXPECT_TRUE(test, preemptible_after);
}

/*
 * SYNC-GET-CPU: get_cpu() returns the current CPU number with preemption
 * disabled (preempt_count + 1); put_cpu() enables it again.
 */
static void get_cpu_returns_this_cpu_and_disables_preemption(struct kunit *test)
{
	unsigned int before, held, after;
	int cpu, cpu_inside;

	skip_unless_preempt_count(test);

	before = preempt_count();
	cpu = get_cpu();
	cpu_inside = smp_processor_id();
	held = preempt_count();
	put_cpu();
	after = preempt_count();

	KUNIT_EXPECT_EQ(test, cpu, cpu_inside);
	KUNIT_EXPECT_TRUE(test, cpu_online(cpu));
	KUNIT_EXPECT_EQ(test, held, before + 1);
	KUNIT_EXPECT_EQ(test, after, before);
}

#ifdef CONFIG_UML
static DEFINE_SPINLOCK(kc_ti_lock);
#endif

/*
 * SCHED-PREEMPT-COUNT: "thread_info has a preempt_count member". True on
 * UML: its thread_info sits at the bottom of the THREAD_SIZE-aligned
 * kernel stack (not in task_struct), and the word spin_lock() raises is
 * the preempt_count there, found from the stack pointer alone. x86 keeps
 * the counter per CPU (pcpu_hot.preempt_count) and has no such member.
 */
static void preempt_count_is_stored_in_thread_info_on_uml(struct kunit *test)
{
#ifdef CONFIG_UML
	struct thread_info *stack_ti, *task_ti = task_thread_info(current);
	unsigned long stack_base;
	int before, held, after;

	skip_unless_preempt_count(test);

	/* A local lives on this task's kernel stack: mask to its base. */
	stack_base = (unsigned long)&stack_base & ~(THREAD_SIZE - 1UL);
	stack_ti = (struct thread_info *)stack_base;

	before = READ_ONCE(stack_ti->preempt_count);
	spin_lock(&kc_ti_lock);
	held = READ_ONCE(stack_ti->preempt_count);
	spin_unlock(&kc_ti_lock);
	after = READ_ONCE(stack_ti->preempt_count);

	KUNIT_EXPECT_PTR_EQ(test, stack_ti, task_ti);
	KUNIT_EXPECT_PTR_NE(test, (void *)task_ti, (void *)current);
	KUNIT_EXPECT_EQ(test, held, before + 1);
	KUNIT_EXPECT_EQ(test, after, before);
#elif defined(CONFIG_X86)
	kunit_skip(test, "x86 keeps preempt_count per CPU (pcpu_hot), not in thread_info; UML shows the note's layout");
#else
	kunit_skip(test, "checked on UML only, where preempt_count lives in the stack's thread_info");
#endif
}

struct bh_probe {
	struct timer_list timer;
	bool in_serving_softirq;
	bool ran;
};

static void bh_probe_fn(struct timer_list *t)
{
	struct bh_probe *p = from_timer(p, t, timer);

	p->in_serving_softirq = in_serving_softirq();
	/* release: pairs with the test's acquire loads of ran */
	smp_store_release(&p->ran, true);
}

static void bh_probe_stop(void *data)
{
	struct bh_probe *p = data;

	timer_delete_sync(&p->timer);
}

static DEFINE_SPINLOCK(kc_bh_lock);

/*
 * SCHED-PREEMPT-COUNT: spin_lock_bh() adds SOFTIRQ_DISABLE_OFFSET to the
 * softirq field of preempt_count (in_softirq() but not
 * in_serving_softirq()). A timer that falls due meanwhile does not run
 * while the lock is held (its TIMER_SOFTIRQ stays pending on this CPU);
 * spin_unlock_bh() runs it before it returns.
 */
static void spin_lock_bh_defers_softirqs_until_unlock(struct kunit *test)
{
	unsigned int sc_before, sc_held, sc_after;
	bool in_softirq_held, serving_held, ticked, ran_held, ran_at_unlock;
	unsigned long expires;
	struct bh_probe *p;

	skip_unless_preempt_count(test);

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* pinned: it must be this CPU's softirq that is held off */
	timer_setup(&p->timer, bh_probe_fn, TIMER_PINNED);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, bh_probe_stop, p));

	sc_before = softirq_count();
	spin_lock_bh(&kc_bh_lock);
	sc_held = softirq_count();
	in_softirq_held = in_softirq();
	serving_held = in_serving_softirq();
	expires = jiffies + 1;
	mod_timer(&p->timer, expires);
	/*
	 * Ticks still come (irqs are on): wait until the timer is overdue
	 * (the wheel rounds expiries up by one tick, calc_index()) and the
	 * tick has raised TIMER_SOFTIRQ on this CPU, which stays pending.
	 */
	ticked = false;
	{
		ktime_t end = ktime_add_ms(ktime_get(), 500);

		while (ktime_before(ktime_get(), end)) {
			if (time_after(jiffies, expires + 1) &&
			    (local_softirq_pending() & BIT(TIMER_SOFTIRQ))) {
				ticked = true;
				break;
			}
			cpu_relax();
		}
	}
	/* acquire: pairs with bh_probe_fn()'s release */
	ran_held = smp_load_acquire(&p->ran);
	spin_unlock_bh(&kc_bh_lock);
	/* acquire: as above */
	ran_at_unlock = smp_load_acquire(&p->ran);
	sc_after = softirq_count();

	KUNIT_EXPECT_EQ(test, sc_held, sc_before + SOFTIRQ_DISABLE_OFFSET);
	KUNIT_EXPECT_TRUE(test, in_softirq_held);
	KUNIT_EXPECT_FALSE(test, serving_held);
	KUNIT_EXPECT_TRUE(test, ticked);
	KUNIT_EXPECT_FALSE(test, ran_held);
	KUNIT_EXPECT_TRUE(test, ran_at_unlock);
	KUNIT_EXPECT_TRUE(test, p->in_serving_softirq);
	KUNIT_EXPECT_EQ(test, sc_after, sc_before);
}

static DEFINE_SPINLOCK(kc_irqsave_outer);
static DEFINE_SPINLOCK(kc_irqsave_inner);

/*
 * SYNC-SPIN-IRQSAVE: spin_lock_irqsave() disables local irqs and
 * spin_unlock_irqrestore() restores the state it saved, so it nests and
 * keeps irqs off when they were off before; spin_unlock_irq() instead
 * turns them on unconditionally.
 */
static void spin_lock_irqsave_restores_the_previous_irq_state(struct kunit *test)
{
	bool off_before, off_outer, off_inner, off_after_inner, off_after;
	bool saved_outer_off, saved_inner_off, off_kept, off_after_unlock_irq;
	unsigned long f_outer, f_inner, f;

	off_before = irqs_disabled();
	spin_lock_irqsave(&kc_irqsave_outer, f_outer);
	off_outer = irqs_disabled();
	spin_lock_irqsave(&kc_irqsave_inner, f_inner);
	off_inner = irqs_disabled();
	spin_unlock_irqrestore(&kc_irqsave_inner, f_inner);
	off_after_inner = irqs_disabled();
	spin_unlock_irqrestore(&kc_irqsave_outer, f_outer);
	off_after = irqs_disabled();
	saved_outer_off = irqs_disabled_flags(f_outer);
	saved_inner_off = irqs_disabled_flags(f_inner);

	/* Entered with irqs off: irqrestore leaves them off. */
	local_irq_disable();
	spin_lock_irqsave(&kc_irqsave_outer, f);
	spin_unlock_irqrestore(&kc_irqsave_outer, f);
	off_kept = irqs_disabled();
	local_irq_enable();

	/* The _irq variant does not look at the previous state. */
	local_irq_disable();
	spin_lock_irq(&kc_irqsave_outer);
	spin_unlock_irq(&kc_irqsave_outer);
	off_after_unlock_irq = irqs_disabled();
	local_irq_enable();

	KUNIT_EXPECT_FALSE(test, off_before);
	KUNIT_EXPECT_TRUE(test, off_outer);
	KUNIT_EXPECT_TRUE(test, off_inner);
	KUNIT_EXPECT_TRUE(test, off_after_inner);
	KUNIT_EXPECT_FALSE(test, off_after);
	KUNIT_EXPECT_FALSE(test, saved_outer_off);
	KUNIT_EXPECT_TRUE(test, saved_inner_off);
	KUNIT_EXPECT_TRUE(test, off_kept);
	KUNIT_EXPECT_FALSE(test, off_after_unlock_irq);
}

static DEFINE_SPINLOCK(kc_irq_shared_lock);

/*
 * SYNC-SPIN-IRQSAVE, SYNC-SPIN-IN-IRQ: an interrupt handler may take a
 * spinlock that process context holds with spin_lock_irqsave(): the
 * interrupt, due 2 ms after the lock was taken, is held off for the whole
 * critical section and runs (and gets the lock) only after irqrestore,
 * with no lockdep report. Pinned: the interrupt must hit this CPU. Not
 * _HARD: on PREEMPT_RT spinlock_t sleeps and such a timer expires in
 * softirq context.
 */
static void irqsave_holds_off_an_irq_handler_that_takes_the_lock(struct kunit *test)
{
	bool fired_held, fired, locks_ok_before = debug_locks;
	unsigned long flags;
	ktime_t due, unlock_at;
	struct irq_probe *p;

	p = irq_probe_create(test, HRTIMER_MODE_REL_PINNED);
	p->take = &kc_irq_shared_lock;

	spin_lock_irqsave(&kc_irq_shared_lock, flags);
	due = ktime_add_ms(ktime_get(), 2);
	hrtimer_start(&p->timer, ms_to_ktime(2), HRTIMER_MODE_REL_PINNED);
	/* Hold it well past the expiry: 2 ms + 30 ms of margin. */
	spin_until_ktime(ktime_add_ms(due, 30));
	/* acquire: pairs with irq_probe_fn()'s release */
	fired_held = smp_load_acquire(&p->fired);
	unlock_at = ktime_get();
	spin_unlock_irqrestore(&kc_irq_shared_lock, flags);

	fired = wait_for_completion_timeout(&p->done, msecs_to_jiffies(1000));
	hrtimer_cancel(&p->timer);

	KUNIT_EXPECT_FALSE(test, fired_held);
	KUNIT_ASSERT_TRUE(test, fired);
	KUNIT_EXPECT_TRUE(test, p->took);
	KUNIT_EXPECT_TRUE(test, ktime_after(p->when, unlock_at));
	if (!IS_ENABLED(CONFIG_PREEMPT_RT)) {
		KUNIT_EXPECT_TRUE(test, p->in_hardirq);
		KUNIT_EXPECT_TRUE(test, p->irqs_disabled);
	}
	if (locks_ok_before)
		KUNIT_EXPECT_EQ(test, debug_locks, 1);
}

static DEFINE_SPINLOCK(kc_plain_lock);

/*
 * SYNC-SPIN-IRQSAVE, SYNC-SPIN-IN-IRQ: plain spin_lock() leaves local irqs
 * on, so a hardirq runs in the middle of the critical section (it sees the
 * lock held and preemption off). Had the handler taken this lock it would
 * spin forever on its own CPU: why irq-shared locks need the irqsave form.
 */
static void hardirq_runs_while_a_plain_spin_lock_is_held(struct kunit *test)
{
	bool irqs_off_held, fired;
	struct irq_probe *p;

	p = irq_probe_create(test, HRTIMER_MODE_REL_PINNED_HARD);
	p->peek = &kc_plain_lock;

	spin_lock(&kc_plain_lock);
	irqs_off_held = irqs_disabled();
	hrtimer_start(&p->timer, ms_to_ktime(2), HRTIMER_MODE_REL_PINNED_HARD);
	fired = spin_until_set(&p->fired, 1000);
	spin_unlock(&kc_plain_lock);
	hrtimer_cancel(&p->timer);

	KUNIT_EXPECT_FALSE(test, irqs_off_held);
	KUNIT_ASSERT_TRUE(test, fired);
	KUNIT_EXPECT_TRUE(test, p->in_hardirq);
	KUNIT_EXPECT_NE(test, p->hardirq_count, 0);
	/* UP without DEBUG_SPINLOCK has no lock word: spin_is_locked() is 0 */
	if (IS_ENABLED(CONFIG_SMP) || IS_ENABLED(CONFIG_DEBUG_SPINLOCK))
		KUNIT_EXPECT_TRUE(test, p->peek_locked);
}

static DEFINE_SPINLOCK(kc_recursive_lock);

/*
 * SYNC-DEADLOCK-RULES ("never take the same lock twice"), SYNC-SPIN-BUSYWAIT
 * (UP nuance): a spinlock has no owner count, so its owner cannot take it
 * again. On SMP spin_trylock() by the owner fails. On UP the checked
 * trylock must not fail (DEBUG_SPINLOCK reports "trylock failure on UP"
 * and turns lockdep off), so the lock word itself is asked; without
 * DEBUG_SPINLOCK that word does not exist on UP (spinlock_up.h).
 */
static void spinlock_is_not_recursive(struct kunit *test)
{
	bool locked_before, locked_held, owner_is_me = true;
	bool locked_after, relocked;
	int again;

	if (!IS_ENABLED(CONFIG_SMP) && !IS_ENABLED(CONFIG_DEBUG_SPINLOCK))
		kunit_skip(test, "needs SMP (QEMU x86_64 -smp 2) or DEBUG_SPINLOCK: on UP without it the lock word is compiled out");

	locked_before = spin_is_locked(&kc_recursive_lock);
	spin_lock(&kc_recursive_lock);
	locked_held = spin_is_locked(&kc_recursive_lock);
#ifdef CONFIG_DEBUG_SPINLOCK
	owner_is_me = READ_ONCE(kc_recursive_lock.rlock.owner) == current;
#endif
	if (IS_ENABLED(CONFIG_SMP))
		again = spin_trylock(&kc_recursive_lock);
	else
		again = arch_spin_trylock(&kc_recursive_lock.rlock.raw_lock);
	spin_unlock(&kc_recursive_lock);
	locked_after = spin_is_locked(&kc_recursive_lock);

	relocked = spin_trylock(&kc_recursive_lock);
	if (relocked)
		spin_unlock(&kc_recursive_lock);

	KUNIT_EXPECT_FALSE(test, locked_before);
	KUNIT_EXPECT_TRUE(test, locked_held);
	KUNIT_EXPECT_TRUE(test, owner_is_me);
	KUNIT_EXPECT_EQ(test, again, 0);
	KUNIT_EXPECT_FALSE(test, locked_after);
	KUNIT_EXPECT_TRUE(test, relocked);
}

/* Two kthreads on two CPUs: one holds the lock, the other waits for it. */
struct contention {
	spinlock_t *lock;
	unsigned int hold_ms;
	struct completion holder_done, waiter_done;
	bool held;		/* set by the holder once it has the lock */
	bool saw_held;
	int holder_cpu, waiter_cpu;
	s64 waited_us;
	s64 cpu_us;		/* waiter's CPU time while waiting */
	unsigned long switches;	/* waiter's context switches while waiting */
};

static int contention_holder(void *data)
{
	struct contention *c = data;

	spin_lock(c->lock);
	c->holder_cpu = smp_processor_id();
	/* release: the waiter may only start timing once we hold it */
	smp_store_release(&c->held, true);
	spin_until_ktime(ktime_add_ms(ktime_get(), c->hold_ms));
	spin_unlock(c->lock);
	complete(&c->holder_done);
	return 0;
}

static int contention_waiter(void *data)
{
	struct contention *c = data;
	unsigned long sw0;
	u64 cpu0;
	ktime_t t0;

	c->saw_held = spin_until_set(&c->held, 1000);
	if (c->saw_held) {
		sw0 = kclaims_nr_switches(current);
		cpu0 = current->se.sum_exec_runtime;
		t0 = ktime_get();
		spin_lock(c->lock);
		/* read while still non-preemptible: unlock may reschedule */
		c->waited_us = ktime_us_delta(ktime_get(), t0);
		c->switches = kclaims_nr_switches(current) - sw0;
		c->cpu_us = div_s64(current->se.sum_exec_runtime - cpu0,
				    NSEC_PER_USEC);
		c->waiter_cpu = smp_processor_id();
		spin_unlock(c->lock);
	}
	complete(&c->waiter_done);
	return 0;
}

static DEFINE_SPINLOCK(kc_contended_lock);

/*
 * SYNC-SPIN-BUSYWAIT: a task that finds the lock taken by another CPU
 * loops on its CPU: it waits for most of the 200 ms hold without a
 * single context switch (a mutex waiter would sleep), burning CPU time
 * all along (sum_exec_runtime lags by at most a tick at each end). The
 * two kthreads are bound to two different CPUs. Needs SMP.
 */
static void contended_spin_lock_busy_waits_on_smp(struct kunit *test)
{
	struct task_struct *holder, *waiter;
	struct contention *c;
	unsigned int cpu0, cpu1;
	bool hd, wd;

	if (!IS_ENABLED(CONFIG_SMP) || num_online_cpus() < 2)
		kunit_skip(test, "needs SMP (QEMU x86_64 -smp 2): on UP a spinlock is never contended");

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->lock = &kc_contended_lock;
	/* long: the waiter's vCPU may be descheduled by a loaded host */
	c->hold_ms = 200;
	c->holder_cpu = -1;
	c->waiter_cpu = -1;
	init_completion(&c->holder_done);
	init_completion(&c->waiter_done);
	cpu0 = cpumask_first(cpu_online_mask);
	cpu1 = cpumask_next(cpu0, cpu_online_mask);

	holder = kthread_create(contention_holder, c, "kc_spin_holder");
	KUNIT_ASSERT_FALSE(test, IS_ERR(holder));
	waiter = kthread_create(contention_waiter, c, "kc_spin_waiter");
	if (IS_ERR(waiter)) {
		kthread_stop(holder);
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(waiter));
		return;
	}
	get_task_struct(holder);
	get_task_struct(waiter);
	kthread_bind(holder, cpu0);
	kthread_bind(waiter, cpu1);
	wake_up_process(waiter);
	wake_up_process(holder);

	/* Both threads end on their own within hold_ms + 1 s. */
	hd = wait_for_completion_timeout(&c->holder_done, 5 * HZ);
	wd = wait_for_completion_timeout(&c->waiter_done, 5 * HZ);
	kthread_stop(holder);
	kthread_stop(waiter);
	put_task_struct(holder);
	put_task_struct(waiter);

	KUNIT_ASSERT_TRUE(test, hd && wd);
	KUNIT_ASSERT_TRUE(test, c->saw_held);
	kunit_info(test, "waiter on CPU%d spun %lld us (cpu %lld us) with %lu context switches; holder on CPU%d\n",
		   c->waiter_cpu, c->waited_us, c->cpu_us, c->switches,
		   c->holder_cpu);
	KUNIT_EXPECT_EQ(test, c->holder_cpu, (int)cpu0);
	KUNIT_EXPECT_EQ(test, c->waiter_cpu, (int)cpu1);
	KUNIT_EXPECT_GE(test, c->waited_us, 100 * USEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, c->switches, 0);
	KUNIT_EXPECT_GE(test, c->cpu_us, c->waited_us / 2);
}

/*
 * The "preemptor": a SCHED_FIFO kthread, bound to the test's CPU, that
 * the test wakes while it holds something (preemption off, a spinlock,
 * an rwlock...). A FIFO task outranks the SCHED_NORMAL test thread, so
 * the wakeup sets need_resched on the test and the switch happens at
 * its next preemption point. The test writes a step number before each
 * of its moves; the preemptor notes the step it found when it ran, so
 * where it ran is an exact position in the test's sequence:
 * 1 = inside wake_up_process(), 2 = at the release, 3 = at a later one.
 */
struct preemptor {
	struct task_struct *task;
	struct completion done;
	unsigned int step;		/* written by the test only */
	unsigned int seen;		/* step when the preemptor ran */
	rwlock_t *rw;			/* taken for read or write when it runs */
	bool rw_write;
	unsigned int *data;		/* read under @rw */
	unsigned int data_seen;
	unsigned long nivcsw0, nivcsw1;	/* the test's, around the release */
	ktime_t woken_at, ran_at;
	bool woken;
};

static int preemptor_fn(void *data)
{
	struct preemptor *p = data;

	p->seen = READ_ONCE(p->step);
	p->ran_at = ktime_get();
	if (p->rw && p->rw_write) {
		write_lock(p->rw);
		p->data_seen = READ_ONCE(*p->data);
		write_unlock(p->rw);
	} else if (p->rw) {
		read_lock(p->rw);
		p->data_seen = READ_ONCE(*p->data);
		read_unlock(p->rw);
	}
	complete_all(&p->done);	/* the test waits once, the reaper again */
	return 0;
}

/*
 * A stuck one (it cannot be: nothing it waits for stays held) is leaked
 * with its struct, which it may still write: @p is kzalloc'd, not
 * kunit_kzalloc'd, so no earlier-registered KUnit action frees it under it.
 */
static void preemptor_reap(void *data)
{
	struct preemptor *p = data;

	if (!p->woken || wait_for_completion_timeout(&p->done, 2 * HZ)) {
		kthread_stop(p->task);
		put_task_struct(p->task);
		kfree(p);
	} else {
		put_task_struct(p->task);
		/* leak p: the thread may still run */
	}
}

/* Create it, not yet woken and not yet bound, as SCHED_FIFO. */
static struct preemptor *preemptor_create(struct kunit *test)
{
	struct preemptor *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	init_completion(&p->done);
	p->task = kthread_create(preemptor_fn, p, "kc_preemptor");
	if (IS_ERR(p->task)) {
		kfree(p);
		KUNIT_FAIL_AND_ABORT(test, "kthread_create failed");
	}
	get_task_struct(p->task);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, preemptor_reap, p));
	sched_set_fifo(p->task);
	return p;
}

/*
 * Wake @p between @hold and @release (either may be NULL) and return
 * the step it ran at (0: it did not finish within a second).
 * migrate_disable() keeps the test on the CPU the preemptor is bound to
 * (a no-op on UP) without disabling preemption.
 */
static unsigned int preempt_probe(struct kunit *test, struct preemptor *p,
				  void (*hold)(struct preemptor *),
				  void (*release)(struct preemptor *))
{
	migrate_disable();
	kthread_bind(p->task, raw_smp_processor_id());
	if (hold)
		hold(p);
	WRITE_ONCE(p->step, 1);
	p->woken = true;
	wake_up_process(p->task);
	p->woken_at = ktime_get();
	WRITE_ONCE(p->step, 2);
	p->nivcsw0 = READ_ONCE(current->nivcsw);
	if (release)
		release(p);
	p->nivcsw1 = READ_ONCE(current->nivcsw);
	WRITE_ONCE(p->step, 100);
	migrate_enable();
	if (!wait_for_completion_timeout(&p->done, HZ))
		return 0;
	return p->seen;
}

static void hold_preempt_twice(struct preemptor *p)
{
	preempt_disable();
	preempt_disable();
}

static void release_preempt_twice(struct preemptor *p)
{
	preempt_enable();
	WRITE_ONCE(p->step, 3);
	preempt_enable();
}

/*
 * SYNC-PREEMPT-DISABLE: preemption really is held off, and the counter
 * decides when it comes back. Without preempt_disable() a woken FIFO
 * thread preempts the test inside wake_up_process() (step 1). With two
 * nested preempt_disable() it has not run after the inner
 * preempt_enable() (count still 1: step 3 found it waiting) and runs
 * exactly at the outer one (it saw step 3, not the step written after),
 * an involuntary switch of the test (nivcsw rose).
 */
static void preemption_waits_for_the_last_preempt_enable(struct kunit *test)
{
	unsigned int free_step, nested_step;
	struct preemptor *p0, *p;

	if (!IS_ENABLED(CONFIG_PREEMPTION))
		kunit_skip(test, "needs CONFIG_PREEMPT (the kunitconfig sets it)");

	p0 = preemptor_create(test);
	p = preemptor_create(test);
	free_step = preempt_probe(test, p0, NULL, NULL);
	nested_step = preempt_probe(test, p, hold_preempt_twice,
				    release_preempt_twice);

	KUNIT_EXPECT_EQ(test, free_step, 1U);
	KUNIT_EXPECT_EQ(test, nested_step, 3U);
	KUNIT_EXPECT_GE(test, p->nivcsw1, p->nivcsw0 + 1);
}

static void hold_get_cpu(struct preemptor *p)
{
	p->data_seen = get_cpu();
}

static void release_put_cpu(struct preemptor *p)
{
	put_cpu();
}

/*
 * SYNC-GET-CPU: between get_cpu() and put_cpu() the test is not
 * preempted: a FIFO thread woken there runs exactly at put_cpu() (step
 * 2), and get_cpu() returned the CPU the test is on. Why the number
 * needs this only shows on SMP, where a preempted task may migrate;
 * DEBUG_PREEMPT's "BUG: using smp_processor_id() in preemptible" check
 * would say so there, but it is not in this kunitconfig and on UP it
 * never fires (is_percpu_thread() is true for every task without SMP),
 * so preemptible code here only reads raw_smp_processor_id().
 */
static void get_cpu_holds_off_preemption_until_put_cpu(struct kunit *test)
{
	unsigned int step;
	struct preemptor *p;
	int raw_cpu;

	if (!IS_ENABLED(CONFIG_PREEMPTION))
		kunit_skip(test, "needs CONFIG_PREEMPT (the kunitconfig sets it)");

	p = preemptor_create(test);
	migrate_disable();
	raw_cpu = raw_smp_processor_id();
	step = preempt_probe(test, p, hold_get_cpu, release_put_cpu);
	migrate_enable();

	KUNIT_EXPECT_EQ(test, step, 2U);
	KUNIT_EXPECT_EQ(test, (int)p->data_seen, raw_cpu);
	KUNIT_EXPECT_GE(test, p->nivcsw1, p->nivcsw0 + 1);
}

static DEFINE_SPINLOCK(kc_hold_lock);

static void hold_spin_20ms(struct preemptor *p)
{
	spin_lock(&kc_hold_lock);
}

static void release_spin_after_20ms(struct preemptor *p)
{
	spin_until_ktime(ktime_add_ms(p->woken_at, 20));
	spin_unlock(&kc_hold_lock);
}

/*
 * SYNC-SPIN-SHORT, SYNC-LOCK-CHOICE: a spinlock holder is not preempted,
 * even by a higher-priority task: a FIFO thread woken in a 20 ms critical
 * section waits all of it (its wakeup latency is the 20 ms left of the
 * section) and runs exactly at spin_unlock() (step 2).
 * Every microsecond a spinlock is held is latency for whatever became
 * runnable on that CPU (on SMP also CPU burned by spinning waiters:
 * contended_spin_lock_busy_waits_on_smp), hence short holds only.
 */
static void spin_lock_holder_is_not_preempted_until_unlock(struct kunit *test)
{
	struct preemptor *p;
	unsigned int step;

	skip_unless_preempt_count(test);

	p = preemptor_create(test);
	step = preempt_probe(test, p, hold_spin_20ms, release_spin_after_20ms);

	KUNIT_EXPECT_EQ(test, step, 2U);
	KUNIT_EXPECT_GE(test, ktime_us_delta(p->ran_at, p->woken_at),
			20LL * USEC_PER_MSEC);
	KUNIT_EXPECT_GE(test, p->nivcsw1, p->nivcsw0 + 1);
}

static DEFINE_RWLOCK(kc_rw_lock);
static unsigned int kc_rw_data;

static void hold_write_lock(struct preemptor *p)
{
	write_lock(&kc_rw_lock);
	/* first half of a two-step update a reader must never see */
	WRITE_ONCE(kc_rw_data, 1);
}

static void release_write_lock(struct preemptor *p)
{
	WRITE_ONCE(kc_rw_data, 2);
	write_unlock(&kc_rw_lock);
}

static void hold_read_lock(struct preemptor *p)
{
	read_lock(&kc_rw_lock);
}

static void release_read_lock(struct preemptor *p)
{
	read_unlock(&kc_rw_lock);
}

/*
 * SYNC-SPIN-IN-IRQ, SYNC-LOCK-CHOICE (no catalogue row for rwlocks; these
 * are the nearest): an rwlock_t holder, reader or writer, runs with
 * preemption off like a spinlock holder. A FIFO reader woken while the
 * test holds the write lock gets in only at write_unlock() (step 2) and
 * sees the finished update (2), never the half (1); a FIFO writer woken
 * while the test holds a read lock gets in only at read_unlock(). On UP
 * that is the whole exclusion: rwlock_t has no lock word there
 * (spinlock_up.h), so a task that could run inside the critical section
 * would get in; on SMP the lock word also excludes other CPUs
 * (rwlock_readers_share_writers_exclude_on_smp).
 */
static void rwlock_holders_keep_a_fifo_task_out_until_unlock(struct kunit *test)
{
	unsigned int reader_step, writer_step;
	struct preemptor *r, *w;

	skip_unless_preempt_count(test);

	r = preemptor_create(test);
	w = preemptor_create(test);
	r->rw = &kc_rw_lock;
	r->data = &kc_rw_data;
	w->rw = &kc_rw_lock;
	w->rw_write = true;
	w->data = &kc_rw_data;
	kc_rw_data = 0;
	reader_step = preempt_probe(test, r, hold_write_lock, release_write_lock);
	writer_step = preempt_probe(test, w, hold_read_lock, release_read_lock);

	KUNIT_EXPECT_EQ(test, reader_step, 2U);
	KUNIT_EXPECT_EQ(test, r->data_seen, 2U);
	KUNIT_EXPECT_EQ(test, writer_step, 2U);
}

struct rw_irq_probe {
	struct hrtimer timer;
	rwlock_t *rw;
	bool read_ok, write_ok;
	bool fired;		/* written last, with release semantics */
};

static enum hrtimer_restart rw_irq_probe_fn(struct hrtimer *t)
{
	struct rw_irq_probe *r = container_of(t, struct rw_irq_probe, timer);

	r->read_ok = read_trylock(r->rw);
	if (r->read_ok)
		read_unlock(r->rw);
	r->write_ok = write_trylock(r->rw);
	if (r->write_ok)
		write_unlock(r->rw);
	/* release: the record above is complete before fired is seen */
	smp_store_release(&r->fired, true);
	return HRTIMER_NORESTART;
}

static void rw_irq_probe_cancel(void *data)
{
	struct rw_irq_probe *r = data;

	hrtimer_cancel(&r->timer);
}

static DEFINE_RWLOCK(kc_rw_share_lock);

/*
 * SYNC-SPIN-IN-IRQ (rwlock nuance; no catalogue row for rwlocks): readers
 * share an rwlock_t: while the test holds it for read, with irqs on, an
 * interrupt handler on the same CPU gets it for read too (qrwlock lets
 * interrupt-context readers past even a queued writer, so this pattern
 * needs no irqsave on the reading side), but not for write; while the
 * test holds the write lock, read_trylock() fails. Needs SMP: on UP
 * rwlock_t has no lock word (every trylock "succeeds") and DEBUG_SPINLOCK
 * would report a failed one as "trylock failure on UP".
 */
static void rwlock_readers_share_writers_exclude_on_smp(struct kunit *test)
{
	bool fired, read_under_write, write_under_write;
	struct rw_irq_probe *r;

	if (!IS_ENABLED(CONFIG_SMP))
		kunit_skip(test, "needs SMP (QEMU x86_64 -smp 2): on UP rwlock_t has no lock word; UP exclusion is rwlock_holders_keep_a_fifo_task_out_until_unlock");

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->rw = &kc_rw_share_lock;
	hrtimer_init(&r->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	r->timer.function = rw_irq_probe_fn;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, rw_irq_probe_cancel, r));

	read_lock(&kc_rw_share_lock);
	hrtimer_start(&r->timer, ms_to_ktime(2), HRTIMER_MODE_REL_PINNED_HARD);
	fired = spin_until_set(&r->fired, 1000);
	read_unlock(&kc_rw_share_lock);
	hrtimer_cancel(&r->timer);

	/*
	 * irqs off: the handler above took it for read (IN-HARDIRQ-R), so a
	 * writer with irqs on would be lockdep's "inconsistent
	 * {IN-HARDIRQ-R} -> {HARDIRQ-ON-W} usage" (a reader irq on this
	 * CPU would spin on it forever).
	 */
	write_lock_irq(&kc_rw_share_lock);
	read_under_write = read_trylock(&kc_rw_share_lock);
	if (read_under_write)
		read_unlock(&kc_rw_share_lock);
	write_under_write = write_trylock(&kc_rw_share_lock);
	if (write_under_write)
		write_unlock(&kc_rw_share_lock);
	write_unlock_irq(&kc_rw_share_lock);

	KUNIT_ASSERT_TRUE(test, fired);
	KUNIT_EXPECT_TRUE(test, r->read_ok);
	KUNIT_EXPECT_FALSE(test, r->write_ok);
	KUNIT_EXPECT_FALSE(test, read_under_write);
	KUNIT_EXPECT_FALSE(test, write_under_write);
}

static DEFINE_SEQLOCK(kc_seqlock);
static u64 kc_seq_a, kc_seq_b;	/* written together under kc_seqlock */

struct seq_writer {
	struct hrtimer timer;
	unsigned int seq_inside;	/* the sequence while writing */
	bool fired;		/* written last, with release semantics */
};

static enum hrtimer_restart seq_writer_fn(struct hrtimer *t)
{
	struct seq_writer *w = container_of(t, struct seq_writer, timer);

	write_seqlock(&kc_seqlock);
	w->seq_inside = READ_ONCE(kc_seqlock.seqcount.seqcount.sequence);
	WRITE_ONCE(kc_seq_a, kc_seq_a + 1);
	WRITE_ONCE(kc_seq_b, kc_seq_b + 1);
	write_sequnlock(&kc_seqlock);
	/* release: seq_inside is written before fired is seen */
	smp_store_release(&w->fired, true);
	return HRTIMER_NORESTART;
}

static void seq_writer_cancel(void *data)
{
	struct seq_writer *w = data;

	hrtimer_cancel(&w->timer);
}

/*
 * SYNC-SPIN-IN-IRQ (seqlock nuance; no catalogue row for seqlocks, the
 * nearest is this one; xtime_lock of TIME-TICK-STEPS was a seqlock_t):
 * a seqlock reader never holds the writer off: an interrupt handler
 * writes (sequence odd while it does) in the middle of the test's read
 * section, and read_seqretry() then says the read was torn, so the
 * reader goes round exactly once more (2 passes) and the second pass,
 * with no write in it, is accepted with the sequence 2 further on and
 * both fields updated together.
 */
static void seqlock_reader_retries_exactly_once_across_an_irq_write(struct kunit *test)
{
	unsigned int seq0 = 0, seq1 = 0, seq, passes = 0;
	bool fired = false, retry_first = false;
	u64 a0, a, b;
	struct seq_writer *w;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	hrtimer_init(&w->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	w->timer.function = seq_writer_fn;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, seq_writer_cancel, w));
	a0 = READ_ONCE(kc_seq_a);

	do {
		seq = read_seqbegin(&kc_seqlock);
		a = READ_ONCE(kc_seq_a);
		if (passes == 0) {
			seq0 = seq;
			hrtimer_start(&w->timer, ms_to_ktime(1),
				      HRTIMER_MODE_REL_PINNED_HARD);
			fired = spin_until_set(&w->fired, 1000);
		} else {
			seq1 = seq;
		}
		b = READ_ONCE(kc_seq_b);
		passes++;
		if (passes == 1)
			retry_first = read_seqretry(&kc_seqlock, seq);
	} while (read_seqretry(&kc_seqlock, seq) && passes < 10);
	hrtimer_cancel(&w->timer);

	KUNIT_ASSERT_TRUE(test, fired);
	KUNIT_EXPECT_TRUE(test, retry_first);
	KUNIT_EXPECT_EQ(test, passes, 2U);
	KUNIT_EXPECT_EQ(test, seq0 % 2, 0U);
	KUNIT_EXPECT_EQ(test, w->seq_inside, seq0 + 1);
	KUNIT_EXPECT_EQ(test, seq1, seq0 + 2);
	KUNIT_EXPECT_EQ(test, a, a0 + 1);
	KUNIT_EXPECT_EQ(test, b, a);
}

static struct kunit_case kclaims_spinlock_cases[] = {
	KUNIT_CASE(spin_lock_raises_preempt_count_and_disables_preemption),
	KUNIT_CASE(preempt_disable_nests_in_the_preempt_counter),
	KUNIT_CASE(get_cpu_returns_this_cpu_and_disables_preemption),
	KUNIT_CASE(preempt_count_is_stored_in_thread_info_on_uml),
	KUNIT_CASE(spin_lock_bh_defers_softirqs_until_unlock),
	KUNIT_CASE(spin_lock_irqsave_restores_the_previous_irq_state),
	KUNIT_CASE(irqsave_holds_off_an_irq_handler_that_takes_the_lock),
	KUNIT_CASE(hardirq_runs_while_a_plain_spin_lock_is_held),
	KUNIT_CASE(spinlock_is_not_recursive),
	KUNIT_CASE_SLOW(contended_spin_lock_busy_waits_on_smp),
	KUNIT_CASE(preemption_waits_for_the_last_preempt_enable),
	KUNIT_CASE(get_cpu_holds_off_preemption_until_put_cpu),
	KUNIT_CASE(spin_lock_holder_is_not_preempted_until_unlock),
	KUNIT_CASE(rwlock_holders_keep_a_fifo_task_out_until_unlock),
	KUNIT_CASE(rwlock_readers_share_writers_exclude_on_smp),
	KUNIT_CASE(seqlock_reader_retries_exactly_once_across_an_irq_write),
	{}
};

static struct kunit_suite kclaims_spinlock_suite = {
	.name = "kclaims_spinlock",
	.init = kclaims_debug_locks_init,
	.exit = kclaims_debug_locks_exit,
	.test_cases = kclaims_spinlock_cases,
};
kunit_test_suite(kclaims_spinlock_suite);

MODULE_DESCRIPTION("kclaims: spinlock, preemption and irq-state claims of the notes");
MODULE_LICENSE("GPL");

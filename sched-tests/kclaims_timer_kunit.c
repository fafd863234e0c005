// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about HZ, jiffies, kernel timers and delays
 * checked against the running kernel.
 *
 * Time is read with ktime (the clocksource), independently of jiffies;
 * CPU time with se.sum_exec_runtime, which lags by at most one tick at
 * each end; sleeping with nvcsw (voluntary context switches). Timing
 * cases take the median of several samples and use wide bounds that
 * follow from the timer wheel's rules, not from a printout: UML on a
 * loaded host is noisy and its delay loop is calibrated once at boot.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_timer'
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/timer.h>
#include <asm/irq_regs.h>

#include "../lib/kclaims.h"

#define NSAMPLES 5

/*
 * Busy-wait (at most 1 s) until jiffies changes and return the new value.
 * Right after an update jiffies is current: on SMP it may otherwise lag
 * by up to MAX_STALLED_JIFFIES (5) ticks while the CPU that keeps it is
 * a descheduled vCPU (kernel/time/tick-sched.c), and a timer armed from
 * a stale value expires early in clocksource time.
 */
static unsigned long wait_for_jiffies_edge(void)
{
	unsigned long j0 = READ_ONCE(jiffies), j = j0;
	ktime_t end = ktime_add_ms(ktime_get(), 1000);

	while (j == j0 && ktime_before(ktime_get(), end)) {
		cpu_relax();
		j = READ_ONCE(jiffies);
	}
	return j;
}

/*
 * Busy-wait in mdelay() slices until @ms of clocksource time have passed
 * since @t0; returns the time spent. mdelay() spins a loop count that the
 * boot calibrated once as loops per jiffy of wall time; on UML sharing a
 * loaded host the vCPU is descheduled during some calibration trials, so
 * lpj comes out short (14.7M seen instead of ~35M: mdelay(50) spun 21 ms
 * of CPU), and one mdelay(50) has no lower bound in clocksource time. The
 * slices are capped at 100 times the nominal length, so that a delay that
 * does not spin ends the loop, short of @ms; a busy-wait calibrated short
 * only takes more slices.
 */
#define DELAY_SLICE_MS	10

static s64 mdelay_for(unsigned int ms, ktime_t t0)
{
	unsigned int n;
	s64 ns = 0;

	for (n = 0; n < 100 * ms / DELAY_SLICE_MS &&
	     ns < (s64)ms * NSEC_PER_MSEC; n++) {
		mdelay(DELAY_SLICE_MS);
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	}
	return ns;
}

/*
 * A one-shot hrtimer that counts, notes when it ran and which instruction
 * its interrupt stopped (0 if it did not interrupt anything: UML hands an
 * interrupt that arrived with irqs off over later with zeroed registers),
 * and may wake a task.
 */
struct hrt_probe {
	struct hrtimer timer;
	struct task_struct *wake;
	ktime_t when;
	unsigned long ip;
	int cpu;
	unsigned int runs;
};

static enum hrtimer_restart hrt_probe_fn(struct hrtimer *t)
{
	struct hrt_probe *p = container_of(t, struct hrt_probe, timer);
	struct pt_regs *regs = get_irq_regs();

	p->when = ktime_get();
	p->ip = regs ? instruction_pointer(regs) : 0;
	p->cpu = smp_processor_id();
	WRITE_ONCE(p->runs, p->runs + 1);
	if (p->wake)
		wake_up_process(p->wake);
	return HRTIMER_NORESTART;
}

static void hrt_probe_cancel(void *data)
{
	struct hrt_probe *p = data;

	hrtimer_cancel(&p->timer);
}

static struct hrt_probe *hrt_probe_create(struct kunit *test)
{
	struct hrt_probe *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* pinned: the interrupt must hit the CPU the test runs on */
	hrtimer_init(&p->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	p->timer.function = hrt_probe_fn;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, hrt_probe_cancel, p));
	return p;
}

/* Order in which tl_probe callbacks ran, across probes. */
static atomic_t tl_probe_order = ATOMIC_INIT(0);

/* A timer_list that records each run. */
struct tl_probe {
	struct timer_list timer;
	struct completion done;
	unsigned int runs;
	unsigned int order;		/* tl_probe_order at the last run */
	unsigned long jiffies_at_run;
	ktime_t when;
	bool in_serving_softirq;
	bool in_hardirq;
	bool container_ok;
	int cpu;
	/* for the SMP case: set while the callback is running */
	unsigned int spin_ms;
	bool running;
	bool finished;
};

static void tl_probe_fn(struct timer_list *t)
{
	struct tl_probe *p = from_timer(p, t, timer);

	WRITE_ONCE(p->running, true);
	p->container_ok = &p->timer == t;
	p->jiffies_at_run = jiffies;
	p->when = ktime_get();
	p->in_serving_softirq = in_serving_softirq();
	p->in_hardirq = in_hardirq();
	p->cpu = smp_processor_id();
	p->order = atomic_inc_return(&tl_probe_order);
	if (p->spin_ms)
		mdelay(p->spin_ms);
	WRITE_ONCE(p->runs, p->runs + 1);
	WRITE_ONCE(p->running, false);
	WRITE_ONCE(p->finished, true);
	complete(&p->done);
}

static void tl_probe_shutdown(void *data)
{
	struct tl_probe *p = data;

	timer_shutdown_sync(&p->timer);
}

static struct tl_probe *tl_probe_create(struct kunit *test)
{
	struct tl_probe *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	init_completion(&p->done);
	timer_setup(&p->timer, tl_probe_fn, 0);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, tl_probe_shutdown, p));
	return p;
}

/*
 * TIME-HZ-DEFAULT (definition evidence: the claim is about a Kconfig
 * default, a compile-time constant): "HZ is 100 or 1000, default 1000
 * since 2.5". HZ is a Kconfig choice (kernel/Kconfig.hz: default HZ_250);
 * arch/um/Kconfig fixes it at 100 (no prompt), so a jiffy is 10 ms here.
 * That the running kernel really ticks 100 times a second is the
 * behaviour case jiffies_advance_hz_times_per_second.
 */
static void hz_is_100_on_uml_not_the_claimed_1000(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_UML))
		kunit_skip(test, "UML only (HZ fixed at 100 there): this arch has HZ=%d, a Kconfig choice (Kconfig.hz default 250)",
			   HZ);

	KUNIT_EXPECT_EQ(test, HZ, 100);
	KUNIT_EXPECT_NE(test, HZ, 1000);
	KUNIT_EXPECT_EQ(test, TICK_NSEC, 10 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, jiffies_to_msecs(1), 10);
}

/*
 * TIME-HZ-PARAM, TIME-TICK-RATE: jiffies advance HZ times per second of
 * clocksource time. Three 300 ms windows (an hrtimer sleep, which does
 * not itself count jiffies); median rate within 10 % of HZ (one tick of
 * quantisation is 3 %).
 */
static void jiffies_advance_hz_times_per_second(struct kunit *test)
{
	s64 rate[3];
	int i;

	for (i = 0; i < ARRAY_SIZE(rate); i++) {
		unsigned long j0, j1;
		ktime_t t0, t1;

		j0 = jiffies;
		t0 = ktime_get();
		usleep_range(300 * USEC_PER_MSEC, 300 * USEC_PER_MSEC + 1000);
		j1 = jiffies;
		t1 = ktime_get();
		rate[i] = div64_s64((s64)(j1 - j0) * NSEC_PER_SEC,
				    ktime_to_ns(ktime_sub(t1, t0)));
	}
	kunit_info(test, "jiffies per second: %lld %lld %lld (HZ=%d)\n",
		   rate[0], rate[1], rate[2], HZ);
	KUNIT_EXPECT_GE(test, kclaims_median_s64(rate, 3), HZ * 9 / 10);
	KUNIT_EXPECT_LE(test, kclaims_median_s64(rate, 3), HZ * 11 / 10);
}

/*
 * TIME-MSLEEP (jiffy granularity): msecs_to_jiffies() rounds up to whole
 * ticks and never turns a non-zero request into 0 (msleep(1) is one
 * tick, 10 ms at HZ=100).
 */
static void msecs_to_jiffies_rounds_up_to_whole_ticks(struct kunit *test)
{
	static const unsigned int ms[] = { 1, 5, 9, 10, 11, 15, 20, 99, 100,
					   101, 1001 };
	unsigned int tick_ms = jiffies_to_msecs(1);
	int i;

	for (i = 0; i < ARRAY_SIZE(ms); i++) {
		/* READ_ONCE: use the out-of-line path, not constant folding */
		unsigned long j = msecs_to_jiffies(READ_ONCE(ms[i]));

		KUNIT_EXPECT_GE_MSG(test, jiffies_to_msecs(j), ms[i],
				    "msecs_to_jiffies(%u)=%lu", ms[i], j);
		KUNIT_EXPECT_LT_MSG(test, jiffies_to_msecs(j), ms[i] + tick_ms,
				    "msecs_to_jiffies(%u)=%lu", ms[i], j);
	}
	KUNIT_EXPECT_EQ(test, msecs_to_jiffies(READ_ONCE(ms[0])), 1);
	if (HZ == 100) {
		KUNIT_EXPECT_EQ(test, msecs_to_jiffies(READ_ONCE(ms[3])), 1);
		KUNIT_EXPECT_EQ(test, msecs_to_jiffies(READ_ONCE(ms[4])), 2);
	}
}

/*
 * TIME-MSLEEP, IRQ-MSLEEP-IN-SYSCALL, SCHED-CTXSW: msleep() puts the
 * process to sleep: each msleep(20) lasts at least 20 ms, switches out
 * voluntarily and burns (median) under 5 ms of CPU; msleep(1) still
 * lasts at least a whole tick (a timer wheel timer for jiffies + n fires
 * at a tick boundary no earlier than n ticks later). Each sample starts
 * at a jiffies update; the lower bounds hold for every sample on UP and
 * for the median on SMP (see wait_for_jiffies_edge()).
 */
static void msleep_sleeps_at_least_the_request_and_yields_the_cpu(struct kunit *test)
{
	s64 wall[NSAMPLES], cpu[NSAMPLES], short_wall[NSAMPLES];
	unsigned long nv_rises = 0;
	s64 min_wall = S64_MAX, min_short = S64_MAX, low_wall, low_short;
	int i;

	for (i = 0; i < NSAMPLES; i++) {
		unsigned long nv0;
		u64 c0;
		ktime_t t0;

		wait_for_jiffies_edge();
		nv0 = current->nvcsw;
		c0 = current->se.sum_exec_runtime;
		t0 = ktime_get();
		msleep(20);
		wall[i] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		cpu[i] = current->se.sum_exec_runtime - c0;
		if (current->nvcsw > nv0)
			nv_rises++;
		min_wall = min(min_wall, wall[i]);
	}
	for (i = 0; i < NSAMPLES; i++) {
		ktime_t t0;

		wait_for_jiffies_edge();
		t0 = ktime_get();
		msleep(1);
		short_wall[i] = ktime_to_ns(ktime_sub(ktime_get(), t0));
		min_short = min(min_short, short_wall[i]);
	}
	kunit_info(test, "msleep(20): min %lld us, median %lld us, median cpu %lld us; msleep(1): min %lld us, median %lld us\n",
		   min_wall / 1000, kclaims_median_s64(wall, NSAMPLES) / 1000,
		   kclaims_median_s64(cpu, NSAMPLES) / 1000, min_short / 1000,
		   kclaims_median_s64(short_wall, NSAMPLES) / 1000);

	low_wall = IS_ENABLED(CONFIG_SMP) ? kclaims_median_s64(wall, NSAMPLES) : min_wall;
	low_short = IS_ENABLED(CONFIG_SMP) ? kclaims_median_s64(short_wall, NSAMPLES) :
		    min_short;
	KUNIT_EXPECT_GE(test, low_wall, 20 * NSEC_PER_MSEC);
	KUNIT_EXPECT_LE(test, kclaims_median_s64(wall, NSAMPLES), 200 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, nv_rises, NSAMPLES);
	KUNIT_EXPECT_LT(test, kclaims_median_s64(cpu, NSAMPLES), 5 * NSEC_PER_MSEC);
	KUNIT_EXPECT_GE(test, low_short, (s64)TICK_NSEC);
}

/*
 * TIME-DELAY-BUSY, SCHED-CTXSW: mdelay() busy-waits: the task never
 * switches out voluntarily and the wall time of the delay is spent on
 * the CPU (sum_exec_runtime lags by at most a tick at each end). Each
 * sample spins 50 ms of clocksource time in mdelay() slices (mdelay_for():
 * the boot calibration of the loop may be far off on a loaded host), so
 * the CPU time is compared with a window much longer than its slack.
 */
static void mdelay_busy_waits_without_a_context_switch(struct kunit *test)
{
	s64 wall[NSAMPLES], cpu[NSAMPLES];
	unsigned long nv_rises = 0;
	int i;

	for (i = 0; i < NSAMPLES; i++) {
		unsigned long nv0 = current->nvcsw;
		u64 c0 = current->se.sum_exec_runtime;

		wall[i] = mdelay_for(50, ktime_get());
		cpu[i] = current->se.sum_exec_runtime - c0;
		if (current->nvcsw != nv0)
			nv_rises++;
	}
	kunit_info(test, "mdelay() slices for 50 ms: median wall %lld us, median cpu %lld us, lpj %lu\n",
		   kclaims_median_s64(wall, NSAMPLES) / 1000,
		   kclaims_median_s64(cpu, NSAMPLES) / 1000, loops_per_jiffy);

	KUNIT_EXPECT_EQ(test, nv_rises, 0);
	/* below 50 ms only if the slices stopped on their cap */
	KUNIT_EXPECT_GE(test, kclaims_median_s64(wall, NSAMPLES), 50 * NSEC_PER_MSEC);
	/* 50 ms, one more slice, a host stall */
	KUNIT_EXPECT_LE(test, kclaims_median_s64(wall, NSAMPLES), 500 * NSEC_PER_MSEC);
	KUNIT_EXPECT_GE(test, kclaims_median_s64(cpu, NSAMPLES) + 2 * (s64)TICK_NSEC +
			2 * NSEC_PER_MSEC, kclaims_median_s64(wall, NSAMPLES));
}

/*
 * TIME-DELAY-BUSY ("no jiffies needed"), TIME-TICK-STEPS, TIME-TICK-RATE
 * (behaviour): mdelay() works with local irqs off, when (on UP) jiffies
 * cannot move at all: jiffies are advanced by the timer interrupt. Once
 * irqs are back on, jiffies catch up all the ticks that were missed in
 * one go (UP: the first change seen is the whole catch-up). That is not
 * tick_periodic()'s do_timer(1): with high-resolution timers active (as
 * here) the tick is an hrtimer (tick_sched_timer) and jiffies are
 * advanced by tick_do_update_jiffies64(), which adds every tick elapsed
 * since the last update at once. On SMP other CPUs' ticks keep jiffies
 * going, possibly a few ticks late (see wait_for_jiffies_edge()). The
 * irqs-off window is 50 ms of clocksource time in mdelay() slices
 * (mdelay_for()), so at least 4 ticks are missed however the delay loop
 * was calibrated: a catch-up of one jiffy per interrupt cannot pass.
 */
static void mdelay_needs_neither_jiffies_nor_interrupts(struct kunit *test)
{
	struct hrt_probe *p = hrt_probe_create(test);
	unsigned long j0, j_held, j_first = 0, j_after = 0;
	bool changed = false, hres;
	ktime_t t0, end;
	s64 held_ns, missed;

	hres = hrtimer_is_hres_active(&p->timer);
	local_irq_disable();
	j0 = jiffies;
	t0 = ktime_get();
	held_ns = mdelay_for(50, t0);
	j_held = jiffies;
	local_irq_enable();
	/*
	 * The last update (at j0) was at most a tick before t0, so the
	 * catch-up is at least held_ns / TICK_NSEC; one tick of slack.
	 */
	missed = div64_s64(held_ns, TICK_NSEC) - 1;

	/* The next tick (at most ~1 tick away) brings jiffies up to date. */
	end = ktime_add_ms(ktime_get(), 500);
	while (ktime_before(ktime_get(), end)) {
		j_after = READ_ONCE(jiffies);
		if (!changed && j_after != j0) {
			changed = true;
			j_first = j_after;
		}
		if ((s64)(j_after - j0) >= missed)
			break;
		cpu_relax();
	}
	kunit_info(test, "irqs off for %lld us: jiffies +%lu while off, +%lu at the first change after; tick is %s\n",
		   held_ns / 1000, j_held - j0, j_first - j0,
		   hres ? "an hrtimer (high-res mode)" : "the periodic clockevent");

	/* below 50 ms only if the slices stopped on their cap */
	KUNIT_EXPECT_GE(test, held_ns, 50 * NSEC_PER_MSEC);
	KUNIT_EXPECT_GE(test, (s64)(j_after - j0), missed);
	if (IS_ENABLED(CONFIG_HIGH_RES_TIMERS))
		KUNIT_EXPECT_TRUE(test, hres);
	if (!IS_ENABLED(CONFIG_SMP)) {
		KUNIT_EXPECT_EQ(test, j_held, j0);
		KUNIT_EXPECT_TRUE(test, changed);
		KUNIT_EXPECT_GE(test, (s64)(j_first - j0), missed);
	}
}

/*
 * Is @ip inside the arch's delay loop? UML: __delay(), which gcc may
 * inline into __const_udelay() (arch/x86/um/delay.c); x86: delay_tsc()
 * and friends, called from __delay().
 */
static bool ip_in_delay_loop(unsigned long ip, char *name)
{
	unsigned long size, off, fn;
	char *mod;

	name[0] = '\0';
	if (!ip || !kallsyms_lookup(ip, &size, &off, &mod, name))
		return false;
	fn = ip - off;
	return fn == (unsigned long)__delay ||
	       fn == (unsigned long)__const_udelay ||
	       fn == (unsigned long)__udelay ||
	       !strncmp(name, "delay_", 6);
}

/*
 * TIME-DELAY-SYSTEM-STOP (behaviour): "the system stops during the
 * delay" is false: mdelay() only occupies this CPU, and interrupts go on
 * during it. An hrtimer due 2 ms after it is armed interrupts the busy
 * loop itself: its interrupt stopped an instruction of the arch's delay
 * loop (UML: __delay(), inlined in __const_udelay(); an interrupt held
 * back by irqs-off would carry no registers), on the delaying CPU, while the task neither slept nor was
 * preempted (preemption is off, irqs on), and the tick kept moving
 * jiffies. The busy-wait is mdelay(1) slices until the hrtimer has run
 * and jiffies moved twice, bounded by 2 s of clocksource time, so a
 * loaded host (a late interrupt, a loop calibrated short) only makes it
 * longer. A miss inside the slice bookkeeping is retried (3 tries).
 */
static void mdelay_does_not_stop_interrupts(struct kunit *test)
{
	struct hrt_probe *p = hrt_probe_create(test);
	unsigned long j0, j1, sw0, sw1, slices;
	bool in_loop = false, irqs_off = false;
	char name[KSYM_NAME_LEN];
	unsigned int runs;
	ktime_t t0, t1, end;
	int cpu, try;

	for (try = 0; try < 3 && !in_loop; try++) {
		WRITE_ONCE(p->runs, 0);
		p->cpu = -1;
		p->ip = 0;
		slices = 0;
		preempt_disable();
		cpu = smp_processor_id();
		irqs_off |= irqs_disabled();
		sw0 = kclaims_nr_switches(current);
		j0 = jiffies;
		t0 = ktime_get();
		end = ktime_add_ms(t0, 2000);
		hrtimer_start(&p->timer, ms_to_ktime(2),
			      HRTIMER_MODE_REL_PINNED_HARD);
		do {
			mdelay(1);
			slices++;
			runs = READ_ONCE(p->runs);
			j1 = READ_ONCE(jiffies);
			t1 = ktime_get();
		} while ((!runs || j1 - j0 < 2) && ktime_before(t1, end));
		sw1 = kclaims_nr_switches(current);
		preempt_enable();
		hrtimer_cancel(&p->timer);
		in_loop = runs && ip_in_delay_loop(p->ip, name);
		kunit_info(test, "try %d: %lu x mdelay(1) in %lld us, hrtimer ran %u time(s) %lld us in, interrupting %s (%pS), jiffies +%lu\n",
			   try, slices, ktime_to_us(ktime_sub(t1, t0)), runs,
			   runs ? ktime_to_us(ktime_sub(p->when, t0)) : -1LL,
			   name[0] ? name : "nothing", (void *)p->ip, j1 - j0);
	}

	KUNIT_EXPECT_FALSE(test, irqs_off);
	KUNIT_EXPECT_EQ(test, runs, 1);
	KUNIT_EXPECT_TRUE(test, in_loop);
	KUNIT_EXPECT_TRUE(test, ktime_after(p->when, t0));
	KUNIT_EXPECT_TRUE(test, ktime_before(p->when, t1));
	KUNIT_EXPECT_EQ(test, p->cpu, cpu);
	KUNIT_EXPECT_EQ(test, sw1, sw0);
	KUNIT_EXPECT_GE(test, j1 - j0, 2);
}

/*
 * TIME-JIFFIES-UPTIME, TIME-JIFFIES-OVERFLOW: jiffies does not start at 0
 * but at INITIAL_JIFFIES = (u32)(-300 * HZ): the low 32 bits of the
 * running kernel's jiffies_64 wrap 300 s after boot (boottime + seconds
 * left to the wrap == 300); uptime is (jiffies_64 - INITIAL_JIFFIES)/HZ,
 * while the note's jiffies/HZ is off by about 2^32/HZ seconds (497 days
 * at HZ=100).
 */
static void jiffies_start_five_minutes_before_the_32bit_wrap(struct kunit *test)
{
	u64 j64 = get_jiffies_64();
	s64 boot_s = ktime_get_boottime_seconds();
	s64 uptime_s = div_u64(j64 - INITIAL_JIFFIES, HZ);
	s64 naive_s = div_u64(j64, HZ);
	s64 to_wrap_s = (u32)(0U - (u32)j64) / HZ;

	kunit_info(test, "boottime %lld s, (jiffies_64 - INITIAL_JIFFIES)/HZ %lld s, jiffies/HZ %lld s, low word wraps in %lld s\n",
		   boot_s, uptime_s, naive_s, to_wrap_s);
	KUNIT_EXPECT_LE(test, abs(uptime_s - boot_s), 2);
	if (boot_s < 290) {
		KUNIT_EXPECT_LE(test, abs(boot_s + to_wrap_s - 300), 2);
		KUNIT_EXPECT_GE(test, naive_s - boot_s,
				(s64)(U32_MAX / HZ) - 300 - 2);
	}
}

/*
 * TIME-JIFFIES64-ALIAS (definition evidence: a symbol alias and a type's
 * width): the linker alias jiffies = jiffies_64 exists (same address,
 * arch/x86/um/uml.lds.S and arch/x86/kernel/vmlinux.lds.S alike), and
 * on 64-bit jiffies is all 64 bits of it. The alias does not widen
 * jiffies: an unsigned long at that address is only as wide as a long,
 * and on a little-endian 32-bit kernel its 4 bytes are the low word of
 * jiffies_64 (read here at the same address), which wraps 300 s after
 * boot.
 */
static void jiffies_is_jiffies_64_on_64bit(struct kunit *test)
{
	unsigned long a, c;
	u32 low;
	u64 b;
	int tries = 0;

	KUNIT_EXPECT_PTR_EQ(test, (void *)&jiffies, (void *)&jiffies_64);
	if (BITS_PER_LONG != 64)
		kunit_skip(test, "needs a 64-bit kernel (UML, QEMU x86_64): on 32-bit see jiffies_is_only_the_low_word_on_32bit");

	KUNIT_EXPECT_EQ(test, sizeof(jiffies), sizeof(u64));
	do {
		a = jiffies;
		b = get_jiffies_64();
		low = READ_ONCE(*(u32 *)&jiffies);
		c = jiffies;
	} while (a != c && ++tries < 10);
	KUNIT_EXPECT_EQ(test, (u64)a, b);
	if (!IS_ENABLED(CONFIG_CPU_BIG_ENDIAN))
		KUNIT_EXPECT_EQ(test, low, lower_32_bits(b));
}

/*
 * TIME-JIFFIES64-ALIAS: "aliasing jiffies to jiffies_64 stops jiffies
 * from overflowing on 32-bit" is false: jiffies is the low word of
 * jiffies_64 and still wraps (5 minutes after boot); use get_jiffies_64().
 */
static void jiffies_is_only_the_low_word_on_32bit(struct kunit *test)
{
	typeof(jiffies) wrapped = INITIAL_JIFFIES;
	u64 wide = INITIAL_JIFFIES;
	unsigned long a, c;
	u64 b;
	int tries = 0;

	if (BITS_PER_LONG != 32)
		kunit_skip(test, "needs a 32-bit kernel (QEMU i386): on 64-bit jiffies is all of jiffies_64");

	KUNIT_EXPECT_EQ(test, sizeof(jiffies), 4);
	KUNIT_EXPECT_PTR_EQ(test, (void *)&jiffies, (void *)&jiffies_64);
	wrapped += 300 * HZ;
	wide += 300 * HZ;
	KUNIT_EXPECT_EQ(test, wrapped, 0);
	KUNIT_EXPECT_EQ(test, wide, 1ULL << 32);
	do {
		a = jiffies;
		b = get_jiffies_64();
		c = jiffies;
	} while (a != c && ++tries < 10);
	KUNIT_EXPECT_EQ(test, a, (unsigned long)(u32)b);
}

/*
 * TIME-AFTER, TIME-JIFFIES-WRAP (definition evidence: the macros
 * evaluated on constants): jiffies values wrap to 0 like any unsigned
 * long, and time_after()/time_before() (6.12: (long)((b) - (a)) < 0, an
 * unsigned subtraction cast to long) still order two values across the
 * wrap where a plain comparison fails; they only work while the values
 * are at most LONG_MAX apart. What the running kernel does with such
 * values is timer_wheel_compares_jiffies_modulo_the_word_size.
 */
static void time_after_survives_the_jiffies_wrap(struct kunit *test)
{
	unsigned long before_wrap = ULONG_MAX - 5;
	unsigned long after_wrap = before_wrap + 10;
	unsigned long half = before_wrap + (unsigned long)LONG_MAX;
	unsigned long too_far = half + 2;

	KUNIT_EXPECT_EQ(test, after_wrap, 4);
	KUNIT_EXPECT_LT(test, after_wrap, before_wrap);
	KUNIT_EXPECT_TRUE(test, time_after(after_wrap, before_wrap));
	KUNIT_EXPECT_FALSE(test, time_after(before_wrap, after_wrap));
	KUNIT_EXPECT_TRUE(test, time_before(before_wrap, after_wrap));
	KUNIT_EXPECT_TRUE(test, time_after_eq(after_wrap, after_wrap));
	KUNIT_EXPECT_FALSE(test, time_after(after_wrap, after_wrap));
	KUNIT_EXPECT_TRUE(test, time_in_range(before_wrap + 3, before_wrap,
					      after_wrap));
	/* LONG_MAX ahead is still "after"; a little further looks "before". */
	KUNIT_EXPECT_TRUE(test, time_after(half, before_wrap));
	KUNIT_EXPECT_FALSE(test, time_after(too_far, before_wrap));
	KUNIT_EXPECT_TRUE(test, time_before(too_far, before_wrap));
}

/*
 * TIME-AFTER, TIME-JIFFIES-WRAP (behaviour): the timer wheel compares
 * expiries with the running jiffies as time_after() does, i.e. modulo
 * 2^BITS_PER_LONG, as on a counter that wraps to 0: it files a timer by
 * (long)(expires - clk) (calc_wheel_index()). Three timers armed from
 * the live counter: one 3 ticks ahead fires after about 3 ticks; one
 * LONG_MAX + 10 ticks ahead, numerically far in the future, is behind
 * now on the circle and fires at the next tick, before the first; one
 * LONG_MAX - 10 s ahead stays pending. A plain "expires > jiffies" test
 * would never fire the second on 64-bit (on 32-bit, near the wrap, it
 * would fire the third at once). (Only the low 32 bits of jiffies, which
 * are all of jiffies on 32-bit, pass through 0 within an uptime: 300 s
 * after boot, see jiffies_start_five_minutes_before_the_32bit_wrap; a
 * run is over long before that.)
 */
static void timer_wheel_compares_jiffies_modulo_the_word_size(struct kunit *test)
{
	struct tl_probe *near = tl_probe_create(test);
	struct tl_probe *behind = tl_probe_create(test);
	struct tl_probe *ahead = tl_probe_create(test);
	unsigned long j, near_exp, behind_exp, ahead_exp;
	bool fired, behind_pending, ahead_pending;
	unsigned int near_runs, behind_runs, ahead_runs;
	unsigned long flags;

	wait_for_jiffies_edge();
	/* one CPU's timer base (it expires in order), and no tick meanwhile */
	local_irq_save(flags);
	j = jiffies;
	near_exp = j + 3;
	behind_exp = j + (unsigned long)LONG_MAX + 10;
	ahead_exp = j + (unsigned long)LONG_MAX - 10 * HZ;
	mod_timer(&near->timer, near_exp);
	mod_timer(&behind->timer, behind_exp);
	mod_timer(&ahead->timer, ahead_exp);
	behind_pending = timer_pending(&behind->timer);
	local_irq_restore(flags);

	fired = wait_for_completion_timeout(&near->done, msecs_to_jiffies(2000));
	/* the far one must still be queued once the near one has run */
	ahead_pending = timer_pending(&ahead->timer);
	near_runs = READ_ONCE(near->runs);
	behind_runs = READ_ONCE(behind->runs);
	ahead_runs = READ_ONCE(ahead->runs);
	kunit_info(test, "armed at jiffies %lu: +3 ran %u time(s) at %lu (order %u); +LONG_MAX+10 ran %u time(s) at %lu (order %u); +LONG_MAX-10s pending %d\n",
		   j, near_runs, near->jiffies_at_run, near->order, behind_runs,
		   behind->jiffies_at_run, behind->order, ahead_pending);

	/*
	 * A plain comparison misplaces one of the two far timers: the behind
	 * one is numerically ahead (64-bit), or, on 32-bit near the wrap,
	 * the ahead one is numerically behind.
	 */
	KUNIT_EXPECT_TRUE(test, behind_exp > j || ahead_exp < j);
	KUNIT_EXPECT_TRUE(test, time_before(behind_exp, j));
	KUNIT_EXPECT_TRUE(test, time_after(ahead_exp, j));
	KUNIT_EXPECT_TRUE(test, behind_pending);
	KUNIT_ASSERT_TRUE(test, fired);
	KUNIT_EXPECT_EQ(test, near_runs, 1);
	KUNIT_EXPECT_TRUE(test, time_after_eq(near->jiffies_at_run, near_exp));
	KUNIT_EXPECT_EQ(test, behind_runs, 1);
	/* same softirq or not, the wheel runs the older bucket first */
	KUNIT_EXPECT_LT(test, behind->order, near->order);
	KUNIT_EXPECT_TRUE(test, time_before(behind->jiffies_at_run, j + HZ));
	KUNIT_EXPECT_TRUE(test, ahead_pending);
	KUNIT_EXPECT_EQ(test, ahead_runs, 0);
}

/*
 * TIME-TIMER-API, TIME-TIMER-ONESHOT: 6.12 timers use timer_setup() and a
 * callback taking the timer_list (from_timer() finds the container; no
 * .data/init_timer). The callback runs once, in softirq context, not
 * before its expiry (jiffies >= expires, >= 4 ticks of wall time for
 * jiffies + 5, armed right at a jiffies update). Expiry only deactivates
 * the timer: it is not freed and mod_timer() re-arms it.
 */
static void timer_callback_runs_once_in_softirq_after_expiry(struct kunit *test)
{
	struct tl_probe *p = tl_probe_create(test);
	unsigned long expires;
	bool fired, fired_again;
	int armed, rearmed;
	ktime_t t0;

	expires = wait_for_jiffies_edge() + 5;
	t0 = ktime_get();
	armed = mod_timer(&p->timer, expires);
	KUNIT_EXPECT_TRUE(test, timer_pending(&p->timer));
	fired = wait_for_completion_timeout(&p->done, msecs_to_jiffies(2000));
	KUNIT_ASSERT_TRUE(test, fired);

	KUNIT_EXPECT_EQ(test, armed, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(p->runs), 1);
	KUNIT_EXPECT_TRUE(test, p->container_ok);
	KUNIT_EXPECT_TRUE(test, p->in_serving_softirq);
	KUNIT_EXPECT_FALSE(test, p->in_hardirq);
	KUNIT_EXPECT_TRUE(test, time_after_eq(p->jiffies_at_run, expires));
	KUNIT_EXPECT_GE(test, ktime_to_ns(ktime_sub(p->when, t0)),
			4 * (s64)TICK_NSEC);
	KUNIT_EXPECT_FALSE(test, timer_pending(&p->timer));
	KUNIT_EXPECT_TRUE(test, p->timer.function == tl_probe_fn);

	reinit_completion(&p->done);
	rearmed = mod_timer(&p->timer, jiffies + 1);
	fired_again = wait_for_completion_timeout(&p->done,
						  msecs_to_jiffies(2000));
	KUNIT_EXPECT_EQ(test, rearmed, 0);
	KUNIT_EXPECT_TRUE(test, fired_again);
	KUNIT_EXPECT_EQ(test, READ_ONCE(p->runs), 2);
}

/*
 * TIME-TIMER-API, TIME-TIMER-SYNC: mod_timer() returns 0 for an inactive
 * and 1 for a pending timer; timer_delete() (6.2 name) returns 1 if it
 * deactivated a pending timer and 0 otherwise, and del_timer() is kept
 * as a wrapper with the same result. A deleted timer never runs (a
 * sentinel due 100 ms after it, on the same CPU's timer base, does), and
 * after timer_shutdown_sync() mod_timer() is silently ignored. Expiries
 * are a second away, so that nothing can fire between the calls even if
 * the host deschedules the kernel.
 */
static void mod_timer_and_timer_delete_report_whether_it_was_pending(struct kunit *test)
{
	struct tl_probe *p = tl_probe_create(test);
	struct tl_probe *sentinel = tl_probe_create(test);
	int m_first, m_again, d_pending, d_idle, old_idle, old_pending;
	int ds_idle, m_after_shutdown;
	bool pending, sentinel_ran, pending_after_shutdown;
	unsigned long last;

	/* Both timers go to this CPU's base: one base expires in order. */
	migrate_disable();
	m_first = mod_timer(&p->timer, jiffies + HZ);
	m_again = mod_timer(&p->timer, jiffies + HZ + 1);
	pending = timer_pending(&p->timer);
	d_pending = timer_delete(&p->timer);
	d_idle = timer_delete(&p->timer);
	old_idle = del_timer(&p->timer);
	last = jiffies + HZ;
	mod_timer(&p->timer, last);
	old_pending = del_timer(&p->timer);
	ds_idle = timer_delete_sync(&p->timer);
	/* Once the sentinel ran, p would have run too. */
	mod_timer(&sentinel->timer, last + msecs_to_jiffies(100));
	migrate_enable();
	sentinel_ran = wait_for_completion_timeout(&sentinel->done,
						   msecs_to_jiffies(3000));

	timer_shutdown_sync(&p->timer);
	m_after_shutdown = mod_timer(&p->timer, jiffies + 1);
	pending_after_shutdown = timer_pending(&p->timer);

	KUNIT_EXPECT_EQ(test, m_first, 0);
	KUNIT_EXPECT_EQ(test, m_again, 1);
	KUNIT_EXPECT_TRUE(test, pending);
	KUNIT_EXPECT_EQ(test, d_pending, 1);
	KUNIT_EXPECT_EQ(test, d_idle, 0);
	KUNIT_EXPECT_EQ(test, old_idle, 0);
	KUNIT_EXPECT_EQ(test, old_pending, 1);
	KUNIT_EXPECT_EQ(test, ds_idle, 0);
	KUNIT_EXPECT_TRUE(test, sentinel_ran);
	KUNIT_EXPECT_EQ(test, READ_ONCE(p->runs), 0);
	KUNIT_EXPECT_EQ(test, m_after_shutdown, 0);
	KUNIT_EXPECT_FALSE(test, pending_after_shutdown);
}

/*
 * TIME-TIMER-SYNC: timer_delete() does not wait for a callback running
 * on another CPU (it returns while the callback still runs);
 * timer_delete_sync() returns only after it has finished. The callback
 * busy-waits 200 ms on the other CPU (add_timer_on()). Needs two CPUs:
 * on UP a callback never runs alongside process context.
 */
static void timer_delete_sync_waits_for_a_running_callback(struct kunit *test)
{
	struct tl_probe *p;
	bool seen_running, running_after_delete, running_after_sync;
	bool finished_after_sync;
	int d, ds, this_cpu, other;
	ktime_t end;

	if (!IS_ENABLED(CONFIG_SMP) || num_online_cpus() < 2)
		kunit_skip(test, "needs SMP (QEMU x86_64 -smp 2): on UP a timer callback never runs concurrently");

	p = tl_probe_create(test);
	/* long: this vCPU may be descheduled by a loaded host meanwhile */
	p->spin_ms = 200;
	p->cpu = -1;

	/* Stay on this CPU; the callback runs on another one. */
	migrate_disable();
	this_cpu = smp_processor_id();
	other = cpumask_any_but(cpu_online_mask, this_cpu);
	p->timer.expires = jiffies + 1;
	add_timer_on(&p->timer, other);

	seen_running = false;
	end = ktime_add_ms(ktime_get(), 2000);
	while (ktime_before(ktime_get(), end)) {
		if (READ_ONCE(p->running)) {
			seen_running = true;
			break;
		}
		cpu_relax();
	}
	d = timer_delete(&p->timer);
	running_after_delete = READ_ONCE(p->running);
	ds = timer_delete_sync(&p->timer);
	running_after_sync = READ_ONCE(p->running);
	finished_after_sync = READ_ONCE(p->finished);
	migrate_enable();

	KUNIT_ASSERT_TRUE(test, seen_running);
	KUNIT_EXPECT_EQ(test, p->cpu, other);
	KUNIT_EXPECT_NE(test, p->cpu, this_cpu);
	KUNIT_EXPECT_EQ(test, d, 0);
	KUNIT_EXPECT_TRUE(test, running_after_delete);
	KUNIT_EXPECT_EQ(test, ds, 0);
	KUNIT_EXPECT_FALSE(test, running_after_sync);
	KUNIT_EXPECT_TRUE(test, finished_after_sync);
}

/*
 * TIME-SCHEDULE-TIMEOUT: schedule_timeout() sleeps only if the task state
 * was set first: in TASK_RUNNING schedule_timeout(HZ) returns at once
 * with (almost) all of the second left; schedule_timeout_uninterruptible(5) lasts at least 5
 * jiffies and returns 0; an early wakeup makes
 * schedule_timeout_interruptible() return the remaining jiffies.
 */
static void schedule_timeout_needs_a_sleep_state_and_returns_remaining(struct kunit *test)
{
	struct hrt_probe *p = hrt_probe_create(test);
	long r_running, r_unint, r_early;
	unsigned long j0, dj_running, dj_unint, dj_early;

	j0 = jiffies;
	r_running = schedule_timeout(HZ);
	dj_running = jiffies - j0;

	j0 = jiffies;
	r_unint = schedule_timeout_uninterruptible(5);
	dj_unint = jiffies - j0;

	p->wake = current;
	/* 100 ms: the task must be asleep before the wakeup comes */
	hrtimer_start(&p->timer, ms_to_ktime(100), HRTIMER_MODE_REL_PINNED_HARD);
	j0 = jiffies;
	r_early = schedule_timeout_interruptible(HZ);
	dj_early = jiffies - j0;
	hrtimer_cancel(&p->timer);

	kunit_info(test, "running: %ld left after %lu; uninterruptible(5): %ld after %lu; woken: %ld left after %lu\n",
		   r_running, dj_running, r_unint, dj_unint, r_early, dj_early);
	KUNIT_EXPECT_GT(test, r_running, HZ / 2);
	KUNIT_EXPECT_LT(test, dj_running, HZ / 2);
	KUNIT_EXPECT_EQ(test, r_unint, 0);
	KUNIT_EXPECT_GE(test, dj_unint, 5);
	KUNIT_EXPECT_EQ(test, READ_ONCE(p->runs), 1);
	KUNIT_EXPECT_GT(test, r_early, 0);
	KUNIT_EXPECT_LT(test, r_early, HZ);
	KUNIT_EXPECT_LE(test, dj_early, HZ / 2);
	KUNIT_EXPECT_LE(test, abs(r_early - (long)(HZ - dj_early)), 1);
}

static struct kunit_case kclaims_timer_cases[] = {
	KUNIT_CASE(hz_is_100_on_uml_not_the_claimed_1000),
	KUNIT_CASE_SLOW(jiffies_advance_hz_times_per_second),
	KUNIT_CASE(msecs_to_jiffies_rounds_up_to_whole_ticks),
	KUNIT_CASE_SLOW(msleep_sleeps_at_least_the_request_and_yields_the_cpu),
	KUNIT_CASE_SLOW(mdelay_busy_waits_without_a_context_switch),
	KUNIT_CASE(mdelay_needs_neither_jiffies_nor_interrupts),
	KUNIT_CASE(mdelay_does_not_stop_interrupts),
	KUNIT_CASE(jiffies_start_five_minutes_before_the_32bit_wrap),
	KUNIT_CASE(jiffies_is_jiffies_64_on_64bit),
	KUNIT_CASE(jiffies_is_only_the_low_word_on_32bit),
	KUNIT_CASE(time_after_survives_the_jiffies_wrap),
	KUNIT_CASE(timer_wheel_compares_jiffies_modulo_the_word_size),
	KUNIT_CASE(timer_callback_runs_once_in_softirq_after_expiry),
	KUNIT_CASE(mod_timer_and_timer_delete_report_whether_it_was_pending),
	KUNIT_CASE(timer_delete_sync_waits_for_a_running_callback),
	KUNIT_CASE(schedule_timeout_needs_a_sleep_state_and_returns_remaining),
	{}
};

static struct kunit_suite kclaims_timer_suite = {
	.name = "kclaims_timer",
	.test_cases = kclaims_timer_cases,
};
kunit_test_suite(kclaims_timer_suite);

MODULE_DESCRIPTION("kclaims: HZ, jiffies, timer and delay claims of the notes");
MODULE_LICENSE("GPL");

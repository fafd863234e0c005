// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about kernel stacks: their size, that they
 * are fixed per task, where interrupt handlers run, and where thread_info
 * sits (what a stack overflow hits first).
 *
 * UML facts used here: THREAD_SIZE = PAGE_SIZE << CONFIG_KERNEL_STACK_ORDER,
 * thread_info at the base of the stack (no THREAD_INFO_IN_TASK), VMAP_STACK
 * available, and signals (interrupts) delivered on a sigaltstack IRQ stack
 * whose base carries a copy of thread_info (arch/um/kernel/irq.c).
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_kstack'
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/thread_info.h>
#include <linux/vmalloc.h>
#include <linux/magic.h>

#include "../lib/kclaims.h"

static bool in_block(const void *p, const void *base, size_t len)
{
	return p >= base && p < base + len;
}

/*
 * MM-KSTACK-SIZE (outdated): the note's "one or two pages (4-16 KiB)" is
 * the 2.6-era layout. 64-bit kernels (x86_64 since 3.15, UML-64) use
 * 16 KiB = 4 pages; a local of this very function lies more than two pages
 * above the stack base.
 */
static void kernel_stack_is_four_pages(struct kunit *test)
{
	void *base = task_stack_page(current);
	int local = 0;
	unsigned long depth = (unsigned long)&local - (unsigned long)base;

	kunit_info(test, "THREAD_SIZE %lu (%lu pages), local at +%lu\n",
		   (unsigned long)THREAD_SIZE, THREAD_SIZE / PAGE_SIZE, depth);
	KUNIT_EXPECT_TRUE(test, object_is_on_stack(&local));
	KUNIT_EXPECT_LT(test, depth, (unsigned long)THREAD_SIZE);
	if (IS_ENABLED(CONFIG_64BIT) && !IS_ENABLED(CONFIG_KASAN)) {
		KUNIT_EXPECT_EQ(test, (unsigned long)THREAD_SIZE, 16384UL);
		/* the stack really extends past two pages */
		KUNIT_EXPECT_GT(test, depth, 2 * PAGE_SIZE);
	} else if (IS_ENABLED(CONFIG_X86_32)) {
		KUNIT_EXPECT_EQ(test, (unsigned long)THREAD_SIZE, 8192UL);
	}
}

struct stack_obs {
	void *stack;
	void *local;
	struct task_struct *task;
};

static void record_stack(void *arg)
{
	struct stack_obs *o = arg;
	int local;

	o->stack = task_stack_page(current);
	o->local = &local;
	o->task = current;
}

/*
 * MM-KSTACK-FIXED: every task has its own fixed-size stack: a second
 * kthread runs on a different THREAD_SIZE-aligned block of THREAD_SIZE
 * bytes, and its locals stay inside that block.
 */
static void each_kthread_has_its_own_fixed_size_stack(struct kunit *test)
{
	struct kclaims_ctx_obs obs;
	struct stack_obs other = {};
	void *mine = task_stack_page(current);

	KUNIT_ASSERT_EQ(test, kclaims_run_in(KCLAIMS_CTX_KTHREAD, record_stack,
					     &other, &obs, 2000), 0);
	KUNIT_ASSERT_TRUE(test, obs.ran);
	KUNIT_EXPECT_PTR_NE(test, other.task, current);
	KUNIT_EXPECT_PTR_NE(test, other.stack, mine);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)mine, THREAD_SIZE));
	KUNIT_EXPECT_TRUE(test,
			  IS_ALIGNED((unsigned long)other.stack, THREAD_SIZE));
	KUNIT_EXPECT_TRUE(test, in_block(other.local, other.stack, THREAD_SIZE));
	KUNIT_EXPECT_FALSE(test, in_block(other.local, mine, THREAD_SIZE));
	/* blocks do not overlap */
	KUNIT_EXPECT_FALSE(test, in_block(other.stack, mine, THREAD_SIZE));
	KUNIT_EXPECT_FALSE(test, in_block(mine, other.stack, THREAD_SIZE));
}

/*
 * MM-KSTACK-FIXED, MM-STACK-OVERFLOW-TI: with CONFIG_VMAP_STACK the stack
 * is a vmalloc mapping of exactly THREAD_SIZE bytes followed by an
 * unmapped guard page: it cannot grow, and running off its end faults
 * instead of silently corrupting the next allocation.
 */
static void vmap_stack_is_thread_size_then_a_guard_page(struct kunit *test)
{
	void *base = task_stack_page(current);
	unsigned long off;

	if (!IS_ENABLED(CONFIG_VMAP_STACK))
		kunit_skip(test, "needs CONFIG_VMAP_STACK");
	KUNIT_ASSERT_TRUE(test, is_vmalloc_addr(base));
	for (off = 0; off < THREAD_SIZE; off += PAGE_SIZE)
		KUNIT_EXPECT_NOT_NULL(test, vmalloc_to_page(base + off));
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(base + THREAD_SIZE));
}

/*
 * MM-STACK-OVERFLOW-TI (arch): where thread_info still lives at the base
 * of the stack (UML; x86 moved it into task_struct in 4.9), a downward
 * overflow reaches it first, right after the STACK_END_MAGIC canary that
 * fork writes just above it. current_thread_info() is computed from the
 * stack pointer here, so it shows where the running stack really starts.
 */
static void thread_info_sits_at_the_stack_base(struct kunit *test)
{
	void *base = task_stack_page(current);

	if (IS_ENABLED(CONFIG_THREAD_INFO_IN_TASK))
		kunit_skip(test, "thread_info is in task_struct here (THREAD_INFO_IN_TASK); UML shows the old layout");
	KUNIT_EXPECT_PTR_EQ(test, (void *)current_thread_info(), base);
	KUNIT_EXPECT_EQ(test, *end_of_stack(current),
			(unsigned long)STACK_END_MAGIC);
}

/*
 * MM-STACK-OVERFLOW-TI (arch): with THREAD_INFO_IN_TASK (x86, arm64, ...)
 * thread_info is part of task_struct, not on the stack, and only the
 * canary sits at the stack's end.
 */
static void thread_info_is_inside_task_struct(struct kunit *test)
{
	void *base = task_stack_page(current);

	if (!IS_ENABLED(CONFIG_THREAD_INFO_IN_TASK))
		kunit_skip(test, "needs THREAD_INFO_IN_TASK: x86_64 or i386 (QEMU)");
	KUNIT_EXPECT_FALSE(test, in_block(current_thread_info(), base,
					  THREAD_SIZE));
	KUNIT_EXPECT_EQ(test, *end_of_stack(current),
			(unsigned long)STACK_END_MAGIC);
}

struct irq_stack_probe {
	struct hrtimer timer;
	bool fired;
	bool in_hardirq;
	void *local;
	void *stack;		/* task_stack_page(current) seen in the IRQ */
};

static enum hrtimer_restart irq_stack_fn(struct hrtimer *t)
{
	struct irq_stack_probe *p = container_of(t, struct irq_stack_probe,
						 timer);
	int local;

	p->local = &local;
	p->stack = task_stack_page(current);
	p->in_hardirq = in_hardirq();
	WRITE_ONCE(p->fired, true);
	return HRTIMER_NORESTART;
}

#define IRQ_TRIES 5
#define IRQ_POLL_US 10
#define IRQ_WAIT_MS 200

/*
 * MM-IRQ-STACK (outdated): interrupt handlers do run on a separate stack,
 * but it is not one page: x86_64 IRQ stacks are 16 KiB, i386 ones
 * THREAD_SIZE, and UML takes signals on a THREAD_SIZE sigaltstack. A
 * hardirq (hrtimer) that interrupts this thread runs outside its stack;
 * on UML its locals lie more than a page above the IRQ stack's base.
 *
 * UML caveat: an interrupt that arrives while interrupts are (virtually)
 * disabled is replayed by local_irq_restore() on the *current* stack.
 * ktime_get() briefly disables interrupts under lockdep, so the wait loop
 * polls with udelay() and bounds itself by jiffies (a plain read), and the
 * case retries: one interrupt taken on the IRQ stack is enough to show
 * the separate stack.
 */
static void hardirq_runs_on_a_separate_multi_page_stack(struct kunit *test)
{
	void *mine = task_stack_page(current);
	struct irq_stack_probe *p;
	int try, off_stack = 0;
	unsigned long end;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);

	for (try = 0; try < IRQ_TRIES && !off_stack; try++) {
		p->fired = false;
		hrtimer_init(&p->timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_PINNED_HARD);
		p->timer.function = irq_stack_fn;
		hrtimer_start(&p->timer, ns_to_ktime(2 * NSEC_PER_MSEC),
			      HRTIMER_MODE_REL_PINNED_HARD);
		end = jiffies + msecs_to_jiffies(IRQ_WAIT_MS);
		while (!READ_ONCE(p->fired) && time_before(jiffies, end))
			udelay(IRQ_POLL_US);
		hrtimer_cancel(&p->timer);
		KUNIT_ASSERT_TRUE(test, p->fired);
		KUNIT_EXPECT_TRUE(test, p->in_hardirq);
		if (!in_block(p->local, mine, THREAD_SIZE))
			off_stack++;
	}
	kunit_info(test, "IRQ local %s the task stack, at +%ld in its own stack; tries %d\n",
		   off_stack ? "outside" : "inside",
		   (long)(p->local - p->stack), try);
	KUNIT_EXPECT_EQ(test, off_stack, 1);

	if (!IS_ENABLED(CONFIG_UML))
		return;
	/* UML: the IRQ stack carries thread_info at its THREAD_SIZE base */
	KUNIT_EXPECT_PTR_NE(test, p->stack, mine);
	KUNIT_EXPECT_TRUE(test, in_block(p->local, p->stack, THREAD_SIZE));
	KUNIT_EXPECT_GT(test, (unsigned long)(p->local - p->stack), PAGE_SIZE);
}

static struct kunit_case kclaims_kstack_cases[] = {
	KUNIT_CASE(kernel_stack_is_four_pages),
	KUNIT_CASE(each_kthread_has_its_own_fixed_size_stack),
	KUNIT_CASE(vmap_stack_is_thread_size_then_a_guard_page),
	KUNIT_CASE(thread_info_sits_at_the_stack_base),
	KUNIT_CASE(thread_info_is_inside_task_struct),
	KUNIT_CASE(hardirq_runs_on_a_separate_multi_page_stack),
	{}
};

static struct kunit_suite kclaims_kstack_suite = {
	.name = "kclaims_kstack",
	.test_cases = kclaims_kstack_cases,
};
kunit_test_suite(kclaims_kstack_suite);

MODULE_DESCRIPTION("kclaims: kernel stack claims of the notes");
MODULE_LICENSE("GPL");

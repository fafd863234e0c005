// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about system calls (numbers, the table, the
 * sys_ prefix, getpid, arguments, asmlinkage) and about what kernel code
 * may use (no C library, no FPU), checked against the kernel as built.
 *
 * Numbers come from the generated asm/unistd_64.h (asm/unistd_32.h on
 * i386): definition evidence. What the kernel does with them is shown on
 * UML, whose dispatcher still indexes sys_call_table: a thread created
 * with CLONE_THREAD calls the table's getpid and gettid entries. Claims
 * that only a user process can show (the int 0x80/SYSCALL trap, vfork,
 * glibc's syscall()) are left to the user-space probes.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_syscall'
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/linkage.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/syscalls.h>
#include <asm/unistd.h>

#ifdef CONFIG_UML
#include <asm/syscall.h>
extern const sys_call_ptr_t sys_call_table[];
extern int syscall_table_size;
#define KC_NR_TABLE ((unsigned int)(syscall_table_size / sizeof(sys_call_ptr_t)))
#endif

/*
 * PROC-NR-X86, PROC-FORK-NR2 (definition; arch): x86_64 numbers read 0,
 * write 1, open 2, getpid 39, fork 57; fork is 2 only on i386, where the
 * notes' eax convention comes from (read 3, write 4, open 5 there).
 */
static void x86_syscall_numbers(struct kunit *test)
{
#if defined(CONFIG_X86_64)
	KUNIT_EXPECT_EQ(test, __NR_read, 0);
	KUNIT_EXPECT_EQ(test, __NR_write, 1);
	KUNIT_EXPECT_EQ(test, __NR_open, 2);
	KUNIT_EXPECT_EQ(test, __NR_getpid, 39);
	KUNIT_EXPECT_EQ(test, __NR_fork, 57);
	KUNIT_EXPECT_NE(test, __NR_fork, 2);
#elif defined(CONFIG_X86_32)
	KUNIT_EXPECT_EQ(test, __NR_fork, 2);
	KUNIT_EXPECT_EQ(test, __NR_read, 3);
	KUNIT_EXPECT_EQ(test, __NR_write, 4);
	KUNIT_EXPECT_EQ(test, __NR_open, 5);
	KUNIT_EXPECT_EQ(test, __NR_getpid, 20);
#else
	kunit_skip(test, "x86 numbers: UML/QEMU x86_64 or QEMU i386 only");
#endif
}

/*
 * PROC-NR-COUNT (definition): the notes' total of 317 is long gone: 317
 * is now seccomp and the x86_64 table runs to mseal (462). UML's copy of
 * the table has every slot up to there; the ones without a syscall
 * (removed ones, the 335..423 gap, UML's iopl/ioperm, and those this
 * configuration leaves out) are sys_ni_syscall.
 */
static void syscall_table_is_far_beyond_317(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, __NR_seccomp, 317);
	KUNIT_EXPECT_EQ(test, __NR_mseal, 462);
#ifdef CONFIG_UML
	{
		unsigned int i, real = 0;

		for (i = 0; i < KC_NR_TABLE; i++)
			if (sys_call_table[i] != (sys_call_ptr_t)sys_ni_syscall)
				real++;
		/* syscalls configured out (COND_SYSCALL) are sys_ni_syscall too */
		kunit_info(test, "UML table: %u slots, %u syscalls built in\n",
			   KC_NR_TABLE, real);
		KUNIT_EXPECT_EQ(test, KC_NR_TABLE, __NR_mseal + 1);
		KUNIT_EXPECT_GT(test, KC_NR_TABLE, 317);
		KUNIT_EXPECT_GT(test, real, 0);
	}
#endif
}

/*
 * PROC-SYSCALL-NR-FIXED (definition): numbers are never reused: removed
 * syscalls keep their numbers as sys_ni_syscall holes (uselib 134,
 * create_module 174, afs_syscall 183, vserver 236), and the table is a
 * const array of function pointers.
 */
static void removed_syscalls_keep_their_numbers_as_holes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, __NR_create_module, 174);
	KUNIT_EXPECT_EQ(test, __NR_uselib, 134);
#ifdef CONFIG_UML
	KUNIT_EXPECT_PTR_EQ(test, sys_call_table[__NR_uselib],
			    (sys_call_ptr_t)sys_ni_syscall);
	KUNIT_EXPECT_PTR_EQ(test, sys_call_table[__NR_create_module],
			    (sys_call_ptr_t)sys_ni_syscall);
	KUNIT_EXPECT_PTR_EQ(test, sys_call_table[__NR_afs_syscall],
			    (sys_call_ptr_t)sys_ni_syscall);
	KUNIT_EXPECT_PTR_EQ(test, sys_call_table[__NR_vserver],
			    (sys_call_ptr_t)sys_ni_syscall);
	KUNIT_EXPECT_EQ(test, sys_call_table[__NR_create_module](0, 0, 0, 0, 0, 0),
			(long)-ENOSYS);
	KUNIT_EXPECT_TRUE(test, __same_type(sys_call_table[0],
					    const sys_call_ptr_t));
#else
	kunit_skip(test, "the table's contents: UML only (x86 dispatches through x64_sys_call)");
#endif
}

/* What a thread of a thread group gets from the getpid/gettid syscalls. */
struct tg_lab {
	struct completion done, thr_done;
	struct task_struct *thr;	/* holds a reference */
	pid_t leader_pid, thr_pid;
	pid_t thr_tgid;
	long getpid_direct, gettid_direct;
	long getpid_table, gettid_table;
	long leader_getpid;
	bool thr_ran, thr_gone;
};

static int tg_thread_fn(void *data)
{
	struct tg_lab *l = data;

	l->thr = get_task_struct(current);
	l->thr_pid = current->pid;
	l->thr_tgid = current->tgid;
#ifdef CONFIG_UML
	l->getpid_direct = sys_getpid();
	l->gettid_direct = sys_gettid();
	l->getpid_table = sys_call_table[__NR_getpid](0, 0, 0, 0, 0, 0);
	l->gettid_table = sys_call_table[__NR_gettid](0, 0, 0, 0, 0, 0);
#else
	l->getpid_direct = task_tgid_vnr(current);
	l->gettid_direct = task_pid_vnr(current);
#endif
	complete(&l->thr_done);
	do_exit(0);
}

static int tg_leader_fn(void *data)
{
	struct tg_lab *l = data;
	unsigned long deadline;
	pid_t nr;

	l->leader_pid = current->pid;
#ifdef CONFIG_UML
	l->leader_getpid = sys_getpid();
#else
	l->leader_getpid = task_tgid_vnr(current);
#endif
	nr = kernel_thread(tg_thread_fn, l, "kc_tg_thread",
			   CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD);
	if (nr > 0)
		l->thr_ran = wait_for_completion_timeout(&l->thr_done, 2 * HZ);
	/* a thread is reaped as it exits; wait (<= 2 s) until it is gone */
	deadline = jiffies + 2 * HZ;
	while (l->thr_ran && READ_ONCE(l->thr->exit_state) != EXIT_DEAD &&
	       time_before(jiffies, deadline))
		schedule_timeout_uninterruptible(1);
	l->thr_gone = l->thr_ran && READ_ONCE(l->thr->exit_state) == EXIT_DEAD;
	complete(&l->done);
	return 0;
}

/*
 * PROC-GETPID, PROC-NO-THREAD-DISTINCTION, PROC-SYSCALL-DISPATCH,
 * PROC-SYS-PREFIX (behaviour): getpid() returns the tgid
 * (task_tgid_vnr(current)), not the task's own pid: called from a
 * CLONE_THREAD thread it gives the leader's pid, while gettid() gives
 * the thread's own, a task_struct with a pid of its own like any
 * process. On UML the calls go through sys_call_table[__NR_getpid],
 * which holds sys_getpid: the table is indexed by number and the entry
 * points are named sys_*; x86 (6.9+) dispatches with a switch in
 * x64_sys_call() to __x64_sys_* wrappers instead.
 */
static void getpid_returns_the_tgid_of_a_thread(struct kunit *test)
{
	struct tg_lab *l = kzalloc(sizeof(*l), GFP_KERNEL);
	struct task_struct *t;
	bool done;

	KUNIT_ASSERT_NOT_NULL(test, l);
	init_completion(&l->done);
	init_completion(&l->thr_done);
	t = kthread_create(tg_leader_fn, l, "kc_tg_leader");
	if (IS_ERR(t)) {
		kfree(l);
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(t));
		return;
	}
	get_task_struct(t);
	wake_up_process(t);
	done = wait_for_completion_timeout(&l->done, 6 * HZ);
	if (done)
		kthread_stop(t);
	put_task_struct(t);
	if (!done) {
		KUNIT_FAIL(test, "leader did not finish in 6 s: leaking it");
		return;
	}

	KUNIT_EXPECT_TRUE(test, l->thr_ran);
	KUNIT_EXPECT_TRUE(test, l->thr_gone);
	KUNIT_EXPECT_EQ(test, l->leader_getpid, (long)l->leader_pid);
	KUNIT_EXPECT_NE(test, l->thr_pid, l->leader_pid);
	KUNIT_EXPECT_EQ(test, l->thr_tgid, l->leader_pid);
	KUNIT_EXPECT_EQ(test, l->getpid_direct, (long)l->leader_pid);
	KUNIT_EXPECT_EQ(test, l->gettid_direct, (long)l->thr_pid);
#ifdef CONFIG_UML
	KUNIT_EXPECT_PTR_EQ(test, sys_call_table[__NR_getpid],
			    (sys_call_ptr_t)sys_getpid);
	KUNIT_EXPECT_PTR_EQ(test, sys_call_table[__NR_gettid],
			    (sys_call_ptr_t)sys_gettid);
	KUNIT_EXPECT_EQ(test, l->getpid_table, (long)l->leader_pid);
	KUNIT_EXPECT_EQ(test, l->gettid_table, (long)l->thr_pid);
#endif
	if (l->thr)
		put_task_struct(l->thr);
	kfree(l);
}

/*
 * PROC-SYSCALL-ARGS (definition): at most six arguments
 * (SYSCALL_DEFINE6 is the largest form); UML's table entries take six
 * register-sized arguments.
 */
static void syscalls_take_at_most_six_arguments(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, SYSCALL_DEFINE_MAXARGS, 6);
#ifdef CONFIG_UML
	KUNIT_EXPECT_TRUE(test, __same_type(sys_call_table[0],
		const typeof(long (*)(unsigned long, unsigned long, unsigned long,
				     unsigned long, unsigned long, unsigned long))));
#endif
}

/*
 * PROC-ASMLINKAGE (definition; arch): asmlinkage is
 * __attribute__((regparm(0))) (all arguments on the stack) on i386 and
 * empty on x86_64, where arguments come in registers.
 */
static void asmlinkage_is_regparm0_only_on_i386(struct kunit *test)
{
	const char *expansion = __stringify(asmlinkage);

	kunit_info(test, "asmlinkage expands to \"%s\"\n", expansion);
	if (IS_ENABLED(CONFIG_X86_32))
		KUNIT_EXPECT_NOT_NULL(test, strstr(expansion, "regparm(0)"));
	else if (IS_ENABLED(CONFIG_X86_64))
		KUNIT_EXPECT_NULL(test, strstr(expansion, "regparm"));
	else
		kunit_skip(test, "x86 only (UML/QEMU x86_64, QEMU i386)");
}

/*
 * PROC-NO-LIBC (definition): the kernel is built without the C library:
 * -nostdinc leaves no <stdio.h> to include and no glibc macros; it is
 * GNU C (gcc extensions), not glibc.
 */
static void kernel_code_has_no_c_library(struct kunit *test)
{
	bool has_stdio = false, has_glibc = false, gnu_c = false;

#if __has_include("stdio.h")
	has_stdio = true;
#endif
#ifdef __GLIBC__
	has_glibc = true;
#endif
#ifdef __GNUC__
	gnu_c = true;
#endif
	KUNIT_EXPECT_FALSE(test, has_stdio);
	KUNIT_EXPECT_FALSE(test, has_glibc);
	KUNIT_EXPECT_TRUE(test, gnu_c);
}

/*
 * PROC-FPU (definition): kernel C on x86 (and UML) is compiled without
 * SSE/MMX/AVX (-mno-sse -mno-mmx ...): floating point needs a file built
 * with CC_FLAGS_FPU and kernel_fpu_begin()/kernel_fpu_end().
 */
static void kernel_code_is_built_without_sse(struct kunit *test)
{
	bool sse = false, mmx = false, avx = false;

#ifdef __SSE__
	sse = true;
#endif
#ifdef __MMX__
	mmx = true;
#endif
#ifdef __AVX__
	avx = true;
#endif
	if (!IS_ENABLED(CONFIG_X86) && !IS_ENABLED(CONFIG_UML))
		kunit_skip(test, "x86 flags: UML or QEMU x86_64");
	KUNIT_EXPECT_FALSE(test, sse);
	KUNIT_EXPECT_FALSE(test, mmx);
	KUNIT_EXPECT_FALSE(test, avx);
}

static struct kunit_case kclaims_syscall_cases[] = {
	KUNIT_CASE(x86_syscall_numbers),
	KUNIT_CASE(syscall_table_is_far_beyond_317),
	KUNIT_CASE(removed_syscalls_keep_their_numbers_as_holes),
	KUNIT_CASE(getpid_returns_the_tgid_of_a_thread),
	KUNIT_CASE(syscalls_take_at_most_six_arguments),
	KUNIT_CASE(asmlinkage_is_regparm0_only_on_i386),
	KUNIT_CASE(kernel_code_has_no_c_library),
	KUNIT_CASE(kernel_code_is_built_without_sse),
	{}
};

static struct kunit_suite kclaims_syscall_suite = {
	.name = "kclaims_syscall",
	.test_cases = kclaims_syscall_cases,
};

kunit_test_suite(kclaims_syscall_suite);

MODULE_DESCRIPTION("kclaims: system call claims of the notes");
MODULE_LICENSE("GPL");

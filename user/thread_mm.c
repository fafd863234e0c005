// SPDX-License-Identifier: GPL-2.0
/*
 * Probe for MM-THREAD-SHARES-MM and PROC-GETPID: a CLONE_VM|CLONE_THREAD
 * thread made with the raw clone system call (x86_64) waits for a write
 * the main thread makes after creating it, reports what getpid() and
 * gettid() return in both, and both wait on stdin while the case looks at
 * their task_structs and their mm.
 */
#include "kc_probe.h"
#include <linux/sched.h>

static volatile int shared, thread_done;
#define STACK_LONGS 8192
static long stack[STACK_LONGS];

static int thread_fn(void *arg)
{
	long i;
	char c;

	for (i = 0; i < 10000000 && shared != 0x5a; i++)
		sched_yield();
	printf("thread_pid=%d thread_tid=%d thread_saw=%d\n", getpid(),
	       gettid(), shared);
	printf("ready=both\n");
	read(0, &c, 1);
	thread_done = 1;
	return 0;
}

#ifdef __x86_64__
/* clone(flags, stack): the child pops fn and arg off its new stack. */
static long kc_clone(unsigned long flags, void *top, int (*fn)(void *))
{
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	void **sp = top;
	long ret = __NR_clone;

	/* the child pops fn, then arg */
	*--sp = NULL;
	*--sp = (void *)fn;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "pop %%rax\n\t"
			 "pop %%rdi\n\t"
			 "and $-16, %%rsp\n\t"
			 "call *%%rax\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"	/* exit: this thread only */
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "+a"(ret)
			 : "D"(flags), "S"(sp), "d"(0), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#endif

int main(void)
{
#ifdef __x86_64__
	long tid, i;
	char c;

	/* nolibc's printf writes piecemeal: one writer at a time */
	printf("main_pid=%d main_tid=%d\n", getpid(), gettid());
	tid = kc_clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		       CLONE_THREAD | CLONE_SYSVSEM, stack + STACK_LONGS,
		       thread_fn);
	if (tid < 0)
		return 1;
	shared = 0x5a;
	read(0, &c, 1);
	for (i = 0; i < 10000000 && !thread_done; i++)
		sched_yield();
	printf("thread_done=%d\n", thread_done);
	return 0;
#else
	printf("arch=unsupported\n");
	return 0;
#endif
}

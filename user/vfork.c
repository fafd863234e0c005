// SPDX-License-Identifier: GPL-2.0
/*
 * Probe for PROC-VFORK: the child of vfork() writes a variable and waits
 * on stdin; the case checks that the parent sleeps meanwhile and that
 * both use one mm. The child only makes raw system calls (no function
 * calls on the borrowed stack) and leaves with _exit.
 */
#include "kc_probe.h"

static volatile int shared;

int main(void)
{
	long pid;
	int st = -1;
	char c;

	shared = 1;
	pid = my_syscall0(__NR_vfork);
	if (pid == 0) {
		shared = 2;
		my_syscall3(__NR_write, 1, "ready=child\n", 12);
		my_syscall3(__NR_read, 0, &c, 1);
		my_syscall1(__NR_exit, 0);
	}
	printf("parent_back=1 shared=%d vfork=%ld\n", shared, pid);
	if (pid > 0)
		waitpid(pid, &st, 0);
	printf("child_status=%d\n", st);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Probe for PROC-NR-X86 and PROC-FORK-NR2: the notes' x86 system call
 * numbers, each called by number with the syscall instruction (x86_64:
 * read 0, write 1, open 2, getpid 39, fork 57; exit 60 and wait4 61 to
 * collect the fork child).
 */
#include "kc_probe.h"

int main(void)
{
#ifdef __x86_64__
	long pid, fd, n, child;
	int st = -1;
	char c = 0;

	n = my_syscall3(1, 1, "nr1=write\n", 10);
	pid = my_syscall0(39);
	fd = my_syscall3(2, ".", O_RDONLY | O_DIRECTORY, 0);
	printf("write1=%ld getpid39=%ld open2=%ld\n", n, pid, fd);
	printf("ready=read\n");
	n = my_syscall3(0, 0, &c, 1);
	printf("read0=%ld byte=%d\n", n, c);
	child = my_syscall0(57);
	if (child == 0)
		my_syscall1(60, 7);
	n = my_syscall4(61, child, &st, 0, 0);
	printf("fork57=%d wait4=%d status=%d\n", child > 0, n == child, st);
	return 0;
#else
	printf("arch=unsupported\n");
	return 0;
#endif
}

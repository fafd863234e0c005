// SPDX-License-Identifier: GPL-2.0
/*
 * Probe for PROC-COW-FORK: a private page written before fork(), then by
 * the child. The case looks at both address spaces while the child waits:
 * one page shared before the child's write, two after.
 */
#include "kc_probe.h"

int main(void)
{
	volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st = -1;

	if (p == MAP_FAILED)
		return 1;
	p[0] = 0x11;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		printf("child=%d addr=0x%lx\n", getpid(), (unsigned long)p);
		kc_ready("shared");
		p[0] = 0x22;
		printf("child_val=%d\n", p[0]);
		kc_ready("written");
		return 0;
	}
	waitpid(pid, &st, 0);
	printf("parent_val=%d child_status=%d\n", p[0], st);
	return 0;
}

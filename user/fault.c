// SPDX-License-Identifier: GPL-2.0
/*
 * Probe for PROC-KERNEL-ENTRY: touches 64 fresh anonymous pages with
 * plain stores and no system call in between; the case reads the task's
 * fault counters and the mm's anonymous page count before and after.
 */
#include "kc_probe.h"

#define NPAGES 64

int main(void)
{
	volatile char *m = mmap(NULL, NPAGES * 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (m == MAP_FAILED)
		return 1;
	printf("map=0x%lx pages=%d\n", (unsigned long)m, NPAGES);
	kc_ready("before");
	for (i = 0; i < NPAGES; i++)
		m[i * 4096] = 1;
	kc_ready("after");
	return 0;
}

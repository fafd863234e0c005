// SPDX-License-Identifier: GPL-2.0
/*
 * Probe for UA-USER-KERNEL-ADDR: reads its own variable, then the kernel
 * address given as argv[1]. It should not live to print the value.
 */
#include "kc_probe.h"

static volatile long mine = 7;

int main(int argc, char **argv)
{
	unsigned long a = argc > 1 ? strtoul(argv[1], NULL, 16) : 0;

	printf("user_read=%ld\n", mine);
	printf("reading=%lx\n", a);
	printf("value=%lx\n", *(volatile unsigned long *)a);
	return 0;
}

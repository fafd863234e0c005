// SPDX-License-Identifier: GPL-2.0
/*
 * Probe for MM-PROC-MAPS: maps three read-only pages, mounts its own procfs
 * (fsopen/fsmount: a detached mount, nothing is attached to any directory;
 * there is no /proc before init) and copies self/maps to stdout, then
 * waits while the case compares the listing with its mm.
 */
#include "kc_probe.h"
#include <linux/mount.h>

static char buf[8192];

int main(void)
{
	void *m = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	long fs, mnt, fd, n, len = 0;

	if (m == MAP_FAILED)
		return 1;
	printf("map=0x%lx len=%d\n", (unsigned long)m, 3 * 4096);
	fs = syscall(__NR_fsopen, "proc", 0);
	if (fs < 0 || syscall(__NR_fsconfig, fs, FSCONFIG_CMD_CREATE, 0, 0, 0))
		return 2;
	mnt = syscall(__NR_fsmount, fs, 0, 0);
	if (mnt < 0)
		return 3;
	fd = syscall(__NR_openat, mnt, "self/maps", O_RDONLY);
	if (fd < 0)
		return 4;
	while (len < (long)sizeof(buf) &&
	       (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	printf("maps:\n");
	write(1, buf, len);
	printf("end\n");
	kc_ready("maps");
	return 0;
}

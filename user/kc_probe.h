/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the probes (built with nolibc.h included first). A probe
 * reports "key=value" on stdout, a pipe read by the kclaims_user case;
 * "ready=<what>" says it is waiting on stdin for one byte, while the case
 * checks the kernel's side of the same moment.
 */
#ifndef KC_PROBE_H
#define KC_PROBE_H

static inline void kc_ready(const char *what)
{
	char c;

	printf("ready=%s\n", what);
	if (read(0, &c, 1) != 1)
		exit(100);
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Probe for PROC-REPARENT, the user's view: the probe forks a middle
 * process that forks the orphan-to-be and exits. The orphan reports the
 * parent getppid() names after that and waits while the case checks its
 * real_parent. "subreaper" as argv[1]: the probe is a child subreaper
 * (PR_SET_CHILD_SUBREAPER) and reaps the orphan itself.
 */
#include "kc_probe.h"

int main(int argc, char **argv)
{
	int sub = argc > 1 && !strcmp(argv[1], "subreaper");
	pid_t mid, reaped = 0;
	int st;

	if (sub && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		return 1;
	/* nolibc's printf writes piecemeal: say it before the orphan can */
	printf("reaper=%d subreaper=%d\n", getpid(), sub);
	mid = fork();
	if (mid == 0) {
		pid_t me = getpid();

		if (fork() == 0) {
			long i;

			for (i = 0; i < 10000000 && getppid() == me; i++)
				sched_yield();
			printf("orphan=%d was=%d now=%d\n", getpid(), me,
			       getppid());
			kc_ready("orphan");
			return 0;
		}
		return 0;
	}
	waitpid(mid, &st, 0);
	if (sub) {
		reaped = waitpid(-1, &st, 0);
		printf("reaped=%d\n", reaped);
	}
	return 0;
}

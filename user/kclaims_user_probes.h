/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCLAIMS_USER_PROBES_H
#define KCLAIMS_USER_PROBES_H

#include <linux/types.h>

/* kclaims_user_probes.S: one entry per probe, ended by a NULL name */
struct kc_probe_blob {
	const char *name;
	const u8 *start;
	const u8 *end;
};

extern const struct kc_probe_blob kc_probe_table[];

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probes include the tree's uapi headers as they are in the source,
 * not installed (UML cannot run headers_install). These stand-ins do what
 * scripts/headers_install.sh does to them: drop the kernel annotations.
 */
#ifndef KCLAIMS_PROBE_COMPILER_TYPES_H
#define KCLAIMS_PROBE_COMPILER_TYPES_H
#define __user
#define __force
#define __iomem
#define __attribute_const__
#define __packed __attribute__((packed))
#endif

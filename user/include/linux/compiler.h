/* SPDX-License-Identifier: GPL-2.0 */
/* See compiler_types.h: headers_install strips this include too. */
#include <linux/compiler_types.h>

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space probes, embedded into the kernel image: each probe's
 * static binary (built by this directory's Makefile, which passes the list
 * as KC_PROBES) and kc_probe_table[], { name, start, end } per probe, ended
 * by a NULL name. The suite looks a probe up by name.
 */
#ifdef CONFIG_64BIT
#define KC_PTR .quad
#else
#define KC_PTR .long
#endif

	.section .rodata, "a"
	.irp name, KC_PROBES
	.balign 8
kc_blob_\name:
	.incbin "\name"
kc_end_\name:
kc_str_\name:
	.asciz "\name"
	.endr

	.balign 8
	.globl kc_probe_table
kc_probe_table:
	.irp name, KC_PROBES
	KC_PTR kc_str_\name, kc_blob_\name, kc_end_\name
	.endr
	KC_PTR 0, 0, 0

// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims report probe: a case that provokes a kernel report on purpose
 * (BUG:, WARNING:, a lockdep splat) declares it between two marker lines
 * and counts the printk records that contain a needle.
 *
 * The "console" tracepoint fires in vprintk_store() for every record, in the
 * printk caller's context (any context: hardirq, irqs off, under locks), so
 * the probe only does strnstr() and an atomic_inc(). Each watch registers
 * the same probe function with its own struct as data, so watches need no
 * list and no lock; the runner's console scan reads the marker lines.
 */

#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/export.h>
#include <linux/tracepoint.h>
#include <trace/events/printk.h>

#include "kclaims.h"

static void kclaims_report_probe(void *data, const char *text, size_t len)
{
	struct kclaims_report *r = data;

	if (strnstr(text, r->needle, len))
		atomic_inc(&r->seen);
}

int kclaims_report_begin(struct kclaims_report *r, const char *needle)
{
	int ret;

	r->needle = needle;
	atomic_set(&r->seen, 0);
	r->active = false;
	/* Marker first: it contains the needle and must not be counted. */
	pr_info("kclaims: expect report: %s\n", needle);
	ret = register_trace_console(kclaims_report_probe, r);
	if (ret) {
		/*
		 * Close the window at once: the caller gives up without
		 * kclaims_report_end(), and an open window would declare
		 * every later report of this boot.
		 */
		pr_info("kclaims: end expect report: %s (seen 0)\n", needle);
		return ret;
	}
	r->active = true;
	return 0;
}
EXPORT_SYMBOL_GPL(kclaims_report_begin);

int kclaims_report_end(struct kclaims_report *r)
{
	int seen;

	if (r->active) {
		unregister_trace_console(kclaims_report_probe, r);
		/* No probe call still reads @r once this returns. */
		tracepoint_synchronize_unregister();
		r->active = false;
	}
	seen = atomic_read(&r->seen);
	pr_info("kclaims: end expect report: %s (seen %d)\n", r->needle, seen);
	return seen;
}
EXPORT_SYMBOL_GPL(kclaims_report_end);

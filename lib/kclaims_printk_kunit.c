// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' printk and debugging claims. Each case prints
 * records and reads them back from the kernel's log ring buffer with the
 * kmsg_dump iterator (syslog format: "<level>text"), the way dmesg would.
 *
 * The last case floods the ring buffer on purpose (at KERN_DEBUG, which the
 * console does not print): after it the records of the boot are gone.
 */
#include <kunit/test.h>
#include <linux/kmsg_dump.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/syslog.h>
#include <linux/utsname.h>

#include "kclaims.h"

#define KC_LINE 1024

/* What one scan of the ring buffer found for a needle. */
struct kc_hit {
	int index;	/* record number in this scan, -1: not found */
	int level;	/* its syslog level */
	int count;	/* records that contain the needle */
	char text[64];	/* the first of them */
};

struct kc_scan {
	int records;	/* readable records */
	size_t bytes;	/* their text, prefixes included */
	char first[64];	/* the oldest readable record */
	char *line;
};

static void kc_scan_free(void *line)
{
	kfree(line);
}

/* A line buffer for @s, freed with @test. */
static void kc_scan_init(struct kunit *test, struct kc_scan *s)
{
	memset(s, 0, sizeof(*s));
	s->line = kmalloc(KC_LINE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->line);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_scan_free,
							s->line), 0);
}

/*
 * Read every readable record, oldest first, and fill @hits[i] for
 * @needles[i] (first record containing it, its level, how many contain it).
 */
static void kc_scan(struct kc_scan *s, const char * const *needles,
		    struct kc_hit *hits, int n)
{
	struct kmsg_dump_iter iter;
	size_t len;
	int i;

	for (i = 0; i < n; i++)
		hits[i] = (struct kc_hit){ .index = -1, .level = -1, .text = "" };
	s->records = 0;
	s->bytes = 0;
	s->first[0] = '\0';
	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, true, s->line, KC_LINE - 1, &len)) {
		s->line[len] = '\0';
		if (!s->records)
			strscpy(s->first, s->line, sizeof(s->first));
		for (i = 0; i < n; i++) {
			unsigned int lvl;

			if (!strstr(s->line, needles[i]))
				continue;
			if (!hits[i].count++) {
				hits[i].index = s->records;
				strscpy(hits[i].text, s->line,
					sizeof(hits[i].text));
				if (sscanf(s->line, "<%u>", &lvl) == 1)
					hits[i].level = lvl;
			}
		}
		s->records++;
		s->bytes += len;
	}
}

static struct kc_hit kc_find(struct kc_scan *s, const char *needle)
{
	struct kc_hit hit;

	kc_scan(s, &needle, &hit, 1);
	return hit;
}

/*
 * MISC-PRINTK-EARLY (false): printk works before any console exists. The
 * "Linux version" banner, printed by start_kernel() before console_init(),
 * is in the ring buffer ahead of the first "console [...] enabled" record
 * (no earlycon/earlyprintk on the command line):
 * it was stored with no console registered and printed once one was.
 * Runs first: the flood case below wipes the boot records.
 */
static void boot_banner_was_logged_before_any_console(struct kunit *test)
{
	/* register_console() logs "[boot]console [<name><index>] enabled" */
	static const char * const needles[] = { "Linux version ", "] enabled" };
	struct kc_hit hits[2];
	struct kc_scan s;
	char *banner;

	kc_scan_init(test, &s);
	kc_scan(&s, needles, hits, 2);
	kunit_info(test, "%d records; first: %s", s.records, s.first);
	KUNIT_ASSERT_GE_MSG(test, hits[0].index, 0,
			    "banner gone from the ring buffer (overwritten?)");
	KUNIT_ASSERT_GE(test, hits[1].index, 0);
	kunit_info(test, "banner: record %d; first console: record %d: %s",
		   hits[0].index, hits[1].index, hits[1].text);
	KUNIT_EXPECT_NOT_NULL(test, strstr(hits[1].text, "console ["));
	KUNIT_EXPECT_LT(test, hits[0].index, hits[1].index);
	KUNIT_EXPECT_EQ(test, hits[0].level, LOGLEVEL_NOTICE);

	/* and it is this kernel's banner */
	banner = kasprintf(GFP_KERNEL, "Linux version %s ",
			   init_utsname()->release);
	KUNIT_ASSERT_NOT_NULL(test, banner);
	KUNIT_EXPECT_EQ(test, kc_find(&s, banner).index, hits[0].index);
	kfree(banner);
}

static const char * const kc_level_fmt[] = {
	KERN_EMERG "kclaims-level %u: %d\n",
	KERN_ALERT "kclaims-level %u: %d\n",
	KERN_CRIT "kclaims-level %u: %d\n",
	KERN_ERR "kclaims-level %u: %d\n",
	KERN_WARNING "kclaims-level %u: %d\n",
	KERN_NOTICE "kclaims-level %u: %d\n",
	KERN_INFO "kclaims-level %u: %d\n",
	KERN_DEBUG "kclaims-level %u: %d\n",
};

/*
 * MISC-LOGLEVELS (false): there are eight levels, KERN_EMERG "0" to
 * KERN_DEBUG "7", not seven. A record printed at each lands in the ring
 * buffer with that level (read back as "<N>").
 */
static void eight_log_levels_are_stored_with_each_record(struct kunit *test)
{
	const char *needles[8];
	struct kc_hit hits[8];
	unsigned int token = get_random_u32();
	struct kc_scan s;
	int i;

	KUNIT_EXPECT_EQ(test, LOGLEVEL_EMERG, 0);
	KUNIT_EXPECT_EQ(test, LOGLEVEL_DEBUG, 7);
	kc_scan_init(test, &s);
	for (i = 0; i < 8; i++) {
		needles[i] = kasprintf(GFP_KERNEL, "kclaims-level %u: %d", token, i);
		KUNIT_ASSERT_NOT_NULL(test, needles[i]);
		printk(kc_level_fmt[i], token, i);
	}
	kc_scan(&s, needles, hits, 8);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ_MSG(test, hits[i].count, 1, "level %d", i);
		KUNIT_EXPECT_EQ_MSG(test, hits[i].level, i, "level %d", i);
		kfree(needles[i]);
	}
}

/*
 * MISC-PRINTK-COMMA (false): printk(KERN_ALERT, "hello\n") passes
 * KERN_ALERT as the whole format: the record gets level 1 and no text, and
 * "hello" (an unused argument) never reaches the log.
 */
static void level_passed_as_format_logs_no_text(struct kunit *test)
{
	const char *fmt = KERN_ALERT;
	unsigned int token = get_random_u32();
	char before[48], after[48], hello[48];
	struct kc_hit hits[3];
	const char * const needles[] = { before, after, hello };
	struct kmsg_dump_iter iter;
	struct kc_scan s;
	size_t len;
	int i = 0, empty_level = -1;

	snprintf(before, sizeof(before), "kclaims-comma-before %u", token);
	snprintf(after, sizeof(after), "kclaims-comma-after %u", token);
	snprintf(hello, sizeof(hello), "kclaims-comma-hello %u", token);
	kc_scan_init(test, &s);
	pr_info("%s\n", before);
	printk(fmt, hello);	/* the notes' printk(KERN_ALERT, "hello\n") */
	pr_info("%s\n", after);
	kc_scan(&s, needles, hits, 3);
	KUNIT_ASSERT_GE(test, hits[0].index, 0);
	KUNIT_ASSERT_GE(test, hits[1].index, 0);
	KUNIT_EXPECT_EQ(test, hits[2].count, 0);

	/* the records between the markers: one empty record at level 1 */
	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, true, s.line, KC_LINE - 1, &len)) {
		unsigned int lvl;
		int n = 0;

		s.line[len] = '\0';
		if (i > hits[0].index && i < hits[1].index &&
		    sscanf(s.line, "<%u>%n", &lvl, &n) == 1 &&
		    (s.line[n] == '\n' || s.line[n] == '\0'))
			empty_level = lvl;
		i++;
	}
	KUNIT_EXPECT_EQ(test, empty_level, LOGLEVEL_ALERT);
}

/*
 * MISC-PRINTK-RATELIMIT (nuanced): printk_ratelimit() does not let one
 * message through every n seconds: it lets a burst of 10 through per 5 s
 * window (printk_ratelimit_state, shared by every caller) and refuses the
 * rest; a new window allows a new burst. The window is started afresh and
 * then aged by moving its start back, as 5 s passing would.
 */
static void printk_ratelimit_allows_ten_per_five_seconds(struct kunit *test)
{
	struct ratelimit_state *rs = &printk_ratelimit_state;
	int allowed = 0, again = 0, interval, burst, i;
	unsigned long flags;

	raw_spin_lock_irqsave(&rs->lock, flags);
	interval = rs->interval;
	burst = rs->burst;
	rs->begin = 0;
	rs->printed = 0;
	rs->missed = 0;
	raw_spin_unlock_irqrestore(&rs->lock, flags);

	for (i = 0; i < 25; i++)
		allowed += !!printk_ratelimit();

	raw_spin_lock_irqsave(&rs->lock, flags);
	rs->missed = 0;		/* no "callbacks suppressed" line */
	rs->begin = jiffies - interval - 1;
	raw_spin_unlock_irqrestore(&rs->lock, flags);
	for (i = 0; i < 25; i++)
		again += !!printk_ratelimit();

	raw_spin_lock_irqsave(&rs->lock, flags);
	rs->begin = 0;
	rs->printed = 0;
	rs->missed = 0;
	raw_spin_unlock_irqrestore(&rs->lock, flags);

	KUNIT_EXPECT_EQ(test, interval, 5 * HZ);
	KUNIT_EXPECT_EQ(test, burst, 10);
	KUNIT_EXPECT_EQ(test, allowed, 10);
	KUNIT_EXPECT_EQ(test, again, 10);
}

struct kc_print_arg {
	const char *text;
};

static void kc_print(void *arg)
{
	struct kc_print_arg *p = arg;

	pr_info("%s\n", p->text);
}

/*
 * MISC-PRINTK-ANYWHERE (nuanced): printk can be called from hardirq and
 * softirq context and with a spinlock held and interrupts off; each record
 * is in the ring buffer right after the call. (Console output may be
 * deferred; NMI context is not reachable on UML.)
 */
static void printk_logs_from_irq_context_and_under_a_spinlock(struct kunit *test)
{
	static DEFINE_SPINLOCK(lock);
	unsigned int token = get_random_u32();
	char hard[48], soft[48], locked[48];
	const char * const needles[] = { hard, soft, locked };
	struct kc_print_arg ah = { hard }, as = { soft };
	struct kclaims_ctx_obs oh = {}, os = {};
	struct kc_hit hits[3];
	unsigned long flags;
	struct kc_scan s;

	snprintf(hard, sizeof(hard), "kclaims-anywhere-hardirq %u", token);
	snprintf(soft, sizeof(soft), "kclaims-anywhere-softirq %u", token);
	snprintf(locked, sizeof(locked), "kclaims-anywhere-locked %u", token);
	kc_scan_init(test, &s);
	KUNIT_ASSERT_EQ(test, kclaims_run_in(KCLAIMS_CTX_HARDIRQ, kc_print, &ah,
					     &oh, 5000), 0);
	KUNIT_ASSERT_EQ(test, kclaims_run_in(KCLAIMS_CTX_SOFTIRQ, kc_print, &as,
					     &os, 5000), 0);
	spin_lock_irqsave(&lock, flags);
	pr_info("%s\n", locked);
	spin_unlock_irqrestore(&lock, flags);

	KUNIT_EXPECT_TRUE(test, oh.in_hardirq);
	KUNIT_EXPECT_TRUE(test, os.in_serving_softirq);
	kc_scan(&s, needles, hits, 3);
	KUNIT_EXPECT_EQ(test, hits[0].count, 1);
	KUNIT_EXPECT_EQ(test, hits[1].count, 1);
	KUNIT_EXPECT_EQ(test, hits[2].count, 1);
}

static noinline void kc_dump_stack_here(int *after)
{
	dump_stack();
	WRITE_ONCE(*after, 1);	/* no tail call: keep this frame */
}

/*
 * MISC-DUMP-STACK: dump_stack() logs a backtrace of its caller: a
 * "Call Trace:" record followed by the calling function, by name
 * (KALLSYMS). It prints "Call Trace:", so it is declared as a report.
 */
static void dump_stack_logs_the_callers_backtrace(struct kunit *test)
{
	unsigned int token = get_random_u32();
	char marker[48];
	const char * const needles[] = { marker, "Call Trace:",
					 "kc_dump_stack_here" };
	struct kclaims_report r;
	struct kc_hit hits[3];
	struct kc_scan s;
	int after = 0, begun, seen = 0;
	struct kmsg_dump_iter iter;
	size_t len;
	int i = 0, trace = -1, frame = -1;

	snprintf(marker, sizeof(marker), "kclaims-dump-stack %u", token);
	kc_scan_init(test, &s);
	pr_info("%s\n", marker);
	begun = kclaims_report_begin(&r, "Call Trace:");
	kc_dump_stack_here(&after);
	if (!begun)
		seen = kclaims_report_end(&r);
	KUNIT_EXPECT_EQ(test, after, 1);
	if (!begun)
		KUNIT_EXPECT_GE(test, seen, 1);

	kc_scan(&s, needles, hits, 3);
	KUNIT_ASSERT_GE(test, hits[0].index, 0);
	/* the first trace line and our frame after the marker */
	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, true, s.line, KC_LINE - 1, &len)) {
		s.line[len] = '\0';
		if (i > hits[0].index) {
			if (trace < 0 && strstr(s.line, "Call Trace:"))
				trace = i;
			if (frame < 0 && trace >= 0 &&
			    strstr(s.line, "kc_dump_stack_here"))
				frame = i;
		}
		i++;
	}
	KUNIT_EXPECT_GT(test, trace, hits[0].index);
	KUNIT_EXPECT_GT(test, frame, trace);
}

/* Print KERN_DEBUG records ("kclaims-flood <tag> <n>", ~120 bytes) until
 * @bytes of text were logged; returns how many.
 */
static int kc_flood(unsigned int tag, size_t bytes)
{
	size_t done = 0;
	int n = 0;

	while (done < bytes) {
		done += printk(KERN_DEBUG "kclaims-flood %u %06d %s\n", tag, n,
			       "................................................................................................");
		n++;
	}
	return n;
}

/*
 * MISC-LOGBUF (outdated): the log buffer is not 16 KiB. The running
 * kernel's buffer (syslog(SYSLOG_ACTION_SIZE_BUFFER)) is
 * 1 << CONFIG_LOG_BUF_SHIFT (17: 128 KiB by default since 2.6.x/3.x
 * configs; it may grow with CPUs or log_buf_len=), and a record survives
 * 32 KiB of later records, which a 16 KiB buffer could not hold.
 */
static void log_buffer_holds_more_than_16kib(struct kunit *test)
{
	unsigned int token = get_random_u32();
	char marker[48];
	struct kc_scan s;
	int size;

	size = do_syslog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0, SYSLOG_FROM_READER);
	kunit_info(test, "log buffer: %d bytes", size);
	KUNIT_EXPECT_EQ(test, size, (int)log_buf_len_get());
	KUNIT_EXPECT_GE(test, size, 1 << CONFIG_LOG_BUF_SHIFT);
	KUNIT_EXPECT_GT(test, size, 16 * 1024);

	snprintf(marker, sizeof(marker), "kclaims-logbuf %u", token);
	kc_scan_init(test, &s);
	pr_info("%s\n", marker);
	kc_flood(token, 32 * 1024);
	KUNIT_EXPECT_EQ(test, kc_find(&s, marker).count, 1);
	KUNIT_EXPECT_GT(test, s.bytes, (size_t)32 * 1024);
}

/*
 * MISC-LOGBUF-OVERWRITE: the ring buffer keeps the newest records: after
 * twice its size of new text, the older marker and the first flood records
 * are gone, the oldest readable record is a later flood record and the
 * newest is there. What is readable never exceeds the buffer.
 */
static void full_log_buffer_drops_the_oldest_records(struct kunit *test)
{
	unsigned int token = get_random_u32();
	char marker[48], first[48], last[48], any[48];
	const char * const needles[] = { marker, first, last, any };
	struct kc_hit hits[4];
	struct kc_scan s;
	int size, n;

	size = do_syslog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0, SYSLOG_FROM_READER);
	KUNIT_ASSERT_GT(test, size, 0);
	KUNIT_ASSERT_LE(test, size, 8 << 20);	/* bound the flood */
	snprintf(marker, sizeof(marker), "kclaims-overwrite %u", token);
	kc_scan_init(test, &s);
	pr_info("%s\n", marker);
	n = kc_flood(token, 2 * (size_t)size);
	snprintf(first, sizeof(first), "kclaims-flood %u %06d ", token, 0);
	snprintf(last, sizeof(last), "kclaims-flood %u %06d ", token, n - 1);
	snprintf(any, sizeof(any), "kclaims-flood %u ", token);
	kc_scan(&s, needles, hits, 4);
	kunit_info(test, "%d records of %d kept, oldest: %.40s", s.records, n,
		   s.first);

	KUNIT_EXPECT_EQ(test, hits[0].count, 0);
	KUNIT_EXPECT_EQ(test, hits[1].count, 0);
	KUNIT_EXPECT_EQ(test, hits[2].count, 1);
	KUNIT_EXPECT_GT(test, hits[3].count, 0);
	KUNIT_EXPECT_LT(test, hits[3].count, n);
	KUNIT_EXPECT_NOT_NULL(test, strstr(s.first, any));
	KUNIT_EXPECT_LE(test, s.bytes, (size_t)size);
}

/*
 * MISC-BUG-ON (its note: prefer WARN_ON for recoverable conditions):
 * WARN_ON() prints a report and hands its condition back, and the caller
 * goes on (BUG_ON() would end the thread); WARN_ON_ONCE() returns its
 * condition every time but reports only the first time. The conditions
 * are read at run time, so the compiler cannot fold them.
 */
static void warn_on_returns_its_condition_and_warn_on_once_reports_once(struct kunit *test)
{
	static int one = 1, zero;
	int probe, seen, i, ret_true = 0, ret_false = 0, once_true = 0;
	struct kclaims_report r;

	probe = kclaims_report_begin(&r, "WARNING: CPU");
	if (probe)
		kunit_skip(test, "no console tracepoint (%d)", probe);
	if (WARN_ON(READ_ONCE(one)))
		ret_true++;
	if (!WARN_ON(READ_ONCE(zero)))
		ret_false++;
	for (i = 0; i < 3; i++)
		if (WARN_ON_ONCE(READ_ONCE(one)))
			once_true++;
	seen = kclaims_report_end(&r);

	KUNIT_EXPECT_EQ(test, ret_true, 1);
	KUNIT_EXPECT_EQ(test, ret_false, 1);
	KUNIT_EXPECT_EQ(test, once_true, 3);
	/* one report for WARN_ON(1), one for the first WARN_ON_ONCE(1) */
	KUNIT_EXPECT_EQ(test, seen, 2);
}

static struct kunit_case kclaims_printk_cases[] = {
	KUNIT_CASE(boot_banner_was_logged_before_any_console),
	KUNIT_CASE(eight_log_levels_are_stored_with_each_record),
	KUNIT_CASE(level_passed_as_format_logs_no_text),
	KUNIT_CASE(printk_ratelimit_allows_ten_per_five_seconds),
	KUNIT_CASE(printk_logs_from_irq_context_and_under_a_spinlock),
	KUNIT_CASE(dump_stack_logs_the_callers_backtrace),
	KUNIT_CASE(log_buffer_holds_more_than_16kib),
	KUNIT_CASE(warn_on_returns_its_condition_and_warn_on_once_reports_once),
	KUNIT_CASE(full_log_buffer_drops_the_oldest_records),
	{}
};

static struct kunit_suite kclaims_printk_suite = {
	.name = "kclaims_printk",
	.test_cases = kclaims_printk_cases,
};
kunit_test_suite(kclaims_printk_suite);

MODULE_DESCRIPTION("kclaims: printk levels, log buffer, ratelimit, dump_stack");
MODULE_LICENSE("GPL");

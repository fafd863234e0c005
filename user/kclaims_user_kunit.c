// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims that only a user process can show, checked
 * from KUnit in the same boot, together with the kernel's side of the
 * same event.
 *
 * The probes are small static programs (user/<probe>.c) built with the tree's
 * nolibc by this directory's Makefile and embedded into the image
 * (kclaims_user_probes.S). A case writes one into a private ramfs mount
 * (as umd_load_blob() does with tmpfs, which this configuration leaves
 * out) and starts it as its own child the way kernel/umh.c does for
 * UMH_WAIT_PROC: user_mode_thread(), then kernel_execve() in the child. Being the parent gives the case the
 * real wait status (kernel_wait()), a pipe on the probe's stdin and
 * stdout for a handshake while the probe is alive, and needs neither the
 * usermode-helper gate nor the initramfs: the probe's file is on our own
 * mount. A watchdog kills the probe's process group after
 * KC_PROBE_TIMEOUT and then interrupts the case's waits: a hung probe is
 * one failing case that names it, never a hung run.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_user'
 */
#include <kunit/test.h>
#include <linux/binfmts.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/kallsyms.h>
#include <linux/pid.h>
#include <linux/pipe_fs_i.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/mount.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define KC_PROBE_TIMEOUT	(10 * HZ)
#define KC_OUT_MAX		4096

#include "kclaims_user_probes.h"

struct kc_run {
	const char *probe;
	const char *argv[3];
	char arg[32];				/* argv[1], owned by us */
	bool started;
	struct vfsmount *mnt;			/* private ramfs: the probe's cwd */
	struct file *to_probe, *from_probe;	/* our ends of the pipes */
	struct file *probe_in, *probe_out;	/* the probe's fds 0 and 1 */
	struct pid *pid;
	pid_t nr;
	int status;				/* wait status */
	bool waited;
	struct task_struct *waiter;
	struct delayed_work watchdog;
	int stage;
	bool timed_out;
	size_t len;
	char out[KC_OUT_MAX + 1];
};

static const struct kc_probe_blob *kc_find_probe(const char *name)
{
	const struct kc_probe_blob *p;

	for (p = kc_probe_table; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* A private ramfs holding only @b, as umd_load_blob()'s blob_to_mnt(). */
static struct vfsmount *kc_blob_to_mnt(const struct kc_probe_blob *b)
{
	struct file_system_type *type = get_fs_type("ramfs");
	struct vfsmount *mnt;
	struct file *file;
	size_t len = b->end - b->start;
	loff_t pos = 0;
	ssize_t n;

	if (!type)
		return ERR_PTR(-ENODEV);
	mnt = kern_mount(type);
	put_filesystem(type);
	if (IS_ERR(mnt))
		return mnt;
	file = file_open_root_mnt(mnt, b->name, O_CREAT | O_WRONLY, 0700);
	if (IS_ERR(file)) {
		kern_unmount(mnt);
		return ERR_CAST(file);
	}
	n = kernel_write(file, b->start, len, &pos);
	/* closed now, not delayed: exec refuses a file open for writing */
	__fput_sync(file);
	if (n != len) {
		kern_unmount(mnt);
		return ERR_PTR(n < 0 ? n : -ENOSPC);
	}
	return mnt;
}

/*
 * Stage 1: kill the probe's process group (it is a session leader) and
 * its own tgid. Stage 2, if the case is still blocked: interrupt it.
 */
static void kc_watchdog(struct work_struct *work)
{
	struct kc_run *r = container_of(to_delayed_work(work), struct kc_run,
					watchdog);

	if (r->stage++ == 0) {
		WRITE_ONCE(r->timed_out, true);
		kill_pgrp(r->pid, SIGKILL, 1);
		kill_pid(r->pid, SIGKILL, 1);
		schedule_delayed_work(&r->watchdog, 2 * HZ);
	} else {
		send_sig(SIGUSR1, r->waiter, 1);
	}
}

/* The child: becomes the probe (kernel/umh.c's exec_async, trimmed). */
static int kc_probe_exec(void *data)
{
	struct kc_run *r = data;
	int err;

	spin_lock_irq(&current->sighand->siglock);
	flush_signal_handlers(current, 1);
	spin_unlock_irq(&current->sighand->siglock);
	current->fs->umask = 0022;

	err = replace_fd(0, r->probe_in, 0);
	if (err >= 0)
		err = replace_fd(1, r->probe_out, 0);
	fput(r->probe_in);
	fput(r->probe_out);
	if (err < 0)
		do_exit(0x7f00);

	set_fs_pwd(current->fs, &(struct path){ .mnt = r->mnt,
						.dentry = r->mnt->mnt_root });
	ksys_setsid();
	err = kernel_execve(r->probe, r->argv, (const char *const[]){ NULL });
	if (!err)
		return 0;
	do_exit(0x7f00);
}

/*
 * Start @probe (with one optional argument) as a child of this case.
 * Returns 0 or fails the case naming the probe.
 */
static int kc_start(struct kunit *test, struct kc_run *r, const char *probe,
		    const char *arg)
{
	const struct kc_probe_blob *b = kc_find_probe(probe);
	struct file *in[2], *out[2];
	int err;

	r->probe = probe;
	r->argv[0] = probe;
	if (arg) {
		strscpy(r->arg, arg, sizeof(r->arg));
		r->argv[1] = r->arg;
	}
	r->waiter = current;
	INIT_DELAYED_WORK(&r->watchdog, kc_watchdog);
	if (!b || b->end <= b->start) {
		KUNIT_FAIL(test, "probe %s is not in the kernel image", probe);
		return -ENOENT;
	}
	r->mnt = kc_blob_to_mnt(b);
	if (IS_ERR(r->mnt)) {
		KUNIT_FAIL(test, "probe %s: no private mount: %ld", probe,
			   PTR_ERR(r->mnt));
		return PTR_ERR(r->mnt);
	}
	err = create_pipe_files(in, 0);
	if (err)
		goto unload;
	err = create_pipe_files(out, 0);
	if (err) {
		fput(in[0]);
		fput(in[1]);
		goto unload;
	}
	r->probe_in = in[0];
	r->to_probe = in[1];
	r->from_probe = out[0];
	r->probe_out = out[1];

	/* As call_usermodehelper_exec_sync(): reap our child ourselves. */
	kernel_sigaction(SIGCHLD, SIG_DFL);
	allow_signal(SIGUSR1);
	r->nr = user_mode_thread(kc_probe_exec, r, SIGCHLD);
	if (r->nr < 0) {
		err = r->nr;
		fput(r->probe_in);
		fput(r->probe_out);
		fput(r->to_probe);
		fput(r->from_probe);
		kernel_sigaction(SIGCHLD, SIG_IGN);
		disallow_signal(SIGUSR1);
		goto unload;
	}
	/* the child owns probe_in/probe_out now, and reads *r until it execs */
	r->started = true;
	r->pid = find_get_pid(r->nr);
	schedule_delayed_work(&r->watchdog, KC_PROBE_TIMEOUT);
	return 0;
unload:
	kern_unmount(r->mnt);
	KUNIT_FAIL(test, "probe %s could not be started: %d", probe, err);
	return err;
}

/* Read the probe's stdout until @until appears (NULL: until EOF). */
static bool kc_read(struct kc_run *r, const char *until)
{
	while (r->len < KC_OUT_MAX) {
		ssize_t n;

		if (until && strstr(r->out, until))
			return true;
		n = kernel_read(r->from_probe, r->out + r->len,
				KC_OUT_MAX - r->len, &r->from_probe->f_pos);
		if (n <= 0)
			break;
		r->len += n;
		r->out[r->len] = '\0';
	}
	return until ? strstr(r->out, until) != NULL : true;
}

static void kc_write(struct kc_run *r, const char *s)
{
	loff_t pos = 0;

	kernel_write(r->to_probe, s, strlen(s), &pos);
}

/* Read to EOF, reap the probe, clean up. Returns the wait status or -1. */
static int kc_finish(struct kunit *test, struct kc_run *r)
{
	int ret;

	kc_read(r, NULL);
	ret = kernel_wait(r->nr, &r->status);
	r->waited = ret == r->nr;
	cancel_delayed_work_sync(&r->watchdog);
	kernel_sigaction(SIGCHLD, SIG_IGN);
	disallow_signal(SIGUSR1);
	flush_signals(current);
	fput(r->to_probe);
	fput(r->from_probe);
	put_pid(r->pid);
	kern_unmount(r->mnt);

	kunit_info(test, "probe %s: status %#x, said: %s", r->probe, r->status,
		   r->out);
	if (READ_ONCE(r->timed_out))
		KUNIT_FAIL(test, "probe %s hung: killed after %d s", r->probe,
			   KC_PROBE_TIMEOUT / HZ);
	if (!r->waited) {
		/* still running and not reapable: leak it, never free under it */
		KUNIT_FAIL(test, "probe %s could not be reaped: %d", r->probe,
			   ret);
		return -1;
	}
	if (r->status == 0x7f00)
		KUNIT_FAIL(test, "probe %s could not be executed", r->probe);
	return r->status;
}

/* The value of "key=" in the probe's output, as a long. */
static bool kc_val(struct kc_run *r, const char *key, long *val)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "%s=", key);
	for (p = r->out; (p = strstr(p, pat)); p++)
		if (p == r->out || p[-1] == '\n' || p[-1] == ' ')
			return sscanf(p + strlen(pat), "%li", val) == 1;
	return false;
}

/* A task of a probe by its pid, with a reference (NULL if gone). */
static struct task_struct *kc_task(struct kunit *test, long nr)
{
	struct task_struct *t = nr > 0 ? find_get_task_by_vpid(nr) : NULL;

	if (!t)
		KUNIT_FAIL(test, "no task %ld", nr);
	return t;
}

/*
 * The page mapped at @addr in @t's address space, with a reference, read
 * with get_user_pages_remote() and no FOLL_WRITE: looking does not break
 * copy-on-write. *@byte gets its first byte.
 */
static struct page *kc_page_at(struct task_struct *t, unsigned long addr,
			       u8 *byte)
{
	struct mm_struct *mm = get_task_mm(t);
	struct page *page = NULL;
	long n;

	if (!mm)
		return NULL;
	mmap_read_lock(mm);
	n = get_user_pages_remote(mm, addr, 1, 0, &page, NULL);
	mmap_read_unlock(mm);
	mmput(mm);
	if (n != 1)
		return NULL;
	{
		u8 *v = kmap_local_page(page);

		*byte = *v;
		kunmap_local(v);
	}
	return page;
}

#define KC_GO(r, n)	kc_write(r, n == 2 ? "gg" : "g")

/* Freed at the end of the case, unless a probe that may still use it lives. */
static void kc_free(void *data)
{
	struct kc_run *r = data;

	if (!r->started || r->waited)
		kfree(r);
}

static struct kc_run *kc_alloc(struct kunit *test)
{
	struct kc_run *r = kzalloc(sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_free, r), 0);
	return r;
}

/*
 * PROC-COW-FORK: after fork() parent and child map the same page (one
 * folio, mapped twice) until the child writes; the write gives the child
 * its own copy and leaves the parent's page and content as they were.
 */
static void fork_shares_the_page_until_the_child_writes(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	struct task_struct *parent = NULL, *child = NULL;
	struct page *pp = NULL, *cp = NULL;
	long cnr = 0, addr = 0, pval = -1, cval = -1;
	u8 pb = 0, cb = 0;
	int st;

	if (kc_start(test, r, "cow_fork", NULL))
		return;
	if (kc_read(r, "ready=shared\n") && kc_val(r, "child", &cnr) &&
	    kc_val(r, "addr", &addr)) {
		parent = kc_task(test, r->nr);
		child = kc_task(test, cnr);
	}
	if (parent && child) {
		pp = kc_page_at(parent, addr, &pb);
		cp = kc_page_at(child, addr, &cb);
		KUNIT_EXPECT_NOT_NULL(test, pp);
		KUNIT_EXPECT_PTR_EQ(test, pp, cp);
		if (pp && pp == cp)
			KUNIT_EXPECT_EQ(test, folio_mapcount(page_folio(pp)), 2);
		KUNIT_EXPECT_EQ(test, pb, 0x11);
		if (pp)
			put_page(pp);
		if (cp)
			put_page(cp);
		KC_GO(r, 1);
	}
	if (parent && child && kc_read(r, "ready=written\n")) {
		pp = kc_page_at(parent, addr, &pb);
		cp = kc_page_at(child, addr, &cb);
		KUNIT_EXPECT_NOT_NULL(test, pp);
		KUNIT_EXPECT_NOT_NULL(test, cp);
		KUNIT_EXPECT_PTR_NE(test, pp, cp);
		KUNIT_EXPECT_EQ(test, pb, 0x11);
		KUNIT_EXPECT_EQ(test, cb, 0x22);
		if (pp)
			KUNIT_EXPECT_EQ(test, folio_mapcount(page_folio(pp)), 1);
		if (pp)
			put_page(pp);
		if (cp)
			put_page(cp);
		KC_GO(r, 1);
	}
	if (child)
		put_task_struct(child);
	if (parent)
		put_task_struct(parent);
	st = kc_finish(test, r);
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "child_val", &cval) && cval == 0x22);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "parent_val", &pval) && pval == 0x11);
}

/*
 * PROC-VFORK: while the vfork() child runs, the parent sleeps (killable,
 * in wait_for_vfork_done()) and both tasks use one mm_struct; the parent
 * goes on only after the child exits, and sees the child's write.
 */
static void vfork_parent_sleeps_and_shares_the_mm(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	struct task_struct *parent = NULL, *child = NULL;
	long shared = -1;
	int st, i;

	if (kc_start(test, r, "vfork", NULL))
		return;
	if (kc_read(r, "ready=child\n"))
		parent = kc_task(test, r->nr);
	if (parent) {
		read_lock(&tasklist_lock);
		child = list_first_entry_or_null(&parent->children,
						 struct task_struct, sibling);
		if (child)
			get_task_struct(child);
		read_unlock(&tasklist_lock);
		KUNIT_EXPECT_NOT_NULL(test, child);
		/*
		 * The child may have run before the parent reached its sleep
		 * in kernel_clone(): give it up to 2 s to get there.
		 */
		for (i = 0; i < 2 * HZ && !(READ_ONCE(parent->__state) &
					    TASK_UNINTERRUPTIBLE); i++)
			schedule_timeout_uninterruptible(1);
		KUNIT_EXPECT_TRUE(test, READ_ONCE(parent->__state) &
				  TASK_UNINTERRUPTIBLE);
		/* the parent has not come back from vfork() */
		KUNIT_EXPECT_NULL(test, strstr(r->out, "parent_back"));
		if (child) {
			KUNIT_EXPECT_PTR_EQ(test, child->mm, parent->mm);
			KUNIT_EXPECT_NOT_NULL(test, child->vfork_done);
			put_task_struct(child);
		}
		put_task_struct(parent);
		KC_GO(r, 1);
	}
	st = kc_finish(test, r);
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "shared", &shared) && shared == 2);
}

/*
 * MM-THREAD-SHARES-MM, PROC-GETPID (the user's view): a CLONE_VM|
 * CLONE_THREAD thread sees a write its parent made after creating it;
 * both task_structs point at one mm_struct with mm_users 2; getpid() in
 * the thread returns the tgid (the main thread's pid), gettid() its own.
 */
static void user_thread_shares_the_mm_and_getpid_is_the_tgid(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	struct task_struct *main_t = NULL, *thr = NULL;
	long tpid = 0, ttid = 0, saw = 0, mpid = 0, mtid = 0;
	int st;

	if (kc_start(test, r, "thread_mm", NULL))
		return;
	if (kc_read(r, "ready=both\n") && kc_val(r, "thread_tid", &ttid)) {
		main_t = kc_task(test, r->nr);
		thr = kc_task(test, ttid);
	}
	if (main_t && thr) {
		task_lock(thr);
		KUNIT_EXPECT_PTR_EQ(test, thr->mm, main_t->mm);
		if (thr->mm)
			KUNIT_EXPECT_EQ(test, atomic_read(&thr->mm->mm_users), 2);
		task_unlock(thr);
		KUNIT_EXPECT_EQ(test, thr->tgid, main_t->pid);
		KUNIT_EXPECT_NE(test, thr->pid, main_t->pid);
		KUNIT_EXPECT_PTR_EQ(test, thr->group_leader, main_t);
	}
	if (thr)
		put_task_struct(thr);
	if (main_t)
		put_task_struct(main_t);
	KC_GO(r, 2);
	st = kc_finish(test, r);
	if (strstr(r->out, "arch=unsupported"))
		kunit_skip(test, "the probe's clone trampoline is x86_64 only: UML/QEMU x86_64");
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "thread_saw", &saw) && saw == 0x5a);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "thread_pid", &tpid) && tpid == r->nr);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "main_pid", &mpid) && mpid == r->nr);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "main_tid", &mtid) && mtid == r->nr);
	KUNIT_EXPECT_NE(test, ttid, tpid);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "thread_done", &saw) && saw == 1);
}

/*
 * MM-PROC-MAPS: the probe's own /proc/self/maps (a procfs it mounted
 * itself) has one line per VMA of its mm, and the mapping it just made
 * appears with its exact range and permissions.
 */
static void proc_maps_lists_every_vma_with_the_new_mapping(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	struct task_struct *t = NULL;
	struct mm_struct *mm;
	long map = 0, len = 0;
	char line[64];
	const char *b, *e;
	int lines = 0, vmas = -1, st;

	if (kc_start(test, r, "maps", NULL))
		return;
	if (kc_read(r, "ready=maps\n") && kc_val(r, "map", &map) &&
	    kc_val(r, "len", &len))
		t = kc_task(test, r->nr);
	b = strstr(r->out, "maps:\n");
	e = strstr(r->out, "end\n");
	if (t && b && e) {
		const char *p;

		for (p = b + 6; p < e; p++)
			lines += *p == '\n';
		mm = get_task_mm(t);
		if (mm) {
			struct vm_area_struct *vma;

			mmap_read_lock(mm);
			vmas = mm->map_count;
			vma = find_vma(mm, map);
			KUNIT_EXPECT_TRUE(test, vma && vma->vm_start == map &&
					  vma->vm_end == map + len);
			mmap_read_unlock(mm);
			/* the gate area (x86_64 [vsyscall]) is listed, not a VMA */
			if (get_gate_vma(mm))
				vmas++;
			mmput(mm);
		}
		KUNIT_EXPECT_EQ(test, lines, vmas);
		snprintf(line, sizeof(line), "\n%08lx-%08lx r--p ", map,
			 map + len);
		KUNIT_EXPECT_NOT_NULL(test, strstr(b + 5, line));
		KUNIT_EXPECT_NOT_NULL(test, strstr(b, "r-xp"));
	}
	if (t)
		put_task_struct(t);
	KC_GO(r, 1);
	st = kc_finish(test, r);
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_TRUE(test, b && e);
}

/* What the orphan of the reparent probe says and whose child it is. */
static void kc_orphan(struct kunit *test, struct kc_run *r, long *now,
		      struct task_struct **parent)
{
	struct task_struct *o = NULL;
	long onr = 0;

	*parent = NULL;
	if (kc_read(r, "ready=orphan\n") && kc_val(r, "orphan", &onr) &&
	    kc_val(r, "now", now))
		o = kc_task(test, onr);
	if (o) {
		rcu_read_lock();
		*parent = rcu_dereference(o->real_parent);
		get_task_struct(*parent);
		rcu_read_unlock();
		put_task_struct(o);
	}
}

/*
 * PROC-REPARENT (the user's view; the kernel side is kclaims_task_state):
 * with no subreaper above it, an orphan's getppid() turns to 1. While
 * KUnit runs, pid 1 is not /sbin/init yet but the kernel's init thread
 * (kernel_init(), which runs the KUnit executor and execs init later): it
 * is the pid namespace's child_reaper from its fork on.
 */
static void orphan_goes_to_pid_1_the_child_reaper(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	struct task_struct *parent;
	long now = 0;
	int st;

	if (kc_start(test, r, "reparent", "init"))
		return;
	kc_orphan(test, r, &now, &parent);
	if (parent) {
		kunit_info(test, "orphan's parent: pid %d comm %s%s\n",
			   task_pid_nr(parent), parent->comm,
			   parent->flags & PF_KTHREAD ? " (kthread)" : "");
		KUNIT_EXPECT_PTR_EQ(test, parent, init_pid_ns.child_reaper);
		KUNIT_EXPECT_EQ(test, task_pid_nr(parent), 1);
		put_task_struct(parent);
	}
	KC_GO(r, 1);
	st = kc_finish(test, r);
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_EQ(test, now, 1);
}

/*
 * PROC-REPARENT: below a child subreaper (PR_SET_CHILD_SUBREAPER) the
 * orphan's getppid() names the subreaper, which can wait for it.
 */
static void orphan_goes_to_the_subreaper(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	struct task_struct *parent;
	long now = 0, reaped = 0, onr = 0;
	int st;

	if (kc_start(test, r, "reparent", "subreaper"))
		return;
	kc_orphan(test, r, &now, &parent);
	if (parent) {
		KUNIT_EXPECT_EQ(test, task_pid_nr(parent), r->nr);
		put_task_struct(parent);
	}
	KC_GO(r, 1);
	st = kc_finish(test, r);
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_EQ(test, now, r->nr);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "orphan", &onr) &&
			  kc_val(r, "reaped", &reaped) && reaped == onr);
}

/*
 * UA-USER-KERNEL-ADDR: a user read of a kernel address (init_task's)
 * ends the process with SIGSEGV; its own variable it read just before.
 */
static void user_read_of_a_kernel_address_is_sigsegv(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	char arg[24];
	long mine = 0;
	int st;

	snprintf(arg, sizeof(arg), "%lx", (unsigned long)&init_task);
	if (kc_start(test, r, "kernel_addr", arg))
		return;
	st = kc_finish(test, r);
	kunit_info(test, "kernel address %s, TASK_SIZE %lx\n", arg,
		   (unsigned long)TASK_SIZE);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "user_read", &mine) && mine == 7);
	KUNIT_EXPECT_NOT_NULL(test, strstr(r->out, "reading="));
	KUNIT_EXPECT_NULL(test, strstr(r->out, "value="));
	KUNIT_EXPECT_EQ(test, st & 0x7f, SIGSEGV);
}

/*
 * PROC-NR-X86, PROC-FORK-NR2: on x86_64 the numbers the notes give work
 * when a program calls them by number: read 0, write 1, open 2, getpid 39
 * and fork 57 (not 2: that is i386's fork).
 */
static void x86_64_syscall_numbers_called_by_number(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	long w = 0, pid = 0, fd = -1, n = 0, byte = 0, fork = 0, st4 = 0;
	int st;

	if (kc_start(test, r, "syscall_nr", NULL))
		return;
	if (kc_read(r, "ready=read\n"))
		kc_write(r, "R");
	st = kc_finish(test, r);
	if (strstr(r->out, "arch=unsupported"))
		kunit_skip(test, "x86_64 numbers: UML/QEMU x86_64");
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(r->out, "nr1=write\n"));
	KUNIT_EXPECT_TRUE(test, kc_val(r, "write1", &w) && w == 10);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "getpid39", &pid) && pid == r->nr);
	/* fds 0 and 1 are the pipes, 2 is free: open() returns the lowest */
	KUNIT_EXPECT_TRUE(test, kc_val(r, "open2", &fd) && fd == 2);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "read0", &n) && n == 1);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "byte", &byte) && byte == 'R');
	KUNIT_EXPECT_TRUE(test, kc_val(r, "fork57", &fork) && fork == 1);
	KUNIT_EXPECT_TRUE(test, kc_val(r, "status", &st4) && st4 == 7 << 8);
}

/*
 * PROC-KERNEL-ENTRY: user code enters the kernel without a system call:
 * 64 plain stores to fresh anonymous pages, with no system call between
 * them, are 64 page faults (the task's fault counter) that allocated 64
 * pages (the mm's anonymous page count).
 */
static void page_faults_enter_the_kernel_without_a_syscall(struct kunit *test)
{
	struct kc_run *r = kc_alloc(test);
	struct task_struct *t = NULL;
	struct mm_struct *mm = NULL;
	unsigned long flt0 = 0, flt1 = 0, anon0 = 0, anon1 = 0;
	long pages = 0;
	int st;

	if (kc_start(test, r, "fault", NULL))
		return;
	if (kc_read(r, "ready=before\n") && kc_val(r, "pages", &pages))
		t = kc_task(test, r->nr);
	if (t)
		mm = get_task_mm(t);
	if (mm) {
		flt0 = READ_ONCE(t->min_flt) + READ_ONCE(t->maj_flt);
		anon0 = get_mm_counter(mm, MM_ANONPAGES);
		KC_GO(r, 1);
		if (kc_read(r, "ready=after\n")) {
			flt1 = READ_ONCE(t->min_flt) + READ_ONCE(t->maj_flt);
			anon1 = get_mm_counter(mm, MM_ANONPAGES);
		}
		kunit_info(test, "faults %lu -> %lu, anon pages %lu -> %lu\n",
			   flt0, flt1, anon0, anon1);
		/* each first touch is one fault; the read and write calls in
		 * between may fault on their buffers a few times at most
		 */
		KUNIT_EXPECT_GE(test, flt1 - flt0, (unsigned long)pages);
		KUNIT_EXPECT_LE(test, flt1 - flt0, (unsigned long)pages + 8);
		KUNIT_EXPECT_GE(test, anon1 - anon0, (unsigned long)pages);
		mmput(mm);
	}
	if (t)
		put_task_struct(t);
	KC_GO(r, 1);
	st = kc_finish(test, r);
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_EQ(test, pages, 64);
}

/*
 * UML 6.12 restores a user process's FPU state with PTRACE_SETREGSET
 * NT_X86_XSTATE and a buffer of sizeof(struct _xstate); a host whose XSAVE
 * area is larger (AVX-512, AMX) refuses it (xstateregs_set(): count !=
 * fpu_user_cfg.max_size -> -EFAULT), so every user process dies with
 * SIGSEGV on its first return to user space ("userspace - ptrace set fp
 * regs failed, errno = 14"). UML has a fallback for hosts without XSAVE,
 * PTRACE_SETFPREGS with the legacy FXSAVE area, which is the first 512
 * bytes of the same buffer: switch to it. The probes use no AVX state.
 */
static int kclaims_user_suite_init(struct kunit_suite *suite)
{
#if defined(CONFIG_UML) && defined(CONFIG_X86_64)
	int *xstate = (int *)kallsyms_lookup_name("have_xstate_support");

	if (xstate && *xstate) {
		pr_info("kclaims_user: UML user FPU state via PTRACE_SETFPREGS (host XSAVE size)\n");
		*xstate = 0;
	}
#endif
	return 0;
}

static struct kunit_case kclaims_user_cases[] = {
	KUNIT_CASE(fork_shares_the_page_until_the_child_writes),
	KUNIT_CASE(vfork_parent_sleeps_and_shares_the_mm),
	KUNIT_CASE(user_thread_shares_the_mm_and_getpid_is_the_tgid),
	KUNIT_CASE(proc_maps_lists_every_vma_with_the_new_mapping),
	KUNIT_CASE(orphan_goes_to_pid_1_the_child_reaper),
	KUNIT_CASE(orphan_goes_to_the_subreaper),
	KUNIT_CASE(user_read_of_a_kernel_address_is_sigsegv),
	KUNIT_CASE(x86_64_syscall_numbers_called_by_number),
	KUNIT_CASE(page_faults_enter_the_kernel_without_a_syscall),
	{}
};

static struct kunit_suite kclaims_user_suite = {
	.name = "kclaims_user",
	.suite_init = kclaims_user_suite_init,
	.test_cases = kclaims_user_cases,
};
kunit_test_suite(kclaims_user_suite);

MODULE_DESCRIPTION("kclaims: claims a user process shows, checked from KUnit");
MODULE_LICENSE("GPL");

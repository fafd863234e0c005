// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about the process address space (mm_struct,
 * vm_area_struct) and the page cache (address_space, dirty folios, LRU
 * lists, writeback).
 *
 * The test kthread gets an mm and user mappings from kunit_vm_mmap(); file
 * mappings come from shmem_file_setup() and a private ramfs mount. VMA
 * fields are copied under mmap_read_lock() and checked after the unlock:
 * a failed KUNIT_ASSERT would otherwise end the thread with the lock held.
 *
 * Run: kunit.py run --kunitconfig=kunitconfig 'kclaims_vma'
 */
#include <kunit/test.h>
#include <linux/backing-dev.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/shmem_fs.h>
#include <linux/swap.h>
#include <linux/syscalls.h>
#include <linux/workqueue.h>
#include <linux/writeback.h>
#include <linux/xarray.h>

#include "../lib/kclaims.h"

/* Anonymous private user mapping in the test's own mm. */
static unsigned long map_anon(struct kunit *test, int pages,
			      unsigned long prot)
{
	unsigned long addr;

	addr = kclaims_vm_mmap(test, NULL, 0, pages * PAGE_SIZE, prot,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, addr, 0UL);
	KUNIT_ASSERT_LT(test, addr, (unsigned long)TASK_SIZE);
	return addr;
}

static void fput_action(void *file)
{
	fput(file);
}

/* A shmem (tmpfs) file of @pages pages, released at the end of the case. */
static struct file *kc_shmem_file(struct kunit *test, int pages)
{
	struct file *f = shmem_file_setup("kclaims", pages * PAGE_SIZE, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fput_action, f),
			0);
	return f;
}

/* Shared mapping of @pages pages of @f starting at page @pgoff. */
static unsigned long map_file(struct kunit *test, struct file *f, int pages,
			      unsigned long pgoff)
{
	unsigned long addr;

	/* vm_mmap() needs an mm: make sure kunit attached one */
	if (!current->mm)
		map_anon(test, 1, PROT_READ);
	addr = vm_mmap(f, 0, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED, pgoff << PAGE_SHIFT);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(addr), "vm_mmap: %ld",
			       (long)addr);
	return addr;
}

struct vma_snap {
	bool found;
	unsigned long start, end, pgoff, pages;
	vm_flags_t flags;
	struct mm_struct *mm;
	struct file *file;
	const struct vm_operations_struct *ops;
	bool anon;
};

static void snap_vma(struct vm_area_struct *vma, struct vma_snap *s)
{
	memset(s, 0, sizeof(*s));
	if (!vma)
		return;
	s->found = true;
	s->start = vma->vm_start;
	s->end = vma->vm_end;
	s->pgoff = vma->vm_pgoff;
	s->pages = vma_pages(vma);
	s->flags = vma->vm_flags;
	s->mm = vma->vm_mm;
	s->file = vma->vm_file;
	s->ops = vma->vm_ops;
	s->anon = vma_is_anonymous(vma);
}

/* Snapshot of the VMA find_vma() returns for @addr in the current mm. */
static void find_vma_snap(unsigned long addr, struct vma_snap *s)
{
	struct mm_struct *mm = current->mm;

	mmap_read_lock(mm);
	snap_vma(find_vma(mm, addr), s);
	mmap_read_unlock(mm);
}

/*
 * MM-MM-IN-TASK (false): task_struct does not embed the mm_struct; it
 * points to one (NULL for a kernel thread until one is attached), and the
 * mm_struct is a separate object.
 */
static void task_points_to_its_mm_struct(struct kunit *test)
{
	unsigned long t = (unsigned long)current;
	unsigned long m;

	KUNIT_EXPECT_NULL(test, current->mm);
	map_anon(test, 1, PROT_READ);
	KUNIT_ASSERT_NOT_NULL(test, current->mm);
	m = (unsigned long)current->mm;
	KUNIT_EXPECT_TRUE(test, m + sizeof(struct mm_struct) <= t ||
				m >= t + sizeof(struct task_struct));
	KUNIT_EXPECT_PTR_NE(test, virt_to_folio(current->mm),
			    virt_to_folio(current));
}

#define NR_MM_THREADS	8
#define MM_THREAD_TIMEOUT_MS	5000

/* What the threads sharing the test's mm share with the test. */
struct mm_sharers {
	atomic_t started, leaving;
	struct completion all_started, go;
	struct mm_struct *seen[NR_MM_THREADS];
};

/*
 * A thread of the test's address space: created by user_mode_thread(),
 * i.e. clone(CLONE_VM) like any thread of a process, so it is not a
 * kernel thread and its mm is the test's. It must never return (that
 * would enter user mode): it ends with do_exit(), whose exit_mm() drops
 * its mm_users reference. After "leaving" it no longer touches @s.
 */
static int mm_sharer_fn(void *arg)
{
	struct mm_sharers *s = arg;
	int i = atomic_inc_return(&s->started) - 1;

	if (i < NR_MM_THREADS)
		s->seen[i] = current->mm;
	if (i == NR_MM_THREADS - 1)
		complete(&s->all_started);
	wait_for_completion_timeout(&s->go,
				    msecs_to_jiffies(2 * MM_THREAD_TIMEOUT_MS));
	atomic_inc(&s->leaving);
	do_exit(0);
}

/* Poll (bounded) until @v reads @want; returns the last value read. */
static int wait_atomic_eq(atomic_t *v, int want, unsigned int timeout_ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);
	int val;

	while ((val = atomic_read(v)) != want && time_before(jiffies, end))
		usleep_range(1000, 2000);
	return val;
}

/*
 * MM-MM-USERS-COUNT: "9 threads share the address space: mm_users 9,
 * mm_count 1". Eight real threads are cloned into the test's mm (the
 * test is the ninth user): mm_users goes from 1 to 9 while mm_count does
 * not move, because all users together hold one mm_count reference; a
 * get_task_mm() of one thread is one more user; as the threads exit,
 * mm_users falls back to 1. mm_count is 1 as the note says: the test's mm
 * comes from kclaims_vm_mmap(), which drops the extra mm_count reference
 * that 6.12 KUnit's kthread_use_mm() attach would otherwise leak (then it
 * read 2); a running user task's active_mm borrows the users' reference.
 */
static void clone_vm_threads_count_in_mm_users_not_mm_count(struct kunit *test)
{
	int users0, count0, users9, count9, users10, users_end, count_end;
	struct task_struct *t = NULL;
	struct mm_struct *mm, *got = NULL;
	unsigned int i, same = 0;
	struct mm_sharers *s;
	int created, started, left;
	struct pid *pid;
	pid_t nr = 0;

	map_anon(test, 1, PROT_READ);
	mm = current->mm;
	KUNIT_ASSERT_NOT_NULL(test, mm);
	/* not kunit-managed: freed only once no thread can touch it */
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	init_completion(&s->all_started);
	init_completion(&s->go);

	users0 = atomic_read(&mm->mm_users);
	count0 = atomic_read(&mm->mm_count);
	for (i = 0; i < NR_MM_THREADS; i++) {
		pid_t r = user_mode_thread(mm_sharer_fn, s, SIGCHLD);

		if (r < 0)
			break;
		nr = r;
	}
	created = i;
	if (created == NR_MM_THREADS)
		wait_for_completion_timeout(&s->all_started,
					    msecs_to_jiffies(MM_THREAD_TIMEOUT_MS));
	started = atomic_read(&s->started);
	users9 = atomic_read(&mm->mm_users);
	count9 = atomic_read(&mm->mm_count);

	/* the last thread, looked up like /proc or ptrace would */
	pid = find_get_pid(nr);
	if (pid) {
		t = get_pid_task(pid, PIDTYPE_PID);
		put_pid(pid);
	}
	if (t) {
		got = get_task_mm(t);
		put_task_struct(t);
	}
	users10 = atomic_read(&mm->mm_users);
	if (got)
		mmput(got);

	complete_all(&s->go);
	left = wait_atomic_eq(&s->leaving, created, 3 * MM_THREAD_TIMEOUT_MS);
	users_end = wait_atomic_eq(&mm->mm_users, users0, MM_THREAD_TIMEOUT_MS);
	count_end = atomic_read(&mm->mm_count);
	for (i = 0; i < NR_MM_THREADS && i < started; i++)
		same += s->seen[i] == mm;
	/* a thread that did not leave may still touch s: leak it then */
	if (left == created)
		kfree(s);

	kunit_info(test, "users/count: %d/%d alone, %d/%d with %d threads, %d users with get_task_mm(), %d/%d after they exited",
		   users0, count0, users9, count9, started, users10, users_end,
		   count_end);
	KUNIT_ASSERT_EQ(test, created, NR_MM_THREADS);
	KUNIT_ASSERT_EQ(test, started, NR_MM_THREADS);
	KUNIT_EXPECT_EQ(test, left, created);
	KUNIT_EXPECT_EQ(test, same, (unsigned int)NR_MM_THREADS);
	KUNIT_EXPECT_EQ(test, users0, 1);
	KUNIT_EXPECT_EQ(test, users9, 9);
	KUNIT_EXPECT_PTR_EQ(test, got, mm);
	KUNIT_EXPECT_EQ(test, users10, 10);
	KUNIT_EXPECT_EQ(test, users_end, users0);
	/* on other CPUs lazy-TLB users may hold more mm_count references */
	if (num_online_cpus() == 1) {
		KUNIT_EXPECT_EQ(test, count0, 1);
		KUNIT_EXPECT_EQ(test, count9, count0);
		KUNIT_EXPECT_EQ(test, count_end, count0);
	}
}

/*
 * MM-VMA-RANGE, MM-VMA-MM: vm_start is the first address of the area,
 * vm_end the first address after it ([start, end)); vm_mm is the owning
 * address space; areas cannot overlap (MAP_FIXED_NOREPLACE is refused).
 */
static void vma_covers_start_up_to_but_excluding_end(struct kunit *test)
{
	unsigned long addr = map_anon(test, 3, PROT_READ | PROT_WRITE);
	struct vma_snap s, last, after;
	unsigned long ret;

	find_vma_snap(addr, &s);
	KUNIT_ASSERT_TRUE(test, s.found);
	KUNIT_EXPECT_EQ(test, s.start, addr);
	KUNIT_EXPECT_EQ(test, s.end, addr + 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s.pages, 3UL);
	KUNIT_EXPECT_PTR_EQ(test, s.mm, current->mm);

	find_vma_snap(s.end - 1, &last);
	KUNIT_EXPECT_EQ(test, last.start, s.start);
	/* vm_end itself is outside: find_vma() moves on to another area */
	find_vma_snap(s.end, &after);
	KUNIT_EXPECT_TRUE(test, !after.found || after.start >= s.end);

	ret = vm_mmap(NULL, addr + PAGE_SIZE, PAGE_SIZE, PROT_READ,
		      MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED_NOREPLACE, 0);
	KUNIT_EXPECT_EQ(test, (long)ret, (long)-EEXIST);
}

/*
 * MM-VMA-LIST, MM-MMSTRUCT-FIELDS (outdated): since 6.1 VMAs are not kept
 * on an mmap/vm_next list plus an mm_rb tree but in the maple tree
 * mm->mm_mt; for_each_vma() walks it in address order, mm->map_count
 * counts its entries, find_vma()/vma_lookup() query it.
 */
static void vmas_live_in_the_maple_tree(struct kunit *test)
{
	unsigned long a, b, c, hole, prev_end = 0;
	struct vm_area_struct *vma, *va, *vb, *vc, *vhole_find, *vhole_lookup;
	void *mt_a, *mt_b, *mt_c;
	int count = 0, map_count, seen = 0;
	bool ordered = true;
	struct mm_struct *mm;

	/* different protections, so the areas cannot merge */
	a = map_anon(test, 2, PROT_READ | PROT_WRITE);
	b = map_anon(test, 2, PROT_READ);
	c = map_anon(test, 3, PROT_READ | PROT_WRITE);
	/* punch a hole in the middle of c: it splits into two areas */
	hole = c + PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, vm_munmap(hole, PAGE_SIZE), 0);
	mm = current->mm;

	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (vma->vm_start < prev_end)
				ordered = false;
			prev_end = vma->vm_end;
			if (vma->vm_start == a || vma->vm_start == b ||
			    vma->vm_start == c || vma->vm_start == hole + PAGE_SIZE)
				seen++;
			count++;
		}
	}
	map_count = mm->map_count;
	va = find_vma(mm, a);
	vb = find_vma(mm, b);
	vc = find_vma(mm, c);
	mt_a = mtree_load(&mm->mm_mt, a);
	mt_b = mtree_load(&mm->mm_mt, b);
	mt_c = mtree_load(&mm->mm_mt, c);
	vhole_lookup = vma_lookup(mm, hole);
	vhole_find = find_vma(mm, hole);
	mmap_read_unlock(mm);

	KUNIT_EXPECT_TRUE(test, ordered);
	KUNIT_EXPECT_EQ(test, seen, 4);
	KUNIT_EXPECT_EQ(test, count, map_count);
	KUNIT_EXPECT_PTR_EQ(test, mt_a, (void *)va);
	KUNIT_EXPECT_PTR_EQ(test, mt_b, (void *)vb);
	KUNIT_EXPECT_PTR_EQ(test, mt_c, (void *)vc);
	KUNIT_EXPECT_PTR_NE(test, va, vb);
	/* a hole is in no area; find_vma() returns the next one above it */
	KUNIT_EXPECT_NULL(test, vhole_lookup);
	KUNIT_ASSERT_NOT_NULL(test, vhole_find);
	KUNIT_EXPECT_PTR_NE(test, vhole_find, vc);
}

/*
 * MM-VMA-FLAGS: vm_flags carry the read/write/execute permissions of the
 * mapping (VM_READ/VM_WRITE/VM_EXEC follow PROT_*).
 */
static void vm_flags_follow_the_mapping_protection(struct kunit *test)
{
	unsigned long r = map_anon(test, 1, PROT_READ);
	unsigned long rw = map_anon(test, 1, PROT_READ | PROT_WRITE);
	unsigned long rx = map_anon(test, 1, PROT_READ | PROT_EXEC);
	unsigned long none = map_anon(test, 1, PROT_NONE);
	struct vma_snap s;

	find_vma_snap(r, &s);
	KUNIT_EXPECT_TRUE(test, s.flags & VM_READ);
	KUNIT_EXPECT_FALSE(test, s.flags & VM_WRITE);
	KUNIT_EXPECT_FALSE(test, s.flags & VM_EXEC);

	find_vma_snap(rw, &s);
	KUNIT_EXPECT_TRUE(test, s.flags & VM_READ);
	KUNIT_EXPECT_TRUE(test, s.flags & VM_WRITE);
	KUNIT_EXPECT_FALSE(test, s.flags & VM_EXEC);

	find_vma_snap(rx, &s);
	KUNIT_EXPECT_TRUE(test, s.flags & VM_EXEC);
	KUNIT_EXPECT_FALSE(test, s.flags & VM_WRITE);

	find_vma_snap(none, &s);
	KUNIT_EXPECT_EQ(test, s.start, none);
	KUNIT_EXPECT_FALSE(test, s.flags & (VM_READ | VM_WRITE | VM_EXEC));
}

/*
 * MM-VMA-PGOFF: vm_pgoff is the offset into the mapped file in pages (a
 * mapping at byte offset 2 * PAGE_SIZE has vm_pgoff 2), vm_file the file.
 */
static void vm_pgoff_is_the_file_offset_in_pages(struct kunit *test)
{
	struct file *f = kc_shmem_file(test, 4);
	unsigned long addr = map_file(test, f, 1, 2);
	struct vma_snap s;

	find_vma_snap(addr, &s);
	KUNIT_ASSERT_TRUE(test, s.found);
	KUNIT_EXPECT_EQ(test, s.start, addr);
	KUNIT_EXPECT_EQ(test, s.pgoff, 2UL);
	KUNIT_EXPECT_PTR_EQ(test, s.file, f);
}

/*
 * MM-VMA-OPS: vm_ops is the table of operations the kernel calls on the
 * area (e.g. ->fault for a file mapping); a private anonymous area has
 * none.
 */
static void vm_ops_set_for_file_mappings_not_anonymous(struct kunit *test)
{
	unsigned long anon = map_anon(test, 1, PROT_READ | PROT_WRITE);
	struct file *f = kc_shmem_file(test, 1);
	unsigned long mapped = map_file(test, f, 1, 0);
	struct vma_snap s;

	find_vma_snap(anon, &s);
	KUNIT_EXPECT_TRUE(test, s.anon);
	KUNIT_EXPECT_NULL(test, s.ops);

	find_vma_snap(mapped, &s);
	KUNIT_EXPECT_FALSE(test, s.anon);
	KUNIT_ASSERT_NOT_NULL(test, s.ops);
	KUNIT_EXPECT_NOT_NULL(test, s.ops->fault);
}

struct ramfs_file {
	struct vfsmount *mnt;
	struct file *f;
};

static void ramfs_file_release(void *data)
{
	struct ramfs_file *rf = data;

	fput(rf->f);
	kern_unmount(rf->mnt);
}

/* A file on a private ramfs mount (its ->read_folio fills holes). */
static struct file *ramfs_file(struct kunit *test)
{
	struct file_system_type *type = get_fs_type("ramfs");
	struct ramfs_file *rf;

	if (!type)
		kunit_skip(test, "no ramfs");
	rf = kunit_kzalloc(test, sizeof(*rf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rf);
	rf->mnt = vfs_kern_mount(type, 0, "ramfs", NULL);
	put_filesystem(type);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rf->mnt));
	rf->f = file_open_root_mnt(rf->mnt, "kclaims", O_CREAT | O_RDWR, 0600);
	if (IS_ERR(rf->f)) {
		kern_unmount(rf->mnt);
		KUNIT_FAIL(test, "cannot create a ramfs file: %ld",
			   PTR_ERR(rf->f));
		return NULL;
	}
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, ramfs_file_release, rf),
			0);
	return rf->f;
}

/* Is page @index of @f in the page cache (and uptodate)? */
static bool cached(struct file *f, pgoff_t index, bool *uptodate)
{
	struct folio *folio = filemap_get_folio(f->f_mapping, index);

	if (IS_ERR(folio))
		return false;
	if (uptodate)
		*uptodate = folio_test_uptodate(folio);
	folio_put(folio);
	return true;
}

/*
 * MM-PAGECACHE-READ: read() looks in the page cache first; on a miss the
 * page is read from the backing store (here ramfs' zero-filling
 * ->read_folio) and inserted into the cache, where the next read finds it.
 */
static void read_miss_fills_the_page_cache(struct kunit *test)
{
	struct file *f = ramfs_file(test);
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	unsigned long nr_before, nr_after;
	bool uptodate = false;
	loff_t pos;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* write page 1 only: page 0 is a hole, not cached */
	memset(buf, 0x42, PAGE_SIZE);
	pos = PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, kernel_write(f, buf, PAGE_SIZE, &pos),
			(ssize_t)PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, cached(f, 1, NULL));
	KUNIT_ASSERT_FALSE(test, cached(f, 0, NULL));
	nr_before = f->f_mapping->nrpages;

	pos = 0;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, 16, &pos), (ssize_t)16);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, 16));
	KUNIT_EXPECT_TRUE(test, cached(f, 0, &uptodate));
	KUNIT_EXPECT_TRUE(test, uptodate);
	nr_after = f->f_mapping->nrpages;
	KUNIT_EXPECT_EQ(test, nr_after, nr_before + 1);

	/* a second read is a hit: nothing new enters the cache */
	pos = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, 16, &pos), (ssize_t)16);
	KUNIT_EXPECT_EQ(test, buf[0], 0x42);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, nr_after);
}

/*
 * MM-PAGECACHE-DIRTY: a write goes into the cached folio at once and marks
 * it dirty; writing it back is left for later.
 */
static void write_dirties_the_cached_folio(struct kunit *test)
{
	struct file *f = ramfs_file(test);
	char *buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct folio *folio;
	bool dirty, uptodate;
	u8 *data;
	loff_t pos = 0;
	int first;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_FALSE(test, cached(f, 0, NULL));
	memset(buf, 0x6b, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, kernel_write(f, buf, PAGE_SIZE, &pos),
			(ssize_t)PAGE_SIZE);

	folio = filemap_get_folio(f->f_mapping, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(folio));
	dirty = folio_test_dirty(folio);
	uptodate = folio_test_uptodate(folio);
	data = kmap_local_folio(folio, 0);
	first = data[0];
	kunmap_local(data);
	folio_put(folio);

	KUNIT_EXPECT_TRUE(test, dirty);
	KUNIT_EXPECT_TRUE(test, uptodate);
	KUNIT_EXPECT_EQ(test, first, 0x6b);
}

/*
 * MM-ADDRSPACE-RADIX (outdated): address_space->page_tree (a radix tree)
 * became i_pages in 4.17 and an XArray in 4.20: xa_load() on it finds the
 * cached folio of an index, NULL for an uncached one.
 */
static void page_cache_index_is_an_xarray(struct kunit *test)
{
	struct file *f = ramfs_file(test);
	char *buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct folio *folio;
	void *entry0, *entry3;
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kernel_write(f, buf, 64, &pos), (ssize_t)64);
	folio = filemap_get_folio(f->f_mapping, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(folio));
	entry0 = xa_load(&f->f_mapping->i_pages, 0);
	entry3 = xa_load(&f->f_mapping->i_pages, 3);
	folio_put(folio);

	KUNIT_EXPECT_PTR_EQ(test, entry0, (void *)folio);
	KUNIT_EXPECT_NULL(test, entry3);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 1UL);
}

/*
 * MM-ADDRSPACE-INODE: one address_space per file (inode->i_mapping ==
 * &inode->i_data), which tracks every VMA that maps the file in its i_mmap
 * tree: none before mmap, two after mapping it twice.
 */
static void address_space_tracks_the_vmas_mapping_it(struct kunit *test)
{
	struct file *f = kc_shmem_file(test, 2);
	struct address_space *mapping = f->f_mapping;
	struct inode *inode = file_inode(f);
	unsigned long m1, m2;
	struct rb_node *node;
	bool mapped_before;
	int nr = 0, ours = 0;

	KUNIT_EXPECT_PTR_EQ(test, inode->i_mapping, mapping);
	KUNIT_EXPECT_PTR_EQ(test, mapping, &inode->i_data);
	KUNIT_EXPECT_PTR_EQ(test, mapping->host, inode);
	mapped_before = mapping_mapped(mapping);

	m1 = map_file(test, f, 1, 0);
	m2 = map_file(test, f, 2, 0);

	i_mmap_lock_read(mapping);
	for (node = rb_first_cached(&mapping->i_mmap); node;
	     node = rb_next(node)) {
		struct vm_area_struct *vma =
			rb_entry(node, struct vm_area_struct, shared.rb);

		nr++;
		if (vma->vm_file == f &&
		    (vma->vm_start == m1 || vma->vm_start == m2))
			ours++;
	}
	i_mmap_unlock_read(mapping);

	KUNIT_EXPECT_FALSE(test, mapped_before);
	KUNIT_EXPECT_TRUE(test, mapping_mapped(mapping));
	KUNIT_EXPECT_EQ(test, nr, 2);
	KUNIT_EXPECT_EQ(test, ours, 2);

	KUNIT_ASSERT_EQ(test, vm_munmap(m1, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(m2, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, mapping_mapped(mapping));
}

/*
 * MM-LRU-TWOLIST, MM-LRU-TIMESTAMP (false): reclaim keeps active and
 * inactive lists and promotes by access count, not by time stamps: one
 * access only sets PG_referenced, a second one moves the folio to the
 * active list. (The multi-gen LRU, when enabled, replaces this.)
 */
static void second_access_moves_folio_to_active_list(struct kunit *test)
{
	struct file *f = kc_shmem_file(test, 1);
	bool ref0, act0, ref1, act1, ref2, act2, lru;
	struct folio *folio;

	if (lru_gen_enabled())
		kunit_skip(test, "multi-gen LRU is enabled: no active/inactive lists");
	/* a tmpfs folio: evictable, unlike ramfs ones */
	folio = shmem_read_folio(f->f_mapping, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(folio));

	lru_add_drain_all();		/* put it on its LRU list */
	lru = folio_test_lru(folio);
	ref0 = folio_test_referenced(folio);
	act0 = folio_test_active(folio);
	if (!ref0) {
		folio_mark_accessed(folio);
		lru_add_drain_all();
	}
	ref1 = folio_test_referenced(folio);
	act1 = folio_test_active(folio);
	folio_mark_accessed(folio);
	lru_add_drain_all();
	ref2 = folio_test_referenced(folio);
	act2 = folio_test_active(folio);
	folio_put(folio);

	kunit_info(test, "lru %d; ref/active: %d/%d -> %d/%d -> %d/%d\n", lru,
		   ref0, act0, ref1, act1, ref2, act2);
	KUNIT_EXPECT_TRUE(test, lru);
	KUNIT_EXPECT_FALSE(test, act0);
	KUNIT_EXPECT_TRUE(test, ref1);	/* first access: referenced only */
	KUNIT_EXPECT_FALSE(test, act1);
	KUNIT_EXPECT_TRUE(test, act2);	/* second access: active */
	KUNIT_EXPECT_FALSE(test, ref2);
}

struct wb_probe {
	struct work_struct work;
	bool is_worker;
	char comm[TASK_COMM_LEN];
};

static void wb_probe_fn(struct work_struct *w)
{
	struct wb_probe *p = container_of(w, struct wb_probe, work);

	p->is_worker = current->flags & PF_WQ_WORKER;
	get_task_comm(p->comm, current);
}

/*
 * MM-FLUSH-THREAD (outdated): there is no dedicated flush thread any more
 * (pdflush until 2.6.31, per-BDI flusher threads until 3.10): writeback is
 * work on the unbound "writeback" workqueue bdi_wq, run by kworkers.
 */
static void writeback_work_runs_on_kworkers(struct kunit *test)
{
	struct wb_probe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, bdi_wq);
	INIT_WORK(&p->work, wb_probe_fn);
	KUNIT_ASSERT_TRUE(test, queue_work(bdi_wq, &p->work));
	flush_work(&p->work);

	kunit_info(test, "bdi_wq work ran in %s\n", p->comm);
	KUNIT_EXPECT_TRUE(test, p->is_worker);
	/* unbound workqueue: kworker/uN:M */
	KUNIT_EXPECT_TRUE(test, str_has_prefix(p->comm, "kworker/u"));
}

#define WB_TAKE_BLOCKS	16

/*
 * MM-FLUSH-TRIGGERS ("flush when free memory falls below a threshold"):
 * the flush thresholds are fractions of *dirtyable* memory, which is free
 * memory (less the kernel's reserve) plus the file cache:
 * dirty_background_ratio (10%) of it starts background writeback,
 * vm_dirty_ratio (20%) throttles writers. So free memory does move the
 * trigger: taking WB_TAKE_BLOCKS order-MAX_PAGE_ORDER blocks (64 MiB)
 * lowers both thresholds by 10% and 20% of what was taken, and giving
 * them back restores them. (With vm.dirty_bytes/dirty_background_bytes
 * set instead of the ratios the thresholds would be fixed; they are not,
 * by default.)
 */
static void writeback_thresholds_follow_free_memory(struct kunit *test)
{
	unsigned long bg0, th0, bg1, th1, bg2, th2, taken, dbg, dth;
	struct page *blocks[WB_TAKE_BLOCKS];
	unsigned int n;

	global_dirty_limits(&bg0, &th0);
	for (n = 0; n < WB_TAKE_BLOCKS; n++) {
		/* no reclaim: free memory only shrinks by what is taken */
		blocks[n] = alloc_pages(__GFP_MOVABLE | __GFP_NOWARN,
					MAX_PAGE_ORDER);
		if (!blocks[n])
			break;
	}
	global_dirty_limits(&bg1, &th1);
	while (n)
		__free_pages(blocks[--n], MAX_PAGE_ORDER);
	global_dirty_limits(&bg2, &th2);
	taken = (unsigned long)WB_TAKE_BLOCKS << MAX_PAGE_ORDER;
	dbg = bg0 > bg1 ? bg0 - bg1 : 0;
	dth = th0 > th1 ? th0 - th1 : 0;

	kunit_info(test, "background/dirty thresholds %lu/%lu pages, %lu/%lu with %lu pages taken, %lu/%lu after\n",
		   bg0, th0, bg1, th1, taken, bg2, th2);
	KUNIT_ASSERT_GT(test, bg0, 0UL);
	KUNIT_EXPECT_GE(test, th0 * 100, bg0 * 199);
	KUNIT_EXPECT_LE(test, th0 * 100, bg0 * 201);
	/* 10% and 20% of the pages taken, give or take 10% for churn */
	KUNIT_EXPECT_GE(test, dbg * 100, taken * 9);
	KUNIT_EXPECT_LE(test, dbg * 100, taken * 11);
	KUNIT_EXPECT_GE(test, dth * 100, taken * 18);
	KUNIT_EXPECT_LE(test, dth * 100, taken * 22);
	KUNIT_EXPECT_LE(test, abs_diff(bg2, bg0) * 100, taken);
}

#define WB_FILES	3
#define WB_SYNC_PAGES	128
#define WB_WAIT_MS	5000

/* What ->writepages saw, per file (the inode's i_private). */
struct wb_rec {
	struct completion written;
	unsigned int calls;
	unsigned long pages;
	bool by_kworker, for_kupdate, for_background, for_sync;
	enum writeback_sync_modes sync_mode;
};

/*
 * A private ramfs mount given a writeback-capable backing_dev_info of its
 * own (super_setup_bdi(), as network and FUSE filesystems do) and files
 * whose page cache really takes part in writeback: their folios are
 * dirtied with accounting (filemap_dirty_folio instead of ramfs' no-op)
 * and ->writepages "writes" them at once (start and end writeback).
 */
struct wb_fs {
	struct vfsmount *mnt;
	struct file *f[WB_FILES];
	struct wb_rec rec[WB_FILES];
};

static struct address_space_operations wb_test_aops;

static int wb_test_writepages(struct address_space *mapping,
			      struct writeback_control *wbc)
{
	struct wb_rec *r = mapping->host->i_private;
	struct folio *folio = NULL;
	unsigned long pages = 0;
	int err = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &err))) {
		folio_start_writeback(folio);
		folio_unlock(folio);
		folio_end_writeback(folio);
		pages += folio_nr_pages(folio);
	}
	if (r && pages) {
		r->by_kworker = current->flags & PF_WQ_WORKER;
		r->for_kupdate = wbc->for_kupdate;
		r->for_background = wbc->for_background;
		r->for_sync = wbc->for_sync;
		r->sync_mode = wbc->sync_mode;
		r->pages += pages;
		r->calls++;
		complete(&r->written);
	}
	return err;
}

static void wb_fs_release(void *data)
{
	struct wb_fs *w = data;
	int i;

	for (i = 0; i < WB_FILES; i++) {
		struct inode *inode;

		if (!w->f[i])
			continue;
		inode = file_inode(w->f[i]);
		filemap_write_and_wait(inode->i_mapping);
		/* the unmount may still write it back: not into freed memory */
		inode->i_private = NULL;
	}
	/* and a flusher pass that read i_private before is over */
	flush_delayed_work(&w->mnt->mnt_sb->s_bdi->wb.dwork);
	for (i = 0; i < WB_FILES; i++)
		if (w->f[i])
			fput(w->f[i]);
	kern_unmount(w->mnt);
}

static struct wb_fs *wb_fs_setup(struct kunit *test)
{
	struct file_system_type *type = get_fs_type("ramfs");
	struct wb_fs *w;
	int i, ret;

	if (!type)
		kunit_skip(test, "no ramfs");
	wb_test_aops = ram_aops;
	wb_test_aops.dirty_folio = filemap_dirty_folio;
	wb_test_aops.writepages = wb_test_writepages;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->mnt = vfs_kern_mount(type, 0, "ramfs", NULL);
	put_filesystem(type);
	KUNIT_ASSERT_FALSE(test, IS_ERR(w->mnt));
	ret = super_setup_bdi(w->mnt->mnt_sb);
	if (ret) {
		kern_unmount(w->mnt);
		KUNIT_FAIL(test, "super_setup_bdi: %d", ret);
		return NULL;
	}
	/*
	 * A new bdi has no share of the dirty thresholds until it completed
	 * some writeback, so the flusher would count any dirty page of it as
	 * "over the background threshold". Give it half, as a bdi with a
	 * writeback history would have.
	 */
	ret = bdi_set_min_ratio(w->mnt->mnt_sb->s_bdi, 50);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wb_fs_release, w),
			0);
	KUNIT_ASSERT_EQ(test, ret, 0);
	for (i = 0; i < WB_FILES; i++) {
		char name[16];
		struct inode *inode;
		struct file *f;

		snprintf(name, sizeof(name), "wb%d", i);
		f = file_open_root_mnt(w->mnt, name, O_CREAT | O_RDWR, 0600);
		KUNIT_ASSERT_FALSE(test, IS_ERR(f));
		w->f[i] = f;
		init_completion(&w->rec[i].written);
		inode = file_inode(f);
		inode->i_mapping->a_ops = &wb_test_aops;
		inode->i_private = &w->rec[i];
		/* only hashed inodes go on the writeback lists */
		inode_fake_hash(inode);
	}
	return w;
}

/* Write @pages pages at the start of @f: the folios become dirty. */
static void wb_write(struct kunit *test, struct file *f, unsigned int pages)
{
	size_t len = (size_t)pages * PAGE_SIZE;
	char *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0x5d, len);
	KUNIT_ASSERT_EQ(test, kernel_write(f, buf, len, &pos), (ssize_t)len);
	KUNIT_ASSERT_TRUE(test, mapping_tagged(f->f_mapping,
					       PAGECACHE_TAG_DIRTY));
	kunit_kfree(test, buf);
}

/*
 * MM-FLUSH-TRIGGERS ("flush when dirty data is older than a limit, and on
 * sync()/fsync()"), exercised on a filesystem whose pages really go
 * through writeback (struct wb_fs):
 *  - sync() makes the flusher threads (kworkers of the writeback
 *    workqueue) write the dirty file before it returns;
 *  - the flusher's periodic pass (every dirty_writeback_interval, 5 s)
 *    writes an inode dirtied more than dirty_expire_interval (30 s) ago
 *    and leaves one dirtied just now. Instead of waiting 30 s, the case
 *    dates the old inode's dirtied_when back and the flusher's last
 *    periodic pass (last_old_flush) too, then runs the flusher's work at
 *    once; which inode is old enough is the kernel's own decision.
 */
static void flusher_writes_back_expired_inodes_and_on_sync(struct kunit *test)
{
	struct inode *synced, *old, *young;
	struct bdi_writeback *wb;
	unsigned long waited;
	struct wb_fs *w;

	if (!dirty_writeback_interval)
		kunit_skip(test, "periodic writeback disabled (dirty_writeback_centisecs 0)");
	w = wb_fs_setup(test);
	KUNIT_ASSERT_NOT_NULL(test, w);
	synced = file_inode(w->f[0]);
	old = file_inode(w->f[1]);
	young = file_inode(w->f[2]);
	wb = &w->mnt->mnt_sb->s_bdi->wb;

	/* sync() */
	wb_write(test, w->f[0], WB_SYNC_PAGES);
	ksys_sync();
	KUNIT_EXPECT_FALSE(test, mapping_tagged(synced->i_mapping,
						PAGECACHE_TAG_DIRTY));
	KUNIT_EXPECT_EQ(test, w->rec[0].pages, (unsigned long)WB_SYNC_PAGES);
	KUNIT_EXPECT_TRUE(test, w->rec[0].by_kworker);
	/*
	 * sync() also queued an asynchronous "write everything" pass
	 * (WB_start_all) that may not have run yet on a loaded host: let it
	 * finish now, or it would write the young inode below too.
	 */
	flush_delayed_work(&wb->dwork);

	/* age: one inode expired, one fresh */
	wb_write(test, w->f[1], 1);
	spin_lock(&wb->list_lock);
	spin_lock(&old->i_lock);
	old->dirtied_when = jiffies -
		msecs_to_jiffies(dirty_expire_interval * 10 + MSEC_PER_SEC);
	spin_unlock(&old->i_lock);
	spin_unlock(&wb->list_lock);
	wb_write(test, w->f[2], 1);
	KUNIT_EXPECT_EQ(test, w->rec[1].calls + w->rec[2].calls, 0U);

	wb->last_old_flush = jiffies -
		msecs_to_jiffies(dirty_writeback_interval * 10) - 1;
	mod_delayed_work(bdi_wq, &wb->dwork, 0);
	waited = wait_for_completion_timeout(&w->rec[1].written,
					     msecs_to_jiffies(WB_WAIT_MS));
	/* let that flusher pass finish before looking at the young inode */
	flush_delayed_work(&wb->dwork);

	kunit_info(test, "sync: %lu pages by %s; old inode: %lu page(s), kupdate %d background %d; young inode: %lu page(s)\n",
		   w->rec[0].pages, w->rec[0].by_kworker ? "a kworker" : "the caller",
		   w->rec[1].pages, w->rec[1].for_kupdate,
		   w->rec[1].for_background, w->rec[2].pages);
	KUNIT_EXPECT_GT(test, waited, 0UL);
	KUNIT_EXPECT_EQ(test, w->rec[1].pages, 1UL);
	KUNIT_EXPECT_TRUE(test, w->rec[1].by_kworker);
	KUNIT_EXPECT_TRUE(test, w->rec[1].for_kupdate);
	KUNIT_EXPECT_FALSE(test, mapping_tagged(old->i_mapping,
						PAGECACHE_TAG_DIRTY));
	KUNIT_EXPECT_EQ(test, w->rec[2].pages, 0UL);
	KUNIT_EXPECT_TRUE(test, mapping_tagged(young->i_mapping,
					       PAGECACHE_TAG_DIRTY));
}

static struct kunit_case kclaims_vma_cases[] = {
	KUNIT_CASE(task_points_to_its_mm_struct),
	KUNIT_CASE(clone_vm_threads_count_in_mm_users_not_mm_count),
	KUNIT_CASE(vma_covers_start_up_to_but_excluding_end),
	KUNIT_CASE(vmas_live_in_the_maple_tree),
	KUNIT_CASE(vm_flags_follow_the_mapping_protection),
	KUNIT_CASE(vm_pgoff_is_the_file_offset_in_pages),
	KUNIT_CASE(vm_ops_set_for_file_mappings_not_anonymous),
	KUNIT_CASE(read_miss_fills_the_page_cache),
	KUNIT_CASE(write_dirties_the_cached_folio),
	KUNIT_CASE(page_cache_index_is_an_xarray),
	KUNIT_CASE(address_space_tracks_the_vmas_mapping_it),
	KUNIT_CASE(second_access_moves_folio_to_active_list),
	KUNIT_CASE(writeback_work_runs_on_kworkers),
	KUNIT_CASE(writeback_thresholds_follow_free_memory),
	KUNIT_CASE(flusher_writes_back_expired_inodes_and_on_sync),
	{}
};

static struct kunit_suite kclaims_vma_suite = {
	.name = "kclaims_vma",
	.test_cases = kclaims_vma_cases,
};
kunit_test_suite(kclaims_vma_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("kclaims: mm_struct, VMA and page cache claims of the notes");
MODULE_LICENSE("GPL");

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
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/swap.h>
#include <linux/workqueue.h>
#include <linux/writeback.h>
#include <linux/xarray.h>

/* Anonymous private user mapping in the test's own mm. */
static unsigned long map_anon(struct kunit *test, int pages,
			      unsigned long prot)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, pages * PAGE_SIZE, prot,
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

/*
 * MM-MM-USERS-COUNT: mm_users counts the users of the address space
 * (threads sharing it: mmget/mmput), mm_count the references to the struct
 * (mmgrab/mmdrop), all users together holding one. "9 threads -> users 9,
 * count 1" holds only while nobody else grabbed it: a kthread that adopts
 * an mm (kthread_use_mm) holds an extra mm_count reference as active_mm.
 */
static void mm_users_count_users_mm_count_counts_refs(struct kunit *test)
{
	struct mm_struct *mm;
	int i;

	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_users), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), 1);

	for (i = 0; i < 8; i++)		/* eight more "threads" */
		mmget(mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_users), 9);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), 1);

	mmgrab(mm);			/* a lazy/kernel reference */
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_users), 9);

	for (i = 0; i < 8; i++)
		mmput(mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_users), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), 2);
	mmdrop(mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_count), 1);
	mmput(mm);			/* last user: frees the mm */

	/* the test's own mm: one user, plus the active_mm reference */
	map_anon(test, 1, PROT_READ);
	KUNIT_EXPECT_EQ(test, atomic_read(&current->mm->mm_users), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&current->mm->mm_count), 2);
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

/*
 * MM-FLUSH-TRIGGERS: writeback starts when dirty data ages past
 * dirty_expire_interval (30 s) -- checked every dirty_writeback_interval
 * (5 s) -- or when *dirty* memory passes the background threshold
 * (dirty_background_ratio 10%, throttling at vm_dirty_ratio 20%), not when
 * free memory runs low.
 */
static void writeback_thresholds_are_dirty_ratios_and_ages(struct kunit *test)
{
	unsigned long bg = 0, dirty = 0;

	KUNIT_EXPECT_EQ(test, dirty_expire_interval, 3000U);
	KUNIT_EXPECT_EQ(test, dirty_writeback_interval, 500U);

	global_dirty_limits(&bg, &dirty);
	kunit_info(test, "background %lu pages, dirty %lu pages, RAM %lu\n",
		   bg, dirty, totalram_pages());
	KUNIT_ASSERT_GT(test, bg, 0UL);
	/* 20% vs 10% of the same dirtyable memory */
	KUNIT_EXPECT_GE(test, dirty * 100, bg * 199);
	KUNIT_EXPECT_LE(test, dirty * 100, bg * 201);
	KUNIT_EXPECT_LE(test, dirty, totalram_pages() / 5);
}

static struct kunit_case kclaims_vma_cases[] = {
	KUNIT_CASE(task_points_to_its_mm_struct),
	KUNIT_CASE(mm_users_count_users_mm_count_counts_refs),
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
	KUNIT_CASE(writeback_thresholds_are_dirty_ratios_and_ages),
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

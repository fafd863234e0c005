// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' claims about the VFS objects (super_block, inode,
 * dentry, file), several open files on one inode, the files_struct fd table
 * and the page cache of a tmpfs (shmem) file, checked on files the kernel
 * really opens: a private ramfs mount and shmem_file_setup().
 */
#include <kunit/test.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init_task.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/ramfs.h>
#include <linux/sched.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include <linux/magic.h>

#include "kclaims.h"

#define KC_NAME "kclaims-vfs"

struct kc_mnt {
	struct vfsmount *mnt;
	struct file *f[2];
};

static void kc_mnt_release(void *data)
{
	struct kc_mnt *m = data;

	if (m->f[1])
		fput(m->f[1]);
	if (m->f[0])
		fput(m->f[0]);
	kern_unmount(m->mnt);
}

/* A private ramfs mount with one file KC_NAME, opened @n (1 or 2) times. */
static struct kc_mnt *kc_ramfs_open(struct kunit *test, int n)
{
	struct file_system_type *type = get_fs_type("ramfs");
	struct kc_mnt *m;
	int i;

	if (!type)
		kunit_skip(test, "no ramfs in this kernel");
	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->mnt = vfs_kern_mount(type, 0, "ramfs", NULL);
	put_filesystem(type);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m->mnt));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_mnt_release, m),
			0);
	for (i = 0; i < n; i++) {
		struct file *f = file_open_root_mnt(m->mnt, KC_NAME,
						    O_CREAT | O_RDWR, 0600);

		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(f), "open %d: %ld", i,
				       PTR_ERR(f));
		m->f[i] = f;
	}
	return m;
}

/*
 * MISC-VFS-OBJECTS: opening a file by name gives the four VFS objects,
 * linked as the notes draw them: the file points at the dentry the lookup
 * found (named KC_NAME, child of the mount's root), the dentry at its inode,
 * inode and dentry at the one super_block of the mount. Each object carries
 * the operation table its filesystem set: the file the inode's i_fop
 * (ramfs_file_operations), the dentry simple_dentry_operations (set by
 * simple_lookup, ramfs has no s_d_op), the super_block ramfs' super
 * operations, whose ->statfs answers vfs_statfs() with RAMFS_MAGIC.
 */
static void open_file_links_file_dentry_inode_super_block(struct kunit *test)
{
	struct kc_mnt *m = kc_ramfs_open(test, 1);
	struct file *f = m->f[0];
	struct dentry *dentry = f->f_path.dentry;
	struct inode *inode = d_inode(dentry);
	struct super_block *sb = m->mnt->mnt_sb;
	struct kstatfs st = {};

	KUNIT_ASSERT_NOT_NULL(test, inode);
	KUNIT_EXPECT_PTR_EQ(test, file_inode(f), inode);
	KUNIT_EXPECT_PTR_EQ(test, f->f_path.mnt, m->mnt);
	KUNIT_EXPECT_STREQ(test, (const char *)dentry->d_name.name, KC_NAME);
	KUNIT_EXPECT_PTR_EQ(test, dentry->d_parent, sb->s_root);
	KUNIT_EXPECT_PTR_EQ(test, dentry->d_sb, sb);
	KUNIT_EXPECT_PTR_EQ(test, inode->i_sb, sb);
	KUNIT_EXPECT_STREQ(test, sb->s_type->name, "ramfs");
	KUNIT_EXPECT_TRUE(test, S_ISREG(inode->i_mode));

	/* the operation tables */
	KUNIT_EXPECT_PTR_EQ(test, f->f_op, &ramfs_file_operations);
	KUNIT_EXPECT_PTR_EQ(test, f->f_op, inode->i_fop);
	KUNIT_EXPECT_NOT_NULL(test, inode->i_op);
	KUNIT_EXPECT_PTR_EQ(test, dentry->d_op, &simple_dentry_operations);
	KUNIT_ASSERT_NOT_NULL(test, sb->s_op);
	KUNIT_EXPECT_NOT_NULL(test, sb->s_op->statfs);
	KUNIT_EXPECT_EQ(test, vfs_statfs(&f->f_path, &st), 0);
	KUNIT_EXPECT_EQ(test, st.f_type, (long)RAMFS_MAGIC);
}

/*
 * MISC-VFS-MULTI-FILE: two opens of one name are two struct files (each
 * with its own f_pos and reference count) on one dentry, one inode and one
 * page cache: what the first writes, the second reads from its own offset 0.
 */
static void two_opens_share_the_inode_but_not_the_file(struct kunit *test)
{
	struct kc_mnt *m = kc_ramfs_open(test, 2);
	struct file *a = m->f[0], *b = m->f[1];
	char buf[8] = {};

	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_EXPECT_PTR_EQ(test, a->f_path.dentry, b->f_path.dentry);
	KUNIT_EXPECT_PTR_EQ(test, file_inode(a), file_inode(b));
	KUNIT_EXPECT_PTR_EQ(test, a->f_mapping, b->f_mapping);
	KUNIT_EXPECT_EQ(test, file_count(a), 1L);
	KUNIT_EXPECT_EQ(test, file_count(b), 1L);

	KUNIT_ASSERT_EQ(test, kernel_write(a, "kclaims", 7, &a->f_pos), 7L);
	KUNIT_EXPECT_EQ(test, a->f_pos, 7LL);
	KUNIT_EXPECT_EQ(test, b->f_pos, 0LL);
	KUNIT_EXPECT_EQ(test, i_size_read(file_inode(b)), 7LL);
	KUNIT_EXPECT_EQ(test, kernel_read(b, buf, 7, &b->f_pos), 7L);
	KUNIT_EXPECT_STREQ(test, buf, "kclaims");
	KUNIT_EXPECT_EQ(test, b->f_pos, 7LL);
	/* a third open is a third file, not a reuse of either */
	{
		struct file *c = file_open_root_mnt(m->mnt, KC_NAME, O_RDONLY, 0);

		KUNIT_ASSERT_FALSE(test, IS_ERR(c));
		KUNIT_EXPECT_PTR_NE(test, c, a);
		KUNIT_EXPECT_PTR_NE(test, c, b);
		KUNIT_EXPECT_PTR_EQ(test, file_inode(c), file_inode(a));
		KUNIT_EXPECT_EQ(test, c->f_pos, 0LL);
		fput(c);
	}
}

struct kc_fd_seen {
	int fd;
	struct files_struct *files;
	struct file *found;
};

static void kc_fd_lookup(void *arg)
{
	struct kc_fd_seen *s = arg;

	s->files = current->files;
	s->found = fget(s->fd);
	if (s->found)
		fput(s->found);
}

/*
 * MISC-FILES-STRUCT (nuanced): task_struct->files is a pointer to a
 * files_struct, not an embedded one. An fd installed in it resolves to the
 * file through the fd table (fget()), and a task that shares the
 * files_struct sees the same fd: kthreads are forked with CLONE_FILES from
 * kthreadd, which shares init_task's init_files, so a fresh kthread finds
 * the fd this test thread installed. After close_fd() it is gone.
 */
static void fd_installed_in_files_struct_is_seen_by_sharing_tasks(struct kunit *test)
{
	struct kc_mnt *m = kc_ramfs_open(test, 1);
	struct kclaims_ctx_obs obs = {};
	struct kc_fd_seen seen = {};
	struct file *got;
	int fd;

	KUNIT_ASSERT_NOT_NULL(test, current->files);
	KUNIT_EXPECT_PTR_EQ(test, current->files, &init_files);
	fd = get_unused_fd_flags(0);
	KUNIT_ASSERT_GE(test, fd, 0);
	fd_install(fd, get_file(m->f[0]));

	got = fget(fd);
	KUNIT_EXPECT_PTR_EQ(test, got, m->f[0]);
	if (got)
		fput(got);

	seen.fd = fd;
	KUNIT_EXPECT_EQ(test, kclaims_run_in(KCLAIMS_CTX_KTHREAD, kc_fd_lookup,
					     &seen, &obs, 5000), 0);
	KUNIT_EXPECT_TRUE(test, obs.ran);
	KUNIT_EXPECT_PTR_NE(test, obs.task, current);
	KUNIT_EXPECT_PTR_EQ(test, seen.files, current->files);
	KUNIT_EXPECT_PTR_EQ(test, seen.found, m->f[0]);

	KUNIT_EXPECT_EQ(test, close_fd(fd), 0);
	got = fget(fd);
	KUNIT_EXPECT_NULL(test, got);
	if (got)
		fput(got);
}

static void kc_shmem_release(void *data)
{
	fput(data);
}

/*
 * MM-PAGECACHE-DIRTY, MM-PAGECACHE-READ on tmpfs: a buffered write to a
 * shmem file puts the bytes into a page-cache folio at once and marks it
 * dirty (shmem_write_end() calls folio_mark_dirty(): the folio stays dirty
 * until it is swapped out, tmpfs has no backing store to clean it against);
 * the next read is served from that same folio, adding nothing to the
 * cache.
 */
static void shmem_write_is_cached_dirty_and_read_from_the_cache(struct kunit *test)
{
	struct file *f = shmem_file_setup("kclaims-vfs", 2 * PAGE_SIZE, 0);
	char *buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct folio *folio, *again;
	unsigned long nr;
	bool dirty, uptodate;
	loff_t pos = 0;
	u8 first;
	u8 *data;

	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_shmem_release, f),
			0);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_TRUE(test, IS_ERR(filemap_get_folio(f->f_mapping, 0)));

	memset(buf, 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, kernel_write(f, buf, PAGE_SIZE, &pos),
			(ssize_t)PAGE_SIZE);
	folio = filemap_get_folio(f->f_mapping, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(folio));
	dirty = folio_test_dirty(folio);
	uptodate = folio_test_uptodate(folio);
	data = kmap_local_folio(folio, 0);
	first = data[0];
	kunmap_local(data);
	nr = f->f_mapping->nrpages;

	memset(buf, 0, PAGE_SIZE);
	pos = 0;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, PAGE_SIZE, &pos),
			(ssize_t)PAGE_SIZE);
	again = filemap_get_folio(f->f_mapping, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR(again));
	if (!IS_ERR(again)) {
		KUNIT_EXPECT_PTR_EQ(test, again, folio);
		folio_put(again);
	}
	folio_put(folio);

	KUNIT_EXPECT_TRUE(test, dirty);
	KUNIT_EXPECT_TRUE(test, uptodate);
	KUNIT_EXPECT_EQ(test, first, 0x5a);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0x5a, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, nr);
	KUNIT_EXPECT_EQ(test, nr, 1UL);
}

static struct kunit_case kclaims_vfs_cases[] = {
	KUNIT_CASE(open_file_links_file_dentry_inode_super_block),
	KUNIT_CASE(two_opens_share_the_inode_but_not_the_file),
	KUNIT_CASE(fd_installed_in_files_struct_is_seen_by_sharing_tasks),
	KUNIT_CASE(shmem_write_is_cached_dirty_and_read_from_the_cache),
	{}
};

static struct kunit_suite kclaims_vfs_suite = {
	.name = "kclaims_vfs",
	.test_cases = kclaims_vfs_cases,
};
kunit_test_suite(kclaims_vfs_suite);

MODULE_DESCRIPTION("kclaims: VFS objects, open files, fd table, shmem page cache");
MODULE_LICENSE("GPL");

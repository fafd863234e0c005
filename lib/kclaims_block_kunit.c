// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims: the notes' block I/O claims (sectors, buffer heads, bio,
 * request, I/O schedulers). Bios are built in memory; requests, buffer
 * heads and schedulers are observed on the null_blk device nullb0
 * (CONFIG_BLK_DEV_NULL_BLK=y creates it at boot), through a private sysfs
 * mount, as userspace would see /sys/block/nullb0.
 */
#include <kunit/test.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/buffer_head.h>
#include <linux/completion.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "kclaims.h"

#define KC_DISK "nullb0"

/* One holder for every case: a claim whose fput is still deferred is ours. */
static char kc_holder;
#define KC_NO_NULLB "no " KC_DISK ": needs CONFIG_BLK_DEV_NULL_BLK=y (UML, QEMU)"

struct kc_blk {
	struct vfsmount *sysfs;
	struct file *bdev_file;
	struct block_device *bdev;
	char sched[32];		/* scheduler to restore */
};

static void kc_blk_release(void *data)
{
	struct kc_blk *b = data;

	if (!IS_ERR_OR_NULL(b->bdev_file))
		fput(b->bdev_file);
	kern_unmount(b->sysfs);
}

/* Read /sys/@path into @buf; returns its length. */
static ssize_t kc_sysfs_read(struct kc_blk *b, const char *path, char *buf,
			     size_t len)
{
	return kclaims_mnt_read(b->sysfs, path, buf, len);
}

static ssize_t kc_sysfs_write(struct kc_blk *b, const char *path,
			      const char *s)
{
	return kclaims_mnt_write(b->sysfs, path, s);
}

/* The scheduler in use: the bracketed name of queue/scheduler. */
static int kc_current_sched(struct kc_blk *b, char *name, size_t len)
{
	char buf[128], *open, *close;

	if (kc_sysfs_read(b, "block/" KC_DISK "/queue/scheduler", buf,
			  sizeof(buf)) <= 0)
		return -EIO;
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close || close - open - 1 >= len)
		return -EINVAL;
	strscpy(name, open + 1, close - open);
	return 0;
}

static void kc_sched_restore(void *data)
{
	struct kc_blk *b = data;

	kc_sysfs_write(b, "block/" KC_DISK "/queue/scheduler", b->sched);
}

/*
 * A private sysfs mount; with @open_bdev, nullb0 opened exclusively for
 * reading. Skips when nullb0 does not exist. The scheduler in use is put
 * back at the end of the case.
 */
static struct kc_blk *kc_blk_get(struct kunit *test, bool open_bdev)
{
	struct file_system_type *type = get_fs_type("sysfs");
	unsigned int major, minor;
	struct kc_blk *b;
	char buf[32];
	int n;

	KUNIT_ASSERT_NOT_NULL(test, type);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->sysfs = vfs_kern_mount(type, 0, "sysfs", NULL);
	put_filesystem(type);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b->sysfs));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_blk_release, b),
			0);
	if (kc_sysfs_read(b, "block/" KC_DISK "/dev", buf, sizeof(buf)) <= 0)
		kunit_skip(test, KC_NO_NULLB);
	n = sscanf(buf, "%u:%u", &major, &minor);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_ASSERT_EQ(test, kc_current_sched(b, b->sched, sizeof(b->sched)), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_sched_restore, b),
			0);
	if (open_bdev) {
		b->bdev_file = bdev_file_open_by_dev(MKDEV(major, minor),
						     BLK_OPEN_READ, &kc_holder,
						     NULL);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(b->bdev_file),
				       "open " KC_DISK ": %ld",
				       PTR_ERR(b->bdev_file));
		b->bdev = file_bdev(b->bdev_file);
	}
	return b;
}

struct kc_disk_stat {
	unsigned long read_ios, read_merges, read_sectors;
};

static void kc_disk_stat(struct kunit *test, struct kc_blk *b,
			 struct kc_disk_stat *s)
{
	char buf[256];
	int n;

	KUNIT_ASSERT_GT(test, kc_sysfs_read(b, "block/" KC_DISK "/stat", buf,
					    sizeof(buf)), 0L);
	n = sscanf(buf, "%lu %lu %lu", &s->read_ios, &s->read_merges,
		   &s->read_sectors);
	KUNIT_ASSERT_EQ(test, n, 3);
}

/*
 * Submission state of the bios of one case. On a timeout it is leaked
 * (a late completion may still touch it), never freed.
 */
struct kc_io {
	atomic_t left;
	int errors;
	struct completion done;
	struct page *pages[4];
};

static void kc_bio_end_io(struct bio *bio)
{
	struct kc_io *io = bio->bi_private;

	if (bio->bi_status)
		io->errors++;
	bio_put(bio);
	if (atomic_dec_and_test(&io->left))
		complete(&io->done);
}

/*
 * Submit @n one-page reads of nullb0 at @sector, @sector + 8, ... (each a
 * bio of its own), all under one plug if @plug, and wait for them.
 */
static int kc_read_adjacent(struct kc_blk *b, int n, sector_t sector,
			    bool plug)
{
	struct bio *bios[ARRAY_SIZE(((struct kc_io *)NULL)->pages)];
	struct blk_plug p;
	struct kc_io *io;
	int i, err = 0;

	if (n > ARRAY_SIZE(bios))
		return -EINVAL;
	io = kzalloc(sizeof(*io), GFP_KERNEL);
	if (!io)
		return -ENOMEM;
	init_completion(&io->done);
	atomic_set(&io->left, n);
	for (i = 0; i < n; i++) {
		io->pages[i] = alloc_page(GFP_KERNEL);
		if (!io->pages[i])
			err = -ENOMEM;
	}
	if (err)
		goto free;
	/* allocated up front: nothing sleeps (and flushes the plug) below */
	for (i = 0; i < n; i++) {
		bios[i] = bio_alloc(b->bdev, 1, REQ_OP_READ, GFP_KERNEL);
		bios[i]->bi_iter.bi_sector = sector + i * (PAGE_SIZE >> SECTOR_SHIFT);
		__bio_add_page(bios[i], io->pages[i], PAGE_SIZE, 0);
		bios[i]->bi_private = io;
		bios[i]->bi_end_io = kc_bio_end_io;
	}
	if (plug)
		blk_start_plug(&p);
	for (i = 0; i < n; i++)
		submit_bio(bios[i]);
	if (plug)
		blk_finish_plug(&p);
	if (!wait_for_completion_timeout(&io->done, 10 * HZ))
		return -ETIMEDOUT;	/* io and its pages are leaked */
	err = io->errors ? -EIO : 0;
free:
	for (i = 0; i < n; i++)
		if (io->pages[i])
			__free_page(io->pages[i]);
	kfree(io);
	return err;
}

/*
 * MISC-SECTOR-512 (nuanced): the kernel's sector is always 512 bytes: a
 * 4096-byte bio is 8 sectors, and the disk statistics count sectors of 512
 * bytes. A block size must be a power of two from 512 up to PAGE_SIZE
 * (set_blocksize() refuses 768, 256 and 2 * PAGE_SIZE).
 */
static void sector_is_512_bytes_and_block_size_a_power_of_two(struct kunit *test)
{
	struct kc_blk *b = kc_blk_get(test, true);
	struct kc_disk_stat s0, s1;
	struct bio *bio;
	struct page *page;
	int old = block_size(b->bdev);

	KUNIT_EXPECT_EQ(test, SECTOR_SHIFT, 9);
	KUNIT_EXPECT_EQ(test, SECTOR_SIZE, 512);

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	bio = bio_alloc(NULL, 1, REQ_OP_READ, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, bio_add_page(bio, page, PAGE_SIZE, 0),
			(int)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, bio_sectors(bio), (unsigned int)(PAGE_SIZE / 512));
	bio_put(bio);
	__free_page(page);

	kc_disk_stat(test, b, &s0);
	KUNIT_ASSERT_EQ(test, kc_read_adjacent(b, 1, 2048, false), 0);
	kc_disk_stat(test, b, &s1);
	KUNIT_EXPECT_EQ(test, s1.read_sectors - s0.read_sectors,
			(unsigned long)(PAGE_SIZE / 512));

	KUNIT_EXPECT_EQ(test, set_blocksize(b->bdev_file, 1024), 0);
	KUNIT_EXPECT_EQ(test, block_size(b->bdev), 1024U);
	KUNIT_EXPECT_EQ(test, set_blocksize(b->bdev_file, 768), -EINVAL);
	KUNIT_EXPECT_EQ(test, set_blocksize(b->bdev_file, 256), -EINVAL);
	KUNIT_EXPECT_EQ(test, set_blocksize(b->bdev_file, 2 * PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, block_size(b->bdev), 1024U);
	KUNIT_EXPECT_EQ(test, set_blocksize(b->bdev_file, old), 0);
}

/*
 * MISC-BUFFER-HEAD, MISC-BH-SIMPLIFIED: __bread() of an uncached block
 * returns a buffer_head describing one block in a page-cache folio of the
 * device (b_size, b_data, b_state: uptodate and mapped, b_count: the
 * caller's reference plus one of the per-CPU lookup cache bh_lru, moved by
 * get_bh()/put_bh()). Its read is no longer
 * buffer-head I/O of its own: submit_bh() turns it into a bio, and the
 * device sees one read request of b_size bytes.
 */
static void bread_returns_a_counted_buffer_head_read_through_a_bio(struct kunit *test)
{
	struct kc_blk *b = kc_blk_get(test, true);
	unsigned int size = block_size(b->bdev);
	sector_t block = (bdev_nr_sectors(b->bdev) / 2) >> (ilog2(size) - 9);
	struct kc_disk_stat s0, s1;
	struct buffer_head *bh;
	int count0, countl, count1, count2;

	kc_disk_stat(test, b, &s0);
	bh = __bread(b->bdev, block, size);
	KUNIT_ASSERT_NOT_NULL(test, bh);
	kc_disk_stat(test, b, &s1);
	count0 = atomic_read(&bh->b_count);
	invalidate_bh_lrus();	/* drop the per-CPU bh_lru's reference */
	countl = atomic_read(&bh->b_count);
	get_bh(bh);
	count1 = atomic_read(&bh->b_count);
	put_bh(bh);
	count2 = atomic_read(&bh->b_count);

	KUNIT_EXPECT_EQ(test, bh->b_size, (size_t)size);
	KUNIT_EXPECT_EQ(test, bh->b_blocknr, block);
	KUNIT_EXPECT_PTR_EQ(test, bh->b_bdev, b->bdev);
	KUNIT_EXPECT_TRUE(test, buffer_uptodate(bh));
	KUNIT_EXPECT_TRUE(test, buffer_mapped(bh));
	KUNIT_EXPECT_PTR_EQ(test, (void *)bh->b_data,
			    folio_address(bh->b_folio) + bh_offset(bh));
	KUNIT_EXPECT_PTR_EQ(test, bh->b_folio->mapping,
			    b->bdev->bd_mapping);
	KUNIT_EXPECT_EQ(test, count0, 2);
	KUNIT_EXPECT_EQ(test, countl, 1);
	KUNIT_EXPECT_EQ(test, count1, 2);
	KUNIT_EXPECT_EQ(test, count2, 1);
	/* one read of one block reached the device */
	KUNIT_EXPECT_EQ(test, s1.read_ios - s0.read_ios, 1UL);
	KUNIT_EXPECT_EQ(test, s1.read_sectors - s0.read_sectors,
			(unsigned long)(size >> SECTOR_SHIFT));
	brelse(bh);
}

static int kc_cmp_pfn_desc(const void *a, const void *b)
{
	unsigned long pa = page_to_pfn(*(struct page * const *)a);
	unsigned long pb = page_to_pfn(*(struct page * const *)b);

	return pa < pb ? 1 : pa > pb ? -1 : 0;
}

/*
 * MISC-BIO-SG, MISC-BIO-FIELDS (outdated): one bio carries buffers that are
 * not contiguous in memory as a vector of segments (bi_io_vec, bi_vcnt),
 * walked with bio_for_each_segment(); the start sector and size the notes
 * put in the bio itself live in bi_iter (3.14), the operation in bi_opf
 * (4.10), the count in __bi_cnt. Pieces that are contiguous (the two
 * halves of one page) are merged into one segment.
 */
static void bio_carries_scattered_pages_as_segments(struct kunit *test)
{
	struct page *pages[3], *seen[3];
	struct bvec_iter iter;
	struct bio_vec bv;
	struct bio *bio;
	int i, n = 0;

	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	/* descending pfns: no page continues the previous one in memory */
	sort(pages, 3, sizeof(pages[0]), kc_cmp_pfn_desc, NULL);

	bio = bio_alloc(NULL, 4, REQ_OP_WRITE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bio);
	bio->bi_iter.bi_sector = 64;
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, bio_add_page(bio, pages[i], 1024, 512),
				1024);
	KUNIT_EXPECT_EQ(test, bio->bi_vcnt, 3);
	KUNIT_EXPECT_EQ(test, bio_segments(bio), 3U);
	KUNIT_EXPECT_EQ(test, bio->bi_iter.bi_size, 3072U);
	KUNIT_EXPECT_EQ(test, bio->bi_iter.bi_sector, (sector_t)64);
	KUNIT_EXPECT_EQ(test, bio_op(bio), REQ_OP_WRITE);
	KUNIT_EXPECT_EQ(test, atomic_read(&bio->__bi_cnt), 1);
	bio_for_each_segment(bv, bio, iter) {
		if (n < 3)
			seen[n] = bv.bv_page;
		KUNIT_EXPECT_EQ(test, bv.bv_offset, 512U);
		KUNIT_EXPECT_EQ(test, bv.bv_len, 1024U);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 3);
	for (i = 0; i < 3 && i < n; i++)
		KUNIT_EXPECT_PTR_EQ(test, seen[i], pages[i]);

	/* the rest of the last page continues the last segment */
	KUNIT_EXPECT_EQ(test, bio_add_page(bio, pages[2], 512, 1536), 512);
	KUNIT_EXPECT_EQ(test, bio->bi_vcnt, 3);
	KUNIT_EXPECT_EQ(test, bio->bi_io_vec[2].bv_len, 1536U);
	KUNIT_EXPECT_EQ(test, bio->bi_iter.bi_size, 3584U);
	KUNIT_EXPECT_EQ(test, bio_sectors(bio), 7U);

	bio_get(bio);
	KUNIT_EXPECT_EQ(test, atomic_read(&bio->__bi_cnt), 2);
	bio_put(bio);
	bio_put(bio);
	for (i = 0; i < 3; i++)
		__free_page(pages[i]);
}

/*
 * MISC-RQ-HIERARCHY, MISC-NOOP: a request holds a list of bios. Two bios
 * for adjacent sectors submitted under one plug are merged into one request
 * (the device counts one read I/O and one merge), with mq-deadline and with
 * "none", the blk-mq successor of noop, which still merges; read one after
 * the other, each bio becomes its own request.
 */
static void adjacent_plugged_bios_merge_into_one_request(struct kunit *test)
{
	static const char * const scheds[] = { "mq-deadline", "none" };
	struct kc_blk *b = kc_blk_get(test, true);
	struct kc_disk_stat s0, s1;
	char name[32];
	int i;

	for (i = 0; i < ARRAY_SIZE(scheds); i++) {
		KUNIT_ASSERT_GT(test, kc_sysfs_write(b, "block/" KC_DISK
				"/queue/scheduler", scheds[i]), 0L);
		KUNIT_ASSERT_EQ(test, kc_current_sched(b, name, sizeof(name)), 0);
		KUNIT_EXPECT_STREQ(test, name, scheds[i]);

		kc_disk_stat(test, b, &s0);
		KUNIT_ASSERT_EQ(test, kc_read_adjacent(b, 2, 4096, true), 0);
		kc_disk_stat(test, b, &s1);
		KUNIT_EXPECT_EQ_MSG(test, s1.read_ios - s0.read_ios, 1UL,
				    "plugged, %s", name);
		KUNIT_EXPECT_EQ_MSG(test, s1.read_merges - s0.read_merges, 1UL,
				    "plugged, %s", name);
		KUNIT_EXPECT_EQ(test, s1.read_sectors - s0.read_sectors,
				(unsigned long)(2 * PAGE_SIZE / 512));

		/* one at a time: the first is done before the second exists */
		kc_disk_stat(test, b, &s0);
		KUNIT_ASSERT_EQ(test, kc_read_adjacent(b, 1, 8192, false), 0);
		KUNIT_ASSERT_EQ(test, kc_read_adjacent(b, 1, 8200, false), 0);
		kc_disk_stat(test, b, &s1);
		KUNIT_EXPECT_EQ_MSG(test, s1.read_ios - s0.read_ios, 2UL,
				    "unplugged, %s", name);
		KUNIT_EXPECT_EQ_MSG(test, s1.read_merges - s0.read_merges, 0UL,
				    "unplugged, %s", name);
	}
}

/* A second null_blk disk made through configfs (nullb/<name>). */
#define KC_NULLB "kclaims-sq"
struct kc_nullb {
	struct vfsmount *configfs;
	struct dentry *dir;	/* nullb/KC_NULLB */
	char disk[DISK_NAME_LEN];
};

static void kc_nullb_release(void *data)
{
	struct kc_nullb *n = data;

	if (n->dir) {
		struct inode *parent = d_inode(n->dir->d_parent);

		kclaims_mnt_write(n->configfs, "nullb/" KC_NULLB "/power", "0");
		inode_lock_nested(parent, I_MUTEX_PARENT);
		vfs_rmdir(&nop_mnt_idmap, parent, n->dir);
		inode_unlock(parent);
		dput(n->dir);
	}
	kern_unmount(n->configfs);
}

/*
 * Power on a null_blk disk with one hardware queue (submit_queues 1,
 * poll_queues 0): a single-queue blk-mq disk. Its name goes to n->disk.
 */
static struct kc_nullb *kc_nullb_single_queue(struct kunit *test)
{
	struct file_system_type *type = get_fs_type("configfs");
	struct path nullb;
	struct kc_nullb *n;
	struct dentry *d;
	int err;

	if (!type)
		kunit_skip(test, "no configfs: " KC_NO_NULLB);
	n = kunit_kzalloc(test, sizeof(*n), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, n);
	n->configfs = vfs_kern_mount(type, 0, "configfs", NULL);
	put_filesystem(type);
	KUNIT_ASSERT_FALSE(test, IS_ERR(n->configfs));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kc_nullb_release, n),
			0);
	if (vfs_path_lookup(n->configfs->mnt_root, n->configfs, "nullb", 0,
			    &nullb))
		kunit_skip(test, KC_NO_NULLB);
	inode_lock_nested(d_inode(nullb.dentry), I_MUTEX_PARENT);
	d = lookup_one_len(KC_NULLB, nullb.dentry, strlen(KC_NULLB));
	err = IS_ERR(d) ? PTR_ERR(d) :
		vfs_mkdir(&nop_mnt_idmap, d_inode(nullb.dentry), d, 0755);
	inode_unlock(d_inode(nullb.dentry));
	path_put(&nullb);
	if (!IS_ERR(d) && err)
		dput(d);
	KUNIT_ASSERT_EQ(test, err, 0);
	n->dir = d;
	KUNIT_ASSERT_GT(test, kclaims_mnt_write(n->configfs, "nullb/" KC_NULLB "/poll_queues",
					  "0"), 0L);
	KUNIT_ASSERT_GT(test, kclaims_mnt_write(n->configfs,
					  "nullb/" KC_NULLB "/submit_queues", "1"), 0L);
	KUNIT_ASSERT_GT(test, kclaims_mnt_write(n->configfs, "nullb/" KC_NULLB "/power",
					  "1"), 0L);
	/* a configfs-made null_blk disk is named after its directory */
	strscpy(n->disk, KC_NULLB, sizeof(n->disk));
	return n;
}

/*
 * MISC-IOSCHED-LIST (outdated), MISC-CFQ-QUANTUM (outdated): the
 * schedulers of 2.6 are gone, and CFQ is nobody's default. A single-queue
 * blk-mq disk starts with mq-deadline, a multi-queue one (nullb0: a submit
 * and a poll queue) with "none"; "none" is offered; "cfq", "anticipatory"
 * and "noop" are refused (-EINVAL: no such elevator; CFQ, deadline and noop
 * left with the legacy block layer in 5.0, anticipatory in 2.6.33);
 * "deadline" is only an alias that selects mq-deadline.
 */
static void schedulers_are_mq_deadline_and_none_not_cfq(struct kunit *test)
{
	static const char * const gone[] = { "cfq", "anticipatory", "noop" };
	struct kc_blk *b = kc_blk_get(test, true);
	const char *path = "block/" KC_DISK "/queue/scheduler";
	char list[128], name[32], *single;
	struct kc_nullb *n;
	int i;

	KUNIT_ASSERT_GT(test, kc_sysfs_read(b, path, list, sizeof(list)), 0L);
	kunit_info(test, "%s (%u hardware queues): %s", path,
		   bdev_get_queue(b->bdev)->nr_hw_queues, list);
	/* the one chosen at boot (every case puts it back) */
	KUNIT_EXPECT_GT(test, bdev_get_queue(b->bdev)->nr_hw_queues, 1U);
	KUNIT_EXPECT_STREQ(test, b->sched, "none");

	n = kc_nullb_single_queue(test);
	single = kasprintf(GFP_KERNEL, "block/%s/queue/scheduler", n->disk);
	KUNIT_ASSERT_NOT_NULL(test, single);
	KUNIT_EXPECT_GT(test, kc_sysfs_read(b, single, name, sizeof(name)), 0L);
	kunit_info(test, "%s (1 hardware queue): %s", single, name);
	KUNIT_EXPECT_NOT_NULL(test, strstr(name, "[mq-deadline]"));
	kfree(single);

	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "mq-deadline"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(list, "none"));
	for (i = 0; i < ARRAY_SIZE(gone); i++) {
		KUNIT_EXPECT_NULL(test, strstr(list, gone[i]));
		KUNIT_EXPECT_EQ_MSG(test, kc_sysfs_write(b, path, gone[i]),
				    (ssize_t)-EINVAL, "%s", gone[i]);
	}
	KUNIT_ASSERT_GT(test, kc_sysfs_write(b, path, "deadline"), 0L);
	KUNIT_ASSERT_EQ(test, kc_current_sched(b, name, sizeof(name)), 0);
	KUNIT_EXPECT_STREQ(test, name, "mq-deadline");
	KUNIT_ASSERT_GT(test, kc_sysfs_write(b, path, "none"), 0L);
	KUNIT_ASSERT_EQ(test, kc_current_sched(b, name, sizeof(name)), 0);
	KUNIT_EXPECT_STREQ(test, name, "none");
}

/*
 * MISC-DEADLINE-EXPIRE: a fresh mq-deadline instance expires reads after
 * 500 ms and writes after 5000 ms (its iosched/read_expire and
 * write_expire, the instance's fifo_expire[] in ms).
 */
static void mq_deadline_expires_reads_at_500ms_writes_at_5s(struct kunit *test)
{
	struct kc_blk *b = kc_blk_get(test, false);
	const char *path = "block/" KC_DISK "/queue/scheduler";
	char buf[32];
	unsigned int ms;

	/* a new instance: none, then mq-deadline */
	KUNIT_ASSERT_GT(test, kc_sysfs_write(b, path, "none"), 0L);
	KUNIT_ASSERT_GT(test, kc_sysfs_write(b, path, "mq-deadline"), 0L);
	KUNIT_ASSERT_GT(test, kc_sysfs_read(b, "block/" KC_DISK
			"/queue/iosched/read_expire", buf, sizeof(buf)), 0L);
	KUNIT_ASSERT_EQ(test, kstrtouint(strim(buf), 10, &ms), 0);
	KUNIT_EXPECT_EQ(test, ms, 500U);
	KUNIT_ASSERT_GT(test, kc_sysfs_read(b, "block/" KC_DISK
			"/queue/iosched/write_expire", buf, sizeof(buf)), 0L);
	KUNIT_ASSERT_EQ(test, kstrtouint(strim(buf), 10, &ms), 0);
	KUNIT_EXPECT_EQ(test, ms, 5000U);
}

static struct kunit_case kclaims_block_cases[] = {
	KUNIT_CASE(sector_is_512_bytes_and_block_size_a_power_of_two),
	KUNIT_CASE(bread_returns_a_counted_buffer_head_read_through_a_bio),
	KUNIT_CASE(bio_carries_scattered_pages_as_segments),
	KUNIT_CASE(adjacent_plugged_bios_merge_into_one_request),
	KUNIT_CASE(schedulers_are_mq_deadline_and_none_not_cfq),
	KUNIT_CASE(mq_deadline_expires_reads_at_500ms_writes_at_5s),
	{}
};

static struct kunit_suite kclaims_block_suite = {
	.name = "kclaims_block",
	.test_cases = kclaims_block_cases,
};
kunit_test_suite(kclaims_block_suite);

MODULE_DESCRIPTION("kclaims: sectors, buffer heads, bios, requests, I/O schedulers");
MODULE_LICENSE("GPL");

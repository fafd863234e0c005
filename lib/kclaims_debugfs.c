// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims helper: write and read a debugfs file from a KUnit case.
 *
 * Built-in KUnit runs before anything mounts /sys/kernel/debug, so the
 * file is opened on a private debugfs mount. Many debugfs files have only
 * ->read/->write (no iter ops), which kernel_read()/kernel_write() refuse:
 * the data goes through a user buffer of the case's mm (kclaims_vm_mmap()).
 */
#include <kunit/test.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "kclaims.h"

ssize_t kclaims_debugfs_io(struct kunit *test, const char *path,
			   const char *cmd, char *out, size_t size)
{
	struct file_system_type *fs;
	struct vfsmount *mnt;
	char __user *ubuf;
	unsigned long u;
	size_t total = 0;
	struct file *f;
	loff_t pos = 0;
	ssize_t n = 0;

	u = kclaims_vm_mmap(test, NULL, 0, max_t(size_t, size, PAGE_SIZE),
			  PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_TRUE(test, u && u < TASK_SIZE);
	ubuf = (char __user *)u;

	fs = get_fs_type("debugfs");
	KUNIT_ASSERT_NOT_NULL(test, fs);
	mnt = vfs_kern_mount(fs, 0, "debugfs", NULL);
	put_filesystem(fs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mnt);

	if (cmd) {
		f = file_open_root_mnt(mnt, path, O_WRONLY, 0);
		if (IS_ERR(f)) {
			kern_unmount(mnt);
			KUNIT_FAIL_AND_ABORT(test, "open %s: %ld", path, PTR_ERR(f));
		}
		n = -EFAULT;
		if (!copy_to_user(ubuf, cmd, strlen(cmd)))
			n = vfs_write(f, ubuf, strlen(cmd), &pos);
		fput(f);
	}
	if (out && n >= 0) {
		/* a fresh open reads what the write did (e.g. a kmemleak scan) */
		f = file_open_root_mnt(mnt, path, O_RDONLY, 0);
		pos = 0;
		while (!IS_ERR(f) && total < size - 1) {
			n = vfs_read(f, ubuf + total, size - 1 - total, &pos);
			if (n <= 0)
				break;
			total += n;
		}
		if (IS_ERR(f))
			n = PTR_ERR(f);
		else
			fput(f);
	}
	kern_unmount(mnt);
	KUNIT_ASSERT_GE_MSG(test, n, 0, "debugfs %s: %zd", path, n);
	if (!out)
		return 0;
	KUNIT_ASSERT_LT(test, total, size - 1);
	KUNIT_ASSERT_FALSE(test, copy_from_user(out, ubuf, total));
	out[total] = '\0';
	return total;
}
EXPORT_SYMBOL_GPL(kclaims_debugfs_io);

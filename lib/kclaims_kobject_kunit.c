// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_kobject: the notes' claims about kobjects, ksets, ktypes, sysfs
 * and the device model (seed 002, chapter 17), checked through a private
 * sysfs mount: built-in KUnit runs before init mounts /sys, so each case
 * mounts its own sysfs and looks its objects up through the VFS.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "kclaims.h"

KUNIT_DEFINE_ACTION_WRAPPER(kern_unmount_wrapper, kern_unmount,
			    struct vfsmount *);

/* A sysfs mount of our own, unmounted when @test ends. */
static struct vfsmount *sysfs_mount(struct kunit *test)
{
	struct file_system_type *fs = get_fs_type("sysfs");
	struct vfsmount *mnt;

	KUNIT_ASSERT_NOT_NULL(test, fs);
	mnt = kern_mount(fs);
	put_filesystem(fs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mnt);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kern_unmount_wrapper,
							mnt), 0);
	return mnt;
}

/* 0 if @path (relative to the sysfs root) is a directory, else -errno. */
static int sysfs_dir(struct vfsmount *mnt, const char *path)
{
	struct file *f = file_open_root_mnt(mnt, path,
					    O_RDONLY | O_DIRECTORY, 0);

	if (IS_ERR(f))
		return PTR_ERR(f);
	fput(f);
	return 0;
}

/* An object that embeds its kobject, as the notes' ktype examples do. */
struct kc_obj {
	struct kobject kobj;
	int value;
	int shows;
	int stores;
	int *released;		/* incremented by the ktype's release */
};

static struct kc_obj *to_kc_obj(struct kobject *kobj)
{
	return container_of(kobj, struct kc_obj, kobj);
}

static void kc_obj_release(struct kobject *kobj)
{
	struct kc_obj *obj = to_kc_obj(kobj);

	(*obj->released)++;
	kfree(obj);
}

static ssize_t value_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct kc_obj *obj = to_kc_obj(kobj);

	obj->shows++;
	return sysfs_emit(buf, "%d\n", obj->value);
}

static ssize_t value_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct kc_obj *obj = to_kc_obj(kobj);
	int ret = kstrtoint(buf, 10, &obj->value);

	obj->stores++;
	return ret ? ret : count;
}

static struct kobj_attribute value_attr = __ATTR_RW(value);

static ssize_t extra_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "extra\n");
}

static struct kobj_attribute extra_attr = __ATTR_RO(extra);

static struct attribute *kc_obj_attrs[] = {
	&value_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kc_obj);

static const struct kobj_type kc_obj_ktype = {
	.release = kc_obj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = kc_obj_groups,
};

static struct kc_obj *kc_obj_new(struct kunit *test, int *released)
{
	/* freed by its release, not by the test */
	struct kc_obj *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, obj);
	obj->released = released;
	return obj;
}

/*
 * MISC-KOBJ-ADD-DEL, MISC-KOBJECT-CREATE: the public way to get a bare
 * kobject is kobject_create_and_add() (kobject_create() is static): it
 * makes a directory under its parent's, and kobject_del() removes the
 * directory while the kobject itself lives on until the last put.
 */
static void create_and_add_makes_a_dir_and_del_removes_it(struct kunit *test)
{
	struct vfsmount *mnt = sysfs_mount(test);
	struct kobject *k;

	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kernel/kclaims_kobj"), -ENOENT);
	k = kobject_create_and_add("kclaims_kobj", kernel_kobj);
	KUNIT_ASSERT_NOT_NULL(test, k);

	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kernel/kclaims_kobj"), 0);
	KUNIT_EXPECT_TRUE(test, k->state_in_sysfs);
	KUNIT_EXPECT_PTR_EQ(test, k->parent, kernel_kobj);

	kobject_del(k);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kernel/kclaims_kobj"), -ENOENT);
	KUNIT_EXPECT_FALSE(test, k->state_in_sysfs);
	/* deleted from sysfs, but our reference keeps it allocated */
	KUNIT_EXPECT_EQ(test, kref_read(&k->kref), 1U);
	KUNIT_EXPECT_STREQ(test, kobject_name(k), "kclaims_kobj");
	kobject_put(k);
}

/*
 * MISC-KOBJECT-PARENT: the hierarchy is the parent pointer: a child's
 * directory is inside its parent's (not at the sysfs root), its path is
 * built by walking ->parent, and the child pins its parent with a
 * reference until the child goes away.
 */
static void child_dir_is_inside_the_parent_dir(struct kunit *test)
{
	struct vfsmount *mnt = sysfs_mount(test);
	struct kobject *p, *c;
	unsigned int pref;
	char *path;

	p = kobject_create_and_add("kclaims_parent", NULL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	pref = kref_read(&p->kref);
	c = kobject_create_and_add("kclaims_child", p);
	if (!c) {
		kobject_put(p);
		KUNIT_FAIL_AND_ABORT(test, "child kobject not added");
	}

	KUNIT_EXPECT_PTR_EQ(test, c->parent, p);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kclaims_parent"), 0);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kclaims_parent/kclaims_child"), 0);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kclaims_child"), -ENOENT);
	KUNIT_EXPECT_EQ(test, kref_read(&p->kref), pref + 1);

	path = kobject_get_path(c, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, path);
	if (path)
		KUNIT_EXPECT_STREQ(test, path, "/kclaims_parent/kclaims_child");
	kfree(path);

	kobject_put(c);
	KUNIT_EXPECT_EQ(test, kref_read(&p->kref), pref);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kclaims_parent/kclaims_child"),
			-ENOENT);
	kobject_put(p);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kclaims_parent"), -ENOENT);
}

/*
 * MISC-KTYPE-RELEASE: the ktype's release is the destructor: it runs
 * exactly once, when the last reference is put, not at kobject_del() and
 * not at an earlier put.
 */
static void ktype_release_runs_at_the_last_put(struct kunit *test)
{
	int released = 0;
	struct kc_obj *obj = kc_obj_new(test, &released);
	int ret;

	ret = kobject_init_and_add(&obj->kobj, &kc_obj_ktype, kernel_kobj,
				   "kclaims_rel");
	if (ret) {
		kobject_put(&obj->kobj);
		KUNIT_FAIL_AND_ABORT(test, "kobject_init_and_add: %d", ret);
	}
	kobject_get(&obj->kobj);
	KUNIT_EXPECT_EQ(test, kref_read(&obj->kobj.kref), 2U);

	kobject_put(&obj->kobj);
	KUNIT_EXPECT_EQ(test, released, 0);
	kobject_del(&obj->kobj);
	KUNIT_EXPECT_EQ(test, released, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&obj->kobj.kref), 1U);

	kobject_put(&obj->kobj);	/* the last one: obj is freed */
	KUNIT_EXPECT_EQ(test, released, 1);
}

/*
 * MISC-DEFAULT-ATTRS (outdated): the ktype's files now come from
 * default_groups (default_attrs was removed in 5.18); the attribute gives
 * the file name and mode, and sysfs_ops' show/store run on read/write of
 * the file. sysfs_create_file()/sysfs_remove_file() add and remove more.
 */
static void attribute_show_and_store_run_on_read_and_write(struct kunit *test)
{
	struct vfsmount *mnt = sysfs_mount(test);
	const char *file = "kernel/kclaims_attr/value";
	int released = 0;
	struct kc_obj *obj = kc_obj_new(test, &released);
	struct file *f;
	char buf[32];
	int ret;

	obj->value = 41;
	ret = kobject_init_and_add(&obj->kobj, &kc_obj_ktype, kernel_kobj,
				   "kclaims_attr");
	if (ret) {
		kobject_put(&obj->kobj);
		KUNIT_FAIL_AND_ABORT(test, "kobject_init_and_add: %d", ret);
	}

	/* the file exists with the attribute's mode (0644 for __ATTR_RW) */
	f = file_open_root_mnt(mnt, file, O_RDONLY, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR(f));
	if (!IS_ERR(f)) {
		KUNIT_EXPECT_EQ(test, file_inode(f)->i_mode & 0777, 0644);
		fput(f);
	}

	KUNIT_EXPECT_EQ(test, kclaims_mnt_read(mnt, file, buf, sizeof(buf)), (ssize_t)3);
	KUNIT_EXPECT_STREQ(test, buf, "41\n");
	KUNIT_EXPECT_EQ(test, obj->shows, 1);

	KUNIT_EXPECT_EQ(test, kclaims_mnt_write(mnt, file, "7\n"), (ssize_t)2);
	KUNIT_EXPECT_EQ(test, obj->stores, 1);
	KUNIT_EXPECT_EQ(test, obj->value, 7);
	KUNIT_EXPECT_EQ(test, kclaims_mnt_read(mnt, file, buf, sizeof(buf)), (ssize_t)2);
	KUNIT_EXPECT_STREQ(test, buf, "7\n");
	KUNIT_EXPECT_EQ(test, obj->shows, 2);

	/* store's error comes back to the writer */
	KUNIT_EXPECT_EQ(test, kclaims_mnt_write(mnt, file, "x"), (ssize_t)-EINVAL);
	KUNIT_EXPECT_EQ(test, obj->value, 7);

	KUNIT_EXPECT_EQ(test, sysfs_create_file(&obj->kobj, &extra_attr.attr), 0);
	KUNIT_EXPECT_EQ(test, kclaims_mnt_read(mnt, "kernel/kclaims_attr/extra", buf,
					 sizeof(buf)), (ssize_t)6);
	KUNIT_EXPECT_STREQ(test, buf, "extra\n");
	sysfs_remove_file(&obj->kobj, &extra_attr.attr);
	KUNIT_EXPECT_EQ(test, kclaims_mnt_read(mnt, "kernel/kclaims_attr/extra", buf,
					 sizeof(buf)), (ssize_t)-ENOENT);

	kobject_put(&obj->kobj);
	KUNIT_EXPECT_EQ(test, released, 1);
	KUNIT_EXPECT_EQ(test, kclaims_mnt_read(mnt, file, buf, sizeof(buf)),
			(ssize_t)-ENOENT);
}

/*
 * MISC-KSET: a kset is a kobject with a list: a member names it in
 * kobj->kset, is linked on kset->list in the order added, gets the kset as
 * its parent when it has none (its directory is inside the kset's), is
 * found by name with kset_find_obj(), and leaves the list on removal.
 */
static void kset_members_are_listed_and_inside_its_dir(struct kunit *test)
{
	struct vfsmount *mnt = sysfs_mount(test);
	int released = 0;
	struct kc_obj *a = kc_obj_new(test, &released);
	struct kc_obj *b = kc_obj_new(test, &released);
	struct kobject *found;
	struct kset *ks;
	int ra, rb;

	ks = kset_create_and_add("kclaims_set", NULL, kernel_kobj);
	if (!ks) {
		kfree(a);
		kfree(b);
		KUNIT_FAIL_AND_ABORT(test, "kset_create_and_add failed");
	}
	KUNIT_EXPECT_TRUE(test, list_empty(&ks->list));

	a->kobj.kset = ks;
	b->kobj.kset = ks;
	ra = kobject_init_and_add(&a->kobj, &kc_obj_ktype, NULL, "a");
	rb = kobject_init_and_add(&b->kobj, &kc_obj_ktype, NULL, "b");
	KUNIT_EXPECT_EQ(test, ra, 0);
	KUNIT_EXPECT_EQ(test, rb, 0);

	KUNIT_EXPECT_PTR_EQ(test, a->kobj.kset, ks);
	KUNIT_EXPECT_PTR_EQ(test, a->kobj.parent, &ks->kobj);
	KUNIT_EXPECT_PTR_EQ(test, ks->list.next, &a->kobj.entry);
	KUNIT_EXPECT_PTR_EQ(test, a->kobj.entry.next, &b->kobj.entry);
	KUNIT_EXPECT_PTR_EQ(test, ks->list.prev, &b->kobj.entry);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kernel/kclaims_set/a"), 0);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kernel/kclaims_set/b"), 0);

	found = kset_find_obj(ks, "b");
	KUNIT_EXPECT_PTR_EQ(test, found, &b->kobj);
	kobject_put(found);
	KUNIT_EXPECT_NULL(test, kset_find_obj(ks, "c"));

	kobject_put(&a->kobj);
	KUNIT_EXPECT_EQ(test, released, 1);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&ks->list));
	KUNIT_EXPECT_PTR_EQ(test, ks->list.next, &b->kobj.entry);
	kobject_put(&b->kobj);
	KUNIT_EXPECT_EQ(test, released, 2);
	KUNIT_EXPECT_TRUE(test, list_empty(&ks->list));
	kset_unregister(ks);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kernel/kclaims_set"), -ENOENT);
}

struct names {
	struct dir_context ctx;
	char list[512];
	int n;
};

static bool collect_name(struct dir_context *ctx, const char *name, int len,
			 loff_t off, u64 ino, unsigned int type)
{
	struct names *nm = container_of(ctx, struct names, ctx);
	size_t used = strlen(nm->list);

	if (name[0] == '.')
		return true;
	nm->n++;
	scnprintf(nm->list + used, sizeof(nm->list) - used, "%.*s ", len, name);
	return true;
}

/* The names in sysfs directory @path as " a b c ", and their count. */
static int sysfs_list(struct kunit *test, struct vfsmount *mnt,
		      const char *path, struct names *nm)
{
	struct file *f = file_open_root_mnt(mnt, path, O_RDONLY | O_DIRECTORY, 0);
	int ret;

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(f), "open %s: %ld", path, PTR_ERR(f));
	memset(nm, 0, sizeof(*nm));
	nm->ctx.actor = collect_name;
	nm->list[0] = ' ';
	ret = iterate_dir(f, &nm->ctx);
	fput(f);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return nm->n;
}

static bool has_name(const struct names *nm, const char *name)
{
	char word[32];

	snprintf(word, sizeof(word), " %s ", name);
	return strstr(nm->list, word);
}

/*
 * MISC-SYSFS-DIRS: the root of sysfs holds the ten directories the notes
 * name, made by the subsystems at boot (power only with CONFIG_PM, block
 * only with CONFIG_BLOCK: both are on here).
 */
static void sysfs_root_has_the_ten_named_dirs(struct kunit *test)
{
	static const char * const dirs[] = {
		"block", "bus", "class", "dev", "devices", "firmware", "fs",
		"kernel", "module", "power",
	};
	struct vfsmount *mnt = sysfs_mount(test);
	struct names *nm = kunit_kzalloc(test, sizeof(*nm), GFP_KERNEL);
	int i, n;

	KUNIT_ASSERT_NOT_NULL(test, nm);
	n = sysfs_list(test, mnt, ".", nm);
	kunit_info(test, "/sys:%s", nm->list);
	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		KUNIT_EXPECT_TRUE_MSG(test, has_name(nm, dirs[i]),
				      "/sys/%s missing", dirs[i]);
	KUNIT_EXPECT_GE(test, n, (int)ARRAY_SIZE(dirs));
	/* the notes' "devices" holds the real tree; "block" and "dev" index it */
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "devices/system"), 0);
}

/*
 * MISC-DEVICE-CLASSES: the kernel's device numbers come in exactly two
 * kinds, /sys/dev/block and /sys/dev/char; network interfaces have no
 * device number (they would be /sys/class/net, CONFIG_NET is off here).
 */
static void device_numbers_are_block_or_char(struct kunit *test)
{
	struct vfsmount *mnt = sysfs_mount(test);
	struct names *nm = kunit_kzalloc(test, sizeof(*nm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nm);
	KUNIT_EXPECT_EQ(test, sysfs_list(test, mnt, "dev", nm), 2);
	KUNIT_EXPECT_TRUE(test, has_name(nm, "block"));
	KUNIT_EXPECT_TRUE(test, has_name(nm, "char"));
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "class/net"),
			IS_ENABLED(CONFIG_NET) ? 0 : -ENOENT);
}

static void kc_dev_release(struct device *dev)
{
	kfree(dev);
}

/*
 * MISC-DEVICE-MODEL: devices form a tree: a child device's directory is
 * inside its parent's under /sys/devices, and a child cannot be added
 * before its parent (sysfs has no directory to put it in: -ENOENT), so
 * registration order is parent first, which is the order device_shutdown()
 * and suspend walk backwards to power children down first.
 */
static void device_child_nests_under_parent_added_first(struct kunit *test)
{
	struct vfsmount *mnt = sysfs_mount(test);
	struct device *root, *child, *orphan_parent;
	struct kc_obj *okobj, *ckobj;
	struct kclaims_report rep;
	int ret, seen, released = 0;

	root = root_device_register("kclaims_dm");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, root);

	child = kzalloc(sizeof(*child), GFP_KERNEL);
	if (!child) {
		root_device_unregister(root);
		KUNIT_FAIL_AND_ABORT(test, "no memory");
	}
	device_initialize(child);
	child->parent = root;
	child->release = kc_dev_release;
	dev_set_name(child, "kclaims_child");
	ret = device_add(child);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "devices/kclaims_dm"), 0);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "devices/kclaims_dm/kclaims_child"), 0);
	KUNIT_EXPECT_PTR_EQ(test, child->kobj.parent, &root->kobj);
	if (!ret)
		device_del(child);
	put_device(child);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "devices/kclaims_dm/kclaims_child"),
			-ENOENT);
	root_device_unregister(root);

	/*
	 * The rule lives in the kobject layer (sysfs has no directory to put
	 * the child in): check it there first, since a device_add() that got
	 * past it with an unregistered parent would oops on parent->p.
	 */
	okobj = kc_obj_new(test, &released);
	ckobj = kc_obj_new(test, &released);
	kobject_init(&okobj->kobj, &kc_obj_ktype);
	kobject_init(&ckobj->kobj, &kc_obj_ktype);
	KUNIT_ASSERT_EQ(test, kclaims_report_begin(&rep, "failed for kclaims_early_kobj"), 0);
	ret = kobject_add(&ckobj->kobj, &okobj->kobj, "kclaims_early_kobj");
	seen = kclaims_report_end(&rep);
	kobject_put(&ckobj->kobj);
	kobject_put(&okobj->kobj);
	KUNIT_EXPECT_EQ(test, released, 2);
	KUNIT_EXPECT_EQ(test, seen, 1);
	KUNIT_ASSERT_EQ(test, ret, -ENOENT);

	/* the same for devices: a parent that was initialised, never added */
	orphan_parent = kzalloc(sizeof(*orphan_parent), GFP_KERNEL);
	child = kzalloc(sizeof(*child), GFP_KERNEL);
	if (!orphan_parent || !child) {
		kfree(orphan_parent);
		kfree(child);
		KUNIT_FAIL_AND_ABORT(test, "no memory");
	}
	device_initialize(orphan_parent);
	orphan_parent->release = kc_dev_release;
	dev_set_name(orphan_parent, "kclaims_unadded");
	device_initialize(child);
	child->parent = orphan_parent;
	child->release = kc_dev_release;
	dev_set_name(child, "kclaims_early_child");

	/* kobject_add_internal() prints its failure (pr_err) */
	KUNIT_ASSERT_EQ(test, kclaims_report_begin(&rep, "failed for kclaims_early_child"), 0);
	ret = device_add(child);
	seen = kclaims_report_end(&rep);
	KUNIT_EXPECT_EQ(test, ret, -ENOENT);
	KUNIT_EXPECT_GE(test, seen, 1);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "devices/kclaims_early_child"),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, sysfs_dir(mnt, "kclaims_early_child"), -ENOENT);
	if (!ret)
		device_del(child);
	put_device(child);
	put_device(orphan_parent);
}

/* Set by this file's module_init() function; read by the case below. */
static bool kc_initcall_ran;
static enum system_states kc_initcall_state;

static int __init kclaims_kobject_initcall(void)
{
	kc_initcall_ran = true;
	kc_initcall_state = system_state;
	return 0;
}
module_init(kclaims_kobject_initcall);

/*
 * MISC-MODULE-INIT: for built-in code module_init() is an initcall: the
 * function ran once during boot (system_state still before SYSTEM_RUNNING,
 * which is set only after the initcalls and the init memory is freed);
 * module_exit() code is never run for built-in code.
 */
static void module_init_of_builtin_code_ran_at_boot(struct kunit *test)
{
	if (IS_MODULE(CONFIG_KCLAIMS_KOBJECT_KUNIT_TEST))
		kunit_skip(test, "built-in only: as a module it runs at load");
	KUNIT_EXPECT_TRUE(test, kc_initcall_ran);
	KUNIT_EXPECT_LT(test, (int)kc_initcall_state, (int)SYSTEM_RUNNING);
	KUNIT_EXPECT_GE(test, (int)kc_initcall_state, (int)SYSTEM_SCHEDULING);
}

static struct kunit_case kclaims_kobject_cases[] = {
	KUNIT_CASE(create_and_add_makes_a_dir_and_del_removes_it),
	KUNIT_CASE(child_dir_is_inside_the_parent_dir),
	KUNIT_CASE(ktype_release_runs_at_the_last_put),
	KUNIT_CASE(attribute_show_and_store_run_on_read_and_write),
	KUNIT_CASE(kset_members_are_listed_and_inside_its_dir),
	KUNIT_CASE(sysfs_root_has_the_ten_named_dirs),
	KUNIT_CASE(device_numbers_are_block_or_char),
	KUNIT_CASE(device_child_nests_under_parent_added_first),
	KUNIT_CASE(module_init_of_builtin_code_ran_at_boot),
	{}
};

static struct kunit_suite kclaims_kobject_suite = {
	.name = "kclaims_kobject",
	.test_cases = kclaims_kobject_cases,
};
kunit_test_suite(kclaims_kobject_suite);

MODULE_DESCRIPTION("kclaims: kobject, kset, ktype, sysfs and device model claims");
MODULE_LICENSE("GPL");

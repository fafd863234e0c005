// SPDX-License-Identifier: GPL-2.0
/*
 * kclaims_kref: the reference count under every kobject (seed 002, 17.3:
 * "release runs when the count reaches 0, like a C++ destructor").
 * struct kobject counts with a struct kref; these cases check kref itself:
 * when the release function runs, and that a dying object cannot be
 * revived.
 */
#include <kunit/test.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct kc_ref {
	struct kref ref;
	struct list_head node;		/* on a lookup list, under a lock */
	int released;
	unsigned int count_in_release;
	bool revived_in_release;	/* kref_get_unless_zero() while dying */
	bool mutex_held_in_release;
	bool spin_held_in_release;
	struct mutex *mutex;
	spinlock_t *spin;
};

static void kc_release(struct kref *ref)
{
	struct kc_ref *o = container_of(ref, struct kc_ref, ref);

	o->released++;
	o->count_in_release = kref_read(ref);
	o->revived_in_release = kref_get_unless_zero(ref);
}

/*
 * MISC-KTYPE-RELEASE: kref_put() calls the release exactly once, when the
 * count it drops reaches zero, and tells the caller so; earlier puts
 * neither call it nor report a release.
 */
static void kref_put_releases_once_at_zero(struct kunit *test)
{
	struct kc_ref o = { };
	int i;

	kref_init(&o.ref);
	KUNIT_EXPECT_EQ(test, kref_read(&o.ref), 1U);
	kref_get(&o.ref);
	kref_get(&o.ref);
	KUNIT_EXPECT_EQ(test, kref_read(&o.ref), 3U);

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, kref_put(&o.ref, kc_release), 0);
		KUNIT_EXPECT_EQ(test, o.released, 0);
	}
	KUNIT_EXPECT_EQ(test, kref_put(&o.ref, kc_release), 1);
	KUNIT_EXPECT_EQ(test, o.released, 1);
	KUNIT_EXPECT_EQ(test, o.count_in_release, 0U);
}

/*
 * MISC-KTYPE-RELEASE: while release runs the count is 0 and stays 0:
 * kref_get_unless_zero() on a dying object fails, where a live object
 * gets its reference.
 */
static void get_unless_zero_fails_on_a_dying_object(struct kunit *test)
{
	struct kc_ref o = { };

	kref_init(&o.ref);
	KUNIT_EXPECT_TRUE(test, kref_get_unless_zero(&o.ref));
	KUNIT_EXPECT_EQ(test, kref_read(&o.ref), 2U);
	KUNIT_EXPECT_EQ(test, kref_put(&o.ref, kc_release), 0);
	KUNIT_EXPECT_EQ(test, kref_put(&o.ref, kc_release), 1);

	KUNIT_EXPECT_EQ(test, o.released, 1);
	KUNIT_EXPECT_FALSE(test, o.revived_in_release);
	KUNIT_EXPECT_EQ(test, kref_read(&o.ref), 0U);
	KUNIT_EXPECT_FALSE(test, kref_get_unless_zero(&o.ref));
	KUNIT_EXPECT_EQ(test, kref_read(&o.ref), 0U);
}

static void kc_release_locked(struct kref *ref)
{
	struct kc_ref *o = container_of(ref, struct kc_ref, ref);

	o->released++;
	o->count_in_release = kref_read(ref);
	if (o->mutex) {
		o->mutex_held_in_release = mutex_is_locked(o->mutex);
		list_del(&o->node);
		mutex_unlock(o->mutex);
	} else {
		o->spin_held_in_release = lockdep_is_held_type(o->spin, -1);
		list_del(&o->node);
		spin_unlock(o->spin);
	}
}

/*
 * MISC-KTYPE-RELEASE: kref_put_mutex()/kref_put_lock() (lib/refcount.c,
 * refcount_dec_and_{mutex_,}lock) take the lookup lock only for the last
 * reference and call release with it held, so the release can unlink the
 * object before any lookup sees it at zero; earlier puts neither release
 * nor leave the lock taken.
 */
static void put_with_lock_releases_under_the_lock_at_zero(struct kunit *test)
{
	static DEFINE_MUTEX(lookup_mutex);
	static DEFINE_SPINLOCK(lookup_spin);
	struct kc_ref m = { .mutex = &lookup_mutex };
	struct kc_ref s = { .spin = &lookup_spin };
	LIST_HEAD(objects);

	kref_init(&m.ref);
	kref_get(&m.ref);
	kref_init(&s.ref);
	kref_get(&s.ref);
	list_add(&m.node, &objects);
	list_add(&s.node, &objects);

	KUNIT_EXPECT_EQ(test, kref_put_mutex(&m.ref, kc_release_locked,
					     &lookup_mutex), 0);
	KUNIT_EXPECT_EQ(test, kref_put_lock(&s.ref, kc_release_locked,
					    &lookup_spin), 0);
	KUNIT_EXPECT_EQ(test, m.released + s.released, 0);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&lookup_mutex));
	KUNIT_EXPECT_EQ(test, kref_read(&m.ref), 1U);
	KUNIT_EXPECT_EQ(test, kref_read(&s.ref), 1U);

	KUNIT_EXPECT_EQ(test, kref_put_mutex(&m.ref, kc_release_locked,
					     &lookup_mutex), 1);
	KUNIT_EXPECT_EQ(test, kref_put_lock(&s.ref, kc_release_locked,
					    &lookup_spin), 1);
	KUNIT_EXPECT_EQ(test, m.released, 1);
	KUNIT_EXPECT_EQ(test, s.released, 1);
	KUNIT_EXPECT_EQ(test, m.count_in_release, 0U);
	KUNIT_EXPECT_EQ(test, s.count_in_release, 0U);
	KUNIT_EXPECT_TRUE(test, m.mutex_held_in_release);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&lookup_mutex));
	KUNIT_EXPECT_TRUE(test, list_empty(&objects));
	/* a UP spinlock has no state to read: ask lockdep who holds it */
	if (IS_ENABLED(CONFIG_LOCKDEP))
		KUNIT_EXPECT_TRUE(test, s.spin_held_in_release);
}

static struct kunit_case kclaims_kref_cases[] = {
	KUNIT_CASE(kref_put_releases_once_at_zero),
	KUNIT_CASE(get_unless_zero_fails_on_a_dying_object),
	KUNIT_CASE(put_with_lock_releases_under_the_lock_at_zero),
	{}
};

static struct kunit_suite kclaims_kref_suite = {
	.name = "kclaims_kref",
	.test_cases = kclaims_kref_cases,
};
kunit_test_suite(kclaims_kref_suite);

MODULE_DESCRIPTION("kclaims: kref release claims of the notes");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/* PLACEHOLDER: replaced by the real suite. */
#include <kunit/test.h>

static void placeholder(struct kunit *test)
{
	kunit_skip(test, "suite not written yet");
}

static struct kunit_case kclaims_slab_cases[] = {
	KUNIT_CASE(placeholder),
	{}
};

static struct kunit_suite kclaims_slab_suite = {
	.name = "kclaims_slab",
	.test_cases = kclaims_slab_cases,
};
kunit_test_suite(kclaims_slab_suite);

MODULE_DESCRIPTION("kclaims placeholder");
MODULE_LICENSE("GPL");

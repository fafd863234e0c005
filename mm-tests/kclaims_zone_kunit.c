// SPDX-License-Identifier: GPL-2.0
/* PLACEHOLDER: replaced by the real suite. */
#include <kunit/test.h>

static void placeholder(struct kunit *test)
{
	kunit_skip(test, "suite not written yet");
}

static struct kunit_case kclaims_zone_cases[] = {
	KUNIT_CASE(placeholder),
	{}
};

static struct kunit_suite kclaims_zone_suite = {
	.name = "kclaims_zone",
	.test_cases = kclaims_zone_cases,
};
kunit_test_suite(kclaims_zone_suite);

MODULE_DESCRIPTION("kclaims placeholder");
MODULE_LICENSE("GPL");

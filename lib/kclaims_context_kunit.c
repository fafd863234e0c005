// SPDX-License-Identifier: GPL-2.0
/* PLACEHOLDER: replaced by the real suite. */
#include <kunit/test.h>

static void placeholder(struct kunit *test)
{
	kunit_skip(test, "suite not written yet");
}

static struct kunit_case kclaims_context_cases[] = {
	KUNIT_CASE(placeholder),
	{}
};

static struct kunit_suite kclaims_context_suite = {
	.name = "kclaims_context",
	.test_cases = kclaims_context_cases,
};
kunit_test_suite(kclaims_context_suite);

MODULE_DESCRIPTION("kclaims placeholder");
MODULE_LICENSE("GPL");

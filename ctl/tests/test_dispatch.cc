#include <gtest/gtest.h>

#include "dispatch.h"
#include "error.h"

using namespace alttcpctl;

namespace {
const std::vector<std::string> kObjects = {"config", "conn", "stats", "monitor", "listener", "run"};
}

TEST(MatchPrefix, ExactAndUniquePrefixes)
{
	EXPECT_EQ(match_prefix("config", kObjects, "object"), 0u);
	EXPECT_EQ(match_prefix("conf", kObjects, "object"), 0u);
	EXPECT_EQ(match_prefix("conn", kObjects, "object"), 1u);
	EXPECT_EQ(match_prefix("s", kObjects, "object"), 2u);
	EXPECT_EQ(match_prefix("l", kObjects, "object"), 4u);
}

TEST(MatchPrefix, ExactNameBeatsLongerNames)
{
	EXPECT_EQ(match_prefix("run", {"runner", "run"}, "object"), 1u);
}

TEST(MatchPrefix, AmbiguousPrefixNamesTheCandidates)
{
	try {
		match_prefix("con", kObjects, "object");
		FAIL() << "no throw";
	} catch (const UsageError &e) {
		EXPECT_STREQ(e.what(), "ambiguous object \"con\" (config, conn)");
	}
}

TEST(MatchPrefix, UnknownWordAndEmptyWord)
{
	try {
		match_prefix("frob", kObjects, "object");
		FAIL() << "no throw";
	} catch (const UsageError &e) {
		EXPECT_STREQ(e.what(), "unknown object \"frob\"");
	}
	EXPECT_THROW(match_prefix("", kObjects, "object"), UsageError);
	EXPECT_THROW(match_prefix("configs", kObjects, "object"), UsageError);
}

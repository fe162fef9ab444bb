#include <sstream>

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

namespace {

std::vector<std::string> g_seen;
void record_default(Context &, const Args &a) { g_seen = a; g_seen.insert(g_seen.begin(), "default"); }
void record_show(Context &, const Args &a) { g_seen = a; g_seen.insert(g_seen.begin(), "show"); }
void no_usage(std::ostream &) {}
bool starts_filter(const std::string &w) { return w == "state"; }

std::vector<std::string> dispatch_to(const Object &o, const Args &args)
{
	Options opts;
	std::ostringstream out;
	Context ctx{opts, out, false, nullptr};
	g_seen.clear();
	run_object(o, ctx, args);
	return g_seen;
}

}  // namespace

TEST(RunObject, WordsThatStartTheDefaultVerbsArguments)
{
	const Object o{"conn", {{"show", record_show}}, record_default, no_usage, false, starts_filter};
	using S = std::vector<std::string>;
	EXPECT_EQ(dispatch_to(o, {}), S{"default"});
	EXPECT_EQ(dispatch_to(o, {"state", "listen"}), (S{"default", "state", "listen"}));
	EXPECT_EQ(dispatch_to(o, {"sh", "state", "x"}), (S{"show", "state", "x"}));
	EXPECT_THROW(dispatch_to(o, {"frob"}), UsageError);
}

TEST(RunObject, ObjectThatTakesACommand)
{
	const Object o{"run", {}, record_default, no_usage, true};
	using S = std::vector<std::string>;
	EXPECT_EQ(dispatch_to(o, {"sh", "-c", "x"}), (S{"default", "sh", "-c", "x"}));
	EXPECT_EQ(dispatch_to(o, {"help"}), (S{"default", "help"}));
}

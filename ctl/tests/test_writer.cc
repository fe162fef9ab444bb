#include <sstream>

#include <gtest/gtest.h>

#include "config_cmd.h"
#include "json_check.h"
#include "kernel_reply.h"
#include "writer.h"

using namespace alttcpctl;
using namespace alttcpctl::test;

namespace {

std::string text_of(const Config &c)
{
	std::ostringstream s;
	write_config(*make_text_writer(s), c);
	return s.str();
}

std::string json_of(const Config &c, bool pretty)
{
	std::ostringstream s;
	write_config(*make_json_writer(s, pretty), c);
	return s.str();
}

Config small_config()
{
	Config c;
	c.values[find_param("syn_retries")] = 6;
	c.values[find_param("sack")] = 1;
	c.port_range = PortRange{32768, 60999};
	c.rmem = BufSizes{4096, 131072, 6291456};
	return c;
}

}  // namespace

TEST(ConfigText, EveryParameterInTableOrderThenThePortRangeThenRmem)
{
	EXPECT_EQ(text_of(sample_config()), kSampleText);
}

TEST(ConfigText, FieldsTheKernelDidNotSendAreLeftOut)
{
	EXPECT_EQ(text_of(small_config()),
		  "syn_retries 6\nsack 1\nlocal_port_range 32768\t60999\nrmem 4096\t131072\t6291456\n");
	EXPECT_EQ(text_of(Config{}), "");
	Config only_rmem;
	only_rmem.rmem = BufSizes{1, 2, 4294967295u};
	EXPECT_EQ(text_of(only_rmem), "rmem 1\t2\t4294967295\n");
}

TEST(ConfigJson, CompactExact)
{
	EXPECT_EQ(json_of(sample_config(), false), kSampleJson);
	EXPECT_EQ(json_of(small_config(), false),
		  "{\"syn_retries\":6,\"sack\":1,\"local_port_range\":[32768,60999],"
		  "\"rmem\":[4096,131072,6291456]}\n");
	EXPECT_EQ(json_of(Config{}, false), "{}\n");
	Config only_rmem;
	only_rmem.rmem = BufSizes{1, 2, 4294967295u};
	EXPECT_EQ(json_of(only_rmem, false), "{\"rmem\":[1,2,4294967295]}\n");
}

TEST(ConfigJson, PrettyExact)
{
	EXPECT_EQ(json_of(small_config(), true),
		  "{\n"
		  "    \"syn_retries\": 6,\n"
		  "    \"sack\": 1,\n"
		  "    \"local_port_range\": [32768, 60999],\n"
		  "    \"rmem\": [4096, 131072, 6291456]\n"
		  "}\n");
}

TEST(ConfigJson, ParsesBackWithEveryValue)
{
	for (bool pretty : {false, true}) {
		Config c = sample_config();
		Json j = JsonParser::parse(json_of(c, pretty));
		ASSERT_EQ(j.kind, Json::Object);
		ASSERT_EQ(j.members.size(), kNumParams + 2);
		for (std::size_t i = 0; i < kNumParams; i++) {
			EXPECT_EQ(j.members[i].first, kParams[i].name);
			EXPECT_EQ(j.members[i].second.kind, Json::Number);
			EXPECT_EQ(j.members[i].second.num, *c.values[i]);
		}
		const Json &pr = j.at("local_port_range");
		ASSERT_EQ(pr.kind, Json::Array);
		ASSERT_EQ(pr.items.size(), 2u);
		EXPECT_EQ(pr.items[0].num, 32768);
		EXPECT_EQ(pr.items[1].num, 60999);
		EXPECT_EQ(j.members[kNumParams].first, "local_port_range");
		EXPECT_EQ(j.members[kNumParams + 1].first, "rmem");
		const Json &rmem = j.at("rmem");
		ASSERT_EQ(rmem.kind, Json::Array);
		ASSERT_EQ(rmem.items.size(), 3u);
		EXPECT_EQ(rmem.items[0].num, 4096);
		EXPECT_EQ(rmem.items[1].num, 131072);
		EXPECT_EQ(rmem.items[2].num, 6291456);
	}
}

TEST(JsonParserSelfTest, RejectsBrokenJson)
{
	// The checker must be able to fail, or the test above proves nothing.
	EXPECT_THROW(JsonParser::parse("{\"a\":1,}"), std::runtime_error);
	EXPECT_THROW(JsonParser::parse("{\"a\":1}{"), std::runtime_error);
	EXPECT_THROW(JsonParser::parse("{\"a\" 1}"), std::runtime_error);
	EXPECT_THROW(JsonParser::parse("{\"a\":01}"), std::runtime_error);
	EXPECT_THROW(JsonParser::parse("\"a\nb\""), std::runtime_error);
	EXPECT_THROW(JsonParser::parse("{\"a\":1,\"a\":2}"), std::runtime_error);
	EXPECT_NO_THROW(JsonParser::parse("[1, -2.5e3, true, null, {\"x\": \"y\"}]"));
}

TEST(JsonQuote, EscapesQuotesBackslashesAndControls)
{
	EXPECT_EQ(json_quote("plain"), "\"plain\"");
	EXPECT_EQ(json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
	EXPECT_EQ(json_quote("t\tn\nr\r"), "\"t\\tn\\nr\\r\"");
	EXPECT_EQ(json_quote(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
	EXPECT_EQ(json_quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // UTF-8 passes through

	std::string nasty = std::string("q\"\\/\b\f\n\r\t\x02 end", 14);
	Json j = JsonParser::parse(json_quote(nasty));
	EXPECT_EQ(j.str, nasty);
}

TEST(Writer, ArraysOfRecordsForLaterObjects)
{
	std::ostringstream js, ts;
	for (auto *s : {&js, &ts}) {
		auto w = s == &js ? make_json_writer(*s, false) : make_text_writer(*s);
		w->begin_array();
		w->begin_object();
		w->field_string("state", "ESTAB \"x\"");
		w->end_object();
		w->begin_object();
		w->field_uint("port", 80);
		w->end_object();
		w->end_array();
	}
	EXPECT_EQ(js.str(), "[{\"state\":\"ESTAB \\\"x\\\"\"},{\"port\":80}]\n");
	EXPECT_EQ(ts.str(), "state ESTAB \"x\"\n\nport 80\n");
	EXPECT_NO_THROW(JsonParser::parse(js.str()));
}

TEST(Writer, BoolsNullsAndNestedObjects)
{
	auto describe = [](Writer &w) {
		w.begin_object();
		w.field_string("state", "LISTEN");
		w.field_null("timer");
		w.begin_object_field("t");
		w.field_string("kind", "on");
		w.field_uint("ms", 200);
		w.end_object();
		w.field_bool("sack", true);
		w.field_bool("ts", false);
		w.end_object();
	};
	std::ostringstream js, ps, ts, ls;
	describe(*make_json_writer(js, false));
	describe(*make_json_writer(ps, true));
	describe(*make_text_writer(ts));
	describe(*make_line_writer(ls));
	EXPECT_EQ(js.str(), "{\"state\":\"LISTEN\",\"timer\":null,\"t\":{\"kind\":\"on\",\"ms\":200},"
			    "\"sack\":true,\"ts\":false}\n");
	EXPECT_EQ(ps.str(), "{\n    \"state\": \"LISTEN\",\n    \"timer\": null,\n    \"t\": {\n"
			    "        \"kind\": \"on\",\n        \"ms\": 200\n    },\n"
			    "    \"sack\": true,\n    \"ts\": false\n}\n");
	EXPECT_EQ(ts.str(), "state LISTEN\ntimer -\nt.kind on\nt.ms 200\nsack 1\nts 0\n");
	EXPECT_EQ(ls.str(), "state LISTEN timer - t.kind on t.ms 200 sack 1 ts 0\n");
	EXPECT_NO_THROW(JsonParser::parse(ps.str()));
}

TEST(Writer, LineWriterPutsEachRecordOnOneLine)
{
	std::ostringstream ls;
	auto w = make_line_writer(ls);
	w->begin_array();
	for (uint64_t port : {80, 443}) {
		w->begin_object();
		w->field_uint("port", port);
		w->field_string("addr", "*");
		w->field_uint_list("range", {1, 2});
		w->end_object();
	}
	w->end_array();
	EXPECT_EQ(ls.str(), "port 80 addr * range 1,2\nport 443 addr * range 1,2\n");
}

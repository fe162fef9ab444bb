// conn show / conn kill: filters, decoding of recorded dump messages, the
// exact output, and the dump and kill exchanges through the fake kernel.
#include <cerrno>
#include <sstream>

#include <gtest/gtest.h>

#include "cli.h"
#include "client.h"
#include "conn_codec.h"
#include "conn_filter.h"
#include "conn_format.h"
#include "conn_reply.h"
#include "error.h"
#include "extack.h"
#include "fake_transport.h"
#include "run_cli.h"
#include "json_check.h"
#include "tcp_states.h"
#include "writer.h"

using namespace alttcpctl;
using namespace alttcpctl::test;
using V = std::vector<std::string>;

namespace {

constexpr uint32_t bit(int s) { return 1u << s; }

uint32_t be(const char *addr)
{
	uint32_t v;
	Bytes b = ip(addr);
	std::memcpy(&v, b.data(), 4);
	return v;
}

std::string usage_error(const V &args)
{
	try {
		parse_conn_filter(args);
	} catch (const UsageError &e) {
		EXPECT_EQ(e.object(), "conn");
		return e.what();
	}
	return "(no throw)";
}

std::vector<Conn> sample_conns()
{
	std::vector<Conn> cs;
	for (const Bytes &b : sample_dump())
		cs.push_back(decode_conn(b));
	return cs;
}

const char kTable[] =
	"State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  Timer\n"
	"LISTEN     1       128     0.0.0.0:8080        0.0.0.0:*\n"
	"ESTAB      5       1448    10.0.1.1:8080       10.0.1.2:40000     timer:(on,200ms,2)\n"
	"ESTAB      0       0       10.0.1.1:22         10.0.1.9:50000     timer:(keepalive,119min,1)\n"
	"SYN-RECV   0       0       10.0.1.1:8080       10.0.1.3:40001     timer:(synack,1.500ms,0)\n"
	"TIME-WAIT  0       0       10.0.1.1:40002      10.0.1.2:80        timer:(timewait,59sec,0)\n";

const char kTableE[] =
	"State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  Timer\n"
	"LISTEN     1       128     0.0.0.0:8080        0.0.0.0:*                                      uid:0 ino:23456 age:65.000s\n"
	"ESTAB      5       1448    10.0.1.1:8080       10.0.1.2:40000     timer:(on,200ms,2)          uid:1000 ino:34567 age:1.234s\n"
	"ESTAB      0       0       10.0.1.1:22         10.0.1.9:50000     timer:(keepalive,119min,1)  age:3600.000s orphan\n"
	"SYN-RECV   0       0       10.0.1.1:8080       10.0.1.3:40001     timer:(synack,1.500ms,0)    age:0.250s\n"
	"TIME-WAIT  0       0       10.0.1.1:40002      10.0.1.2:80        timer:(timewait,59sec,0)    age:1.000s\n";

const char kTableI[] =
	"State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  Timer\n"
	"LISTEN     1       128     0.0.0.0:8080        0.0.0.0:*\n"
	"\tsynq:2 overflows:3 drops:4\n"
	"ESTAB      5       1448    10.0.1.1:8080       10.0.1.2:40000     timer:(on,200ms,2)\n"
	"\trto:408 rtt:12.5/3 mss:1448 rcvmss:1448 cwnd:14480 wscale:7,9 ts sack bytes_acked:123456"
	" bytes_received:7890 segs_out:60 segs_in:50 snd_wnd:65535 rcv_wnd:64240 retrans:2/3\n"
	"ESTAB      0       0       10.0.1.1:22         10.0.1.9:50000     timer:(keepalive,119min,1)\n"
	"\trto:200 rtt:0.25/0.125 mss:1448 rcvmss:1448 cwnd:28960 ssthresh:28960 wscale:7,9"
	" bytes_acked:4294967301 bytes_received:0 segs_out:4 segs_in:3 snd_wnd:65535 rcv_wnd:64240"
	" retrans:0/0\n"
	"SYN-RECV   0       0       10.0.1.1:8080       10.0.1.3:40001     timer:(synack,1.500ms,0)\n"
	"TIME-WAIT  0       0       10.0.1.1:40002      10.0.1.2:80        timer:(timewait,59sec,0)\n";

const char kJson[] =
	"[{\"state\":\"LISTEN\",\"local_addr\":\"0.0.0.0\",\"local_port\":8080,"
	"\"peer_addr\":\"0.0.0.0\",\"peer_port\":0,\"recv_q\":1,\"send_q\":128,\"timer\":null,"
	"\"age_ms\":65000,\"uid\":0,\"inode\":23456,\"accept_queue\":1,\"accept_max\":128,"
	"\"syn_queue\":2,\"listen_overflows\":3,\"listen_drops\":4},"
	"{\"state\":\"ESTABLISHED\",\"local_addr\":\"10.0.1.1\",\"local_port\":8080,"
	"\"peer_addr\":\"10.0.1.2\",\"peer_port\":40000,\"recv_q\":5,\"send_q\":1448,"
	"\"timer\":{\"kind\":\"retransmit\",\"expires_ms\":200,\"retransmits\":2},"
	"\"age_ms\":1234,\"uid\":1000,\"inode\":34567,\"orphan\":false,\"rto_us\":408000,"
	"\"rtt_us\":12500,\"rttvar_us\":3000,\"snd_mss\":1448,\"rcv_mss\":1448,\"cwnd\":14480,"
	"\"ssthresh\":2147483647,\"snd_wscale\":7,\"rcv_wscale\":9,\"timestamps\":true,"
	"\"sack\":true,\"snd_wnd\":65535,\"rcv_wnd\":64240,\"bytes_acked\":123456,"
	"\"bytes_received\":7890,\"segs_out\":60,\"segs_in\":50,\"retransmits\":2,"
	"\"total_retrans\":3,\"probes\":0},"
	"{\"state\":\"ESTABLISHED\",\"local_addr\":\"10.0.1.1\",\"local_port\":22,"
	"\"peer_addr\":\"10.0.1.9\",\"peer_port\":50000,\"recv_q\":0,\"send_q\":0,"
	"\"timer\":{\"kind\":\"keepalive\",\"expires_ms\":7199000,\"retransmits\":0},"
	"\"age_ms\":3600000,\"orphan\":true,\"rto_us\":200000,\"rtt_us\":250,\"rttvar_us\":125,"
	"\"snd_mss\":1448,\"rcv_mss\":1448,\"cwnd\":28960,\"ssthresh\":28960,\"snd_wscale\":7,"
	"\"rcv_wscale\":9,\"timestamps\":false,\"sack\":false,\"snd_wnd\":65535,"
	"\"rcv_wnd\":64240,\"bytes_acked\":4294967301,\"bytes_received\":0,\"segs_out\":4,"
	"\"segs_in\":3,\"retransmits\":0,\"total_retrans\":0,\"probes\":1},"
	"{\"state\":\"SYN_RECV\",\"local_addr\":\"10.0.1.1\",\"local_port\":8080,"
	"\"peer_addr\":\"10.0.1.3\",\"peer_port\":40001,\"recv_q\":0,\"send_q\":0,"
	"\"timer\":{\"kind\":\"syn_ack\",\"expires_ms\":1500,\"retransmits\":0},\"age_ms\":250},"
	"{\"state\":\"TIME_WAIT\",\"local_addr\":\"10.0.1.1\",\"local_port\":40002,"
	"\"peer_addr\":\"10.0.1.2\",\"peer_port\":80,\"recv_q\":0,\"send_q\":0,"
	"\"timer\":{\"kind\":\"time_wait\",\"expires_ms\":59000,\"retransmits\":0},"
	"\"age_ms\":1000}]\n";

FakeKernel kernel_with_dump()
{
	FakeKernel k;
	k.dumps = {DumpReply{sample_dump(), false}};
	return k;
}

}  // namespace

// ---- states and filters -------------------------------------------------

TEST(ConnStates, EveryNameAndAlias)
{
	const std::pair<const char *, int> names[] = {
		{"established", ALTTCP_STATE_ESTABLISHED}, {"estab", ALTTCP_STATE_ESTABLISHED},
		{"syn-sent", ALTTCP_STATE_SYN_SENT},       {"syn-recv", ALTTCP_STATE_SYN_RECV},
		{"fin-wait-1", ALTTCP_STATE_FIN_WAIT1},    {"fin-wait-2", ALTTCP_STATE_FIN_WAIT2},
		{"time-wait", ALTTCP_STATE_TIME_WAIT},     {"closed", ALTTCP_STATE_CLOSE},
		{"close", ALTTCP_STATE_CLOSE},             {"close-wait", ALTTCP_STATE_CLOSE_WAIT},
		{"last-ack", ALTTCP_STATE_LAST_ACK},       {"listening", ALTTCP_STATE_LISTEN},
		{"listen", ALTTCP_STATE_LISTEN},           {"closing", ALTTCP_STATE_CLOSING},
		{"ESTAB", ALTTCP_STATE_ESTABLISHED},       {"Time-Wait", ALTTCP_STATE_TIME_WAIT},
		{"SYN_RECV", ALTTCP_STATE_SYN_RECV},       {"fin_wait1", ALTTCP_STATE_FIN_WAIT1},
	};
	for (const auto &[word, state] : names)
		EXPECT_EQ(parse_state_word(word), std::optional<uint32_t>(bit(state))) << word;
	EXPECT_EQ(parse_state_word("estab1"), std::nullopt);
	EXPECT_EQ(parse_state_word("syn"), std::nullopt);
	EXPECT_EQ(parse_state_word(""), std::nullopt);
}

TEST(ConnStates, Groups)
{
	uint32_t all = 0;
	for (int s = ALTTCP_STATE_ESTABLISHED; s <= ALTTCP_STATE_CLOSING; s++)
		all |= bit(s);
	EXPECT_EQ(parse_state_word("all"), all);
	EXPECT_EQ(parse_state_word("ALL"), all);
	uint32_t connected = all & ~bit(ALTTCP_STATE_LISTEN) & ~bit(ALTTCP_STATE_CLOSE);
	EXPECT_EQ(parse_state_word("connected"), connected);
	EXPECT_EQ(parse_state_word("synchronized"), connected & ~bit(ALTTCP_STATE_SYN_SENT));
}

TEST(ConnStates, NamesForTextAndJson)
{
	EXPECT_EQ(state_text(ALTTCP_STATE_ESTABLISHED), "ESTAB");
	EXPECT_EQ(state_text(ALTTCP_STATE_FIN_WAIT1), "FIN-WAIT-1");
	EXPECT_EQ(state_text(ALTTCP_STATE_CLOSE), "CLOSED");
	EXPECT_EQ(state_text(ALTTCP_STATE_CLOSE_WAIT), "CLOSE-WAIT");
	EXPECT_EQ(state_text(0), "state#0");
	EXPECT_EQ(state_text(12), "state#12");
	EXPECT_EQ(state_enum_name(ALTTCP_STATE_FIN_WAIT1), "FIN_WAIT1");
	EXPECT_EQ(state_enum_name(ALTTCP_STATE_CLOSE), "CLOSE");
	EXPECT_EQ(state_enum_name(ALTTCP_STATE_LAST_ACK), "LAST_ACK");
	EXPECT_EQ(state_enum_name(200), "state#200");
}

TEST(ConnFilter, WordsAddUp)
{
	ConnFilter f = parse_conn_filter({"state", "listen", "state", "Time-Wait"});
	EXPECT_EQ(f.states, bit(ALTTCP_STATE_LISTEN) | bit(ALTTCP_STATE_TIME_WAIT));
	EXPECT_FALSE(f.laddr || f.lport || f.raddr || f.rport);
	EXPECT_TRUE(parse_conn_filter({}).empty());
	EXPECT_FALSE(f.empty());
}

TEST(ConnFilter, AddressesWithAndWithoutPorts)
{
	ConnFilter f = parse_conn_filter({"src", "10.0.0.1:80", "dst", "192.168.1.2"});
	EXPECT_EQ(f.laddr, be("10.0.0.1"));
	EXPECT_EQ(f.lport, 80);
	EXPECT_EQ(f.raddr, be("192.168.1.2"));
	EXPECT_EQ(f.rport, std::nullopt);

	f = parse_conn_filter({"dst", "*:443", "src", ":8080"});
	EXPECT_EQ(f.raddr, std::nullopt);
	EXPECT_EQ(f.rport, 443);
	EXPECT_EQ(f.laddr, std::nullopt);
	EXPECT_EQ(f.lport, 8080);

	f = parse_conn_filter({"sport", "22", "dport", ":50000"});
	EXPECT_EQ(f.lport, 22);
	EXPECT_EQ(f.rport, 50000);
	// The same port twice is no conflict.
	EXPECT_EQ(parse_conn_filter({"src", "1.2.3.4:80", "sport", "80"}).lport, 80);
}

TEST(ConnFilter, BadWordsAreUsageErrors)
{
	EXPECT_EQ(usage_error({"src", "10.0.0.256"}), "invalid source address \"10.0.0.256\"");
	EXPECT_EQ(usage_error({"dst", "example.com:80"}),
		  "invalid destination address \"example.com\"");
	EXPECT_EQ(usage_error({"src", "10.0.0.1:http"}), "invalid source port \"http\" (1-65535)");
	EXPECT_EQ(usage_error({"src", "10.0.0.1:0"}), "invalid source port \"0\" (1-65535)");
	EXPECT_EQ(usage_error({"dport", "65536"}), "invalid destination port \"65536\" (1-65535)");
	EXPECT_EQ(usage_error({"src", "0.0.0.0"}),
		  "source address 0.0.0.0 cannot be matched; use \"*\" for any");
	EXPECT_EQ(usage_error({"src", "*"}), "source \"*\" names neither address nor port");
	EXPECT_EQ(usage_error({"src", "1.2.3.4:80", "sport", "81"}), "source port given twice");
	EXPECT_EQ(usage_error({"state", "bogus"}), "unknown state \"bogus\"");
	EXPECT_EQ(usage_error({"state"}), "missing value after \"state\"");
	EXPECT_EQ(usage_error({"frob"}), "unknown filter word \"frob\"");
}

TEST(ConnFilter, EncodedAsTheKernelParsesIt)
{
	EXPECT_TRUE(encode_conn_filter({}).empty());

	ConnFilter f = parse_conn_filter({"state", "estab", "src", "10.0.0.1:80", "dst", "10.0.0.2:40000"});
	std::vector<RawAttr> top = raw_attrs(encode_conn_filter(f));
	ASSERT_EQ(top.size(), 1u);
	EXPECT_EQ(top[0].type, ALTTCP_A_FILTER);
	EXPECT_TRUE(top[0].nested);
	std::vector<RawAttr> in = raw_attrs(top[0].payload);
	ASSERT_EQ(in.size(), 5u);
	EXPECT_EQ(in[0].type, ALTTCP_FILTER_STATES);
	EXPECT_EQ(in[0].payload, le(bit(ALTTCP_STATE_ESTABLISHED), 4));
	EXPECT_EQ(in[1].type, ALTTCP_FILTER_LADDR);
	EXPECT_EQ(in[1].payload, (Bytes{10, 0, 0, 1}));  // network order
	EXPECT_EQ(in[2].type, ALTTCP_FILTER_LPORT);
	EXPECT_EQ(in[2].payload, le(80, 2));  // host order, as nla_get_u16
	EXPECT_EQ(in[3].type, ALTTCP_FILTER_RADDR);
	EXPECT_EQ(in[3].payload, (Bytes{10, 0, 0, 2}));
	EXPECT_EQ(in[4].type, ALTTCP_FILTER_RPORT);
	EXPECT_EQ(in[4].payload, le(40000, 2));

	// Only what was asked for.
	in = raw_attrs(raw_attrs(encode_conn_filter(parse_conn_filter({"dport", "80"})))[0].payload);
	ASSERT_EQ(in.size(), 1u);
	EXPECT_EQ(in[0].type, ALTTCP_FILTER_RPORT);
}

// ---- decoding -----------------------------------------------------------

TEST(ConnDecode, ListenerRow)
{
	Conn c = decode_conn(listener_row());
	EXPECT_EQ(c.state, ALTTCP_STATE_LISTEN);
	EXPECT_EQ(c.laddr, 0u);
	EXPECT_EQ(c.lport, 8080);
	EXPECT_EQ(c.rport, 0);
	EXPECT_EQ(c.timer, ALTTCP_TIMER_NONE);
	EXPECT_EQ(c.timer_expires_ms, std::nullopt);
	EXPECT_EQ(c.age_ms, 65000u);
	EXPECT_EQ(c.accept_queue, 1u);
	EXPECT_EQ(c.accept_max, 128u);
	EXPECT_EQ(c.syn_queue, 2u);
	EXPECT_EQ(c.listen_overflows, 3u);
	EXPECT_EQ(c.listen_drops, 4u);
	EXPECT_EQ(c.uid, 0u);
	EXPECT_EQ(c.inode, 23456u);
	EXPECT_FALSE(c.detailed);
	EXPECT_EQ(c.rx_queue, std::nullopt);
	EXPECT_EQ(c.rto_us, std::nullopt);
}

TEST(ConnDecode, EstablishedRowWithEveryDetail)
{
	Conn c = decode_conn(estab_row());
	EXPECT_EQ(c.state, ALTTCP_STATE_ESTABLISHED);
	EXPECT_EQ(c.laddr, be("10.0.1.1"));
	EXPECT_EQ(c.raddr, be("10.0.1.2"));
	EXPECT_EQ(c.lport, 8080);
	EXPECT_EQ(c.rport, 40000);
	EXPECT_EQ(c.timer, ALTTCP_TIMER_RETRANSMIT);
	EXPECT_EQ(c.timer_expires_ms, 200u);
	EXPECT_EQ(c.rx_queue, 5u);
	EXPECT_EQ(c.tx_queue, 1448u);
	EXPECT_EQ(c.retransmits, 2u);
	EXPECT_EQ(c.total_retrans, 3u);
	EXPECT_EQ(c.rto_us, 408000u);
	EXPECT_EQ(c.rtt_us, 12500u);
	EXPECT_EQ(c.rttvar_us, 3000u);
	EXPECT_EQ(c.snd_wscale, 7);
	EXPECT_EQ(c.rcv_wscale, 9);
	EXPECT_TRUE(c.detailed);
	EXPECT_TRUE(c.timestamps);
	EXPECT_TRUE(c.sack);
	EXPECT_FALSE(c.orphan);
	EXPECT_EQ(c.bytes_acked, 123456u);
	EXPECT_EQ(c.segs_out, 60u);
	EXPECT_EQ(c.uid, 1000u);
	EXPECT_EQ(c.inode, 34567u);
	EXPECT_EQ(decode_conn(keepalive_row()).bytes_acked, 4294967301ull);
}

TEST(ConnDecode, SynRecvAndTimeWaitRowsHaveNoQueuesOrOwner)
{
	Conn r = decode_conn(syn_recv_row());
	EXPECT_EQ(r.state, ALTTCP_STATE_SYN_RECV);
	EXPECT_EQ(r.timer, ALTTCP_TIMER_SYN_ACK);
	EXPECT_EQ(r.timer_expires_ms, 1500u);
	EXPECT_EQ(r.rx_queue, std::nullopt);
	EXPECT_EQ(r.uid, std::nullopt);
	Conn t = decode_conn(time_wait_row());
	EXPECT_EQ(t.state, ALTTCP_STATE_TIME_WAIT);
	EXPECT_EQ(t.timer, ALTTCP_TIMER_TIME_WAIT);
	EXPECT_EQ(t.timer_expires_ms, 59000u);
	EXPECT_EQ(t.age_ms, 1000u);
	EXPECT_EQ(t.inode, std::nullopt);
}

TEST(ConnDecode, PaddedAndUnpaddedU64sReadTheSame)
{
	// The pad is really there on the padded build, or this proves nothing.
	EXPECT_NE(estab_row(true).size(), estab_row(false).size());
	std::ostringstream a, b;
	std::vector<Conn> padded, unpadded;
	for (const Bytes &m : sample_dump(true))
		padded.push_back(decode_conn(m));
	for (const Bytes &m : sample_dump(false))
		unpadded.push_back(decode_conn(m));
	write_conns(*make_json_writer(a, false), padded);
	write_conns(*make_json_writer(b, false), unpadded);
	EXPECT_EQ(a.str(), b.str());
	EXPECT_EQ(a.str(), kJson);
}

TEST(ConnDecode, UnknownAttributesAreSkipped)
{
	KernelMsg m;
	m.nest_start(ALTTCP_A_CONN);
	tuple(m, ALTTCP_STATE_CLOSE_WAIT, "1.2.3.4", 5, "6.7.8.9", 10);
	m.u32(ALTTCP_CONN_MAX + 7, 99);  // from a newer kernel
	m.nest_end();
	m.u32(ALTTCP_A_MAX + 3, 1);
	Conn c = decode_conn(m.bytes());
	EXPECT_EQ(c.state, ALTTCP_STATE_CLOSE_WAIT);
	EXPECT_EQ(c.rport, 10);
}

TEST(ConnDecode, MalformedRepliesThrow)
{
	auto what = [](const Bytes &b) {
		try {
			decode_conn(b);
		} catch (const Error &e) {
			return std::string(e.what());
		}
		return std::string("(no throw)");
	};
	KernelMsg no_state;
	no_state.nest_start(ALTTCP_A_CONN).u16(ALTTCP_CONN_LPORT, 80).nest_end();
	EXPECT_EQ(what(no_state.bytes()), "malformed reply from kernel: connection without a state");

	KernelMsg short_port;
	short_port.nest_start(ALTTCP_A_CONN).u8(ALTTCP_CONN_STATE, 1).u8(ALTTCP_CONN_LPORT, 80).nest_end();
	EXPECT_EQ(what(short_port.bytes()), "malformed reply from kernel: bad local port");

	KernelMsg short_age;
	short_age.nest_start(ALTTCP_A_CONN).u8(ALTTCP_CONN_STATE, 1).u32(ALTTCP_CONN_AGE_MS, 1).nest_end();
	EXPECT_EQ(what(short_age.bytes()), "malformed reply from kernel: bad age");

	EXPECT_EQ(what(KernelMsg().u32(ALTTCP_A_COUNT, 1).bytes()),
		  "malformed reply from kernel: no connection");

	// The nest claims more than there is.
	Bytes cut = estab_row();
	cut.resize(cut.size() - 12);
	EXPECT_EQ(what(cut).rfind("malformed reply from kernel", 0), 0u);
}

// ---- output -------------------------------------------------------------

TEST(ConnText, LikeSsTan)
{
	std::ostringstream o;
	print_conn_table(o, sample_conns(), {});
	EXPECT_EQ(o.str(), kTable);
}

TEST(ConnText, ExtendedAddsOwnerAndAge)
{
	std::ostringstream o;
	print_conn_table(o, sample_conns(), {true, false});
	EXPECT_EQ(o.str(), kTableE);
}

TEST(ConnText, InfoAddsALineOfInternals)
{
	std::ostringstream o;
	print_conn_table(o, sample_conns(), {false, true});
	EXPECT_EQ(o.str(), kTableI);
}

TEST(ConnText, EmptyTableIsTheHeader)
{
	std::ostringstream o;
	print_conn_table(o, {}, {true, true});
	EXPECT_EQ(o.str(), "State  Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  Timer\n");
}

TEST(ConnText, TimersAsSsPrintsThem)
{
	EXPECT_EQ(format_ms_timer(0), "0ms");
	EXPECT_EQ(format_ms_timer(5), "005ms");
	EXPECT_EQ(format_ms_timer(200), "200ms");
	EXPECT_EQ(format_ms_timer(1500), "1.500ms");
	EXPECT_EQ(format_ms_timer(9000), "9sec");
	EXPECT_EQ(format_ms_timer(59999), "59sec");
	EXPECT_EQ(format_ms_timer(65000), "1min5sec");
	EXPECT_EQ(format_ms_timer(61500), "1min1sec");
	EXPECT_EQ(format_ms_timer(7199000), "119min");
}

TEST(ConnJson, ExactAndParsesBack)
{
	std::ostringstream o;
	write_conns(*make_json_writer(o, false), sample_conns());
	EXPECT_EQ(o.str(), kJson);
	Json j = JsonParser::parse(o.str());
	ASSERT_EQ(j.items.size(), 5u);
	EXPECT_EQ(j.items[0].at("timer").kind, Json::Null);
	EXPECT_EQ(j.items[1].at("timer").at("kind").str, "retransmit");
	EXPECT_EQ(j.items[1].at("timestamps").kind, Json::Bool);
	EXPECT_EQ(j.items[3].at("state").str, "SYN_RECV");
	EXPECT_THROW(j.items[3].at("uid"), std::out_of_range);  // unknown: left out

	std::ostringstream p;
	write_conns(*make_json_writer(p, true), sample_conns());
	EXPECT_NE(p.str().find("\n        \"timer\": {\n            \"kind\": \"retransmit\",\n"),
		  std::string::npos);
	EXPECT_NO_THROW(JsonParser::parse(p.str()));
}

// ---- through the command line -------------------------------------------

TEST(ConnCli, ShowDumpsWithTheFilter)
{
	FakeKernel k = kernel_with_dump();
	Result r = run_with(k, {"conn", "show", "state", "listen", "sport", "8080"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.err, "");
	EXPECT_EQ(r.out, kTable);
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_TRUE(k.requests[0].dump);
	EXPECT_EQ(k.requests[0].family, 42);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_GET_CONN);
	EXPECT_EQ(k.requests[0].attrs,
		  encode_conn_filter({bit(ALTTCP_STATE_LISTEN), std::nullopt, 8080, std::nullopt,
				      std::nullopt}));
}

TEST(ConnCli, FilterWordsNeedNoShow)
{
	// As `ss state established`.
	for (V args : {V{"conn", "state", "listen", "sport", "8080"},
		       V{"conn", "sport", "8080", "state", "listen"}}) {
		FakeKernel k = kernel_with_dump();
		Result r = run_with(k, args);
		EXPECT_EQ(r.rc, 0) << r.err;
		ASSERT_EQ(k.requests.size(), 1u);
		EXPECT_EQ(k.requests[0].attrs,
			  encode_conn_filter({bit(ALTTCP_STATE_LISTEN), std::nullopt, 8080,
					      std::nullopt, std::nullopt}));
	}
	for (const char *w : {"state", "src", "dst", "sport", "dport"})
		EXPECT_TRUE(is_filter_word(w)) << w;
	EXPECT_FALSE(is_filter_word("show"));
	// Verb prefixes still work: "s" is show, not the start of a filter.
	FakeKernel k = kernel_with_dump();
	EXPECT_EQ(run_with(k, {"conn", "s"}).out, kTable);
	EXPECT_EQ(run_with(k, {"conn", "st", "listen"}).err,
		  "Error: unknown conn command \"st\"\nTry \"alttcpctl conn help\".\n");
}

TEST(ConnCli, ConnAloneIsShowWithoutAFilter)
{
	for (V args : {V{"conn"}, V{"conn", "sh"}, V{"conn", "show"}}) {
		FakeKernel k = kernel_with_dump();
		Result r = run_with(k, args);
		EXPECT_EQ(r.rc, 0);
		EXPECT_EQ(r.out, kTable);
		ASSERT_EQ(k.requests.size(), 1u);
		EXPECT_TRUE(k.requests[0].attrs.empty());
	}
}

TEST(ConnCli, OptionsPickTheFormat)
{
	FakeKernel k = kernel_with_dump();
	EXPECT_EQ(run_with(k, {"-e", "conn"}).out, kTableE);
	EXPECT_EQ(run_with(k, {"--info", "conn"}).out, kTableI);
	EXPECT_EQ(run_with(k, {"-j", "conn"}).out, kJson);
	EXPECT_EQ(run_with(k, {"-jei", "conn"}).out, kJson);  // JSON has it all anyway
	Result r = run_with(k, {"-ei", "conn"});
	EXPECT_NE(r.out.find("age:65.000s\n\tsynq:2 overflows:3 drops:4\n"), std::string::npos);
}

TEST(ConnCli, InterruptedDumpIsRepeated)
{
	FakeKernel k;
	k.dumps = {DumpReply{{time_wait_row()}, true}, DumpReply{{time_wait_row()}, true},
		   DumpReply{{listener_row()}, false}};
	Result r = run_with(k, {"-j", "conn"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.err, "");
	EXPECT_EQ(k.requests.size(), 3u);
	for (const Request &q : k.requests)
		EXPECT_TRUE(q.dump && q.cmd == ALTTCP_CMD_GET_CONN);
	Json j = JsonParser::parse(r.out);  // the rows of the clean dump only
	ASSERT_EQ(j.items.size(), 1u);
	EXPECT_EQ(j.items[0].at("state").str, "LISTEN");
}

TEST(ConnCli, DumpInterruptedEveryTimeWarnsAndPrints)
{
	FakeKernel k;
	k.dumps = {DumpReply{{listener_row(), estab_row()}, true}};
	Result r = run_with(k, {"conn"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.err, "Warning: dump interrupted, output may be inconsistent\n");
	EXPECT_EQ(k.requests.size(), 1u + Client::kDumpRetries);
	EXPECT_NE(r.out.find("LISTEN"), std::string::npos);
	EXPECT_NE(r.out.find("ESTAB"), std::string::npos);
}

TEST(ConnCli, ShowErrors)
{
	FakeKernel k;
	Result r = run_with(k, {"conn", "show", "src", "1.2.3"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: invalid source address \"1.2.3\"\nTry \"alttcpctl conn help\".\n");
	EXPECT_EQ(k.connects, 0);

	k.family = std::nullopt;
	r = run_with(k, {"conn"});
	EXPECT_EQ(r.err, "Error: alttcp module not loaded\n");

	FakeKernel bad;
	KernelMsg m;
	m.nest_start(ALTTCP_A_CONN).u16(ALTTCP_CONN_LPORT, 1).nest_end();
	bad.dumps = {DumpReply{{m.bytes()}, false}};
	r = run_with(bad, {"conn"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "Error: malformed reply from kernel: connection without a state\n");
}

TEST(ConnCli, KillSendsTheFilterAndPrintsTheCount)
{
	FakeKernel k;
	k.replies = {KernelMsg().u32(ALTTCP_A_COUNT, 3).bytes()};
	Result r = run_with(k, {"conn", "kill", "dst", "10.0.1.2", "state", "estab"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.err, "");
	EXPECT_EQ(r.out, "killed 3\n");
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_FALSE(k.requests[0].dump);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_KILL_CONN);
	EXPECT_EQ(k.requests[0].attrs,
		  encode_conn_filter({bit(ALTTCP_STATE_ESTABLISHED), std::nullopt, std::nullopt,
				      be("10.0.1.2"), std::nullopt}));
	EXPECT_EQ(run_with(k, {"-j", "conn", "kill", "sport", "80"}).out, "{\"killed\":3}\n");
}

TEST(ConnCli, KillNeedsAFilter)
{
	FakeKernel k;
	Result r = run_with(k, {"conn", "kill"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: conn kill needs a filter\nTry \"alttcpctl conn help\".\n");
	EXPECT_EQ(k.connects, 0);
}

TEST(ConnCli, KillWhenNothingMatches)
{
	FakeKernel k;
	k.fail = [] {
		NetlinkError e{ENOENT, ""};
		throw KernelError(e.error, describe(e), e.msg);
	};
	Result r = run_with(k, {"conn", "kill", "dport", "9"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "Error: no connection matches\n");

	k.fail = [] {
		NetlinkError e{ENOENT, "kill: no connection matches the filter"};
		throw KernelError(e.error, describe(e), e.msg);
	};
	r = run_with(k, {"conn", "kill", "dport", "9"});
	EXPECT_EQ(r.err, "Error: kill: no connection matches the filter\n");

	k.fail = [] {
		NetlinkError e{EPERM, ""};
		throw KernelError(e.error, describe(e), e.msg);
	};
	r = run_with(k, {"conn", "kill", "dport", "9"});
	EXPECT_EQ(r.err, "Error: Operation not permitted\n");
}

TEST(ConnCli, KillReplyWithoutCount)
{
	FakeKernel k;
	k.replies = {KernelMsg().u32(ALTTCP_A_MAX + 1, 3).bytes()};
	Result r = run_with(k, {"conn", "kill", "dport", "9"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: malformed reply from kernel: no count\n");
}

TEST(ConnCli, Help)
{
	FakeKernel k;
	Result r = run_with(k, {"conn", "help"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out.rfind("Usage: alttcpctl [OPTIONS] conn {", 0), 0u);
	for (const char *w : {"synchronized", "src ADDR[:PORT]", "dport PORT", "timer:(KIND",
			      "expires_ms", "\"killed\""})
		EXPECT_NE(r.out.find(w), std::string::npos) << w;
	EXPECT_EQ(k.connects, 0);
}

#include "conn_format.h"

#include <algorithm>
#include <cstdio>

#include "inet.h"
#include "tcp_states.h"
#include "writer.h"

namespace alttcpctl {

namespace {

// ALTTCP_TIMER_* -> (text, JSON) names.
struct TimerNames {
	const char *text;
	const char *json;
};
constexpr TimerNames kTimers[] = {
	{"", ""},
	{"on", "retransmit"},
	{"persist", "persist"},
	{"delack", "delack"},
	{"keepalive", "keepalive"},
	{"fin_wait2", "fin_wait2"},
	{"timewait", "time_wait"},
	{"synack", "syn_ack"},
};
static_assert(sizeof(kTimers) / sizeof(kTimers[0]) == __ALTTCP_TIMER_MAX,
	      "a new ALTTCP_TIMER_* needs its names here");

std::string timer_text_name(uint8_t t)
{
	return t < __ALTTCP_TIMER_MAX ? kTimers[t].text : "timer#" + std::to_string(t);
}

std::string timer_json_name(uint8_t t)
{
	return t < __ALTTCP_TIMER_MAX ? kTimers[t].json : "timer#" + std::to_string(t);
}

bool is_listener(const Conn &c)
{
	return c.state == ALTTCP_STATE_LISTEN;
}

uint64_t recv_q(const Conn &c)
{
	return is_listener(c) ? c.accept_queue.value_or(0) : c.rx_queue.value_or(0);
}

uint64_t send_q(const Conn &c)
{
	return is_listener(c) ? c.accept_max.value_or(0) : c.tx_queue.value_or(0);
}

// The third number of ss's timer:(...).
uint32_t timer_count(const Conn &c)
{
	if (c.timer == ALTTCP_TIMER_KEEPALIVE || c.timer == ALTTCP_TIMER_PERSIST)
		return c.probes.value_or(0);
	return c.retransmits.value_or(0);
}

std::string timer_text(const Conn &c)
{
	if (c.timer == ALTTCP_TIMER_NONE)
		return "";
	return "timer:(" + timer_text_name(c.timer) + "," +
	       format_ms_timer(c.timer_expires_ms.value_or(0)) + "," +
	       std::to_string(timer_count(c)) + ")";
}

// "%g" of a value in microseconds, as milliseconds.
std::string ms(uint32_t us)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "%g", us / 1000.0);
	return buf;
}

std::string seconds(uint64_t msec)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "%llu.%03llus",
		      static_cast<unsigned long long>(msec / 1000),
		      static_cast<unsigned long long>(msec % 1000));
	return buf;
}

void add(std::vector<std::string> &items, const char *name, const std::optional<uint64_t> &v)
{
	if (v)
		items.push_back(std::string(name) + ":" + std::to_string(*v));
}

template <typename T>
std::optional<uint64_t> wide(const std::optional<T> &v)
{
	return v ? std::optional<uint64_t>(*v) : std::nullopt;
}

std::vector<std::string> extended_items(const Conn &c)
{
	std::vector<std::string> items;
	add(items, "uid", wide(c.uid));
	add(items, "ino", c.inode);
	if (c.age_ms)
		items.push_back("age:" + seconds(*c.age_ms));
	if (c.orphan)
		items.push_back("orphan");
	return items;
}

// ssthresh starts "infinite"; ss leaves it out until it is set.
constexpr uint32_t kInfiniteSsthresh = 0x7fffffff;

std::vector<std::string> info_items(const Conn &c)
{
	std::vector<std::string> items;
	if (c.rto_us)
		items.push_back("rto:" + ms(*c.rto_us));
	if (c.rtt_us)
		items.push_back("rtt:" + ms(*c.rtt_us) + "/" + ms(c.rttvar_us.value_or(0)));
	add(items, "mss", wide(c.snd_mss));
	add(items, "rcvmss", wide(c.rcv_mss));
	add(items, "cwnd", wide(c.cwnd));
	if (c.ssthresh && *c.ssthresh < kInfiniteSsthresh)
		add(items, "ssthresh", wide(c.ssthresh));
	if (c.snd_wscale && c.rcv_wscale)
		items.push_back("wscale:" + std::to_string(*c.snd_wscale) + "," +
				std::to_string(*c.rcv_wscale));
	if (c.detailed && c.timestamps)
		items.push_back("ts");
	if (c.detailed && c.sack)
		items.push_back("sack");
	add(items, "bytes_acked", c.bytes_acked);
	add(items, "bytes_received", c.bytes_received);
	add(items, "segs_out", c.segs_out);
	add(items, "segs_in", c.segs_in);
	add(items, "snd_wnd", wide(c.snd_wnd));
	add(items, "rcv_wnd", wide(c.rcv_wnd));
	if (c.retransmits || c.total_retrans)
		items.push_back("retrans:" + std::to_string(c.retransmits.value_or(0)) + "/" +
				std::to_string(c.total_retrans.value_or(0)));
	add(items, "synq", wide(c.syn_queue));
	add(items, "overflows", wide(c.listen_overflows));
	add(items, "drops", wide(c.listen_drops));
	return items;
}

std::string join(const std::vector<std::string> &items)
{
	std::string s;
	for (const std::string &i : items)
		s += (s.empty() ? "" : " ") + i;
	return s;
}

void rtrim(std::string &s)
{
	while (!s.empty() && s.back() == ' ')
		s.pop_back();
}

}  // namespace

std::string format_ms_timer(uint64_t timeout)
{
	uint64_t secs = timeout / 1000, minutes = secs / 60, msecs = timeout % 1000;
	secs %= 60;
	std::string buf;
	if (minutes) {
		msecs = 0;
		buf = std::to_string(minutes) + "min";
		if (minutes > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msecs = 0;
		buf += std::to_string(secs) + (msecs ? "." : "sec");
	}
	if (msecs) {
		char m[8];
		std::snprintf(m, sizeof(m), "%03u", static_cast<unsigned>(msecs));
		buf += std::string(m) + "ms";
	}
	return buf.empty() ? "0ms" : buf;
}

void print_conn_table(std::ostream &out, const std::vector<Conn> &conns,
		      const ConnTextOptions &opts)
{
	using Row = std::vector<std::string>;
	std::vector<Row> rows = {
		{"State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", "Timer"}};
	for (const Conn &c : conns)
		rows.push_back({state_text(c.state), std::to_string(recv_q(c)),
				std::to_string(send_q(c)), format_endpoint(c.laddr, c.lport),
				format_endpoint(c.raddr, c.rport), timer_text(c)});
	std::vector<std::size_t> width(rows[0].size(), 0);
	for (const Row &r : rows)
		for (std::size_t i = 0; i < r.size(); i++)
			width[i] = std::max(width[i], r[i].size());

	for (std::size_t n = 0; n < rows.size(); n++) {
		// -e details follow the timer column, lined up after it.
		std::string e = n && opts.extended ? join(extended_items(conns[n - 1])) : "";
		std::string line;
		for (std::size_t i = 0; i < rows[n].size(); i++) {
			line += rows[n][i];
			if (i + 1 < rows[n].size() || !e.empty())
				line += std::string(width[i] - rows[n][i].size() + 2, ' ');
		}
		line += e;
		rtrim(line);
		out << line << '\n';
		if (n == 0)
			continue;
		const Conn &c = conns[n - 1];
		if (opts.info) {
			std::string i = join(info_items(c));
			if (!i.empty())
				out << '\t' << i << '\n';
		}
	}
}

namespace {

template <typename T>
void opt(Writer &w, const char *key, const std::optional<T> &v)
{
	if (v)
		w.field_uint(key, *v);
}

}  // namespace

void write_conns(Writer &w, const std::vector<Conn> &conns)
{
	w.begin_array();
	for (const Conn &c : conns) {
		w.begin_object();
		w.field_string("state", state_enum_name(c.state));
		w.field_string("local_addr", format_ipv4(c.laddr));
		w.field_uint("local_port", c.lport);
		w.field_string("peer_addr", format_ipv4(c.raddr));
		w.field_uint("peer_port", c.rport);
		w.field_uint("recv_q", recv_q(c));
		w.field_uint("send_q", send_q(c));
		if (c.timer == ALTTCP_TIMER_NONE) {
			w.field_null("timer");
		} else {
			w.begin_object_field("timer");
			w.field_string("kind", timer_json_name(c.timer));
			w.field_uint("expires_ms", c.timer_expires_ms.value_or(0));
			w.field_uint("retransmits", c.retransmits.value_or(0));
			w.end_object();
		}
		opt(w, "age_ms", c.age_ms);
		opt(w, "uid", c.uid);
		opt(w, "inode", c.inode);
		if (c.detailed)
			w.field_bool("orphan", c.orphan);
		opt(w, "rto_us", c.rto_us);
		opt(w, "rtt_us", c.rtt_us);
		opt(w, "rttvar_us", c.rttvar_us);
		opt(w, "snd_mss", c.snd_mss);
		opt(w, "rcv_mss", c.rcv_mss);
		opt(w, "cwnd", c.cwnd);
		opt(w, "ssthresh", c.ssthresh);
		opt(w, "snd_wscale", c.snd_wscale);
		opt(w, "rcv_wscale", c.rcv_wscale);
		if (c.detailed) {
			w.field_bool("timestamps", c.timestamps);
			w.field_bool("sack", c.sack);
		}
		opt(w, "snd_wnd", c.snd_wnd);
		opt(w, "rcv_wnd", c.rcv_wnd);
		opt(w, "bytes_acked", c.bytes_acked);
		opt(w, "bytes_received", c.bytes_received);
		opt(w, "segs_out", c.segs_out);
		opt(w, "segs_in", c.segs_in);
		opt(w, "retransmits", c.retransmits);
		opt(w, "total_retrans", c.total_retrans);
		opt(w, "probes", c.probes);
		opt(w, "accept_queue", c.accept_queue);
		opt(w, "accept_max", c.accept_max);
		opt(w, "syn_queue", c.syn_queue);
		opt(w, "listen_overflows", c.listen_overflows);
		opt(w, "listen_drops", c.listen_drops);
		w.end_object();
	}
	w.end_array();
}

}  // namespace alttcpctl

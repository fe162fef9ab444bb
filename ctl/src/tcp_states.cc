#include "tcp_states.h"

#include <cctype>

namespace alttcpctl {

namespace {

struct StateNames {
	const char *text;  // ss
	const char *enum_name;
	const char *filter;  // ss's filter word
	const char *alias;   // a shorter one, or nullptr
};

// Index = ALTTCP_STATE_*.
constexpr StateNames kStates[] = {
	{nullptr, nullptr, nullptr, nullptr},
	{"ESTAB", "ESTABLISHED", "established", "estab"},
	{"SYN-SENT", "SYN_SENT", "syn-sent", nullptr},
	{"SYN-RECV", "SYN_RECV", "syn-recv", nullptr},
	{"FIN-WAIT-1", "FIN_WAIT1", "fin-wait-1", nullptr},
	{"FIN-WAIT-2", "FIN_WAIT2", "fin-wait-2", nullptr},
	{"TIME-WAIT", "TIME_WAIT", "time-wait", nullptr},
	{"CLOSED", "CLOSE", "closed", "close"},
	{"CLOSE-WAIT", "CLOSE_WAIT", "close-wait", nullptr},
	{"LAST-ACK", "LAST_ACK", "last-ack", nullptr},
	{"LISTEN", "LISTEN", "listening", "listen"},
	{"CLOSING", "CLOSING", "closing", nullptr},
};
static_assert(sizeof(kStates) / sizeof(kStates[0]) == __ALTTCP_STATE_MAX,
	      "a new ALTTCP_STATE_* needs its names here");
static_assert(ALTTCP_STATE_LISTEN == 10 && ALTTCP_STATE_TIME_WAIT == 6,
	      "ALTTCP_STATE_* must follow Linux's TCP_*");

constexpr uint32_t bit(unsigned s) { return 1u << s; }

constexpr uint32_t kConnected = kAllStates & ~(bit(ALTTCP_STATE_LISTEN) | bit(ALTTCP_STATE_CLOSE));
constexpr uint32_t kSynchronized = kConnected & ~bit(ALTTCP_STATE_SYN_SENT);

std::string lower(const std::string &s)
{
	std::string r = s;
	for (char &c : r)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return r;
}

std::string unknown(unsigned state)
{
	return "state#" + std::to_string(state);
}

}  // namespace

std::string state_text(unsigned state)
{
	if (state == 0 || state >= __ALTTCP_STATE_MAX)
		return unknown(state);
	return kStates[state].text;
}

std::string state_enum_name(unsigned state)
{
	if (state == 0 || state >= __ALTTCP_STATE_MAX)
		return unknown(state);
	return kStates[state].enum_name;
}

std::optional<uint32_t> parse_state_word(const std::string &word)
{
	std::string w = lower(word);
	if (w == "all")
		return kAllStates;
	if (w == "connected")
		return kConnected;
	if (w == "synchronized")
		return kSynchronized;
	for (unsigned s = 1; s < __ALTTCP_STATE_MAX; s++) {
		const StateNames &n = kStates[s];
		if (w == n.filter || (n.alias && w == n.alias) || w == lower(n.enum_name))
			return bit(s);
	}
	return std::nullopt;
}

}  // namespace alttcpctl

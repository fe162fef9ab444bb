#include "stats_table.h"

#include <cctype>

// Plain C with an extern "C" guard; included last because it is written for
// a freestanding build and defines NULL when nothing has yet.
#include <alttcp_core.h>

namespace alttcpctl {

namespace {

#define ALTTCPCTL_MIB_CHECK(id, name) \
	static_assert(static_cast<int>(AT_MIB_##id) == static_cast<int>(ALTTCP_MIB_##id), \
		      "AT_MIBS and enum alttcp_mib disagree on " name);
AT_MIBS(ALTTCPCTL_MIB_CHECK)
#undef ALTTCPCTL_MIB_CHECK

// A new ALTTCP_MIB_* without a row in AT_MIBS (or the reverse) must break
// the build rather than silently vanish from the tool.
static_assert(static_cast<int>(AT_MIB_MAX) == static_cast<int>(__ALTTCP_MIB_MAX),
	      "AT_MIBS and enum alttcp_mib disagree on the number of counters");

constexpr const char *kNames[] = {
#define ALTTCPCTL_MIB_NAME(id, name) name,
	AT_MIBS(ALTTCPCTL_MIB_NAME)
#undef ALTTCPCTL_MIB_NAME
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == kNumCounters);

bool iequal(const std::string &a, const char *b)
{
	std::size_t i = 0;
	for (; i < a.size() && b[i]; i++)
		if (std::tolower(static_cast<unsigned char>(a[i])) !=
		    std::tolower(static_cast<unsigned char>(b[i])))
			return false;
	return i == a.size() && !b[i];
}

}  // namespace

const char *counter_name(std::size_t id)
{
	return kNames[id];
}

std::optional<std::size_t> find_counter(const std::string &name)
{
	for (std::size_t i = 0; i < kNumCounters; i++)
		if (iequal(name, kNames[i]))
			return i;
	return std::nullopt;
}

}  // namespace alttcpctl

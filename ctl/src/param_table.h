// The parameter table, expanded from the kernel's own AT_PARAMS so the names
// and attribute numbers here cannot drift from the module's.  Bounds are
// deliberately not used: range checking is the kernel's job.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

#include <linux/alttcp.h>
#include <params.h>

namespace alttcpctl {

struct ParamInfo {
	const char *name;
	int attr;  // ALTTCP_CFG_*
};

inline constexpr ParamInfo kParams[] = {
#define ALTTCPCTL_PARAM(name, ATTR, def, min, max) {#name, ALTTCP_CFG_##ATTR},
	AT_PARAMS(ALTTCPCTL_PARAM)
#undef ALTTCPCTL_PARAM
};
inline constexpr std::size_t kNumParams = sizeof(kParams) / sizeof(kParams[0]);

// local_port_range (a pair) and rmem (a triple) are kept out of AT_PARAMS by
// the kernel too.
inline constexpr const char *kPortRangeName = "local_port_range";
inline constexpr const char *kRmemName = "rmem";

// A new ALTTCP_CFG_* in the uapi without a row in AT_PARAMS (or the reverse)
// must break the build rather than silently vanish from the tool: each
// attribute is a row of the table or one of the nests above, exactly once.
inline constexpr int kNonTableAttrs[] = {ALTTCP_CFG_LOCAL_PORT_RANGE, ALTTCP_CFG_RMEM};

constexpr bool every_cfg_attr_known_once()
{
	for (int attr = 1; attr <= ALTTCP_CFG_MAX; attr++) {
		int seen = 0;
		for (const ParamInfo &p : kParams)
			seen += p.attr == attr;
		for (int a : kNonTableAttrs)
			seen += a == attr;
		if (seen != 1)
			return false;
	}
	return true;
}

static_assert(kNumParams + std::size(kNonTableAttrs) == ALTTCP_CFG_MAX &&
		      every_cfg_attr_known_once(),
	      "AT_PARAMS and enum alttcp_cfg_attr disagree");

struct PortRange {
	uint16_t low = 0;
	uint16_t high = 0;
	bool operator==(const PortRange &o) const { return low == o.low && high == o.high; }
};

// A buffer's "min default max" in bytes, as Linux's tcp_rmem; whether the
// three are in order and in bounds is the kernel's to say.
struct BufSizes {
	uint32_t min = 0;
	uint32_t def = 0;
	uint32_t max = 0;
	bool operator==(const BufSizes &o) const
	{
		return min == o.min && def == o.def && max == o.max;
	}
};

// Used both ways: a GET reply fills what the kernel sent, a SET request holds
// only what the user named.  Index i of values is kParams[i].
struct Config {
	std::array<std::optional<uint32_t>, kNumParams> values{};
	std::optional<PortRange> port_range;
	std::optional<BufSizes> rmem;
};

// Index into kParams, or -1.  Exact names only: these are sysctl names and a
// prefix would silently change a different knob as the table grows.
inline int find_param(std::string_view name)
{
	for (std::size_t i = 0; i < kNumParams; i++)
		if (name == kParams[i].name)
			return static_cast<int>(i);
	return -1;
}

}  // namespace alttcpctl

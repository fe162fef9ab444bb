// The `stats` object: the per-namespace counters, in the manner of nstat.
#pragma once

#include <cstddef>
#include <ostream>
#include <vector>

#include "dispatch.h"
#include "stats_table.h"

namespace alttcpctl {

class Writer;

const Object &stats_object();

// Text lines are `nstat -a`'s minus the rate column: the name left-aligned
// and padded with spaces to this many columns, then the value, e.g.
//     ActiveOpens                     12
// (a name this long or longer would still be followed by one space).
inline constexpr std::size_t kCounterNameWidth = 32;

// What `stats show` prints, minus the fetching: the counters in `ids` (all
// when empty) in uapi order, leaving out any the kernel did not send.
void write_stats(Writer &w, const Stats &s, const std::vector<std::size_t> &ids = {});

// `stats show` arguments -> counter ids in uapi order, duplicates dropped.
// Throws Error `unknown counter "Foo"`.
std::vector<std::size_t> parse_counter_names(const Args &args);

void stats_usage(std::ostream &out);

}  // namespace alttcpctl

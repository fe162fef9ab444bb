// The `monitor` object: every state change of every connection, live, one
// line per event until SIGINT or SIGTERM (then exit status 0).
//
// Text:  [2026-11-21T14:03:05.123456] ESTAB -> FIN-WAIT-1 10.0.1.1:40000 10.0.1.2:80 reason app_close
//        (local time; states as ss prints them; local endpoint, then the peer)
// JSON (-j, one compact object per line, "JSON Lines", also with -p):
//        {"time_ns":N,"old_state":"ESTABLISHED","new_state":"FIN_WAIT1",
//         "reason":"app_close","local_addr":"10.0.1.1","local_port":40000,
//         "peer_addr":"10.0.1.2","peer_port":80}
// Each line is flushed as it is written, so a pipe sees it at once.
#pragma once

#include <ostream>
#include <string>

#include "dispatch.h"
#include "event_codec.h"

namespace alttcpctl {

class Writer;

const Object &monitor_object();

void monitor_usage(std::ostream &out);

// The text line, without its newline.  Local time, as `date` prints it.
std::string format_event(const Event &e);

// The JSON object.
void write_event(Writer &w, const Event &e);

}  // namespace alttcpctl

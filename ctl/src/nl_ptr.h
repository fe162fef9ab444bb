// Owning handles for libnl objects, so no error path can leak one.
#pragma once

#include <memory>

#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

namespace alttcpctl {

struct NlSockFree { void operator()(nl_sock *s) const { nl_socket_free(s); } };
struct NlMsgFree { void operator()(nl_msg *m) const { nlmsg_free(m); } };
struct NlCbPut { void operator()(nl_cb *c) const { nl_cb_put(c); } };

using NlSockPtr = std::unique_ptr<nl_sock, NlSockFree>;
using NlMsgPtr = std::unique_ptr<nl_msg, NlMsgFree>;
using NlCbPtr = std::unique_ptr<nl_cb, NlCbPut>;

}  // namespace alttcpctl

// SPDX-License-Identifier: GPL-2.0
/* Name tables for counters, reasons and states, for the glue and tests. */
#include "at_internal.h"

const char *const at_mib_names[AT_MIB_MAX] = {
#define AT_MIB_NAME(id, name) [AT_MIB_##id] = name,
	AT_MIBS(AT_MIB_NAME)
#undef AT_MIB_NAME
};

const char *const at_reason_names[AT_R_MAX] = {
#define AT_REASON_NAME(id, name) [AT_R_##id] = name,
	AT_REASONS(AT_REASON_NAME)
#undef AT_REASON_NAME
};

const char *const at_state_names[AT_STATE_MAX] = {
	[0] = "UNKNOWN",
	[AT_ESTABLISHED] = "ESTABLISHED",
	[AT_SYN_SENT] = "SYN_SENT",
	[AT_SYN_RECV] = "SYN_RECV",
	[AT_FIN_WAIT1] = "FIN_WAIT1",
	[AT_FIN_WAIT2] = "FIN_WAIT2",
	[AT_TIME_WAIT] = "TIME_WAIT",
	[AT_CLOSED] = "CLOSE",
	[AT_CLOSE_WAIT] = "CLOSE_WAIT",
	[AT_LAST_ACK] = "LAST_ACK",
	[AT_LISTEN] = "LISTEN",
	[AT_CLOSING] = "CLOSING",
};

at_usize at_sizeof_conn(void)
{
	return sizeof(struct at_conn);
}

at_usize at_sizeof_req(void)
{
	return sizeof(struct at_req);
}

at_usize at_sizeof_tw(void)
{
	return sizeof(struct at_tw);
}

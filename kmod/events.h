/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_EVENTS_H
#define _ALTTCP_EVENTS_H

#include "alttcp_core.h"

struct alttcp_net;

void alttcp_event_notify(struct alttcp_net *an, const struct at_event *ev);

#endif /* _ALTTCP_EVENTS_H */

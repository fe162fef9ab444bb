/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_OPS_H
#define _ALTTCP_OPS_H

#include "alttcp_core.h"

extern const struct at_ops alttcp_core_ops;

#endif /* _ALTTCP_OPS_H */

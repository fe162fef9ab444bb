# bash completion for alttcpctl(8)                         -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/alttcpctl, or source it.
# Self-contained: works with or without the bash-completion package (which,
# when present, also completes the command line after `alttcpctl run`).
#
# Parameter, counter and listener names come from the running system when
# possible (/proc/sys/net/alttcp/, then `alttcpctl OBJECT help`, which needs
# no module), else from the lists below.

_alttcpctl_objects="config conn stats monitor listener run help"
_alttcpctl_options="-j --json -p --pretty -e --extended -i --info -n --netns -h --help -V --version"
_alttcpctl_params="syn_retries synack_retries fin_timeout tw_timeout max_tw_buckets
	tw_reuse timestamps syncookies max_syn_backlog somaxconn abort_on_overflow
	orphan_retries max_orphans keepalive_time keepalive_intvl keepalive_probes
	retries1 retries2 rfc1337 window_scaling sack rto_min_ms rto_max_ms
	rto_initial_ms local_port_range rmem"
_alttcpctl_counters="ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab
	InSegs OutSegs RetransSegs InErrs OutRsts SyncookiesSent SyncookiesRecv
	SyncookiesFailed ListenOverflows ListenDrops TW TWReused TWOverflow
	AbortOnTimeout AbortOnClose AbortOnData AbortOnLinger AbortOnMemory
	KeepAliveProbes ChallengeACKs SynRetransmits SynAckRetransmits
	FinRetransmits PAWSRejected MinTTLDrop"
_alttcpctl_knobs="synack_retries tw_timeout orphan_retries keepalive_time
	keepalive_intvl keepalive_probes"
_alttcpctl_states="established estab syn-sent syn-recv fin-wait-1 fin-wait-2
	time-wait closed close close-wait last-ack listening listen closing
	all connected synchronized"
_alttcpctl_filter_words="state src dst sport dport"

# The full name among $2... that $1 is, or is the only prefix of (as the
# tool matches objects and verbs); nothing when none or several.
_alttcpctl_resolve()
{
	local word=$1 n hit=''
	shift
	for n in "$@"; do
		[[ $n == "$word" ]] && { echo "$n"; return; }
		if [[ -n $word && $n == "$word"* ]]; then
			[[ -n $hit ]] && return
			hit=$n
		fi
	done
	[[ -n $hit ]] && echo "$hit"
}

# Names listed by `alttcpctl OBJECT help` after its "NAME is one of" line.
_alttcpctl_help_names()
{
	"$1" "$2" help 2>/dev/null |
		sed -n '/^NAME is one of/,/^$/ s/^  \([A-Za-z0-9_]\{1,\}\).*/\1/p'
}

_alttcpctl_param_names()
{
	local names=''
	if [[ -d /proc/sys/net/alttcp ]]; then
		names=$(cd /proc/sys/net/alttcp 2>/dev/null && ls)
	fi
	[[ -z $names ]] && names=$(_alttcpctl_help_names "$1" config)
	echo "${names:-$_alttcpctl_params}"
}

_alttcpctl_netns()
{
	local names
	names=$(ip netns list 2>/dev/null | cut -d' ' -f1)
	[[ -z $names && -d /run/netns ]] && names=$(cd /run/netns 2>/dev/null && ls)
	echo "$names"
}

_alttcpctl_reply()
{
	local IFS=$' \t\n'
	# shellcheck disable=SC2207 # word splitting is the point
	COMPREPLY=($(compgen -W "$1" -- "$cur"))
}

# `run [-n NAME] [--strict] [--] CMD ARGS...`; $1 is the index of run's
# first argument.
_alttcpctl_run()
{
	local i=$1 w cmdidx=''
	while ((i < COMP_CWORD)); do
		w=${COMP_WORDS[i]}
		case $w in
		--) cmdidx=$((i + 1)); break ;;
		-n | --netns) ((i += 2)) ;;
		-*) ((i++)) ;;
		*) cmdidx=$i; break ;;
		esac
	done
	if [[ -n $cmdidx ]]; then
		# Inside CMD: complete it as bash would complete CMD itself.
		if declare -F _command_offset >/dev/null; then
			_command_offset "$cmdidx"
		elif ((cmdidx == COMP_CWORD)); then
			# shellcheck disable=SC2207 # word splitting is the point
			COMPREPLY=($(compgen -c -- "$cur"))
		else
			# shellcheck disable=SC2207
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return
	fi
	case $prev in
	-n | --netns)
		_alttcpctl_reply "$(_alttcpctl_netns)"
		return ;;
	esac
	if [[ $cur == -* ]]; then
		_alttcpctl_reply "-n --netns --strict --"
		return
	fi
	local extra=''
	((COMP_CWORD == $1)) && extra=help
	# shellcheck disable=SC2207
	COMPREPLY=($(compgen -W "$extra" -- "$cur") $(compgen -c -- "$cur"))
}

_alttcpctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd=${COMP_WORDS[0]} i=1 w obj='' verb='' objidx='' verbidx=''
	local -a objects
	read -ra objects <<<"$_alttcpctl_objects"

	# Global options, then the object.
	while ((i < COMP_CWORD)); do
		w=${COMP_WORDS[i]}
		case $w in
		-n | --netns) ((i += 2)); continue ;;
		--) ((i++)); continue ;;
		-*) ((i++)); continue ;;
		esac
		obj=$(_alttcpctl_resolve "$w" "${objects[@]}")
		objidx=$i
		break
	done
	if [[ -z $objidx ]]; then
		case $prev in
		-n | --netns)
			_alttcpctl_reply "$(_alttcpctl_netns)"
			return ;;
		esac
		if [[ $cur == -* ]]; then
			_alttcpctl_reply "$_alttcpctl_options"
		else
			_alttcpctl_reply "$_alttcpctl_objects"
		fi
		return
	fi
	[[ -z $obj ]] && return  # unknown or ambiguous object

	if [[ $obj == run ]]; then
		_alttcpctl_run $((objidx + 1))
		return
	fi

	local verbs
	case $obj in
	config) verbs="show set help" ;;
	conn) verbs="show kill help" ;;
	stats) verbs="show reset help -z --zero" ;;
	monitor) verbs="help" ;;
	listener) verbs="show set help" ;;
	*) return ;;
	esac
	verbidx=$((objidx + 1))
	if ((COMP_CWORD == verbidx)); then
		_alttcpctl_reply "$verbs"
		return
	fi
	w=${COMP_WORDS[verbidx]}
	if [[ $w == -* ]]; then
		verb=$w  # option-like verbs match only in full
	else
		# shellcheck disable=SC2086
		verb=$(_alttcpctl_resolve "$w" $verbs)
	fi
	local nargs=$((COMP_CWORD - verbidx - 1))  # arguments before cur

	case $obj/$verb in
	config/set)
		if ((nargs % 2 == 0)); then
			_alttcpctl_reply "$(_alttcpctl_param_names "$cmd")"
		elif [[ -r /proc/sys/net/alttcp/$prev ]]; then
			# Offer the current value as a starting point.
			local v IFS=$' \t\n'
			local -a f
			read -ra f 2>/dev/null </proc/sys/net/alttcp/"$prev"
			if ((${#f[@]} == 3)); then
				# rmem: "MIN DEFAULT MAX" is one argument, so quoted.
				[[ -z $cur ]] && COMPREPLY=("'${f[0]} ${f[1]} ${f[2]}'")
			else
				v="${f[*]}"
				_alttcpctl_reply "${v// /-}"
			fi
		fi
		;;
	stats/show)
		local names
		names=$(_alttcpctl_help_names "$cmd" stats)
		_alttcpctl_reply "${names:-$_alttcpctl_counters}"
		;;
	conn/show | conn/kill)
		case $prev in
		state) _alttcpctl_reply "$_alttcpctl_states" ;;
		src | dst | sport | dport) ;;
		*) _alttcpctl_reply "$_alttcpctl_filter_words" ;;
		esac
		;;
	listener/set)
		# PORT [addr ADDR] NAME VALUE...
		((nargs == 0)) && return
		local j=$((verbidx + 2)) names
		if ((j < COMP_CWORD)) && [[ ${COMP_WORDS[j]} == addr ]]; then
			((j += 2))
		elif ((COMP_CWORD == j)); then
			names="addr "
		fi
		((COMP_CWORD <= j - 1)) && return  # the ADDR itself
		if (((COMP_CWORD - j) % 2 == 0)); then
			local knobs
			knobs=$(_alttcpctl_help_names "$cmd" listener)
			_alttcpctl_reply "$names${knobs:-$_alttcpctl_knobs}"
		else
			_alttcpctl_reply "default"
		fi
		;;
	esac
}

complete -F _alttcpctl alttcpctl

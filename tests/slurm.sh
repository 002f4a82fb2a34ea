# slurm.sh: a throwaway one-node Slurm cluster for tests: a munge key and
# munged on a socket of its own, a slurm.conf with private ports and state
# directories in $TMP, slurmctld and slurmd as root; stopped at exit.
# Source after lib.sh. slurm_start returns 1 with the reason in SLURM_WHY
# when a cluster cannot run here (not root, Slurm or munge not installed,
# a daemon that does not come up).
# shellcheck shell=bash disable=SC2034

slurm_start() {
	SLURM_WHY=""
	if [ "$(id -u)" != 0 ]; then
		SLURM_WHY="not root: the test cluster's slurmd runs as root"
		return 1
	fi
	local c
	for c in munged mungekey slurmctld slurmd sbatch squeue scancel scontrol sinfo; do
		if ! command -v "$c" >/dev/null 2>&1; then
			SLURM_WHY="no $c (apt-get install slurm-wlm munge)"
			return 1
		fi
	done
	SL=$TMP/slurm
	mkdir -p "$SL/munge" "$SL/state" "$SL/spool" "$SL/log"
	chmod 700 "$SL/munge"
	trap 'slurm_stop; rm -rf "$TMP"' EXIT
	mungekey -c -k "$SL/munge/munge.key" 2>"$SL/log/mungekey.err" ||
		{ SLURM_WHY="mungekey failed: $(head -c 200 "$SL/log/mungekey.err")" && return 1; }
	munged -f --key-file="$SL/munge/munge.key" --socket="$SL/munge/sock" \
		--pid-file="$SL/munge/munged.pid" --log-file="$SL/log/munged.log" \
		--seed-file="$SL/munge/seed" 2>"$SL/log/munged.err" ||
		{ SLURM_WHY="munged did not start: $(tail -n 1 "$SL/log/munged.err")" && return 1; }
	# two free ports (nothing answers on them) for slurmctld and slurmd
	local port="" p _
	for _ in $(seq 20); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null &&
			! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; then
			port=$p && break
		fi
	done
	[ -n "$port" ] || { SLURM_WHY="no free port pair" && return 1; }
	SLURM_NODE=gha$port
	cat >"$SL/slurm.conf" <<EOF
ClusterName=gha$port
SlurmctldHost=$(hostname)(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SL/munge/sock
CredType=cred/munge
StateSaveLocation=$SL/state
SlurmdSpoolDir=$SL/spool/%n
SlurmctldPidFile=$SL/slurmctld.pid
SlurmdPidFile=$SL/slurmd.pid
SlurmctldLogFile=$SL/log/slurmctld.log
SlurmdLogFile=$SL/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
SlurmdParameters=config_overrides
# finished jobs stay a few seconds (sbatch --wait then polls every 2 s)
MinJobAge=4
KillWait=5
InactiveLimit=0
NodeName=$SLURM_NODE NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=100 State=UNKNOWN
PartitionName=test Nodes=$SLURM_NODE Default=YES MaxTime=INFINITE State=UP
EOF
	export SLURM_CONF=$SL/slurm.conf
	slurmctld -i >"$SL/log/slurmctld.out" 2>&1 ||
		{ SLURM_WHY="slurmctld did not start: $(tail -n 1 "$SL/log/slurmctld.log" 2>/dev/null)" && return 1; }
	slurmd -N "$SLURM_NODE" >"$SL/log/slurmd.out" 2>&1 ||
		{ SLURM_WHY="slurmd did not start: $(tail -n 1 "$SL/log/slurmd.log" 2>/dev/null)" && return 1; }
	# up when the node is idle (about 3 s here)
	local st=""
	for _ in $(seq 150); do
		st=$(sinfo -h -n "$SLURM_NODE" -o %T 2>/dev/null || true)
		[ "$st" = idle ] && return 0
		sleep 0.2
	done
	SLURM_WHY="the node is not idle after 30 s (state '$st'): $(tail -n 1 "$SL/log/slurmd.log" 2>/dev/null)"
	return 1
}

# slurm_stop: cancel what runs, stop slurmd, slurmctld and munged (by the
# pids their own files name: only what slurm_start started)
slurm_stop() {
	[ -n "${SL:-}" ] || return 0
	if [ -f "$SL/slurmctld.pid" ]; then
		scancel --full --quiet --partition=test 2>/dev/null || true
	fi
	local f p _
	for f in "$SL/slurmd.pid" "$SL/slurmctld.pid" "$SL/munge/munged.pid"; do
		[ -s "$f" ] || continue
		p=$(cat "$f")
		kill "$p" 2>/dev/null || continue
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null || true
	done
	SL=""
	return 0
}

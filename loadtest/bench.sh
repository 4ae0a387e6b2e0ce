#!/usr/bin/env bash
# Runs one load-tool scenario against a fresh deployment on this machine, then tears it down:
#   INSTANCES=1: one instance (in-process fan-out), INSTANCES=2 or more: relay instances sharing
#   RabbitMQ (STOMP on 61613) and one PostgreSQL database, on ports 8001, 8002, ...
# Every run gets a new database (chat_bench) and its own RabbitMQ destination prefix, so that runs
# never see each other's events. Tool options follow the scenario; --url is filled in, and for the
# storm scenario --victim-pid names the last instance. WARMUP=SECONDS runs a messaging scenario once
# that long before the measured run, on the same servers.
#
#   loadtest/bench.sh connect --connections 1000 --concurrency 50
#   INSTANCES=2 loadtest/bench.sh rooms
#   INSTANCES=2 loadtest/bench.sh storm --kill crash
#   SERVER_JAR=/path/to/other/chat-backend.jar INSTANCES=2 loadtest/bench.sh rooms   # another build, same run
#
# Needs the jars (./mvnw -q -DskipTests package), PostgreSQL on 127.0.0.1:5432 (user postgres) and,
# for relay instances, RabbitMQ with the rabbitmq_stomp plugin. Server logs go to loadtest/target/bench-*.log.
set -euo pipefail
cd "$(dirname "$0")/.."

instances=${INSTANCES:-1}
heap=${SERVER_HEAP:-512m}
db=${BENCH_DB:-chat_bench}
scenario=${1:?usage: [INSTANCES=N] loadtest/bench.sh SCENARIO [tool options]}
shift
prefix="bench$$"
pids=()

stop_servers() {
    # the broker's CPU sampler too: a run that fails before its report would leave it sampling
    [[ -z "${sampler:-}" ]] || kill "$sampler" 2>/dev/null || true
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_servers EXIT

psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $db" >/dev/null

mode=(--chat.broker.mode=embedded)
if ((instances > 1)); then
    mode=(--chat.broker.mode=relay --chat.broker.relay.destination-prefix="$prefix")
fi
urls=()
for ((i = 1; i <= instances; i++)); do
    port=$((8000 + i))
    java -Xms"$heap" -Xmx"$heap" -XX:MaxGCPauseMillis=20 -jar "${SERVER_JAR:-backend/target/chat-backend.jar}" \
        --server.port="$port" \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=postgres \
        --chat.jwt.secret=bench-secret-of-at-least-32-bytes-long \
        --chat.limits.messages-per-minute=1000000 --chat.passwords.bcrypt-strength=4 --chat.jwt.access-token-lifetime=30m \
        --chat.cluster.instance-id="bench-$port" --chat.shutdown.drain-delay=0s \
        --logging.level.io.chat=WARN "${mode[@]}" ${SERVER_ARGS:-} \
        >"loadtest/target/bench-$port.log" 2>&1 &
    pids+=($!)
    urls+=("http://127.0.0.1:$port")
done
for url in "${urls[@]}"; do
    for _ in $(seq 120); do
        curl -fs "$url/actuator/health/liveness" >/dev/null 2>&1 && break
        sleep 0.5
    done
done
echo "[bench] $instances instance(s) up: ${urls[*]} (pids ${pids[*]})" >&2

# RabbitMQ's CPU while the tool runs: sampled every half second, the busiest second reported
broker=$(pgrep -o beam.smp || true)
sampler=
if [[ -n "$broker" ]] && ((instances > 1)); then
    samples="loadtest/target/bench-broker-cpu.txt"
    (while sleep 0.5; do
        echo "$(date +%s.%N) $(awk '{print $14 + $15}' "/proc/$broker/stat")"
    done) >"$samples" &
    sampler=$!
fi
report_broker() {
    [[ -n "$sampler" ]] || return 0
    kill "$sampler" 2>/dev/null || true
    awk -v hz="$(getconf CLK_TCK)" '
        { t[NR] = $1; c[NR] = $2 }
        END {
            for (i = 3; i <= NR; i++) { cores = (c[i] - c[i-2]) / hz / (t[i] - t[i-2]); if (cores > peak) peak = cores }
            if (NR > 1) printf "[bench] rabbitmq cpu: %.2f cores on average over %.0f s, %.2f in the busiest second\n",
                (c[NR] - c[1]) / hz / (t[NR] - t[1]), t[NR] - t[1], peak
        }' "$samples" >&2
}

url_list=$(IFS=,; echo "${urls[*]}")
extra=()
if [[ "$scenario" == storm ]]; then
    extra=(--victim-pid "${pids[$((instances - 1))]}")
elif ((instances == 1)); then
    extra=(--server-pid "${pids[0]}")
elif [[ "$scenario" == connect || "$scenario" == hold ]]; then
    extra=(--cpu-pids "$(IFS=,; echo "${pids[*]}")") # CPU per open summed over every instance
fi
if [[ -n "${WARMUP:-}" ]]; then
    # the same scenario once before, figures dropped: the servers' JIT compilers settle first
    echo "[bench] warming up: $scenario for $WARMUP s" >&2
    java -XX:TieredStopAtLevel=1 -jar loadtest/target/chat-loadtest.jar "$scenario" --url "$url_list" "${extra[@]}" "$@" \
        --duration "$WARMUP" --read-back 0 >/dev/null 2>&1 || true
fi
java -XX:TieredStopAtLevel=1 -jar loadtest/target/chat-loadtest.jar "$scenario" --url "$url_list" "${extra[@]}" "$@"
report_broker

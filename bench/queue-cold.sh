#!/usr/bin/env bash
# estimate --queue against a local run, every queue run with two freshly started
# workers (so each pays the workers' first load of the graph): issue #13's
# "wall time at most 1.5x the local run's", read strictly, one pair at a time.
#
#   bash bench/queue-cold.sh [PAIRS=5] [SCALE=18] [EXTRA ESTIMATE OPTIONS...]
#
# e.g. `bash bench/queue-cold.sh 5 18 --diameter-budget 0` leaves out the exact diameter
# (which the coordinator computes while the workers run the batches).
#
# Needs redis-server (Debian's) and a build (npm run build). Starts Redis on a
# loopback port with persistence off and stops it by its process id.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5}
scale=${2:-18}
shift $(( $# < 2 ? $# : 2 ))
extra=("$@")
port=6391
# The command as `npx smallworld` runs it: through its #! line, which also asks glibc for huge pages.
cli="dist/src/app/cli.js"
swg=$(mktemp -d)/rmat-$scale.swg
node dist/bench/rmat.js --scale "$scale" --seed 1 >/dev/null
$cli convert "bench/graphs/rmat-$scale-s1.tsv" "$swg" -q >/dev/null
redis-server --port $port --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
redis=$!
trap 'kill $redis 2>/dev/null; rm -f "$swg"' EXIT
sleep 1
url=redis://127.0.0.1:$port
for i in $(seq 1 "$pairs"); do
  redis-cli -p $port flushall >/dev/null
  $cli worker --queue $url --threads 1 >/dev/null 2>&1 & w1=$!
  $cli worker --queue $url --threads 1 >/dev/null 2>&1 & w2=$!
  sleep 1.5
  t0=$(date +%s.%N); $cli estimate "$swg" --samples 512 --seed 3 --threads 2 "${extra[@]}" --json -q >"$swg.local.json"; t1=$(date +%s.%N)
  $cli estimate "$swg" --samples 512 --seed 3 "${extra[@]}" --queue $url --json -q >"$swg.queue.json"; t2=$(date +%s.%N)
  same=$(node -e 'const [a,b]=process.argv.slice(1).map(f=>JSON.parse(require("fs").readFileSync(f,"utf8")));const k=["distanceHistogram","meanDistance","meanDistanceCi95","diameter"];console.log(k.every(x=>JSON.stringify(a[x])===JSON.stringify(b[x])))' "$swg.local.json" "$swg.queue.json")
  node -e 'const [l,q]=[process.argv[2]-process.argv[1],process.argv[3]-process.argv[2]];console.log(`pair ${process.argv[4]}: local ${l.toFixed(2)} s, queue (cold workers) ${q.toFixed(2)} s, ratio ${(q/l).toFixed(2)}, same figures: ${process.argv[5]}`)' "$t0" "$t1" "$t2" "$i" "$same"
  kill -TERM $w1 $w2; wait $w1 $w2 2>/dev/null || true
  rm -f "$swg.local.json" "$swg.queue.json"
done

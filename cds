#!/usr/bin/env bash
# Launcher of the CĐS pipeline: builds when the sources changed, then runs the CLI on the built classes.
#   ./cds --help        ./cds run        ./cds catalog check        ./cds generate --seed 2025
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
classes="$home/jobs/target/classes"
cp_file="$home/jobs/target/runtime-classpath.txt"
stamp="$home/jobs/target/.cds-built"

needs_build() {
  [ -f "$stamp" ] && [ -f "$cp_file" ] || return 0
  [ -n "$(find "$home/pom.xml" "$home/jobs/pom.xml" "$home/jobs/src/main" "$home/schemas" -newer "$stamp" -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "Đang biên dịch (building) …" >&2
  (cd "$home" && mvn -B -q -Dstyle.color=never -DskipTests -Dmaven.test.skip=true package >&2)
  touch "$stamp"
fi

# Spark on one host: bind to loopback (no hostname warning), quiet logging from log4j2.properties.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# A province-sized run lasts under a minute: the C1 JIT alone and the parallel collector leave both cores to the work
# (measured ~15% faster on the sample). A national run also fits these defaults (430 s, peak 6.1 GB; BENCHMARKS.md);
# CDS_JAVA_OPTS="-Xmx5g" brings the full JIT back: 493 s against 540-573 s with these (single runs, before the changes of
# BENCHMARKS.md's second session), for about 1 GB more memory.
# jobs/jvm.options: the module openings Spark gives its own executors (Kryo needs java.lang.invoke once blocks spill).
# Exported so that cds bench starts its child runs with the same options.
export CDS_JAVA_OPTS="${CDS_JAVA_OPTS:--Xmx4g -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m -XX:+UseParallelGC}"
exec java $CDS_JAVA_OPTS "@$home/jobs/jvm.options" \
  -Dcds.home="$home" -cp "$classes:$(cat "$cp_file")" vn.cds.Cli "$@"

#!/usr/bin/env bash
# Launcher of the CĐS pipeline: builds when the sources changed, then runs the CLI from the built jar.
#   ./cds --help        ./cds run        ./cds catalog check        ./cds generate --seed 2025
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$home/jobs/target/cds-jobs.jar"
cp_file="$home/jobs/target/runtime-classpath.txt"
stamp="$home/jobs/target/.cds-built"
archive="$home/jobs/target/cds-classes.jsa"

needs_build() {
  [ -f "$stamp" ] && [ -f "$cp_file" ] && [ -f "$jar" ] || return 0
  [ -n "$(find "$home/pom.xml" "$home/jobs/pom.xml" "$home/jobs/src/main" "$home/schemas" -newer "$stamp" -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "Đang biên dịch (building) …" >&2
  rm -f "$archive" # made from the classes of the build before
  (cd "$home" && mvn -B -q -Dstyle.color=never -DskipTests -Dmaven.test.skip=true package >&2)
  touch "$stamp"
fi

# Spark on one host: bind to loopback (no hostname warning), quiet logging from log4j2.properties.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# JVM options, unless CDS_JAVA_OPTS gives them. The JIT follows the size of the input's exports: a province run lasts
# under a minute, and the C1 JIT alone leaves both cores to the work (47-51 s against 60 s with the full JIT on the
# sample); from 16 MB of exports up the full JIT pays for itself (national: 313 s against 430 s). BENCHMARKS.md has the runs.
# jobs/jvm.options: the module openings Spark gives its own executors (Kryo needs java.lang.invoke once blocks spill).
jit_options() {
  local input="sample-data" previous="" arg kb
  for arg in "$@"; do
    [ "$previous" = "--input" ] && input="$arg"
    case "$arg" in --input=*) input="${arg#--input=}" ;; esac
    previous="$arg"
  done
  kb="$(du -skL "$input/exports" 2>/dev/null | cut -f1)" || kb=0
  [ "${kb:-0}" -ge 16384 ] || echo "-XX:TieredStopAtLevel=1"
}
java_opts="${CDS_JAVA_OPTS:--Xmx4g $(jit_options "$@") -XX:ReservedCodeCacheSize=256m -XX:+UseParallelGC}"
# Class-data sharing: the JVM maps the classes a run needs (Spark's, ~15,000) from an archive the first `run` after a
# build leaves behind, instead of loading and verifying them from the jars each time (a run over 80 rows: 33.9 s ->
# 27.3 s, the sample 53.1 s -> 50.9 s; BENCHMARKS.md, "What was tried"). The archive needs jars on the class path, hence the built jar,
# not target/classes; one older than the jar is made again. A JDK without a base archive of its own cannot make one
# (asking takes 40 ms). The -Xlog option keeps the JVM's notes on the archive off the console.
class_path="$jar:$(cat "$cp_file")"
if [ "$archive" -nt "$jar" ]; then
  exec java $java_opts -XX:SharedArchiveFile="$archive" -Xlog:cds=off,cds+dynamic=off "@$home/jobs/jvm.options" \
    -Dcds.home="$home" -cp "$class_path" vn.cds.Cli "$@"
elif [ "${1:-}" = run ] && java $java_opts -Xshare:on -version >/dev/null 2>&1; then
  new_archive="$archive.$$"
  status=0
  java $java_opts -XX:ArchiveClassesAtExit="$new_archive" -Xlog:cds=off,cds+dynamic=off "@$home/jobs/jvm.options" \
    -Dcds.home="$home" -cp "$class_path" vn.cds.Cli "$@" || status=$?
  # a run that stopped early loaded only some of the classes: its archive would serve the next runs poorly
  if [ "$status" -eq 0 ] && [ -f "$new_archive" ]; then mv -f "$new_archive" "$archive"; else rm -f "$new_archive"; fi
  exit "$status"
else
  exec java $java_opts "@$home/jobs/jvm.options" -Dcds.home="$home" -cp "$class_path" vn.cds.Cli "$@"
fi

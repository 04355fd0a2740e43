#!/usr/bin/env bash
# Submits an ml3 meta-training to YARN in cluster mode (the driver runs in the YARN
# application master). Needs HADOOP_CONF_DIR (or YARN_CONF_DIR) and SPARK_HOME, as spark-submit does.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/submit-common.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/submit-yarn.sh [options] CONFIG OUT [ml3 train options, e.g. --set seed=3]
  CONFIG  run config (a local file; shipped to the driver's container with --files,
          together with every file it includes)
  OUT     run directory on a file system the cluster shares: hdfs:///..., s3a://...
          (train gets --continue, so that a retried driver takes up its own run, unless the
          ml3 train options say --overwrite)
Options:
  --print                 print the spark-submit command instead of running it
  --jar PATH              application jar (default: driver/target/ml3-spark.jar)
  --queue NAME            YARN queue (default: default)
  --name NAME             application name (default: ml3-<config name>)
  --executors N           executors (default 2)    --executor-cores C (default 1)
  --executor-memory M     (default 2g)             --driver-memory M (default 2g)
  --gpus N                GPUs per executor (Spark GPU scheduling, one GPU per Spark task;
                          use backend = auto or nd4j and a jar built with mvn -Pcuda)
  --conf KEY=VALUE        any further Spark setting (repeatable)
  --no-spark-security     leave out conf/spark-security.conf (Spark's authentication, RPC and
                          I/O encryption); only on a cluster where every user is trusted
USAGE
}

jar="$ML3_REPO_DIR/driver/target/ml3-spark.jar"
queue=default
script_option() {
  case "$1" in
    --jar) jar="$2" ;;
    --queue) queue="$2" ;;
    *) return 1 ;;
  esac
}
parse_common_options "$@"
config="${positional[0]}"
out="${positional[1]}"
train_options=("${positional[@]:2}")
continue_on_retry

mapfile -t common < <(common_submit_options ./discover-gpus.sh)
configs="$(config_with_includes "$config")" || exit 2
files="$configs,$ML3_REPO_DIR/conf/log4j2.properties"
if [ "$gpus" -gt 0 ]; then
  files="$files,$ML3_DEPLOY_DIR/discover-gpus.sh"
fi

run_or_print "$(spark_submit_command)" \
  --master yarn --deploy-mode cluster --queue "$queue" \
  "${common[@]}" \
  --files "$files" \
  --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties --add-modules=jdk.incubator.vector" \
  --conf "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties --add-modules=jdk.incubator.vector" \
  ${extra_conf[@]+"${extra_conf[@]}"} \
  --class io.ml3spark.driver.Ml3 "$jar" \
  train --config "$(basename "$config")" --out "$out" ${train_options[@]+"${train_options[@]}"}

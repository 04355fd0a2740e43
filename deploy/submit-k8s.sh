#!/usr/bin/env bash
# Submits an ml3 meta-training to Kubernetes (spark-submit --master k8s://..., cluster mode):
# driver and executors run in pods of the image built from deploy/Dockerfile (or
# Dockerfile.cuda for GPU executors), which holds the jar and conf/ under /opt/ml3.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/submit-common.sh"

usage() {
  cat <<'USAGE'
Usage: deploy/submit-k8s.sh --api URL --image IMAGE [options] CONFIG OUT [ml3 train options]
  CONFIG  a config in the image's conf/ (e.g. conf/sine-regression.conf, read as
          /opt/ml3/conf/sine-regression.conf), or local:///path/in/the/image.conf
  OUT     run directory on a file system the pods share: s3a://..., hdfs://...
          (train gets --continue, so that a retried driver takes up its own run, unless the
          ml3 train options say --overwrite)
Options:
  --api URL               Kubernetes API server, e.g. https://10.0.0.1:6443 (k8s:// is added)
  --image IMAGE           container image (deploy/Dockerfile)
  --namespace NS          (default: default)
  --service-account SA    driver's service account, allowed to create pods (default: spark)
  --print                 print the spark-submit command instead of running it
  --name NAME, --executors N, --executor-cores C, --executor-memory M, --driver-memory M,
  --gpus N (GPUs per executor, vendor nvidia.com; image from Dockerfile.cuda), --conf KEY=VALUE
  --no-spark-security     leave out conf/spark-security.conf (Spark's authentication, RPC and
                          I/O encryption); only on a cluster where every user is trusted
USAGE
}

api=""
image=""
namespace=default
service_account=spark
script_option() {
  case "$1" in
    --api) api="$2" ;;
    --image) image="$2" ;;
    --namespace) namespace="$2" ;;
    --service-account) service_account="$2" ;;
    *) return 1 ;;
  esac
}
parse_common_options "$@"
if [ -z "$api" ] || [ -z "$image" ]; then
  echo "error: --api and --image are required" >&2
  usage >&2
  exit 2
fi
config="${positional[0]}"
out="${positional[1]}"
train_options=("${positional[@]:2}")
continue_on_retry
case "$config" in
  local://*) config_in_image="${config#local://}" ;;
  *) config_in_image="/opt/ml3/conf/$(basename "$config")" ;;
esac

mapfile -t common < <(common_submit_options /opt/ml3/deploy/discover-gpus.sh)
gpu_conf=()
if [ "$gpus" -gt 0 ]; then
  gpu_conf=(--conf spark.executor.resource.gpu.vendor=nvidia.com)
fi
app_name="$(echo "$app_name" | tr '[:upper:]_.' '[:lower:]--')"

run_or_print "$(spark_submit_command)" \
  --master "k8s://${api#k8s://}" --deploy-mode cluster \
  "${common[@]}" \
  ${gpu_conf[@]+"${gpu_conf[@]}"} \
  --conf "spark.kubernetes.container.image=$image" \
  --conf "spark.kubernetes.namespace=$namespace" \
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=$service_account" \
  --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=/opt/ml3/conf/log4j2.properties --add-modules=jdk.incubator.vector" \
  --conf "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=/opt/ml3/conf/log4j2.properties --add-modules=jdk.incubator.vector" \
  ${extra_conf[@]+"${extra_conf[@]}"} \
  --class io.ml3spark.driver.Ml3 local:///opt/ml3/ml3-spark.jar \
  train --config "$config_in_image" --out "$out" ${train_options[@]+"${train_options[@]}"}

#!/usr/bin/env bash
# Spark GPU discovery script (spark.worker/executor/driver.resource.gpu.discoveryScript).
# Prints the GPUs of this machine or container as Spark expects:
#   {"name":"gpu","addresses":["0","1"]}
# The addresses are CUDA device ordinals, which ml3-spark hands to ND4J as the device of the
# Spark task they are assigned to. With CUDA_VISIBLE_DEVICES set (YARN, Kubernetes and
# docker --gpus set it), the process sees those GPUs as ordinals 0..n-1; otherwise the
# indices of nvidia-smi are used (executors run with CUDA_DEVICE_ORDER=PCI_BUS_ID, see
# conf/spark-defaults.conf, so that both orders agree).
set -euo pipefail

addresses=()
if [ -n "${CUDA_VISIBLE_DEVICES+x}" ]; then
  IFS=',' read -r -a visible <<< "${CUDA_VISIBLE_DEVICES}"
  for i in "${!visible[@]}"; do
    case "${visible[$i]}" in ''|-1|NoDevFiles|void) continue ;; esac
    addresses+=("$i")
  done
elif command -v nvidia-smi > /dev/null 2>&1; then
  while read -r index; do
    [ -n "$index" ] && addresses+=("${index// /}")
  done < <(nvidia-smi --query-gpu=index --format=csv,noheader)
else
  echo "discover-gpus.sh: no GPU found (nvidia-smi not on PATH, CUDA_VISIBLE_DEVICES unset)" >&2
  exit 1
fi

json=""
for a in "${addresses[@]+"${addresses[@]}"}"; do
  json+="${json:+,}\"$a\""
done
printf '{"name":"gpu","addresses":[%s]}\n' "$json"

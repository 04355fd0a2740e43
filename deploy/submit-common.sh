# Shared by submit-yarn.sh and submit-k8s.sh (sourced, not run): option parsing and the
# spark-submit options every cluster gets. See deploy/README.md.

ML3_DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ML3_REPO_DIR="$(dirname "$ML3_DEPLOY_DIR")"

print_only=false
app_name=""
executors=2
executor_cores=1
executor_memory=2g
driver_memory=2g
gpus=0
spark_security=true
extra_conf=()
positional=()

# Parses the options common to both scripts; leaves CONFIG OUT [ml3 train options] in positional.
# A script-specific option is handled by the function `script_option NAME VALUE` (returns 1 if unknown).
parse_common_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --print) print_only=true; shift ;;
      --name) app_name="$2"; shift 2 ;;
      --executors) executors="$2"; shift 2 ;;
      --executor-cores) executor_cores="$2"; shift 2 ;;
      --executor-memory) executor_memory="$2"; shift 2 ;;
      --driver-memory) driver_memory="$2"; shift 2 ;;
      --gpus) gpus="$2"; shift 2 ;;
      --no-spark-security) spark_security=false; shift ;;
      --conf) extra_conf+=(--conf "$2"); shift 2 ;;
      -h|--help) usage; exit 0 ;;
      --) shift; positional+=("$@"); break ;;
      --*)
        if [ $# -ge 2 ] && script_option "$1" "$2"; then shift 2; else positional+=("$@"); break; fi ;;
      *) positional+=("$@"); break ;;
    esac
  done
  if [ ${#positional[@]} -lt 2 ]; then
    usage >&2
    exit 2
  fi
  case "$gpus" in ''|*[!0-9]*) echo "error: --gpus expects a number of GPUs per executor, got '$gpus'" >&2; exit 2 ;; esac
  if [ -z "$app_name" ]; then
    app_name="ml3-$(basename "${positional[0]}" .conf)"
  fi
}

# A cluster retries a failed driver (YARN's next application attempt, the spark-operator's
# restartPolicy), and the retry must take up the run its predecessor started in OUT: adds
# --continue to train_options unless they say --continue or --overwrite already.
continue_on_retry() {
  local option
  for option in ${train_options[@]+"${train_options[@]}"}; do
    case "$option" in --continue|--overwrite) return ;; esac
  done
  train_options+=(--continue)
}

# spark-submit itself: $SPARK_HOME/bin/spark-submit, else the one on PATH.
spark_submit_command() {
  if [ -n "${SPARK_HOME:-}" ]; then echo "$SPARK_HOME/bin/spark-submit"; else echo spark-submit; fi
}

# Options of every cluster: resources, the shared defaults, and (with --gpus) Spark's GPU scheduling.
# $1: how executors find deploy/discover-gpus.sh.
common_submit_options() {
  local discovery="$1"
  printf '%s\n' --name "$app_name" --num-executors "$executors" --executor-cores "$executor_cores" \
    --executor-memory "$executor_memory" --driver-memory "$driver_memory"
  # conf/spark-defaults.conf as --conf options: --properties-file would replace the cluster's
  # own $SPARK_CONF_DIR/spark-defaults.conf instead of adding to it.
  conf_file_options "$ML3_REPO_DIR/conf/spark-defaults.conf"
  if $spark_security; then
    conf_file_options "$ML3_REPO_DIR/conf/spark-security.conf"
  fi
  if [ "$gpus" -gt 0 ]; then
    printf '%s\n' --conf "spark.executor.resource.gpu.amount=$gpus" \
      --conf "spark.task.resource.gpu.amount=1" \
      --conf "spark.executor.resource.gpu.discoveryScript=$discovery"
  fi
}

# Each "key value" line of a Spark properties file $1 as --conf key=value.
conf_file_options() {
  local key value
  while read -r key value; do
    case "$key" in ''|'#'*) continue ;; esac
    printf '%s\n' --conf "$key=$value"
  done < "$1"
}

# Prints the command (--print) or runs it.
run_or_print() {
  if $print_only; then
    local arg line=""
    for arg in "$@"; do
      # Quote only what a shell would split or expand.
      if [[ "$arg" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then line+="${line:+ }$arg"; else line+="${line:+ }'${arg//\'/\'\\\'\'}'"; fi
    done
    echo "$line"
  else
    exec "$@"
  fi
}

# $1 and, recursively, every file it includes (include "x.conf" / include required("x.conf")),
# comma-separated, for --files: YARN puts them side by side in the driver's working directory,
# where the includes resolve again. Fails on an include that is missing or names a directory.
config_with_includes() {
  local file="$1" dir name
  [ -f "$file" ] || { echo "error: config file not found: $file" >&2; return 2; }
  dir="$(dirname "$file")"
  printf '%s' "$file"
  while IFS= read -r name; do
    case "$name" in
      */*) echo "error: $file includes \"$name\": on YARN an included file must sit beside the config" >&2; return 2 ;;
    esac
    printf ','
    config_with_includes "$dir/$name" || return 2
  done < <(sed -nE 's/^[[:space:]]*include[[:space:]]+(required\()?"([^"]+)"\)?.*/\2/p' "$file")
}

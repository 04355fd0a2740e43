"""Airflow DAG: a scheduled ml3 sweep, one spark-submit per point of a grid file.

Each grid point (see ml3_grid.py and deploy/README.md for the format) becomes one
SparkSubmitOperator task running `ml3 train --config CONFIG --out OUT/<date>/<point> --set ...`
on the cluster of the Airflow connection ML3_SPARK_CONN (YARN or Kubernetes: its host is the
master URL, its extra holds deploy-mode, spark-binary, namespace); a last task prints the
Markdown table of all the runs' meta-test results (`ml3 summarize`).

Needs apache-airflow-providers-apache-spark (and pyhocon for full HOCON grid files).
Settings are Airflow variables (or environment variables of the same name):
  ML3_GRID         the grid file, on the scheduler's file system
  ML3_CONFIG       the run config: a local file, shipped with --files (YARN), or
                   local:///opt/ml3/conf/NAME.conf, a file of the image (Kubernetes)
  ML3_JAR          the application jar (driver/target/ml3-spark.jar), local or hdfs://, s3a://
  ML3_OUT          base URI of the run directories (hdfs:///ml3/sweeps, s3a://bucket/sweeps)
  ML3_SPARK_CONN   Airflow connection id (default spark_ml3)
  ML3_SCHEDULE     cron or preset (default @weekly)
  ML3_PARALLEL     runs at once (default 2)
  ML3_SPARK_SECURITY  on (default): Spark's authentication, RPC and I/O encryption, as in
                   conf/spark-security.conf; off only on a cluster where every user is trusted
"""
import os
import sys
from datetime import datetime

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ml3_grid  # noqa: E402  (next to this file)


def setting(name, default=None):
    value = Variable.get(name, default_var=os.environ.get(name, default))
    if value is None:
        raise ValueError(f"ml3_sweep: set the Airflow variable or environment variable {name}")
    return value


GRID = setting("ML3_GRID", "/opt/ml3/grids/sine-seeds.grid.conf")
CONFIG = setting("ML3_CONFIG", "/opt/ml3/conf/sine-regression.conf")
JAR = setting("ML3_JAR", "/opt/ml3/ml3-spark.jar")
OUT = setting("ML3_OUT", "hdfs:///ml3/sweeps").rstrip("/")
CONN = setting("ML3_SPARK_CONN", "spark_ml3")

if CONFIG.startswith("local://"):
    CONFIG_FILES, CONFIG_ARG = None, CONFIG[len("local://"):]
else:
    CONFIG_FILES, CONFIG_ARG = CONFIG, os.path.basename(CONFIG)

SPARK_CONF = {
    "spark.executorEnv.OMP_NUM_THREADS": "1",
    "spark.yarn.appMasterEnv.OMP_NUM_THREADS": "1",
    "spark.task.maxFailures": "4",
    "spark.ui.showConsoleProgress": "false",
}
SPARK_SECURITY = setting("ML3_SPARK_SECURITY", "on")
if SPARK_SECURITY not in ("on", "off"):
    raise ValueError(f"ml3_sweep: ML3_SPARK_SECURITY is on or off, not {SPARK_SECURITY!r}")
if SPARK_SECURITY == "on":
    SPARK_CONF.update({
        "spark.authenticate": "true",
        "spark.network.crypto.enabled": "true",
        "spark.io.encryption.enabled": "true",
    })

with DAG(
    dag_id="ml3_sweep",
    description="ml3 meta-training sweep: one spark-submit per grid point, then a summary table",
    schedule=setting("ML3_SCHEDULE", "@weekly"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_tasks=int(setting("ML3_PARALLEL", "2")),
    tags=["ml3", "spark"],
) as dag:
    run_dirs = []
    runs = []
    for i, point in enumerate(ml3_grid.expand(ml3_grid.load_grid(GRID))):
        out = f"{OUT}/{{{{ ds_nodash }}}}/{ml3_grid.run_name(point)}"
        run_dirs.append(out)
        runs.append(SparkSubmitOperator(
            task_id=f"train_{i:03d}",
            conn_id=CONN,
            name=f"ml3-sweep-{i:03d}",
            application=JAR,
            java_class="io.ml3spark.driver.Ml3",
            files=CONFIG_FILES,
            conf=SPARK_CONF,
            # --continue: a retry continues this point's own run from its checkpoint.
            application_args=["train", "--config", CONFIG_ARG, "--out", out, "--continue",
                              *ml3_grid.set_options(point)],
            retries=1,
        ))

    summary = SparkSubmitOperator(
        task_id="summarize",
        conn_id=CONN,
        name="ml3-sweep-summary",
        application=JAR,
        java_class="io.ml3spark.driver.Ml3",
        conf=SPARK_CONF,
        application_args=["summarize", *run_dirs],
        trigger_rule="all_done",
    )
    runs >> summary

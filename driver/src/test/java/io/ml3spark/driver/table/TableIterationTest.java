package io.ml3spark.driver.table;

import io.ml3spark.experiments.table.FeatureScaling;
import io.ml3spark.experiments.table.OutlierLines;
import io.ml3spark.experiments.table.TableBatches;
import io.ml3spark.experiments.table.TableRegression;
import io.ml3spark.experiments.table.TableSplit;
import io.ml3spark.experiments.table.TaskRows;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TableIterationTest {
    @TempDir
    Path dir;

    @Test
    void eachPartitionComputesItsOwnDrawWhereItsRowsAreAndTheSumIsThePartitionsSum() {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("TableIterationTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            OutlierLines family = new OutlierLines(2, 24, 0.1, 0.1, 5);
            List<Row> rows = new ArrayList<>();
            for (long t = 0; t < 20; t++) {
                for (double[] r : family.rows(8, t)) {
                    rows.add(RowFactory.create("line-" + t, r[0], r[1], r[2]));
                }
            }
            String path = dir.resolve("lines").toString();
            spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                    DataTypes.createStructField("task", DataTypes.StringType, false),
                    DataTypes.createStructField("x_0", DataTypes.DoubleType, false),
                    DataTypes.createStructField("x_1", DataTypes.DoubleType, false),
                    DataTypes.createStructField("y", DataTypes.DoubleType, false)))).repartition(3).write().parquet(path);
            TableSplit split = new TableSplit(0.25, 0.5, 6);
            TaskTable table = TaskTable.read(spark, new TableSource(path, "parquet", "task", List.of(), "x_", "y"), 2,
                    split, 4, 4);
            FeatureScaling scaling = table.scaling(split);
            TableRegression regression = new TableRegression(new MlpOptimizee(
                    new Mlp(new int[] {2, 6, 1}, Activation.TANH, Activation.IDENTITY, true), Init.TORCH_DEFAULT, 0.0),
                    new TableBatches(split, scaling, 4, 4));
            LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 5, 1}, Activation.TANH, Activation.SOFTPLUS, true),
                    LossInput.PREDICTION_TARGET);
            TableIteration iteration = new TableIteration(regression, split, loss,
                    new UnrolledBackprop(new InnerLoop(1, 0.05), false), 3, "jvm");
            double[] phi = loss.initialPhi(JvmBackend.INSTANCE, 5, new PhiInit(1, Init.XAVIER_UNIFORM, 0.0));

            MetaGradient onSpark = iteration.metaGradient(table.tasks(), phi, 9, 1);
            List<List<TaskRows>> partitions = table.tasks().glom().collect();
            MetaGradient expected = MetaGradient.zero(phi.length);
            for (int p = 0; p < partitions.size(); p++) {
                expected = expected.plus(iteration.partitionGradient(JvmBackend.INSTANCE, partitions.get(p).iterator(),
                        phi, 9, 1, p));
            }
            assertEquals(expected.tasks(), onSpark.tasks());
            assertEquals(6, onSpark.tasks(), "3 tasks from each of 2 partitions");
            assertArrayEquals(expected.gradientSum(), onSpark.gradientSum(), 1e-12);
            assertEquals(expected.taskLossSum(), onSpark.taskLossSum(), 1e-12);
            MetaGradient next = iteration.metaGradient(table.tasks(), phi, 9, 2);
            assertFalse(java.util.Arrays.equals(onSpark.gradientSum(), next.gradientSum()), "each iteration draws anew");
        } finally {
            spark.stop();
        }
    }
}

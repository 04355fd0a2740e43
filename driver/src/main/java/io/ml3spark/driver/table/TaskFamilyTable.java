package io.ml3spark.driver.table;

import io.ml3spark.experiments.table.TaskFamily;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic {@link TaskFamily} as a Parquet task table ({@code task_id}, {@code x_0 ..},
 * {@code y}), each task's rows generated on the executors from (seed, task).
 */
public final class TaskFamilyTable {
    private TaskFamilyTable() {
    }

    /** Writes tasks {@code 0..tasks-1} of {@code family} (seed {@code seed}) to {@code path} in {@code files} files. */
    public static void write(SparkSession session, TaskFamily family, long seed, long tasks, int files, String path) {
        int width = family.features();
        JavaRDD<Row> table = session.range(0, tasks, 1, files).toJavaRDD().flatMap(task -> {
            List<Row> taskRows = new ArrayList<>();
            for (double[] r : family.rows(seed, task)) {
                Object[] cells = new Object[width + 2];
                cells[0] = TaskFamily.taskId(task);
                for (int c = 0; c <= width; c++) {
                    cells[c + 1] = r[c];
                }
                taskRows.add(RowFactory.create(cells));
            }
            return taskRows.iterator();
        });
        session.createDataFrame(table, schema(width)).write().parquet(path);
    }

    /** The table's schema: {@code task_id} (string), {@code x_0 .. x_{F-1}} and {@code y} (double). */
    public static StructType schema(int features) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("task_id", DataTypes.StringType, false));
        for (int f = 0; f < features; f++) {
            fields.add(DataTypes.createStructField("x_" + f, DataTypes.DoubleType, false));
        }
        fields.add(DataTypes.createStructField("y", DataTypes.DoubleType, false));
        return DataTypes.createStructType(fields);
    }
}

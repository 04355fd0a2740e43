package io.ml3spark.driver.table;

import io.ml3spark.experiments.table.FeatureScaling;
import io.ml3spark.experiments.table.StableHash;
import io.ml3spark.experiments.table.TableBatches;
import io.ml3spark.experiments.table.TablePartition;
import io.ml3spark.experiments.table.TableTask;

import java.io.Serializable;
import java.util.List;

/**
 * What the driver learns of one partition of a task table, in the one pass after it is read:
 * its meta-train and meta-test task counts, the sums for the feature scaling (meta-train rows
 * only), an order-free fingerprint of its content, its first held-out tasks (in the partition's
 * fixed order), and the first task too small for the batches, if any.
 */
record PartitionSummary(int index, int metaTrainTasks, int metaTestTasks, long rows, FeatureScaling.Sums sums,
                        long fingerprintLow, long fingerprintHigh, List<TableTask> firstMetaTest, String shortfall)
        implements Serializable {
    private static final long LOW = 0xf1;
    private static final long HIGH = 0xf2;

    static PartitionSummary of(TablePartition p, int features, int supportRows, int queryRows, int heldOut) {
        FeatureScaling.Sums sums = new FeatureScaling.Sums(features);
        long fingerprintLow = 0;
        long fingerprintHigh = 0;
        long rows = 0;
        String shortfall = null;
        for (List<TableTask> tasks : List.of(p.metaTrain(), p.metaTest())) {
            for (TableTask t : tasks) {
                if (shortfall == null) {
                    shortfall = TableBatches.shortfall(t, supportRows, queryRows);
                }
                long low = StableHash.of(t.taskId(), LOW);
                long high = StableHash.of(t.taskId(), HIGH);
                for (double[][] part : List.of(t.support(), t.query())) {
                    for (double[] row : part) {
                        // A sum of per-row hashes, salted by the row's task: the same whatever order the rows arrive in.
                        fingerprintLow += StableHash.of(row, low);
                        fingerprintHigh += StableHash.of(row, high);
                        rows++;
                        if (tasks == p.metaTrain()) {
                            sums.add(row);
                        }
                    }
                }
            }
        }
        return new PartitionSummary(p.index(), p.metaTrain().size(), p.metaTest().size(), rows, sums, fingerprintLow,
                fingerprintHigh, List.copyOf(p.metaTest().subList(0, Math.min(heldOut, p.metaTest().size()))),
                shortfall);
    }
}

package io.ml3spark.driver.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * A tree reduction like {@code treeAggregate}, but one that combines values in a fixed
 * order: by partition index, level by level. Spark's own tree and final reductions merge
 * partial results in the order tasks finish, which changes the float sum from run to run;
 * here the result is bit-identical however tasks are scheduled, retried or resumed.
 */
public final class OrderedTreeReduce {
    private OrderedTreeReduce() {
    }

    /** Reduces {@code rdd}'s elements with {@code combine}, combining partitions {@code fanIn} at a time per level. */
    public static <T extends Serializable> T reduce(JavaRDD<T> rdd, Function2<T, T, T> combine, int fanIn)
            throws Exception {
        if (fanIn < 2) {
            throw new IllegalArgumentException("fan-in must be >= 2, got " + fanIn);
        }
        JavaPairRDD<Integer, T> level = rdd.mapPartitionsWithIndex((index, values) -> {
            List<Tuple2<Integer, T>> out = new ArrayList<>(1);
            T acc = null;
            while (values.hasNext()) {
                T v = values.next();
                acc = acc == null ? v : combine.call(acc, v);
            }
            if (acc != null) {
                out.add(new Tuple2<>(index, acc));
            }
            return out.iterator();
        }, true).mapToPair(t -> t);
        int partitions = rdd.getNumPartitions();
        // As MLlib's treeAggregate: add a level only while it shrinks the work of the next one.
        while (partitions > fanIn + (partitions + fanIn - 1) / fanIn) {
            int next = (partitions + fanIn - 1) / fanIn;
            level = level.mapToPair(t -> new Tuple2<>(t._1() / fanIn, t))
                    .groupByKey(next)
                    .mapValues(group -> inOrder(group.iterator(), combine));
            partitions = next;
        }
        List<Tuple2<Integer, T>> top = new ArrayList<>(level.collect());
        top.sort(Comparator.comparing(Tuple2::_1));
        T result = null;
        for (Tuple2<Integer, T> t : top) {
            result = result == null ? t._2() : combine.call(result, t._2());
        }
        if (result == null) {
            throw new IllegalArgumentException("cannot reduce an empty RDD");
        }
        return result;
    }

    private static <T> T inOrder(Iterator<Tuple2<Integer, T>> group, Function2<T, T, T> combine) throws Exception {
        List<Tuple2<Integer, T>> parts = new ArrayList<>();
        group.forEachRemaining(parts::add);
        parts.sort(Comparator.comparing(Tuple2::_1));
        T acc = parts.get(0)._2();
        for (int i = 1; i < parts.size(); i++) {
            acc = combine.call(acc, parts.get(i)._2());
        }
        return acc;
    }
}

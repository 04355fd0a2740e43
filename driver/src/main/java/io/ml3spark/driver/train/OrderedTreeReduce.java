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
        while (addsLevel(partitions, fanIn)) {
            int next = (partitions + fanIn - 1) / fanIn;
            level = level.mapToPair(t -> new Tuple2<>(t._1() / fanIn, t))
                    .groupByKey(next)
                    .mapValues(group -> inOrder(group.iterator(), combine));
            partitions = next;
        }
        List<Tuple2<Integer, T>> top = new ArrayList<>(level.collect());
        if (top.isEmpty()) {
            throw new IllegalArgumentException("cannot reduce an empty RDD");
        }
        top.sort(Comparator.comparing(Tuple2::_1));
        return foldLeft(top.stream().map(Tuple2::_2).toList(), combine);
    }

    /**
     * The same reduction of one value per partition already on the driver ({@code partials},
     * in partition order): the same levels, pairs and order of combinations as {@link #reduce},
     * so the result is bit-identical, without a shuffle.
     */
    public static <T> T reduceLocally(List<T> partials, Function2<T, T, T> combine, int fanIn) throws Exception {
        if (fanIn < 2) {
            throw new IllegalArgumentException("fan-in must be >= 2, got " + fanIn);
        }
        if (partials.isEmpty()) {
            throw new IllegalArgumentException("cannot reduce an empty list");
        }
        List<T> level = partials;
        while (addsLevel(level.size(), fanIn)) {
            List<T> next = new ArrayList<>((level.size() + fanIn - 1) / fanIn);
            for (int start = 0; start < level.size(); start += fanIn) {
                next.add(foldLeft(level.subList(start, Math.min(start + fanIn, level.size())), combine));
            }
            level = next;
        }
        return foldLeft(level, combine);
    }

    /** As MLlib's treeAggregate: add a level only while it shrinks the work of the next one. */
    private static boolean addsLevel(int partitions, int fanIn) {
        return partitions > fanIn + (partitions + fanIn - 1) / fanIn;
    }

    private static <T> T foldLeft(List<T> values, Function2<T, T, T> combine) throws Exception {
        T acc = values.get(0);
        for (int i = 1; i < values.size(); i++) {
            acc = combine.call(acc, values.get(i));
        }
        return acc;
    }

    private static <T> T inOrder(Iterator<Tuple2<Integer, T>> group, Function2<T, T, T> combine) throws Exception {
        List<Tuple2<Integer, T>> parts = new ArrayList<>();
        group.forEachRemaining(parts::add);
        parts.sort(Comparator.comparing(Tuple2::_1));
        return foldLeft(parts.stream().map(Tuple2::_2).toList(), combine);
    }
}

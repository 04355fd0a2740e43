package io.ml3spark.driver.train;

import io.ml3spark.driver.config.MetaTrainSettings;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradient;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The ML3 outer loop on Spark, shaped like MLlib's distributed gradient descent: groups of task
 * indices map to summed meta-gradients on the executors, which are reduced in a fixed order and
 * averaged, and an {@link OuterLoop} step (Adam, projected off any held directions; the kept best
 * with {@code meta-train.keep = best}) moves phi. Per-iteration mode runs a Spark job per
 * meta-update and steps on the driver; barrier mode runs a {@link BarrierSegment} of several
 * iterations per job, every task taking the same step. Given the same seed, the phi after any
 * iteration is bit-identical in either mode, whether the run was interrupted and resumed or not,
 * and however Spark scheduled or retried tasks.
 */
public final class MetaTrainer {
    private final JavaSparkContext spark;
    private Experiment experiment;
    private final String backend;
    private final long seed;
    private final MetaTrainSettings settings;
    /** Phis up to this size ride inside the task (whose binary Spark broadcasts anyway), larger ones in a broadcast of their own. */
    static final long INLINE_PHI_BYTES = 1 << 20;
    /** Meta-gradients up to this total size are reduced on the driver, larger ones by a tree of shuffles. */
    static final long LOCAL_REDUCE_BYTES = 64L << 20;
    /** Auto mode runs barrier segments while the meta-gradients exchanged per update stay this small. */
    static final long BARRIER_MAX_EXCHANGE_BYTES = 4L << 20;
    private static final ClassTag<MetaGradient> META_GRADIENT = ClassTag$.MODULE$.apply(MetaGradient.class);
    private static final ClassTag<BarrierSegment.Result> SEGMENT_RESULT = ClassTag$.MODULE$.apply(BarrierSegment.Result.class);
    /** Destroys spent phi broadcasts off the training thread. */
    private static final Executor BROADCAST_CLEANER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ml3-broadcast-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** The experiment (its task data can be megabytes) is shipped to each executor once, not with every task. */
    private Broadcast<Experiment> experimentB;
    /** Where the Spark tasks find their ML3 tasks; null: the experiment's generated tasks in groups of tasks-per-spark-task. */
    private final TaskPlacement placement;
    /** The placement whose RDD {@link #groupsRdd} is, made once and reused by every job. */
    private TaskPlacement placed;
    private JavaRDD<SparkTaskGroup> groupsRdd;
    /** Relays barrier tasks' meta-gradients; null until a segment of several tasks needs it. */
    private volatile ExchangeRelay relay;
    private long segments;
    /** Replaces the experiment every so many iterations; null: it stays as it is. */
    private final ExperimentRefresh refresh;

    public MetaTrainer(JavaSparkContext spark, Experiment experiment, String backend, long seed,
                       MetaTrainSettings settings) {
        this(spark, experiment, backend, seed, settings, null);
    }

    public MetaTrainer(JavaSparkContext spark, Experiment experiment, String backend, long seed,
                       MetaTrainSettings settings, ExperimentRefresh refresh) {
        this(spark, experiment, backend, seed, settings, refresh, null);
    }

    /** A trainer whose Spark tasks find their ML3 tasks as {@code placement} says (a table's partitions). */
    public MetaTrainer(JavaSparkContext spark, Experiment experiment, String backend, long seed,
                       MetaTrainSettings settings, ExperimentRefresh refresh, TaskPlacement placement) {
        this.placement = placement;
        this.spark = spark;
        this.experiment = experiment;
        this.backend = backend;
        this.seed = seed;
        this.settings = settings;
        this.refresh = refresh;
    }

    /** The state before the first iteration. */
    public static TrainingState initial(double[] phi) {
        return new TrainingState(0, phi, null);
    }

    /**
     * Runs the iterations after {@code start.iteration()} up to the configured count and
     * returns the final state; {@code checkpoint} receives the state every
     * {@code checkpoint-every} iterations and after the last one, in order (in barrier mode, when
     * the segment holding them ends, and of a segment's only the last {@code keep-checkpoints}).
     */
    public TrainingState train(TrainingState start, IterationListener listener, Consumer<TrainingState> checkpoint) {
        int updates = experiment.estimator().updatesPerIteration();
        OuterLoop loop = new OuterLoop(settings, updates, start);
        try {
            TaskPlacement used = placement != null ? placement
                    : TaskPlacement.generated(experiment.tasksPerIteration(), settings.tasksPerSparkTask());
            placed(used);
            List<int[]> groups = used.groups();
            boolean barrier = barrierMode(groups.size(), start.phi().length);
            JobLength jobs = new JobLength(settings.iterationsPerJob());
            long t0 = System.nanoTime();
            while (loop.state().iteration() < settings.iterations()) {
                refreshIfDue(loop.state());
                if (barrier) {
                    int done = loop.state().iteration();
                    int end = segmentEnd(done, jobs.next());
                    long segmentStart = System.nanoTime();
                    BarrierSegment.Result segment = runSegment(loop.state(), end, groups, updates);
                    jobs.observe(end - done, (System.nanoTime() - segmentStart) / 1e9);
                    loop = new OuterLoop(settings, updates, segment.state());
                    for (BarrierSegment.Report r : segment.reports()) {
                        listener.iterationDone(r.iteration().iteration(), r.iteration().gradient(), r.iteration().applied(),
                                (segmentStart - t0 + r.nanosIntoSegment()) / 1e9);
                    }
                    segment.checkpoints().forEach(checkpoint);
                    if (end == settings.iterations() && end % settings.checkpointEvery() != 0) {
                        checkpoint.accept(loop.state());
                    }
                } else {
                    OuterLoop.Iteration it = loop.next((phis, iteration) -> metaGradient(phis, iteration, groups));
                    listener.iterationDone(it.iteration(), it.gradient(), it.applied(), (System.nanoTime() - t0) / 1e9);
                    if (it.iteration() % settings.checkpointEvery() == 0 || it.iteration() == settings.iterations()) {
                        checkpoint.accept(loop.state());
                    }
                }
            }
            return loop.state();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("meta-training failed", e);
        } finally {
            dropExperimentBroadcast();
            if (relay != null) {
                try {
                    relay.close();
                } catch (IOException ignored) {
                    // the run is over either way
                }
                relay = null;
            }
        }
    }

    /** Before the iterations after a refresh point, the refreshed experiment, shipped to the executors anew. */
    private void refreshIfDue(TrainingState state) {
        if (refresh != null && state.iteration() % refresh.every() == 0) {
            experiment = refresh.refreshed(state.iteration(), state.phi(), experiment);
            dropExperimentBroadcast();
        }
    }

    private void dropExperimentBroadcast() {
        if (experimentB != null) {
            experimentB.destroy();
            experimentB = null;
        }
    }

    /**
     * Whether iterations run in barrier segments: as configured, or with {@code auto} where
     * Spark can run them and they pay: every group in a slot at once, the meta-gradients
     * exchanged per update (through the driver's relay) small, and no dynamic allocation.
     */
    boolean barrierMode(int groups, int phiSize) {
        int slots = spark.defaultParallelism();
        return switch (settings.execution()) {
            case PER_ITERATION -> false;
            case BARRIER -> {
                if (groups > slots) {
                    throw new SparkJobError("meta-train.execution = barrier runs all " + groups + " Spark tasks of an"
                            + " iteration at once, but Spark has " + slots + " slots; use fewer groups (raise"
                            + " meta-train.tasks-per-spark-task; for a table, lower table.partitions) or execution ="
                            + " per-iteration");
                }
                yield true;
            }
            case AUTO -> groups <= slots && 8L * phiSize * groups <= BARRIER_MAX_EXCHANGE_BYTES
                    && !spark.getConf().getBoolean("spark.dynamicAllocation.enabled", false);
        };
    }

    /**
     * The last iteration of the segment after {@code done}: {@code length} iterations later at most,
     * ending on refreshes (the experiment changes there). Checkpoints do not end segments: a
     * segment returns those inside it.
     */
    int segmentEnd(int done, int length) {
        int end = (int) Math.min(settings.iterations(), (long) done + length);
        return refresh == null ? end : Math.min(end, nextMultiple(done, refresh.every()));
    }

    private static int nextMultiple(int done, int every) {
        return (done / every + 1) * every;
    }

    private BarrierSegment.Result runSegment(TrainingState state, int end, List<int[]> groups, int updates) {
        prepare(groups);
        ExchangeRelay.Segment exchange = groups.size() == 1 ? null : new ExchangeRelay.Segment(++segments,
                ExchangeSecret.fresh(), groups.size(), MetaGradientCodec.maxBytes(state.phi().length, largest(groups)));
        String relayAddress = null;
        if (exchange != null) {
            relayAddress = relay().address();
            relay.expect(exchange);
        }
        BarrierSegment segment = new BarrierSegment(experimentB, backend, seed, settings, updates, state, end,
                fanIn(groups.size(), settings.treeDepth()), relayAddress, exchange);
        try {
            // Spark retries a failed barrier stage only when it is a shuffle map stage, so the
            // segment's one result crosses a shuffle to the stage that collects it.
            List<BarrierSegment.Result> results = JavaRDD.fromRDD(
                    groupsRdd.rdd().barrier().mapPartitions(segment, false, SEGMENT_RESULT), SEGMENT_RESULT)
                    .repartition(1).collect();
            return results.get(0);
        } catch (Exception e) {
            throw failure(e, "iterations " + (state.iteration() + 1) + "-" + end, groups);
        } finally {
            if (exchange != null) {
                relay.endSegment(exchange.id());
            }
        }
    }

    private static int largest(List<int[]> groups) {
        return groups.stream().mapToInt(g -> g.length).max().orElse(0);
    }

    /** The driver's relay once a segment has started it, else null. */
    ExchangeRelay startedRelay() {
        return relay;
    }

    /** The driver's relay for barrier tasks' meta-gradients, started on first use, where executors reach the driver. */
    private ExchangeRelay relay() {
        if (relay == null) {
            SparkConf conf = spark.getConf();
            String host = conf.get("spark.driver.host", "127.0.0.1");
            try {
                relay = ExchangeRelay.start(conf.get("spark.driver.bindAddress", host), host);
            } catch (IOException e) {
                throw new SparkJobError("cannot open the driver's relay for barrier segments on " + host + ": "
                        + e.getMessage() + "; use meta-train.execution = per-iteration");
            }
        }
        return relay;
    }

    /** Ships the experiment, once per run, and places {@code groups} (the run's placement's, or others a caller gives). */
    private void prepare(List<int[]> groups) {
        if (experimentB == null) {
            experimentB = spark.broadcast(experiment);
        }
        if (placed == null || (placed.groups() != groups && !sameGroups(placed.groups(), groups))) {
            placed(TaskPlacement.generated(groups));
        }
    }

    private void placed(TaskPlacement p) {
        if (placed != p) {
            placed = p;
            groupsRdd = p.rdd(spark);
        }
    }

    /** The summed meta-gradient of one iteration's tasks, computed on the executors. */
    public MetaGradient metaGradient(double[] phi, long iteration, List<int[]> groups) {
        return metaGradient(new ArrayList<>(List.of(phi)), iteration, groups);
    }

    /**
     * The summed meta-gradient of update {@code phis.size() - 1} of an iteration, computed on
     * the executors; {@code phis} are the phis of the iteration's updates so far, the last the current.
     */
    public MetaGradient metaGradient(List<double[]> phis, long iteration, List<int[]> groups) {
        prepare(groups);
        long phiBytes = 8L * phis.size() * phis.get(phis.size() - 1).length;
        Broadcast<List<double[]>> phisB = phiBytes > INLINE_PHI_BYTES ? spark.broadcast(new ArrayList<>(phis)) : null;
        try {
            GroupMetaGradient perGroup = new GroupMetaGradient(experimentB, backend, settings.tasksPerBlock(), seed, iteration,
                    phisB == null ? new ArrayList<>(phis) : null, phisB);
            int fanIn = fanIn(groups.size(), settings.treeDepth());
            if (phiBytes * groups.size() <= LOCAL_REDUCE_BYTES) {
                Object partials = spark.sc().runJob(groupsRdd.rdd(), perGroup, META_GRADIENT);
                return OrderedTreeReduce.reduceLocally(Arrays.asList((MetaGradient[]) partials), MetaGradient::plus, fanIn);
            }
            JavaRDD<MetaGradient> computed = groupsRdd.map(perGroup::compute);
            return OrderedTreeReduce.reduce(computed, MetaGradient::plus, fanIn);
        } catch (Exception e) {
            throw failure(e, "iteration " + iteration, groups);
        } finally {
            if (phisB != null) {
                BROADCAST_CLEANER.execute(phisB::destroy);
            }
        }
    }

    private static boolean sameGroups(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A failed job of {@code iterations}: out of memory as the one-line error a user can act on, else as it came. */
    private static RuntimeException failure(Exception e, String iterations, List<int[]> groups) {
        return outOfMemory(e, iterations, groups).orElseGet(() -> e instanceof RuntimeException r ? r
                : new IllegalStateException(iterations + " failed on Spark", e));
    }

    /** A Spark task that ran out of memory, as the one-line error a user can act on; empty for any other failure. */
    private static Optional<RuntimeException> outOfMemory(Exception e, String iterations, List<int[]> groups) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError || String.valueOf(c.getMessage()).contains("java.lang.OutOfMemoryError")) {
                return Optional.of(new SparkJobError(iterations + ": a Spark task ran out of memory computing"
                        + " the meta-gradients of its " + groups.get(0).length + " ML3 tasks; lower"
                        + " meta-train.tasks-per-spark-task or the experiment's sizes, or give executors more memory"
                        + " (spark.executor.memory; for local runs the driver's heap, ML3_JAVA_OPTS=-Xmx...)"));
            }
        }
        return Optional.empty();
    }

    /** The fan-in that reduces {@code partitions} in about {@code depth} levels, as MLlib's treeAggregate scales. */
    static int fanIn(int partitions, int depth) {
        return Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
    }

    /** Task indices 0..tasks-1 in consecutive groups of at most {@code perGroup}. */
    public static List<int[]> taskGroups(int tasks, int perGroup) {
        List<int[]> groups = new ArrayList<>();
        for (int start = 0; start < tasks; start += perGroup) {
            int[] g = new int[Math.min(perGroup, tasks - start)];
            for (int i = 0; i < g.length; i++) {
                g[i] = start + i;
            }
            groups.add(g);
        }
        return groups;
    }
}

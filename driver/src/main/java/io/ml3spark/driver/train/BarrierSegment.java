package io.ml3spark.driver.train;

import io.ml3spark.driver.config.MetaTrainSettings;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.Backend;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A segment of outer iterations in one Spark job, in barrier mode: every task computes its
 * group's meta-gradient, the tasks exchange them through the driver's {@link ExchangeRelay}
 * (ordered by partition; barrier mode runs them all at once),
 * each reduces them in the driver's fixed order and takes the same {@link OuterLoop} step, so
 * phi stays identical in every task and bit-identical to the per-iteration mode. Task 0
 * returns the state after the segment, what each iteration reported and the segment's
 * checkpoints, which the driver writes when the segment ends; Spark retries a failed barrier
 * stage whole, from the segment's start.
 */
final class BarrierSegment extends AbstractFunction1<Iterator<SparkTaskGroup>, Iterator<BarrierSegment.Result>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One iteration as the listener sees it: statistics only (the gradient sum is left behind), and when it ended. */
    record Report(OuterLoop.Iteration iteration, long nanosIntoSegment) implements Serializable {
    }

    /**
     * The state after the segment, its iterations' reports, and the states after its iterations that
     * are multiples of {@code checkpoint-every} (the last {@code keep-checkpoints} of them, since
     * the run keeps no more).
     */
    record Result(TrainingState state, List<Report> reports, List<TrainingState> checkpoints) implements Serializable {
    }

    private final Broadcast<Experiment> experiment;
    private final String backend;
    private final long runSeed;
    private final MetaTrainSettings settings;
    private final int updatesPerIteration;
    private final TrainingState start;
    private final int lastIteration;
    private final int fanIn;
    /** The relay's {@code host:port}, and this segment as the relay admits it; null for a one-task segment. */
    private final String relay;
    private final ExchangeRelay.Segment exchange;

    BarrierSegment(Broadcast<Experiment> experiment, String backend, long runSeed, MetaTrainSettings settings,
                   int updatesPerIteration, TrainingState start, int lastIteration, int fanIn, String relay,
                   ExchangeRelay.Segment exchange) {
        this.experiment = experiment;
        this.backend = backend;
        this.runSeed = runSeed;
        this.settings = settings;
        this.updatesPerIteration = updatesPerIteration;
        this.start = start;
        this.lastIteration = lastIteration;
        this.fanIn = fanIn;
        this.relay = relay;
        this.exchange = exchange;
    }

    @Override
    public Iterator<Result> apply(Iterator<SparkTaskGroup> groups) {
        SparkTaskGroup group = groups.next();
        BarrierTaskContext context = BarrierTaskContext.get();
        int tasks = context.getTaskInfos().length;
        OuterLoop loop = new OuterLoop(settings, updatesPerIteration, start);
        Backend device = ExecutorDevice.forCurrentTask(backend);
        List<Report> reports = new ArrayList<>();
        ArrayDeque<TrainingState> checkpoints = new ArrayDeque<>();
        boolean returns = context.partitionId() == 0;
        long t0 = System.nanoTime();
        try (ExchangeClient client = tasks == 1 ? null
                : new ExchangeClient(relay, exchange.secret(), new ExchangeHello(exchange.id(),
                        context.stageAttemptNumber(), context.partitionId(), tasks), exchange.maxMessageBytes())) {
            while (loop.state().iteration() < lastIteration) {
                OuterLoop.Iteration it = loop.next((phis, iteration) -> {
                    MetaGradient mine = new GroupMetaGradient(experiment, backend, settings.tasksPerBlock(), runSeed,
                            iteration, phis, null).compute(group, device);
                    return client == null ? mine : reduced(client.exchange(MetaGradientCodec.encode(mine)));
                });
                if (returns) {
                    reports.add(new Report(new OuterLoop.Iteration(it.iteration(), it.gradient().statistics(), it.applied()),
                            System.nanoTime() - t0));
                    if (it.iteration() % settings.checkpointEvery() == 0) {
                        if (checkpoints.size() == settings.keepCheckpoints()) {
                            checkpoints.removeFirst();
                        }
                        checkpoints.addLast(loop.state());
                    }
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("barrier segment up to iteration " + lastIteration + " failed", e);
        }
        List<Result> out = returns
                ? List.of(new Result(loop.state(), reports, new ArrayList<>(checkpoints))) : Collections.emptyList();
        return JavaConverters.asScalaIterator(out.iterator());
    }

    private MetaGradient reduced(byte[][] messages) throws Exception {
        List<MetaGradient> partials = new ArrayList<>(messages.length);
        for (byte[] m : messages) {
            partials.add(MetaGradientCodec.decode(m));
        }
        return OrderedTreeReduce.reduceLocally(partials, MetaGradient::plus, fanIn);
    }
}

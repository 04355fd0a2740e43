package io.ml3spark.experiments;

import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.Backend;

import java.util.Arrays;
import java.util.Set;

/**
 * Fault injection: a real experiment whose chosen tasks (at chosen iterations) give a NaN
 * meta-gradient, as an exploding inner step would.
 */
public final class PoisonedExperiment extends DelegatingExperiment {
    private static final long serialVersionUID = 1L;

    private final Set<Integer> poisonedTasks;
    private final Set<Long> poisonedIterations;

    public PoisonedExperiment(Experiment delegate, Set<Integer> poisonedTasks, Set<Long> poisonedIterations) {
        super(delegate);
        this.poisonedTasks = poisonedTasks;
        this.poisonedIterations = poisonedIterations;
    }

    @Override
    public MetaGradient metaGradient(Backend backend, double[] phi, long runSeed, long iteration, int[] taskIndices) {
        MetaGradient sum = MetaGradient.zero(phi.length);
        for (int t : taskIndices) {
            MetaGradient one = delegate.metaGradient(backend, phi, runSeed, iteration, new int[] {t});
            if (poisonedIterations.contains(iteration) && poisonedTasks.contains(t)) {
                double[] nan = new double[phi.length];
                Arrays.fill(nan, Double.NaN);
                one = new MetaGradient(nan, 1, Double.NaN, Double.NaN);
            }
            sum = sum.plus(one);
        }
        return sum;
    }
}

package io.ml3spark.experiments;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.List;
import java.util.Set;

/**
 * Fault injection: a real experiment whose chosen tasks (at chosen iterations) have a NaN task
 * loss, so their meta-gradient is NaN as an exploding inner step's would be.
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
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        TaskGroup group = delegate.tasks(backend, runSeed, iteration, taskIndices);
        double[] mask = new double[taskIndices.length];
        boolean any = false;
        for (int i = 0; i < taskIndices.length; i++) {
            boolean poisoned = poisonedIterations.contains(iteration) && poisonedTasks.contains(taskIndices[i]);
            mask[i] = poisoned ? Double.NaN : 1.0;
            any |= poisoned;
        }
        if (!any) {
            return group;
        }
        InnerProblem clean = group.problem();
        Tensor poison = Tensor.constant(backend, mask, taskIndices.length);
        return new TaskGroup(new InnerProblem() {
            @Override
            public List<Tensor> initialParameters() {
                return clean.initialParameters();
            }

            @Override
            public Tensor innerLoss(TrainingObjective learnedLoss, List<Tensor> theta) {
                return clean.innerLoss(learnedLoss, theta);
            }

            @Override
            public Tensor taskLoss(List<Tensor> theta) {
                return clean.taskLoss(theta).mul(poison);
            }
        }, group.noiseSeeds());
    }
}

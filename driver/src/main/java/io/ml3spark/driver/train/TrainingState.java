package io.ml3spark.driver.train;

import io.ml3spark.optim.Adam;

/**
 * Everything the outer loop needs to continue after {@code iteration} completed
 * iterations: phi, Adam's state, and with {@code meta-train.keep = best} the best phi so far
 * (else null). Task randomness is derived from (run seed, iteration, task index), so no
 * generator state is needed beyond the run seed kept in the config.
 */
public record TrainingState(int iteration, double[] phi, Adam.State adam, Best best) implements java.io.Serializable {
    public TrainingState(int iteration, double[] phi, Adam.State adam) {
        this(iteration, phi, adam, null);
    }

    /** The phi after {@code iteration} iterations, whose meta-gradient reported mean task loss {@code taskLoss}. */
    public record Best(int iteration, double taskLoss, double[] phi) implements java.io.Serializable {
        /** {@code current}, or the candidate if there is none yet or its task loss is lower; a non-finite loss never wins. */
        static Best of(Best current, int iteration, double taskLoss, double[] phi) {
            if (!Double.isFinite(taskLoss) || current != null && !(taskLoss < current.taskLoss)) {
                return current;
            }
            return new Best(iteration, taskLoss, phi);
        }
    }
}

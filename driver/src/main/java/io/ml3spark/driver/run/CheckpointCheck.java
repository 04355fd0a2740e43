package io.ml3spark.driver.run;

import io.ml3spark.driver.train.TrainingState;
import io.ml3spark.format.NonFinite;

import java.util.List;
import java.util.Map;

/**
 * What a checkpoint must agree with before a resume trusts it: the run that owns the
 * directory (run id, experiment, seed, trajectory hash), the learned loss's size, the
 * metrics.csv rows recorded so far, and its own file name. With one Adam update per
 * iteration, Adam's step count must equal the iterations that had a finite task, and the
 * best phi's task loss must be the lowest in metrics.csv up to the checkpoint.
 */
public record CheckpointCheck(RunRecord owner, int phiSize, List<double[]> metricsRows, int updatesPerIteration) {

    /** A checkpoint that decodes but disagrees with its run; the message says what disagrees. */
    static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    TrainingState verified(Checkpoints.Decoded checkpoint, String fileName) {
        Map<String, String> meta = checkpoint.metadata();
        TrainingState s = checkpoint.state();
        expect("run-id", owner.runId(), meta.get("run-id"), "another run's checkpoint");
        expect("experiment", owner.experiment(), meta.get("experiment"), "another experiment's checkpoint");
        expect("seed", Long.toString(owner.seed()), meta.get("seed"), "another seed's checkpoint");
        expect("trajectory-sha256", owner.trajectorySha256(), meta.get("trajectory-sha256"),
                "written under a different config");
        if (!Checkpoints.name(s.iteration()).equals(fileName)) {
            throw new Mismatch("its iteration " + s.iteration() + " does not match its file name");
        }
        if (s.iteration() < 1 || s.iteration() > metricsRows.size()) {
            throw new Mismatch("iteration " + s.iteration() + ", but metrics.csv has " + metricsRows.size() + " rows");
        }
        if (s.phi().length != phiSize) {
            throw new Mismatch("phi has " + s.phi().length + " values, the run's learned loss " + phiSize);
        }
        if (NonFinite.count(s.phi()) + NonFinite.count(s.adam().m()) + NonFinite.count(s.adam().v()) > 0) {
            throw new Mismatch("phi or Adam's moments are not finite");
        }
        long step = s.adam().step();
        if (updatesPerIteration == 1) {
            long applied = metricsRows.subList(0, s.iteration()).stream().filter(r -> r[2] > 0).count();
            if (step != applied) {
                throw new Mismatch("adam.step " + step + ", but metrics.csv records " + applied
                        + " iterations with a finite task up to iteration " + s.iteration());
            }
        } else if (step < 0 || step > (long) s.iteration() * updatesPerIteration) {
            throw new Mismatch("adam.step " + step + " is not in [0, " + (long) s.iteration() * updatesPerIteration + "]");
        }
        if (s.best() != null) {
            verifyBest(s);
        }
        return s;
    }

    private void verifyBest(TrainingState s) {
        TrainingState.Best best = s.best();
        if (best.iteration() < 0 || best.iteration() >= s.iteration()) {
            throw new Mismatch("best.iteration " + best.iteration() + " is not before iteration " + s.iteration());
        }
        if (NonFinite.count(best.phi()) > 0 || !Double.isFinite(best.taskLoss())) {
            throw new Mismatch("the best phi or its task loss is not finite");
        }
        if (updatesPerIteration == 1) {
            double lowest = Double.POSITIVE_INFINITY;
            int row = -1;
            for (int i = 0; i < s.iteration(); i++) {
                double loss = metricsRows.get(i)[1];
                if (Double.isFinite(loss) && loss < lowest) {
                    lowest = loss;
                    row = i;
                }
            }
            if (row != best.iteration() || lowest != best.taskLoss()) {
                throw new Mismatch("best.iteration " + best.iteration() + " with task loss " + best.taskLoss()
                        + ", but metrics.csv's lowest up to iteration " + s.iteration() + " is row " + (row + 1)
                        + " with " + lowest);
            }
        }
    }

    private static void expect(String key, String expected, String found, String meaning) {
        if (!expected.equals(found)) {
            throw new Mismatch(meaning + " (" + key + " " + found + ", the run's is " + expected + ")");
        }
    }
}

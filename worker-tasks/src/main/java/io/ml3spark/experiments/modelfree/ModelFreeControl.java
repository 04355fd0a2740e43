package io.ml3spark.experiments.modelfree;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.control.GoalConditionedPolicy;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.nn.Init;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What model-free meta-training and meta-test share: the environment from its start state over
 * the horizon, Gaussian policies on (state, goal state), and the learned loss's view of a batch
 * of episodes.
 */
public final class ModelFreeControl implements Serializable {
    private static final long serialVersionUID = 1L;

    private final GoalEnvironment env;
    private final double[] start;
    private final int horizon;
    private final double[] policyScale;
    private final double initialLogStd;
    private final double[] lossScale;

    ModelFreeControl(GoalEnvironment env, double[] start, int horizon, double[] policyScale, double initialLogStd,
                     double[] lossScale) {
        this.env = env;
        this.start = start.clone();
        this.horizon = horizon;
        this.policyScale = policyScale.clone();
        this.initialLogStd = initialLogStd;
        this.lossScale = lossScale.clone();
    }

    public GoalEnvironment env() {
        return env;
    }

    public int horizon() {
        return horizon;
    }

    double[] start() {
        return start.clone();
    }

    double initialLogStd() {
        return initialLogStd;
    }

    /** The Gaussian policy of an architecture on (state, goal state), no goals yet. */
    public GaussianPolicy policy(PolicyArchitecture arch) {
        int s = start.length;
        return new GaussianPolicy(new GoalConditionedPolicy(arch.network(2 * s, env.actionNames().size()),
                Init.TORCH_DEFAULT, policyScale, new double[s], s, true), initialLogStd);
    }

    /** Goal positions as goal states at rest, flat {@code [B * S]}. */
    public double[] goalStates(double[][] goals) {
        int s = start.length;
        double[] states = new double[goals.length * s];
        for (int t = 0; t < goals.length; t++) {
            System.arraycopy(goals[t], 0, states, t * s, goals[t].length);
        }
        return states;
    }

    /** Episodes of policy {@code pi} (already given its goals) on the real simulator, one row of seeds per goal. */
    public PolicyEpisodes episodes(GaussianPolicy pi, List<Tensor> theta, double[][] goals, long[][] seeds) {
        return PolicyEpisodes.sample(env.simulator(), pi, theta, goals, goalStates(goals), start, horizon, seeds);
    }

    /** The ML3 tasks of policies {@code pi} from {@code theta0} toward {@code goals}, on the episodes of {@code source}. */
    InnerProblem problem(GaussianPolicy pi, List<Tensor> theta0, double[][] goals, EpisodeSource source) {
        return new InnerProblem() {
            private int step;

            @Override
            public List<Tensor> initialParameters() {
                return theta0;
            }

            @Override
            public Tensor innerLoss(TrainingObjective loss, List<Tensor> theta) {
                return learnedLossOn(loss, pi, theta, source.episodes(step++, false, theta), goals);
            }

            @Override
            public Tensor taskLoss(List<Tensor> theta) {
                return source.episodes(step, true, theta).reinforce(pi, theta);
            }
        };
    }

    /**
     * M_phi on each visited step's scaled (state, taken action, reward | mean action,
     * log-probability | goal), averaged over the steps, summed over the tasks.
     */
    Tensor learnedLossOn(TrainingObjective loss, GaussianPolicy pi, List<Tensor> theta, PolicyEpisodes episodes,
                         double[][] goals) {
        Backend backend = episodes.states().backend();
        int s = start.length;
        int a = pi.actions();
        int p = env.positions();
        int b = goals.length;
        int n = episodes.states().shape().dim(1);
        Tensor mean = pi.predict(theta, episodes.states());
        Tensor logp = pi.logProbability(theta, episodes.states(), episodes.actions()).reshape(b, n, 1);
        Tensor inputs = Tensor.concat(List.of(episodes.states(), episodes.actions(), episodes.rewards()), -1)
                .mul(scale(backend, 0, s + a + 1));
        Tensor prediction = Tensor.concat(List.of(mean, logp), -1).mul(scale(backend, s + a + 1, s + 2 * a + 2));
        double[] flatGoals = Arrays.stream(goals).flatMapToDouble(Arrays::stream).toArray();
        Tensor targets = Tensor.constant(backend, flatGoals, b, 1, p).broadcastTo(Shape.of(b, n, p))
                .mul(scale(backend, s + 2 * a + 2, s + 2 * a + 2 + p));
        return loss.value(prediction, new TaskBatch(inputs, targets));
    }

    private Tensor scale(Backend backend, int from, int to) {
        return Tensor.constant(backend, Arrays.copyOfRange(lossScale, from, to), to - from);
    }
}

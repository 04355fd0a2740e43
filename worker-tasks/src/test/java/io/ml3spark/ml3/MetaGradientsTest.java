package io.ml3spark.ml3;

import io.ml3spark.bench.SineMetaGradientBenchmark;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.PoisonedExperiment;
import io.ml3spark.experiments.sine.SineRegression;
import io.ml3spark.experiments.sine.SineTaskFamily;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetaGradientsTest {
    private final SineRegression sine = new SineRegression(
            SineMetaGradientBenchmark.objective(),
            new SineTaskFamily(Range.fixed(1), Range.fixed(Math.PI), Range.fixed(1), new Range(-2, 2), 20), 6, true,
            new SineTaskFamily(new Range(0.2, 5), new Range(-Math.PI, Math.PI), Range.fixed(1), new Range(-5, 5), 20),
            2, 3, 1e-3);
    private final double[] phi = sine.initialPhi(JvmBackend.INSTANCE, 0);
    private final int[] all = {0, 1, 2, 3, 4, 5};

    @Test
    void nonFiniteTaskIsSkippedAndCountedAndTheOthersSummed() {
        Experiment poisoned = new PoisonedExperiment(sine, Set.of(3), Set.of(7L));
        MetaGradient g = MetaGradients.finite(poisoned, JvmBackend.INSTANCE, phi, 1, 7, all, 6);
        assertEquals(5, g.tasks());
        assertEquals(1, g.skippedTasks());
        assertTrue(g.isFinite());
        MetaGradient clean = MetaGradient.zero(phi.length);
        for (int t : new int[] {0, 1, 2, 4, 5}) {
            clean = clean.plus(MetaGradients.of(sine, JvmBackend.INSTANCE, phi, 1, 7, new int[] {t}));
        }
        assertArrayEquals(clean.gradientSum(), g.gradientSum(), 1e-12);
        assertEquals(clean.taskLossSum(), g.taskLossSum(), 1e-12);
    }

    @Test
    void finiteGroupIsReturnedAsComputed() {
        MetaGradient direct = MetaGradients.of(sine, JvmBackend.INSTANCE, phi, 1, 7, all);
        assertEquals(direct, MetaGradients.finite(sine, JvmBackend.INSTANCE, phi, 1, 7, all, 6));
        assertEquals(0, direct.skippedTasks());
    }

    @Test
    void blocksSumToTheWholeBatchInIndexOrder() {
        MetaGradient whole = MetaGradients.of(sine, JvmBackend.INSTANCE, phi, 1, 7, all);
        MetaGradient expected = MetaGradients.of(sine, JvmBackend.INSTANCE, phi, 1, 7, new int[] {0, 1, 2, 3})
                .plus(MetaGradients.of(sine, JvmBackend.INSTANCE, phi, 1, 7, new int[] {4, 5}));
        MetaGradient blocked = MetaGradients.of(sine, JvmBackend.INSTANCE, List.of(phi), 1, 7, all, 4);
        assertEquals(expected, blocked);
        assertEquals(6, blocked.tasks());
        assertArrayEquals(whole.gradientSum(), blocked.gradientSum(), 1e-12);
        assertEquals(whole.taskLossSum(), blocked.taskLossSum(), 1e-12);
        assertEquals(whole.taskLossMax(), blocked.taskLossMax(), 0.0);
        assertEquals(whole, MetaGradients.of(sine, JvmBackend.INSTANCE, List.of(phi), 1, 7, all, 6));
        assertThrows(IllegalArgumentException.class,
                () -> MetaGradients.of(sine, JvmBackend.INSTANCE, List.of(phi), 1, 7, all, 0));
    }

    @Test
    void allTasksNonFiniteLeavesNothingToAverage() {
        Experiment poisoned = new PoisonedExperiment(sine, Set.of(0, 1, 2, 3, 4, 5), Set.of(7L));
        MetaGradient g = MetaGradients.finite(poisoned, JvmBackend.INSTANCE, phi, 1, 7, all, 6);
        assertEquals(0, g.tasks());
        assertEquals(6, g.skippedTasks());
        assertTrue(g.isFinite());
    }
}

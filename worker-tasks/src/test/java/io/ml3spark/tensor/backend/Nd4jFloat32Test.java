package io.ml3spark.tensor.backend;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.bench.SineMetaGradientBenchmark;
import io.ml3spark.experiments.sine.SineTaskFamily;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.MetaObjective;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.nn.Init;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BackendProvider;
import io.ml3spark.tensor.Backends;
import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.Precision;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import io.ml3spark.tensor.UnaryKernel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float32 precision of the ND4J backend: it really computes in float, and agrees with float64 to float's accuracy. */
class Nd4jFloat32Test {
    private static final Backend F32 = Backends.byName("nd4j", Precision.FLOAT32);

    @Test
    void valuesAreStoredAndComputedInFloat() {
        assertEquals(Precision.FLOAT32, F32.precision());
        assertEquals(Precision.FLOAT64, Backends.byName("nd4j").precision());
        TensorData third = F32.binary(BinaryKernel.DIV, F32.full(Shape.of(3), 1.0), F32.full(Shape.of(3), 3.0));
        assertEquals((double) (1.0f / 3.0f), third.toArray()[0], 0.0);
        assertNotEquals(1.0 / 3.0, third.toArray()[0]);
        TensorData exp = F32.unary(UnaryKernel.EXP, F32.fromArray(Shape.of(2), new double[] {0.1, 1.7}), 0);
        for (double v : exp.toArray()) {
            assertEquals(v, (double) (float) v, 0.0, "every value is a float");
        }
    }

    @Test
    void sineMetaGradientAgreesWithFloat64ToFloatAccuracy() {
        double[] f64 = metaGradient(Nd4jBackend.INSTANCE);
        double[] f32 = metaGradient(F32);
        double[] jvm = metaGradient(JvmBackend.INSTANCE);
        double norm = 0;
        double diff = 0;
        double diffJvm = 0;
        for (int i = 0; i < f64.length; i++) {
            norm += f64[i] * f64[i];
            diff += (f32[i] - f64[i]) * (f32[i] - f64[i]);
            diffJvm += (jvm[i] - f64[i]) * (jvm[i] - f64[i]);
        }
        double relative = Math.sqrt(diff / norm);
        assertTrue(relative < 1e-4, "float32 vs float64 relative error " + relative);
        assertTrue(relative > 1e-9, "float32 must differ from float64 by float rounding, got " + relative);
        assertTrue(Math.sqrt(diffJvm / norm) < 1e-10, "the two float64 backends agree");
    }

    @Test
    void tensorsOfTheOtherPrecisionAreRefused() {
        TensorData f64 = Nd4jBackend.INSTANCE.full(Shape.of(2), 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F32.unary(UnaryKernel.NEG, f64, 0));
        assertTrue(e.getMessage().contains("(float64) passed to the float32 nd4j backend"), e.getMessage());
    }

    @Test
    void aBackendWithoutFloat32IsRefusedByName() {
        BackendProvider float64Only = new BackendProvider() {
            @Override
            public String name() {
                return "only64";
            }

            @Override
            public Backend backend(Precision precision) {
                return JvmBackend.INSTANCE;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.open(float64Only, Precision.FLOAT32));
        assertEquals("the only64 backend computes in float64 only; precision float32 needs one of the backends [jvm, nd4j]",
                e.getMessage());
        assertEquals(Precision.FLOAT32, Precision.byName(" Float32 "));
        assertThrows(IllegalArgumentException.class, () -> Precision.byName("float16"));
    }

    static double[] metaGradient(Backend backend) {
        MetaObjective objective = SineMetaGradientBenchmark.objective();
        SineTaskFamily family = new SineTaskFamily(new Range(0.5, 2), new Range(0, Math.PI), Range.fixed(1.0),
                new Range(-2.0, 2.0), 20);
        double[] phi = objective.learnedLoss().initialPhi(backend, new SplittableRandom(3), Init.XAVIER_UNIFORM, 0.0);
        long[] seeds = {Seeds.derive(1, 2, 0), Seeds.derive(1, 2, 1), Seeds.derive(1, 2, 2)};
        List<Tensor> theta = objective.optimizee().initialize(backend, seeds);
        MetaGradient g = objective.metaGradient(backend, phi, family.sample(backend, seeds), theta);
        return g.gradientSum();
    }
}

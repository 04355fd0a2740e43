package io.ml3spark.bench;

import io.ml3spark.dl4j.LearnedLossFunction;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a learned loss costs a DL4J network per minibatch: {@code computeGradientAndScore} of
 * {@link LearnedLossFunction} against DL4J's own loss for the same output layer, on one thread,
 * alternating the two and reporting medians. Regression: the sine experiment's loss (2-50-50-1
 * on (prediction, target)) against {@code LossMSE}; classification: the 10-class digit loss
 * (applied per class to (log probability, target), summed) against softmax + {@code LossMCXENT}.
 */
public final class LossFunctionBenchmark {
    private LossFunctionBenchmark() {
    }

    private record Case(String name, ILossFunction learned, ILossFunction own, IActivation activation, int columns) {
    }

    public static void run(PrintStream out, List<Integer> batches, double seconds) {
        List<Case> cases = List.of(
                new Case("regression", loss(LossInput.PREDICTION_TARGET, false, LearnedLossFunction.Prediction.OUTPUT),
                        new LossMSE(), org.nd4j.linalg.activations.Activation.IDENTITY.getActivationFunction(), 1),
                new Case("10 classes", loss(LossInput.PER_CLASS_PREDICTION_TARGET, true,
                        LearnedLossFunction.Prediction.LOG_SOFTMAX), new LossMCXENT(),
                        org.nd4j.linalg.activations.Activation.SOFTMAX.getActivationFunction(), 10));
        out.println("loss function per minibatch (computeGradientAndScore), one thread, median of alternating runs");
        out.printf("%-11s %6s %16s %16s %8s %12s%n", "case", "batch", "learned us", "DL4J's own us", "ratio",
                "learned us/ex");
        for (Case c : cases) {
            for (int b : batches) {
                INDArray pre = random(b, c.columns(), 1);
                INDArray labels = c.columns() == 1 ? random(b, 1, 2) : oneHot(b, c.columns());
                // The learned loss reads log probabilities of identity outputs; DL4J's own takes its softmax.
                IActivation learnedActivation = c.columns() == 1 ? c.activation()
                        : org.nd4j.linalg.activations.Activation.IDENTITY.getActivationFunction();
                List<Double> learned = new ArrayList<>();
                List<Double> own = new ArrayList<>();
                long end = System.nanoTime() + (long) (seconds * 1e9);
                for (int round = 0; System.nanoTime() < end || round < 10; round++) {
                    learned.add(time(c.learned(), labels, pre, learnedActivation));
                    own.add(time(c.own(), labels, pre, c.activation()));
                }
                // The first half warms up the JIT and ND4J.
                double l = median(learned.subList(learned.size() / 2, learned.size()));
                double o = median(own.subList(own.size() / 2, own.size()));
                out.printf("%-11s %6d %16.1f %16.1f %7.1fx %12.2f%n", c.name(), b, l * 1e6, o * 1e6, l / o, l * 1e6 / b);
            }
        }
    }

    private static LearnedLossFunction loss(LossInput input, boolean bias, LearnedLossFunction.Prediction prediction) {
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 50, 50, 1}, Activation.RELU, Activation.SOFTPLUS, bias),
                input);
        double[] phi = loss.initialPhi(JvmBackend.INSTANCE, new SplittableRandom(0), Init.XAVIER_UNIFORM, 0.0);
        return LearnedLossFunction.of(loss, phi, prediction);
    }

    private static double time(ILossFunction f, INDArray labels, INDArray pre, IActivation activation) {
        long t0 = System.nanoTime();
        f.computeGradientAndScore(labels, pre, activation, null, true);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static INDArray random(int rows, int cols, long seed) {
        return Nd4j.create(new SplittableRandom(seed).doubles((long) rows * cols, -1, 1).toArray(),
                new long[] {rows, cols}, DataType.FLOAT);
    }

    private static INDArray oneHot(int rows, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }
}

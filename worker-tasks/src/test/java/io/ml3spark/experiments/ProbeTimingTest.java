package io.ml3spark.experiments;

import io.ml3spark.data.DataOpener;
import io.ml3spark.data.LabelledImages;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.LeNet;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

class ProbeTimingTest {
    @Test
    void probe() throws Exception {
        LabelledImages all = LabelledImages.read(DataOpener.LOCAL, "classpath:data/mnist/mnist-10k-images-idx3-ubyte.gz",
                "classpath:data/mnist/mnist-10k-labels-idx1-ubyte.gz");
        DigitTasks tasks = new DigitTasks(all, 0);
        int[] d = DigitTasks.permutedDigits(0);
        DigitTasks.DigitTask train = tasks.task(d[0], d[1]);
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {4, 40, 40, 1}, Activation.RELU, Activation.SOFTPLUS, true),
                LossInput.PREDICTION_TARGET);
        for (DigitClassifier.Network net : List.of(new DigitClassifier.LeNetNetwork(new LeNet(28, 28, 2, 0.5)),
                (DigitClassifier.Network) new DigitClassifier.MlpNetwork(new Mlp(new int[] {784, 64, 2}, Activation.RELU, Activation.IDENTITY, true)))) {
            DigitClassification exp = new DigitClassification("mnist-binary", loss, net, 100,
                    new DigitClassification.Sgd(1e-3, 1), 1,
                    new DigitClassification.MetaTestPlan(train, List.of(tasks.task(d[2], d[6])), 100,
                            new DigitClassification.Sgd(1e-3, 1), 4, 200));
            double[] phi = exp.initialPhi(JvmBackend.INSTANCE, 0);
            int[] idx = new int[25];
            for (int i = 0; i < 25; i++) idx[i] = i;
            for (int rep = 0; rep < 4; rep++) {
                long t0 = System.nanoTime();
                var g = exp.metaGradient(JvmBackend.INSTANCE, phi, 0, rep, idx);
                System.out.printf("%s metaGradient 25 tasks: %.3f s, loss %.4f%n", net, (System.nanoTime() - t0) / 1e9, g.meanTaskLoss());
            }
            long t0 = System.nanoTime();
            var r = exp.metaTest(JvmBackend.INSTANCE, phi, 0);
            System.out.printf("%s metaTest: %.1f s; final acc %s%n", net, (System.nanoTime() - t0) / 1e9,
                    java.util.Arrays.toString(r.get(0).finalLearned()));
        }
    }
}

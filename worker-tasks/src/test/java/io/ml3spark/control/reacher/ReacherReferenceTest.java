package io.ml3spark.control.reacher;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Reacher#REFERENCE} against the reference arm's own trajectories (test resources
 * {@code reacher-reference/}, with their note): every state before the first joint-limit
 * contact, the contact itself within Bullet's soft limit, and the reference's two goals reached
 * by computed-torque control within its horizon.
 */
class ReacherReferenceTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;
    private static final Reacher ARM = Reacher.REFERENCE;

    /** Rows of a reference file: step, q0, q1, dq0, dq1, tip_x, tip_y, u0, u1. */
    static List<double[]> trace(String file) throws IOException {
        InputStream in = ReacherReferenceTest.class.getResourceAsStream("/reacher-reference/" + file);
        assertNotNull(in, file);
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            assertEquals("step,q0,q1,dq0,dq1,tip_x,tip_y,u0,u1,ref_ee_x,ref_ee_y", r.readLine());
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] cells = line.split(",");
                double[] row = new double[9];
                for (int i = 0; i < 9; i++) {
                    row[i] = Double.parseDouble(cells[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static double[] step(double[] s, double u1, double u2) {
        return ARM.step(Tensor.constant(B, s, 1, 1, 4), Tensor.constant(B, new double[] {u1, u2}, 1, 1, 2)).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"const_p1_p1.csv", "const_p1_m1.csv", "random.csv"})
    void everyStateBeforeTheFirstLimitContactMatchesTheReference(String file) throws IOException {
        List<double[]> rows = trace(file);
        double[] s = {0, 0, 0, 0};
        double worstQ = 0;
        double worstDq = 0;
        int compared = 0;
        for (int t = 1; t < rows.size(); t++) {
            double[] ref = rows.get(t);
            if (Math.abs(ref[1]) > ARM.jointLimit() || Math.abs(ref[2]) > ARM.jointLimit()) {
                break;
            }
            s = step(s, ref[7], ref[8]);
            worstQ = Math.max(worstQ, Math.max(Math.abs(s[0] - ref[1]), Math.abs(s[1] - ref[2])));
            worstDq = Math.max(worstDq, Math.max(Math.abs(s[2] - ref[3]), Math.abs(s[3] - ref[4])));
            double[] tip = ReacherKinematics.fingertip(ARM, s[0], s[1]);
            assertEquals(ref[5], tip[0], 1e-6, file + " step " + t + " fingertip x");
            assertEquals(ref[6], tip[1], 1e-6, file + " step " + t + " fingertip y");
            compared++;
        }
        System.out.printf("%s: %d steps before the first contact, worst |q| error %.2e rad, |dq| %.2e rad/s%n", file,
                compared, worstQ, worstDq);
        assertTrue(compared >= 10, file + ": " + compared);
        assertTrue(worstQ < 1e-6, file + ": q error " + worstQ);
        assertTrue(worstDq < 1e-5, file + ": dq error " + worstDq);
    }

    /**
     * After contact: the hard stop against Bullet's soft limit, every step to 65 within 0.3 rad;
     * the joint that is not at its limit follows the reference's under the reaction.
     */
    @ParameterizedTest
    @ValueSource(strings = {"const_p1_p1.csv", "const_p1_m1.csv"})
    void afterContactBothJointsStayWithin03RadOfTheReference(String file) throws IOException {
        List<double[]> rows = trace(file);
        double[] s = {0, 0, 0, 0};
        double worst = 0;
        for (int t = 1; t <= 65; t++) {
            double[] ref = rows.get(t);
            s = step(s, ref[7], ref[8]);
            worst = Math.max(worst, Math.max(Math.abs(s[0] - ref[1]), Math.abs(s[1] - ref[2])));
        }
        double[] end = rows.get(65);
        System.out.printf("%s: worst joint error over steps 1-65 %.4f rad; step 65 (%.4f, %.4f) against the reference's"
                + " (%.4f, %.4f)%n", file, worst, s[0], s[1], end[1], end[2]);
        assertTrue(worst < 0.3, file + ": " + worst);
    }

    /** With u = (1, 1) joint 2 stops at step 12 and joint 1, pushed on alone, also reaches its limit (the reference: 3.10). */
    @Test
    void underFullTorqueJoint1FollowsJoint2ToItsLimit() throws IOException {
        double[] s = {0, 0, 0, 0};
        for (int t = 0; t < 65; t++) {
            s = step(s, 1, 1);
        }
        assertEquals(3.0, s[0], 0.0);
        assertEquals(3.0, s[1], 0.0);
        assertEquals(trace("const_p1_p1.csv").get(65)[1], s[0], 0.15);
    }

    /** M(q) of the listed constants, summed body by body from each body's Jacobian (an independent derivation). */
    @Test
    void theMassMatrixIsTheListedBodiesSum() {
        double l1 = 0.1;
        double lf = 0.11;
        double m = 2.0;
        double izz = 2.0 / 12 * (0.12 * 0.12 + 0.02 * 0.02);
        double mf = 0.0041888;
        double izzF = 1.6755e-7;
        for (double q2 : new double[] {0, 0.5, -1.2, 2.0, 3.0}) {
            // Link 1 (centre on joint 1): rotates with q1 only. Link 2 (centre on joint 2): its centre moves with q1
            // by l1, it rotates with q1 + q2. Fingertip: at l1 e(q1) + lf e(q1 + q2), rotating with q1 + q2.
            double[][] jv2 = {{-l1 * Math.sin(0), 0}, {l1 * Math.cos(0), 0}}; // at q1 = 0
            double[][] jvf = {{-l1 * Math.sin(0) - lf * Math.sin(q2), -lf * Math.sin(q2)},
                    {l1 * Math.cos(0) + lf * Math.cos(q2), lf * Math.cos(q2)}};
            double[][] mm = new double[2][2];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    double rot1 = i == 0 && j == 0 ? 1 : 0;
                    mm[i][j] = izz * rot1 + izz + m * (jv2[0][i] * jv2[0][j] + jv2[1][i] * jv2[1][j])
                            + izzF + mf * (jvf[0][i] * jvf[0][j] + jvf[1][i] * jvf[1][j]);
                }
            }
            double[] ours = ARM.massMatrixAt(q2);
            assertEquals(mm[0][0], ours[0], 1e-15, "M11 at q2 = " + q2);
            assertEquals(mm[0][1], ours[1], 1e-15, "M12 at q2 = " + q2);
            assertEquals(mm[1][0], ours[1], 1e-15, "M21 at q2 = " + q2);
            assertEquals(mm[1][1], ours[2], 1e-15, "M22 at q2 = " + q2);
            Tensor[] t = ARM.massMatrix(Tensor.constant(B, new double[] {q2}, 1, 1, 1));
            assertEquals(ours[0], t[0].item(), 1e-18);
            assertEquals(ours[1], t[1].item(), 1e-18);
            assertEquals(ours[2], t[2].item(), 1e-18);
        }
        double[] m0 = ARM.massMatrixAt(0);
        assertEquals(0.025118, m0[0], 5e-7);
        assertEquals(0.0025636, m0[1], 5e-8);
        assertEquals(0.0025175, m0[2], 5e-8);
    }

    /**
     * Computed-torque PD, {@code u = clip(M(q) (400 (g - q) - 40 dq), -1, 1)} (critically damped at 20 rad/s), reaches
     * each of the reference's goals to 0.01 rad within 65 steps and stays there.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.1186029, 0.6190564", "0.8775577, 0.6768863"})
    void computedTorqueControlReachesEachReferenceGoalWithinTheHorizon(String goalText) {
        String[] g = goalText.split(", ");
        double[] goal = {Double.parseDouble(g[0]), Double.parseDouble(g[1])};
        Tensor s = Tensor.constant(B, new double[4], 1, 1, 4);
        int reached = -1;
        double largestTorque = 0;
        for (int t = 1; t <= 65; t++) {
            double[] v = s.toArray();
            Tensor acc = Tensor.constant(B, new double[] {400 * (goal[0] - v[0]) - 40 * v[2], 400 * (goal[1] - v[1]) - 40 * v[3]},
                    1, 1, 2);
            Tensor u = ARM.boundAction(ARM.actionFor(s, acc));
            largestTorque = Math.max(largestTorque, Math.max(Math.abs(u.toArray()[0]), Math.abs(u.toArray()[1])));
            s = ARM.step(s, u);
            double[] q = s.toArray();
            double error = Math.max(Math.abs(q[0] - goal[0]), Math.abs(q[1] - goal[1]));
            if (error < 0.01 && reached < 0) {
                reached = t;
            }
            if (reached > 0) {
                assertTrue(error < 0.01, "left the goal at step " + t + ": " + error);
            }
        }
        System.out.printf("goal (%s): within 0.01 rad at step %d%n", goalText, reached);
        assertTrue(reached > 0 && reached <= 65, "not reached: " + reached);
        assertTrue(largestTorque <= 1.0);
    }
}

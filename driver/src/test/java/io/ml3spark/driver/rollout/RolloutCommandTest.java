package io.ml3spark.driver.rollout;

import io.ml3spark.driver.Ml3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ml3 rollout} on both goal environments, against the reference arm's own trajectory, and its bad inputs. */
class RolloutCommandTest {
    private static final Path REFERENCE = Path.of("../worker-tasks/src/test/resources/reacher-reference/random.csv");

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "rollout";
            System.arraycopy(args, 0, all, 1, args.length);
            return Ml3.execute(new PrintWriter(err, true), all);
        } finally {
            System.setOut(stdout);
        }
    }

    private Path actions(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    /** The reference's random torques through conf/reacher-mbrl.conf's arm: every state before contact to 1e-6 rad. */
    @Test
    void theReachersTrajectoryIsTheReferenceArmsOwn() throws IOException {
        List<String> ref = Files.readAllLines(REFERENCE);
        StringBuilder csv = new StringBuilder("tau1,tau2\n");
        for (String line : ref.subList(2, 66)) {
            String[] c = line.split(",");
            csv.append(c[7]).append(',').append(c[8]).append('\n');
        }
        Path out = tmp.resolve("reacher");
        assertEquals(0, run("--config", "../conf/reacher-mbrl.conf", "--actions", actions("u.csv", csv.toString()).toString(),
                "--out", out.toString()), err.toString());
        List<String> rows = Files.readAllLines(out.resolve("trajectory.csv"));
        assertEquals("step,q1,q2,dq1,dq2,tau1,tau2,effector_x,effector_y", rows.get(0));
        assertEquals(66, rows.size(), "the start and 64 steps");
        for (int t = 1; t <= 64; t++) {
            String[] ours = rows.get(t + 1).split(",");
            String[] theirs = ref.get(t + 1).split(",");
            for (int i = 1; i <= 2; i++) {
                assertEquals(Double.parseDouble(theirs[i]), Double.parseDouble(ours[i]), 1e-6, "step " + t + " q" + i);
            }
            assertEquals(Double.parseDouble(theirs[5]), Double.parseDouble(ours[7]), 1e-6, "step " + t + " fingertip x");
        }
        assertTrue(rows.get(1).startsWith("0,0.0,0.0,0.0,0.0,,,0.21"), rows.get(1));
        assertTrue(Files.size(out.resolve("path.png")) > 1000);
    }

    @Test
    void thePointMassFromAGivenStartUnderClippedForces() throws IOException {
        Path out = tmp.resolve("pointmass");
        assertEquals(0, run("--config", "../conf/pointmass-mbrl.conf", "--actions",
                actions("f.csv", "fx,fy\n3,0\n0,-0.5\n").toString(), "--start", "0.5,-0.5,1,2", "--out", out.toString()),
                err.toString());
        List<String> rows = Files.readAllLines(out.resolve("trajectory.csv"));
        assertEquals(4, rows.size());
        String[] first = rows.get(2).split(",");
        assertEquals(1.0, Double.parseDouble(first[5]), 0.0, "the force is clipped to the limit");
        double vx = 1 + 0.05 * (1 - 0.1);
        assertEquals(0.5 + 0.05 * vx, Double.parseDouble(first[1]), 1e-15);
        assertEquals(first[1], first[7], "the point mass is its own effector");
    }

    @Test
    void badFilesAndShapesFailInOneLineNamingTheRowOrColumnAndWriteNothing() throws IOException {
        String[][] cases = {
            {"tau1,tau3\n1,1\n", "the header has columns [tau1, tau3], expected [tau1, tau2]"},
            {"tau1,tau2\n1,1\n1,1,1\n", "row 3: 3 values, expected 2 (tau1,tau2)"},
            {"tau1,tau2\n1,NaN\n", "row 2, column tau2: expected a finite number, got 'NaN'"},
            {"tau1,tau2\n1,x\n", "row 2, column tau2: expected a finite number, got 'x'"},
            {"tau1,tau2\n", "has a header but no step"},
            {"", "is empty"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            Path out = tmp.resolve("never");
            assertEquals(2, run("--config", "../conf/reacher-mbrl.conf", "--actions", actions("bad.csv", c[0]).toString(),
                    "--out", out.toString()), c[1]);
            String message = err.toString().strip();
            assertTrue(message.contains(c[1]) && message.contains("bad.csv"), message);
            assertFalse(message.contains("\n"), "one line: " + message);
            assertFalse(Files.exists(out), "nothing written for " + c[1]);
        }
        Path good = actions("good.csv", "tau1,tau2\n1,1\n");
        err.getBuffer().setLength(0);
        assertEquals(2, run("--config", "../conf/reacher-mbrl.conf", "--actions", good.toString(), "--start", "0,0,0",
                "--out", tmp.resolve("never").toString()));
        assertTrue(err.toString().contains("--start: 4 finite numbers (q1, q2, dq1, dq2)"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--config", "../conf/sine-regression.conf", "--actions", good.toString(), "--out",
                tmp.resolve("never").toString()));
        assertTrue(err.toString().contains("rollout needs a config with a goal environment"), err.toString());
        // A directory with a user's file is not the command's to write into.
        Path users = Files.createDirectories(tmp.resolve("users"));
        Files.writeString(users.resolve("notes.txt"), "mine");
        err.getBuffer().setLength(0);
        assertEquals(1, run("--config", "../conf/reacher-mbrl.conf", "--actions", good.toString(), "--out", users.toString()));
        assertTrue(err.toString().contains("is not empty"), err.toString());
        assertEquals(List.of(users.resolve("notes.txt")), Files.list(users).toList());
    }
}

package io.ml3spark.driver.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.ml3spark.control.reacher.LegacySpecReacher;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.experiments.goalreaching.GoalReachingExperiment;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reacher's arm and the input scaling as configs say them, and configs recorded before either. */
class ReacherConfigTest {
    private static final File MBRL = new File("../conf/reacher-mbrl.conf");
    private static final File POINTMASS = new File("../conf/pointmass-mbrl.conf");

    private static Object simulator(RunConfig cfg) {
        return ((GoalReachingExperiment) cfg.experiment()).environment().simulator();
    }

    private static String error(String... overrides) {
        return assertThrows(ConfigError.class, () -> RunConfig.load(MBRL, List.of(overrides))).getMessage();
    }

    @Test
    void theShippedArmIsTheReferencesAndAnAbsentOneToo() {
        assertEquals(Reacher.REFERENCE, simulator(RunConfig.load(MBRL, List.of())));
        assertEquals(Reacher.REFERENCE, simulator(RunConfig.load(MBRL, List.of("goal-reaching.arm={}"))));
        Reacher mujoco = (Reacher) simulator(RunConfig.load(MBRL, List.of("goal-reaching.arm.gear=200",
                "goal-reaching.arm.armature=1", "goal-reaching.arm.damping=1", "goal-reaching.arm.cancel-bias-forces=false")));
        assertEquals(200, mujoco.gear());
        assertEquals(1, mujoco.armature());
        assertTrue(!mujoco.cancelBiasForces());
    }

    @Test
    void badArmsFailNamingTheKey() {
        assertTrue(error("goal-reaching.arm.link1-mass=0").contains("'goal-reaching.arm.link1-mass'"));
        assertTrue(error("goal-reaching.arm.link2-inertia=-1").contains("'goal-reaching.arm.link2-inertia'"));
        assertTrue(error("goal-reaching.arm.fingertip-mass=-0.1").contains("'goal-reaching.arm.fingertip-mass'"));
        String singular = error("goal-reaching.arm.link1-mass=1e-200", "goal-reaching.arm.link2-mass=1e-200",
                "goal-reaching.arm.link1-inertia=1e-200", "goal-reaching.arm.link2-inertia=1e-200",
                "goal-reaching.arm.fingertip-mass=0", "goal-reaching.arm.fingertip-inertia=0");
        assertTrue(singular.contains("'goal-reaching.arm'") && singular.contains("singular"), singular);
        assertTrue(error("goal-reaching.arm.model=mujoco").contains("rigid-body or legacy-spec-v1"));
        assertTrue(error("goal-reaching.arm.lenght=1").contains("unknown config key 'goal-reaching.arm.lenght'"));
    }

    @Test
    void inputsAreDividedOrByTheOlderKeyMultipliedNeverBoth() {
        RunConfig divided = RunConfig.load(MBRL, List.of());
        RunConfig multiplied = RunConfig.load(MBRL, List.of("goal-reaching.learned-loss.input-divisor=null",
                "goal-reaching.learned-loss.input-scale=[1, 1, 0.125, 0.125, 1, 1, 1]"));
        assertEquals(List.of("q1", "q2", "dq1_div8", "dq2_div8", "tau1", "tau2", "goal_distance"),
                divided.experiment().learnedLoss().input().names());
        assertEquals(List.of("q1", "q2", "dq1_x0p125", "dq2_x0p125", "tau1", "tau2", "goal_distance"),
                multiplied.experiment().learnedLoss().input().names());
        String both = error("goal-reaching.policy.input-scale=[1, 1, 1, 1, 1, 1, 1, 1]");
        assertTrue(both.contains("'goal-reaching.policy.input-divisor'") && both.contains("not also input-scale"), both);
        String neither = error("goal-reaching.dynamics.input-divisor=null");
        assertTrue(neither.contains("'goal-reaching.dynamics.input-divisor'"), neither);
        assertTrue(error("goal-reaching.dynamics.input-divisor=[1, 1, 0, 8, 1, 1]").contains("non-zero"));
    }

    @Test
    void givenGoalsAreOnePerListedTargetWithinTheJointRange() {
        String count = error("goal-reaching.train-targets.goals=[1.1, 0.6, 0.2]");
        assertTrue(count.contains("'goal-reaching.train-targets.goals'") && count.contains("1 targets, 2 numbers each"), count);
        String range = error("goal-reaching.meta-test.targets.goals=[0.8, 3.4]");
        assertTrue(range.contains("'goal-reaching.meta-test.targets.goals'") && range.contains("outside the joint range"),
                range);
        assertTrue(error("goal-reaching.meta-test.targets.goals=[0.8, NaN]").contains("goals"));
    }

    /** A reacher run recorded before config format 2 (no config-format, no arm) resumes on the arm it started on. */
    @Test
    void aConfigRecordedBeforeTheArmBecameSettingsKeepsTheOldArm() {
        String today = RunConfig.load(MBRL, List.of()).render();
        String recorded = ConfigFactory.parseString(today).withoutPath("config-format").withoutPath("goal-reaching.arm")
                .root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
        String upgraded = RunConfig.upgraded(recorded, "run.json");
        assertSame(LegacySpecReacher.SPEC, simulator(RunConfig.parse(upgraded, "run.json", List.of())));
        // A config written today is left as it is, and so is a pointmass run's but for the format.
        assertEquals(today, RunConfig.upgraded(today, "run.json"));
        RunConfig pointmass = RunConfig.load(POINTMASS, List.of());
        String oldPointmass = ConfigFactory.parseString(pointmass.render()).withoutPath("config-format").root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
        assertTrue(RunConfig.sameValues(oldPointmass, "run.json", pointmass), "an old pointmass run is this config's");
        assertTrue(!RunConfig.sameValues(recorded, "run.json", RunConfig.load(MBRL, List.of())),
                "an old reacher run is not today's config: its arm differs");
    }

    @Test
    void aConfigFileNeedsNoFormatAndAnotherFormatIsRefused() {
        assertTrue(error("config-format=1").contains("'config-format'"));
    }
}

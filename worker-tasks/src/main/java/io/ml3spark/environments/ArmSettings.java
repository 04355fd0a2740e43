package io.ml3spark.environments;

import io.ml3spark.config.Settings;
import io.ml3spark.control.reacher.ArmBody;
import io.ml3spark.control.reacher.LegacySpecReacher;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.control.reacher.TwoLinkArm;

/**
 * The reacher's {@code arm} section. Every key is optional and defaults to the reference's arm
 * ({@link Reacher#REFERENCE}), so another arm is a config: e.g. the same MJCF file under MuJoCo's
 * rules is {@code gear = 200, armature = 1, damping = 1, cancel-bias-forces = false} with its
 * inertias from the geometry. {@code model = legacy-spec-v1} is the arm of configs recorded before
 * version 2 of the config format ({@link LegacySpecReacher}); it takes no other key.
 */
final class ArmSettings {
    static final String RIGID_BODY = "rigid-body";
    static final String LEGACY = "legacy-spec-v1";

    private ArmSettings() {
    }

    static TwoLinkArm arm(Settings environment) {
        if (!environment.hasPath("arm")) {
            return Reacher.REFERENCE;
        }
        Settings s = environment.section("arm");
        if (s.hasPath("model") && s.getChoice("model", RIGID_BODY, LEGACY).equals(LEGACY)) {
            return LegacySpecReacher.SPEC;
        }
        Reacher ref = Reacher.REFERENCE;
        ArmBody b = ref.body();
        ArmBody body = new ArmBody(positive(s, "link1", b.link1()), positive(s, "link1-mass", b.mass1()),
                finite(s, "link1-com", b.com1()), positive(s, "link1-inertia", b.inertia1()),
                positive(s, "link2-mass", b.mass2()), finite(s, "link2-com", b.com2()),
                positive(s, "link2-inertia", b.inertia2()), positive(s, "fingertip", b.fingertip()),
                nonNegative(s, "fingertip-mass", b.fingertipMass()), nonNegative(s, "fingertip-inertia", b.fingertipInertia()));
        boolean cancel = s.hasPath("cancel-bias-forces") ? s.getBoolean("cancel-bias-forces") : ref.cancelBiasForces();
        try {
            return new Reacher(body, nonNegative(s, "damping", ref.damping()), nonNegative(s, "armature", ref.armature()),
                    positive(s, "gear", ref.gear()), positive(s, "torque-limit", ref.torqueLimit()), cancel,
                    positive(s, "joint-limit", ref.jointLimit()), positive(s, "dt", ref.dt()));
        } catch (IllegalArgumentException e) {
            throw environment.invalid("arm", "constants of a real arm; " + e.getMessage());
        }
    }

    private static double positive(Settings s, String key, double otherwise) {
        return s.hasPath(key) ? s.getPositiveDouble(key) : otherwise;
    }

    private static double nonNegative(Settings s, String key, double otherwise) {
        return s.hasPath(key) ? s.getNonNegativeDouble(key) : otherwise;
    }

    private static double finite(Settings s, String key, double otherwise) {
        return s.hasPath(key) ? s.getFiniteDouble(key) : otherwise;
    }
}

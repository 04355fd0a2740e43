package io.ml3spark.control.reacher;

import java.io.Serializable;

/**
 * The rigid bodies of a planar two-link arm: link 1 turns about joint 1, link 2 about joint 2 at
 * {@code link1} from joint 1, and a fingertip body sits rigidly on link 2 at {@code fingertip}
 * from joint 2. Each body's centre of mass lies on its link's axis ({@code com1} from joint 1,
 * {@code com2} from joint 2), and each inertia is the body's own about its centre of mass, about
 * the axis normal to the plane.
 *
 * <p>{@link #REFERENCE}: the arm the ML3 reference code simulates (its MJCF file in PyBullet;
 * its measured trajectories are the test resources {@code reacher-reference/}): links of 2 kg with the centre of mass on their own joint axis and
 * the inertia of the box around the link's capsule, {@code 2/12 (0.12^2 + 0.02^2)}, and a
 * fingertip sphere of radius 0.01 and density 1000.
 */
public record ArmBody(double link1, double mass1, double com1, double inertia1, double mass2, double com2,
                      double inertia2, double fingertip, double fingertipMass, double fingertipInertia)
        implements Serializable {
    public static final ArmBody REFERENCE = new ArmBody(0.1, 2.0, 0.0, linkInertia(), 2.0, 0.0, linkInertia(), 0.11,
            0.0041888, 1.6755e-7);

    /** {@code 2/12 (0.12^2 + 0.02^2)} = 2.46667e-3: rounding it to those digits moves the reference's states by 4e-6 rad in 65 steps. */
    private static double linkInertia() {
        return 2.0 / 12 * (0.12 * 0.12 + 0.02 * 0.02);
    }

    public ArmBody {
        if (!(link1 > 0 && fingertip > 0 && Double.isFinite(link1) && Double.isFinite(fingertip))) {
            throw new IllegalArgumentException("arm: link1 and fingertip must be positive lengths, got " + link1 + " and "
                    + fingertip);
        }
        if (!(mass1 > 0 && mass2 > 0 && fingertipMass >= 0 && Double.isFinite(mass1 + mass2 + fingertipMass))) {
            throw new IllegalArgumentException("arm: link masses must be positive and the fingertip's non-negative, got "
                    + mass1 + ", " + mass2 + " and " + fingertipMass);
        }
        if (!(inertia1 > 0 && inertia2 > 0 && fingertipInertia >= 0
                && Double.isFinite(inertia1 + inertia2 + fingertipInertia))) {
            throw new IllegalArgumentException("arm: link inertias must be positive and the fingertip's non-negative, got "
                    + inertia1 + ", " + inertia2 + " and " + fingertipInertia);
        }
        if (!Double.isFinite(com1) || !Double.isFinite(com2)) {
            throw new IllegalArgumentException("arm: centres of mass must be finite, got " + com1 + " and " + com2);
        }
    }

    /** Link 1's inertia about joint 1. */
    double inertiaAboutJoint1() {
        return inertia1 + mass1 * com1 * com1;
    }

    /** Link 2 with the fingertip: inertia about joint 2. */
    double inertiaAboutJoint2() {
        return inertia2 + mass2 * com2 * com2 + fingertipInertia + fingertipMass * fingertip * fingertip;
    }

    /** Link 2 with the fingertip: mass. */
    double outerMass() {
        return mass2 + fingertipMass;
    }

    /** Link 2 with the fingertip: first moment of mass about joint 2, along the link. */
    double outerFirstMoment() {
        return mass2 * com2 + fingertipMass * fingertip;
    }
}

package io.ml3spark.driver.train;

import io.ml3spark.ml3.HeldDirections;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.optim.Adam;

/**
 * How phi moves, given one averaged meta-gradient: the outer optimiser's step, as MLlib's
 * {@code Updater} is to its {@code Gradient}. {@link #adam} is the plain one;
 * {@link #holdingDirections} decorates any updater so that its step leaves alone the
 * directions a meta-gradient holds.
 */
@FunctionalInterface
public interface Updater {
    /** The phi after one step from {@code phi} with meta-gradient {@code g} (finite, with tasks). */
    double[] step(double[] phi, MetaGradient g);

    /** Adam on the mean meta-gradient; {@code adam} keeps the state that checkpoints save. */
    static Updater adam(Adam adam) {
        return (phi, g) -> adam.step(phi, g.mean());
    }

    /**
     * {@code inner}'s step projected off the directions {@code g} holds
     * ({@link MetaGradient#heldDirections}): the step itself, not only the gradient, since Adam
     * rescales each coordinate and would bring a projected-out direction back.
     */
    static Updater holdingDirections(Updater inner) {
        return (phi, g) -> HeldDirections.step(phi, inner.step(phi, g), g.heldDirections());
    }
}
